//! Reading a request body from JSON text, reporting every problem as a
//! finding instead of stopping at the first: malformed JSON, a body that is not
//! an object, duplicate and unknown fields, and wrong types for each field.

pub(crate) mod parse;
pub(crate) mod read;
pub(crate) mod tree;

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;

use crate::diag::{Diagnostic, Field, Kind, Report};
use crate::params::{Background, Moderation, OutputFormat, Quality, ResponseFormat, Style};
use crate::profile::{NType, Profile, ServedModel, UnknownFields};
use crate::request::ImageRequest;
use crate::rules::{ModelRules, ParamRule, Support};
use crate::size::SizeSpec;
use crate::text::{ParseNameError, excerpt, quote_list, thousands};

/// The body's fields in order, duplicates kept.
struct Fields(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    fields.push((key, value));
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// Reads a request body for `profile`, returning the typed request (fields
/// that could not be read are left out) and the findings about its JSON.
///
/// ```
/// use gpt_image_plan::{builtin_profile, request_from_json};
/// let (req, report) = request_from_json(
///     r#"{"model": "gpt-image-2", "prompt": "otter", "n": "4", "sizes": "1024x1024"}"#,
///     builtin_profile("openai").unwrap(),
/// );
/// assert_eq!(req.n, None);
/// let codes: Vec<String> = report.codes().iter().map(ToString::to_string).collect();
/// assert_eq!(codes, ["n.invalid_type", "request.unknown_field"]);
/// ```
pub fn request_from_json(text: &str, profile: &Profile) -> (ImageRequest, Report) {
    let mut report = Report::default();
    let mut request = ImageRequest::default();
    let fields = match serde_json::from_str::<Fields>(text) {
        Ok(fields) => fields.0,
        Err(e) => {
            // A data error means valid JSON of another type than an object
            // (keys are always strings). Name the type instead of quoting the
            // value, and do not parse again: the body may be huge or deep.
            let (kind, message) = match e.classify() {
                serde_json::error::Category::Data => (
                    Kind::NotObject,
                    format!("request body: {}, not a JSON object", top_level_type(text)),
                ),
                _ => (
                    Kind::MalformedJson,
                    format!("request body is not valid JSON: {e}"),
                ),
            };
            report.push(
                Diagnostic::error(Field::Request, kind, message)
                    .limit("a JSON object")
                    .fix("send a JSON object such as {\"prompt\": \"...\"}"),
            );
            return (request, report);
        }
    };
    // The served model, when the body names one the profile serves: an
    // unknown enum word is then reported against the values that model takes.
    let served = fields
        .iter()
        .rev()
        .find(|(k, _)| k == "model")
        .and_then(|(_, v)| v.as_str())
        .or(profile.default_model.as_deref())
        .and_then(|name| profile.model(name));
    let ctx = Context { profile, served };
    // How often each key appears and where it appears last, in one pass, so
    // a body with a million keys costs a million steps, not a million squared.
    let mut seen: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, (key, _)) in fields.iter().enumerate() {
        let entry = seen.entry(key.as_str()).or_insert((0, i));
        entry.0 += 1;
        entry.1 = i;
    }
    let mut reported: HashSet<&str> = HashSet::new();
    let (mut duplicates, mut unknown) = (0usize, 0usize);
    for (i, (key, value)) in fields.iter().enumerate() {
        let (count, last) = seen.get(key.as_str()).copied().unwrap_or((1, i));
        if count > 1 && reported.insert(key.as_str()) {
            duplicates += 1;
            if duplicates > MAX_NAME_FINDINGS {
                continue;
            }
            report.push(
                Diagnostic::error(
                    Field::Request,
                    Kind::DuplicateField,
                    format!(
                        "field \"{}\" appears {count} times; providers disagree on which one counts",
                        excerpt(key, 32)
                    ),
                )
                .value(excerpt(key, 32))
                .limit("each field once")
                .fix(format!("keep one \"{}\"", excerpt(key, 32))),
            );
        }
        // The last occurrence wins, as in serde_json; earlier ones are skipped.
        if i != last {
            continue;
        }
        match Field::PARAMETERS.iter().find(|f| f.as_str() == key) {
            Some(&field) => read_field(field, value, &ctx, &mut request, &mut report),
            None => {
                unknown += 1;
                if unknown <= MAX_NAME_FINDINGS {
                    report.push(unknown_field(key, profile));
                }
            }
        }
    }
    if duplicates > MAX_NAME_FINDINGS {
        let more = thousands((duplicates - MAX_NAME_FINDINGS) as u64);
        report.push(
            Diagnostic::error(
                Field::Request,
                Kind::DuplicateField,
                format!("{more} more fields appear more than once (not listed)"),
            )
            .limit("each field once")
            .fix("keep one of each"),
        );
    }
    if unknown > MAX_NAME_FINDINGS {
        let more = thousands((unknown - MAX_NAME_FINDINGS) as u64);
        let severity = match profile.unknown_fields {
            UnknownFields::Reject => crate::Severity::Error,
            UnknownFields::Ignore => crate::Severity::Warning,
        };
        report.push(
            Diagnostic::new(
                severity,
                Field::Request,
                Kind::UnknownField,
                format!(
                    "{more} more fields are not known parameters (not listed); {}",
                    unknown_effect(profile)
                ),
            )
            .limit("the documented parameters")
            .fix("remove them"),
        );
    }
    (request, report)
}

