//! Exact text for every finding the validator can produce: severity, code,
//! message, value, limit, fix and replacement, field by field. Each message
//! names the field, quotes the value as JSON would, names the limit and, when
//! there is one, says what to do.

use gpt_image_plan::{
    Diagnostic, ImageRequest, ParamValue, Profile, Report, Support, builtin_profile, validate,
    validate_json, validate_json_on,
};
use serde_json::{Value, json};

/// One finding as text: a head line, then one indented line per detail that is set.
fn render(d: &Diagnostic) -> String {
    assert_eq!(&d.field, d.code.field(), "field and code disagree");
    let mut out = format!("{} {}: {}", d.severity, d.code, d.message);
    for (name, detail) in [
        ("value", &d.value),
        ("limit", &d.limit),
        ("fix", &d.fix),
        ("replacement", &d.replacement),
    ] {
        if let Some(detail) = detail {
            out.push_str(&format!("\n  {name}: {detail}"));
        }
    }
    out
}

fn render_report(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(render)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Compares line by line, ignoring indentation of the expectation and trailing spaces.
#[track_caller]
fn assert_text(got: &str, expected: &str) {
    let tidy = |s: &str| -> Vec<String> {
        s.trim()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let l = l.trim_end();
                match l.trim_start().strip_prefix('|') {
                    // `|` keeps a detail line's two-space indent in the expectation.
                    Some(rest) => format!("  {}", rest.trim_start()),
                    None => l.trim_start().to_owned(),
                }
            })
            .collect()
    };
    let got: Vec<String> = got.lines().map(|l| l.trim_end().to_owned()).collect();
    assert_eq!(got, tidy(expected));
}

/// The findings for a JSON body at a built-in profile.
#[track_caller]
fn assert_findings(profile_id: &str, body: Value, expected: &str) {
    let profile = builtin_profile(profile_id).unwrap();
    assert_text(
        &render_report(&validate_json(&body.to_string(), profile)),
        expected,
    );
}

/// The findings for a raw body text at a built-in profile.
#[track_caller]
fn assert_findings_text(profile_id: &str, body: &str, expected: &str) {
    let profile = builtin_profile(profile_id).unwrap();
    assert_text(&render_report(&validate_json(body, profile)), expected);
}

fn gpt2(extra: Value) -> Value {
    let mut body = json!({"model": "gpt-image-2", "prompt": "an otter"});
    if let (Some(b), Value::Object(extra)) = (body.as_object_mut(), extra) {
        b.extend(extra);
    }
    body
}

fn with_model(model: &str, extra: Value) -> Value {
    let mut body = gpt2(extra);
    body["model"] = json!(model);
    body
}

const OPENAI_MODELS: &str = r#""gpt-image-2.6-sunburst", "gpt-image-2.6-flare", "gpt-image-2.5-sunburst", "gpt-image-2.5-sunburst-2026-09-08", "gpt-image-2.5-flare", "gpt-image-2.5-flare-2026-09-08", "gpt-image-2", "gpt-image-2-2026-04-21", "gpt-image-1.5", "gpt-image-1.5-2025-12-16", "chatgpt-image-latest", "gpt-image-1-mini", "gpt-image-1", "dall-e-3", "dall-e-2""#;

/// dall-e-3 is shut down on the catalog's date: an error, naming the first
/// model openai serves that is still active (dall-e-3 names no replacement).
const DALL_E_3_RETIRED: &str = r#"
    error model.retired: model "dall-e-3": dall-e-3 was shut down on 2026-05-12 (OpenAI API reference (model enum notes))
    |value: dall-e-3
    |limit: shut down 2026-05-12
    |fix: use "gpt-image-2.6-sunburst"
    |replacement: gpt-image-2.6-sunburst
"#;

// ------------------------------------------------------------------ size

#[test]
fn size_with_one_edge_off_the_grid_names_that_edge_and_the_nearest_valid_size() {
    assert_findings(
        "openai",
        gpt2(json!({"size": "1920x1080"})),
        r#"
        error size.not_multiple_of_16: size "1920x1080": height 1080 is not a multiple of 16
        |value: 1920x1080
        |limit: multiples of 16
        |fix: use "1920x1088", the nearest valid size
        |replacement: 1920x1088
        "#,
    );
    assert_findings(
        "openai",
        gpt2(json!({"size": "1000x1024"})),
        r#"
        error size.not_multiple_of_16: size "1000x1024": width 1000 is not a multiple of 16
        |value: 1000x1024
        |limit: multiples of 16
        |fix: use "1008x1024", the nearest valid size
        |replacement: 1008x1024
        "#,
    );
}

#[test]
fn size_with_both_edges_off_the_grid_names_both() {
    assert_findings(
        "openai",
        gpt2(json!({"size": "1000x1000"})),
        r#"
        error size.not_multiple_of_16: size "1000x1000": width 1000 and height 1000 are not multiples of 16
        |value: 1000x1000
        |limit: multiples of 16
        |fix: use "1008x1008", the nearest valid size
        |replacement: 1008x1008
        "#,
    );
}

#[test]
fn size_with_a_long_edge_above_3840_is_refused() {
    assert_findings(
        "openai",
        gpt2(json!({"size": "3856x1600"})),
        r#"
        error size.edge_too_long: size "3856x1600": long edge 3856 is above the maximum of 3840
        |value: 3856x1600
        |limit: long edge at most 3840
        |fix: use "3840x1600", the nearest valid size
        |replacement: 3840x1600
        "#,
    );
}

#[test]
fn size_beyond_3_to_1_shows_the_ratio() {
    assert_findings(
        "openai",
        gpt2(json!({"size": "3840x1264"})),
        r#"
        error size.aspect_too_extreme: size "3840x1264": long:short ratio 3.04:1 is above the maximum of 3:1
        |value: 3840x1264
        |limit: long:short at most 3:1
        |fix: use "3808x1280", the nearest valid size
        |replacement: 3808x1280
        "#,
    );
}

#[test]
fn size_just_beyond_3_to_1_never_shows_a_ratio_equal_to_the_maximum() {
    assert_findings(
        "openai",
        gpt2(json!({"size": "3001x1000"})),
        r#"
        error size.not_multiple_of_16: size "3001x1000": width 3001 and height 1000 are not multiples of 16
        |value: 3001x1000
        |limit: multiples of 16
        |fix: use "3008x1008", the nearest valid size
        |replacement: 3008x1008
        error size.aspect_too_extreme: size "3001x1000": long:short ratio 3.001:1 is above the maximum of 3:1
        |value: 3001x1000
        |limit: long:short at most 3:1
        |fix: use "3008x1008", the nearest valid size
        |replacement: 3008x1008
        "#,
    );
}

#[test]
fn size_with_a_zero_edge_has_an_unbounded_ratio_and_no_pixels() {
    assert_findings(
        "openai",
        gpt2(json!({"size": "0x1024"})),
        r#"
        error size.aspect_too_extreme: size "0x1024": long:short ratio is unbounded because an edge is 0; the maximum is 3:1
        |value: 0x1024
        |limit: long:short at most 3:1
        |fix: use "480x1424", the nearest valid size
        |replacement: 480x1424
        error size.too_few_pixels: size "0x1024": 0 pixels is below the minimum of 655,360
        |value: 0x1024
        |limit: at least 655360 pixels
        |fix: use "480x1424", the nearest valid size
        |replacement: 480x1424
        "#,
    );
}

#[test]
fn size_800x800_has_too_few_pixels_and_816x816_is_the_fix() {
    assert_findings(
        "openai",
        gpt2(json!({"size": "800x800"})),
        r#"
        error size.too_few_pixels: size "800x800": 640,000 pixels is below the minimum of 655,360
        |value: 800x800
        |limit: at least 655360 pixels
        |fix: use "816x816", the nearest valid size
        |replacement: 816x816
        "#,
    );
}

#[test]
fn size_3008x3008_has_too_many_pixels_and_2880x2880_is_the_fix() {
    assert_findings(
        "openai",
        gpt2(json!({"size": "3008x3008"})),
        r#"
        error size.too_many_pixels: size "3008x3008": 9,048,064 pixels is above the maximum of 8,294,400
        |value: 3008x3008
        |limit: at most 8294400 pixels
        |fix: use "2880x2880", the nearest valid size
        |replacement: 2880x2880
        "#,
    );
}

