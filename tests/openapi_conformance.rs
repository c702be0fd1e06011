//! Conformance with OpenAI's own schema: the image schemas of
//! `openai/openai-openapi` (`tests/data/openapi-images.json`, its `source`
//! line names the commit), checked at the built-in profile `openai`.
//!
//! The claims:
//! 1. no request body that `schemas.CreateImageRequest` refuses is accepted by
//!    [`validate_json`];
//! 2. every body [`wire::plan_json`] plans satisfies `CreateImageRequest`;
//! 3. responses that `schemas.ImagesResponse` accepts are read by
//!    [`parse_response`], usage included.
//!
//! Bodies are generated from the schema's own properties (their types, enums,
//! ranges and `nullable`), with values the schema takes and values it does not
//! (out-of-range integers, strings outside an enum, wrong JSON types), unknown
//! properties and a missing `prompt`. What the schema accepts is decided by a
//! real JSON Schema validator (the `jsonschema` crate, draft 4: OpenAPI 3.0's
//! Schema Object is an extended subset of draft Wright-00, the draft after 4),
//! never by this file.
//!
//! Restrictions, because the schema (2026-08-21) is older than the facts:
//! - `model` is one of the schema's own `model` enum members that the crate
//!   still serves at `openai` (a minimal body with it is valid), read from the
//!   schema, or absent, or a value of the wrong JSON type. Newer models
//!   (gpt-image-2.5 and 2.6) and their values (`quality` `xhigh` and `max`,
//!   `output_format` `gif` and `svg`, `complexity`, `frame_count`, ...)
//!   postdate the schema, so a body the schema refuses for them can be right.
//! - The schema's `model` and `size` are any string; generated sizes are the
//!   schema's own enum members or a few other strings (`1920x1080`, `square`).
//! - Generated responses carry token counts from 0 to `u32::MAX`: the schema
//!   says only "integer", and a negative or 20-digit count is not a count.
//!
//! OpenAPI 3.0 is turned into JSON Schema by one documented, minimal
//! conversion ([`to_json_schema`]): `nullable: true` adds `null` to `type`,
//! to `enum`, or as a member of `anyOf`. Every other keyword is left as it is.

use std::cell::Cell;
use std::sync::LazyLock;

use gpt_image_plan::wire::{self, Outcome, parse_response};
use gpt_image_plan::{Profile, builtin_profile, validate_json};
use jsonschema::Validator;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::{Map, Value, json};

/// OpenAI's published image schemas, `{"source": ..., "schemas": {...}}`.
const OPENAPI: &str = include_str!("data/openapi-images.json");

/// Cases per property test: a few seconds in the test profile.
const CASES: u32 = 3000;

/// The document, parsed once.
static DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(OPENAPI).expect("openapi-images.json is JSON"));

/// `CreateImageRequest` as a validator.
static REQUEST: LazyLock<Validator> = LazyLock::new(|| validator("CreateImageRequest"));

/// `ImagesResponse` as a validator.
static RESPONSE: LazyLock<Validator> = LazyLock::new(|| validator("ImagesResponse"));

/// The request properties as the schema describes them, by name.
static PROPERTIES: LazyLock<Vec<Property>> = LazyLock::new(|| {
    let request = &DOCUMENT["schemas"]["CreateImageRequest"];
    let properties = request["properties"]
        .as_object()
        .expect("CreateImageRequest has properties");
    properties
        .iter()
        .map(|(name, schema)| Property::read(name, schema))
        .collect()
});

/// The schema's `model` enum members the crate serves at `openai`.
static MODELS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let model = PROPERTIES
        .iter()
        .find(|p| p.name == "model")
        .expect("CreateImageRequest has a model property");
    let served: Vec<String> = model
        .values
        .iter()
        .filter_map(Value::as_str)
        .filter(|name| {
            validate_json(
                &json!({"model": name, "prompt": "an otter"}).to_string(),
                openai(),
            )
            .is_valid()
        })
        .map(str::to_owned)
        .collect();
    assert!(
        !served.is_empty(),
        "the crate serves none of the schema's models at openai"
    );
    served
});

/// Property names the schema does not list.
const UNKNOWN_PROPERTIES: [&str; 5] = ["complexity", "frame_count", "sharpness", "seed", "Prompt"];

fn openai() -> &'static Profile {
    builtin_profile("openai").expect("the built-in profile openai")
}

