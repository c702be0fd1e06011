//! Inputs the fuzzers (fuzz/, scripts/fuzz.sh) stopped on, kept as tests so the
//! behaviour they pinned down stays put.

use gpt_image_plan::{ImageRequest, Profile, Size, builtin_profile, validate, validate_json};

#[track_caller]
fn codes(report: &gpt_image_plan::Report) -> Vec<String> {
    report.codes().iter().map(ToString::to_string).collect()
}

/// request_json: a malformed size at a provider that requires size was also
/// reported missing; a field that is present but unreadable has one finding.
#[test]
fn an_unreadable_required_size_is_malformed_not_also_missing() {
    let body =
        r#"{"model": "gpt-image-2", "prompt": "x", "prompt": "y", "n": null, "size": "1024X1024"}"#;
    let report = validate_json(body, builtin_profile("all-required").unwrap());
    assert_eq!(
        codes(&report),
        ["request.duplicate_field", "size.malformed", "n.missing"]
    );
}

/// validate_request: at a model that takes only `auto`, the fix for an
/// explicit size is `auto`, not a size.
#[test]
fn an_explicit_size_at_an_auto_only_model_is_fixed_to_auto() {
    let mut request = ImageRequest::new("gpt-image-2-auto", "a lighthouse");
    request.size = Some(Size::new(1024, 1024).into());
    request.n = Some(1);
    let report = validate(&request, builtin_profile("uniall").unwrap());
    let finding = &report.diagnostics[0];
    assert_eq!(finding.code.to_string(), "size.not_offered");
    assert_eq!(finding.replacement.as_deref(), Some("auto"));
}

/// profile_json: a profile listing many sizes names them all in the limit of
/// a `size.not_offered` finding; profiles are capped at 256 listed sizes, so
/// the limit stays under 4 KiB.
#[test]
fn the_limit_of_a_long_size_list_names_every_size_and_stays_bounded() {
    let sizes: Vec<String> = (0..256)
        .map(|i| format!("\"{}x{}\"", 1024 + 16 * (i % 64), 768 + 16 * (i / 64)))
        .collect();
    let profile = Profile::from_json(&format!(
        r#"{{
          "id": "long-list", "name": "Long list", "source": "a test", "as_of": "2026-11-21",
          "path": "/v1/images/generations",
          "auth": {{"header": "Authorization", "scheme": "Bearer", "env": "LONG_LIST_KEY"}},
          "response": {{"shape": "openai"}},
          "models": [{{"name": "gpt-image-2", "model": "gpt-image-2",
            "rules": {{"sizes": {{"rule": null, "list": [{}], "auto": false}}}}}}]
        }}"#,
        sizes.join(", ")
    ))
    .unwrap();
    let mut request = ImageRequest::new("gpt-image-2", "a lighthouse");
    request.size = Some(Size::new(100, 100).into());
    let report = validate(&request, &profile);
    let finding = &report.diagnostics[0];
    assert_eq!(finding.code.to_string(), "size.not_offered");
    let limit = finding.limit.as_deref().unwrap();
    assert_eq!(limit.matches('"').count(), 2 * 256);
    assert!(limit.len() <= 4096, "{} bytes", limit.len());
}

/// profile_json (about 38 s in, past CI's 30 s): a profile id ending in a
/// period, `openai.`, made every message that ended with the id end in a
/// period, because ids were printed bare. Ids are quoted in messages now, so
/// no message ends with the id's own characters.
#[test]
fn a_profile_id_ending_in_a_period_leaves_no_message_ending_in_a_period() {
    let mut doc: serde_json::Value =
        serde_json::from_str(include_str!("../fuzz/seeds/profile_json/openai.json")).unwrap();
    doc["id"] = "openai.".into();
    let profile = Profile::from_json(&doc.to_string()).unwrap();
    assert_eq!(profile.id, "openai.");
    let mut reports = Vec::new();
    for model in &profile.models {
        for size in [Size::new(1000, 1000), Size::new(4000, 100), Size::new(0, 0)] {
            let mut request = ImageRequest::new(model.name.clone(), "a lighthouse");
            request.size = Some(size.into());
            request.n = Some(3);
            reports.push(validate(&request, &profile));
        }
    }
    let body = r#"{"prompt": "an otter", "size": "1920x1080", "n": 2, "quality": "high"}"#;
    reports.push(validate_json(body, &profile));
    let messages: Vec<&str> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(|d| d.message.as_str()))
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("at \"openai.\"")),
        "{messages:#?}"
    );
    for message in messages {
        assert!(!message.ends_with('.'), "trailing period: {message}");
    }
    let model_missing = validate_json(r#"{"prompt": "x"}"#, &profile);
    assert_eq!(
        model_missing.diagnostics[0].message,
        "model: missing; \"openai.\" needs a model name"
    );
}