/// At most this many duplicate-field and this many unknown-field findings are
/// listed one by one; the rest are counted in one closing finding each.
const MAX_NAME_FINDINGS: usize = 32;

/// The JSON type of a document that parsed but is not an object.
fn top_level_type(text: &str) -> &'static str {
    let start = text.trim_start_matches([' ', '\t', '\n', '\r']);
    match start.bytes().next() {
        Some(b'"') => "a string",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => "a number",
        _ => "something else",
    }
}

/// What `profile` does with unknown fields, as the end of a message.
fn unknown_effect(profile: &Profile) -> String {
    match profile.unknown_fields {
        UnknownFields::Reject => format!("{} refuses unknown fields", profile.id),
        UnknownFields::Ignore => format!("{} ignores them", profile.id),
    }
}

/// Reads and validates a request body in one step: JSON findings first, then
/// everything [`validate`](crate::validate) finds.
///
/// ```
/// use gpt_image_plan::{builtin_profile, validate_json};
/// let report = validate_json(
///     r#"{"model": "gpt-image-2", "prompt": "otter", "size": "1024X1024"}"#,
///     builtin_profile("openai").unwrap(),
/// );
/// assert_eq!(report.diagnostics[0].code.to_string(), "size.malformed");
/// assert_eq!(report.diagnostics[0].replacement.as_deref(), Some("1024x1024"));
/// ```
pub fn validate_json(text: &str, profile: &Profile) -> Report {
    let (request, mut report) = request_from_json(text, profile);
    if report.has(crate::Code::new(Field::Request, Kind::MalformedJson))
        || report.has(crate::Code::new(Field::Request, Kind::NotObject))
    {
        return report;
    }
    // A field that is in the body but could not be read already has its
    // finding; it is not also missing, nor replaced by its default.
    let unreadable: Vec<Field> = report.diagnostics.iter().map(|d| d.field).collect();
    let read_findings = unreadable.len();
    crate::validate::validate_into(&request, profile, &mut report);
    if read_findings > 0 {
        let found = report.diagnostics.split_off(read_findings);
        report.diagnostics.extend(found.into_iter().filter(|d| {
            !(matches!(d.code.kind(), Kind::Missing | Kind::Defaulted)
                && unreadable.contains(&d.field))
        }));
    }
    report
}

fn unknown_field(key: &str, profile: &Profile) -> Diagnostic {
    let key_text = excerpt(key, 32);
    let close = Field::PARAMETERS
        .iter()
        .map(|f| f.as_str())
        .find(|known| edit_distance_at_most_2(key, known));
    let (severity, effect) = match profile.unknown_fields {
        UnknownFields::Reject => (crate::Severity::Error, "refuses unknown fields"),
        UnknownFields::Ignore => (crate::Severity::Warning, "ignores it"),
    };
    let mut d = Diagnostic::new(
        severity,
        Field::Request,
        Kind::UnknownField,
        format!(
            "field \"{key_text}\": not a known parameter; {} {effect}",
            profile.id
        ),
    )
    .value(key_text)
    .limit("the documented parameters");
    d = match close {
        Some(known) => d
            .fix(format!("rename it to \"{known}\""))
            .replace_with(known),
        None => d.fix("remove it"),
    };
    d
}