/// The OpenAPI 3.0 → JSON Schema conversion, applied to every schema object
/// below `schema`: `nullable: true` (which JSON Schema does not know) becomes
/// `null` added to `type`, to `enum` when there is one, and, for a schema with
/// no `type` but an `anyOf`, a `{"type": "null"}` member; `nullable` is then
/// removed. This is what OpenAPI 3.0 means by `nullable` and what common
/// converters (openapi-schema-to-json-schema) do.
fn to_json_schema(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            if object.get("nullable") == Some(&Value::Bool(true)) {
                object.remove("nullable");
                match object.get_mut("type") {
                    Some(Value::String(ty)) => {
                        let ty = std::mem::take(ty);
                        object.insert("type".into(), json!([ty, "null"]));
                    }
                    Some(Value::Array(types)) => types.push(json!("null")),
                    Some(other) => panic!("unexpected type {other}"),
                    None => match object.get_mut("anyOf") {
                        Some(Value::Array(members)) => members.push(json!({"type": "null"})),
                        _ => panic!("nullable without type or anyOf: {object:?}"),
                    },
                }
                if let Some(Value::Array(members)) = object.get_mut("enum") {
                    members.push(Value::Null);
                }
            }
            object.values_mut().for_each(to_json_schema);
        }
        Value::Array(items) => items.iter_mut().for_each(to_json_schema),
        _ => {}
    }
}

/// A draft 4 validator for `schemas.<name>`, its `$ref`s
/// (`#/components/schemas/...`) resolved inside the same document.
fn validator(name: &str) -> Validator {
    let mut schemas = DOCUMENT["schemas"].clone();
    to_json_schema(&mut schemas);
    let root = json!({
        "$schema": "http://json-schema.org/draft-04/schema#",
        "components": {"schemas": schemas},
        "allOf": [{"$ref": format!("#/components/schemas/{name}")}],
    });
    jsonschema::draft4::new(&root).expect("the converted schema compiles")
}

/// Why the schema refuses `instance`, or `None` when it accepts it.
fn refusal(validator: &Validator, instance: &Value) -> Option<String> {
    if validator.is_valid(instance) {
        return None;
    }
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    Some(errors.join("; "))
}

/// One request property, by the keywords the schema uses for it: `type`,
/// `enum`, `minimum`, `maximum`, `nullable`, `anyOf` (of those, or `null`)
/// and `$ref`, beside annotations. Any other keyword fails the test, so a
/// newer schema (a `maxLength`, a `pattern`) is looked at before it is used.
#[derive(Clone, Debug)]
struct Property {
    name: String,
    ty: String,
    /// The enum's members.
    values: Vec<Value>,
    /// Any string is valid (`anyOf: [{type: string}, {enum}]`).
    open: bool,
    min: Option<i64>,
    max: Option<i64>,
    nullable: bool,
}

impl Property {
    fn read(name: &str, schema: &Value) -> Property {
        let mut property = Property {
            name: name.to_owned(),
            ty: String::new(),
            values: Vec::new(),
            open: false,
            min: None,
            max: None,
            nullable: false,
        };
        property.merge(schema);
        assert!(!property.ty.is_empty(), "{name}: no type in {schema}");
        property
    }

