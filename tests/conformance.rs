//! One conformance suite per built-in provider profile: every value the
//! provider's document lists is accepted there, values it does not list are
//! refused, and each oddity of the document holds. Expectations come from the
//! seeds in shared/seeds/ and from shared/REFERENCE.md, not from the code.

use gpt_image_plan::{
    Field, ModelIn, NType, ParamValue, Profile, ResponseFormat, ResponseShape, Size, SizeSpec,
    Support, Tier, UnknownFields, builtin_profile, builtin_profiles, validate_json,
    validate_json_on,
};
use serde_json::{Value, json};

const PROMPT: &str = "a lighthouse at dusk";

#[track_caller]
fn profile(id: &str) -> &'static Profile {
    builtin_profile(id).unwrap_or_else(|| panic!("no built-in profile {id:?}"))
}

/// A default's text (`"auto"`, `"png"`), when it has one.
fn text_default<'a>(d: &'a gpt_image_plan::Defaults, name: &str) -> Option<&'a str> {
    d.get(name).and_then(|v| v.as_text())
}

/// `base` with the fields of `extra` added or replaced.
fn with(base: &Value, extra: Value) -> Value {
    let mut out = base.clone();
    if let (Some(out), Value::Object(extra)) = (out.as_object_mut(), extra) {
        out.extend(extra);
    }
    out
}

/// A day before dall-e-2 and dall-e-3 were shut down (2026-05-12) and before
/// gpt-image-1-mini and gpt-image-1.5 were announced deprecated (2026-06-02),
/// for the checks of those models' own rules: on the catalog's date they are
/// all refused as `model.retired`.
const BEFORE_SHUTDOWNS: &str = "2026-05-01";

/// The codes of every finding, errors and warnings, in order.
#[track_caller]
fn codes(profile_id: &str, body: &Value) -> Vec<String> {
    validate_json(&body.to_string(), profile(profile_id))
        .codes()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// [`codes`], with lifecycles judged on `date`.
#[track_caller]
fn codes_on(date: &str, profile_id: &str, body: &Value) -> Vec<String> {
    validate_json_on(
        &body.to_string(),
        profile(profile_id),
        date.parse().unwrap(),
    )
    .codes()
    .iter()
    .map(ToString::to_string)
    .collect()
}

/// [`assert_codes`] on `date`.
#[track_caller]
fn assert_codes_on(date: &str, profile_id: &str, body: &Value, expected: &[&str]) {
    assert_eq!(
        codes_on(date, profile_id, body),
        expected,
        "{profile_id} on {date}: {body}"
    );
}

/// [`assert_refused`] on `date`.
#[track_caller]
fn assert_refused_on(date: &str, profile_id: &str, body: &Value, code: &str) {
    let report = validate_json_on(
        &body.to_string(),
        profile(profile_id),
        date.parse().unwrap(),
    );
    assert!(!report.is_valid(), "{profile_id} should refuse {body}");
    let first = report.errors().next().map(|d| d.code.to_string());
    assert_eq!(
        first.as_deref(),
        Some(code),
        "{profile_id} on {date}: {body}"
    );
}

/// The body is accepted without a single finding.
#[track_caller]
fn assert_clean(profile_id: &str, body: &Value) {
    assert_eq!(
        codes(profile_id, body),
        Vec::<String>::new(),
        "{profile_id}: {body}"
    );
}

/// The body produces exactly these findings.
#[track_caller]
fn assert_codes(profile_id: &str, body: &Value, expected: &[&str]) {
    assert_eq!(codes(profile_id, body), expected, "{profile_id}: {body}");
}

/// The body is refused (has at least one error) and the first finding has `code`.
#[track_caller]
fn assert_refused(profile_id: &str, body: &Value, code: &str) {
    let report = validate_json(&body.to_string(), profile(profile_id));
    assert!(!report.is_valid(), "{profile_id} should refuse {body}");
    let first = report.errors().next().map(|d| d.code.to_string());
    assert_eq!(first.as_deref(), Some(code), "{profile_id}: {body}");
}

#[track_caller]
fn rules<'p>(profile_id: &str, model: &str) -> &'p gpt_image_plan::ModelRules {
    &profile(profile_id)
        .model(model)
        .unwrap_or_else(|| panic!("{profile_id} does not serve {model}"))
        .rules
}

fn sizes(list: &[&str]) -> Vec<Size> {
    list.iter().map(|s| s.parse().unwrap()).collect()
}

// ---------------------------------------------------------------- all profiles

#[test]
fn the_thirteen_built_in_profiles_load() {
    let ids: Vec<&str> = builtin_profiles().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "openai",
            "wavespeed",
            "enum-sizes",
            "uniall",
            "infinityblue",
            "all-required",
            "azure-openai",
            "fal",
            "replicate",
            "kie",
            "evolink",
            "pixapi",
            "openrouter"
        ]
    );
    for p in builtin_profiles() {
        assert_eq!(
            Profile::from_json(&serde_json_of(p)).as_ref().map(|_| ()),
            Ok(())
        );
    }
}

/// A profile document that reloads to the same profile: the resolved rules as
/// each model's patch over the catalog.
fn serde_json_of(p: &Profile) -> String {
    let models: Vec<Value> = p
        .models
        .iter()
        .map(|m| json!({"name": m.name, "model": m.model, "rules": m.rules, "note": m.note, "send_as": m.send_as}))
        .collect();
    json!({
        "id": p.id, "name": p.name, "source": p.source, "as_of": p.as_of,
        "base_url": p.base_url, "path": p.path, "model_in": p.model_in, "n_type": p.n_type,
        "request": p.request, "auth": p.auth, "response": p.response, "unknown_fields": p.unknown_fields,
        "default_model": p.default_model, "models": models,
        "refused_models": p.refused_models, "notes": p.notes,
    })
    .to_string()
}

#[test]
fn resolved_profiles_reload_to_the_same_rules() {
    for p in builtin_profiles() {
        let again = Profile::from_json(&serde_json_of(p)).unwrap();
        assert_eq!(&again, p, "{}", p.id);
    }
}

#[test]
fn every_served_model_accepts_its_own_presets_and_its_own_defaults() {
    for p in builtin_profiles() {
        for m in &p.models {
            for preset in &m.rules.presets {
                assert!(
                    m.rules.sizes.allows(preset.size),
                    "{} {}: preset {} is not allowed",
                    p.id,
                    m.name,
                    preset.size
                );
            }
            if let Some(size) = m.rules.defaults.size() {
                assert!(
                    m.rules.sizes.allows_spec(size),
                    "{} {}: default size",
                    p.id,
                    m.name
                );
            }
            let d = &m.rules.defaults;
            // Every parameter's default is one of its listed values (if it lists any).
            for (name, value) in d.iter() {
                if Field::CORE.iter().any(|f| f.as_str() == name) {
                    continue;
                }
                if let Some(rule) = m.rules.params.get(name) {
                    assert!(rule.lists(value), "{} {}: {name}", p.id, m.name);
                }
            }
            if let Some(n) = d.n() {
                assert!(
                    (m.rules.n.min..=m.rules.n.max).contains(&n),
                    "{} {}",
                    p.id,
                    m.name
                );
            }
        }
    }
}

