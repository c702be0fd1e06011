//! The answers as the bindings wrote them before their own writer: small
//! `Serialize` structs and the crate's `Serialize` impls through
//! `serde_json::to_string`. Kept, for the tests only, as the reference the
//! writer in `out.rs` and `write.rs` must match byte for byte.

use gpt_image_plan::{
    AspectRatio, Profile, Report, SizeSpec, Tier, builtin_profiles, catalog, check_size, planner,
    price, request_from_json, validate_json, wire,
};
use serde::Serialize;

use super::{ApiError, MAX_SUGGESTIONS, Registry, pick_model};

/// `Registry::load`'s answer for `profile`, loaded.
pub(crate) fn load_info(profile: &Profile) -> String {
    to_text(&provider_info(profile, true))
}

/// `Registry::providers`.
pub(crate) fn providers(registry: &Registry) -> String {
    let mut out = Vec::new();
    for id in registry.ids() {
        let custom = registry.custom.iter().find(|p| p.id == id);
        let profile = custom.or_else(|| builtin_profiles().iter().find(|p| p.id == id));
        if let Some(profile) = profile {
            out.push(provider_info(profile, custom.is_some()));
        }
    }
    to_text(&out)
}

/// JSON text for an answer. The answers are plain structs of strings,
/// numbers, options and lists, which always serialize; `null` is a
/// defensive fallback, never expected.
fn to_text<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProviderInfo<'a> {
    id: &'a str,
    name: &'a str,
    source: &'a str,
    as_of: String,
    base_url: Option<&'a str>,
    path: &'a str,
    model_in: &'static str,
    n_type: &'static str,
    default_model: Option<&'a str>,
    models: Vec<NamedModel<'a>>,
    refused_models: Vec<RefusedModel<'a>>,
    notes: &'a [String],
    custom: bool,
}

#[derive(Serialize)]
struct NamedModel<'a> {
    name: &'a str,
    model: &'static str,
}

#[derive(Serialize)]
struct RefusedModel<'a> {
    name: &'a str,
    reason: &'a str,
    instead: Option<&'a str>,
}

fn provider_info(profile: &Profile, custom: bool) -> ProviderInfo<'_> {
    ProviderInfo {
        id: &profile.id,
        name: &profile.name,
        source: &profile.source,
        as_of: profile.as_of.to_string(),
        base_url: profile.base_url.as_deref(),
        path: &profile.path,
        model_in: profile.model_in.as_str(),
        n_type: profile.n_type.as_str(),
        default_model: profile.default_model.as_deref(),
        models: profile
            .models
            .iter()
            .map(|m| NamedModel {
                name: &m.name,
                model: m.model.as_str(),
            })
            .collect(),
        refused_models: profile
            .refused_models
            .iter()
            .map(|m| RefusedModel {
                name: &m.name,
                reason: &m.reason,
                instead: m.instead.as_deref(),
            })
            .collect(),
        notes: &profile.notes,
        custom,
    }
}

/// The old `api::report_text`.
pub(crate) fn report_text(report: &Report) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        valid: bool,
        errors: usize,
        warnings: usize,
        diagnostics: &'a [gpt_image_plan::Diagnostic],
    }
    to_text(&Out {
        valid: report.is_valid(),
        errors: report.errors().count(),
        warnings: report.warnings().count(),
        diagnostics: &report.diagnostics,
    })
}

/// The old `api::validate`.
pub(crate) fn validate(request_json: &str, profile: &Profile) -> String {
    report_text(&validate_json(request_json, profile))
}

/// The old `api::check`.
pub(crate) fn check(
    size: &str,
    profile: &Profile,
    model: Option<&str>,
) -> Result<String, ApiError> {
    let served = pick_model(profile, model)?;
    Ok(report_text(&check_size(size, profile, Some(&served.name))))
}

