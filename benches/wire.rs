//! Call plans, response parsing and base64 decoding.
//!
//! `cargo bench --bench wire -- --quick`

use std::hint::black_box;

use base64::Engine as _;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gpt_image_plan::wire::{self, Outcome};
use gpt_image_plan::{ImageRequest, Quality, Response, builtin_profile};

fn plans(c: &mut Criterion) {
    let openai = builtin_profile("openai").unwrap();
    let infinityblue = builtin_profile("infinityblue").unwrap();
    let mut req = ImageRequest::new("gpt-image-2", "a lighthouse at dusk, oil painting");
    req.size = Some("1536x1024".parse().unwrap());
    req.set("quality", Quality::High);
    c.bench_function("plan/openai_one_call", |b| {
        b.iter(|| wire::plan(black_box(&req), black_box(openai)))
    });
    let mut split = req.clone();
    split.n = Some(10);
    c.bench_function("plan/infinityblue_n10_split", |b| {
        b.iter(|| wire::plan(black_box(&split), black_box(infinityblue)))
    });
}

fn responses(c: &mut Criterion) {
    let openai = Response::openai();
    let wavespeed = &builtin_profile("wavespeed").unwrap().response;
    // About a 1024x1024 PNG: 1.5 MB of pseudo-random bytes, 2 MB as base64.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let image: Vec<u8> = (0..1_500_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&image);
    let body = format!(
        r#"{{"created": 1713833628, "data": [{{"b64_json": "{b64}"}}], "size": "1024x1024", "quality": "high", "output_format": "png", "usage": {{"total_tokens": 7100, "input_tokens": 50, "output_tokens": 7050}}}}"#
    );
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("openai_b64_2MB", |b| {
        b.iter(|| wire::parse_response(&openai, 200, &[], black_box(body.as_bytes())))
    });
    group.bench_function("serde_json_value_2MB", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(body.as_bytes())))
    });
    group.finish();

    let task = br#"{"code": 200, "message": "success", "data": {"id": "p-1", "model": "openai/gpt-image-2/text-to-image", "outputs": ["https://cdn.example/1.png"], "urls": {"get": "https://api.wavespeed.ai/api/v3/predictions/p-1/result"}, "status": "completed", "error": ""}}"#;
    c.bench_function("parse/wavespeed_task", |b| {
        b.iter(|| wire::parse_response(wavespeed, 200, &[], black_box(task)))
    });
    let error = br#"{"error": {"message": "Invalid size '1792x936'. Width and height must both be divisible by 16.", "type": "invalid_request_error", "param": "size", "code": "invalid_value"}}"#;
    c.bench_function("parse/openai_error", |b| {
        b.iter(|| wire::parse_response(&openai, 400, &[], black_box(error)))
    });

    let Ok(Outcome::Images(result)) = wire::parse_response(&openai, 200, &[], body.as_bytes())
    else {
        panic!("the bench body does not parse");
    };
    let mut group = c.benchmark_group("base64");
    group.throughput(Throughput::Bytes(b64.len() as u64));
    group.bench_function("decode_2MB", |b| {
        b.iter(|| black_box(&result.images[0]).decode())
    });
    group.finish();
}

criterion_group!(benches, plans, responses);
criterion_main!(benches);
