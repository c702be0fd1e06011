//! Call plans (golden bodies and URLs for every built-in profile), response
//! parsing (every documented shape, plus malformed and hostile bodies) and
//! polling plans.

use std::time::Duration;

use gpt_image_plan::price::{self, Amount, Bounds, PriceTable};
use gpt_image_plan::wire::{
    self, ErrorKind, Method, Outcome, PollPolicy, PollStep, ProviderError, TaskState,
    UnpricedReason,
};
use gpt_image_plan::{
    Background, ImageRequest, OutputFormat, Profile, Quality, Response, ResponseShape,
    builtin_profile, builtin_profiles,
};

/// OpenAI's response shape, the default.
fn openai() -> &'static Response {
    static OPENAI: std::sync::OnceLock<Response> = std::sync::OnceLock::new();
    OPENAI.get_or_init(Response::openai)
}

/// WaveSpeed's task shape, as its profile describes it.
fn wavespeed() -> &'static Response {
    &profile("wavespeed").response
}
use proptest::prelude::*;

#[track_caller]
fn profile(id: &str) -> &'static Profile {
    builtin_profile(id).unwrap_or_else(|| panic!("no built-in profile {id}"))
}

fn request(model: Option<&str>, prompt: &str) -> ImageRequest {
    ImageRequest {
        model: model.map(str::to_owned),
        prompt: Some(prompt.to_owned()),
        ..ImageRequest::default()
    }
}

fn codes(plan: &wire::Plan) -> Vec<String> {
    plan.report
        .codes()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Asserts one call's method, URL, body text and headers exactly.
#[track_caller]
fn assert_call(call: &wire::Call, url: &str, body: &str, auth: &str) {
    assert_eq!(call.method, Method::Post);
    assert_eq!(call.url, url);
    assert_eq!(call.body.as_deref(), Some(body));
    let headers: Vec<(&str, &str, bool)> = call
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str(), h.secret))
        .collect();
    assert_eq!(
        headers,
        [
            ("Content-Type", "application/json", false),
            ("Authorization", auth, true)
        ]
    );
}

// ---------------------------------------------------------------- golden plans

/// A day before dall-e-2, dall-e-3 and the gpt-image-1 models were shut
/// down, for plans about their prices.
fn before_shutdowns() -> gpt_image_plan::Date {
    "2026-05-01".parse().unwrap()
}

#[test]
fn openai_plan_sends_every_field_in_openai_order() {
    let mut req = request(Some("gpt-image-2"), "a lighthouse at dusk");
    req.n = Some(2);
    req.size = Some("1536x1024".parse().unwrap());
    req.set("quality", Quality::High);
    req.set("output_format", OutputFormat::Jpeg);
    req.set("output_compression", 80u32);
    let plan = wire::plan(&req, profile("openai"));
    assert!(plan.is_ready());
    assert_eq!(codes(&plan), Vec::<String>::new());
    assert_eq!(plan.calls.len(), 1);
    assert_call(
        &plan.calls[0],
        "https://api.openai.com/v1/images/generations",
        r#"{"model":"gpt-image-2","prompt":"a lighthouse at dusk","n":2,"size":"1536x1024","quality":"high","output_format":"jpeg","output_compression":80}"#,
        "Bearer <OPENAI_API_KEY>",
    );
    assert_eq!(plan.images(), Some(2));
    assert_eq!(plan.response, ResponseShape::Sync);
    // 1536x1024 high: 5488 output tokens at USD 30 per million, twice; the
    // 20-byte prompt is 1 to 20 tokens at USD 5 per million.
    let est = plan.estimate.as_ref().unwrap();
    assert_eq!(plan.unpriced, None);
    assert_eq!(
        (
            est.provider.as_str(),
            est.model.as_str(),
            est.currency.as_str()
        ),
        ("openai", "gpt-image-2", "USD")
    );
    assert_eq!(est.calls, 1);
    assert_eq!(est.images.len(), 1);
    assert_eq!(est.images[0].count, Bounds::exact(2));
    assert_eq!(est.images[0].output_image_tokens, Some(Bounds::exact(5488)));
    assert_amounts(est.images[0].each, "0.16464", "0.16464");
    assert_amounts(est.images[0].cost, "0.32928", "0.32928");
    assert_amounts(est.prompt_cost.unwrap(), "0.000005", "0.0001");
    assert_amounts(est.total, "0.329285", "0.32938");
    assert_eq!(est.reservation.to_string(), "0.32938");
    assert_eq!(
        Some(est),
        price::estimate_builtin(&req, profile("openai"))
            .ok()
            .as_ref()
    );
}

/// Asserts a range of amounts by their decimal strings.
#[track_caller]
fn assert_amounts(bounds: Bounds<Amount>, min: &str, max: &str) {
    assert_eq!(
        (bounds.min.to_string(), bounds.max.to_string()),
        (min.to_owned(), max.to_owned())
    );
}

#[test]
fn openai_plan_for_a_fixed_size_and_quality_has_an_exact_image_cost() {
    let mut req = request(Some("gpt-image-1"), "x");
    req.size = Some("1024x1536".parse().unwrap());
    req.set("quality", Quality::High);
    // Before gpt-image-1 was shut down (2026-10-23); from then on the plan is refused.
    let plan = wire::plan_on(
        &req,
        profile("openai"),
        PriceTable::builtin(),
        before_shutdowns(),
    );
    let est = plan.estimate.unwrap();
    // 6240 tokens at USD 40 per million; a one-byte prompt is one token at
    // USD 5 per million.
    assert_amounts(est.total, "0.249605", "0.249605");
    assert!(est.total.is_exact());
}

#[test]
fn openai_plan_for_dall_e_3_is_priced_per_image() {
    let mut req = request(Some("dall-e-3"), "a lighthouse");
    req.size = Some("1792x1024".parse().unwrap());
    req.set("quality", Quality::Hd);
    // Before dall-e-3 was shut down (2026-05-12).
    let plan = wire::plan_on(
        &req,
        profile("openai"),
        PriceTable::builtin(),
        before_shutdowns(),
    );
    let est = plan.estimate.unwrap();
    assert_amounts(est.total, "0.12", "0.12");
    assert_eq!(est.prompt_cost, None);
}

#[test]
fn a_provider_without_published_prices_plans_calls_with_no_estimate_and_says_why() {
    for id in ["wavespeed", "infinityblue", "enum-sizes", "all-required"] {
        let mut req = request(Some("gpt-image-2"), "otter");
        req.size = Some("1024x1024".parse().unwrap());
        req.n = Some(1);
        let plan = wire::plan(&req, profile(id));
        assert!(plan.is_ready(), "{id}: {:?}", plan.report);
        assert_eq!(plan.estimate, None, "{id}");
        let why = plan.unpriced.unwrap();
        assert_eq!(why.reason, UnpricedReason::NoPriceEntry, "{id}");
        assert_eq!(
            why.message,
            format!(
                r#"no published price for "gpt-image-2" at "{id}": the price table has no entry for it"#
            )
        );
    }
}

#[test]
fn an_entry_without_prices_gives_no_price_as_the_reason() {
    let mut req = request(None, "otter");
    req.size = Some("1024x1024".parse().unwrap());
    req.n = Some(1);
    let plan = wire::plan(&req, profile("uniall"));
    assert!(plan.is_ready());
    let why = plan.unpriced.unwrap();
    assert_eq!(why.reason, UnpricedReason::NoPrice);
    assert_eq!(
        why.message,
        r#"no published price for "gpt-image-2-origin" at "uniall": tier 1K at any quality has no price"#
    );
}

