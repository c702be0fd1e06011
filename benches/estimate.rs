//! Billing speed: an estimate for a typical request should take well under
//! 500 ns. Run with `cargo bench --bench estimate -- --quick`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gpt_image_plan::price::{PriceTable, Returned, Usage, estimate, reconcile};
use gpt_image_plan::{ImageRequest, Quality, Size, SizeSpec, builtin_profile};

fn request(model: &str, size: SizeSpec, quality: Quality) -> ImageRequest {
    let mut req = ImageRequest::new(
        model,
        "a lighthouse on a rocky coast at dusk, warm light in the windows, long exposure sea",
    );
    req.size = Some(size);
    req.set("quality", quality);
    req
}

fn benches(c: &mut Criterion) {
    let openai = builtin_profile("openai").unwrap();
    let table = PriceTable::builtin();

    let typical = request("gpt-image-2", Size::new(1024, 1024).into(), Quality::High);
    c.bench_function("estimate/gpt-image-2 1024x1024 high", |b| {
        b.iter(|| estimate(black_box(&typical), openai, table).unwrap())
    });

    let auto = request("gpt-image-2", SizeSpec::Auto, Quality::Auto);
    c.bench_function("estimate/gpt-image-2 auto auto", |b| {
        b.iter(|| estimate(black_box(&auto), openai, table).unwrap())
    });

    let gpt1 = request("gpt-image-1", Size::new(1024, 1536).into(), Quality::High);
    c.bench_function("estimate/gpt-image-1 1024x1536 high", |b| {
        b.iter(|| estimate(black_box(&gpt1), openai, table).unwrap())
    });

    let dalle = request("dall-e-3", Size::new(1792, 1024).into(), Quality::Hd);
    c.bench_function("estimate/dall-e-3 1792x1024 hd", |b| {
        b.iter(|| estimate(black_box(&dalle), openai, table).unwrap())
    });

    let tiers = request("gpt-image-2", Size::new(2048, 1152).into(), Quality::High);
    c.bench_function("estimate/pixapi 2K high", |b| {
        b.iter(|| {
            table
                .estimate_as("pixapi", "gpt-image-2", black_box(&tiers), openai)
                .unwrap()
        })
    });

    let returned = Returned {
        images: 1,
        sizes: vec![Size::new(1024, 1024)],
        quality: Some(Quality::High),
        usage: Some(Usage {
            input_tokens: 20,
            output_tokens: 7024,
            ..Usage::default()
        }),
    };
    c.bench_function("reconcile/gpt-image-2 usage block", |b| {
        b.iter(|| reconcile(black_box(&typical), openai, table, black_box(&returned)).unwrap())
    });

    // Reading, not pricing: a user table the size of the built-in one, and a
    // response body with a usage block.
    let table_text = include_str!("../data/prices.json");
    c.bench_function("read/price table (data/prices.json)", |b| {
        b.iter(|| PriceTable::from_json(black_box(table_text)).unwrap())
    });
    let body = r#"{"created": 1767225600, "background": "opaque", "output_format": "png",
        "quality": "high", "size": "1024x1024", "data": [{"b64_json": "iVBORw0KGgo="}],
        "usage": {"input_tokens": 20, "output_tokens": 7024, "total_tokens": 7044,
        "input_tokens_details": {"text_tokens": 20, "image_tokens": 0},
        "output_tokens_details": {"text_tokens": 0, "image_tokens": 7024}}}"#;
    c.bench_function("read/response usage block", |b| {
        b.iter(|| Returned::from_response_json(black_box(body)).unwrap())
    });
}

criterion_group!(estimate_benches, benches);
criterion_main!(estimate_benches);