    fn merge(&mut self, schema: &Value) {
        const READ: [&str; 7] = [
            "type", "enum", "minimum", "maximum", "nullable", "anyOf", "$ref",
        ];
        const ANNOTATIONS: [&str; 4] = ["description", "default", "example", "x-oaiTypeLabel"];
        for keyword in schema.as_object().expect("a schema object").keys() {
            assert!(
                READ.contains(&keyword.as_str()) || ANNOTATIONS.contains(&keyword.as_str()),
                "{}: keyword {keyword} is not read by this generator",
                self.name
            );
        }
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let local = target
                .strip_prefix("#/components/schemas/")
                .expect("a local $ref");
            return self.merge(&DOCUMENT["schemas"][local]);
        }
        if schema.get("nullable") == Some(&Value::Bool(true)) {
            self.nullable = true;
        }
        if let Some(members) = schema.get("anyOf").and_then(Value::as_array) {
            for member in members {
                match (
                    member.get("type").and_then(Value::as_str),
                    member.get("enum"),
                ) {
                    (Some("null"), _) => self.nullable = true,
                    (Some("string"), None) => {
                        self.open = true;
                        self.merge(member);
                    }
                    _ => self.merge(member),
                }
            }
        }
        if let Some(ty) = schema.get("type").and_then(Value::as_str) {
            assert!(
                self.ty.is_empty() || self.ty == ty,
                "{}: types {} and {ty}",
                self.name,
                self.ty
            );
            ty.clone_into(&mut self.ty);
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            self.values.extend(values.iter().cloned());
        }
        if let Some(min) = schema.get("minimum") {
            self.min = Some(min.as_i64().expect("an integer minimum"));
        }
        if let Some(max) = schema.get("maximum") {
            self.max = Some(max.as_i64().expect("an integer maximum"));
        }
    }

    /// Values the schema takes for this property (`model`: the served ones).
    fn valid(&self) -> BoxedStrategy<Value> {
        let base = if self.name == "model" {
            proptest::sample::select(MODELS.clone())
                .prop_map(Value::from)
                .boxed()
        } else if !self.values.is_empty() {
            let members = proptest::sample::select(self.values.clone()).boxed();
            if self.open {
                let other = prop_oneof![
                    proptest::sample::select(
                        &["2048x1152", "1920x1080", "3840x2160", "1024x1023"][..]
                    ),
                    Just("square"),
                ]
                .prop_map(Value::from);
                prop_oneof![3 => members, 1 => other].boxed()
            } else {
                members
            }
        } else {
            match self.ty.as_str() {
                "integer" => match (self.min, self.max) {
                    (Some(min), Some(max)) => (min..=max).prop_map(Value::from).boxed(),
                    (min, max) => prop_oneof![
                        3 => (0i64..=100).prop_map(Value::from),
                        1 => (min.unwrap_or(-1000)..=max.unwrap_or(1000)).prop_map(Value::from),
                    ]
                    .boxed(),
                },
                "boolean" => any::<bool>().prop_map(Value::from).boxed(),
                "string" => "[a-zA-Z ]{0,24}".prop_map(Value::from).boxed(),
                other => panic!("{}: type {other} has no generator", self.name),
            }
        };
        if self.nullable {
            prop_oneof![6 => base, 1 => Just(Value::Null)].boxed()
        } else {
            base
        }
    }

    /// Values meant to be refused: wrong JSON types, strings outside a
    /// closed enum, integers outside the range. The validator decides.
    fn invalid(&self) -> BoxedStrategy<Value> {
        let mut wrong_types: Vec<Value> = match self.ty.as_str() {
            "string" => vec![
                json!(7),
                json!(1.5),
                json!(true),
                json!([]),
                json!({"a": 1}),
            ],
            "integer" => vec![json!("2"), json!(1.5), json!(true), json!([1]), json!({})],
            "boolean" => vec![json!("true"), json!(1), json!(0), json!([]), json!({})],
            other => panic!("{}: type {other} has no generator", self.name),
        };
        if !self.nullable {
            wrong_types.push(Value::Null);
        }
        let wrong_types = proptest::sample::select(wrong_types).boxed();
        if self.ty == "string" && !self.values.is_empty() && !self.open {
            let outside: Vec<Value> = self
                .values
                .iter()
                .filter_map(Value::as_str)
                .flat_map(|v| [v.to_uppercase(), format!("{v} "), format!("{v}-2")])
                .chain(["xhigh", "max", "gif", "svg", "ultra", ""].map(str::to_owned))
                .map(Value::from)
                .filter(|v| !self.values.contains(v))
                .collect();
            return prop_oneof![
                2 => proptest::sample::select(outside),
                1 => wrong_types,
            ]
            .boxed();
        }
        if self.ty == "integer" && (self.min.is_some() || self.max.is_some()) {
            let mut ranges: Vec<BoxedStrategy<Value>> = vec![wrong_types];
            if let Some(min) = self.min {
                ranges.push((min - 1000..min).prop_map(Value::from).boxed());
            }
            if let Some(max) = self.max {
                ranges.push((max + 1..=max + 1000).prop_map(Value::from).boxed());
            }
            return proptest::strategy::Union::new(ranges).boxed();
        }
        wrong_types
    }
}