#[test]
fn a_plan_with_errors_is_not_priced() {
    let mut req = request(Some("gpt-image-2"), "otter");
    req.size = Some("1920x1080".parse().unwrap());
    let plan = wire::plan(&req, profile("openai"));
    assert_eq!(plan.estimate, None);
    let why = plan.unpriced.unwrap();
    assert_eq!(why.reason, UnpricedReason::NotPlanned);
    assert_eq!(
        why.message,
        "the request has errors, so no call is planned and nothing is priced"
    );
    let unknown = wire::plan(&request(Some("gpt-image-9"), "otter"), profile("openai"));
    assert_eq!(
        unknown.unpriced.map(|u| u.reason),
        Some(UnpricedReason::NotPlanned)
    );
}

#[test]
fn plan_json_prices_what_it_plans_and_nothing_when_it_refuses() {
    let openai = profile("openai");
    let plan = wire::plan_json(
        r#"{"model": "gpt-image-2", "prompt": "x", "size": "1024x1024", "quality": "low"}"#,
        openai,
    );
    assert_amounts(plan.estimate.unwrap().total, "0.005885", "0.005885");
    let refused = wire::plan_json(
        r#"{"model": "gpt-image-2", "prompt": "otter", "n": "2", "size": "1024x1024"}"#,
        openai,
    );
    assert!(refused.calls.is_empty());
    assert_eq!(refused.estimate, None);
    assert_eq!(refused.unpriced.unwrap().reason, UnpricedReason::NotPlanned);
    let broken = wire::plan_json("{", openai);
    assert_eq!(broken.unpriced.unwrap().reason, UnpricedReason::NotPlanned);
}

/// Example prices for gateways the built-in table has none for (test numbers,
/// not published prices).
const GATEWAY_PRICES: &str = r#"{
  "as_of": "2026-11-22", "source": "example numbers for tests",
  "entries": [
    {"provider": "infinityblue", "model": "gpt-image-2", "as_of": "2026-11-22", "source": "test",
     "currency": "USD", "pricing": {"kind": "token", "text_input_per_million": "5",
       "image_input_per_million": "8", "image_output_per_million": "30",
       "output_tokens": "gpt_image_2_formula"}},
    {"provider": "wavespeed", "model": "gpt-image-2", "as_of": "2026-11-22", "source": "test",
     "currency": "USD", "pricing": {"kind": "per_image", "prices": [
       {"size": "1024x1024", "quality": "low", "price": "0.01"},
       {"size": "1024x1024", "quality": "high", "price": "0.1"}]}}
  ]
}"#;

#[test]
fn the_split_infinityblue_plan_prices_all_three_images_and_three_prompts() {
    let table = PriceTable::builtin_with(GATEWAY_PRICES).unwrap();
    let mut req = request(Some("gpt-image-2"), "a lighthouse at dusk");
    req.n = Some(3);
    req.size = Some("1536x1024".parse().unwrap());
    req.set("quality", Quality::High);
    let ib = profile("infinityblue");
    let plan = wire::plan_with_prices(&req, ib, &table);
    assert_eq!(plan.calls.len(), 3);
    let est = plan.estimate.as_ref().unwrap();
    assert_eq!(est.calls, 3);
    assert_eq!(est.images[0].count, Bounds::exact(3));
    // quality has no effect there, so it is priced as auto: low 158 to high
    // 5488 tokens per image at USD 30 per million.
    assert_eq!(
        est.images[0].output_image_tokens,
        Some(Bounds::new(158, 5488))
    );
    assert_amounts(est.images[0].cost, "0.01422", "0.49392");
    // 1 to 20 prompt tokens on each of the 3 calls at USD 5 per million.
    assert_amounts(est.prompt_cost.unwrap(), "0.000015", "0.0003");
    assert_amounts(est.total, "0.014235", "0.49422");
    // The same numbers billing gives for the request.
    assert_eq!(Some(est), price::estimate(&req, ib, &table).ok().as_ref());
    // One call per image in the plan, one image per call in the estimate.
    assert_eq!(plan.images(), Some(est.images[0].count.max));
}

#[test]
fn plan_json_with_prices_uses_the_table_given() {
    let table = PriceTable::builtin_with(GATEWAY_PRICES).unwrap();
    let body = r#"{"model": "gpt-image-2", "prompt": "otter", "size": "1024x1024", "quality": "high", "n": 2}"#;
    let plan = wire::plan_json_with_prices(body, profile("wavespeed"), &table);
    assert_amounts(plan.estimate.unwrap().total, "0.2", "0.2");
    let builtin = wire::plan_json(body, profile("wavespeed"));
    assert_eq!(
        builtin.unpriced.unwrap().reason,
        UnpricedReason::NoPriceEntry
    );
}

#[test]
fn a_priced_plan_serializes_and_reads_back() {
    let mut req = request(Some("gpt-image-2"), "otter");
    req.size = Some("1024x1024".parse().unwrap());
    for id in ["openai", "wavespeed"] {
        let plan = wire::plan(&req, profile(id));
        let text = serde_json::to_string(&plan).unwrap();
        let back: wire::Plan = serde_json::from_str(&text).unwrap();
        assert_eq!(back, plan, "{id}");
    }
    let text = serde_json::to_value(wire::plan(&req, profile("wavespeed"))).unwrap();
    assert_eq!(text["estimate"], serde_json::Value::Null);
    assert_eq!(text["unpriced"]["reason"], "no_price_entry");
}

#[test]
fn wavespeed_plan_puts_the_model_in_the_path_and_not_in_the_body() {
    let mut req = request(Some("gpt-image-2"), "a lighthouse at dusk");
    req.n = Some(2);
    req.size = Some("2048x1152".parse().unwrap());
    req.set("quality", Quality::Medium);
    req.set("enable_sync_mode", false);
    let plan = wire::plan(&req, profile("wavespeed"));
    assert_eq!(codes(&plan), Vec::<String>::new());
    assert_eq!(plan.calls.len(), 1);
    assert_call(
        &plan.calls[0],
        "https://api.wavespeed.ai/api/v3/openai/gpt-image-2/text-to-image",
        r#"{"prompt":"a lighthouse at dusk","n":2,"size":"2048x1152","quality":"medium","enable_sync_mode":false}"#,
        "Bearer <WAVESPEED_API_KEY>",
    );
    assert_eq!(plan.response, ResponseShape::Task);
}

#[test]
fn enum_sizes_plan_uses_the_base_url_placeholder() {
    let mut req = request(Some("gpt-image-2"), "a lighthouse at dusk");
    req.size = Some("2048x1360".parse().unwrap());
    req.set("background", Background::Opaque);
    req.set("output_format", OutputFormat::Jpeg);
    req.set("output_compression", 70u32);
    let plan = wire::plan(&req, profile("enum-sizes"));
    assert_eq!(codes(&plan), Vec::<String>::new());
    assert_call(
        &plan.calls[0],
        "{BASE_URL}/v1/images/generations",
        r#"{"model":"gpt-image-2","prompt":"a lighthouse at dusk","size":"2048x1360","background":"opaque","output_format":"jpeg","output_compression":70}"#,
        "Bearer <ENUM_SIZES_API_KEY>",
    );
    assert_eq!(plan.calls[0].n, None);
    assert_eq!(plan.images(), None);
}