#[test]
fn size_above_2560x1440_pixels_is_experimental_at_openai() {
    assert_findings(
        "openai",
        gpt2(json!({"size": "3840x2160"})),
        r#"
        warning size.experimental: size "3840x2160": 8,294,400 pixels is above 3,686,400, which openai calls experimental
        |value: 3840x2160
        |limit: at most 3686400 pixels for stable output
        "#,
    );
}

#[test]
fn size_auto_where_it_is_not_offered_suggests_the_default_size() {
    assert_findings(
        "wavespeed",
        gpt2(json!({"size": "auto"})),
        r#"
        error size.not_offered: size "auto": not offered for "gpt-image-2" at "wavespeed"
        |value: auto
        |limit: the size rule
        |fix: use "1024x1024" or another explicit size
        |replacement: 1024x1024
        "#,
    );
}

#[test]
fn size_missing_from_a_list_names_the_list_and_the_nearest_listed_size() {
    assert_findings(
        "enum-sizes",
        gpt2(json!({"size": "1920x1088"})),
        r#"
        error size.not_offered: size "1920x1088": not offered for "gpt-image-2" at "enum-sizes"
        |value: 1920x1088
        |limit: "1024x1024", "1024x1536", "1536x1024", "2048x2048", "2048x1152", "3840x2160", "2160x3840", "2048x1360", "1360x2048", "1152x2048", "2048x1536", "1536x2048", "2048x880", "880x2048", "688x2048", "2048x688", "2048x1024", "1024x2048", "auto"
        |fix: use "2048x1152", the nearest valid size
        |replacement: 2048x1152
        "#,
    );
    // wavespeed does not serve gpt-image-1's replacement: the fix is the
    // first model it serves that is still active.
    let expected = r#"
        error model.retired: model "gpt-image-1": gpt-image-1 was shut down on 2026-10-23 (OpenAI API reference and model page); its replacement is "gpt-image-2.5-sunburst"
        |value: gpt-image-1
        |limit: shut down 2026-10-23
        |fix: use "gpt-image-2"
        |replacement: gpt-image-2
        error size.not_offered: size "2048x2048": not offered for "gpt-image-1" at "wavespeed"
        |value: 2048x2048
        |limit: "1024x1024", "1536x1024", "1024x1536"
        |fix: use "1024x1024", the nearest valid size
        |replacement: 1024x1024
        "#;
    assert_findings(
        "wavespeed",
        with_model("gpt-image-1", json!({"size": "2048x2048"})),
        expected,
    );
}

#[test]
fn size_at_a_model_that_only_takes_auto_suggests_auto() {
    assert_findings(
        "uniall",
        with_model("gpt-image-2-auto", json!({"n": "1", "size": "1024x1024"})),
        r#"
        error size.not_offered: size "1024x1024": not offered for "gpt-image-2-auto" at "uniall"
        |value: 1024x1024
        |limit: "auto"
        |fix: use "auto", the only size offered
        |replacement: auto
        "#,
    );
}

#[test]
fn size_missing_where_required_gives_an_example() {
    assert_findings(
        "all-required",
        gpt2(json!({"n": 1})),
        r#"
        error size.missing: size: missing; "all-required" requires it
        |fix: add size, for example "1024x1024"
        |replacement: 1024x1024
        "#,
    );
}

#[test]
fn size_text_that_is_a_near_miss_is_malformed_with_the_intended_size_as_fix() {
    assert_findings(
        "openai",
        gpt2(json!({"size": "1024X1024"})),
        r#"
        error size.malformed: size "1024X1024": not WIDTHxHEIGHT with a lowercase x, such as "1024x1024"
        |value: 1024X1024
        |limit: WIDTHxHEIGHT or "auto"
        |fix: write it as "1024x1024"
        |replacement: 1024x1024
        "#,
    );
    assert_findings(
        "openai",
        gpt2(json!({"size": "01024x1024"})),
        r#"
        error size.malformed: size "01024x1024": width "01024" has a leading zero
        |value: 01024x1024
        |limit: WIDTHxHEIGHT or "auto"
        |fix: write it as "1024x1024"
        |replacement: 1024x1024
        "#,
    );
}

#[test]
fn size_text_that_is_not_a_size_is_malformed_with_the_form_as_fix() {
    assert_findings(
        "openai",
        gpt2(json!({"size": "bigx1024"})),
        r#"
        error size.malformed: size "bigx1024": width "big" is not a whole number of pixels
        |value: bigx1024
        |limit: WIDTHxHEIGHT or "auto"
        |fix: write it as WIDTHxHEIGHT, such as "1024x1024"
        "#,
    );
    assert_findings(
        "openai",
        gpt2(json!({"size": ""})),
        r#"
        error size.malformed: size "": empty; expected WIDTHxHEIGHT such as "1024x1024"
        |value:
        |limit: WIDTHxHEIGHT or "auto"
        |fix: write it as WIDTHxHEIGHT, such as "1024x1024"
        "#,
    );
    assert_findings(
        "openai",
        gpt2(json!({"size": "4294967296x1"})),
        r#"
        error size.malformed: size "4294967296x1": width is above 4294967295
        |value: 4294967296x1
        |limit: WIDTHxHEIGHT or "auto"
        |fix: write it as WIDTHxHEIGHT, such as "1024x1024"
        "#,
    );
}

#[test]
fn size_that_is_not_a_string_has_the_wrong_type() {
    assert_findings(
        "openai",
        gpt2(json!({"size": 1024})),
        r#"
        error size.invalid_type: size 1024: expected a string, got an integer
        |value: 1024
        |limit: a string
        |fix: send size as a JSON string
        "#,
    );
}

#[test]
fn size_unreadable_where_required_is_not_also_missing() {
    assert_findings(
        "all-required",
        gpt2(json!({"n": 1, "size": "1024*1024"})),
        r#"
        error size.malformed: size "1024*1024": not WIDTHxHEIGHT with a lowercase x, such as "1024x1024"
        |value: 1024*1024
        |limit: WIDTHxHEIGHT or "auto"
        |fix: write it as "1024x1024"
        |replacement: 1024x1024
        "#,
    );
}

// ------------------------------------------------------------------ model

#[test]
fn model_missing_without_a_default_names_the_served_models() {
    assert_findings(
        "openai",
        json!({"prompt": "an otter"}),
        &format!(
            r#"
            error model.missing: model: missing; "openai" needs a model name
            |limit: {OPENAI_MODELS}
            |fix: add model "gpt-image-2.6-sunburst"
            |replacement: gpt-image-2.6-sunburst
            "#
        ),
    );
}

#[test]
fn model_not_served_names_the_served_models_and_suggests_the_first() {
    assert_findings(
        "openai",
        with_model("gpt-image-3", json!({})),
        &format!(
            r#"
            error model.unknown: model "gpt-image-3": not served by openai; it serves {OPENAI_MODELS}
            |value: gpt-image-3
            |limit: {OPENAI_MODELS}
            |fix: use "gpt-image-2.6-sunburst"
            |replacement: gpt-image-2.6-sunburst
            "#
        ),
    );
}

#[test]
fn model_served_under_another_name_suggests_that_name() {
    assert_findings(
        "uniall",
        json!({"model": "gpt-image-2", "prompt": "an otter", "n": "1"}),
        r#"
        error model.unknown: model "gpt-image-2": not served by uniall; it serves "gpt-image-2-origin", "gpt-image-2-auto", "gpt-image-1", "dall-e-3", "dall-e-2"
        |value: gpt-image-2
        |limit: "gpt-image-2-origin", "gpt-image-2-auto", "gpt-image-1", "dall-e-3", "dall-e-2"
        |fix: use "gpt-image-2-origin"
        |replacement: gpt-image-2-origin
        "#,
    );
}

#[test]
fn model_snapshot_refused_by_infinityblue_says_why_and_what_to_use() {
    assert_findings(
        "infinityblue",
        with_model("gpt-image-2-2026-04-21", json!({})),
        r#"
        error model.unavailable: model "gpt-image-2-2026-04-21": refused by infinityblue: snapshot versions are currently unavailable
        |value: gpt-image-2-2026-04-21
        |limit: "gpt-image-2"
        |fix: use "gpt-image-2"
        |replacement: gpt-image-2
        "#,
    );
}

#[test]
fn model_retired_is_an_error_with_the_date_and_a_current_model() {
    assert_findings(
        "openai",
        with_model("dall-e-3", json!({})),
        DALL_E_3_RETIRED,
    );
    assert_findings(
        "openai",
        with_model("gpt-image-1.5", json!({})),
        r#"
        error model.retired: model "gpt-image-1.5": gpt-image-1.5 was shut down on 2026-12-01 (OpenAI deprecations page: notice 2026-06-02, shutdown 2026-12-01); its replacement is "gpt-image-2.6-sunburst"
        |value: gpt-image-1.5
        |limit: shut down 2026-12-01
        |fix: use "gpt-image-2.6-sunburst"
        |replacement: gpt-image-2.6-sunburst
        "#,
    );
}

