//! Every text type parses what it prints and prints what it parses, through
//! `FromStr`/`Display` and through serde; and nothing panics on any input:
//! arbitrary strings, arbitrary `u32` pairs, arbitrary request bodies.

use std::fmt::{Debug, Display};
use std::str::FromStr;

use gpt_image_plan::{
    AspectRatio, Background, Code, Date, Effect, Family, Field, ImageRequest, Kind, ModelId,
    ModelIn, ModelState, Moderation, NType, Orientation, OutputFormat, ParamRule, ParamType,
    ParamValue, Quality, ResponseFormat, ResponseShape, Severity, Size, SizeSpec, Style, Support,
    Tier, UnknownFields, builtin_profiles, catalog, request_from_json, validate, validate_json,
};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use strum::VariantArray;

/// `value` prints a text that parses back to it, and serde writes that same
/// text as a JSON string and reads it back.
#[track_caller]
fn assert_value_round_trips<T>(value: T)
where
    T: Display + FromStr + PartialEq + Debug + Serialize + DeserializeOwned,
    T::Err: Debug,
{
    let text = value.to_string();
    assert_eq!(text.parse::<T>().unwrap(), value, "{text}");
    let json = serde_json::to_string(&value).unwrap();
    assert_eq!(json, serde_json::to_string(&text).unwrap());
    assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
}

/// Whatever `text` is, parsing does not panic, and when it succeeds the value
/// prints exactly `text` (each type has one spelling) and serde agrees.
#[track_caller]
fn assert_text_round_trips<T>(text: &str)
where
    T: Display + FromStr + PartialEq + Debug + Serialize + DeserializeOwned,
{
    let parsed = text.parse::<T>();
    let via_serde = serde_json::from_value::<T>(serde_json::Value::String(text.to_owned()));
    assert_eq!(parsed.is_ok(), via_serde.is_ok(), "{text:?}");
    if let Ok(value) = parsed {
        assert_eq!(value.to_string(), text);
        assert_eq!(via_serde.unwrap(), value);
    }
}

#[track_caller]
fn assert_every_variant_round_trips<T>()
where
    T: VariantArray + Copy + Display + FromStr + PartialEq + Debug + Serialize + DeserializeOwned,
    T::Err: Debug,
{
    assert!(!T::VARIANTS.is_empty());
    for &variant in T::VARIANTS {
        assert_value_round_trips(variant);
    }
}

macro_rules! for_every_wire_enum {
    ($check:ident $(, $arg:expr)?) => {
        $check::<Quality>($($arg)?);
        $check::<Background>($($arg)?);
        $check::<OutputFormat>($($arg)?);
        $check::<Moderation>($($arg)?);
        $check::<ResponseFormat>($($arg)?);
        $check::<Style>($($arg)?);
        $check::<Tier>($($arg)?);
        $check::<Severity>($($arg)?);
        $check::<Kind>($($arg)?);
        $check::<Family>($($arg)?);
        $check::<Support>($($arg)?);
        $check::<ParamType>($($arg)?);
        $check::<Effect>($($arg)?);
        $check::<ModelState>($($arg)?);
        $check::<ModelIn>($($arg)?);
        $check::<NType>($($arg)?);
        $check::<ResponseShape>($($arg)?);
        $check::<UnknownFields>($($arg)?);
        $check::<Orientation>($($arg)?);
    };
}

#[test]
fn every_wire_enum_variant_round_trips_through_text_and_serde() {
    for_every_wire_enum!(assert_every_variant_round_trips);
}

#[test]
fn wire_enum_names_are_case_sensitive() {
    assert!("High".parse::<Quality>().is_err());
    assert!("PNG".parse::<OutputFormat>().is_err());
    assert!("1k".parse::<Tier>().is_err());
    // Model ids are data: any well-formed id parses, and case tells them apart.
    let upper: ModelId = "GPT-IMAGE-2".parse().unwrap();
    assert_ne!(upper, "gpt-image-2".parse::<ModelId>().unwrap());
    assert!(catalog().get(upper.as_str()).is_none());
}

/// `request`, the four core fields and every parameter the catalog declares,
/// plus a name no data declares.
fn every_field() -> Vec<Field> {
    let mut fields = vec![Field::REQUEST];
    fields.extend(Field::CORE);
    fields.extend(catalog().parameters.keys().map(Field::param));
    fields.push(Field::param("sharpness"));
    fields
}