/// Whether `a` and `b` are within two single-character edits (a plain DP on short strings).
fn edit_distance_at_most_2(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()] <= 2
}

fn json_text(value: &Value) -> String {
    let text = value.to_string();
    excerpt(&text, 40)
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number with a fraction or exponent",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn invalid_type(field: Field, value: &Value, expected: &str) -> Diagnostic {
    Diagnostic::error(
        field,
        Kind::InvalidType,
        format!(
            "{field} {}: expected {expected}, got {}",
            json_text(value),
            type_name(value)
        ),
    )
    .value(json_text(value))
    .limit(expected.to_owned())
}

fn read_string(field: Field, value: &Value, report: &mut Report) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        _ => {
            report.push(
                invalid_type(field, value, "a string")
                    .fix(format!("send {field} as a JSON string")),
            );
            None
        }
    }
}

fn read_bool(field: Field, value: &Value, report: &mut Report) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" || s == "false" => {
            report.push(
                invalid_type(field, value, "a boolean")
                    .fix(format!("send {s} without quotes"))
                    .replace_with(s),
            );
            None
        }
        _ => {
            report.push(invalid_type(field, value, "a boolean").fix("send true or false"));
            None
        }
    }
}

/// An integer field: negative values are out of range, floats and strings are
/// the wrong type (a string is accepted where `string_ok`).
fn read_int(field: Field, value: &Value, string_ok: bool, report: &mut Report) -> Option<u32> {
    let out_of_range = |shown: String, limit: &str| {
        Diagnostic::error(field, Kind::OutOfRange, format!("{field} {shown}: {limit}"))
            .value(shown)
            .limit(format!("0..={}", u32::MAX))
    };
    match value {
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                match u32::try_from(u) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        report.push(out_of_range(u.to_string(), "far above any limit"));
                        None
                    }
                }
            } else if let Some(i) = n.as_i64() {
                report.push(
                    out_of_range(i.to_string(), "negative, but it must be 0 or more")
                        .fix(format!("use a positive {field}")),
                );
                None
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                // serde_json reads an integer too long for 64 bits as a float:
                // that is a number out of range, not a fraction.
                if f.fract() == 0.0 && f.abs() >= 9.2e18 {
                    let shown = json_text(value);
                    let d = if f < 0.0 {
                        out_of_range(shown, "negative, but it must be 0 or more")
                    } else {
                        out_of_range(shown, "far above any limit")
                    };
                    report.push(d);
                    return None;
                }
                let mut d = invalid_type(field, value, "an integer");
                if f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f) {
                    d = d
                        .fix(format!("write it as the integer {}", f as u64))
                        .replace_with(f as u64);
                }
                report.push(d);
                None
            }
        }
        Value::String(s) => {
            let parsed = s
                .parse::<u32>()
                .ok()
                .filter(|_| s.bytes().all(|b| b.is_ascii_digit()));
            match parsed {
                Some(v) if string_ok => Some(v),
                Some(v) => {
                    report.push(
                        invalid_type(field, value, "an integer")
                            .fix(format!("send {v} without quotes"))
                            .replace_with(v),
                    );
                    None
                }
                None => {
                    report.push(
                        invalid_type(field, value, "an integer")
                            .fix(format!("send {field} as a whole number")),
                    );
                    None
                }
            }
        }
        _ => {
            report.push(
                invalid_type(field, value, "an integer")
                    .fix(format!("send {field} as a whole number")),
            );
            None
        }
    }
}

/// What reading needs besides the body: the profile and the model it serves
/// for this body, if known.
struct Context<'p> {
    profile: &'p Profile,
    served: Option<&'p ServedModel>,
}