#[test]
fn uniall_plan_sends_the_default_model_and_a_required_n_as_a_string() {
    let mut req = request(None, "a lighthouse at dusk");
    req.size = Some("1920x1080".parse().unwrap());
    req.set("output_format", OutputFormat::Webp);
    let plan = wire::plan(&req, profile("uniall"));
    assert_eq!(codes(&plan), ["n.defaulted"]);
    assert_eq!(
        plan.report.diagnostics[0].message,
        r#"n: required by "uniall"; the plan sends the default "1""#
    );
    assert_eq!(plan.model.as_deref(), Some("gpt-image-2-origin"));
    assert_call(
        &plan.calls[0],
        "{BASE_URL}/v1/images/generations/",
        r#"{"model":"gpt-image-2-origin","prompt":"a lighthouse at dusk","n":"1","size":"1920x1080","output_format":"webp"}"#,
        "Bearer <UNIALL_API_KEY>",
    );
}

#[test]
fn uniall_plan_types_an_explicit_n_as_a_string() {
    let mut req = request(Some("gpt-image-2-origin"), "otter");
    req.n = Some(4);
    req.size = Some("1024x1024".parse().unwrap());
    let plan = wire::plan(&req, profile("uniall"));
    assert_eq!(
        plan.calls[0].body.as_deref(),
        Some(r#"{"model":"gpt-image-2-origin","prompt":"otter","n":"4","size":"1024x1024"}"#)
    );
}

#[test]
fn infinityblue_plan_splits_n_3_into_3_calls_and_drops_no_effect_fields() {
    let mut req = request(Some("gpt-image-2"), "a lighthouse at dusk");
    req.n = Some(3);
    req.size = Some("1536x1024".parse().unwrap());
    req.set("quality", Quality::High);
    req.set("stream", true);
    req.set("response_format", gpt_image_plan::ResponseFormat::Url);
    let plan = wire::plan(&req, profile("infinityblue"));
    assert_eq!(
        codes(&plan),
        // validate's `no_effect` findings are replaced by the plan's `dropped`.
        ["n.split", "quality.dropped", "stream.dropped"]
    );
    let dropped: Vec<&str> = plan
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code.to_string().ends_with(".dropped"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        dropped,
        [
            r#"quality "high": left out of the call; it has no effect for "gpt-image-2" at "infinityblue""#,
            r#"stream true: left out of the call; it has no effect for "gpt-image-2" at "infinityblue""#,
        ]
    );
    assert_eq!(plan.calls.len(), 3);
    for call in &plan.calls {
        assert_call(
            call,
            "{BASE_URL}/v1/images/generations",
            r#"{"model":"gpt-image-2","prompt":"a lighthouse at dusk","n":1,"size":"1536x1024","response_format":"url"}"#,
            "Bearer <INFINITYBLUE_API_KEY>",
        );
    }
    assert_eq!(plan.images(), Some(3));
}

#[test]
fn all_required_plan_sends_model_prompt_size_and_n() {
    let mut req = request(
        Some("gpt-image-2"),
        "A simple red apple on a white table, photorealistic",
    );
    req.size = Some("1024x1024".parse().unwrap());
    req.n = Some(1);
    let plan = wire::plan(&req, profile("all-required"));
    assert_eq!(codes(&plan), Vec::<String>::new());
    assert_call(
        &plan.calls[0],
        "{BASE_URL}/api/v1/images/generations",
        r#"{"model":"gpt-image-2","prompt":"A simple red apple on a white table, photorealistic","n":1,"size":"1024x1024"}"#,
        "Bearer <ALL_REQUIRED_API_KEY>",
    );
}

#[test]
fn all_required_plan_without_size_and_n_has_errors_and_no_calls() {
    let req = request(Some("gpt-image-2"), "an apple");
    let plan = wire::plan(&req, profile("all-required"));
    assert_eq!(codes(&plan), ["n.missing", "size.missing"]);
    assert!(plan.calls.is_empty());
    assert!(!plan.is_ready());
}

#[test]
fn every_builtin_profile_plans_a_plain_request() {
    for p in builtin_profiles() {
        let model = p
            .default_model
            .clone()
            .or_else(|| p.models.first().map(|m| m.name.clone()));
        let mut req = request(model.as_deref(), "a lighthouse");
        req.n = Some(1);
        req.size = Some("1024x1024".parse().unwrap());
        let plan = wire::plan(&req, p);
        assert!(plan.is_ready(), "{}: {:?}", p.id, plan.report);
        assert_eq!(plan.calls.len(), 1, "{}", p.id);
        assert!(
            !plan.calls[0]
                .headers
                .iter()
                .any(|h| h.value.contains("sk-"))
        );
    }
}

// ---------------------------------------------------------------- plan rules

#[test]
fn a_plan_with_errors_has_no_calls_but_keeps_the_findings() {
    let mut req = request(Some("gpt-image-2"), "otter");
    req.size = Some("1920x1080".parse().unwrap());
    let plan = wire::plan(&req, profile("openai"));
    assert!(plan.calls.is_empty());
    assert_eq!(codes(&plan), ["size.not_multiple_of_16"]);
    assert_eq!(plan.model.as_deref(), Some("gpt-image-2"));
}

#[test]
fn an_unknown_model_gives_a_plan_without_model_or_calls() {
    let plan = wire::plan(&request(Some("gpt-image-9"), "otter"), profile("openai"));
    assert_eq!(plan.model, None);
    assert!(plan.calls.is_empty());
    assert_eq!(codes(&plan), ["model.unknown"]);
}

#[test]
fn a_refused_snapshot_gives_no_calls() {
    let plan = wire::plan(
        &request(Some("gpt-image-2-2026-04-21"), "otter"),
        profile("infinityblue"),
    );
    assert_eq!(plan.model, None);
    assert_eq!(codes(&plan), ["model.unavailable"]);
}

#[test]
fn n_above_the_split_maximum_is_an_error_not_a_plan() {
    let mut req = request(Some("gpt-image-2"), "otter");
    req.n = Some(11);
    let plan = wire::plan(&req, profile("infinityblue"));
    assert_eq!(codes(&plan), ["n.out_of_range"]);
    assert!(plan.calls.is_empty());
}

#[test]
fn a_split_puts_the_remainder_in_the_last_call() {
    let text =
        include_str!("../data/profiles/infinityblue.json").replace(r#""max": 1,"#, r#""max": 3,"#);
    let p = Profile::from_json(&text).unwrap();
    let mut req = request(Some("gpt-image-2"), "otter");
    req.n = Some(7);
    let plan = wire::plan(&req, &p);
    let ns: Vec<Option<u32>> = plan.calls.iter().map(|c| c.n).collect();
    assert_eq!(ns, [Some(3), Some(3), Some(1)]);
    assert_eq!(plan.images(), Some(7));
}

#[test]
fn a_profile_needing_more_than_100_calls_is_refused() {
    let text = include_str!("../data/profiles/infinityblue.json")
        .replace(r#""split_max": 10"#, r#""split_max": 1000"#);
    let p = Profile::from_json(&text).unwrap();
    let mut req = request(Some("gpt-image-2"), "otter");
    req.n = Some(101);
    let plan = wire::plan(&req, &p);
    assert!(plan.calls.is_empty());
    let last = plan.report.diagnostics.last().unwrap();
    assert_eq!(last.code.to_string(), "n.out_of_range");
    assert_eq!(
        last.message,
        "n 101: needs 101 calls, above the plan's limit of 100"
    );
}

#[test]
fn undocumented_fields_are_passed_on_with_a_warning() {
    let mut req = request(Some("gpt-image-2"), "otter");
    req.size = Some("1024x1024".parse().unwrap());
    req.set("user", "user-1");
    let plan = wire::plan(&req, profile("wavespeed"));
    assert_eq!(codes(&plan), ["user.undocumented"]);
    assert_eq!(
        plan.calls[0].body.as_deref(),
        Some(r#"{"prompt":"otter","size":"1024x1024","user":"user-1"}"#)
    );
}

#[test]
fn json_special_characters_in_the_prompt_are_escaped() {
    let req = request(Some("gpt-image-2"), "say \"hi\"\n\\ \u{1F600}");
    let plan = wire::plan(&req, profile("openai"));
    let body = plan.calls[0].body.as_deref().unwrap();
    assert_eq!(
        body,
        "{\"model\":\"gpt-image-2\",\"prompt\":\"say \\\"hi\\\"\\n\\\\ \u{1F600}\"}"
    );
    let back: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(back["prompt"], "say \"hi\"\n\\ \u{1F600}");
}

#[test]
fn the_plan_never_holds_a_key_even_when_one_is_set_in_the_environment() {
    // The core never reads the environment; the placeholder names the variable.
    let plan = wire::plan(&request(Some("gpt-image-2"), "otter"), profile("openai"));
    let text = serde_json::to_string(&plan).unwrap();
    assert!(text.contains("Bearer <OPENAI_API_KEY>"));
}

#[test]
fn plan_json_puts_json_findings_first_and_refuses_errors() {
    let openai = profile("openai");
    let plan = wire::plan_json(
        r#"{"model": "gpt-image-2", "prompt": "otter", "n": "2", "size": "1024x1024"}"#,
        openai,
    );
    assert_eq!(codes(&plan), ["n.invalid_type"]);
    assert!(plan.calls.is_empty());
    let plan = wire::plan_json(
        r#"{"prompt": "otter", "model": "gpt-image-2", "qualty": "high"}"#,
        openai,
    );
    assert_eq!(codes(&plan), ["request.unknown_field"]);
    assert!(plan.calls.is_empty(), "openai refuses unknown fields");
    let lenient = wire::plan_json(
        r#"{"prompt": "otter", "model": "gpt-image-2", "size": "1024x1024", "qualty": "high"}"#,
        profile("wavespeed"),
    );
    assert_eq!(codes(&lenient), ["request.unknown_field"]);
    assert_eq!(
        lenient.calls[0].body.as_deref(),
        Some(r#"{"prompt":"otter","size":"1024x1024"}"#)
    );
    let broken = wire::plan_json("[1]", openai);
    assert_eq!(codes(&broken), ["request.not_object"]);
    assert_eq!(broken.model, None);
}

// ---------------------------------------------------------------- what came back, for billing

#[track_caller]
fn result_of(body: &str) -> wire::GenerationResult {
    match wire::parse_response(openai(), 200, &[], body.as_bytes()) {
        Ok(Outcome::Images(result)) => result,
        other => panic!("expected images, got {other:?}"),
    }
}

#[test]
fn returned_lists_a_size_per_image_and_sums_usage_over_the_calls() {
    let a = result_of(
        r#"{"data": [{"b64_json": "aGk="}, {"b64_json": "aGk="}], "size": "1024x1536", "quality": "high",
            "usage": {"input_tokens": 7, "output_tokens": 100, "input_tokens_details": {"text_tokens": 5, "image_tokens": 2}}}"#,
    );
    let b = result_of(
        r#"{"data": [{"url": "https://img.example/1.png"}], "size": "1536x1024", "quality": "high",
            "usage": {"input_tokens": 7, "output_tokens": 50, "input_tokens_details": {"text_tokens": 5, "image_tokens": 2}}}"#,
    );
    let returned = wire::returned(&[a, b]);
    assert_eq!(returned.images, 3);
    let sizes: Vec<String> = returned.sizes.iter().map(ToString::to_string).collect();
    assert_eq!(sizes, ["1024x1536", "1024x1536", "1536x1024"]);
    assert_eq!(returned.quality, Some(Quality::High));
    let usage = returned.usage.unwrap();
    assert_eq!((usage.input_tokens, usage.output_tokens), (14, 150));
    let details = usage.input_tokens_details.unwrap();
    assert_eq!((details.text_tokens, details.image_tokens), (10, 4));
}

#[test]
fn returned_leaves_out_what_only_some_calls_report() {
    let full = result_of(
        r#"{"data": [{"b64_json": "aGk="}], "size": "1024x1024", "quality": "low", "usage": {"input_tokens": 3, "output_tokens": 196}}"#,
    );
    let bare = result_of(r#"{"data": [{"b64_json": "aGk="}], "quality": "high"}"#);
    let returned = wire::returned(&[full.clone(), bare]);
    assert_eq!(returned.images, 2);
    assert!(returned.sizes.is_empty(), "a size for one image of two");
    assert_eq!(returned.quality, None, "the calls disagree");
    assert_eq!(returned.usage, None, "a partial sum would bill too little");
    let empty_usage = result_of(r#"{"data": [{"b64_json": "aGk="}], "usage": {}}"#);
    assert_eq!(wire::returned(&[full, empty_usage]).usage, None);
    assert_eq!(wire::returned(&[]), price::Returned::default());
}

#[test]
fn usage_totals_come_from_their_parts_when_missing() {
    let result = result_of(
        r#"{"data": [{"b64_json": "aGk="}], "usage": {"input_tokens_details": {"text_tokens": 12, "image_tokens": 3},
            "output_tokens_details": {"image_tokens": 196, "text_tokens": 4}}}"#,
    );
    let usage = price::Usage::from(result.usage.unwrap());
    assert_eq!((usage.input_tokens, usage.output_tokens), (15, 200));
    let out = usage.output_tokens_details.unwrap();
    assert_eq!((out.text_tokens, out.image_tokens), (4, 196));
}

#[test]
fn a_returned_usage_block_reconciles_to_its_exact_cost() {
    let mut req = request(Some("gpt-image-1"), "an otter");
    req.size = Some("1024x1536".parse().unwrap());
    req.set("quality", Quality::High);
    let result = result_of(
        r#"{"data": [{"b64_json": "aGk="}], "size": "1024x1536", "quality": "high",
            "usage": {"input_tokens": 4, "output_tokens": 6240, "input_tokens_details": {"text_tokens": 4, "image_tokens": 0}}}"#,
    );
    let openai = profile("openai");
    let plan = wire::plan_on(&req, openai, PriceTable::builtin(), before_shutdowns());
    let rec = price::reconcile(
        &req,
        openai,
        PriceTable::builtin(),
        &wire::returned(&[result]),
    )
    .unwrap();
    // 6240 * 40 / 1M + 4 * 5 / 1M
    assert_amounts(rec.cost, "0.24962", "0.24962");
    assert_eq!(rec.reserved, plan.estimate.unwrap().reservation);
    // At most 8 prompt tokens were reserved for the 8-byte prompt; 4 were billed.
    assert_eq!(rec.reserved.to_string(), "0.24964");
    assert_amounts(rec.difference, "0.00002", "0.00002");
}

// ---------------------------------------------------------------- responses: success

#[track_caller]
fn images(shape: &Response, body: &str) -> wire::GenerationResult {
    match wire::parse_response(shape, 200, &[], body.as_bytes()) {
        Ok(Outcome::Images(result)) => result,
        other => panic!("expected images, got {other:?}"),
    }
}

#[track_caller]
fn task(body: &str) -> wire::TaskStatus {
    match wire::parse_response(wavespeed(), 200, &[], body.as_bytes()) {
        Ok(Outcome::Task(task)) => task,
        other => panic!("expected a task, got {other:?}"),
    }
}

#[track_caller]
fn error(shape: &Response, status: u16, headers: &[(&str, &str)], body: &str) -> ProviderError {
    match wire::parse_response(shape, status, headers, body.as_bytes()) {
        Err(e) => e,
        Ok(outcome) => panic!("expected an error, got {outcome:?}"),
    }
}

#[test]
fn reads_openais_full_response_with_usage_and_settings() {
    let result = images(
        openai(),
        r#"{
          "created": 1713833628,
          "background": "opaque",
          "data": [{"b64_json": "aGVsbG8=", "revised_prompt": "a red lighthouse"}],
          "output_format": "png",
          "quality": "high",
          "size": "1024x1024",
          "usage": {
            "total_tokens": 7100, "input_tokens": 50, "output_tokens": 7050,
            "input_tokens_details": {"text_tokens": 40, "image_tokens": 10},
            "output_tokens_details": {"image_tokens": 7024, "text_tokens": 26}
          }
        }"#,
    );
    assert_eq!(result.created, Some(1713833628));
    assert_eq!(result.images.len(), 1);
    assert_eq!(result.images[0].decode().unwrap().unwrap(), b"hello");
    assert_eq!(
        result.images[0].revised_prompt.as_deref(),
        Some("a red lighthouse")
    );
    assert_eq!(result.size.unwrap().to_string(), "1024x1024");
    assert_eq!(result.quality, Some(Quality::High));
    assert_eq!(result.output_format, Some(OutputFormat::Png));
    assert_eq!(result.background, Some(Background::Opaque));
    let usage = result.usage.unwrap();
    assert_eq!(
        (
            usage.input_tokens,
            usage.input_text_tokens,
            usage.input_image_tokens,
            usage.output_tokens,
            usage.output_image_tokens,
            usage.output_text_tokens,
            usage.total_tokens
        ),
        (
            Some(50),
            Some(40),
            Some(10),
            Some(7050),
            Some(7024),
            Some(26),
            Some(7100)
        )
    );
}

#[test]
fn reads_seed_004s_response_with_url_b64_and_empty_usage() {
    let result = images(
        openai(),
        r#"{"created": 1780000000, "data": [{"url": "https://...", "b64_json": "...", "revised_prompt": "..."}], "usage": {}}"#,
    );
    let image = &result.images[0];
    assert_eq!(image.url.as_deref(), Some("https://..."));
    assert_eq!(image.b64_json.as_deref(), Some("..."));
    assert!(image.decode().unwrap().is_err());
    assert_eq!(result.usage, Some(wire::Usage::default()));
}

#[test]
fn reads_seed_002s_response_without_usage() {
    let result = images(
        openai(),
        r#"{"created": 1777105463, "data": [{"url": "https://xxxxxx/xxx.jpg"}]}"#,
    );
    assert_eq!(
        result.images[0].url.as_deref(),
        Some("https://xxxxxx/xxx.jpg")
    );
    assert_eq!(result.usage, None);
}

#[test]
fn reads_seed_001s_array_of_url_strings() {
    let result = images(
        openai(),
        r#"{"created": 1, "data": ["https://img.example/a.png", "https://img.example/b.png"]}"#,
    );
    let urls: Vec<_> = result
        .images
        .iter()
        .map(|i| i.url.as_deref().unwrap())
        .collect();
    assert_eq!(
        urls,
        ["https://img.example/a.png", "https://img.example/b.png"]
    );
}

#[test]
fn a_returned_size_that_breaks_the_rule_is_accepted() {
    let result = images(
        openai(),
        r#"{"created": 1, "data": [{"url": "https://x/y.png"}], "size": "1254x1254", "quality": "xhigh"}"#,
    );
    assert_eq!(result.size.unwrap().to_string(), "1254x1254");
    assert_eq!(result.quality, Some(Quality::Xhigh));
}

#[test]
fn unknown_or_mistyped_optional_fields_are_ignored() {
    let result = images(
        openai(),
        r#"{"created": "yesterday", "data": [], "size": "big", "quality": 3, "usage": [1], "extra": {"x": 1}}"#,
    );
    assert_eq!(result, wire::GenerationResult::default());
}

/// The first image of a body whose `b64_json` is `b64`, decoded.
#[track_caller]
fn decode_b64_json(b64: &str) -> Result<Vec<u8>, String> {
    let body = format!(
        r#"{{"data": [{{"b64_json": {}}}]}}"#,
        serde_json::Value::from(b64)
    );
    let result = images(openai(), &body);
    result.images[0]
        .decode()
        .expect("the image has base64 data")
        .map_err(|e| e.to_string())
}

#[test]
fn b64_json_decodes_with_or_without_padding_across_wrapped_lines() {
    for b64 in ["aGVsbG8=", "aGVsbG8", "aGVs\nbG8=", " aGVs bG8=\r\n"] {
        assert_eq!(decode_b64_json(b64), Ok(b"hello".to_vec()), "{b64:?}");
    }
    // Unused low bits of the last character are ignored, as before.
    assert_eq!(decode_b64_json("aGl="), Ok(b"hi".to_vec()));
}

#[test]
fn b64_json_that_is_not_base64_names_the_symbol_and_its_offset() {
    assert_eq!(
        decode_b64_json("aGVs*G8="),
        Err("Invalid symbol 42, offset 4.".to_owned())
    );
    assert_eq!(
        decode_b64_json("aGVsb"),
        Err("Invalid input length: 5".to_owned())
    );
    assert_eq!(
        decode_b64_json("aG=sbG8="),
        Err("Invalid symbol 61, offset 2.".to_owned())
    );
}

#[test]
fn a_data_url_in_b64_json_is_decoded() {
    let result = images(
        openai(),
        r#"{"data": [{"b64_json": "data:image/png;base64,aGk="}]}"#,
    );
    assert_eq!(result.images[0].base64_payload(), Some("aGk="));
    assert_eq!(result.images[0].decode().unwrap().unwrap(), b"hi");
}

#[test]
fn reads_every_wavespeed_task_state() {
    let created = task(
        r#"{"code": 200, "message": "success", "data": {"id": "p-1", "model": "openai/gpt-image-2/text-to-image", "outputs": [], "urls": {"get": "https://api.wavespeed.ai/api/v3/predictions/p-1/result"}, "status": "created", "error": ""}}"#,
    );
    assert_eq!(created.id, "p-1");
    assert_eq!(created.state, TaskState::Pending);
    assert_eq!(created.status, "created");
    assert_eq!(
        created.poll_url.as_deref(),
        Some("https://api.wavespeed.ai/api/v3/predictions/p-1/result")
    );
    assert_eq!(created.error, None);
    assert!(!created.is_done());

    let processing =
        task(r#"{"code": 200, "data": {"id": "p-1", "status": "processing", "outputs": null}}"#);
    assert_eq!(processing.state, TaskState::Pending);

    let completed = task(
        r#"{"code": 200, "data": {"id": "p-1", "status": "completed", "outputs": ["https://cdn.example/1.png", "aGk="]}}"#,
    );
    assert!(completed.is_done());
    let result = completed.result().unwrap();
    assert_eq!(
        result.images[0].url.as_deref(),
        Some("https://cdn.example/1.png")
    );
    assert_eq!(result.images[1].decode().unwrap().unwrap(), b"hi");

    let failed = task(
        r#"{"code": 200, "data": {"id": "p-1", "status": "failed", "error": "Content blocked due to safety concerns"}}"#,
    );
    let err = failed.failure().unwrap();
    assert_eq!(err.kind, ErrorKind::ContentPolicy);
    assert_eq!(
        err.to_string(),
        r#"refused by content policy: "Content blocked due to safety concerns""#
    );
}

#[test]
fn reads_the_seeds_urls_array_form_and_a_bare_task() {
    let t =
        task(r#"{"data": {"id": "p-2", "status": "created", "urls": [{"get": "https://x/p-2"}]}}"#);
    assert_eq!(t.poll_url.as_deref(), Some("https://x/p-2"));
    let bare = task(r#"{"id": "p-3", "status": "processing"}"#);
    assert_eq!(bare.id, "p-3");
}

#[test]
fn a_failed_task_without_a_reason_is_an_unknown_error() {
    let t = task(r#"{"data": {"id": "p-4", "status": "failed"}}"#);
    assert_eq!(
        t.failure().unwrap().to_string(),
        r#"unknown error: "the task failed without a reason""#
    );
}

// ---------------------------------------------------------------- responses: errors

#[test]
fn openai_invalid_value_is_an_invalid_request_with_param_and_code() {
    let e = error(
        openai(),
        400,
        &[],
        r#"{"error": {"message": "Invalid value: '512x512'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.", "type": "invalid_request_error", "param": "size", "code": "invalid_value"}}"#,
    );
    assert_eq!(e.kind, ErrorKind::InvalidRequest);
    assert_eq!(e.param.as_deref(), Some("size"));
    assert_eq!(e.code.as_deref(), Some("invalid_value"));
    assert_eq!(e.error_type.as_deref(), Some("invalid_request_error"));
    assert_eq!(
        e.to_string(),
        r#"invalid request (HTTP 400, param "size", code "invalid_value"): "Invalid value: '512x512'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.""#
    );
    assert!(!e.is_retryable());
}

#[test]
fn statuses_map_to_kinds() {
    let body = r#"{"error": {"message": "m", "type": "t", "param": null, "code": null}}"#;
    let cases = [
        (401, ErrorKind::Unauthorized),
        (402, ErrorKind::Forbidden),
        (403, ErrorKind::Forbidden),
        (404, ErrorKind::InvalidRequest),
        (422, ErrorKind::InvalidRequest),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::ServerError),
        (502, ErrorKind::ServerError),
        (503, ErrorKind::ServerError),
        (418, ErrorKind::Unknown),
        (302, ErrorKind::Unknown),
    ];
    for (status, kind) in cases {
        let e = error(openai(), status, &[], body);
        assert_eq!((status, e.kind), (status, kind));
        assert_eq!(e.status, Some(status));
    }
}

#[test]
fn rate_limited_keeps_retry_after_in_seconds_or_milliseconds() {
    let body = r#"{"error": {"message": "Rate limit reached for images per minute", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}"#;
    let e = error(openai(), 429, &[("retry-after", "7")], body);
    assert_eq!(e.kind, ErrorKind::RateLimited);
    assert_eq!(e.retry_after, Some(Duration::from_secs(7)));
    assert!(e.is_retryable());
    let ms = error(
        openai(),
        429,
        &[("Retry-After", "7"), ("retry-after-ms", "1500")],
        body,
    );
    assert_eq!(ms.retry_after, Some(Duration::from_millis(1500)));
    assert_eq!(
        ms.to_string(),
        r#"rate limited (HTTP 429, code "rate_limit_exceeded", retry after 1500ms): "Rate limit reached for images per minute""#
    );
    let date = error(
        openai(),
        429,
        &[("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT")],
        body,
    );
    assert_eq!(date.retry_after, None);
}

#[test]
fn retry_after_is_dropped_from_errors_that_should_not_be_retried() {
    let e = error(
        openai(),
        400,
        &[("Retry-After", "3")],
        r#"{"error": {"message": "bad"}}"#,
    );
    assert_eq!(e.retry_after, None);
}

#[test]
fn insufficient_quota_is_forbidden_even_with_status_429() {
    let e = error(
        openai(),
        429,
        &[],
        r#"{"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}"#,
    );
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert!(!e.is_retryable());
}

#[test]
fn openai_moderation_blocked_is_content_policy() {
    let e = error(
        openai(),
        400,
        &[],
        r#"{"error": {"message": "Your request was rejected as a result of our safety system.", "type": "image_generation_user_error", "param": null, "code": "moderation_blocked"}}"#,
    );
    assert_eq!(e.kind, ErrorKind::ContentPolicy);
    assert!(!e.is_retryable());
}

#[test]
fn wavespeed_content_policy_is_recognised_as_the_real_400_and_the_documented_503() {
    let body =
        r#"{"code": 400, "message": "Content blocked due to safety concerns", "data": null}"#;
    for status in [400, 503] {
        let e = error(wavespeed(), status, &[], body);
        assert_eq!((status, e.kind), (status, ErrorKind::ContentPolicy));
    }
    let e = error(wavespeed(), 400, &[], body);
    assert_eq!(
        e.to_string(),
        r#"refused by content policy (HTTP 400): "Content blocked due to safety concerns""#
    );
}

#[test]
fn wavespeed_error_envelopes_map_like_openais() {
    let cases = [
        (
            401,
            r#"{"code": 401, "message": "API key is missing or invalid", "data": null}"#,
            ErrorKind::Unauthorized,
        ),
        (
            403,
            r#"{"code": 403, "message": "insufficient balance for the requested operation"}"#,
            ErrorKind::Forbidden,
        ),
        (
            429,
            r#"{"code": 429, "message": "You've exceeded your rate limit"}"#,
            ErrorKind::RateLimited,
        ),
        (
            500,
            r#"{"code": 500, "message": "An internal server error occurred"}"#,
            ErrorKind::ServerError,
        ),
    ];
    for (status, body, kind) in cases {
        let e = error(wavespeed(), status, &[], body);
        assert_eq!((status, e.kind), (status, kind));
    }
}

#[test]
fn an_error_envelope_inside_a_200_is_an_error() {
    let ws = error(
        wavespeed(),
        200,
        &[],
        r#"{"code": 401, "message": "Unauthorized", "data": null}"#,
    );
    assert_eq!(ws.kind, ErrorKind::Unauthorized);
    assert_eq!(ws.status, Some(401));
    let oa = error(
        openai(),
        200,
        &[],
        r#"{"error": {"message": "Invalid size", "type": "invalid_request_error", "param": "size", "code": null}}"#,
    );
    assert_eq!(oa.kind, ErrorKind::InvalidRequest);
    assert_eq!(oa.status, Some(200));
}

#[test]
fn seed_004s_error_envelope_is_read() {
    let e = error(
        openai(),
        400,
        &[],
        r#"{"error": {"message": "error message", "type": "error_type", "code": "error_code"}}"#,
    );
    assert_eq!(
        e.to_string(),
        r#"invalid request (HTTP 400, code "error_code"): "error message""#
    );
    assert_eq!(e.error_type.as_deref(), Some("error_type"));
}

#[test]
fn other_error_bodies_are_read_for_their_message() {
    let cases = [
        (r#"{"error": "model not found"}"#, "model not found"),
        (r#"{"detail": "Not Found"}"#, "Not Found"),
        (r#"{"message": "bad gateway"}"#, "bad gateway"),
        (
            r#"{"code": 500, "message": "failed", "data": {"error": "GPU out of memory"}}"#,
            "failed: GPU out of memory",
        ),
        (r#"[1, 2]"#, "[1,2]"),
        (
            "<html><body><h1>502 Bad Gateway</h1>\n</body></html>",
            "<html><body><h1>502 Bad Gateway</h1> </body></html>",
        ),
        ("", "the body is empty"),
    ];
    for (body, message) in cases {
        let e = error(openai(), 502, &[], body);
        assert_eq!(e.kind, ErrorKind::ServerError);
        assert_eq!(e.message, message, "{body}");
    }
}

// ---------------------------------------------------------------- responses: malformed and hostile

#[test]
fn malformed_success_bodies_are_clear_errors() {
    let cases = [
        (
            openai(),
            r#"{"created": 1, "data": [{"url": "https://x"#,
            "the images body is not valid JSON: EOF while parsing a string at line 1 column 42",
        ),
        (openai(), r#"[]"#, "the images body is not a JSON object"),
        (
            openai(),
            r#"{"created": 1}"#,
            r#"the body has no "data" array of images"#,
        ),
        (
            openai(),
            r#"{"data": [7]}"#,
            "data[0] is not an image object",
        ),
        (
            openai(),
            r#"{"data": [{"revised_prompt": "x"}]}"#,
            "data[0] has neither url nor b64_json",
        ),
        (
            wavespeed(),
            r#"{"code": 200, "data": null}"#,
            r#"the body has neither a task status at "data/status" nor an array of images at "data""#,
        ),
        (
            wavespeed(),
            r#"{"data": {"id": "x", "status": "queued"}}"#,
            r#"task status "queued" is not one of "created", "processing", "completed", "failed""#,
        ),
        (
            wavespeed(),
            r#"{"data": {"id": "x", "status": "completed", "outputs": [1]}}"#,
            "outputs[0] is not a string",
        ),
        (
            wavespeed(),
            r#"{"data": {"id": "x", "status": "completed", "outputs": "x"}}"#,
            "the task's outputs is not an array",
        ),
    ];
    for (shape, body, message) in cases {
        let e = error(shape, 200, &[], body);
        assert_eq!(e.kind, ErrorKind::Malformed, "{body}");
        assert_eq!(e.message, message, "{body}");
        assert_eq!(e.status, Some(200));
    }
}

#[test]
fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    let body = "[".repeat(100_000);
    let e = error(openai(), 200, &[], &body);
    assert_eq!(e.kind, ErrorKind::Malformed);
    assert!(
        e.message.contains("recursion limit exceeded"),
        "{}",
        e.message
    );
    let nested = format!("{}{}", r#"{"error": "#.repeat(50_000), "1");
    let e = error(openai(), 500, &[], &nested);
    assert_eq!(e.kind, ErrorKind::ServerError);
}

#[test]
fn a_body_above_the_cap_is_refused_before_parsing() {
    let body = vec![b' '; wire::MAX_BODY_BYTES + 1];
    let e = wire::parse_response(openai(), 200, &[], &body).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooLarge);
    assert_eq!(
        e.to_string(),
        r#"response too large (HTTP 200): "body of 67108865 bytes is above the limit of 67108864""#
    );
}

#[test]
fn long_messages_are_cut_to_500_characters() {
    let long = "x".repeat(10_000);
    let e = error(
        openai(),
        400,
        &[],
        &format!(r#"{{"error": {{"message": "{long}"}}}}"#),
    );
    assert_eq!(e.message.chars().count(), 503);
    assert!(e.message.ends_with("..."));
}

#[test]
fn an_error_body_without_a_message_is_quoted_as_serde_json_writes_it_keys_sorted() {
    let e = error(
        openai(),
        500,
        &[],
        r#"{"z": 1.50, "a": [2e3, -0], "z": {"y": null, "b": "x"}}"#,
    );
    assert_eq!(e.message, r#"{"a":[2000.0,-0.0],"z":{"b":"x","y":null}}"#);
}

#[test]
fn a_numeric_error_code_is_kept_as_serde_json_writes_it() {
    let e = error(
        openai(),
        400,
        &[],
        r#"{"error": {"message": "no", "type": "invalid_request_error", "code": 1.50}}"#,
    );
    assert_eq!(e.code.as_deref(), Some("1.5"));
}

#[test]
fn a_success_body_that_is_not_utf8_fails_where_serde_json_stops() {
    let cases: [(&[u8], &str); 3] = [
        (
            b"{\"data\": [{\"url\": \"https://x\xff\"}]}",
            "the images body is not valid JSON: invalid unicode code point at line 1 column 29",
        ),
        (
            b"{\n\"data\": \xff}",
            "the images body is not valid JSON: expected value at line 2 column 9",
        ),
        (
            b"{\"data\" 1 \xff}",
            "the images body is not valid JSON: expected `:` at line 1 column 9",
        ),
    ];
    for (body, message) in cases {
        let e = wire::parse_response(openai(), 200, &[], body).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Malformed);
        assert_eq!(e.message, message);
    }
}

#[test]
fn invalid_utf8_and_control_bytes_give_a_printable_message() {
    let body = b"\xff\xfe\x00oops\x07\x1b[31m red";
    let e = wire::parse_response(openai(), 500, &[], body).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ServerError);
    assert!(!e.message.chars().any(char::is_control), "{:?}", e.message);
    let ok = wire::parse_response(openai(), 200, &[], body).unwrap_err();
    assert_eq!(ok.kind, ErrorKind::Malformed);
}

#[test]
fn an_overlong_task_id_is_refused() {
    let id = "a".repeat(300);
    let e = error(
        wavespeed(),
        200,
        &[],
        &format!(r#"{{"data": {{"id": "{id}", "status": "created"}}}}"#),
    );
    assert_eq!(e.message, "the task id is longer than 256 bytes");
}

#[test]
fn hostile_retry_after_values_are_ignored() {
    for value in [
        "-1",
        "1e9999",
        "99999999999999999999999",
        "NaN",
        "inf",
        "",
        " ",
        "1.2.3",
        "０",
    ] {
        assert_eq!(wire::parse_retry_after(value), None, "{value:?}");
    }
    assert_eq!(
        wire::parse_retry_after("18446744073709551615"),
        Some(Duration::from_secs(u64::MAX))
    );
}

fn any_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just("data".to_owned()),
            Just("completed".to_owned()),
            Just("https://x/y".to_owned()),
            "[a-z0-9 =+/]{0,12}".prop_map(String::from),
            any::<String>(),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        let keys = prop_oneof![
            Just("data".to_owned()),
            Just("error".to_owned()),
            Just("id".to_owned()),
            Just("status".to_owned()),
            Just("outputs".to_owned()),
            Just("urls".to_owned()),
            Just("url".to_owned()),
            Just("b64_json".to_owned()),
            Just("code".to_owned()),
            Just("message".to_owned()),
            Just("usage".to_owned()),
            Just("size".to_owned()),
            "[a-z_]{1,8}".prop_map(String::from),
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn any_shape() -> impl Strategy<Value = &'static Response> {
    prop_oneof![Just(openai()), Just(wavespeed())]
}

proptest! {
    #[test]
    fn random_bytes_never_panic(shape in any_shape(), status in any::<u16>(), body in proptest::collection::vec(any::<u8>(), 0..512), retry in ".{0,12}") {
        let headers = [("retry-after", retry.as_str()), ("retry-after-ms", retry.as_str())];
        let _ = wire::parse_response(shape, status, &headers, &body);
    }

    #[test]
    fn random_json_never_panics_and_errors_keep_their_status(shape in any_shape(), status in prop_oneof![Just(200u16), Just(400), Just(429), Just(503), any::<u16>()], value in any_json()) {
        let body = value.to_string();
        match wire::parse_response(shape, status, &[], body.as_bytes()) {
            Ok(Outcome::Images(result)) => {
                for image in &result.images {
                    prop_assert!(image.url.is_some() || image.b64_json.is_some());
                    let _ = image.decode();
                }
            }
            Ok(Outcome::Task(task)) => {
                // A task answer has an id or a status (kie's first answer
                // has only the id, fal's status answers only the status).
                prop_assert!(!task.id.is_empty() || !task.status.is_empty());
                let profile = builtin_profile("wavespeed").unwrap();
                let _ = wire::next_poll(profile, &task, 0, &PollPolicy::default());
            }
            Ok(_) => {}
            Err(e) => {
                prop_assert!(e.status.is_some());
                prop_assert!(e.message.chars().count() <= 503 + 600);
                let _ = e.to_string();
            }
        }
    }
}

// ---------------------------------------------------------------- polling

#[test]
fn a_running_task_is_polled_at_the_profiles_poll_path_with_growing_waits() {
    let p = profile("wavespeed");
    let t = task(
        r#"{"code": 200, "data": {"id": "p 1/x", "status": "created", "urls": {"get": "https://evil.example/steal"}}}"#,
    );
    let policy = PollPolicy::default();
    let mut waits = Vec::new();
    for polls in 0..6 {
        match wire::next_poll(p, &t, polls, &policy) {
            PollStep::Wait { after, call } => {
                assert_eq!(call.method, Method::Get);
                assert_eq!(
                    call.url,
                    "https://api.wavespeed.ai/api/v3/predictions/p%201%2Fx"
                );
                assert_eq!(call.body, None);
                assert_eq!(call.headers.len(), 1);
                assert_eq!(call.headers[0].value, "Bearer <WAVESPEED_API_KEY>");
                waits.push(after.as_secs());
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(waits, [1, 1, 2, 4, 5, 5]);
}

#[test]
fn polling_gives_up_at_the_cap() {
    let p = profile("wavespeed");
    let t = task(r#"{"data": {"id": "t", "status": "processing"}}"#);
    let policy = PollPolicy {
        max_polls: 3,
        ..PollPolicy::default()
    };
    assert_eq!(
        wire::next_poll(p, &t, 3, &policy),
        PollStep::GiveUp { polls: 3 }
    );
}

#[test]
fn finished_tasks_end_the_polling() {
    let p = profile("wavespeed");
    let done =
        task(r#"{"data": {"id": "t", "status": "completed", "outputs": ["https://cdn/x.png"]}}"#);
    match wire::next_poll(p, &done, 0, &PollPolicy::default()) {
        PollStep::Done(result) => assert_eq!(result.images.len(), 1),
        other => panic!("{other:?}"),
    }
    let failed = task(r#"{"data": {"id": "t", "status": "failed", "error": "GPU out of memory"}}"#);
    match wire::next_poll(p, &failed, 0, &PollPolicy::default()) {
        PollStep::Failed(e) => {
            assert_eq!(e.kind, ErrorKind::Unknown);
            assert_eq!(e.to_string(), r#"unknown error: "GPU out of memory""#);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn without_a_poll_path_the_tasks_own_url_is_used_and_without_either_polling_fails() {
    let text = include_str!("../data/profiles/wavespeed.json")
        .replace(r#""poll_path": "/api/v3/predictions/{id}","#, "");
    let p = Profile::from_json(&text).unwrap();
    assert_eq!(p.response.task.as_ref().unwrap().poll_path, None);
    let with_url = task(
        r#"{"data": {"id": "t", "status": "created", "urls": {"get": "https://api.wavespeed.ai/x/t"}}}"#,
    );
    assert_eq!(
        wire::poll_call(&p, &with_url).unwrap().url,
        "https://api.wavespeed.ai/x/t"
    );
    let without = task(r#"{"data": {"id": "t", "status": "created"}}"#);
    match wire::next_poll(&p, &without, 0, &PollPolicy::default()) {
        PollStep::Failed(e) => assert_eq!(
            e.message,
            r#"task "t" cannot be polled: wavespeed has no poll path and the task no poll URL"#
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn poll_delays_saturate_instead_of_overflowing() {
    let policy = PollPolicy {
        first_delay: Duration::MAX,
        interval: Duration::MAX,
        max_interval: Duration::from_secs(1),
        max_polls: u32::MAX,
    };
    assert_eq!(policy.delay(0), Duration::MAX);
    assert_eq!(policy.delay(u32::MAX), Duration::MAX);
}

#[test]
fn error_texts_stay_within_1024_bytes_in_any_script() {
    // 500 characters of a three-byte script, or of replacement characters
    // for bytes that are not UTF-8, would be 1500 bytes.
    let cjk = "水".repeat(2_000);
    let bodies: [Vec<u8>; 3] = [
        format!(r#"{{"error": {{"message": "{cjk}", "type": "{cjk}", "param": "{cjk}", "code": "{cjk}"}}}}"#)
            .into_bytes(),
        cjk.clone().into_bytes(),
        vec![0xFF; 4_000],
    ];
    for body in &bodies {
        for shape in [openai(), wavespeed()] {
            let e = wire::parse_response(shape, 400, &[], body).unwrap_err();
            for text in [
                Some(&e.message),
                e.error_type.as_ref(),
                e.param.as_ref(),
                e.code.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                assert!(text.len() <= 1024, "{} bytes", text.len());
                assert!(text.ends_with("..."), "{text}");
            }
        }
    }
}

proptest! {
    #[test]
    fn provider_messages_are_kept_whole_or_cut_to_a_prefix_within_both_limits(message in ".{1,1200}") {
        let body = serde_json::json!({"error": {"message": message}}).to_string();
        let e = wire::parse_response(openai(), 400, &[], body.as_bytes()).unwrap_err();
        prop_assert!(e.message.len() <= 1024);
        prop_assert!(e.message.chars().count() <= 503);
        if message.len() <= 1024 && message.chars().count() <= 500 {
            prop_assert_eq!(&e.message, &message);
        } else {
            let kept = e.message.strip_suffix("...").unwrap();
            prop_assert!(message.starts_with(kept));
            // Cut no shorter than the limits force: one more character would break one.
            let next = message[kept.len()..].chars().next().unwrap();
            prop_assert!(kept.chars().count() == 500 || kept.len() + next.len_utf8() > 1021);
        }
    }
}

#[test]
fn a_task_answer_may_leave_out_its_status_or_its_id() {
    // kie's first answer holds only the id; fal's status answers only the status.
    let accepted = task(r#"{"data": {"id": "x"}}"#);
    assert_eq!(
        (
            accepted.id.as_str(),
            accepted.status.as_str(),
            accepted.state
        ),
        ("x", "", TaskState::Pending)
    );
    let later = task(r#"{"data": {"status": "processing"}}"#).after(&accepted);
    assert_eq!((later.id.as_str(), later.state), ("x", TaskState::Pending));
}