// ---------------------------------------------------------------- openai

fn openai(model: &str) -> Value {
    json!({"model": model, "prompt": PROMPT})
}

#[test]
fn openai_gpt_image_2_accepts_popular_sizes_and_auto() {
    for size in ["1024x1024", "1536x1024", "1024x1536", "2048x1152", "auto"] {
        assert_clean(
            "openai",
            &with(&openai("gpt-image-2"), json!({"size": size})),
        );
    }
}

#[test]
fn openai_gpt_image_2_calls_sizes_above_2560x1440_pixels_experimental() {
    assert_clean(
        "openai",
        &with(&openai("gpt-image-2"), json!({"size": "2560x1440"})),
    );
    for size in ["2048x2048", "3840x2160", "2160x3840", "2576x1440"] {
        assert_codes(
            "openai",
            &with(&openai("gpt-image-2"), json!({"size": size})),
            &["size.experimental"],
        );
    }
}

#[test]
fn openai_gpt_image_2_refuses_sizes_that_break_the_rule() {
    let base = openai("gpt-image-2");
    assert_codes(
        "openai",
        &with(&base, json!({"size": "1920x1080"})),
        &["size.not_multiple_of_16"],
    );
    assert_codes(
        "openai",
        &with(&base, json!({"size": "800x800"})),
        &["size.too_few_pixels"],
    );
    assert_clean("openai", &with(&base, json!({"size": "816x816"})));
    assert_codes(
        "openai",
        &with(&base, json!({"size": "3008x3008"})),
        &["size.too_many_pixels"],
    );
    assert_codes(
        "openai",
        &with(&base, json!({"size": "3856x1600"})),
        &["size.edge_too_long"],
    );
    assert_codes(
        "openai",
        &with(&base, json!({"size": "3840x1264"})),
        &["size.aspect_too_extreme"],
    );
}

#[test]
fn openai_gpt_image_2_takes_the_documented_parameter_values() {
    let base = openai("gpt-image-2");
    for q in ["low", "medium", "high", "auto"] {
        assert_clean("openai", &with(&base, json!({"quality": q})));
    }
    for q in ["standard", "hd", "xhigh", "max"] {
        assert_refused(
            "openai",
            &with(&base, json!({"quality": q})),
            "quality.unsupported_value",
        );
    }
    for b in ["opaque", "auto"] {
        assert_clean("openai", &with(&base, json!({"background": b})));
    }
    // Transparent backgrounds are in preview for gpt-image-2: valid, with a warning.
    assert_codes(
        "openai",
        &with(&base, json!({"background": "transparent"})),
        &["background.preview"],
    );
    for f in ["png", "jpeg", "webp"] {
        assert_clean("openai", &with(&base, json!({"output_format": f})));
    }
    for m in ["low", "auto"] {
        assert_clean("openai", &with(&base, json!({"moderation": m})));
    }
    for c in [0, 50, 100] {
        assert_clean(
            "openai",
            &with(
                &base,
                json!({"output_format": "jpeg", "output_compression": c}),
            ),
        );
        assert_clean(
            "openai",
            &with(
                &base,
                json!({"output_format": "webp", "output_compression": c}),
            ),
        );
    }
    for n in 1..=10 {
        assert_clean("openai", &with(&base, json!({"n": n})));
    }
    for p in 0..=3 {
        assert_clean(
            "openai",
            &with(&base, json!({"stream": true, "partial_images": p})),
        );
    }
    assert_clean("openai", &with(&base, json!({"user": "user-1234"})));
}

#[test]
fn openai_gpt_image_2_refuses_what_it_does_not_take() {
    let base = openai("gpt-image-2");
    assert_refused("openai", &with(&base, json!({"n": 0})), "n.out_of_range");
    assert_refused("openai", &with(&base, json!({"n": 11})), "n.out_of_range");
    assert_refused(
        "openai",
        &with(&base, json!({"response_format": "url"})),
        "response_format.not_supported",
    );
    assert_refused(
        "openai",
        &with(&base, json!({"style": "vivid"})),
        "style.not_supported",
    );
    assert_refused(
        "openai",
        &with(&base, json!({"enable_sync_mode": true})),
        "enable_sync_mode.not_supported",
    );
    assert_refused(
        "openai",
        &with(&base, json!({"output_compression": 101})),
        "output_compression.out_of_range",
    );
    assert_refused(
        "openai",
        &with(&base, json!({"partial_images": 4})),
        "partial_images.out_of_range",
    );
    assert_refused(
        "openai",
        &with(
            &base,
            json!({"background": "transparent", "output_format": "jpeg"}),
        ),
        "background.incompatible",
    );
}

#[test]
fn openai_refuses_unknown_fields_and_others_ignore_them() {
    assert_eq!(profile("openai").unknown_fields, UnknownFields::Reject);
    assert_refused(
        "openai",
        &with(&openai("gpt-image-2"), json!({"seed": 7})),
        "request.unknown_field",
    );
    for id in [
        "wavespeed",
        "enum-sizes",
        "uniall",
        "infinityblue",
        "all-required",
    ] {
        assert_eq!(profile(id).unknown_fields, UnknownFields::Ignore, "{id}");
    }
}

#[test]
fn openai_gpt_image_1_family_takes_three_sizes_or_auto() {
    for model in ["gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5"] {
        assert_eq!(
            rules("openai", model).sizes.list,
            sizes(&["1024x1024", "1536x1024", "1024x1536"])
        );
        assert!(rules("openai", model).sizes.rule.is_none());
        assert!(rules("openai", model).sizes.auto);
    }
    for size in ["1024x1024", "1536x1024", "1024x1536", "auto"] {
        assert_codes_on(
            BEFORE_SHUTDOWNS,
            "openai",
            &with(&openai("gpt-image-1.5"), json!({"size": size})),
            &[],
        );
    }
    assert_refused_on(
        BEFORE_SHUTDOWNS,
        "openai",
        &with(&openai("gpt-image-1.5"), json!({"size": "2048x2048"})),
        "size.not_offered",
    );
}

#[test]
fn openai_gpt_image_1_is_retired_on_2026_10_23() {
    assert_codes("openai", &openai("gpt-image-1"), &["model.retired"]);
    assert_codes_on(
        "2026-10-22",
        "openai",
        &openai("gpt-image-1"),
        &["model.deprecated"],
    );
    assert_codes_on(
        "2026-10-23",
        "openai",
        &openai("gpt-image-1"),
        &["model.retired"],
    );
}

