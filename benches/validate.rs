//! How long the checks take, in one run so the numbers compare:
//!
//! - `size_check`: the gpt-image-2 rule on one size (target: under 10 ns);
//! - `validate_typed`: a whole typed request at OpenAI (target: under 300 ns);
//! - `parse_request`: serde_json reading the same request's JSON into an
//!   `ImageRequest`, the work every caller does anyway; validation should cost
//!   under 20% of it;
//! - `validate_typed_invalid_size`: the same request with size 1920x1080, whose
//!   fix runs the planner's nearest-size search, for reference;
//! - `serde_json_value`: `serde_json` parsing the same text into its `Value`,
//!   the tree the request reader used to build, as a yardstick;
//! - `request_from_json`: the crate's own lenient reader (every finding, not
//!   just the first) on the same JSON;
//! - `validate_json`: reading and validating in one step, for reference.
//!
//! Run with `cargo bench --bench validate -- --quick`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gpt_image_plan::{
    ImageRequest, Size, SizeRule, builtin_profile, request_from_json, validate, validate_json,
};

/// A typical valid request: every commonly sent field, nothing to report.
const REQUEST_JSON: &str = r#"{
  "model": "gpt-image-2",
  "prompt": "a lighthouse on a cliff at dusk, waves crashing below, warm light in the window",
  "n": 2,
  "size": "1536x1024",
  "quality": "high",
  "background": "opaque",
  "output_format": "jpeg",
  "output_compression": 85,
  "moderation": "auto",
  "user": "user-1234"
}"#;

fn benches(c: &mut Criterion) {
    let profile = builtin_profile("openai").unwrap();
    let request: ImageRequest = serde_json::from_str(REQUEST_JSON).unwrap();
    assert!(validate(&request, profile).diagnostics.is_empty());

    c.bench_function("size_check", |b| {
        b.iter(|| SizeRule::GPT_IMAGE_2.check(black_box(Size::new(1920, 1080))))
    });
    c.bench_function("validate_typed", |b| {
        b.iter(|| validate(black_box(&request), black_box(profile)))
    });
    c.bench_function("parse_request", |b| {
        b.iter(|| serde_json::from_str::<ImageRequest>(black_box(REQUEST_JSON)).unwrap())
    });
    // For reference: an invalid size costs the nearest-size search of the planner.
    let mut invalid = request.clone();
    invalid.size = Some(Size::new(1920, 1080).into());
    c.bench_function("validate_typed_invalid_size", |b| {
        b.iter(|| validate(black_box(&invalid), black_box(profile)))
    });
    c.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(REQUEST_JSON)).unwrap())
    });
    c.bench_function("request_from_json", |b| {
        b.iter(|| request_from_json(black_box(REQUEST_JSON), black_box(profile)))
    });
    c.bench_function("validate_json", |b| {
        b.iter(|| validate_json(black_box(REQUEST_JSON), black_box(profile)))
    });
}

criterion_group!(validate_benches, benches);
criterion_main!(validate_benches);