#[test]
fn model_deprecated_is_a_warning_with_the_shutdown_date_and_the_replacement() {
    let profile = builtin_profile("openai").unwrap();
    let body = with_model("gpt-image-1.5", json!({})).to_string();
    let report = validate_json_on(&body, profile, "2026-11-15".parse().unwrap());
    assert_text(
        &render_report(&report),
        r#"
        warning model.deprecated: model "gpt-image-1.5": gpt-image-1.5 is deprecated; it shuts down on 2026-12-01 (OpenAI deprecations page: notice 2026-06-02, shutdown 2026-12-01); its replacement is "gpt-image-2.6-sunburst"
        |value: gpt-image-1.5
        |limit: usable until 2026-12-01
        |fix: use "gpt-image-2.6-sunburst"
        |replacement: gpt-image-2.6-sunburst
        "#,
    );
    // Before the announcement, nothing.
    let report = validate_json_on(&body, profile, "2026-06-01".parse().unwrap());
    assert_text(&render_report(&report), "");
}

#[test]
fn model_that_is_not_a_string_has_the_wrong_type_and_is_not_also_missing() {
    assert_findings(
        "openai",
        json!({"model": 2, "prompt": "an otter"}),
        r#"
        error model.invalid_type: model 2: expected a string, got an integer
        |value: 2
        |limit: a string
        |fix: send model as a JSON string
        "#,
    );
}

// ------------------------------------------------------------------ prompt

#[test]
fn prompt_missing_is_refused() {
    assert_findings(
        "openai",
        json!({"model": "gpt-image-2"}),
        r#"
        error prompt.missing: prompt: missing; "openai" requires it
        |fix: add prompt
        "#,
    );
}

#[test]
fn prompt_empty_is_refused_where_at_least_one_character_is_needed() {
    assert_findings(
        "openai",
        gpt2(json!({"prompt": ""})),
        r#"
        error prompt.empty: prompt "": empty, but at least 1 character is needed
        |value:
        |limit: at least 1 character
        |fix: describe the image
        "#,
    );
}

#[test]
fn prompt_of_exactly_32000_characters_is_accepted_and_32001_is_too_long() {
    assert_findings("openai", gpt2(json!({"prompt": "a".repeat(32_000)})), "");
    assert_findings(
        "openai",
        gpt2(json!({"prompt": "a".repeat(32_001)})),
        r#"
        error prompt.too_long: prompt "aaaaaaaaaaaaaaaaaaaaaaaa...": 32,001 characters is above the maximum of 32,000 for "gpt-image-2" at "openai"
        |value: 32001 characters
        |limit: at most 32000 characters
        |fix: shorten the prompt by 1 character
        "#,
    );
}

#[test]
fn prompt_length_counts_characters_not_bytes() {
    // "é" is 2 bytes in UTF-8 and "🦦" is 4 (and 2 UTF-16 units): 32,000 of
    // either is 64,000 or 128,000 bytes, and still exactly at the limit.
    for c in ["é", "🦦"] {
        assert_findings("openai", gpt2(json!({"prompt": c.repeat(32_000)})), "");
    }
    assert_findings(
        "openai",
        gpt2(json!({"prompt": "🦦".repeat(32_010)})),
        r#"
        error prompt.too_long: prompt "🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦🦦...": 32,010 characters is above the maximum of 32,000 for "gpt-image-2" at "openai"
        |value: 32010 characters
        |limit: at most 32000 characters
        |fix: shorten the prompt by 10 characters
        "#,
    );
}