#[test]
fn openai_gpt_image_1_mini_and_1_5_are_deprecated_from_2026_06_02_and_shut_down_on_2026_12_01() {
    for model in [
        "gpt-image-1-mini",
        "gpt-image-1.5",
        "gpt-image-1.5-2025-12-16",
        "chatgpt-image-latest",
    ] {
        assert_codes_on("2026-06-01", "openai", &openai(model), &[]);
        assert_codes_on(
            "2026-06-02",
            "openai",
            &openai(model),
            &["model.deprecated"],
        );
        assert_codes_on(
            "2026-11-30",
            "openai",
            &openai(model),
            &["model.deprecated"],
        );
        assert_codes_on("2026-12-01", "openai", &openai(model), &["model.retired"]);
        assert_codes("openai", &openai(model), &["model.retired"]);
    }
}

#[test]
fn openai_dall_e_3_takes_its_own_parameters() {
    let base = openai("dall-e-3");
    for size in ["1024x1024", "1792x1024", "1024x1792"] {
        assert_codes_on(
            BEFORE_SHUTDOWNS,
            "openai",
            &with(&base, json!({"size": size})),
            &["model.deprecated"],
        );
    }
    for (field, value) in [
        ("quality", "standard"),
        ("quality", "hd"),
        ("style", "vivid"),
        ("style", "natural"),
        ("response_format", "url"),
        ("response_format", "b64_json"),
    ] {
        assert_codes_on(
            BEFORE_SHUTDOWNS,
            "openai",
            &with(&base, json!({field: value})),
            &["model.deprecated"],
        );
    }
    assert_refused_on(
        BEFORE_SHUTDOWNS,
        "openai",
        &with(&base, json!({"n": 2})),
        "n.out_of_range",
    );
    assert_refused_on(
        BEFORE_SHUTDOWNS,
        "openai",
        &with(&base, json!({"size": "auto"})),
        "size.not_offered",
    );
    assert_refused_on(
        BEFORE_SHUTDOWNS,
        "openai",
        &with(&base, json!({"quality": "high"})),
        "quality.unsupported_value",
    );
    assert_refused_on(
        BEFORE_SHUTDOWNS,
        "openai",
        &with(&base, json!({"background": "opaque"})),
        "background.not_supported",
    );
    assert_refused_on(
        BEFORE_SHUTDOWNS,
        "openai",
        &with(&base, json!({"prompt": "a".repeat(4001)})),
        "prompt.too_long",
    );
    assert_codes_on(
        BEFORE_SHUTDOWNS,
        "openai",
        &with(&base, json!({"prompt": "a".repeat(4000)})),
        &["model.deprecated"],
    );
}

#[test]
fn openai_dall_e_2_takes_three_square_sizes_and_1000_characters() {
    let base = openai("dall-e-2");
    for size in ["256x256", "512x512", "1024x1024"] {
        assert_codes_on(
            BEFORE_SHUTDOWNS,
            "openai",
            &with(&base, json!({"size": size})),
            &["model.deprecated"],
        );
    }
    assert_refused_on(
        BEFORE_SHUTDOWNS,
        "openai",
        &with(&base, json!({"size": "1792x1024"})),
        "size.not_offered",
    );
    assert_codes_on(
        BEFORE_SHUTDOWNS,
        "openai",
        &with(&base, json!({"n": 10})),
        &["model.deprecated"],
    );
    assert_refused_on(
        BEFORE_SHUTDOWNS,
        "openai",
        &with(&base, json!({"prompt": "a".repeat(1001)})),
        "prompt.too_long",
    );
}

#[test]
fn openai_serves_the_dated_snapshot_with_gpt_image_2_rules() {
    assert_eq!(
        rules("openai", "gpt-image-2-2026-04-21"),
        rules("openai", "gpt-image-2")
    );
    assert_clean(
        "openai",
        &with(
            &openai("gpt-image-2-2026-04-21"),
            json!({"size": "1024x768"}),
        ),
    );
}

#[test]
fn openai_defaults_are_the_documented_ones() {
    let d = &rules("openai", "gpt-image-2").defaults;
    assert_eq!(d.n(), Some(1));
    assert_eq!(d.size(), Some(SizeSpec::Auto));
    assert_eq!(d.get("quality").and_then(ParamValue::as_text), Some("auto"));
    assert_eq!(
        d.get("background").and_then(ParamValue::as_text),
        Some("auto")
    );
    assert_eq!(
        d.get("output_format").and_then(ParamValue::as_text),
        Some("png")
    );
    assert_eq!(d.get("output_compression"), Some(&ParamValue::Int(100)));
    assert_eq!(
        d.get("moderation").and_then(ParamValue::as_text),
        Some("auto")
    );
}

// ---------------------------------------------------------------- seed 000: wavespeed

fn wavespeed(model: &str) -> Value {
    json!({"model": model, "prompt": PROMPT})
}

#[test]
fn seed_000_wavespeed_puts_the_model_in_the_path_and_answers_with_a_task() {
    let p = profile("wavespeed");
    assert_eq!(p.model_in, ModelIn::Path);
    assert_eq!(p.path, "/api/v3/openai/{model}/text-to-image");
    assert_eq!(p.response.kind(), ResponseShape::Task);
    let task = p.response.task.as_ref().unwrap();
    assert_eq!(task.poll_path.as_deref(), Some("/api/v3/predictions/{id}"));
    assert_eq!(task.done, ["completed"]);
}

#[test]
fn seed_000_wavespeed_takes_n_from_1_to_10() {
    for n in 1..=10 {
        assert_clean(
            "wavespeed",
            &with(&wavespeed("gpt-image-2"), json!({"n": n})),
        );
    }
    assert_refused(
        "wavespeed",
        &with(&wavespeed("gpt-image-2"), json!({"n": 0})),
        "n.out_of_range",
    );
    assert_refused(
        "wavespeed",
        &with(&wavespeed("gpt-image-2"), json!({"n": 11})),
        "n.out_of_range",
    );
}

#[test]
fn seed_000_wavespeed_takes_quality_auto_high_medium_low() {
    for q in ["auto", "high", "medium", "low"] {
        assert_clean(
            "wavespeed",
            &with(&wavespeed("gpt-image-2"), json!({"quality": q})),
        );
    }
    assert_refused(
        "wavespeed",
        &with(&wavespeed("gpt-image-2"), json!({"quality": "hd"})),
        "quality.unsupported_value",
    );
    assert_eq!(
        rules("wavespeed", "gpt-image-2")
            .defaults
            .get("quality")
            .and_then(ParamValue::as_text),
        Some("auto")
    );
}

