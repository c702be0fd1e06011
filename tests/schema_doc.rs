//! docs/profile-schema.md stays true: its example loads and resolves as the
//! text says, and every key the shipped data and the rules types use is
//! documented.

use std::collections::BTreeSet;

use gpt_image_plan::{
    Effect, OutputFormat, ParamValue, Profile, Quality, Size, SizeSpec, Support, Tier,
    builtin_profiles, catalog, validate_json,
};
use serde_json::Value;

const DOC: &str = include_str!("../docs/profile-schema.md");

/// The fenced ```json blocks of the document, in order, with the heading each is under.
fn json_blocks() -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut heading = String::new();
    let mut current: Option<String> = None;
    for line in DOC.lines() {
        match &mut current {
            Some(block) if line.trim() == "```" => {
                blocks.push((heading.clone(), std::mem::take(block)));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None if line.trim() == "```json" => current = Some(String::new()),
            None if line.starts_with('#') => heading = line.trim_start_matches('#').trim().into(),
            None => {}
        }
    }
    assert!(current.is_none(), "an unclosed ```json block");
    blocks
}

fn example() -> Profile {
    let blocks = json_blocks();
    let (_, text) = blocks
        .iter()
        .find(|(heading, _)| heading == "A complete example")
        .expect("a ```json block under \"A complete example\"");
    Profile::from_json(text).unwrap()
}

#[track_caller]
fn codes(profile: &Profile, body: &str) -> Vec<String> {
    validate_json(body, profile)
        .codes()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn every_json_block_in_the_schema_doc_is_json() {
    let blocks = json_blocks();
    assert!(!blocks.is_empty());
    for (heading, text) in blocks {
        assert!(
            serde_json::from_str::<Value>(&text).is_ok(),
            "the block under {heading:?} is not JSON"
        );
    }
}

#[test]
fn the_complete_example_loads_with_every_top_level_key() {
    let p = example();
    assert_eq!(p.id, "pixelgate");
    assert_eq!(p.base_url.as_deref(), Some("https://api.pixelgate.example"));
    assert_eq!(p.auth.header, "X-Api-Key");
    assert_eq!(p.auth.scheme, None);
    assert!(p.response.may_return_fewer);
    assert_eq!(p.default_model.as_deref(), Some("gpt-image-2"));
    let names: Vec<&str> = p.models.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["gpt-image-2", "gpt-image-2-fixed"]);
    assert!(p.models.iter().all(|m| m.model == "gpt-image-2"));
    assert_eq!(
        p.refused("gpt-image-2-2026-04-21")
            .unwrap()
            .instead
            .as_deref(),
        Some("gpt-image-2")
    );
    let text = &json_blocks()
        .into_iter()
        .find(|(h, _)| h == "A complete example")
        .unwrap()
        .1;
    let doc: Value = serde_json::from_str(text).unwrap();
    let keys: BTreeSet<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let all = [
        "id",
        "name",
        "source",
        "as_of",
        "base_url",
        "path",
        "model_in",
        "n_type",
        "request",
        "auth",
        "response",
        "unknown_fields",
        "default_model",
        "rules",
        "models",
        "refused_models",
        "notes",
    ];
    assert_eq!(keys, all.into_iter().collect());
}