/// A body: each property absent (weight `absent`), valid (weight 4) or
/// invalid (weight `bad`), plus at times an unknown property. With `complete`
/// the body always has a valid `prompt` and `model`.
fn bodies(absent: u32, bad: u32, complete: bool) -> impl Strategy<Value = Value> {
    let members: Vec<BoxedStrategy<Option<(String, Value)>>> = PROPERTIES
        .iter()
        .map(|p| {
            let (name, name2) = (p.name.clone(), p.name.clone());
            let valid = p.valid().prop_map(move |v| Some((name.clone(), v)));
            if complete && (p.name == "prompt" || p.name == "model") {
                return valid.boxed();
            }
            let invalid = p.invalid().prop_map(move |v| Some((name2.clone(), v)));
            match bad {
                0 => prop_oneof![absent => Just(None), 4 => valid].boxed(),
                _ => prop_oneof![absent => Just(None), 4 => valid, bad => invalid].boxed(),
            }
        })
        .collect();
    let unknown = proptest::option::weighted(
        0.1,
        (
            proptest::sample::select(&UNKNOWN_PROPERTIES[..]),
            prop_oneof![Just(json!("high")), Just(json!(3)), Just(json!(true))],
        ),
    );
    (members, unknown).prop_map(|(members, unknown)| {
        let mut body: Map<String, Value> = members.into_iter().flatten().collect();
        if let Some((name, value)) = unknown {
            body.insert(name.to_owned(), value);
        }
        Value::Object(body)
    })
}

/// Runs `test` over `CASES` bodies and panics with the smallest failing one.
#[track_caller]
fn check<S: Strategy>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    match runner.run(&strategy, test) {
        Ok(()) => {}
        Err(TestError::Fail(why, value)) => panic!("{why}\nminimal input: {value:?}"),
        Err(e) => panic!("{e}"),
    }
}

fn error_codes(body: &str) -> Vec<String> {
    validate_json(body, openai())
        .errors()
        .map(|d| d.code.to_string())
        .collect()
}

#[test]
fn the_schema_and_its_conversion_read_as_expected() {
    assert_eq!(
        DOCUMENT["source"],
        "openai/openai-openapi openapi.json at f85dbe2 (2026-08-21)"
    );
    let names: Vec<&str> = PROPERTIES.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "background",
            "model",
            "moderation",
            "n",
            "output_compression",
            "output_format",
            "partial_images",
            "prompt",
            "quality",
            "response_format",
            "size",
            "stream",
            "style",
            "user"
        ]
    );
    let accepted = [
        json!({"prompt": "an otter"}),
        json!({"prompt": "an otter", "model": null, "n": null, "quality": null, "partial_images": null}),
        json!({"prompt": "an otter", "model": "gpt-image-9", "size": "2048x1152", "sharpness": 3}),
        json!({"prompt": "an otter", "n": 10, "partial_images": 3, "output_compression": -5}),
    ];
    for body in &accepted {
        assert_eq!(refusal(&REQUEST, body), None, "{body}");
    }
    let refused = [
        (
            json!({"model": "gpt-image-2"}),
            r#": "prompt" is a required property"#,
        ),
        (
            json!({"prompt": "an otter", "n": 11}),
            "/n: 11 is greater than the maximum of 10",
        ),
        (
            json!({"prompt": "an otter", "quality": "xhigh"}),
            r#"/quality: "xhigh" is not one of "standard", "hd" or 5 other candidates"#,
        ),
        (
            json!({"prompt": "an otter", "partial_images": 4}),
            "/partial_images: 4 is not valid under any of the schemas listed in the 'anyOf' keyword",
        ),
        (
            json!({"prompt": "an otter", "user": null}),
            r#"/user: null is not of type "string""#,
        ),
    ];
    for (body, why) in &refused {
        assert_eq!(refusal(&REQUEST, body).as_deref(), Some(*why), "{body}");
    }
}

#[test]
fn the_schema_models_the_crate_serves_at_openai_are_read_from_the_schema() {
    for model in ["gpt-image-2", "gpt-image-2-2026-04-21"] {
        assert!(
            MODELS.iter().any(|m| m == model),
            "{model} not in {MODELS:?}"
        );
    }
}

/// Claim 1 over bodies with any mix of valid, invalid and absent properties.
#[test]
fn no_body_the_schema_refuses_is_valid_at_openai() {
    let refused = Cell::new(0u32);
    check(bodies(4, 2, false), |body| {
        let Some(why) = refusal(&REQUEST, &body) else {
            return Ok(());
        };
        refused.set(refused.get() + 1);
        let text = body.to_string();
        let report = validate_json(&text, openai());
        prop_assert!(
            !report.is_valid(),
            "the schema refuses {text} ({why}) but validate_json at openai finds no error (codes: {:?})",
            report
                .diagnostics
                .iter()
                .map(|d| d.code.to_string())
                .collect::<Vec<_>>()
        );
        Ok(())
    });
    assert!(
        refused.get() > CASES / 3,
        "only {} of {CASES} bodies refused",
        refused.get()
    );
}