#[test]
fn seed_000_wavespeed_takes_response_format_url_or_b64_json_defaulting_to_url() {
    for f in ["url", "b64_json"] {
        assert_clean(
            "wavespeed",
            &with(&wavespeed("gpt-image-2"), json!({"response_format": f})),
        );
    }
    for model in ["gpt-image-2", "gpt-image-1"] {
        assert_eq!(
            rules("wavespeed", model).defaults.get("response_format"),
            Some(&ParamValue::from(ResponseFormat::Url))
        );
    }
}

#[test]
fn seed_000_wavespeed_takes_enable_sync_mode_defaulting_to_false() {
    for sync in [true, false] {
        assert_clean(
            "wavespeed",
            &with(&wavespeed("gpt-image-2"), json!({"enable_sync_mode": sync})),
        );
    }
    let r = rules("wavespeed", "gpt-image-2");
    assert_eq!(r.param("enable_sync_mode").support, Support::Supported);
    assert_eq!(
        r.defaults.get("enable_sync_mode"),
        Some(&ParamValue::Bool(false))
    );
}

#[test]
fn seed_000_wavespeed_gpt_image_1_takes_three_sizes_defaults_to_1024x1024_and_has_no_auto() {
    let r = rules("wavespeed", "gpt-image-1");
    assert_eq!(
        r.sizes.list,
        sizes(&["1024x1024", "1536x1024", "1024x1536"])
    );
    assert_eq!(
        r.defaults.size(),
        Some(SizeSpec::Size(Size::new(1024, 1024)))
    );
    assert!(!r.sizes.auto);
    let base = wavespeed("gpt-image-1");
    for size in ["1024x1024", "1536x1024", "1024x1536"] {
        assert_codes_on(
            BEFORE_SHUTDOWNS,
            "wavespeed",
            &with(&base, json!({"size": size})),
            &["model.deprecated"],
        );
    }
    assert_refused_on(
        BEFORE_SHUTDOWNS,
        "wavespeed",
        &with(&base, json!({"size": "auto"})),
        "size.not_offered",
    );
    assert_refused_on(
        BEFORE_SHUTDOWNS,
        "wavespeed",
        &with(&base, json!({"size": "2048x2048"})),
        "size.not_offered",
    );
}

#[test]
fn seed_000_wavespeed_gpt_image_2_takes_its_listed_sizes_and_any_size_under_the_rule_but_not_auto()
{
    let base = wavespeed("gpt-image-2");
    for size in [
        "1024x1024",
        "1536x1024",
        "1024x1536",
        "2048x2048",
        "2048x1152",
        "3840x2160",
        "2160x3840",
        "1024x768",
        "1744x2480",
    ] {
        assert_clean("wavespeed", &with(&base, json!({"size": size})));
    }
    assert_eq!(
        rules("wavespeed", "gpt-image-2").defaults.size(),
        Some(SizeSpec::Size(Size::new(1024, 1024)))
    );
    assert_refused(
        "wavespeed",
        &with(&base, json!({"size": "auto"})),
        "size.not_offered",
    );
    assert_refused(
        "wavespeed",
        &with(&base, json!({"size": "1920x1080"})),
        "size.not_multiple_of_16",
    );
}

#[test]
fn seed_000_wavespeed_prompt_is_1_to_32000_characters() {
    let base = wavespeed("gpt-image-2");
    assert_clean(
        "wavespeed",
        &with(&base, json!({"prompt": "a".repeat(32_000)})),
    );
    assert_refused(
        "wavespeed",
        &with(&base, json!({"prompt": "a".repeat(32_001)})),
        "prompt.too_long",
    );
    assert_refused(
        "wavespeed",
        &with(&base, json!({"prompt": ""})),
        "prompt.empty",
    );
    assert_refused(
        "wavespeed",
        &json!({"model": "gpt-image-2"}),
        "prompt.missing",
    );
}

#[test]
fn seed_000_wavespeed_does_not_document_the_other_gpt_image_parameters() {
    for (field, value) in [
        ("background", json!("opaque")),
        ("output_format", json!("png")),
        ("output_compression", json!(80)),
        ("moderation", json!("low")),
        ("stream", json!(false)),
        ("user", json!("u1")),
    ] {
        assert_codes(
            "wavespeed",
            &with(&wavespeed("gpt-image-2"), json!({field: value})),
            &[&format!("{field}.undocumented")],
        );
    }
}

// ---------------------------------------------------------------- seed 001: enum-sizes

const SEED_001_SIZES: [&str; 18] = [
    "1024x1024",
    "1024x1536",
    "1536x1024",
    "2048x2048",
    "2048x1152",
    "3840x2160",
    "2160x3840",
    "2048x1360",
    "1360x2048",
    "1152x2048",
    "2048x1536",
    "1536x2048",
    "2048x880",
    "880x2048",
    "688x2048",
    "2048x688",
    "2048x1024",
    "1024x2048",
];

fn enum_sizes() -> Value {
    json!({"model": "gpt-image-2", "prompt": PROMPT})
}

#[test]
fn seed_001_lists_exactly_18_sizes_and_auto() {
    let r = rules("enum-sizes", "gpt-image-2");
    assert!(r.sizes.rule.is_none());
    assert_eq!(r.sizes.list, sizes(&SEED_001_SIZES));
    assert!(r.sizes.auto);
    for size in SEED_001_SIZES.iter().chain(&["auto"]) {
        assert_clean("enum-sizes", &with(&enum_sizes(), json!({"size": size})));
    }
}

#[test]
fn seed_001_refuses_sizes_it_does_not_list_even_when_the_rule_allows_them() {
    for size in ["1024x768", "1920x1088", "2560x1440", "816x816"] {
        assert_codes(
            "enum-sizes",
            &with(&enum_sizes(), json!({"size": size})),
            &["size.not_offered"],
        );
    }
}

#[test]
fn seed_001_takes_n_from_1_to_10_and_may_return_fewer() {
    for n in 1..=10 {
        assert_clean("enum-sizes", &with(&enum_sizes(), json!({"n": n})));
    }
    assert_refused(
        "enum-sizes",
        &with(&enum_sizes(), json!({"n": 11})),
        "n.out_of_range",
    );
    assert!(profile("enum-sizes").response.may_return_fewer);
}

#[test]
fn seed_001_takes_only_its_listed_values() {
    let base = enum_sizes();
    for (field, good, bad) in [
        (
            "quality",
            &["low", "medium", "high"][..],
            &["auto", "hd"][..],
        ),
        ("background", &["opaque", "auto"], &["transparent"]),
        ("moderation", &["low", "auto"], &[]),
        ("output_format", &["png", "jpeg"], &["webp"]),
    ] {
        for value in good {
            assert_clean("enum-sizes", &with(&base, json!({field: value})));
        }
        for value in bad {
            assert_refused(
                "enum-sizes",
                &with(&base, json!({field: value})),
                &format!("{field}.unsupported_value"),
            );
        }
    }
}