#[test]
fn the_example_merges_as_the_doc_says() {
    let p = example();
    let fixed = &p.model("gpt-image-2-fixed").unwrap().rules;
    // Objects merge key by key: support stays the catalog's, values are replaced.
    assert_eq!(fixed.param("quality").support, Support::Supported);
    assert_eq!(
        fixed.param("quality").values,
        [Quality::Low, Quality::High].map(ParamValue::from)
    );
    let compression = fixed.param("output_compression");
    assert_eq!(compression.support, Support::Supported);
    assert_eq!((compression.min, compression.max), (Some(0), Some(100)));
    // Arrays replace: the model's constraints are its own list.
    let c = fixed
        .constraints
        .iter()
        .find(|c| c.param == "output_compression")
        .unwrap();
    assert_eq!(c.except, [ParamValue::Int(100)]);
    let needs = c.needs.as_ref().unwrap();
    assert_eq!(
        (needs.param.as_str(), needs.values.as_slice()),
        ("output_format", &[ParamValue::from(OutputFormat::Jpeg)][..])
    );
    assert_eq!(c.effect, Effect::Incompatible);
    // From the catalog.
    assert_eq!(
        (fixed.prompt.min_chars, fixed.prompt.max_chars),
        (1, 32_000)
    );
    assert_eq!(
        fixed.defaults.get("output_format"),
        Some(&ParamValue::from(OutputFormat::Png))
    );
    // From the profile-wide rules.
    assert_eq!(
        (fixed.n.min, fixed.n.max, fixed.n.split_max),
        (1, 4, Some(8))
    );
    assert_eq!(fixed.param("stream").support, Support::NoEffect);
    // null replaces: the rule is gone; arrays replace: the list and presets are the model's.
    assert_eq!(fixed.sizes.rule, None);
    assert_eq!(
        fixed.sizes.list,
        [
            Size::new(1024, 1024),
            Size::new(2048, 2048),
            Size::new(3840, 2160)
        ]
    );
    let tiers: Vec<Option<Tier>> = fixed.presets.iter().map(|p| p.tier).collect();
    assert_eq!(tiers, [Some(Tier::K1), Some(Tier::K2), Some(Tier::K4)]);

    let free = &p.model("gpt-image-2").unwrap().rules;
    assert_eq!(
        free.sizes.rule,
        catalog().get("gpt-image-2").unwrap().rules.sizes.rule
    );
    assert!(!free.sizes.auto);
    assert_eq!(free.sizes.experimental_above_pixels, None);
    assert_eq!(
        free.defaults.size(),
        Some(SizeSpec::Size(Size::new(1024, 1024)))
    );
    assert_eq!(
        free.presets,
        catalog().get("gpt-image-2").unwrap().rules.presets
    );
}