/// The old `api::nearest`.
pub(crate) fn nearest(
    size: &str,
    profile: &Profile,
    model: Option<&str>,
) -> Result<String, ApiError> {
    let served = pick_model(profile, model)?;
    let policy = &served.rules.sizes;
    let (spec, exact) = match size.parse::<SizeSpec>() {
        Ok(spec) => (Some(spec), true),
        Err(e) => (e.suggestion().map(SizeSpec::Size), false),
    };
    let (read, nearest, distance) = match spec {
        None => (None, None, None),
        Some(SizeSpec::Auto) => {
            let to = if policy.auto {
                Some(SizeSpec::Auto)
            } else {
                served
                    .rules
                    .defaults
                    .size
                    .filter(|d| policy.allows_spec(*d))
                    .or_else(|| served.rules.presets.first().map(|p| SizeSpec::Size(p.size)))
            };
            (Some(SizeSpec::Auto), to, None)
        }
        Some(SizeSpec::Size(target)) => {
            let to = planner::nearest(policy, target);
            let distance = to.map(|n| {
                planner::LogPoint::of(target)
                    .distance_sq(planner::LogPoint::of(n))
                    .sqrt()
            });
            (
                Some(SizeSpec::Size(target)),
                to.map(SizeSpec::Size),
                distance,
            )
        }
    };
    #[derive(Serialize)]
    struct Out<'a> {
        input: &'a str,
        size: Option<String>,
        valid: bool,
        nearest: Option<String>,
        distance: Option<f64>,
        provider: &'a str,
        model: &'a str,
    }
    Ok(to_text(&Out {
        input: size,
        size: read.map(|s| s.to_string()),
        valid: exact && read.is_some_and(|s| policy.allows_spec(s)),
        nearest: nearest.map(|s| s.to_string()),
        distance,
        provider: &profile.id,
        model: &served.name,
    }))
}

/// The old `api::suggest`.
pub(crate) fn suggest(
    ratio: &str,
    target: &str,
    profile: &Profile,
    model: Option<&str>,
    count: Option<usize>,
) -> Result<String, ApiError> {
    let served = pick_model(profile, model)?;
    let ratio: AspectRatio = ratio
        .parse()
        .map_err(|e: gpt_image_plan::ParseAspectRatioError| ApiError(e.to_string()))?;
    let target: planner::Target = target
        .parse()
        .map_err(|e: planner::ParseTargetError| ApiError(e.to_string()))?;
    let count = count.unwrap_or(planner::DEFAULT_K).min(MAX_SUGGESTIONS);
    let found = planner::for_aspect(&served.rules, ratio, target, count)
        .map_err(|e| ApiError(e.to_string()))?;
    Ok(to_text(&found))
}

/// The old `api::presets`.
pub(crate) fn presets(
    profile: &Profile,
    model: Option<&str>,
    tier: Option<&str>,
) -> Result<String, ApiError> {
    let served = pick_model(profile, model)?;
    let tier = match tier.filter(|t| !t.is_empty()) {
        Some(t) => Some(Tier::parse_name(t).map_err(|e| ApiError(e.to_string()))?),
        None => None,
    };
    #[derive(Serialize)]
    struct Out<'a> {
        size: String,
        width: u32,
        height: u32,
        ratio: Option<String>,
        orientation: String,
        pixels: u64,
        tier: Option<&'static str>,
        label: Option<&'a str>,
    }
    let out: Vec<Out<'_>> = served
        .rules
        .presets
        .iter()
        .filter(|p| tier.is_none() || p.tier == tier)
        .map(|p| Out {
            size: p.size.to_string(),
            width: p.size.width(),
            height: p.size.height(),
            ratio: AspectRatio::of(p.size).map(|r| r.to_string()),
            orientation: p.size.orientation().to_string(),
            pixels: p.size.pixels(),
            tier: p.tier.map(Tier::as_str),
            label: p.label.as_deref(),
        })
        .collect();
    Ok(to_text(&out))
}

/// The old `api::models`.
pub(crate) fn models() -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        id: &'static str,
        family: &'static str,
        snapshot_of: Option<&'static str>,
        released: Option<String>,
        deprecated: Option<String>,
        retired: Option<String>,
        lifecycle_note: Option<&'a str>,
        source: &'a str,
        as_of: String,
    }
    let catalog = catalog();
    let out: Vec<Out<'_>> = catalog
        .models
        .iter()
        .map(|m| Out {
            id: m.id.as_str(),
            family: m.family.as_str(),
            snapshot_of: m.snapshot_of.map(|s| s.as_str()),
            released: m.lifecycle.released.map(|d| d.to_string()),
            deprecated: m.lifecycle.deprecated.map(|d| d.to_string()),
            retired: m.lifecycle.retired.map(|d| d.to_string()),
            lifecycle_note: m.lifecycle.note.as_deref(),
            source: &m.source,
            as_of: catalog.as_of.to_string(),
        })
        .collect();
    to_text(&out)
}