#[test]
fn seed_001_png_compression_must_be_100_or_omitted() {
    let base = enum_sizes();
    for c in [0, 1, 50, 99, 100] {
        assert_clean(
            "enum-sizes",
            &with(
                &base,
                json!({"output_format": "jpeg", "output_compression": c}),
            ),
        );
    }
    assert_clean(
        "enum-sizes",
        &with(
            &base,
            json!({"output_format": "png", "output_compression": 100}),
        ),
    );
    assert_clean("enum-sizes", &with(&base, json!({"output_format": "png"})));
    for c in [0, 50, 99] {
        assert_codes(
            "enum-sizes",
            &with(
                &base,
                json!({"output_format": "png", "output_compression": c}),
            ),
            &["output_compression.incompatible"],
        );
    }
    assert_refused(
        "enum-sizes",
        &with(
            &base,
            json!({"output_format": "jpeg", "output_compression": 101}),
        ),
        "output_compression.out_of_range",
    );
}

#[test]
fn seed_001_prompt_length_limit_is_0_to_32000() {
    assert_clean("enum-sizes", &with(&enum_sizes(), json!({"prompt": ""})));
    assert_clean(
        "enum-sizes",
        &with(&enum_sizes(), json!({"prompt": "a".repeat(32_000)})),
    );
    assert_refused(
        "enum-sizes",
        &with(&enum_sizes(), json!({"prompt": "a".repeat(32_001)})),
        "prompt.too_long",
    );
}

// ---------------------------------------------------------------- seed 002: uniall

/// Seed 002's gpt-image-2-origin tables, row by row: (tier, sizes).
const SEED_002_TABLES: [(Tier, &[&str]); 3] = [
    (
        Tier::K1,
        &[
            "1024x768",
            "1344x1024",
            "768x1024",
            "1024x1344",
            "1280x1024",
            "1024x1280",
            "1360x768",
            "1536x864",
            "768x1360",
            "864x1536",
            "1024x1024",
            "1536x1024",
            "1024x1536",
            "2048x1024",
            "1024x2048",
            "2016x864",
            "864x2016",
        ],
    ),
    (
        Tier::K2,
        &[
            "1920x1080",
            "2048x1152",
            "2560x1440",
            "1080x1920",
            "1152x2048",
            "1440x2560",
            "1536x1536",
            "2048x1360",
            "2160x1440",
            "1360x2048",
            "1440x2160",
            "2048x1536",
            "1536x2048",
            "2688x1344",
            "1344x2688",
            "2688x1152",
            "1152x2688",
            "2560x2048",
            "2048x2560",
        ],
    ),
    (
        Tier::K4,
        &[
            "2048x2048",
            "2880x2880",
            "3264x2448",
            "2448x3264",
            "3504x2336",
            "2336x3504",
            "3840x1920",
            "1920x3840",
            "3840x1648",
            "1648x3840",
            "3840x2160",
            "2160x3840",
        ],
    ),
];

fn uniall(model: &str) -> Value {
    json!({"model": model, "prompt": PROMPT, "n": "1"})
}

#[test]
fn seed_002_origin_accepts_every_table_size_and_no_other() {
    let r = rules("uniall", "gpt-image-2-origin");
    let all: Vec<&str> = SEED_002_TABLES
        .iter()
        .flat_map(|(_, s)| s.iter().copied())
        .collect();
    assert_eq!(all.len(), 48);
    let mut listed = r.sizes.list.clone();
    let mut expected = sizes(&all);
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
    assert!(r.sizes.rule.is_none());
    for size in &all {
        assert_clean(
            "uniall",
            &with(&uniall("gpt-image-2-origin"), json!({"size": size})),
        );
    }
    for size in ["auto", "1920x1088", "1024x1792", "816x816", "3840x2144"] {
        assert_refused(
            "uniall",
            &with(&uniall("gpt-image-2-origin"), json!({"size": size})),
            "size.not_offered",
        );
    }
}

#[test]
fn seed_002_origin_accepts_1920x1080_and_1080x1920_though_they_break_the_rule() {
    for size in ["1920x1080", "1080x1920"] {
        assert!(!gpt_image_plan::SizeRule::GPT_IMAGE_2.allows(size.parse().unwrap()));
        assert_clean(
            "uniall",
            &with(&uniall("gpt-image-2-origin"), json!({"size": size})),
        );
    }
}

#[test]
fn seed_002_origin_tiers_follow_the_tables() {
    let presets = &rules("uniall", "gpt-image-2-origin").presets;
    assert_eq!(presets.len(), 48);
    for (tier, table) in SEED_002_TABLES {
        for size in table {
            let size: Size = size.parse().unwrap();
            let preset = presets.iter().find(|p| p.size == size).unwrap();
            assert_eq!(preset.tier, Some(tier), "{size}");
        }
    }
}

#[test]
fn seed_002_auto_model_takes_only_auto() {
    assert_clean(
        "uniall",
        &with(&uniall("gpt-image-2-auto"), json!({"size": "auto"})),
    );
    assert_clean("uniall", &uniall("gpt-image-2-auto"));
    assert_refused(
        "uniall",
        &with(&uniall("gpt-image-2-auto"), json!({"size": "1024x1024"})),
        "size.not_offered",
    );
}

#[test]
fn seed_002_n_is_a_string_and_required() {
    let p = profile("uniall");
    assert_eq!(p.n_type, NType::String);
    assert_clean(
        "uniall",
        &with(&uniall("gpt-image-2-origin"), json!({"n": "4"})),
    );
    let mut body = uniall("gpt-image-2-origin");
    body.as_object_mut().unwrap().remove("n");
    assert_codes("uniall", &body, &["n.defaulted"]);
}

#[test]
fn seed_002_model_is_optional_and_defaults_to_gpt_image_2_origin() {
    assert_eq!(
        profile("uniall").default_model.as_deref(),
        Some("gpt-image-2-origin")
    );
    assert_clean(
        "uniall",
        &json!({"prompt": PROMPT, "n": "1", "size": "1920x1080"}),
    );
}

#[test]
fn seed_002_quality_is_low_medium_or_high_and_formats_are_png_jpeg_webp() {
    let base = uniall("gpt-image-2-origin");
    for q in ["low", "medium", "high"] {
        assert_clean("uniall", &with(&base, json!({"quality": q})));
    }
    assert_refused(
        "uniall",
        &with(&base, json!({"quality": "auto"})),
        "quality.unsupported_value",
    );
    for f in ["png", "jpeg", "webp"] {
        assert_clean("uniall", &with(&base, json!({"output_format": f})));
    }
    assert_eq!(
        rules("uniall", "gpt-image-2-origin")
            .defaults
            .get("output_format")
            .and_then(ParamValue::as_text),
        Some("png")
    );
}