/// Claim 1, pointed: a body the crate accepts, with one property made
/// invalid (or `prompt` removed), is refused with an error about that
/// property.
#[test]
fn one_property_the_schema_refuses_makes_an_accepted_body_fail_on_that_property() {
    let mutations: Vec<BoxedStrategy<(String, Option<Value>)>> = PROPERTIES
        .iter()
        .map(|p| {
            let name = p.name.clone();
            p.invalid()
                .prop_map(move |v| (name.clone(), Some(v)))
                .boxed()
        })
        .chain([Just(("prompt".to_owned(), None)).boxed()])
        .collect();
    let mutated = (
        bodies(12, 0, true),
        proptest::strategy::Union::new(mutations),
    );
    let tested = Cell::new(0u32);
    check(mutated, |(body, (name, value))| {
        let Value::Object(mut members) = body else {
            unreachable!()
        };
        if !validate_json(&Value::Object(members.clone()).to_string(), openai()).is_valid() {
            return Ok(());
        }
        match value {
            Some(value) => members.insert(name.clone(), value),
            None => members.remove(&name),
        };
        let body = Value::Object(members);
        let Some(why) = refusal(&REQUEST, &body) else {
            return Ok(());
        };
        tested.set(tested.get() + 1);
        let text = body.to_string();
        let codes = error_codes(&text);
        prop_assert!(
            codes
                .iter()
                .any(|code| code.starts_with(&format!("{name}."))),
            "the schema refuses {text} ({why}); validate_json at openai gives no {name}.* error: {codes:?}"
        );
        Ok(())
    });
    assert!(
        tested.get() > CASES / 6,
        "only {} of {CASES} bodies tested",
        tested.get()
    );
}

/// Claim 2: every planned call body satisfies `CreateImageRequest`.
#[test]
fn every_body_planned_at_openai_satisfies_the_schema() {
    let planned = Cell::new(0u32);
    check(bodies(12, 0, true), |body| {
        let text = body.to_string();
        let plan = wire::plan_json(&text, openai());
        if !plan.report.is_valid() {
            return Ok(());
        }
        planned.set(planned.get() + 1);
        prop_assert!(!plan.calls.is_empty(), "{text}: valid but no call");
        for call in &plan.calls {
            let sent = call.body.as_deref().expect("a POST body");
            let sent: Value = serde_json::from_str(sent).expect("the planned body is JSON");
            if let Some(why) = refusal(&REQUEST, &sent) {
                prop_assert!(
                    false,
                    "{text} is planned as {sent}, which the schema refuses: {why}"
                );
            }
        }
        Ok(())
    });
    assert!(
        planned.get() > CASES / 8,
        "only {} of {CASES} bodies planned",
        planned.get()
    );
}