/// The old `api::served_models`.
pub(crate) fn served_models(profile: &Profile) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        name: &'a str,
        model: &'static str,
        family: Option<&'static str>,
        retired: Option<String>,
        note: Option<&'a str>,
        rules: &'a gpt_image_plan::ModelRules,
    }
    let out: Vec<Out<'_>> = profile
        .models
        .iter()
        .map(|m| {
            let spec = catalog().get(m.model);
            Out {
                name: &m.name,
                model: m.model.as_str(),
                family: spec.map(|s| s.family.as_str()),
                retired: spec
                    .and_then(|s| s.lifecycle.retired)
                    .map(|d| d.to_string()),
                note: m.note.as_deref(),
                rules: &m.rules,
            }
        })
        .collect();
    to_text(&out)
}

/// The old `api::request_body`.
pub(crate) fn request_body(request_json: &str, profile: &Profile) -> String {
    let (request, report) = request_from_json(request_json, profile);
    let body = to_text(&request);
    format!(r#"{{"body":{body},"report":{}}}"#, report_text(&report))
}

/// The old `api::plan`.
pub(crate) fn plan(request_json: &str, profile: &Profile) -> String {
    #[derive(Serialize)]
    struct Head<'a> {
        ready: bool,
        profile: &'a str,
        model: Option<&'a str>,
        response: &'static str,
        images: Option<u32>,
    }
    let plan = wire::plan_json(request_json, profile);
    let head = to_text(&Head {
        ready: plan.is_ready(),
        profile: &plan.profile,
        model: plan.model.as_deref(),
        response: plan.response.as_str(),
        images: plan.images(),
    });
    let calls = to_text(&plan.calls);
    // `head` is an object: splice the calls and the report in before its `}`.
    let head = head.strip_suffix('}').unwrap_or(&head);
    format!(
        r#"{head},"calls":{calls},"report":{}}}"#,
        report_text(&plan.report)
    )
}

/// The old `api::estimate`.
pub(crate) fn estimate(request_json: &str, profile: &Profile) -> Result<String, ApiError> {
    let (request, _) = request_from_json(request_json, profile);
    let estimate =
        price::estimate_builtin(&request, profile).map_err(|e| ApiError(e.to_string()))?;
    Ok(to_text(&estimate))
}

/// The bindings' writer against the reference above: the same text, byte
/// for byte, on every built-in profile and on generated input.
#[cfg(test)]
mod tests {
    use gpt_image_plan::strategies::{request_json, valid_request};
    use gpt_image_plan::{ImageRequest, Profile, builtin_profiles};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    use serde_json::{Value, json};

    use crate::api::{self, Registry};

    /// The table of cases the crate and the node tests share.
    const SHARED: &str = include_str!("../../tests/cases/shared.json");

    /// Tiers as the page sends them, with the empty and unknown ones.
    const TIERS: [Option<&str>; 7] = [
        None,
        Some(""),
        Some("1K"),
        Some("2K"),
        Some("4K"),
        Some("8K"),
        Some("1k"),
    ];

    /// Model pickers: none, empty, every served name, and an unknown one.
    fn models(profile: &Profile) -> Vec<Option<&str>> {
        let mut models = vec![None, Some(""), Some("dall-e-9")];
        models.extend(profile.models.iter().map(|m| Some(m.name.as_str())));
        models
    }

    /// Every request answer for a body (JSON text) at every built-in profile.
    #[track_caller]
    fn same_for_request(text: &str) {
        for p in builtin_profiles() {
            assert_eq!(api::validate(text, p), super::validate(text, p), "{text}");
            assert_eq!(
                api::request_body(text, p),
                super::request_body(text, p),
                "{text}"
            );
            assert_eq!(api::plan(text, p), super::plan(text, p), "{text}");
            assert_eq!(api::estimate(text, p), super::estimate(text, p), "{text}");
        }
    }