#[test]
fn seed_002_prompt_limits_are_per_model() {
    for (model, max) in [
        ("gpt-image-2-origin", 32_000),
        ("gpt-image-2-auto", 32_000),
        ("gpt-image-1", 32_000),
        ("dall-e-3", 4_000),
        ("dall-e-2", 1_000),
    ] {
        assert_eq!(rules("uniall", model).prompt.max_chars, max, "{model}");
        let over = with(
            &uniall(model),
            json!({"prompt": "a".repeat(max as usize + 1)}),
        );
        assert_refused_on(BEFORE_SHUTDOWNS, "uniall", &over, "prompt.too_long");
    }
}

#[test]
fn seed_002_path_ends_with_a_slash() {
    assert_eq!(profile("uniall").path, "/v1/images/generations/");
}

// ---------------------------------------------------------------- seed 003: infinityblue

fn infinityblue() -> Value {
    json!({"model": "gpt-image-2", "prompt": PROMPT})
}

#[test]
fn seed_003_serves_only_gpt_image_2_and_refuses_snapshots() {
    let p = profile("infinityblue");
    let names: Vec<&str> = p.models.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["gpt-image-2"]);
    assert_eq!(p.models[0].model, "gpt-image-2");
    assert_codes(
        "infinityblue",
        &json!({"model": "gpt-image-2-2026-04-21", "prompt": PROMPT}),
        &["model.unavailable"],
    );
    assert_codes(
        "infinityblue",
        &json!({"model": "gpt-image-1", "prompt": PROMPT}),
        &["model.unknown"],
    );
}

#[test]
fn seed_003_takes_the_rule_the_seven_presets_and_auto_by_default() {
    let r = rules("infinityblue", "gpt-image-2");
    assert_eq!(r.sizes.rule, Some(gpt_image_plan::SizeRule::GPT_IMAGE_2));
    assert_eq!(r.defaults.size(), Some(SizeSpec::Auto));
    let presets: Vec<Size> = r.presets.iter().map(|p| p.size).collect();
    let seed = [
        "1024x1024",
        "1536x1024",
        "1024x1536",
        "2048x2048",
        "2048x1152",
        "3840x2160",
        "2160x3840",
    ];
    assert_eq!(presets, sizes(&seed));
    for size in seed.iter().chain(&["auto", "1024x768"]) {
        assert_clean(
            "infinityblue",
            &with(&infinityblue(), json!({"size": size})),
        );
    }
    assert_refused(
        "infinityblue",
        &with(&infinityblue(), json!({"size": "1920x1080"})),
        "size.not_multiple_of_16",
    );
}

#[test]
fn seed_003_quality_stream_partial_images_and_style_are_accepted_with_no_effect() {
    let base = infinityblue();
    for q in ["low", "medium", "high", "auto"] {
        assert_codes(
            "infinityblue",
            &with(&base, json!({"quality": q})),
            &["quality.no_effect"],
        );
    }
    assert_codes(
        "infinityblue",
        &with(&base, json!({"stream": true})),
        &["stream.no_effect"],
    );
    for p in 0..=3 {
        assert_codes(
            "infinityblue",
            &with(&base, json!({"partial_images": p})),
            &["partial_images.no_effect"],
        );
    }
    assert_refused(
        "infinityblue",
        &with(&base, json!({"partial_images": 4})),
        "partial_images.out_of_range",
    );
    for s in ["vivid", "natural"] {
        assert_codes(
            "infinityblue",
            &with(&base, json!({"style": s})),
            &["style.no_effect"],
        );
    }
}

#[test]
fn seed_003_n_is_only_1_and_more_is_split_into_calls() {
    let base = infinityblue();
    assert_clean("infinityblue", &with(&base, json!({"n": 1})));
    for n in 2..=10 {
        assert_codes("infinityblue", &with(&base, json!({"n": n})), &["n.split"]);
    }
    assert_refused(
        "infinityblue",
        &with(&base, json!({"n": 11})),
        "n.out_of_range",
    );
    assert_refused(
        "infinityblue",
        &with(&base, json!({"n": 0})),
        "n.out_of_range",
    );
}

#[test]
fn seed_003_refuses_a_transparent_background() {
    let base = infinityblue();
    for b in ["opaque", "auto"] {
        assert_clean("infinityblue", &with(&base, json!({"background": b})));
    }
    assert_codes(
        "infinityblue",
        &with(&base, json!({"background": "transparent"})),
        &["background.unsupported_value"],
    );
}

#[test]
fn seed_003_response_format_defaults_to_b64_json_and_takes_url() {
    let r = rules("infinityblue", "gpt-image-2");
    assert_eq!(
        r.defaults.get("response_format"),
        Some(&ParamValue::from(ResponseFormat::B64Json))
    );
    for f in ["b64_json", "url"] {
        assert_clean(
            "infinityblue",
            &with(&infinityblue(), json!({"response_format": f})),
        );
    }
}

#[test]
fn seed_003_formats_compression_moderation_and_user() {
    let base = infinityblue();
    assert_eq!(
        rules("infinityblue", "gpt-image-2")
            .defaults
            .get("output_format")
            .and_then(ParamValue::as_text),
        Some("png")
    );
    for f in ["png", "jpeg", "webp"] {
        assert_clean("infinityblue", &with(&base, json!({"output_format": f})));
    }
    for f in ["jpeg", "webp"] {
        for c in [0, 100] {
            assert_clean(
                "infinityblue",
                &with(&base, json!({"output_format": f, "output_compression": c})),
            );
        }
    }
    assert_codes(
        "infinityblue",
        &with(&base, json!({"output_compression": 50})),
        &["output_compression.no_effect"],
    );
    for m in ["auto", "low"] {
        assert_clean("infinityblue", &with(&base, json!({"moderation": m})));
    }
    assert_clean("infinityblue", &with(&base, json!({"user": "user-1234"})));
}

// ---------------------------------------------------------------- seed 004: all-required

fn all_required() -> Value {
    json!({"model": "gpt-image-2", "prompt": PROMPT, "size": "1024x1024", "n": 1})
}

#[test]
fn seed_004_accepts_its_own_example() {
    assert_clean(
        "all-required",
        &json!({
            "model": "gpt-image-2",
            "prompt": "A simple red apple on a white table, photorealistic",
            "size": "1024x1024",
            "n": 1
        }),
    );
    assert_eq!(profile("all-required").path, "/api/v1/images/generations");
}

#[test]
fn seed_004_requires_model_prompt_size_and_n() {
    for field in ["model", "prompt", "size", "n"] {
        let mut body = all_required();
        body.as_object_mut().unwrap().remove(field);
        assert_codes("all-required", &body, &[&format!("{field}.missing")]);
    }
    assert_codes("all-required", &json!({}), &["model.missing"]);
    assert_codes(
        "all-required",
        &json!({"model": "gpt-image-2"}),
        &["prompt.missing", "n.missing", "size.missing"],
    );
}