#[test]
fn the_example_validates_as_the_doc_says() {
    let p = example();
    let fixed = r#"{"model": "gpt-image-2-fixed", "prompt": "an otter""#;
    assert_eq!(
        codes(&p, &format!(r#"{fixed}, "size": "1024x1024"}}"#)),
        Vec::<String>::new()
    );
    let report = validate_json(&format!(r#"{fixed}, "size": "1536x1024"}}"#), &p);
    assert_eq!(report.codes()[0].to_string(), "size.not_offered");
    // 16:9 is the listed shape nearest to 3:2 (1:1 is further off).
    assert_eq!(
        report.diagnostics[0].replacement.as_deref(),
        Some("3840x2160")
    );
    assert_eq!(
        codes(
            &p,
            &format!(r#"{fixed}, "size": "1024x1024", "output_compression": 50}}"#)
        ),
        ["output_compression.incompatible"]
    );
    assert_eq!(
        codes(
            &p,
            &format!(r#"{fixed}, "size": "1024x1024", "quality": "medium"}}"#)
        ),
        ["quality.unsupported_value"]
    );
    // The default model, the required size with its default, splitting, ignored streaming.
    assert_eq!(
        codes(&p, r#"{"prompt": "an otter", "n": 6, "stream": true}"#),
        ["n.split", "size.defaulted", "stream.no_effect"]
    );
    assert_eq!(
        codes(&p, r#"{"prompt": "an otter", "size": "auto"}"#),
        ["size.not_offered"]
    );
    assert_eq!(
        codes(&p, r#"{"prompt": "an otter", "size": "1744x2480"}"#),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&p, r#"{"prompt": "an otter", "size": "1024x1024", "n": 9}"#),
        ["n.out_of_range"]
    );
    assert_eq!(
        codes(
            &p,
            r#"{"model": "gpt-image-2-2026-04-21", "prompt": "an otter"}"#
        ),
        ["model.unavailable"]
    );
    assert_eq!(
        codes(
            &p,
            r#"{"prompt": "an otter", "size": "1024x1024", "seed": 1, "user": "u"}"#
        ),
        ["request.unknown_field", "user.undocumented"]
    );
}

/// Members whose keys are data (field names, header names, preset names),
/// not schema keys: their own keys are not collected.
const DATA_MAPS: [&str; 7] = [
    "rename",
    "values",
    "constants",
    "query",
    "headers",
    "presets",
    "auto",
];

fn collect_keys(value: &Value, keys: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                keys.insert(key.clone());
                if DATA_MAPS.contains(&key.as_str()) && value.is_object() {
                    continue;
                }
                collect_keys(value, keys);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_keys(v, keys)),
        _ => {}
    }
}

#[test]
fn every_key_of_the_shipped_profiles_and_of_the_rules_is_documented() {
    let mut keys = BTreeSet::new();
    for text in [
        include_str!("../data/profiles/openai.json"),
        include_str!("../data/profiles/wavespeed.json"),
        include_str!("../data/profiles/enum-sizes.json"),
        include_str!("../data/profiles/uniall.json"),
        include_str!("../data/profiles/infinityblue.json"),
        include_str!("../data/profiles/all-required.json"),
        include_str!("../data/profiles/azure-openai.json"),
        include_str!("../data/profiles/fal.json"),
        include_str!("../data/profiles/replicate.json"),
        include_str!("../data/profiles/kie.json"),
        include_str!("../data/profiles/evolink.json"),
        include_str!("../data/profiles/pixapi.json"),
        include_str!("../data/profiles/openrouter.json"),
    ] {
        collect_keys(&serde_json::from_str(text).unwrap(), &mut keys);
    }
    // The resolved rules carry every key of the rules types, set or not.
    for profile in builtin_profiles() {
        for model in &profile.models {
            collect_keys(&serde_json::to_value(&model.rules).unwrap(), &mut keys);
            collect_keys(&serde_json::to_value(&profile.auth).unwrap(), &mut keys);
            collect_keys(&serde_json::to_value(&profile.response).unwrap(), &mut keys);
            collect_keys(&serde_json::to_value(&profile.request).unwrap(), &mut keys);
            collect_keys(
                &serde_json::to_value(&profile.refused_models).unwrap(),
                &mut keys,
            );
        }
    }
    assert!(keys.len() > 60, "{keys:?}");
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| !DOC.contains(&format!("`{k}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "keys not in docs/profile-schema.md: {missing:?}"
    );
}

/// The profile of the ten-minute walk-through.
fn lumen() -> Profile {
    let blocks = json_blocks();
    let (_, text) = blocks
        .iter()
        .find(|(heading, _)| heading == "The Lumen profile")
        .expect("a ```json block under \"The Lumen profile\"");
    assert_eq!(Profile::problems(text), []);
    Profile::from_json(text).unwrap()
}

#[test]
fn the_walk_through_profile_plans_the_call_the_doc_shows() {
    let p = lumen();
    let plan = gpt_image_plan::wire::plan_json(
        r#"{"model": "gpt-image-2", "prompt": "a red kite", "n": 2, "size": "1536x1024", "quality": "high"}"#,
        &p,
    );
    assert_eq!(plan.report.diagnostics, []);
    assert_eq!(plan.calls.len(), 1);
    let call = &plan.calls[0];
    assert_eq!(call.url, "https://api.lumen.example/v2/render?v=2");
    let headers: Vec<(&str, &str)> = call
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(
        headers,
        [
            ("Content-Type", "application/json"),
            ("X-Lumen-Key", "<LUMEN_API_KEY>")
        ]
    );
    assert_eq!(
        call.body.as_deref(),
        Some(
            r#"{"params":{"text":"a red kite","count":2,"dims":{"w":1536,"h":1024},"quality":"best"}}"#
        )
    );
    assert!(DOC.contains(call.body.as_deref().unwrap()));
}

#[test]
fn the_walk_through_profile_reads_its_task_and_its_errors() {
    use gpt_image_plan::wire::{self, Outcome, TaskState};
    let p = lumen();
    let Ok(Outcome::Task(task)) = wire::parse_response(
        &p.response,
        200,
        &[],
        br#"{"job": {"id": "j-1", "state": "queued"}}"#,
    ) else {
        panic!("not a task")
    };
    assert_eq!((task.id.as_str(), task.state), ("j-1", TaskState::Pending));
    let poll = wire::poll_call(&p, &task).unwrap();
    assert_eq!(poll.url, "https://api.lumen.example/v2/jobs/j-1");
    let Ok(Outcome::Task(done)) = wire::parse_response(
        &p.response,
        200,
        &[],
        br#"{"job": {"id": "j-1", "state": "finished", "files": ["https://cdn.lumen.example/1.png"]}}"#,
    ) else {
        panic!("not a task")
    };
    let images = done.result().unwrap().images;
    assert_eq!(
        images[0].url.as_deref(),
        Some("https://cdn.lumen.example/1.png")
    );
    let err = wire::parse_response(
        &p.response,
        400,
        &[],
        br#"{"fault": {"text": "dims too small"}}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"invalid request (HTTP 400): "dims too small""#
    );
}