#[test]
fn every_field_and_model_id_round_trips_through_text_and_serde() {
    for field in every_field() {
        assert_value_round_trips(field);
    }
    for model in &catalog().models {
        assert_value_round_trips(model.id.clone());
    }
}

#[test]
fn field_and_model_id_text_is_strict() {
    for bad in ["", "Size", "9x", "a-b", "a.b", " size", &"a".repeat(65)] {
        assert!(bad.parse::<Field>().is_err(), "{bad:?}");
    }
    for bad in ["", "gpt image 2", "gpt-image-2/x", &"a".repeat(129)] {
        assert!(bad.parse::<ModelId>().is_err(), "{bad:?}");
    }
}

#[test]
fn every_code_round_trips_through_text_and_serde() {
    let mut count = 0;
    let fields = every_field();
    for field in &fields {
        for &kind in Kind::VARIANTS {
            let code = Code::new(field.clone(), kind);
            assert_eq!(code.to_string(), format!("{field}.{kind}"));
            assert_value_round_trips(code);
            count += 1;
        }
    }
    assert_eq!(count, fields.len() * Kind::VARIANTS.len());
}

#[test]
fn code_text_needs_exactly_a_known_field_a_dot_and_a_known_kind() {
    for bad in [
        "",
        ".",
        "size",
        "size.",
        ".malformed",
        "size.malformed.x",
        "Size.malformed",
        "size.Malformed",
        "size.not_a_kind",
        "9x.malformed",
        " size.malformed",
    ] {
        assert!(bad.parse::<Code>().is_err(), "{bad:?}");
    }
}

#[test]
fn dates_round_trip_on_every_day_of_a_leap_and_a_common_year() {
    for year in [2024, 2026, 2000, 1900, 0, 9999] {
        for month in 1..=12 {
            for day in 1..=31 {
                if let Some(date) = Date::new(year, month, day) {
                    assert_value_round_trips(date);
                }
            }
        }
    }
}

#[test]
fn dates_know_month_lengths_and_leap_years() {
    assert!(Date::new(2024, 2, 29).is_some());
    assert!(Date::new(2026, 2, 29).is_none());
    assert!(Date::new(1900, 2, 29).is_none());
    assert!(Date::new(2000, 2, 29).is_some());
    assert!(Date::new(2026, 4, 31).is_none());
    assert!(Date::new(2026, 12, 31).is_some());
    assert!(Date::new(2026, 0, 1).is_none());
    assert!(Date::new(2026, 13, 1).is_none());
    assert!(Date::new(2026, 1, 0).is_none());
    // Five-digit years would print text that does not parse back.
    assert!(Date::new(9999, 12, 31).is_some());
    assert!(Date::new(10000, 1, 1).is_none());
}

#[test]
fn date_text_is_strictly_yyyy_mm_dd() {
    for bad in [
        "2026-5-12",
        "2026-05-1",
        "26-05-12",
        "2026/05/12",
        "2026-05-12 ",
        "+026-05-12",
        "2026-0a-12",
        "2026-02-30",
        "２０２６-05-12",
        "",
    ] {
        assert!(bad.parse::<Date>().is_err(), "{bad:?}");
    }
}

#[test]
fn size_text_is_strict() {
    for bad in [
        "",
        "x",
        "1024x",
        "x1024",
        "1024X1024",
        "1024 x 1024",
        "1024*1024",
        "01024x1024",
        "1024x01024",
        "+1024x1024",
        "-1024x1024",
        "1024x1024x1",
        "4294967296x1",
        "1024.0x1024",
        "１０２４x1024",
        "Auto",
        "AUTO",
        " auto",
    ] {
        assert!(bad.parse::<SizeSpec>().is_err(), "{bad:?}");
    }
    assert_eq!("0x0".parse::<Size>().unwrap(), Size::new(0, 0));
    assert_eq!(
        "4294967295x4294967295".parse::<Size>().unwrap(),
        Size::new(u32::MAX, u32::MAX)
    );
}

#[test]
fn aspect_ratio_text_needs_two_positive_whole_numbers() {
    for bad in [
        "", "16", "16:", ":9", "0:9", "16:0", "016:9", "16:9:1", "16/9", "-16:9", "1.5:1",
    ] {
        assert!(bad.parse::<AspectRatio>().is_err(), "{bad:?}");
    }
    assert_eq!("32:18".parse::<AspectRatio>().unwrap().to_string(), "32:18");
    assert_eq!(
        "32:18"
            .parse::<AspectRatio>()
            .unwrap()
            .reduced()
            .to_string(),
        "16:9"
    );
}