#[test]
fn seed_004_model_is_fixed_as_gpt_image_2() {
    assert_codes(
        "all-required",
        &with(&all_required(), json!({"model": "gpt-image-1"})),
        &["model.unknown"],
    );
}

#[test]
fn seed_004_documents_nothing_else() {
    for (field, value) in [
        ("quality", json!("high")),
        ("background", json!("opaque")),
        ("output_format", json!("png")),
        ("output_compression", json!(80)),
        ("moderation", json!("low")),
        ("response_format", json!("url")),
        ("style", json!("vivid")),
        ("stream", json!(false)),
        ("partial_images", json!(1)),
        ("user", json!("u1")),
        ("enable_sync_mode", json!(true)),
    ] {
        assert_codes(
            "all-required",
            &with(&all_required(), json!({field: value})),
            &[&format!("{field}.undocumented")],
        );
    }
}

// ---------------------------------------------------------------- across profiles

#[test]
fn enable_sync_mode_is_wavespeed_only_refused_by_openai_and_undocumented_at_the_gateways() {
    let body = |model: &str, n: Value| json!({"model": model, "prompt": PROMPT, "n": n, "size": "1024x1024", "enable_sync_mode": true});
    assert_clean("wavespeed", &body("gpt-image-2", json!(1)));
    assert_refused(
        "openai",
        &body("gpt-image-2", json!(1)),
        "enable_sync_mode.not_supported",
    );
    for (id, model) in [
        ("enum-sizes", "gpt-image-2"),
        ("uniall", "gpt-image-2-origin"),
        ("infinityblue", "gpt-image-2"),
        ("all-required", "gpt-image-2"),
    ] {
        assert_codes(
            id,
            &body(model, json!(1)),
            &["enable_sync_mode.undocumented"],
        );
    }
}

// ---------------------------------------------------------------- providers as data (issue 14)

/// The plan of `body` at `profile_id`: its calls' bodies and URLs, and
/// every finding's code.
#[track_caller]
fn planned(profile_id: &str, body: &Value) -> (Vec<String>, Vec<String>, Vec<String>) {
    let plan = gpt_image_plan::wire::plan_json(&body.to_string(), profile(profile_id));
    let bodies = plan.calls.iter().filter_map(|c| c.body.clone()).collect();
    let urls = plan.calls.iter().map(|c| c.url.clone()).collect();
    let codes = plan
        .report
        .diagnostics
        .iter()
        .map(|d| d.code.to_string())
        .collect();
    (bodies, urls, codes)
}

/// The auth header's name and placeholder at a profile.
#[track_caller]
fn auth_of(profile_id: &str) -> (String, String) {
    let plan = gpt_image_plan::wire::plan_json(
        &json!({"model": "gpt-image-2", "prompt": PROMPT}).to_string(),
        profile(profile_id),
    );
    let h = plan.calls[0].headers.iter().find(|h| h.secret).unwrap();
    (h.name.clone(), h.value.clone())
}

fn issue_14_request() -> Value {
    json!({"model": "gpt-image-2", "prompt": "x", "size": "1920x1088", "n": 2})
}

#[test]
fn every_new_profile_is_dated_and_sourced() {
    for id in [
        "azure-openai",
        "fal",
        "replicate",
        "kie",
        "evolink",
        "pixapi",
        "openrouter",
    ] {
        let p = profile(id);
        assert_eq!(p.as_of.to_string(), "2026-12-03", "{id}");
        assert!(
            p.source.contains("https://") || p.source.contains('@'),
            "{id}"
        );
        assert!(!p.notes.is_empty(), "{id}");
        assert!(p.model("gpt-image-2").is_some(), "{id}");
    }
}

