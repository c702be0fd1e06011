//! Hostile request bodies: the work must grow linearly with the input.
//!
//! `cargo bench --bench hostile -- --quick`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gpt_image_plan::{builtin_profile, validate_json};

fn keys(count: usize, repeat: bool) -> String {
    let fields: Vec<String> = (0..count)
        .map(|i| {
            if repeat {
                format!(r#""k{i}": 1, "k{i}": 2"#)
            } else {
                format!(r#""k{i}": 1"#)
            }
        })
        .collect();
    format!(
        r#"{{"model": "gpt-image-2", "prompt": "x", {}}}"#,
        fields.join(", ")
    )
}

fn hostile(c: &mut Criterion) {
    let openai = builtin_profile("openai").unwrap();
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    for count in [10_000, 100_000] {
        let body = keys(count, false);
        group.bench_function(format!("{count} unknown keys"), |b| {
            b.iter(|| validate_json(black_box(&body), openai))
        });
    }
    let body = keys(50_000, true);
    group.bench_function("50000 repeated unknown keys", |b| {
        b.iter(|| validate_json(black_box(&body), openai))
    });
    let body = format!(
        r#"{{"model": "gpt-image-2", "prompt": "{}"}}"#,
        "a".repeat(10 * 1024 * 1024)
    );
    group.bench_function("10 MB prompt", |b| {
        b.iter(|| validate_json(black_box(&body), openai))
    });
    let body = format!(
        r#"{{"model": "gpt-image-2", "prompt": "x", "size": "{}"}}"#,
        "1".repeat(10 * 1024 * 1024)
    );
    group.bench_function("10 MB size", |b| {
        b.iter(|| validate_json(black_box(&body), openai))
    });
    let body = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    group.bench_function("100000-deep array body", |b| {
        b.iter(|| validate_json(black_box(&body), openai))
    });
    group.finish();
}

criterion_group!(benches, hostile);
criterion_main!(benches);