/// Texts that look like the types, to reach the interesting parse paths often.
fn near_miss() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{0,11}[xX*: ]?[0-9]{0,11}",
        "[0-9]{1,11}:[0-9]{1,11}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "[a-z_]{0,12}\\.[a-z_0-9]{0,20}",
        "(auto|low|medium|high|png|jpeg|webp|1K|2K|4K|gpt-image-[0-9.]{1,4}|dall-e-[23])",
        any::<String>(),
        "\\PC{0,20}",
    ]
}

/// `Size`'s hand-made `Display` against the plain `format!` it replaced, at
/// the edges of every digit count.
#[test]
fn size_display_is_width_x_height_in_decimal() {
    let edges = [
        0,
        1,
        9,
        10,
        99,
        100,
        1023,
        1024,
        3840,
        99_999,
        4_294_967_295,
    ];
    for w in edges {
        for h in edges {
            assert_eq!(Size::new(w, h).to_string(), format!("{w}x{h}"));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_size_displays_as_format_writes_it(w in any::<u32>(), h in any::<u32>()) {
        prop_assert_eq!(Size::new(w, h).to_string(), format!("{w}x{h}"));
    }

    #[test]
    fn any_size_round_trips(w in any::<u32>(), h in any::<u32>()) {
        assert_value_round_trips(Size::new(w, h));
        assert_value_round_trips(SizeSpec::Size(Size::new(w, h)));
    }

    #[test]
    fn any_aspect_ratio_round_trips_and_reduces_to_the_same_value(w in 1u32.., h in 1u32..) {
        let ratio = AspectRatio::new(w, h).unwrap();
        assert_value_round_trips(ratio);
        let r = ratio.reduced();
        prop_assert_eq!(u64::from(w) * u64::from(r.height()), u64::from(h) * u64::from(r.width()));
        prop_assert_eq!(r.reduced(), r);
    }

    #[test]
    fn any_date_round_trips(year in 0u16..=9999, month in 1u8..=12, day in 1u8..=31) {
        match Date::new(year, month, day) {
            Some(date) => assert_value_round_trips(date),
            // Only the days past a short month's end are not dates.
            None => prop_assert!(day > 28, "{year}-{month}-{day}"),
        }
    }

    #[test]
    fn parsing_any_text_never_panics_and_parsed_text_prints_unchanged(text in near_miss()) {
        assert_text_round_trips::<Size>(&text);
        assert_text_round_trips::<SizeSpec>(&text);
        assert_text_round_trips::<AspectRatio>(&text);
        assert_text_round_trips::<Code>(&text);
        assert_text_round_trips::<Date>(&text);
        for_every_wire_enum!(assert_text_round_trips, &text);
        if let Err(e) = text.parse::<Size>() {
            // The near-miss suggestion is total, and never suggests the text itself.
            if let Some(s) = e.suggestion() {
                prop_assert_ne!(s.to_string(), text.clone());
            }
        }
    }

    #[test]
    fn reading_any_text_as_a_request_body_never_panics(text in near_miss()) {
        for profile in builtin_profiles() {
            let _ = request_from_json(&text, profile);
            let _ = validate_json(&text, profile);
        }
    }
}

/// A JSON value of any shape, biased towards the request's own field names.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        (0u32..20).prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        near_miss().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((field_name(), inner), 0..4)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(every_field()).prop_map(|f| f.to_string()),
        "[a-z_]{1,16}",
    ]
}

