//! The hostile-input catalogue: request bodies an end user might send, on
//! purpose or not, each with the exact codes (in order) it must produce and,
//! for many, the exact first message.
//!
//! Prompt limits count Unicode scalar values (Rust `char`s), not bytes and not
//! UTF-16 code units: the cases at 32,000 and 32,001 characters pin that down.

use gpt_image_plan::{
    Report, Severity, UnknownProvider, builtin_profile, profile_by_id, validate_json,
};

/// One catalogue entry.
struct Case {
    /// What the case shows.
    name: &'static str,
    /// The built-in profile it is checked against.
    profile: &'static str,
    /// The request body.
    body: String,
    /// Every code the report must have, in order (empty: no finding at all).
    codes: &'static [&'static str],
    /// The exact message of the first finding, when pinned.
    message: Option<&'static str>,
}

/// A body with `model` and `prompt` set and `extra` fields (raw JSON) after them.
fn body(model: &str, extra: &str) -> String {
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(", {extra}")
    };
    format!(r#"{{"model": "{model}", "prompt": "a lighthouse at dusk"{extra}}}"#)
}

/// A gpt-image-2 body with `extra` fields.
fn gpt2(extra: &str) -> String {
    body("gpt-image-2", extra)
}

/// A gpt-image-2 body whose prompt is `text`.
fn with_prompt(text: &str) -> String {
    format!(r#"{{"model": "gpt-image-2", "prompt": "{text}"}}"#)
}

fn case(
    name: &'static str,
    profile: &'static str,
    body: String,
    codes: &'static [&'static str],
    message: Option<&'static str>,
) -> Case {
    Case {
        name,
        profile,
        body,
        codes,
        message,
    }
}