#[test]
fn fal_sends_image_size_as_an_object_num_images_and_a_key_scheme() {
    let (bodies, urls, codes) = planned("fal", &issue_14_request());
    assert_eq!(codes, Vec::<String>::new());
    assert_eq!(urls, ["https://queue.fal.run/openai/gpt-image-2"]);
    assert_eq!(
        bodies,
        [r#"{"prompt":"x","num_images":2,"image_size":{"width":1920,"height":1088}}"#]
    );
    assert_eq!(
        auth_of("fal"),
        ("Authorization".into(), "Key <FAL_KEY>".into())
    );
    assert_eq!(profile("fal").response.kind(), ResponseShape::Task);
}

#[test]
fn fal_takes_1_to_4_images_three_qualities_and_no_auto_size() {
    let base = json!({"model": "gpt-image-2", "prompt": PROMPT, "size": "1024x1024"});
    assert_clean("fal", &with(&base, json!({"n": 4, "quality": "low"})));
    assert_refused("fal", &with(&base, json!({"n": 5})), "n.out_of_range");
    assert_refused(
        "fal",
        &with(&base, json!({"quality": "auto"})),
        "quality.unsupported_value",
    );
    assert_refused(
        "fal",
        &with(&base, json!({"size": "auto"})),
        "size.not_offered",
    );
}

#[test]
fn azure_puts_the_deployment_in_the_path_the_api_version_in_the_query_and_a_bare_api_key() {
    let (bodies, urls, codes) = planned("azure-openai", &issue_14_request());
    assert_eq!(codes, Vec::<String>::new());
    assert_eq!(
        urls,
        [
            "{BASE_URL}/openai/deployments/gpt-image-2/images/generations?api-version=2025-04-01-preview"
        ]
    );
    assert_eq!(bodies, [r#"{"prompt":"x","n":2,"size":"1920x1088"}"#]);
    assert_eq!(
        auth_of("azure-openai"),
        ("api-key".into(), "<AZURE_OPENAI_API_KEY>".into())
    );
}

#[test]
fn azure_refuses_webp_response_format_and_edges_of_3840() {
    let base = json!({"model": "gpt-image-2", "prompt": PROMPT});
    assert_refused(
        "azure-openai",
        &with(&base, json!({"output_format": "webp"})),
        "output_format.unsupported_value",
    );
    assert_refused(
        "azure-openai",
        &with(&base, json!({"response_format": "url"})),
        "response_format.not_supported",
    );
    assert_refused(
        "azure-openai",
        &with(&base, json!({"size": "3840x2160"})),
        "size.edge_too_long",
    );
    assert_codes(
        "azure-openai",
        &with(&base, json!({"size": "3824x2144"})),
        &["size.experimental"],
    );
}

#[test]
fn replicate_wraps_the_input_and_sends_the_nearest_aspect_ratio_with_what_it_yields() {
    let (bodies, urls, codes) = planned("replicate", &issue_14_request());
    assert_eq!(codes, ["size.not_offered"]);
    assert_eq!(
        urls,
        ["https://api.replicate.com/v1/models/openai/gpt-image-2/predictions"]
    );
    assert_eq!(
        bodies,
        [r#"{"input":{"prompt":"x","number_of_images":2,"aspect_ratio":"3:2"}}"#]
    );
    let plan =
        gpt_image_plan::wire::plan_json(&issue_14_request().to_string(), profile("replicate"));
    assert_eq!(plan.calls[0].yields, Some("1536x1024".parse().unwrap()));
    let warning = &plan.report.diagnostics[0];
    assert!(!warning.is_error());
    assert_eq!(
        warning.message,
        r#"size "1920x1088": "replicate" takes an aspect ratio, not pixels; sent as aspect_ratio "3:2", which yields 1536x1024"#
    );
    let (exact, _, codes) = planned(
        "replicate",
        &json!({"model": "gpt-image-2", "prompt": "x", "size": "1024x1536"}),
    );
    assert_eq!(codes, Vec::<String>::new());
    assert_eq!(exact, [r#"{"input":{"prompt":"x","aspect_ratio":"2:3"}}"#]);
}

#[test]
fn replicate_background_is_auto_or_opaque_and_defaults_follow_its_schema() {
    let base = json!({"model": "gpt-image-2", "prompt": PROMPT});
    assert_refused(
        "replicate",
        &with(&base, json!({"background": "transparent"})),
        "background.unsupported_value",
    );
    let d = &profile("replicate")
        .model("gpt-image-2")
        .unwrap()
        .rules
        .defaults;
    assert_eq!(text_default(d, "output_format"), Some("webp"));
    assert_eq!(
        d.get("output_compression").and_then(|v| v.as_int()),
        Some(90)
    );
}

#[test]
fn kie_sends_a_ratio_and_a_resolution_and_says_the_size_it_yields() {
    let body = json!({"model": "gpt-image-2", "prompt": "x", "size": "2048x1152"});
    let (bodies, urls, codes) = planned("kie", &body);
    assert_eq!(codes, Vec::<String>::new());
    assert_eq!(urls, ["https://api.kie.ai/api/v1/jobs/createTask"]);
    assert_eq!(
        bodies,
        [
            r#"{"model":"gpt-image-2-text-to-image","input":{"prompt":"x","aspect_ratio":"16:9","resolution":"2K"}}"#
        ]
    );
    let plan = gpt_image_plan::wire::plan_json(&body.to_string(), profile("kie"));
    assert_eq!(plan.calls[0].yields, Some("2048x1152".parse().unwrap()));
    let (default, _, _) = planned("kie", &json!({"model": "gpt-image-2", "prompt": "x"}));
    assert_eq!(
        default,
        [r#"{"model":"gpt-image-2-text-to-image","input":{"prompt":"x"}}"#]
    );
    let (auto, _, _) = planned(
        "kie",
        &json!({"model": "gpt-image-2", "prompt": "x", "size": "auto"}),
    );
    assert_eq!(
        auto,
        [
            r#"{"model":"gpt-image-2-text-to-image","input":{"prompt":"x","aspect_ratio":"auto","resolution":"1K"}}"#
        ]
    );
}

#[test]
fn kie_refuses_sizes_off_its_table_with_the_nearest_one_and_splits_n() {
    let report = validate_json(&issue_14_request().to_string(), profile("kie"));
    let first = report.errors().next().unwrap();
    assert_eq!(first.code.to_string(), "size.not_offered");
    assert_eq!(first.replacement.as_deref(), Some("2048x1152"));
    let (bodies, _, codes) = planned(
        "kie",
        &json!({"model": "gpt-image-2", "prompt": "x", "size": "1024x1024", "n": 3, "quality": "high"}),
    );
    assert_eq!(bodies.len(), 3);
    assert!(
        bodies
            .iter()
            .all(|b| !b.contains("\"n\"") && !b.contains("quality"))
    );
    assert_eq!(codes, ["n.split", "quality.dropped"]);
    let presets = &profile("kie").model("gpt-image-2").unwrap().rules.presets;
    let sixteen_nine: Vec<(String, Option<Tier>)> = presets
        .iter()
        .filter(|p| p.label.as_deref() == Some("16:9"))
        .map(|p| (p.size.to_string(), p.tier))
        .collect();
    assert_eq!(
        sixteen_nine,
        [
            ("1024x576".into(), Some(Tier::K1)),
            ("2048x1152".into(), Some(Tier::K2)),
            ("3840x2160".into(), Some(Tier::K4)),
        ]
    );
}

#[test]
fn evolink_sends_pixels_and_answers_with_a_task_polled_by_id() {
    let (bodies, urls, codes) = planned("evolink", &issue_14_request());
    assert_eq!(codes, Vec::<String>::new());
    assert_eq!(urls, ["https://api.evolink.ai/v1/images/generations"]);
    assert_eq!(
        bodies,
        [r#"{"model":"gpt-image-2","prompt":"x","n":2,"size":"1920x1088"}"#]
    );
    let task = profile("evolink").response.task.as_ref().unwrap();
    assert_eq!(task.poll_path.as_deref(), Some("/v1/tasks/{id}"));
    assert_refused(
        "evolink",
        &json!({"model": "gpt-image-2", "prompt": PROMPT, "quality": "auto"}),
        "quality.unsupported_value",
    );
}

#[test]
fn pixapi_takes_openais_body_with_url_or_b64_json() {
    let (bodies, urls, codes) = planned(
        "pixapi",
        &json!({"model": "gpt-image-2", "prompt": "x", "size": "1024x1024", "response_format": "b64_json"}),
    );
    assert_eq!(codes, Vec::<String>::new());
    assert_eq!(urls, ["https://api.pixapi.ai/v1/images/generations"]);
    assert_eq!(
        bodies,
        [r#"{"model":"gpt-image-2","prompt":"x","size":"1024x1024","response_format":"b64_json"}"#]
    );
    assert_eq!(profile("pixapi").response.kind(), ResponseShape::Sync);
}

#[test]
fn openrouter_writes_a_chat_call_with_image_modalities_and_splits_n() {
    let (bodies, urls, codes) = planned("openrouter", &issue_14_request());
    assert_eq!(codes, ["n.split"]);
    assert_eq!(urls, ["https://openrouter.ai/api/v1/chat/completions"; 2]);
    assert_eq!(
        bodies[0],
        r#"{"model":"openai/gpt-image-2","messages":[{"content":"x","role":"user"}],"image_config":{"size":"1920x1088"},"modalities":["image","text"]}"#
    );
}

#[test]
fn openrouter_reads_images_from_the_chat_message_as_base64() {
    use gpt_image_plan::wire::{Outcome, parse_response};
    let body = br#"{"choices": [{"message": {"role": "assistant", "content": "", "images": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,aGk="}}]}}]}"#;
    let Ok(Outcome::Images(result)) =
        parse_response(&profile("openrouter").response, 200, &[], body)
    else {
        panic!("no images")
    };
    assert_eq!(result.images[0].url, None);
    assert_eq!(result.images[0].decode().unwrap().unwrap(), b"hi");
}