fn request() -> impl Strategy<Value = ImageRequest> {
    fn opt<T: Clone + Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
        prop::option::of(s)
    }
    let size = prop_oneof![
        Just(SizeSpec::Auto),
        (any::<u32>(), any::<u32>()).prop_map(|(w, h)| SizeSpec::Size(Size::new(w, h))),
        (1u32..300, 1u32..300).prop_map(|(w, h)| SizeSpec::Size(Size::new(w * 16, h * 16))),
    ];
    let model = prop_oneof![
        prop::sample::select(
            catalog()
                .models
                .iter()
                .map(|m| m.id.to_string())
                .collect::<Vec<_>>()
        ),
        Just("gpt-image-2-origin".to_owned()),
        Just("gpt-image-2-auto".to_owned()),
        "\\PC{0,12}",
    ];
    // Declared parameters with values of their type (the data's values
    // most often).
    let declared: Vec<(String, ParamType)> = catalog()
        .parameters
        .iter()
        .map(|(name, decl)| (name.clone(), decl.kind))
        .collect();
    let param = prop::sample::select(declared).prop_flat_map(|(name, kind)| {
        let value = match kind {
            ParamType::Boolean => any::<bool>().prop_map(ParamValue::Bool).boxed(),
            ParamType::Integer => any::<u32>().prop_map(ParamValue::Int).boxed(),
            _ => prop_oneof![
                prop::sample::select(vec![
                    "low", "high", "auto", "png", "gif", "xhigh", "url", "vivid"
                ]),
                Just("transparent"),
            ]
            .prop_map(ParamValue::from)
            .boxed()
            .prop_union("\\PC{0,8}".prop_map(ParamValue::Text).boxed())
            .boxed(),
        };
        (Just(name), value)
    });
    // Only declared names with values of their type: a typed request is then
    // a body the reader reads whole. (A typed request with an undeclared
    // name or a value of the wrong type is not: the reader reports those
    // itself, first, and even when the model does not resolve.)
    let params = prop::collection::vec(param, 0..6);
    (
        (opt(model), opt("\\PC{0,40}"), opt(any::<u32>()), opt(size)),
        params,
    )
        .prop_map(|((model, prompt, n, size), params)| ImageRequest {
            model,
            prompt,
            n,
            size,
            params: params.into_iter().collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn validating_any_request_body_never_panics(
        body in prop::collection::vec((field_name(), json_value()), 0..8)
    ) {
        let text = serde_json::Value::Object(body.into_iter().collect()).to_string();
        for profile in builtin_profiles() {
            let report = validate_json(&text, profile);
            for d in &report.diagnostics {
                prop_assert_eq!(d.code.field(), &d.field);
                prop_assert!(!d.message.is_empty());
            }
        }
    }

    #[test]
    fn validating_any_typed_request_never_panics_and_json_agrees(req in request()) {
        let text = serde_json::to_string(&req).unwrap();
        prop_assert_eq!(&serde_json::from_str::<ImageRequest>(&text).unwrap(), &req);
        for profile in builtin_profiles() {
            let typed = validate(&req, profile);
            // Typed requests are always well-formed JSON, so reading the JSON
            // adds nothing except for `n`, which a string-typed provider may
            // take either way: the findings must be the same.
            prop_assert_eq!(validate_json(&text, profile), typed);
        }
    }
}

/// A profile whose rules were built by hand through the public fields, which
/// skips the consistency checks `Profile::from_json` makes.
fn hand_built(edit: impl Fn(&mut gpt_image_plan::ModelRules)) -> gpt_image_plan::Profile {
    let mut profile = gpt_image_plan::builtin_profile("openai").unwrap().clone();
    for model in &mut profile.models {
        edit(&mut model.rules);
    }
    profile
}

fn every_kind_of_request() -> Vec<ImageRequest> {
    let mut out = Vec::new();
    for n in [0, 2, 11, u32::MAX] {
        for size in ["auto", "0x0", "1024x1024", "1920x1080", "4294967295x1"] {
            for partial in [0, 9, u32::MAX] {
                let mut req = ImageRequest::new("gpt-image-2", "an otter")
                    .with("partial_images", partial)
                    .with("output_compression", partial)
                    .with("output_format", OutputFormat::Png)
                    .with("background", Background::Transparent)
                    .with("stream", true);
                req.n = Some(n);
                req.size = Some(size.parse().unwrap());
                out.push(req);
            }
        }
    }
    out.push(ImageRequest::default());
    out.push(ImageRequest::new("gpt-image-2", ""));
    out
}

#[test]
fn hand_built_profiles_with_degenerate_rules_never_make_validation_panic() {
    let profiles = [
        hand_built(|r| {
            r.n.min = 0;
            r.n.max = 0;
            r.n.split_max = Some(5);
        }),
        hand_built(|r| {
            r.n.min = 5;
            r.n.max = 2;
            r.n.split_max = Some(1);
        }),
        hand_built(|r| {
            for (name, min, max) in [("partial_images", 3, 1), ("output_compression", 90, 10)] {
                let rule = r.params.entry(name.to_owned()).or_default();
                rule.support = Support::Supported;
                (rule.min, rule.max) = (Some(min), Some(max));
            }
            // A text limit of nothing, and a list that names no value.
            r.params.insert(
                "user".to_owned(),
                ParamRule {
                    support: Support::Supported,
                    max_chars: Some(0),
                    ..ParamRule::default()
                },
            );
            r.params
                .entry("quality".to_owned())
                .or_default()
                .values
                .clear();
        }),
        hand_built(|r| {
            r.prompt.min_chars = u32::MAX;
            r.prompt.max_chars = u32::MAX;
        }),
        hand_built(|r| {
            r.prompt.min_chars = 5;
            r.prompt.max_chars = 0;
        }),
        hand_built(|r| {
            if let Some(rule) = &mut r.sizes.rule {
                rule.multiple = 0;
                rule.max_edge = 64;
                rule.min_pixels = u64::MAX;
                rule.max_pixels = 0;
            }
            r.sizes.experimental_above_pixels = Some(0);
            r.constraints.clear();
        }),
        hand_built(|r| {
            r.sizes.rule = None;
            r.sizes.list.clear();
            r.sizes.auto = false;
            r.presets.clear();
            r.defaults = Default::default();
            r.required = every_field().iter().map(|f| f.to_string()).collect();
        }),
    ];
    let requests = every_kind_of_request();
    for profile in &profiles {
        for req in &requests {
            let _ = validate(req, profile);
        }
    }
}

/// The prompt limits as the documents state them, counted the plain way.
fn prompt_breaks_plain(prompt: &str, min: u32, max: u32) -> (bool, bool) {
    let chars = prompt.chars().count();
    (chars < min as usize, chars > max as usize)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    // Validation skips counting when the byte length already decides; it must
    // agree with counting every time, for prompts of 1- to 4-byte chars near
    // small limits.
    #[test]
    fn prompt_limits_agree_with_plain_char_counting(
        prompt in "[a\u{e9}\u{65e5}\u{1f9a6}]{0,12}",
        min in 0u32..6,
        extra in 0u32..8,
    ) {
        let max = min + extra;
        let profile = hand_built(|r| {
            r.prompt.min_chars = min;
            r.prompt.max_chars = max;
        });
        let report = validate(&ImageRequest::new("gpt-image-2", prompt.clone()), &profile);
        let too_short = report.has(&"prompt.empty".parse().unwrap());
        let too_long = report.has(&"prompt.too_long".parse().unwrap());
        prop_assert_eq!((too_short, too_long), prompt_breaks_plain(&prompt, min, max));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    // Reading a body with repeated keys agrees with the plain definition:
    // one duplicate_field finding per repeated key, in order of first
    // appearance, with its count; and the last occurrence is the one read.
    #[test]
    fn duplicate_fields_agree_with_a_plain_scan(
        pairs in prop::collection::vec(
            (prop::sample::select(&["user", "prompt", "model", "extra", "other"][..]), "[a-z]{0,4}"),
            0..12,
        )
    ) {
        let body = format!(
            "{{{}}}",
            pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", serde_json::json!(k), serde_json::json!(v)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let (req, report) = request_from_json(&body, gpt_image_plan::builtin_profile("wavespeed").unwrap());

        let mut expected = Vec::new();
        for (i, (key, _)) in pairs.iter().enumerate() {
            let count = pairs.iter().filter(|(k, _)| k == key).count();
            if count > 1 && pairs[..i].iter().all(|(k, _)| k != key) {
                expected.push(format!(
                    "field \"{key}\" appears {count} times; providers disagree on which one counts"
                ));
            }
        }
        let got: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.code.to_string() == "request.duplicate_field")
            .map(|d| d.message.clone())
            .collect();
        prop_assert_eq!(got, expected);

        let last = |name: &str| pairs.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
        prop_assert_eq!(req.param("user").and_then(ParamValue::as_text).map(str::to_owned), last("user"));
        prop_assert_eq!(req.prompt, last("prompt"));
        prop_assert_eq!(req.model, last("model"));
        let unknown = report
            .diagnostics
            .iter()
            .filter(|d| d.code.to_string() == "request.unknown_field")
            .count();
        let distinct_unknown = ["extra", "other"]
            .iter()
            .filter(|u| pairs.iter().any(|(k, _)| k == *u))
            .count();
        prop_assert_eq!(unknown, distinct_unknown);
    }
}