    /// `check` and `nearest` for a size text at every profile and model.
    #[track_caller]
    fn same_for_size(size: &str) {
        for p in builtin_profiles() {
            for model in models(p) {
                assert_eq!(
                    api::nearest(size, p, model),
                    super::nearest(size, p, model),
                    "{size} at {}",
                    p.id
                );
                assert_eq!(api::check(size, p, model), super::check(size, p, model));
            }
        }
    }

    /// `suggest` at every profile and model.
    #[track_caller]
    fn same_for_suggest(ratio: &str, target: &str, count: Option<usize>) {
        for p in builtin_profiles() {
            for model in models(p) {
                assert_eq!(
                    api::suggest(ratio, target, p, model, count),
                    super::suggest(ratio, target, p, model, count),
                    "{ratio} {target} {count:?} at {} {model:?}",
                    p.id
                );
            }
        }
    }

    /// The listings of a registry: providers, and per profile the served
    /// models and the presets for every model and tier.
    #[track_caller]
    fn same_listings(registry: &Registry, ids: &[&str]) {
        assert_eq!(registry.providers(), super::providers(registry));
        for id in ids {
            let p = registry.profile(id).unwrap();
            assert_eq!(api::served_models(p), super::served_models(p));
            for model in models(p) {
                for tier in TIERS {
                    assert_eq!(
                        api::presets(p, model, tier),
                        super::presets(p, model, tier),
                        "{id} {model:?} {tier:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_listings_of_every_builtin_profile_are_serde_jsons_text() {
        let registry = Registry::default();
        let ids: Vec<&str> = builtin_profiles().iter().map(|p| p.id.as_str()).collect();
        same_listings(&registry, &ids);
        assert_eq!(api::models(), super::models());
        // The served models' rules hold every kind of member somewhere.
        let served = api::served_models(registry.profile("uniall").unwrap());
        assert!(served.contains(r#""split_max":null"#) && served.contains(r#""label":""#));
    }

    #[test]
    fn the_shared_cases_are_serde_jsons_text_at_every_profile() {
        let table: Value = serde_json::from_str(SHARED).unwrap();
        let mut bodies = 0;
        for kind in ["validate", "plan", "estimate"] {
            for case in table[kind].as_array().unwrap() {
                if let Some(text) = case["requestText"].as_str() {
                    same_for_request(text);
                    bodies += 1;
                }
                if !case["request"].is_null() {
                    same_for_request(&case["request"].to_string());
                    bodies += 1;
                }
            }
        }
        assert!(bodies > 25, "{bodies} bodies");
        for kind in ["checkSize", "nearest"] {
            for case in table[kind].as_array().unwrap() {
                same_for_size(case["size"].as_str().unwrap());
            }
        }
        for case in table["suggest"].as_array().unwrap() {
            let count = case["count"].as_u64().map(|c| usize::try_from(c).unwrap());
            same_for_suggest(
                case["ratio"].as_str().unwrap(),
                case["target"].as_str().unwrap(),
                count,
            );
        }
    }

    #[test]
    fn nearest_and_check_are_serde_jsons_text_over_a_grid_of_sizes() {
        let edges = [
            0,
            1,
            15,
            16,
            17,
            256,
            512,
            1000,
            1024,
            1080,
            1088,
            1536,
            1792,
            1920,
            2048,
            3840,
            4096,
            9999,
            u32::MAX,
        ];
        for w in edges {
            for h in edges {
                same_for_size(&format!("{w}x{h}"));
            }
        }
        for text in [
            "auto",
            "AUTO",
            "Auto",
            "1024X1024",
            " 1024x1024",
            "1024 x 1024",
            "1024*1024",
            "",
            "x",
            "1024x",
            "1e3x1024",
            "-1x5",
            "1024x1024x1024",
            "\"1024x1024\"",
            "1024×1024",
        ] {
            same_for_size(text);
        }
    }

    #[test]
    fn suggest_is_serde_jsons_text_over_ratios_targets_and_counts() {
        let ratios = [
            "1:1",
            "16:9",
            "9:16",
            "21:9",
            "3:1",
            "1:3",
            "4:3",
            "7:5",
            "100:1",
            "1:100",
            "0:1",
            "abc",
            "1920:1080",
        ];
        let targets = [
            "1K",
            "2K",
            "4K",
            "long:1024",
            "long:0",
            "long:100000",
            "pixels:1000000",
            "pixels:1",
            "8K",
            "x",
        ];
        for ratio in ratios {
            for target in targets {
                for count in [None, Some(0), Some(7), Some(1000)] {
                    same_for_suggest(ratio, target, count);
                }
            }
        }
    }

    #[test]
    fn valid_requests_at_their_own_profile_are_serde_jsons_text() {
        // Valid requests give calls and priced estimates with ranges and notes.
        for p in builtin_profiles() {
            let Some(strategy) = valid_request(p) else {
                continue;
            };
            let mut runner = TestRunner::new(Config::with_cases(64));
            runner
                .run(&strategy, |request| {
                    let text = serde_json::to_string(&request).unwrap();
                    prop_assert_eq!(api::plan(&text, p), super::plan(&text, p));
                    prop_assert_eq!(api::estimate(&text, p), super::estimate(&text, p));
                    prop_assert_eq!(api::request_body(&text, p), super::request_body(&text, p));
                    Ok(())
                })
                .unwrap();
        }
    }

    /// A profile document with `text` in every free-text place the answers
    /// show: name, source, notes, refused models, a model's note, a preset's
    /// label.
    fn profile_with(text: &str) -> String {
        json!({
            "id": "mine", "name": text, "source": text, "as_of": "2026-11-01",
            "path": "/v1/images/generations",
            "auth": {"header": "Authorization", "scheme": "Bearer", "env": "MINE_KEY"},
            "response": {"shape": "openai"},
            "default_model": text,
            "models": [
                {"name": "gpt-image-2", "model": "gpt-image-2", "note": text,
                 "rules": {"presets": [{"size": "1024x1024", "tier": "1K", "label": text}]}},
                {"name": text, "model": "dall-e-3"},
            ],
            "refused_models": [{"name": "x", "reason": text, "instead": text}],
            "notes": [text, text],
        })
        .to_string()
    }

    proptest! {
        #![proptest_config(Config::with_cases(128))]

        #[test]
        fn any_request_body_is_serde_jsons_text(text in request_json()) {
            same_for_request(&text);
        }

        #[test]
        fn any_typed_request_is_serde_jsons_text(request in any::<ImageRequest>()) {
            same_for_request(&serde_json::to_string(&request).unwrap());
        }

        #[test]
        fn strings_in_requests_are_escaped_as_serde_json_escapes_them(
            text in "(\\PC|[\\x00-\\x1f\"\\\\\\x7f\u{80}-\u{10ffff}]){0,16}",
        ) {
            same_for_request(&json!({"model": text, "prompt": text, "user": text}).to_string());
            same_for_request(&json!({"prompt": text, "size": text, "quality": text}).to_string());
            same_for_request(&json!({"model": "gpt-image-2", "prompt": text, "user": text}).to_string());
            same_for_request(&json!({text.clone(): text}).to_string());
            same_for_size(&text);
        }

        #[test]
        fn strings_in_loaded_profiles_are_escaped_as_serde_json_escapes_them(
            text in "(\\PC|[\\x00-\\x1f\"\\\\\\x7f\u{80}-\u{10ffff}]){1,16}",
        ) {
            let mut registry = Registry::default();
            let info = registry.load(&profile_with(&text));
            prop_assert!(info.is_ok(), "{:?}", info);
            let loaded = registry.profile("mine").unwrap();
            prop_assert_eq!(info.unwrap(), super::load_info(loaded));
            same_listings(&registry, &["mine", "openai"]);
        }

        #[test]
        fn suggest_is_serde_jsons_text_for_any_ratio_and_scale(
            a in 1u32..5000,
            b in 1u32..5000,
            long in 1u32..10_000,
            count in 0usize..12,
        ) {
            same_for_suggest(&format!("{a}:{b}"), &format!("long:{long}"), Some(count));
        }

        #[test]
        fn nearest_is_serde_jsons_text_for_any_size(w in 0u32..9000, h in 0u32..9000) {
            same_for_size(&format!("{w}x{h}"));
        }
    }
}