#[rustfmt::skip]
fn catalogue() -> Vec<Case> {
    let a = |n: usize| "a".repeat(n);
    vec![
        // --- the body's shape ---------------------------------------------------
        case("deep nesting inside a field is malformed json", "openai",
            format!(r#"{{"prompt": {}{}}}"#, "[".repeat(200), "]".repeat(200)),
            &["request.malformed_json"],
            Some("request body is not valid JSON: recursion limit exceeded at line 1 column 138")),
        case("deep nesting of objects is malformed json", "openai",
            format!("{}1{}", r#"{"a":"#.repeat(500), "}".repeat(500)),
            &["request.malformed_json"], None),
        case("a deeply nested array body is not an object", "openai",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
            &["request.not_object"], Some("request body: an array, not a JSON object")),
        case("an empty body is malformed json", "openai", String::new(),
            &["request.malformed_json"],
            Some("request body is not valid JSON: EOF while parsing a value at line 1 column 0")),
        case("a null body is not an object", "openai", "null".into(),
            &["request.not_object"], Some("request body: null, not a JSON object")),
        case("a long string body is named by its type, not quoted", "openai",
            format!(r#""{}""#, a(100_000)),
            &["request.not_object"], Some("request body: a string, not a JSON object")),
        case("a number body is not an object", "openai", " 42".into(),
            &["request.not_object"], Some("request body: a number, not a JSON object")),
        case("a truncated body is malformed json", "openai", r#"{"model": "#.into(),
            &["request.malformed_json"],
            Some("request body is not valid JSON: EOF while parsing a value at line 1 column 10")),
        case("trailing text after the object is malformed json", "openai",
            format!("{} x", gpt2("")),
            &["request.malformed_json"], None),
        case("a lone surrogate escape is malformed json", "openai",
            with_prompt(r"\ud800"),
            &["request.malformed_json"], None),
        case("a number too large for a double is malformed json", "openai",
            gpt2(r#""n": 1e400"#),
            &["request.malformed_json"], None),
        case("a byte-order mark before the body is malformed json", "openai",
            format!("\u{feff}{}", gpt2("")),
            &["request.malformed_json"], None),
        case("a truncated array body is still an array, not malformed", "openai",
            "[1, ".into(),
            &["request.not_object"], Some("request body: an array, not a JSON object")),
        case("a string body with text after it is a string", "openai",
            r#""otter" and more"#.into(),
            &["request.not_object"], Some("request body: a string, not a JSON object")),
        case("a number body with text after it is a number", "openai",
            "12abc".into(),
            &["request.not_object"], Some("request body: a number, not a JSON object")),
        case("an unterminated string body is malformed json", "openai",
            r#""otter"#.into(),
            &["request.malformed_json"],
            Some("request body is not valid JSON: EOF while parsing a string at line 1 column 6")),
        case("a misspelt literal body is malformed json", "openai",
            "nul".into(),
            &["request.malformed_json"],
            Some("request body is not valid JSON: EOF while parsing a value at line 1 column 3")),

        // --- duplicate and unknown fields ---------------------------------------
        case("a duplicate prompt is reported once", "openai",
            r#"{"model": "gpt-image-2", "prompt": "a", "prompt": "b"}"#.into(),
            &["request.duplicate_field"],
            Some(r#"field "prompt" appears 2 times; providers disagree on which one counts"#)),
        case("the last duplicate is the one read", "openai",
            gpt2(r#""n": 1, "n": "x""#),
            &["request.duplicate_field", "n.invalid_type"], None),
        case("an unknown field is an error where the provider refuses it", "openai",
            gpt2(r#""seed": 7"#),
            &["request.unknown_field"],
            Some(r#"field "seed": not a known parameter; "openai" refuses unknown fields"#)),
        case("an unknown field is a warning where the provider ignores it", "wavespeed",
            gpt2(r#""seed": 7"#),
            &["request.unknown_field"],
            Some(r#"field "seed": not a known parameter; "wavespeed" ignores it"#)),
        case("a near-miss field name gets a rename", "openai",
            gpt2(r#""sizes": "1024x1024""#),
            &["request.unknown_field"], None),
        case("a capitalised field name is unknown", "openai",
            r#"{"Model": "gpt-image-2", "prompt": "x"}"#.into(),
            &["request.unknown_field", "model.missing"], None),
        case("a field name with a nul character is unknown", "openai",
            gpt2(r#""\u0000": 1"#),
            &["request.unknown_field"], None),

        // --- prompt -------------------------------------------------------------
        case("a prompt of exactly 32,000 characters is accepted", "openai",
            with_prompt(&a(32_000)), &[], None),
        case("a prompt of 32,001 characters is too long", "openai",
            with_prompt(&a(32_001)),
            &["prompt.too_long"],
            Some(r#"prompt "aaaaaaaaaaaaaaaaaaaaaaaa...": 32,001 characters is above the maximum of 32,000 for "gpt-image-2" at "openai""#)),
        case("32,000 two-byte characters are accepted", "openai",
            with_prompt(&"é".repeat(32_000)), &[], None),
        case("32,001 two-byte characters are too long", "openai",
            with_prompt(&"é".repeat(32_001)), &["prompt.too_long"], None),
        case("emoji count once each, not as two utf-16 units", "openai",
            with_prompt(&"😀".repeat(20_000)), &[], None),
        case("32,000 emoji are accepted", "openai",
            with_prompt(&"😀".repeat(32_000)), &[], None),
        case("32,001 emoji are too long", "openai",
            with_prompt(&"😀".repeat(32_001)), &["prompt.too_long"], None),
        case("dall-e-3 stops at 4,000 characters", "openai",
            body("dall-e-3", "").replace("a lighthouse at dusk", &a(4_001)),
            &["model.retired", "prompt.too_long"], None),
        case("an empty prompt is refused", "openai", with_prompt(""),
            &["prompt.empty"],
            Some(r#"prompt "": empty, but at least 1 character is needed"#)),
        case("an empty prompt is allowed where the minimum is 0", "enum-sizes",
            with_prompt(""), &[], None),
        case("a numeric prompt is the wrong type, not also missing", "openai",
            r#"{"model": "gpt-image-2", "prompt": 123}"#.into(),
            &["prompt.invalid_type"],
            Some("prompt 123: expected a string, got an integer")),
        case("a null prompt is missing", "openai",
            r#"{"model": "gpt-image-2", "prompt": null}"#.into(),
            &["prompt.missing"], Some("prompt: missing; \"openai\" requires it")),

        // --- n --------------------------------------------------------------------
        case("n 0 is below the minimum", "openai", gpt2(r#""n": 0"#),
            &["n.out_of_range"], Some(r#"n 0: below the minimum of 1 for "gpt-image-2" at "openai""#)),
        case("n -1 is negative", "openai", gpt2(r#""n": -1"#),
            &["n.out_of_range"], Some("n -1: negative, but it must be 0 or more")),
        case("n 11 is above the maximum", "openai", gpt2(r#""n": 11"#),
            &["n.out_of_range"], Some(r#"n 11: above the maximum of 10 for "gpt-image-2" at "openai""#)),
        case("n 1e3 is a float, and the integer is offered", "openai", gpt2(r#""n": 1e3"#),
            &["n.invalid_type"],
            Some("n 1e3: expected an integer, got a number with a fraction or exponent")),
        case("n as a string is the wrong type at \"openai\"", "openai", gpt2(r#""n": "4""#),
            &["n.invalid_type"], Some(r#"n "4": expected an integer, got a string"#)),
        case("n as a string is what uniall wants", "uniall",
            body("gpt-image-2-origin", r#""n": "4""#), &[], None),
        case("n null means the default", "openai", gpt2(r#""n": null"#), &[], None),
        case("n null is missing where n is required", "all-required",
            gpt2(r#""n": null, "size": "1024x1024""#),
            &["n.missing"], Some("n: missing; \"all-required\" requires it")),
        case("n 1.5 is not an integer", "openai", gpt2(r#""n": 1.5"#),
            &["n.invalid_type"], None),
        case("n 2.50e1 is quoted as written", "openai", gpt2(r#""n": 2.50e1"#),
            &["n.invalid_type"],
            Some("n 2.50e1: expected an integer, got a number with a fraction or exponent")),
        case("n -0 is a float to serde_json, so the wrong type", "openai", gpt2(r#""n": -0"#),
            &["n.invalid_type"],
            Some("n -0: expected an integer, got a number with a fraction or exponent")),
        case("n 1e19 is out of range, not a fraction", "openai", gpt2(r#""n": 1e19"#),
            &["n.out_of_range"], Some("n 1e19: far above any limit")),
        case("an integer below -2^63 is negative, not a fraction", "openai",
            gpt2(r#""n": -99999999999999999999"#),
            &["n.out_of_range"], Some("n -99999999999999999999: negative, but it must be 0 or more")),
        case("an object n is quoted with its keys sorted", "openai",
            gpt2(r#""n": {"b": 1, "a": [true, null], "b": 2}"#),
            &["n.invalid_type"],
            Some(r#"n {"a":[true,null],"b":2}: expected an integer, got an object"#)),
        case("n true is the wrong type", "openai", gpt2(r#""n": true"#),
            &["n.invalid_type"], Some("n true: expected an integer, got a boolean")),
        case("an integer longer than 64 bits is out of range, not a fraction", "openai",
            gpt2(r#""n": 100000000000000000000"#),
            &["n.out_of_range"], Some("n 100000000000000000000: far above any limit")),
        case("n above u32 is out of range", "openai", gpt2(r#""n": 4294967296"#),
            &["n.out_of_range"], Some("n 4294967296: far above any limit")),
        case("n 5 is split into calls at \"infinityblue\"", "infinityblue", gpt2(r#""n": 5"#),
            &["n.split"],
            Some("n 5: infinityblue takes at most 1 per call, so the plan sends 5 calls")),
        case("n 11 is above infinityblue's split maximum", "infinityblue", gpt2(r#""n": 11"#),
            &["n.out_of_range"], None),
        case("an empty string n is the wrong type at \"uniall\"", "uniall",
            body("gpt-image-2-origin", r#""n": """#), &["n.invalid_type"], None),

        // --- size ----------------------------------------------------------------
        case("fullwidth digits get the ascii size", "openai",
            gpt2(r#""size": "１０２４x１０２４""#),
            &["size.malformed"],
            Some(r#"size "１０２４x１０２４": width "１０２４" is not a whole number of pixels"#)),
        case("an uppercase X gets the lowercase size", "openai", gpt2(r#""size": "1024X1024""#),
            &["size.malformed"],
            Some(r#"size "1024X1024": not WIDTHxHEIGHT with a lowercase x, such as "1024x1024""#)),
        case("spaces around x get the tight size", "openai", gpt2(r#""size": "1024 x 1024""#),
            &["size.malformed"], None),
        case("a trailing space is malformed", "openai", gpt2(r#""size": "1024x1024 ""#),
            &["size.malformed"], None),
        case("leading zeros are malformed", "openai", gpt2(r#""size": "01024x1024""#),
            &["size.malformed"], Some(r#"size "01024x1024": width "01024" has a leading zero"#)),
        case("a negative edge is malformed", "openai", gpt2(r#""size": "-1024x1024""#),
            &["size.malformed"], None),
        case("exponents are malformed", "openai", gpt2(r#""size": "1e3x1e3""#),
            &["size.malformed"], None),
        case("an empty size is malformed", "openai", gpt2(r#""size": """#),
            &["size.malformed"],
            Some(r#"size "": empty; expected WIDTHxHEIGHT such as "1024x1024""#)),
        case("u32::MAX edges break three rules and snap", "openai",
            gpt2(r#""size": "4294967295x4294967295""#),
            &["size.not_multiple_of_16", "size.edge_too_long", "size.too_many_pixels"], None),
        case("an edge above u32::MAX is malformed", "openai",
            gpt2(r#""size": "4294967296x1024""#),
            &["size.malformed"], Some(r#"size "4294967296x1024": width is above 4294967295"#)),
        case("0x0 has too few pixels", "openai", gpt2(r#""size": "0x0""#),
            &["size.too_few_pixels"], None),
        case("a zero edge makes the ratio unbounded", "openai", gpt2(r#""size": "1024x0""#),
            &["size.aspect_too_extreme", "size.too_few_pixels"], None),
        case("a numeric size is the wrong type", "openai", gpt2(r#""size": 1024"#),
            &["size.invalid_type"], Some("size 1024: expected a string, got an integer")),
        case("a size array is the wrong type", "openai", gpt2(r#""size": [1024, 1024]"#),
            &["size.invalid_type"], None),
        case("auto is not offered for dall-e-3", "openai",
            body("dall-e-3", r#""size": "auto""#),
            &["model.retired", "size.not_offered"], None),
        case("a size off the enumerated list is not offered", "enum-sizes",
            gpt2(r#""size": "1920x1088""#),
            &["size.not_offered"], None),
        case("exactly 3:1 is allowed and experimental above 2560x1440", "openai",
            gpt2(r#""size": "3840x1280""#),
            &["size.experimental"], None),

        // --- output_compression and output_format ----------------------------------
        case("compression 101 is above the maximum", "openai", gpt2(r#""output_compression": 101"#),
            &["output_compression.out_of_range"],
            Some(r#"output_compression 101: above the maximum of 100 for "gpt-image-2" at "openai""#)),
        case("compression -1 is negative", "openai", gpt2(r#""output_compression": -1"#),
            &["output_compression.out_of_range"],
            Some("output_compression -1: negative, but it must be 0 or more")),
        case("png with compression 99 is refused on enum-sizes", "enum-sizes",
            gpt2(r#""output_format": "png", "output_compression": 99"#),
            &["output_compression.incompatible"],
            Some(r#"output_compression 99: needs output_format "jpeg", not "png""#)),
        case("png with compression 100 is fine on enum-sizes", "enum-sizes",
            gpt2(r#""output_format": "png", "output_compression": 100"#), &[], None),
        case("compression with the default png has no effect at \"openai\"", "openai",
            gpt2(r#""output_compression": 50"#),
            &["output_compression.no_effect"], None),
        case("compression as a string is the wrong type", "openai",
            gpt2(r#""output_format": "jpeg", "output_compression": "80""#),
            &["output_compression.invalid_type"], None),
        case("webp is not offered on enum-sizes", "enum-sizes", gpt2(r#""output_format": "webp""#),
            &["output_format.unsupported_value"], None),

        // --- background, quality and the other parameters --------------------------
        case("a transparent background is refused on infinityblue", "infinityblue",
            gpt2(r#""background": "transparent""#),
            &["background.unsupported_value"],
            Some(r#"background "transparent": not one of "opaque", "auto" for "gpt-image-2" at "infinityblue""#)),
        // On gpt-image-2.5, where transparency is out of preview (on
        // gpt-image-2 a background.preview warning comes first).
        case("a transparent background needs png or webp", "openai",
            body("gpt-image-2.5-sunburst", r#""background": "transparent", "output_format": "jpeg""#),
            &["background.incompatible"],
            Some(r#"background "transparent": needs output_format "png" or "webp", not "jpeg""#)),
        case("transparent on gpt-image-2 is in preview", "openai",
            gpt2(r#""background": "transparent", "output_format": "jpeg""#),
            &["background.preview", "background.incompatible"],
            Some(r#"background "transparent": in preview for "gpt-image-2" at "openai"; it may change or be refused (transparent backgrounds are in preview for gpt-image-2 (OpenAI openapi 010421d, 2026-08-20); users still report 400s for it (sub2api#7150))"#)),
        case("an uppercase quality gets the lowercase one", "openai", gpt2(r#""quality": "HIGH""#),
            &["quality.unsupported_value"], None),
        case("hd is a dall-e-3 quality, not gpt-image-2's", "openai", gpt2(r#""quality": "hd""#),
            &["quality.unsupported_value"], None),
        case("style is refused for gpt-image-2", "openai", gpt2(r#""style": "vivid""#),
            &["style.not_supported"],
            Some(r#"style "vivid": not supported for "gpt-image-2" at "openai""#)),
        case("response_format is refused for gpt-image-2 at \"openai\"", "openai",
            gpt2(r#""response_format": "url""#), &["response_format.not_supported"], None),
        case("stream as the string true gets the boolean", "openai", gpt2(r#""stream": "true""#),
            &["stream.invalid_type"], Some(r#"stream "true": expected a boolean, got a string"#)),
        case("partial_images 4 is out of range", "openai",
            gpt2(r#""stream": true, "partial_images": 4"#),
            &["partial_images.out_of_range"], None),
        case("partial_images without stream has no effect", "openai",
            gpt2(r#""partial_images": 2"#), &["partial_images.no_effect"], None),
        case("enable_sync_mode is refused at \"openai\"", "openai",
            gpt2(r#""enable_sync_mode": true"#), &["enable_sync_mode.not_supported"], None),
        case("an unknown moderation level is refused", "openai", gpt2(r#""moderation": "none""#),
            &["moderation.unsupported_value"], None),

        // --- wrong types for every field ---------------------------------------------
        case("model as a number", "openai", r#"{"model": 2, "prompt": "x"}"#.into(),
            &["model.invalid_type"], Some("model 2: expected a string, got an integer")),
        case("quality as a number", "openai", gpt2(r#""quality": 3"#), &["quality.invalid_type"], None),
        case("background as a boolean", "openai", gpt2(r#""background": false"#),
            &["background.invalid_type"], None),
        case("output_format as an array", "openai", gpt2(r#""output_format": ["png"]"#),
            &["output_format.invalid_type"], None),
        case("moderation as an object", "openai", gpt2(r#""moderation": {"level": "low"}"#),
            &["moderation.invalid_type"], None),
        case("response_format as a number", "openai", gpt2(r#""response_format": 1"#),
            &["response_format.invalid_type"], None),
        case("style as a boolean", "openai", gpt2(r#""style": true"#), &["style.invalid_type"], None),
        case("stream as a number", "openai", gpt2(r#""stream": 1"#),
            &["stream.invalid_type"], Some("stream 1: expected a boolean, got an integer")),
        case("partial_images as a string", "openai", gpt2(r#""partial_images": "two""#),
            &["partial_images.invalid_type"], None),
        case("user as a number", "openai", gpt2(r#""user": 42"#),
            &["user.invalid_type"], Some("user 42: expected a string, got an integer")),
        case("enable_sync_mode as a string", "wavespeed", gpt2(r#""enable_sync_mode": "yes""#),
            &["enable_sync_mode.invalid_type"], None),

        // --- models -------------------------------------------------------------------
        case("a retired model at \"openai\" is a warning", "openai", body("dall-e-3", ""),
            &["model.retired"], None),
        case("gpt-image-1 is retired", "openai", body("gpt-image-1", ""),
            &["model.retired"], None),
        case("an unknown model is named with what is served", "openai", body("gpt-5", ""),
            &["model.unknown"], None),
        case("model names are case-sensitive", "openai", body("GPT-IMAGE-2", ""),
            &["model.unknown"], None),
        case("the snapshot is refused at \"infinityblue\"", "infinityblue",
            body("gpt-image-2-2026-04-21", ""),
            &["model.unavailable"],
            Some(r#"model "gpt-image-2-2026-04-21": refused by infinityblue: snapshot versions are currently unavailable"#)),
        case("no model at \"openai\" is missing", "openai", r#"{"prompt": "x"}"#.into(),
            &["model.missing"], None),
        case("uniall's default model is used when none is named", "uniall",
            r#"{"prompt": "x", "n": "1"}"#.into(), &[], None),
    ]
}

#[test]
fn the_catalogue_has_at_least_60_inputs() {
    assert!(catalogue().len() >= 60, "{}", catalogue().len());
}

#[test]
fn every_hostile_input_gets_exactly_its_codes() {
    let mut failures = Vec::new();
    for case in catalogue() {
        let profile = builtin_profile(case.profile).expect("a built-in profile");
        let report = validate_json(&case.body, profile);
        let codes: Vec<String> = report.codes().iter().map(ToString::to_string).collect();
        if codes != case.codes {
            failures.push(format!(
                "{}: expected {:?}, got {codes:?}",
                case.name, case.codes
            ));
            continue;
        }
        if let Some(message) = case.message
            && report.diagnostics[0].message != message
        {
            failures.push(format!(
                "{}: expected message {message:?}, got {:?}",
                case.name, report.diagnostics[0].message
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_hostile_input_is_answered_the_same_way_twice() {
    for case in catalogue() {
        let profile = builtin_profile(case.profile).unwrap();
        assert_eq!(
            validate_json(&case.body, profile),
            validate_json(&case.body, profile),
            "{}",
            case.name
        );
    }
}

#[test]
fn no_finding_quotes_more_than_a_kilobyte() {
    for case in catalogue() {
        let report = validate_json(&case.body, builtin_profile(case.profile).unwrap());
        for d in &report.diagnostics {
            let texts = [
                Some(&d.message),
                d.value.as_ref(),
                d.limit.as_ref(),
                d.fix.as_ref(),
            ];
            for text in texts.into_iter().flatten() {
                assert!(text.len() <= 1024, "{}: {} bytes", case.name, text.len());
            }
        }
    }
}

#[track_caller]
fn report(profile: &str, body: &str) -> Report {
    validate_json(body, builtin_profile(profile).unwrap())
}

#[track_caller]
fn only<'r>(report: &'r Report, code: &str) -> &'r gpt_image_plan::Diagnostic {
    let codes: Vec<String> = report.codes().iter().map(ToString::to_string).collect();
    assert_eq!(codes, [code]);
    &report.diagnostics[0]
}

#[test]
fn a_ten_megabyte_prompt_is_too_long_and_quoted_briefly() {
    let prompt = "a".repeat(10 * 1024 * 1024);
    let r = report("openai", &with_prompt(&prompt));
    let d = only(&r, "prompt.too_long");
    assert_eq!(
        d.message,
        r#"prompt "aaaaaaaaaaaaaaaaaaaaaaaa...": 10,485,760 characters is above the maximum of 32,000 for "gpt-image-2" at "openai""#
    );
    assert_eq!(d.value.as_deref(), Some("10485760 characters"));
    assert_eq!(d.limit.as_deref(), Some("at most 32000 characters"));
    assert_eq!(
        d.fix.as_deref(),
        Some("shorten the prompt by 10,453,760 characters")
    );
}

#[test]
fn a_ten_megabyte_size_string_is_malformed_and_quoted_briefly() {
    let size = "1".repeat(10 * 1024 * 1024);
    let r = report("openai", &gpt2(&format!(r#""size": "{size}""#)));
    let d = only(&r, "size.malformed");
    assert!(d.message.len() < 200, "{}", d.message.len());
    assert_eq!(d.replacement, None);
}

#[test]
fn a_million_unknown_fields_are_counted_not_listed() {
    let fields: Vec<String> = (0..1_000_000).map(|i| format!(r#""k{i}": 1"#)).collect();
    let r = report("openai", &gpt2(&fields.join(", ")));
    let codes = r.codes();
    assert_eq!(codes.len(), 33);
    assert!(
        codes
            .iter()
            .all(|c| c.to_string() == "request.unknown_field")
    );
    let last = &r.diagnostics[32];
    assert_eq!(
        last.message,
        "999,968 more fields are not known parameters (not listed); \"openai\" refuses unknown fields"
    );
    assert_eq!(last.severity, Severity::Error);
    assert_eq!(last.fix.as_deref(), Some("remove them"));
}

#[test]
fn many_repeated_unknown_fields_are_counted_not_listed() {
    let fields: Vec<String> = (0..100)
        .map(|i| format!(r#""k{i}": 1, "k{i}": 2"#))
        .collect();
    let r = report("wavespeed", &gpt2(&fields.join(", ")));
    let duplicates: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.code.to_string() == "request.duplicate_field")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(duplicates.len(), 33);
    assert_eq!(
        duplicates[32],
        "68 more fields appear more than once (not listed)"
    );
    let unknown = r
        .diagnostics
        .iter()
        .filter(|d| d.code.to_string() == "request.unknown_field")
        .count();
    assert_eq!(unknown, 33);
    assert!(
        !r.is_valid(),
        "duplicates are errors even where unknown fields are ignored"
    );
}

#[test]
fn a_hundred_thousand_copies_of_one_field_are_one_finding() {
    let fields = vec![r#""prompt": "x""#; 100_000].join(", ");
    let r = report(
        "openai",
        &format!(r#"{{"model": "gpt-image-2", {fields}}}"#),
    );
    let d = only(&r, "request.duplicate_field");
    assert_eq!(
        d.message,
        r#"field "prompt" appears 100000 times; providers disagree on which one counts"#
    );
}

#[test]
fn a_near_miss_field_name_is_renamed() {
    let r = report("openai", &gpt2(r#""sizes": "1024x1024""#));
    let d = only(&r, "request.unknown_field");
    assert_eq!(d.fix.as_deref(), Some(r#"rename it to "size""#));
    assert_eq!(d.replacement.as_deref(), Some("size"));
}

#[test]
fn size_near_misses_carry_the_intended_size() {
    for text in [
        "１０２４x１０２４",
        "1024X1024",
        "1024 x 1024",
        "01024x1024",
        "1024*1024",
        "1024×1024",
    ] {
        let r = report("openai", &gpt2(&format!(r#""size": "{text}""#)));
        let d = only(&r, "size.malformed");
        assert_eq!(d.replacement.as_deref(), Some("1024x1024"), "{text}");
        assert_eq!(
            d.fix.as_deref(),
            Some(r#"write it as "1024x1024""#),
            "{text}"
        );
    }
}

#[test]
fn u32_max_sizes_snap_to_the_largest_square() {
    let r = report("openai", &gpt2(r#""size": "4294967295x4294967295""#));
    assert!(
        r.diagnostics
            .iter()
            .all(|d| d.replacement.as_deref() == Some("2880x2880"))
    );
    assert_eq!(
        r.diagnostics[2].message,
        r#"size "4294967295x4294967295": 18,446,744,065,119,617,025 pixels is above the maximum of 8,294,400"#
    );
}

#[test]
fn a_float_n_offers_the_integer() {
    let r = report("openai", &gpt2(r#""n": 1e3"#));
    let d = only(&r, "n.invalid_type");
    assert_eq!(d.replacement.as_deref(), Some("1000"));
    assert_eq!(d.fix.as_deref(), Some("write it as the integer 1000"));
}

#[test]
fn a_float_n_offers_the_integer_only_when_it_is_whole_and_in_range() {
    let fix = |n: &str| {
        let r = report("openai", &gpt2(&format!(r#""n": {n}"#)));
        only(&r, "n.invalid_type").replacement.clone()
    };
    assert_eq!(fix("4.0").as_deref(), Some("4"));
    assert_eq!(fix("0.04e2").as_deref(), Some("4"));
    // 0 is out of range for n (issue 15): no fix rather than a wrong one.
    assert_eq!(fix("-0.0"), None);
    assert_eq!(fix("4294967295.000").as_deref(), Some("4294967295"));
    assert_eq!(fix("4294967296.0"), None);
    assert_eq!(fix("-4.0"), None);
    assert_eq!(fix("4.5"), None);
    assert_eq!(fix("1e-9"), None);
}

#[test]
fn a_quoted_n_offers_the_number() {
    let r = report("openai", &gpt2(r#""n": "4""#));
    let d = only(&r, "n.invalid_type");
    assert_eq!(d.fix.as_deref(), Some("send 4 without quotes"));
    assert_eq!(d.replacement.as_deref(), Some("4"));
}

#[test]
fn compression_with_png_on_enum_sizes_must_be_100() {
    let r = report(
        "enum-sizes",
        &gpt2(r#""output_format": "png", "output_compression": 99"#),
    );
    let d = only(&r, "output_compression.incompatible");
    // The constraint's generic fix names the format it needs; 100 is the
    // value its `except` lets through, but no replacement is offered.
    assert_eq!(d.replacement.as_deref(), None);
    assert_eq!(
        d.fix.as_deref(),
        Some(r#"set output_format to "jpeg", or remove output_compression"#)
    );
}

#[test]
fn a_shut_down_model_is_an_error_naming_a_current_one() {
    let r = report("openai", &body("dall-e-3", ""));
    assert!(!r.is_valid());
    let d = only(&r, "model.retired");
    assert_eq!(d.severity, Severity::Error);
    // dall-e-3 names no replacement: the first model openai serves that is still active.
    assert_eq!(d.replacement.as_deref(), Some("gpt-image-2.6-sunburst"));
    let r = report("openai", &body("gpt-image-1.5", ""));
    // gpt-image-1.5 names its replacement.
    assert_eq!(
        only(&r, "model.retired").replacement.as_deref(),
        Some("gpt-image-2.6-sunburst")
    );
}

#[test]
fn an_unknown_model_lists_what_is_served() {
    let r = report("openai", &body("gpt-5", ""));
    let d = only(&r, "model.unknown");
    assert_eq!(
        d.message,
        r#"model "gpt-5": not served by openai; it serves "gpt-image-2.6-sunburst", "gpt-image-2.6-flare", "gpt-image-2.5-sunburst", "gpt-image-2.5-sunburst-2026-09-08", "gpt-image-2.5-flare", "gpt-image-2.5-flare-2026-09-08", "gpt-image-2", "gpt-image-2-2026-04-21", "gpt-image-1.5", "gpt-image-1.5-2025-12-16", "chatgpt-image-latest", "gpt-image-1-mini", "gpt-image-1", "dall-e-3", "dall-e-2""#
    );
}

#[test]
fn an_unknown_provider_is_an_error_listing_the_known_ids() {
    let err: UnknownProvider = profile_by_id("midjourney").unwrap_err();
    assert_eq!(err.code(), "provider.unknown");
    assert_eq!(err.id(), "midjourney");
    assert_eq!(
        err.to_string(),
        r#"provider "midjourney": not a built-in profile; the known ids are "openai", "wavespeed", "enum-sizes", "uniall", "infinityblue", "all-required", "azure-openai", "fal", "replicate", "kie", "evolink", "pixapi", "openrouter""#
    );
}

#[test]
fn provider_ids_are_case_sensitive_and_not_trimmed() {
    for id in ["OpenAI", " openai", "openai ", "", "open\u{0}ai"] {
        assert_eq!(
            profile_by_id(id).unwrap_err().code(),
            "provider.unknown",
            "{id:?}"
        );
    }
}

#[test]
fn a_huge_unknown_provider_id_is_shortened() {
    let id = "x".repeat(1_000_000);
    let err = profile_by_id(&id).unwrap_err();
    assert_eq!(err.id(), format!("{}...", "x".repeat(64)));
    assert!(err.to_string().len() < 300);
}

#[test]
fn every_builtin_provider_id_is_found() {
    for id in [
        "openai",
        "wavespeed",
        "enum-sizes",
        "uniall",
        "infinityblue",
        "all-required",
    ] {
        assert_eq!(profile_by_id(id).unwrap().id, id);
    }
}

/// A minimal profile document whose one model has `rules` (raw JSON).
fn profile_doc(rules: &str) -> String {
    format!(
        r#"{{"id": "hostile", "name": "Hostile", "source": "a test", "as_of": "2026-11-21",
            "path": "/v1/images/generations",
            "auth": {{"header": "Authorization", "env": "KEY"}}, "response": {{"shape": "openai"}},
            "models": [{{"name": "gpt-image-2", "model": "gpt-image-2", "rules": {rules}}}]}}"#
    )
}

#[test]
fn a_profile_rule_with_millions_of_steps_per_edge_is_refused() {
    let doc = profile_doc(
        r#"{"sizes": {"rule": {"multiple": 1, "max_edge": 4000000000, "max_ratio": "3:1",
            "min_pixels": 1, "max_pixels": 18000000000000000000}}}"#,
    );
    let err = gpt_image_plan::Profile::from_json(&doc).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"profile "hostile", model "gpt-image-2": sizes.rule allows 4000000000 multiples of 1 per edge; at most 1024 are supported"#
    );
}

#[test]
fn a_profile_rule_of_1024_steps_per_edge_loads_and_validates() {
    let doc = profile_doc(
        r#"{"sizes": {"rule": {"multiple": 4, "max_edge": 4096, "max_ratio": "4:1",
            "min_pixels": 16, "max_pixels": 16777216}}}"#,
    );
    let profile = gpt_image_plan::Profile::from_json(&doc).unwrap();
    let r = validate_json(&gpt2(r#""size": "4097x1040""#), &profile);
    let codes: Vec<String> = r.codes().iter().map(ToString::to_string).collect();
    assert_eq!(codes, ["size.not_multiple_of_16", "size.edge_too_long"]);
    assert_eq!(r.diagnostics[0].replacement.as_deref(), Some("4096x1040"));
}

#[test]
fn a_profile_listing_thousands_of_sizes_is_refused() {
    let sizes: Vec<String> = (1..=1000)
        .map(|i| format!(r#""{}x{}""#, i * 2, i * 3))
        .collect();
    let doc = profile_doc(&format!(
        r#"{{"sizes": {{"rule": null, "list": [{}]}}}}"#,
        sizes.join(", ")
    ));
    let err = gpt_image_plan::Profile::from_json(&doc).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"profile "hostile", model "gpt-image-2": sizes.list names 1000 sizes; at most 256 are supported"#
    );
}

#[test]
fn a_profile_serving_one_name_twice_is_refused() {
    let doc = profile_doc("{}").replace(
        r#""models": ["#,
        r#""models": [{"name": "gpt-image-2", "model": "gpt-image-2"}, "#,
    );
    let err = gpt_image_plan::Profile::from_json(&doc).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"profile "hostile", model "gpt-image-2": listed twice"#
    );
}

#[test]
fn deeply_nested_profile_rules_are_refused_not_overflowed() {
    let doc = profile_doc(&format!(
        "{}{}",
        r#"{"a":"#.repeat(10_000),
        "}".repeat(10_000)
    ));
    let err = gpt_image_plan::Profile::from_json(&doc).unwrap_err();
    assert!(
        err.to_string().contains("recursion limit exceeded"),
        "{err}"
    );
}

/// Found by the `size_roundtrip` fuzz target: size errors quote the text with
/// escapes, so control characters grow up to tenfold; the quote must stay short.
#[test]
fn control_characters_in_a_size_are_escaped_and_the_message_stays_short() {
    let size = format!("\u{1}3680{}x", "\u{1e}".repeat(20));
    let err = size.parse::<gpt_image_plan::Size>().unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"size "\u{1}3680\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}x": width "\u{1}3680\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}\u{1e}" is not a whole number of pixels"#
    );
    let worst = serde_json::Value::from(format!("{}x1", "\u{1}".repeat(100_000)));
    let r = report("openai", &gpt2(&format!(r#""size": {worst}"#)));
    let d = only(&r, "size.malformed");
    assert!(d.message.len() <= 1024, "{} bytes", d.message.len());
}

#[test]
fn profile_rules_with_a_hundred_thousand_keys_are_refused_before_merging() {
    let keys: Vec<String> = (0..100_000).map(|i| format!(r#""k{i}": 0"#)).collect();
    let doc = profile_doc(&format!(r#"{{"params": {{{}}}}}"#, keys.join(", ")));
    let err = gpt_image_plan::Profile::from_json(&doc).unwrap_err();
    assert_eq!(
        err.to_string(),
        "profile is not valid: models[0].rules.params: an object of 100000 members; no object in model rules has more than 12"
    );
}

#[test]
fn a_profile_serving_twenty_thousand_models_with_rules_loads() {
    let entries: Vec<String> = (0..20_000)
        .map(|i| {
            format!(r#"{{"name": "m{i}", "model": "gpt-image-2", "rules": {{"n": {{"max": 4}}}}}}"#)
        })
        .collect();
    let doc = profile_doc("{}").replace(
        r#""models": ["#,
        &format!(r#""models": [{}, "#, entries.join(", ")),
    );
    let profile = gpt_image_plan::Profile::from_json(&doc).unwrap();
    assert_eq!(profile.models.len(), 20_001);
    assert_eq!(profile.model("m19999").unwrap().rules.n.max, 4);
}