/// Claim 1's one failing case, found by the pointed test: `user` is the one
/// optional property the schema does not mark `nullable`, and the crate read
/// every `null` as "use the default" until nullability became data.
#[test]
fn user_null_which_the_schema_refuses_is_refused_at_openai() {
    let body = r#"{"model": "gpt-image-2", "prompt": "an otter", "user": null}"#;
    assert_eq!(
        refusal(&REQUEST, &serde_json::from_str(body).unwrap()).as_deref(),
        Some(r#"/user: null is not of type "string""#)
    );
    assert_eq!(error_codes(body), ["user.invalid_type"]);
}

/// What `parse_response` read, as JSON text for comparison with the body.
struct Read {
    created: Option<i64>,
    images: Vec<Value>,
    usage: Option<[Option<u64>; 7]>,
    /// size, quality, output_format, background as their text.
    named: [Option<String>; 4],
}

fn read(body: &Value) -> Result<Read, TestCaseError> {
    let bytes = body.to_string().into_bytes();
    let outcome = parse_response(&gpt_image_plan::Response::openai(), 200, &[], &bytes);
    let Ok(Outcome::Images(result)) = outcome else {
        return Err(TestCaseError::fail(format!(
            "{body} is not read as images: {outcome:?}"
        )));
    };
    let images = result
        .images
        .iter()
        .map(|image| {
            let mut object = Map::new();
            for (key, value) in [
                ("url", &image.url),
                ("b64_json", &image.b64_json),
                ("revised_prompt", &image.revised_prompt),
            ] {
                if let Some(value) = value {
                    object.insert(key.into(), json!(value));
                }
            }
            Value::Object(object)
        })
        .collect();
    Ok(Read {
        created: result.created,
        images,
        usage: result.usage.map(|u| {
            [
                u.input_tokens,
                u.input_text_tokens,
                u.input_image_tokens,
                u.output_tokens,
                u.output_image_tokens,
                u.output_text_tokens,
                u.total_tokens,
            ]
        }),
        named: [
            result.size.map(|v| v.to_string()),
            result.quality.map(|v| v.to_string()),
            result.output_format.map(|v| v.to_string()),
            result.background.map(|v| v.to_string()),
        ],
    })
}

/// The usage counts of a response body, in [`Read::usage`]'s order.
fn usage_in(body: &Value) -> Option<[Option<u64>; 7]> {
    let usage = body.get("usage")?;
    let count = |path: &str| usage.pointer(path).and_then(Value::as_u64);
    Some([
        count("/input_tokens"),
        count("/input_tokens_details/text_tokens"),
        count("/input_tokens_details/image_tokens"),
        count("/output_tokens"),
        count("/output_tokens_details/image_tokens"),
        count("/output_tokens_details/text_tokens"),
        count("/total_tokens"),
    ])
}

/// Checks that the crate read every member of `body` the schema describes.
fn read_whole(body: &Value) -> Result<(), TestCaseError> {
    let read = read(body)?;
    prop_assert_eq!(
        read.created,
        body["created"].as_i64(),
        "created in {}",
        body
    );
    let data = body["data"].as_array().cloned().unwrap_or_default();
    prop_assert_eq!(read.images, data, "data in {}", body);
    prop_assert_eq!(read.usage, usage_in(body), "usage in {}", body);
    let named = ["size", "quality", "output_format", "background"]
        .map(|key| body.get(key).and_then(Value::as_str).map(str::to_owned));
    prop_assert_eq!(
        read.named,
        named,
        "size, quality, output_format, background in {}",
        body
    );
    Ok(())
}

/// Claim 3 on responses shaped like OpenAI's: GPT Image base64 with usage,
/// DALL·E URLs with revised prompts.
#[test]
fn openai_responses_the_schema_accepts_are_read_with_their_usage() {
    let examples = [
        json!({
            "created": 1776787200,
            "data": [{"b64_json": "iVBORw0KGgo="}],
            "background": "opaque",
            "output_format": "png",
            "size": "1024x1024",
            "quality": "high",
            "usage": {
                "total_tokens": 7074,
                "input_tokens": 50,
                "output_tokens": 7024,
                "input_tokens_details": {"text_tokens": 50, "image_tokens": 0},
                "output_tokens_details": {"image_tokens": 7024, "text_tokens": 0}
            }
        }),
        json!({
            "created": 1776787201,
            "data": [{"b64_json": "UklGRg=="}, {"b64_json": "UklGRg=="}],
            "background": "transparent",
            "output_format": "webp",
            "size": "1536x1024",
            "quality": "medium",
            "usage": {
                "total_tokens": 2,
                "input_tokens": 1,
                "output_tokens": 1,
                "input_tokens_details": {"text_tokens": 1, "image_tokens": 0}
            }
        }),
        json!({
            "created": 1713833628,
            "data": [{
                "url": "https://images.example/private/org/img-1.png",
                "revised_prompt": "A photograph of a sea otter floating on its back"
            }]
        }),
    ];
    for body in &examples {
        assert_eq!(refusal(&RESPONSE, body), None, "{body}");
        read_whole(body).unwrap();
    }
    let first = read(&examples[0]).unwrap();
    assert_eq!(
        first.usage,
        Some([
            Some(50),
            Some(50),
            Some(0),
            Some(7024),
            Some(7024),
            Some(0),
            Some(7074)
        ])
    );
    assert_eq!(
        first.named,
        [
            Some("1024x1024".into()),
            Some("high".into()),
            Some("png".into()),
            Some("opaque".into())
        ]
    );
}

/// One of the schema's enum members for `ImagesResponse.<name>`.
fn response_enum(name: &str) -> BoxedStrategy<Option<Value>> {
    let members = DOCUMENT["schemas"]["ImagesResponse"]["properties"][name]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("ImagesResponse.{name} has an enum"))
        .clone();
    proptest::option::of(proptest::sample::select(members)).boxed()
}