#[test]
fn prompt_limit_is_per_model() {
    assert_findings(
        "openai",
        with_model("dall-e-2", json!({"prompt": "é".repeat(1_001)})),
        &(DALL_E_3_RETIRED.replace("dall-e-3", "dall-e-2")
            + r#"
        error prompt.too_long: prompt "éééééééééééééééééééééééé...": 1,001 characters is above the maximum of 1,000 for "dall-e-2" at "openai"
        |value: 1001 characters
        |limit: at most 1000 characters
        |fix: shorten the prompt by 1 character
        "#),
    );
}

#[test]
fn prompt_shorter_than_a_minimum_above_1_says_how_short() {
    let profile = hand_built(|r| r.prompt.min_chars = 3);
    let report = validate(&ImageRequest::new("gpt-image-2", "ab"), &profile);
    assert_text(
        &render_report(&report),
        r#"
        error prompt.empty: prompt "ab": 2 characters is below the minimum of 3
        |value: ab
        |limit: at least 3 characters
        |fix: describe the image
        "#,
    );
    let report = validate(&ImageRequest::new("gpt-image-2", ""), &profile);
    assert_text(
        &render_report(&report),
        r#"
        error prompt.empty: prompt "": empty, but at least 3 characters are needed
        |value:
        |limit: at least 3 characters
        |fix: describe the image
        "#,
    );
}

#[test]
fn prompt_that_is_not_a_string_has_the_wrong_type() {
    assert_findings(
        "openai",
        gpt2(json!({"prompt": ["an", "otter"]})),
        r#"
        error prompt.invalid_type: prompt ["an","otter"]: expected a string, got an array
        |value: ["an","otter"]
        |limit: a string
        |fix: send prompt as a JSON string
        "#,
    );
}

// ------------------------------------------------------------------ n

#[test]
fn n_below_the_minimum_is_refused() {
    assert_findings(
        "openai",
        gpt2(json!({"n": 0})),
        r#"
        error n.out_of_range: n 0: below the minimum of 1 for "gpt-image-2" at "openai"
        |value: 0
        |limit: 1..=10
        |fix: use 1
        |replacement: 1
        "#,
    );
}

#[test]
fn n_above_the_maximum_is_refused() {
    assert_findings(
        "openai",
        gpt2(json!({"n": 11})),
        r#"
        error n.out_of_range: n 11: above the maximum of 10 for "gpt-image-2" at "openai"
        |value: 11
        |limit: 1..=10
        |fix: use 10, or send several requests
        |replacement: 10
        "#,
    );
}

#[test]
fn n_above_the_per_call_maximum_is_split_into_calls() {
    assert_findings(
        "infinityblue",
        gpt2(json!({"n": 4})),
        r#"
        warning n.split: n 4: infinityblue takes at most 1 per call, so the plan sends 4 calls
        |value: 4
        |limit: 1..=1
        |fix: use n 1 to send a single call
        |replacement: 1
        "#,
    );
}

#[test]
fn n_above_what_the_plan_splits_is_refused_and_says_how_splitting_works() {
    assert_findings(
        "infinityblue",
        gpt2(json!({"n": 11})),
        r#"
        error n.out_of_range: n 11: above the maximum of 10 (1 per call, split into at most 10 calls) for "gpt-image-2" at "infinityblue"
        |value: 11
        |limit: 1..=10
        |fix: use 10, or send several requests
        |replacement: 10
        "#,
    );
}

#[test]
fn n_missing_where_required_is_refused_with_an_integer_example() {
    assert_findings(
        "all-required",
        gpt2(json!({"size": "1024x1024"})),
        r#"
        error n.missing: n: missing; "all-required" requires it
        |fix: add n, for example 1
        |replacement: 1
        "#,
    );
}

#[test]
fn n_missing_where_required_with_a_default_sends_the_default_as_a_string_at_uniall() {
    assert_findings(
        "uniall",
        json!({"prompt": "an otter"}),
        r#"
        warning n.defaulted: n: required by "uniall"; the plan sends the default "1"
        |replacement: 1
        "#,
    );
}

#[test]
fn n_as_a_string_where_an_integer_is_expected_has_the_wrong_type() {
    assert_findings(
        "openai",
        gpt2(json!({"n": "4"})),
        r#"
        error n.invalid_type: n "4": expected an integer, got a string
        |value: "4"
        |limit: an integer
        |fix: send 4 without quotes
        |replacement: 4
        "#,
    );
    assert_findings(
        "openai",
        gpt2(json!({"n": 2.0})),
        r#"
        error n.invalid_type: n 2.0: expected an integer, got a number with a fraction or exponent
        |value: 2.0
        |limit: an integer
        |fix: write it as the integer 2
        |replacement: 2
        "#,
    );
}

#[test]
fn n_unreadable_where_required_is_not_also_defaulted() {
    assert_findings(
        "uniall",
        json!({"prompt": "an otter", "n": "two"}),
        r#"
        error n.invalid_type: n "two": expected an integer, got a string
        |value: "two"
        |limit: an integer
        |fix: send n as a whole number
        "#,
    );
}

#[test]
fn n_negative_or_beyond_32_bits_is_out_of_range() {
    assert_findings(
        "openai",
        gpt2(json!({"n": -1})),
        r#"
        error n.out_of_range: n -1: negative, but it must be 0 or more
        |value: -1
        |limit: 0..=4294967295
        |fix: use a positive n
        "#,
    );
    assert_findings(
        "openai",
        gpt2(json!({"n": 5_000_000_000u64})),
        r#"
        error n.out_of_range: n 5000000000: far above any limit
        |value: 5000000000
        |limit: 0..=4294967295
        "#,
    );
}

// ------------------------------------------------------------------ enumerated parameters

#[test]
fn quality_not_taken_by_the_model_lists_what_is_and_suggests_the_default() {
    assert_findings(
        "openai",
        gpt2(json!({"quality": "hd"})),
        r#"
        error quality.unsupported_value: quality "hd": not one of "low", "medium", "high", "auto" for "gpt-image-2" at "openai"
        |value: hd
        |limit: "low", "medium", "high", "auto"
        |fix: use "auto"
        |replacement: auto
        "#,
    );
}

#[test]
fn quality_word_this_crate_does_not_know_is_reported_like_any_unsupported_value() {
    assert_findings(
        "openai",
        gpt2(json!({"quality": "ultra"})),
        r#"
        error quality.unsupported_value: quality "ultra": not one of "low", "medium", "high", "auto" for "gpt-image-2" at "openai"
        |value: ultra
        |limit: "low", "medium", "high", "auto"
        |fix: use "auto"
        |replacement: auto
        "#,
    );
}

#[test]
fn quality_in_capitals_is_fixed_by_lowercasing() {
    assert_findings(
        "openai",
        gpt2(json!({"quality": "HIGH"})),
        r#"
        error quality.unsupported_value: quality "HIGH": not one of "low", "medium", "high", "auto" for "gpt-image-2" at "openai"
        |value: HIGH
        |limit: "low", "medium", "high", "auto"
        |fix: write it in lowercase: "high"
        |replacement: high
        "#,
    );
}

/// With no model to judge by, a value is judged against every value some
/// served model takes for that parameter.
#[test]
fn enum_word_without_a_known_model_lists_every_name() {
    assert_findings(
        "openai",
        json!({"model": "gpt-image-3", "prompt": "an otter", "background": "none"}),
        &format!(
            r#"
            error model.unknown: model "gpt-image-3": not served by openai; it serves {OPENAI_MODELS}
            |value: gpt-image-3
            |limit: {OPENAI_MODELS}
            |fix: use "gpt-image-2.6-sunburst"
            |replacement: gpt-image-2.6-sunburst
            error background.unsupported_value: background "none": not one of "transparent", "opaque", "auto"
            |value: none
            |limit: "transparent", "opaque", "auto"
            "#
        ),
    );
}

#[test]
fn quality_with_no_effect_at_infinityblue_is_a_warning() {
    assert_findings(
        "infinityblue",
        gpt2(json!({"quality": "high"})),
        r#"
        warning quality.no_effect: quality "high": accepted but has no effect for "gpt-image-2" at "infinityblue"
        |value: high
        |limit: accepted, ignored
        |fix: remove quality
        "#,
    );
}

#[test]
fn quality_undocumented_at_all_required_is_a_warning() {
    assert_findings(
        "all-required",
        gpt2(json!({"n": 1, "size": "1024x1024", "quality": "high"})),
        r#"
        warning quality.undocumented: quality "high": not documented for "gpt-image-2" at "all-required"; it may be ignored or refused
        |value: high
        |limit: not documented
        |fix: remove quality
        "#,
    );
}

#[test]
fn response_format_at_openai_gpt_image_2_is_not_supported() {
    assert_findings(
        "openai",
        gpt2(json!({"response_format": "url"})),
        r#"
        error response_format.not_supported: response_format "url": not supported for "gpt-image-2" at "openai"
        |value: url
        |limit: not accepted
        |fix: remove response_format
        "#,
    );
}

#[test]
fn background_transparent_at_infinityblue_is_an_unsupported_value() {
    assert_findings(
        "infinityblue",
        gpt2(json!({"background": "transparent"})),
        r#"
        error background.unsupported_value: background "transparent": not one of "opaque", "auto" for "gpt-image-2" at "infinityblue"
        |value: transparent
        |limit: "opaque", "auto"
        |fix: use "auto"
        |replacement: auto
        "#,
    );
}

/// A transparent background on gpt-image-2: valid, in preview.
const BACKGROUND_PREVIEW: &str = r#"
    warning background.preview: background "transparent": in preview for "gpt-image-2" at "openai"; it may change or be refused (transparent backgrounds are in preview for gpt-image-2 (OpenAI openapi 010421d, 2026-08-20); users still report 400s for it (sub2api#7150))
    |value: transparent
    |limit: in preview
    |fix: expect refusals, or remove background
"#;

#[test]
fn background_transparent_with_jpeg_is_incompatible() {
    assert_findings(
        "openai",
        gpt2(json!({"background": "transparent", "output_format": "jpeg"})),
        &format!(
            r#"
            {BACKGROUND_PREVIEW}
            error background.incompatible: background "transparent": needs output_format "png" or "webp", not "jpeg"
            |value: transparent
            |limit: needs output_format "png" or "webp"
            |fix: set output_format to "png", or remove background
            "#
        ),
    );
    assert_findings(
        "openai",
        gpt2(json!({"background": "transparent"})),
        BACKGROUND_PREVIEW,
    );
    assert_findings(
        "openai",
        gpt2(json!({"background": "transparent", "output_format": "webp"})),
        BACKGROUND_PREVIEW,
    );
    // Out of preview on gpt-image-2.5: only the format is wrong.
    assert_findings(
        "openai",
        with_model(
            "gpt-image-2.5-sunburst",
            json!({"background": "transparent", "output_format": "jpeg"}),
        ),
        r#"
        error background.incompatible: background "transparent": needs output_format "png" or "webp", not "jpeg"
        |value: transparent
        |limit: needs output_format "png" or "webp"
        |fix: set output_format to "png", or remove background
        "#,
    );
}

#[test]
fn style_at_infinityblue_has_no_effect_and_at_openai_gpt_image_2_is_not_supported() {
    assert_findings(
        "infinityblue",
        gpt2(json!({"style": "vivid"})),
        r#"
        warning style.no_effect: style "vivid": accepted but has no effect for "gpt-image-2" at "infinityblue"
        |value: vivid
        |limit: accepted, ignored
        |fix: remove style
        "#,
    );
    assert_findings(
        "openai",
        gpt2(json!({"style": "natural"})),
        r#"
        error style.not_supported: style "natural": not supported for "gpt-image-2" at "openai"
        |value: natural
        |limit: not accepted
        |fix: remove style
        "#,
    );
}

/// A profile like `openai` whose models' rules were changed by hand.
fn hand_built(edit: impl Fn(&mut gpt_image_plan::ModelRules)) -> Profile {
    let mut profile = builtin_profile("openai").unwrap().clone();
    for model in &mut profile.models {
        edit(&mut model.rules);
    }
    profile
}

/// A templated case: a profile, a body, and the findings expected.
struct Case {
    profile: Profile,
    body: Value,
    expected: String,
}

/// The optional parameters, each with a value (as text) that the model takes.
const PARAMS: [(&str, &str); 11] = [
    ("quality", "low"),
    ("background", "opaque"),
    ("output_format", "webp"),
    ("moderation", "low"),
    ("response_format", "b64_json"),
    ("style", "vivid"),
    ("output_compression", "80"),
    ("stream", "true"),
    ("partial_images", "1"),
    ("user", "u1"),
    ("enable_sync_mode", "true"),
];

/// The value of `field` as JSON: strings for the text fields, else numbers and booleans.
fn param_value(field: &str, text: &str) -> Value {
    match field {
        "output_compression" | "partial_images" => json!(text.parse::<u32>().unwrap()),
        "stream" | "enable_sync_mode" => json!(text == "true"),
        _ => json!(text),
    }
}

/// Sets the support of `field` in every model of a hand-built openai profile.
fn with_support(field: &str, support: Support) -> Profile {
    hand_built(|r| {
        r.params.entry(field.to_owned()).or_default().support = support;
        // Give the parameters with no values at gpt-image-2 the ones OpenAI documents elsewhere.
        for (name, values) in [
            ("response_format", ["url", "b64_json"]),
            ("style", ["vivid", "natural"]),
        ] {
            r.params.entry(name.to_owned()).or_default().values =
                values.map(ParamValue::from).to_vec();
        }
    })
}

/// Every optional parameter reports being refused, ignored or undocumented in the same words.
fn support_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (field, text) in PARAMS {
        let value = param_value(field, text);
        let shown = value.to_string();
        for (support, head, limit) in [
            (
                Support::Rejected,
                format!(
                    "error {field}.not_supported: {field} {shown}: not supported for \"gpt-image-2\" at \"openai\""
                ),
                "not accepted",
            ),
            (
                Support::NoEffect,
                format!(
                    "warning {field}.no_effect: {field} {shown}: accepted but has no effect for \"gpt-image-2\" at \"openai\""
                ),
                "accepted, ignored",
            ),
            (
                Support::Undocumented,
                format!(
                    "warning {field}.undocumented: {field} {shown}: not documented for \"gpt-image-2\" at \"openai\"; it may be ignored or refused"
                ),
                "not documented",
            ),
        ] {
            let mut body = gpt2(json!({field: value.clone()}));
            if field == "output_compression" {
                // A format compression applies to, so only the support is reported.
                body["output_format"] = json!("jpeg");
            }
            cases.push(Case {
                profile: with_support(field, support),
                body,
                expected: format!("{head}\n|value: {text}\n|limit: {limit}\n|fix: remove {field}"),
            });
        }
    }
    cases
}

#[test]
fn every_optional_parameter_reports_each_kind_of_support_in_the_same_words() {
    for case in support_cases() {
        let report = validate_json(&case.body.to_string(), &case.profile);
        assert_text(&render_report(&report), &case.expected);
    }
}

/// An enumerated value the model does not take, for each enumerated parameter.
fn unsupported_value_cases() -> Vec<Case> {
    [
        ("quality", "low", "high"),
        ("background", "opaque", "auto"),
        ("output_format", "webp", "png"),
        ("moderation", "low", "auto"),
        ("response_format", "b64_json", "url"),
        ("style", "vivid", "natural"),
    ]
    .into_iter()
    .map(|(field, sent, only)| {
        let profile = hand_built(|r| {
            let rule = r.params.entry(field.to_owned()).or_default();
            rule.values = vec![ParamValue::from(only)];
            if matches!(field, "response_format" | "style") {
                rule.support = Support::Supported;
            }
            r.defaults.remove(field);
        });
        Case {
            profile,
            body: gpt2(json!({field: sent})),
            expected: format!(
                "error {field}.unsupported_value: {field} \"{sent}\": not one of \"{only}\" for \"gpt-image-2\" at \"openai\"\n\
                 |value: {sent}\n|limit: \"{only}\"\n|fix: use \"{only}\"\n|replacement: {only}"
            ),
        }
    })
    .collect()
}

#[test]
fn every_enumerated_parameter_reports_a_value_the_model_does_not_take_in_the_same_words() {
    for case in unsupported_value_cases() {
        let report = validate_json(&case.body.to_string(), &case.profile);
        assert_text(&render_report(&report), &case.expected);
    }
}

/// A JSON array where each field wants something else.
fn invalid_type_cases() -> Vec<Case> {
    let openai = builtin_profile("openai").unwrap();
    let fields = [
        "model",
        "prompt",
        "n",
        "size",
        "quality",
        "background",
        "output_format",
        "output_compression",
        "moderation",
        "response_format",
        "style",
        "stream",
        "partial_images",
        "user",
        "enable_sync_mode",
    ];
    fields
        .into_iter()
        .map(|field| {
            let (what, fix) = match field {
                "n" | "output_compression" | "partial_images" => {
                    ("an integer", format!("send {field} as a whole number"))
                }
                "stream" | "enable_sync_mode" => ("a boolean", "send true or false".to_owned()),
                _ => ("a string", format!("send {field} as a JSON string")),
            };
            Case {
                profile: openai.clone(),
                body: gpt2(json!({field: [1]})),
                expected: format!(
                    "error {field}.invalid_type: {field} [1]: expected {what}, got an array\n\
                     |value: [1]\n|limit: {what}\n|fix: {fix}"
                ),
            }
        })
        .collect()
}

#[test]
fn every_field_sent_with_the_wrong_json_type_reports_what_it_expected() {
    let cases = invalid_type_cases();
    assert_eq!(cases.len(), 15);
    for case in cases {
        let report = validate_json(&case.body.to_string(), &case.profile);
        assert_text(&render_report(&report), &case.expected);
    }
}

// ------------------------------------------------------------------ output_compression

#[test]
fn output_compression_above_100_is_out_of_range() {
    assert_findings(
        "openai",
        gpt2(json!({"output_format": "jpeg", "output_compression": 101})),
        r#"
        error output_compression.out_of_range: output_compression 101: above the maximum of 100 for "gpt-image-2" at "openai"
        |value: 101
        |limit: 0..=100
        |fix: use 100
        |replacement: 100
        "#,
    );
}

#[test]
fn output_compression_with_png_has_no_effect_at_openai() {
    let expected = r#"
        warning output_compression.no_effect: output_compression 50: has no effect unless output_format is "jpeg" or "webp"
        |value: 50
        |limit: needs output_format "jpeg" or "webp"
        |fix: set output_format to "jpeg", or remove output_compression
        "#;
    assert_findings(
        "openai",
        gpt2(json!({"output_format": "png", "output_compression": 50})),
        expected,
    );
    // png is the default format, so leaving the format out is the same.
    assert_findings("openai", gpt2(json!({"output_compression": 50})), expected);
}

#[test]
fn output_compression_with_png_must_be_100_or_omitted_at_enum_sizes() {
    assert_findings(
        "enum-sizes",
        gpt2(json!({"output_format": "png", "output_compression": 0})),
        r#"
        error output_compression.incompatible: output_compression 0: needs output_format "jpeg", not "png"
        |value: 0
        |limit: needs output_format "jpeg"
        |fix: set output_format to "jpeg", or remove output_compression
        "#,
    );
}

#[test]
fn output_compression_refused_with_other_formats_is_incompatible() {
    let profile = hand_built(|r| {
        for c in &mut r.constraints {
            if c.param == "output_compression" {
                c.effect = gpt_image_plan::Effect::Incompatible;
            }
        }
    });
    let body = gpt2(json!({"output_format": "png", "output_compression": 50}));
    assert_text(
        &render_report(&validate_json(&body.to_string(), &profile)),
        r#"
        error output_compression.incompatible: output_compression 50: needs output_format "jpeg" or "webp", not "png"
        |value: 50
        |limit: needs output_format "jpeg" or "webp"
        |fix: set output_format to "jpeg", or remove output_compression
        "#,
    );
}

#[test]
fn output_compression_shows_numbers_bare_when_not_supported_undocumented_or_ignored() {
    let mut expected = DALL_E_3_RETIRED.to_owned();
    expected.push_str(
        r#"
        error output_compression.not_supported: output_compression 50: not supported for "dall-e-3" at "openai"
        |value: 50
        |limit: not accepted
        |fix: remove output_compression
        "#,
    );
    assert_findings(
        "openai",
        with_model("dall-e-3", json!({"output_compression": 50})),
        &expected,
    );
    assert_findings(
        "wavespeed",
        gpt2(json!({"output_compression": 80})),
        r#"
        warning output_compression.undocumented: output_compression 80: not documented for "gpt-image-2" at "wavespeed"; it may be ignored or refused
        |value: 80
        |limit: not documented
        |fix: remove output_compression
        "#,
    );
    let profile = hand_built(|r| {
        r.params
            .entry("output_compression".to_owned())
            .or_default()
            .support = Support::NoEffect;
    });
    let body = gpt2(json!({"output_format": "jpeg", "output_compression": 80}));
    assert_text(
        &render_report(&validate_json(&body.to_string(), &profile)),
        r#"
        warning output_compression.no_effect: output_compression 80: accepted but has no effect for "gpt-image-2" at "openai"
        |value: 80
        |limit: accepted, ignored
        |fix: remove output_compression
        "#,
    );
}

#[test]
fn output_compression_as_a_string_has_the_wrong_type() {
    assert_findings(
        "openai",
        gpt2(json!({"output_format": "jpeg", "output_compression": "80"})),
        r#"
        error output_compression.invalid_type: output_compression "80": expected an integer, got a string
        |value: "80"
        |limit: an integer
        |fix: send 80 without quotes
        |replacement: 80
        "#,
    );
}

// ------------------------------------------------------------------ stream, partial_images, user, enable_sync_mode

#[test]
fn partial_images_above_3_is_out_of_range() {
    assert_findings(
        "openai",
        gpt2(json!({"stream": true, "partial_images": 4})),
        r#"
        error partial_images.out_of_range: partial_images 4: above the maximum of 3 for "gpt-image-2" at "openai"
        |value: 4
        |limit: 0..=3
        |fix: use 3
        |replacement: 3
        "#,
    );
}

#[test]
fn partial_images_without_stream_has_no_effect() {
    assert_findings(
        "openai",
        gpt2(json!({"partial_images": 2})),
        r#"
        warning partial_images.no_effect: partial_images 2: has no effect unless stream is true
        |value: 2
        |limit: needs stream true
        |fix: set stream to true, or remove partial_images
        "#,
    );
    assert_findings("openai", gpt2(json!({"partial_images": 0})), "");
}

#[test]
fn partial_images_and_stream_have_no_effect_at_infinityblue() {
    assert_findings(
        "infinityblue",
        gpt2(json!({"stream": true, "partial_images": 2})),
        // In the body's order (json! writes its keys sorted).
        r#"
        warning partial_images.no_effect: partial_images 2: accepted but has no effect for "gpt-image-2" at "infinityblue"
        |value: 2
        |limit: accepted, ignored
        |fix: remove partial_images
        warning stream.no_effect: stream true: accepted but has no effect for "gpt-image-2" at "infinityblue"
        |value: true
        |limit: accepted, ignored
        |fix: remove stream
        "#,
    );
}

#[test]
fn stream_and_partial_images_are_not_supported_by_dall_e_3() {
    assert_findings(
        "openai",
        with_model("dall-e-3", json!({"stream": true, "partial_images": 1})),
        // Parameters are judged in the order the body gives them (json!
        // writes its keys sorted).
        &(DALL_E_3_RETIRED.to_owned()
            + r#"
        error partial_images.not_supported: partial_images 1: not supported for "dall-e-3" at "openai"
        |value: 1
        |limit: not accepted
        |fix: remove partial_images
        error stream.not_supported: stream true: not supported for "dall-e-3" at "openai"
        |value: true
        |limit: not accepted
        |fix: remove stream
        "#),
    );
}

#[test]
fn stream_partial_images_and_user_are_undocumented_at_all_required() {
    assert_findings(
        "all-required",
        gpt2(
            json!({"n": 1, "size": "1024x1024", "stream": false, "partial_images": 1, "user": "user-1234"}),
        ),
        // In the body's order (json! writes its keys sorted).
        r#"
        warning partial_images.undocumented: partial_images 1: not documented for "gpt-image-2" at "all-required"; it may be ignored or refused
        |value: 1
        |limit: not documented
        |fix: remove partial_images
        warning stream.undocumented: stream false: not documented for "gpt-image-2" at "all-required"; it may be ignored or refused
        |value: false
        |limit: not documented
        |fix: remove stream
        warning user.undocumented: user "user-1234": not documented for "gpt-image-2" at "all-required"; it may be ignored or refused
        |value: user-1234
        |limit: not documented
        |fix: remove user
        "#,
    );
}

#[test]
fn enable_sync_mode_is_not_supported_at_openai() {
    assert_findings(
        "openai",
        gpt2(json!({"enable_sync_mode": true})),
        r#"
        error enable_sync_mode.not_supported: enable_sync_mode true: not supported for "gpt-image-2" at "openai"
        |value: true
        |limit: not accepted
        |fix: remove enable_sync_mode
        "#,
    );
}

#[test]
fn booleans_sent_as_strings_or_numbers_have_the_wrong_type() {
    assert_findings(
        "wavespeed",
        gpt2(json!({"enable_sync_mode": "true"})),
        r#"
        error enable_sync_mode.invalid_type: enable_sync_mode "true": expected a boolean, got a string
        |value: "true"
        |limit: a boolean
        |fix: send true without quotes
        |replacement: true
        "#,
    );
    assert_findings(
        "openai",
        gpt2(json!({"stream": 1})),
        r#"
        error stream.invalid_type: stream 1: expected a boolean, got an integer
        |value: 1
        |limit: a boolean
        |fix: send true or false
        "#,
    );
}

// ------------------------------------------------------------------ required fields with and without defaults

/// A gateway that requires every field; `defaults` and `default_model` vary.
fn strict(default_model: Option<&str>, defaults: Value) -> Profile {
    Profile::from_json(
        &json!({
            "id": "strict", "name": "Strict test gateway", "source": "tests/messages.rs",
            "as_of": "2026-11-21", "path": "/v1/images/generations",
            "auth": {"header": "Authorization", "scheme": "Bearer", "env": "STRICT_KEY"},
            "response": {"shape": "openai"},
            "default_model": default_model,
            "rules": {
                "required": [
                    "model", "prompt", "n", "size", "quality", "background", "output_format",
                    "output_compression", "moderation", "response_format", "style", "stream",
                    "partial_images", "user", "enable_sync_mode"
                ],
                "params": {
                    "response_format": {"support": "supported", "values": ["url", "b64_json"]},
                    "style": {"support": "supported", "values": ["vivid", "natural"]},
                    "enable_sync_mode": {"support": "supported"}
                },
                "defaults": defaults
            },
            "models": [{"name": "gpt-image-2", "model": "gpt-image-2"}]
        })
        .to_string(),
    )
    .unwrap()
}

#[test]
fn every_required_field_left_out_is_defaulted_when_there_is_a_default() {
    let profile = strict(
        Some("gpt-image-2"),
        json!({"response_format": "b64_json", "style": "natural", "enable_sync_mode": false}),
    );
    let report = validate_json(r#"{"prompt": "an otter"}"#, &profile);
    assert_text(
        &render_report(&report),
        r#"
        warning model.defaulted: model: required by "strict"; the plan sends "gpt-image-2"
        |replacement: gpt-image-2
        warning n.defaulted: n: required by "strict"; the plan sends the default 1
        |replacement: 1
        warning size.defaulted: size: required by "strict"; the plan sends the default "auto"
        |replacement: auto
        warning quality.defaulted: quality: required by "strict"; the plan sends the default "auto"
        |replacement: auto
        warning background.defaulted: background: required by "strict"; the plan sends the default "auto"
        |replacement: auto
        warning output_format.defaulted: output_format: required by "strict"; the plan sends the default "png"
        |replacement: png
        warning output_compression.defaulted: output_compression: required by "strict"; the plan sends the default 100
        |replacement: 100
        warning moderation.defaulted: moderation: required by "strict"; the plan sends the default "auto"
        |replacement: auto
        warning response_format.defaulted: response_format: required by "strict"; the plan sends the default "b64_json"
        |replacement: b64_json
        warning style.defaulted: style: required by "strict"; the plan sends the default "natural"
        |replacement: natural
        warning stream.defaulted: stream: required by "strict"; the plan sends the default false
        |replacement: false
        error partial_images.missing: partial_images: missing; "strict" requires it
        |fix: add partial_images
        error user.missing: user: missing; "strict" requires it
        |fix: add user
        warning enable_sync_mode.defaulted: enable_sync_mode: required by "strict"; the plan sends the default false
        |replacement: false
        "#,
    );
}

#[test]
fn every_required_field_left_out_without_a_default_is_missing_with_an_example_when_there_is_one() {
    let no_defaults = json!({
        "n": null, "size": null, "quality": null, "background": null, "output_format": null,
        "output_compression": null, "moderation": null, "stream": null
    });
    let profile = strict(None, no_defaults);
    let report = validate_json(r#"{"model": "gpt-image-2"}"#, &profile);
    assert_text(
        &render_report(&report),
        r#"
        error prompt.missing: prompt: missing; "strict" requires it
        |fix: add prompt
        error n.missing: n: missing; "strict" requires it
        |fix: add n, for example 1
        |replacement: 1
        error size.missing: size: missing; "strict" requires it
        |fix: add size, for example "1024x1024"
        |replacement: 1024x1024
        error quality.missing: quality: missing; "strict" requires it
        |fix: add quality, for example "low"
        |replacement: low
        error background.missing: background: missing; "strict" requires it
        |fix: add background, for example "transparent"
        |replacement: transparent
        error output_format.missing: output_format: missing; "strict" requires it
        |fix: add output_format, for example "png"
        |replacement: png
        error output_compression.missing: output_compression: missing; "strict" requires it
        |fix: add output_compression
        error moderation.missing: moderation: missing; "strict" requires it
        |fix: add moderation, for example "low"
        |replacement: low
        error response_format.missing: response_format: missing; "strict" requires it
        |fix: add response_format, for example "url"
        |replacement: url
        error style.missing: style: missing; "strict" requires it
        |fix: add style, for example "vivid"
        |replacement: vivid
        error stream.missing: stream: missing; "strict" requires it
        |fix: add stream
        error partial_images.missing: partial_images: missing; "strict" requires it
        |fix: add partial_images
        error user.missing: user: missing; "strict" requires it
        |fix: add user
        error enable_sync_mode.missing: enable_sync_mode: missing; "strict" requires it
        |fix: add enable_sync_mode
        "#,
    );
    assert_text(
        &render_report(&validate_json(r#"{"prompt": "an otter"}"#, &profile)),
        r#"
        error model.missing: model: missing; "strict" needs a model name
        |limit: "gpt-image-2"
        |fix: add model "gpt-image-2"
        |replacement: gpt-image-2
        "#,
    );
}

// ------------------------------------------------------------------ the request body

#[test]
fn body_that_is_not_json_is_malformed() {
    assert_findings_text(
        "openai",
        r#"{"prompt": "#,
        r#"
        error request.malformed_json: request body is not valid JSON: EOF while parsing a value at line 1 column 11
        |limit: a JSON object
        |fix: send a JSON object such as {"prompt": "..."}
        "#,
    );
}

#[test]
fn body_that_is_json_but_not_an_object_names_its_type() {
    assert_findings_text(
        "openai",
        "[1]",
        r#"
        error request.not_object: request body: an array, not a JSON object
        |limit: a JSON object
        |fix: send a JSON object such as {"prompt": "..."}
        "#,
    );
    for (body, what) in [
        ("[1]", "an array"),
        (r#""an otter""#, "a string"),
        ("null", "null"),
        ("7", "a number"),
    ] {
        assert_findings_text(
            "openai",
            body,
            &format!(
                r#"
                error request.not_object: request body: {what}, not a JSON object
                |limit: a JSON object
                |fix: send a JSON object such as {{"prompt": "..."}}
                "#
            ),
        );
    }
}

#[test]
fn body_with_a_field_twice_is_refused_and_the_last_one_is_read() {
    assert_findings_text(
        "openai",
        r#"{"model": "gpt-image-2", "prompt": "an otter", "n": 20, "n": 2}"#,
        r#"
        error request.duplicate_field: field "n" appears 2 times; providers disagree on which one counts
        |value: n
        |limit: each field once
        |fix: keep one "n"
        "#,
    );
}

#[test]
fn unknown_field_is_an_error_at_openai_and_a_warning_where_it_is_ignored() {
    assert_findings(
        "openai",
        gpt2(json!({"sizes": "1024x1024"})),
        r#"
        error request.unknown_field: field "sizes": not a known parameter; "openai" refuses unknown fields
        |value: sizes
        |limit: the documented parameters
        |fix: rename it to "size"
        |replacement: size
        "#,
    );
    assert_findings(
        "wavespeed",
        gpt2(json!({"negative_prompt": "rain"})),
        r#"
        warning request.unknown_field: field "negative_prompt": not a known parameter; "wavespeed" ignores it
        |value: negative_prompt
        |limit: the documented parameters
        |fix: remove it
        "#,
    );
}

// ------------------------------------------------------------------ parameters described by data

/// The December 2026 models' parameters are data: each gets the same codes
/// and message style as the older ones.
#[test]
fn data_defined_parameters_get_codes_in_the_same_words() {
    let flare = |extra: Value| with_model("gpt-image-2.6-flare", extra);
    assert_findings(
        "openai",
        flare(json!({"complexity": "extreme"})),
        r#"
        error complexity.unsupported_value: complexity "extreme": not one of "low", "medium", "high" for "gpt-image-2.6-flare" at "openai"
        |value: extreme
        |limit: "low", "medium", "high"
        |fix: use "high"
        |replacement: high
        "#,
    );
    assert_findings(
        "openai",
        gpt2(json!({"complexity": "low"})),
        r#"
        error complexity.not_supported: complexity "low": not supported for "gpt-image-2" at "openai"
        |value: low
        |limit: not accepted
        |fix: remove complexity
        "#,
    );
    assert_findings(
        "openai",
        flare(json!({"output_format": "gif", "frame_count": 17})),
        r#"
        error frame_count.out_of_range: frame_count 17: above the maximum of 16 for "gpt-image-2.6-flare" at "openai"
        |value: 17
        |limit: 2..=16
        |fix: use 16
        |replacement: 16
        "#,
    );
    assert_findings(
        "openai",
        flare(json!({"output_format": "gif", "frame_duration_ms": 10})),
        r#"
        error frame_duration_ms.out_of_range: frame_duration_ms 10: below the minimum of 20 for "gpt-image-2.6-flare" at "openai"
        |value: 10
        |limit: 20..=4294967295
        |fix: use 20
        |replacement: 20
        "#,
    );
    assert_findings(
        "openai",
        with_model(
            "gpt-image-2.5-sunburst",
            json!({"safety_identifier": "a".repeat(129)}),
        ),
        r#"
        error safety_identifier.too_long: safety_identifier "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...": 129 characters is above the maximum of 128 for "gpt-image-2.5-sunburst" at "openai"
        |value: 129 characters
        |limit: at most 128 characters
        |fix: shorten safety_identifier to 128 characters
        "#,
    );
    assert_findings(
        "openai",
        gpt2(json!({"quality": "max"})),
        r#"
        error quality.unsupported_value: quality "max": not one of "low", "medium", "high", "auto" for "gpt-image-2" at "openai"
        |value: max
        |limit: "low", "medium", "high", "auto"
        |fix: use "auto"
        |replacement: auto
        "#,
    );
    assert_findings(
        "openai",
        flare(json!({"quality": "xhigh", "size": "2048x1152"})),
        "",
    );
}

/// Rules between parameters are data too, with generic messages.
#[test]
fn constraints_between_parameters_name_both_and_the_fix() {
    let flare = |extra: Value| with_model("gpt-image-2.6-flare", extra);
    assert_findings(
        "openai",
        flare(json!({"output_format": "gif", "stream": true})),
        r#"
        error stream.incompatible: stream true: not allowed with output_format "gif"
        |value: true
        |limit: not with output_format "gif"
        |fix: remove stream
        "#,
    );
    assert_findings(
        "openai",
        flare(json!({"output_format": "svg", "n": 2})),
        r#"
        error output_format.incompatible: output_format "svg": needs n 1, not 2
        |value: svg
        |limit: needs n 1
        |fix: set n to 1, or remove output_format
        "#,
    );
    assert_findings(
        "openai",
        flare(json!({"frame_count": 9})),
        r#"
        warning frame_count.no_effect: frame_count 9: has no effect unless output_format is "gif"
        |value: 9
        |limit: needs output_format "gif"
        |fix: set output_format to "gif", or remove frame_count
        "#,
    );
    assert_findings(
        "openai",
        flare(json!({"output_format": "gif", "frame_count": 9, "frame_duration_ms": 100})),
        "",
    );
}

// ------------------------------------------------------------------ display

#[test]
fn a_finding_displays_as_severity_code_message_and_fix() {
    let report = validate_json(
        &gpt2(json!({"size": "1920x1080"})).to_string(),
        builtin_profile("openai").unwrap(),
    );
    assert_eq!(
        report.diagnostics[0].to_string(),
        r#"error [size.not_multiple_of_16]: size "1920x1080": height 1080 is not a multiple of 16 (fix: use "1920x1088", the nearest valid size)"#
    );
}

#[test]
fn typed_requests_get_the_same_findings_as_their_json() {
    let mut req = ImageRequest::new("gpt-image-2", "an otter");
    req.size = Some("1920x1080".parse().unwrap());
    req.n = Some(11);
    req.set("quality", gpt_image_plan::Quality::Hd);
    let profile = builtin_profile("openai").unwrap();
    let typed = validate(&req, profile);
    assert_eq!(
        typed
            .codes()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "n.out_of_range",
            "size.not_multiple_of_16",
            "quality.unsupported_value"
        ]
    );
    assert_eq!(
        validate_json(&serde_json::to_string(&req).unwrap(), profile),
        typed
    );
}

// ------------------------------------------------------------------ docs/codes.md

/// The codes table in docs/codes.md lists exactly the codes these tests pin,
/// with the same severity, and each example message is one pinned above.
#[test]
fn codes_doc_lists_every_code_these_tests_produce_with_real_examples() {
    let doc = include_str!("../docs/codes.md");
    let tests = include_str!("messages.rs");
    let mut pinned: Vec<(String, String)> = Vec::new();
    for line in tests.lines() {
        let line = line
            .trim()
            .trim_start_matches("&format!(")
            .trim_start_matches('"');
        let mut words = line.splitn(3, ' ');
        let (Some(severity), Some(code)) = (words.next(), words.next()) else {
            continue;
        };
        let Some(code) = code.strip_suffix(':') else {
            continue;
        };
        if (severity == "error" || severity == "warning") && code.contains('.') {
            if code.contains('{') {
                continue; // the generated per-support lines, spelled out below
            }
            pinned.push((code.to_owned(), severity.to_owned()));
        }
    }
    // The templated cases: their head lines give code, severity and message.
    let mut generated = Vec::new();
    let cases = support_cases()
        .into_iter()
        .chain(unsupported_value_cases())
        .chain(invalid_type_cases());
    for case in cases {
        let head = case.expected.lines().next().unwrap().to_owned();
        let (severity, rest) = head.split_once(' ').unwrap();
        let (code, message) = rest.split_once(": ").unwrap();
        pinned.push((code.to_owned(), severity.to_owned()));
        generated.push(message.to_owned());
    }
    pinned.sort();
    pinned.dedup();

    let mut documented: Vec<(String, String)> = Vec::new();
    for row in doc.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let code = cells[1].trim_matches('`').to_owned();
        assert!(code.parse::<gpt_image_plan::Code>().is_ok(), "{code}");
        let example = cells[4].trim_matches('`');
        assert!(
            tests.contains(example) || generated.iter().any(|g| g == example),
            "docs/codes.md example for {code} is not a message pinned in tests/messages.rs: {example}"
        );
        for severity in cells[2].split(" or ") {
            documented.push((code.clone(), severity.to_owned()));
        }
    }
    documented.sort();
    assert_eq!(documented, pinned);
}

// --- loading a profile ----------------------------------------------------

/// A small valid profile document with `top` added to its top level and
/// `rules` as its one served model's rules.
fn profile_text(top: &str, rules: &str) -> String {
    format!(
        r#"{{"id": "gw", "name": "Gateway", "source": "a test", "as_of": "2026-11-21",
            "path": "/v1/images/generations", {top}
            "auth": {{"header": "Authorization", "env": "KEY"}}, "response": {{"shape": "openai"}},
            "models": [{{"name": "gpt-image-2", "model": "gpt-image-2", "rules": {rules}}}]}}"#
    )
}

#[track_caller]
fn load_error(text: &str) -> String {
    Profile::from_json(text).unwrap_err().to_string()
}

#[test]
fn profile_that_is_not_json_quotes_the_syntax_error_and_its_position() {
    assert_eq!(
        load_error(r#"{"id": "gw""#),
        "profile is not valid: EOF while parsing an object at line 1 column 11"
    );
    assert_eq!(
        load_error(""),
        "profile is not valid: EOF while parsing a value at line 1 column 0"
    );
}

#[test]
fn profile_with_an_unknown_key_lists_the_known_ones() {
    assert_eq!(
        load_error(&profile_text(r#""colour": "red","#, "{}")),
        "profile is not valid: unknown field `colour`, expected one of `id`, `name`, `source`, `as_of`, `base_url`, `path`, `model_in`, `n_type`, `request`, `auth`, `response`, `unknown_fields`, `default_model`, `rules`, `models`, `refused_models`, `notes`, `parameters`"
    );
    assert_eq!(
        load_error(
            &profile_text("", "{}").replace(r#""env": "KEY""#, r#""env": "KEY", "key": "x""#)
        ),
        "profile is not valid: auth: unknown field `key`, expected one of `header`, `scheme`, `env`"
    );
}

#[test]
fn profile_with_a_wrong_type_names_the_path_and_what_was_found() {
    assert_eq!(
        load_error(&profile_text("", "{}").replace(r#""name": "gpt-image-2""#, r#""name": 2"#)),
        "profile is not valid: models[0].name: invalid type: integer `2`, expected a string"
    );
    assert_eq!(
        load_error(&profile_text(r#""notes": null,"#, "{}")),
        "profile is not valid: notes: invalid type: null, expected a sequence"
    );
    assert_eq!(
        load_error(&profile_text("", "[]")),
        "profile is not valid: models[0].rules: expected partial model rules (an object), found an array"
    );
}

#[test]
fn profile_missing_a_required_key_names_it() {
    assert_eq!(
        load_error(&profile_text("", "{}").replace(r#""path": "/v1/images/generations","#, "")),
        "profile is not valid: missing field `path`"
    );
    assert_eq!(
        load_error(&profile_text("", "{}").replace(r#", "env": "KEY""#, "")),
        "profile is not valid: auth: missing field `env`"
    );
}

#[test]
fn profile_with_a_word_that_is_not_a_known_value_lists_the_values() {
    assert_eq!(
        load_error(&profile_text(r#""model_in": "query","#, "{}")),
        r#"profile is not valid: model_in: model_in "query" is not one of "body", "path""#
    );
    assert_eq!(
        load_error(
            &profile_text("", "{}")
                .replace(r#""model": "gpt-image-2""#, r#""model": "gpt-image-3""#)
        ),
        // Model ids are data: an id the catalog does not list is an
        // inconsistency of the profile, found after reading it.
        r#"profile "gw", model "gpt-image-2": model missing from catalog"#
    );
    assert_eq!(
        load_error(&profile_text("", "{}").replace("2026-11-21", "2026-02-30")),
        r#"profile is not valid: as_of: date "2026-02-30" is not a real day written YYYY-MM-DD"#
    );
}

#[test]
fn profile_with_a_key_given_twice_is_refused() {
    assert_eq!(
        load_error(&profile_text(r#""id": "gw2","#, "{}")),
        r#"profile is not valid: field "id" is given twice"#
    );
    assert_eq!(
        load_error(&profile_text("", r#"{"n": {"max": 2}, "n": {"min": 2}}"#)),
        r#"profile is not valid: models[0].rules: field "n" is given twice"#
    );
}

#[test]
fn profile_rules_that_do_not_read_after_merging_name_the_path_in_the_rules() {
    assert_eq!(
        load_error(&profile_text("", r#"{"n": {"max": -2}}"#)),
        "profile is not valid: models[0].rules.n.max: invalid value: integer `-2`, expected u32"
    );
    assert_eq!(
        load_error(&profile_text(
            "",
            r#"{"params": {"quality": {"support": "sometimes"}}}"#
        )),
        r#"profile is not valid: models[0].rules.params.quality.support: support "sometimes" is not one of "supported", "no_effect", "rejected", "undocumented""#
    );
    assert_eq!(
        load_error(&profile_text(
            "",
            r#"{"sizes": {"rule": {"max_edge": 2048, "step": 8}}}"#
        )),
        "profile is not valid: models[0].rules.sizes.rule: unknown field `step`, expected one of `multiple`, `max_edge`, `max_ratio`, `min_pixels`, `max_pixels`"
    );
}

/// Partial rules merge over the catalog's rules as `data/models.json` writes
/// them: a parameter the catalog leaves out has nothing to merge into, so
/// setting it needs its `support`.
#[test]
fn profile_setting_a_parameter_the_catalog_leaves_out_gives_its_support() {
    let text = profile_text("", "{}").replace(
        r#""model": "gpt-image-2", "rules": {}"#,
        r#""model": "dall-e-3", "rules": {"params": {"partial_images": {"max": 3}}}"#,
    );
    assert_eq!(
        load_error(&text),
        "profile is not valid: models[0].rules.params.partial_images: missing field `support`"
    );
    let text = text.replace(r#"{"max": 3}"#, r#"{"support": "no_effect", "max": 3}"#);
    let profile = Profile::from_json(&text).unwrap();
    let rule = profile.models[0].rules.param("partial_images");
    assert_eq!(
        (rule.support, rule.min, rule.max),
        (Support::NoEffect, None, Some(3))
    );
}