/// Reads an enum word. A word that is not one of the type's names is an
/// `unsupported_value`, reported against the values the served model takes
/// when they are known (as validation would), else against every name.
fn read_name<T: Copy + PartialEq + fmt::Display>(
    field: Field,
    value: &Value,
    parse: fn(&str) -> Result<T, ParseNameError>,
    allowed: fn(&ModelRules) -> (&ParamRule<T>, Option<T>),
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<T> {
    let text = read_string(field, value, report)?;
    let e = match parse(&text) {
        Ok(v) => return Some(v),
        Err(e) => e,
    };
    let shown = excerpt(&text, 32);
    let listed = ctx.served.and_then(|m| {
        let (rule, default) = allowed(&m.rules);
        let takes_values = matches!(rule.support, Support::Supported | Support::NoEffect);
        (takes_values && !rule.values.is_empty()).then(|| {
            let instead = default
                .filter(|d| rule.values.contains(d))
                .or_else(|| rule.values.first().copied());
            (m, quote_list(&rule.values), instead)
        })
    });
    let mut d = match &listed {
        Some((m, values, _)) => Diagnostic::error(
            field,
            Kind::UnsupportedValue,
            format!(
                "{field} \"{shown}\": not one of {values} for \"{}\" at {}",
                m.name, ctx.profile.id
            ),
        )
        .limit(values.clone()),
        None => Diagnostic::error(
            field,
            Kind::UnsupportedValue,
            format!("{field} \"{shown}\": not one of {}", e.expected),
        )
        .limit(e.expected.clone()),
    }
    .value(&shown);
    let lower = text.to_ascii_lowercase();
    if lower != text && parse(&lower).is_ok() {
        d = d
            .fix(format!("write it in lowercase: \"{lower}\""))
            .replace_with(&lower);
    } else if let Some((_, _, Some(instead))) = listed {
        d = d.fix(format!("use \"{instead}\"")).replace_with(instead);
    }
    report.push(d);
    None
}

fn read_field(
    field: Field,
    value: &Value,
    ctx: &Context<'_>,
    req: &mut ImageRequest,
    report: &mut Report,
) {
    let profile = ctx.profile;
    if value.is_null() {
        // OpenAI treats an explicit null as "use the default".
        return;
    }
    match field {
        Field::Model => req.model = read_string(field, value, report),
        Field::Prompt => req.prompt = read_string(field, value, report),
        Field::N => req.n = read_int(field, value, profile.n_type == NType::String, report),
        Field::Size => {
            let Some(text) = read_string(field, value, report) else {
                return;
            };
            match parse_size_field(&text) {
                Ok(spec) => req.size = Some(spec),
                Err(d) => report.push(*d),
            }
        }
        Field::Quality => {
            req.quality = read_name(
                field,
                value,
                Quality::parse_name,
                |r| (&r.params.quality, r.defaults.quality),
                ctx,
                report,
            )
        }
        Field::Background => {
            req.background = read_name(
                field,
                value,
                Background::parse_name,
                |r| (&r.params.background, r.defaults.background),
                ctx,
                report,
            )
        }
        Field::OutputFormat => {
            req.output_format = read_name(
                field,
                value,
                OutputFormat::parse_name,
                |r| (&r.params.output_format, r.defaults.output_format),
                ctx,
                report,
            )
        }
        Field::OutputCompression => req.output_compression = read_int(field, value, false, report),
        Field::Moderation => {
            req.moderation = read_name(
                field,
                value,
                Moderation::parse_name,
                |r| (&r.params.moderation, r.defaults.moderation),
                ctx,
                report,
            )
        }
        Field::ResponseFormat => {
            req.response_format = read_name(
                field,
                value,
                ResponseFormat::parse_name,
                |r| (&r.params.response_format, r.defaults.response_format),
                ctx,
                report,
            )
        }
        Field::Style => {
            req.style = read_name(
                field,
                value,
                Style::parse_name,
                |r| (&r.params.style, r.defaults.style),
                ctx,
                report,
            )
        }
        Field::Stream => req.stream = read_bool(field, value, report),
        Field::PartialImages => req.partial_images = read_int(field, value, false, report),
        Field::User => req.user = read_string(field, value, report),
        Field::EnableSyncMode => req.enable_sync_mode = read_bool(field, value, report),
        Field::Request => {}
    }
}

/// Parses a `size` value, turning a parse failure into a `size.malformed`
/// finding with the obvious intended size as the fix when there is one.
pub(crate) fn parse_size_field(text: &str) -> Result<SizeSpec, Box<Diagnostic>> {
    text.parse::<SizeSpec>().map_err(|e| {
        let d = Diagnostic::error(Field::Size, Kind::Malformed, e.to_string())
            .value(excerpt(text, 40))
            .limit("WIDTHxHEIGHT or \"auto\"");
        Box::new(match e.suggestion() {
            Some(s) => d.fix(format!("write it as \"{s}\"")).replace_with(s),
            None => d.fix("write it as WIDTHxHEIGHT, such as \"1024x1024\""),
        })
    })
}