/// Generated responses: every property of `ImagesResponse`, the enums' members
/// read from the schema. Each image has a `url` or a `b64_json`, and its
/// strings are not empty: the crate reads an empty string as absent, so an
/// image with none is not read (the ignored test below holds those cases).
fn responses() -> impl Strategy<Value = Value> {
    let count = || 0u64..=u64::from(u32::MAX);
    let image = (
        proptest::option::of(
            "[a-z0-9]{1,8}".prop_map(|n| format!("https://images.example/{n}.png")),
        ),
        proptest::option::of("[A-Za-z0-9+/]{1,12}"),
        proptest::option::of("[a-zA-Z ]{1,24}"),
    )
        .prop_filter("an image has a url or b64_json", |(url, b64, _)| {
            url.is_some() || b64.is_some()
        })
        .prop_map(|(url, b64, revised)| {
            let mut object = Map::new();
            url.map(|v| object.insert("url".into(), json!(v)));
            b64.map(|v| object.insert("b64_json".into(), json!(v)));
            revised.map(|v| object.insert("revised_prompt".into(), json!(v)));
            Value::Object(object)
        });
    let details = || {
        proptest::option::of(
            (count(), count()).prop_map(|(t, i)| json!({"text_tokens": t, "image_tokens": i})),
        )
    };
    let usage =
        (count(), count(), count(), details(), details()).prop_map(|(i, o, t, input, output)| {
            let mut object = Map::new();
            object.insert("input_tokens".into(), json!(i));
            object.insert("output_tokens".into(), json!(o));
            object.insert("total_tokens".into(), json!(t));
            input.map(|v| object.insert("input_tokens_details".into(), v));
            output.map(|v| object.insert("output_tokens_details".into(), v));
            Value::Object(object)
        });
    (
        0i64..=i64::from(u32::MAX),
        proptest::collection::vec(image, 0..4),
        proptest::option::of(usage),
        [
            response_enum("size"),
            response_enum("quality"),
            response_enum("output_format"),
            response_enum("background"),
        ],
    )
        .prop_map(|(created, data, usage, named)| {
            let mut object = Map::new();
            object.insert("created".into(), json!(created));
            object.insert("data".into(), Value::Array(data));
            usage.map(|v| object.insert("usage".into(), v));
            for (key, value) in ["size", "quality", "output_format", "background"]
                .into_iter()
                .zip(named)
            {
                value.map(|v| object.insert(key.into(), v));
            }
            Value::Object(object)
        })
}

/// Claim 3 over generated responses.
#[test]
fn every_generated_response_the_schema_accepts_is_read_whole() {
    let accepted = Cell::new(0u32);
    check(responses(), |body| {
        if refusal(&RESPONSE, &body).is_some() {
            return Ok(());
        }
        accepted.set(accepted.get() + 1);
        read_whole(&body)
    });
    assert!(
        accepted.get() > CASES / 2,
        "only {} of {CASES} responses accepted",
        accepted.get()
    );
}

/// The responses the schema accepts and the crate does not read: no `data`
/// (the schema requires only `created`), or an image with neither `url` nor
/// `b64_json` (the schema requires neither), an empty string counting as
/// none (the crate reads a member only when it is a non-empty string).
#[test]
#[ignore = "deliberate: parse_response refuses a success body without images as ErrorKind::Malformed (its docs: \"a success body that is not the documented shape\")"]
fn responses_without_an_image_the_schema_accepts_are_read() {
    let unread: Vec<String> = [
        json!({"created": 1776787200}),
        json!({"created": 1776787200, "data": [{}]}),
        json!({"created": 1776787200, "data": [{"revised_prompt": "an otter"}]}),
        json!({"created": 1776787200, "data": [{"b64_json": ""}]}),
        json!({"created": 1776787200, "data": [{"url": "https://images.example/1.png", "b64_json": ""}]}),
    ]
    .iter()
    .inspect(|body| assert_eq!(refusal(&RESPONSE, body), None, "{body}"))
    .filter_map(|body| read_whole(body).err().map(|e| e.to_string()))
    .collect();
    assert!(unread.is_empty(), "{unread:#?}");
}
