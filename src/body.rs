//! Reading a request body from JSON text, reporting every problem as a
//! finding instead of stopping at the first: malformed JSON, a body that is not
//! an object, duplicate and unknown fields, and wrong types for each field.
//!
//! `serde_json` does the parsing: the body is read as a map whose members keep
//! their order and their duplicates, each value as its raw JSON text
//! ([`RawValue`]), so numbers are quoted as written and nothing is converted
//! before its field says what it should be. [`read_and_validate`] is the one
//! path every front end (library, command line, bindings, call plans) takes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::diag::{Diagnostic, Field, Kind, Report, Severity};
use crate::model::Date;
use crate::params::ParamValue;
use crate::profile::{NType, Profile, UnknownFields};
use crate::request::ImageRequest;
use crate::rules::{ParamDecl, ParamType};
use crate::size::SizeSpec;
use crate::text::{excerpt, prefix, thousands};

/// A body read and validated: the typed request (fields that could not be
/// read left out), every finding, and whether the body was a JSON object at
/// all (when it was not, nothing else was checked).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ReadBody {
    pub(crate) request: ImageRequest,
    pub(crate) report: Report,
    pub(crate) is_object: bool,
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
    let read = read_body(text, profile);
    (read.request, read.report)
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
    read_and_validate(text, profile, profile.catalog_as_of).report
}

/// [`validate_json`] with model lifecycles judged on `date`
/// (see [`validate_on`](crate::validate_on)).
pub fn validate_json_on(text: &str, profile: &Profile, date: Date) -> Report {
    read_and_validate(text, profile, date).report
}

/// The one read-then-validate path: the body's findings, then the
/// validator's, without the `missing` or `defaulted` findings of a field the
/// body has but that could not be read (its own finding says what is wrong).
pub(crate) fn read_and_validate(text: &str, profile: &Profile, date: Date) -> ReadBody {
    let mut read = read_body(text, profile);
    if !read.is_object {
        return read;
    }
    let unreadable: Vec<Field> = read
        .report
        .diagnostics
        .iter()
        .map(|d| d.field.clone())
        .collect();
    let read_findings = unreadable.len();
    crate::validate::validate_into(&read.request, profile, date, &mut read.report);
    if read_findings > 0 {
        let found = read.report.diagnostics.split_off(read_findings);
        read.report
            .diagnostics
            .extend(found.into_iter().filter(|d| {
                !(matches!(d.code.kind(), Kind::Missing | Kind::Defaulted)
                    && unreadable.contains(&d.field))
            }));
    }
    read
}

fn read_body(text: &str, profile: &Profile) -> ReadBody {
    let mut report = Report::default();
    let mut request = ImageRequest::default();
    let members = match read_object(text) {
        Ok(Members(members)) => members,
        Err((kind, message)) => {
            report.push(
                Diagnostic::error(Field::REQUEST, kind, message)
                    .limit("a JSON object")
                    .fix("send a JSON object such as {\"prompt\": \"...\"}"),
            );
            return ReadBody {
                request,
                report,
                is_object: false,
            };
        }
    };
    request.params = crate::params::Params::with_capacity(members.len());
    let uses = key_uses(&members);
    let (mut duplicates, mut unknown) = (0usize, 0usize);
    for (i, (key, value)) in members.iter().enumerate() {
        let KeyUses { count, first, last } = uses[i];
        if count > 1 && first == i {
            duplicates += 1;
            if duplicates <= MAX_NAME_FINDINGS {
                report.push(duplicate_field(key, count));
            }
        }
        // The last occurrence wins, as in serde_json; earlier ones are skipped.
        if i != last {
            continue;
        }
        let value = Member::new(value);
        if let Some(field) = Field::CORE.iter().find(|f| f.as_str() == key) {
            read_core(field, &value, profile, &mut request, &mut report);
            continue;
        }
        match profile.declared.get(key.as_ref()) {
            Some(decl) => {
                if let Some(v) = read_param(key, decl, &value, &mut report) {
                    request.params.set(key.as_ref(), v);
                }
            }
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
                Field::REQUEST,
                Kind::DuplicateField,
                format!("{more} more fields appear more than once (not listed)"),
            )
            .limit("each field once")
            .fix("keep one of each"),
        );
    }
    if unknown > MAX_NAME_FINDINGS {
        let more = thousands((unknown - MAX_NAME_FINDINGS) as u64);
        report.push(
            Diagnostic::new(
                unknown_severity(profile),
                Field::REQUEST,
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
    ReadBody {
        request,
        report,
        is_object: true,
    }
}

/// At most this many duplicate-field and this many unknown-field findings are
/// listed one by one; the rest are counted in one closing finding each.
const MAX_NAME_FINDINGS: usize = 32;

/// An object's members in document order, duplicate keys kept, each value as
/// its JSON text (keys borrowed from the body unless they have escapes).
struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

/// A member's key, borrowed from the body when it can be.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::new();
                while let Some(Key(key)) = map.next_key()? {
                    let value: &'de RawValue = map.next_value()?;
                    members.push((key, value));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// The body's members, or why it is not an object (`request.not_object`
/// naming its type, or `request.malformed_json` with serde_json's message).
fn read_object(text: &str) -> Result<Members<'_>, (Kind, String)> {
    let malformed = |e: serde_json::Error| {
        (
            Kind::MalformedJson,
            format!("request body is not valid JSON: {e}"),
        )
    };
    let members = serde_json::from_str::<Members<'_>>(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => (
            Kind::NotObject,
            format!("request body: {}, not a JSON object", top_level_type(text)),
        ),
        _ => malformed(e),
    })?;
    // Skipping over a member's raw text checks its grammar but not all that
    // reading it as a value does (nesting depth, lone surrogate escapes,
    // numbers beyond a double); a member that could break one of those is
    // read as a value here, and if it fails, the body is read whole so the
    // message and position are serde_json's own for the body.
    if let Some(e) = members.0.iter().find_map(|(_, raw)| value_error(raw.get())) {
        return Err(malformed(
            serde_json::from_str::<serde_json::Value>(text)
                .err()
                .unwrap_or(e),
        ));
    }
    Ok(members)
}

/// Why a member's text does not read as a JSON value, for the members whose
/// text could fail to (see [`read_object`]).
fn value_error(raw: &str) -> Option<serde_json::Error> {
    match raw.as_bytes().first() {
        // Inside the body the value is one level deeper than alone.
        Some(b'[' | b'{') => serde_json::from_str::<serde_json::Value>(&format!("[{raw}]")).err(),
        Some(b'"') if raw.contains("\\u") => serde_json::from_str::<String>(raw).err(),
        Some(b'-' | b'0'..=b'9') if raw.contains(['.', 'e', 'E']) || raw.len() > 20 => {
            serde_json::from_str::<f64>(raw).err()
        }
        _ => None,
    }
}

/// The JSON type of a document that is not an object, from its first byte.
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

/// Where a member's key appears in the body: how often, first and last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct KeyUses {
    count: usize,
    first: usize,
    last: usize,
}

/// For each member, how often its key appears and where first and last: by
/// comparing every pair for a body of the usual size, through a hash map
/// for a long one (a hostile body of a million keys costs a million steps,
/// not a million squared).
fn key_uses(members: &[(Cow<'_, str>, &RawValue)]) -> Vec<KeyUses> {
    if members.len() <= 32 {
        return key_uses_by_scanning(members.iter().map(|(k, _)| k.as_ref()));
    }
    let mut by_key: HashMap<&str, KeyUses> = HashMap::with_capacity(members.len());
    for (i, (key, _)) in members.iter().enumerate() {
        by_key
            .entry(key.as_ref())
            .and_modify(|u| {
                u.count += 1;
                u.last = i;
            })
            .or_insert(KeyUses {
                count: 1,
                first: i,
                last: i,
            });
    }
    members
        .iter()
        .map(|(key, _)| by_key[key.as_ref()])
        .collect()
}

/// [`key_uses`] by looking at every other key for each key.
fn key_uses_by_scanning<'k>(keys: impl Iterator<Item = &'k str> + Clone) -> Vec<KeyUses> {
    keys.clone()
        .map(|key| {
            let mut uses = keys
                .clone()
                .enumerate()
                .filter(|(_, k)| *k == key)
                .map(|(j, _)| j);
            let first = uses.next().unwrap_or(0);
            let (count, last) = uses.fold((1, first), |(count, _), j| (count + 1, j));
            KeyUses { count, first, last }
        })
        .collect()
}

fn duplicate_field(key: &str, count: usize) -> Diagnostic {
    let key = excerpt(key, 32);
    Diagnostic::error(
        Field::REQUEST,
        Kind::DuplicateField,
        format!("field \"{key}\" appears {count} times; providers disagree on which one counts"),
    )
    .value(&key)
    .limit("each field once")
    .fix(format!("keep one \"{key}\""))
}

fn unknown_severity(profile: &Profile) -> Severity {
    match profile.unknown_fields {
        UnknownFields::Reject => Severity::Error,
        UnknownFields::Ignore => Severity::Warning,
    }
}

/// What `profile` does with unknown fields, as the end of a message.
fn unknown_effect(profile: &Profile) -> String {
    match profile.unknown_fields {
        UnknownFields::Reject => format!("\"{}\" refuses unknown fields", profile.id),
        UnknownFields::Ignore => format!("\"{}\" ignores them", profile.id),
    }
}

pub(crate) fn unknown_field(key: &str, profile: &Profile) -> Diagnostic {
    let key_text = excerpt(key, 32);
    let close = Field::CORE
        .iter()
        .map(Field::as_str)
        .chain(profile.declared.keys().map(String::as_str))
        .find(|known| edit_distance_at_most_2(key, known));
    let effect = match profile.unknown_fields {
        UnknownFields::Reject => "refuses unknown fields",
        UnknownFields::Ignore => "ignores it",
    };
    let d = Diagnostic::new(
        unknown_severity(profile),
        Field::REQUEST,
        Kind::UnknownField,
        format!(
            "field \"{key_text}\": not a known parameter; \"{}\" {effect}",
            profile.id
        ),
    )
    .value(key_text)
    .limit("the documented parameters");
    match close {
        Some(known) => d
            .fix(format!("rename it to \"{known}\""))
            .replace_with(known),
        None => d.fix("remove it"),
    }
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

/// One member's value: its JSON text (valid, checked by serde_json) and its type.
struct Member<'a> {
    text: &'a str,
}

impl<'a> Member<'a> {
    fn new(raw: &'a RawValue) -> Self {
        Member {
            text: raw.get().trim_matches([' ', '\t', '\n', '\r']),
        }
    }

    fn is_null(&self) -> bool {
        self.text == "null"
    }

    fn as_str(&self) -> Option<String> {
        let inner = self.text.strip_prefix('"')?.strip_suffix('"')?;
        if inner.contains('\\') {
            serde_json::from_str(self.text).ok()
        } else {
            // No escapes: the text between the quotes is the string.
            Some(inner.to_owned())
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match self.text {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    fn is_number(&self) -> bool {
        self.text
            .starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    }

    /// Written without a fraction or exponent.
    fn is_integer_text(&self) -> bool {
        self.is_number() && !self.text.contains(['.', 'e', 'E'])
    }

    fn as_u64(&self) -> Option<u64> {
        self.is_integer_text().then(|| self.text.parse().ok())?
    }

    fn as_i64(&self) -> Option<i64> {
        self.is_integer_text().then(|| self.text.parse().ok())?
    }

    /// The type's name, as serde_json reads the value: an integer within
    /// 64 bits is an integer, any other number is a float (`-0` included).
    fn type_name(&self) -> &'static str {
        match self.text.as_bytes().first() {
            Some(b'n') => "null",
            Some(b't' | b'f') => "a boolean",
            Some(b'"') => "a string",
            Some(b'[') => "an array",
            Some(b'{') => "an object",
            _ if self.as_u64().is_some() || self.as_i64().is_some_and(|i| i < 0) => "an integer",
            _ => "a number with a fraction or exponent",
        }
    }

    /// How the value is quoted in a message: its compact JSON text (numbers
    /// as written at the top level; objects with their keys sorted, each
    /// once, as serde_json's `Value` writes them), cut to 40 characters.
    fn quoted(&self) -> String {
        let compact = match self.text.as_bytes().first() {
            Some(b'[' | b'{') => serde_json::from_str::<serde_json::Value>(self.text)
                .map(|v| v.to_string())
                .unwrap_or_else(|_| self.text.to_owned()),
            Some(b'"') => match self.as_str() {
                Some(s) => serde_json::Value::from(prefix(&s, 200)).to_string(),
                None => self.text.to_owned(),
            },
            _ => self.text.to_owned(),
        };
        excerpt(&compact, 40)
    }
}

/// What a number that is not a 64-bit integer is worth, decided exactly on
/// its text (no floating point): a fraction, an exponent, more digits than
/// 64 bits hold, or `-0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Decimal {
    /// Written with a minus sign.
    negative: bool,
    /// At least 9.2e18 in magnitude: an integer far out of any range, as
    /// `serde_json` sees it (it reads such numbers as floats, and floats that
    /// large have no fraction).
    huge: bool,
    /// The magnitude, when it is a whole number below 9.2e18.
    whole: Option<u64>,
}

/// The least magnitude [`Decimal::huge`] holds: 9.2e18, as two leading
/// digits of a 19-digit integer part.
const HUGE_LEAD: (u8, u8) = (b'9', b'2');

/// Reads JSON number text (valid per the grammar) as a [`Decimal`].
fn decimal(text: &str) -> Decimal {
    let negative = text.starts_with('-');
    let unsigned = text.trim_start_matches('-');
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], &unsigned[i + 1..]),
        None => (unsigned, ""),
    };
    let (minus, exponent_digits) = match exponent.as_bytes().first() {
        Some(b'-') => (true, &exponent[1..]),
        Some(b'+') => (false, &exponent[1..]),
        _ => (false, exponent),
    };
    let exponent = exponent_digits.bytes().fold(0i64, |acc, d| {
        acc.saturating_mul(10)
            .saturating_add(i64::from(d.wrapping_sub(b'0')))
    });
    let exponent = if minus { -exponent } else { exponent };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let (Some(first), Some(last)) = (
        digits.iter().position(|&d| d != b'0'),
        digits.iter().rposition(|&d| d != b'0'),
    ) else {
        return Decimal {
            negative,
            huge: false,
            whole: Some(0),
        };
    };
    let significant = &digits[first..=last];
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    // The value is `significant` times ten to the power `scale`.
    let scale = exponent
        .saturating_sub(count(frac.len()))
        .saturating_add(count(digits.len() - 1 - last));
    let int_digits = count(significant.len()).saturating_add(scale);
    let lead = (
        significant.first().copied().unwrap_or(b'0'),
        significant.get(1).copied().unwrap_or(b'0'),
    );
    let huge = int_digits > 19 || (int_digits == 19 && lead >= HUGE_LEAD);
    let whole = if huge || scale < 0 {
        None
    } else {
        let base = significant.iter().try_fold(0u64, |acc, &d| {
            acc.checked_mul(10)?
                .checked_add(u64::from(d.wrapping_sub(b'0')))
        });
        let power = u32::try_from(scale).ok().and_then(|s| 10u64.checked_pow(s));
        base.zip(power).and_then(|(b, p)| b.checked_mul(p))
    };
    Decimal {
        negative,
        huge,
        whole,
    }
}

fn invalid_type(field: &Field, value: &Member<'_>, expected: &str) -> Diagnostic {
    let quoted = value.quoted();
    Diagnostic::error(
        field,
        Kind::InvalidType,
        format!(
            "{field} {quoted}: expected {expected}, got {}",
            value.type_name()
        ),
    )
    .value(quoted)
    .limit(expected.to_owned())
}

fn read_string(name: &str, value: &Member<'_>, report: &mut Report) -> Option<String> {
    let s = value.as_str();
    if s.is_none() {
        report.push(
            invalid_type(&Field::param(name), value, "a string")
                .fix(format!("send {name} as a JSON string")),
        );
    }
    s
}

fn read_bool(name: &str, value: &Member<'_>, report: &mut Report) -> Option<bool> {
    if let Some(b) = value.as_bool() {
        return Some(b);
    }
    let d = invalid_type(&Field::param(name), value, "a boolean");
    report.push(match value.as_str().as_deref() {
        Some(s @ ("true" | "false")) => d.fix(format!("send {s} without quotes")).replace_with(s),
        _ => d.fix("send true or false"),
    });
    None
}

/// An integer field: negative values are out of range, floats and strings are
/// the wrong type (a string is accepted where `string_ok`).
fn read_int(name: &str, value: &Member<'_>, string_ok: bool, report: &mut Report) -> Option<u32> {
    let out_of_range = |shown: String, limit: &str| {
        Diagnostic::error(
            Field::param(name),
            Kind::OutOfRange,
            format!("{name} {shown}: {limit}"),
        )
        .value(shown)
        .limit(format!("0..={}", u32::MAX))
    };
    if value.is_number() {
        if let Some(u) = value.as_u64() {
            return match u32::try_from(u) {
                Ok(v) => Some(v),
                Err(_) => {
                    report.push(out_of_range(u.to_string(), "far above any limit"));
                    None
                }
            };
        }
        if let Some(i) = value.as_i64().filter(|&i| i < 0) {
            report.push(
                out_of_range(i.to_string(), "negative, but it must be 0 or more")
                    .fix(format!("use a positive {name}")),
            );
            return None;
        }
        let d = decimal(value.text);
        // An integer too long for 64 bits is a number out of range, not a fraction.
        if d.huge {
            let shown = value.quoted();
            report.push(if d.negative {
                out_of_range(shown, "negative, but it must be 0 or more")
            } else {
                out_of_range(shown, "far above any limit")
            });
            return None;
        }
        let mut diag = invalid_type(&Field::param(name), value, "an integer");
        // No fix for `-0`: 0 may itself be out of range (n), and the range
        // is checked elsewhere.
        let whole = d.whole.filter(|&w| w <= u64::from(u32::MAX) && !d.negative);
        if let Some(w) = whole {
            diag = diag
                .fix(format!("write it as the integer {w}"))
                .replace_with(w);
        }
        report.push(diag);
        return None;
    }
    let Some(s) = value.as_str() else {
        report.push(
            invalid_type(&Field::param(name), value, "an integer")
                .fix(format!("send {name} as a whole number")),
        );
        return None;
    };
    let parsed = s
        .parse::<u32>()
        .ok()
        .filter(|_| s.bytes().all(|b| b.is_ascii_digit()));
    match parsed {
        Some(v) if string_ok => Some(v),
        Some(v) => {
            report.push(
                invalid_type(&Field::param(name), value, "an integer")
                    .fix(format!("send {v} without quotes"))
                    .replace_with(v),
            );
            None
        }
        None => {
            report.push(
                invalid_type(&Field::param(name), value, "an integer")
                    .fix(format!("send {name} as a whole number")),
            );
            None
        }
    }
}

/// Reads one of the fields every request has.
fn read_core(
    field: &Field,
    value: &Member<'_>,
    profile: &Profile,
    req: &mut ImageRequest,
    report: &mut Report,
) {
    if value.is_null() {
        // OpenAI treats an explicit null as "use the default".
        return;
    }
    let field = field.clone();
    match field.as_str() {
        "model" => req.model = read_string(field.as_str(), value, report),
        "prompt" => req.prompt = read_string(field.as_str(), value, report),
        "n" => {
            let string_ok = profile.n_type == NType::String;
            req.n = read_int(field.as_str(), value, string_ok, report);
        }
        _ => {
            let Some(text) = read_string(field.as_str(), value, report) else {
                return;
            };
            match parse_size_field(&text) {
                Ok(spec) => req.size = Some(spec),
                Err(d) => report.push(*d),
            }
        }
    }
}

/// Reads a declared parameter as its type says; the values and limits are
/// judged by validation.
fn read_param(
    name: &str,
    decl: &ParamDecl,
    value: &Member<'_>,
    report: &mut Report,
) -> Option<ParamValue> {
    // OpenAI treats an explicit null as "use the default", where its schema
    // lets the parameter be null.
    if value.is_null() && decl.nullable {
        return None;
    }
    match decl.kind {
        ParamType::String => read_string(name, value, report).map(ParamValue::Text),
        ParamType::Integer => read_int(name, value, false, report).map(ParamValue::Int),
        ParamType::Boolean => read_bool(name, value, report).map(ParamValue::Bool),
    }
}

/// Parses a `size` value, turning a parse failure into a `size.malformed`
/// finding with the obvious intended size as the fix when there is one.
pub(crate) fn parse_size_field(text: &str) -> Result<SizeSpec, Box<Diagnostic>> {
    text.parse::<SizeSpec>().map_err(|e| {
        let d = Diagnostic::error(Field::SIZE, Kind::Malformed, e.to_string())
            .value(excerpt(text, 40))
            .limit("WIDTHxHEIGHT or \"auto\"");
        Box::new(match e.suggestion() {
            Some(s) => d.fix(format!("write it as \"{s}\"")).replace_with(s),
            None => d.fix("write it as WIDTHxHEIGHT, such as \"1024x1024\""),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain answer `key_uses` must give: for each member, count and
    /// find its key's uses by scanning the whole list.
    fn key_uses_by_scanning(keys: &[String]) -> Vec<KeyUses> {
        keys.iter()
            .map(|key| {
                let uses: Vec<usize> = (0..keys.len()).filter(|&j| &keys[j] == key).collect();
                KeyUses {
                    count: uses.len(),
                    first: uses[0],
                    last: uses[uses.len() - 1],
                }
            })
            .collect()
    }

    fn members_of(keys: &[String]) -> String {
        let inner: Vec<String> = keys
            .iter()
            .map(|k| format!("{}: null", serde_json::Value::from(k.as_str())))
            .collect();
        format!("{{{}}}", inner.join(", "))
    }

    #[test]
    fn members_keep_their_order_and_duplicates() {
        let text = r#"{"b": 1, "a": [1.50, "x\n"], "b": {"d": 2e3, "c": -0}}"#;
        let Members(members) = read_object(text).unwrap();
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        assert_eq!(members[1].1.get(), r#"[1.50, "x\n"]"#);
        let uses = key_uses(&members);
        assert_eq!(
            uses[0],
            KeyUses {
                count: 2,
                first: 0,
                last: 2
            }
        );
    }

    #[test]
    fn values_are_quoted_as_written_and_objects_sorted() {
        let quoted = |text: &str| {
            let raw: &RawValue = serde_json::from_str(text).unwrap();
            Member::new(raw).quoted()
        };
        assert_eq!(quoted("1e3"), "1e3");
        assert_eq!(quoted("-0"), "-0");
        assert_eq!(quoted(r#"{"b": 1, "a": 2, "b": 3}"#), r#"{"a":2,"b":3}"#);
        assert_eq!(quoted(r#""x\u0041""#), r#""xA""#);
        assert_eq!(
            quoted(&format!("\"{}\"", "a".repeat(100))),
            format!("\"{}...", "a".repeat(39))
        );
    }

    #[test]
    fn bodies_that_are_not_objects_are_named_by_type() {
        for (text, kind, message) in [
            (
                "[1, 2]",
                Kind::NotObject,
                "request body: an array, not a JSON object",
            ),
            (
                "\"otter\" x",
                Kind::NotObject,
                "request body: a string, not a JSON object",
            ),
            (
                "12",
                Kind::NotObject,
                "request body: a number, not a JSON object",
            ),
            (
                "{} x",
                Kind::MalformedJson,
                "request body is not valid JSON: trailing characters at line 1 column 4",
            ),
            (
                "",
                Kind::MalformedJson,
                "request body is not valid JSON: EOF while parsing a value at line 1 column 0",
            ),
        ] {
            let err = read_object(text).err().unwrap();
            assert_eq!(err, (kind, message.to_owned()), "{text:?}");
        }
    }

    #[test]
    fn decimal_is_exact_on_text_floats_round() {
        let whole = |text: &str| decimal(text).whole;
        assert_eq!(whole("1e3"), Some(1000));
        assert_eq!(whole("0.0e0"), Some(0));
        assert_eq!(whole("-0"), Some(0));
        assert_eq!(whole("12.5e-1"), None);
        assert_eq!(whole("1e-400"), None);
        assert_eq!(whole("4294967295.0000000000001"), None);
        assert!(!decimal("9199999999999999999.9").huge);
        assert!(decimal("9.2e18").huge);
        assert!(decimal("-9200000000000000000").huge);
        assert!(decimal("1e99999999999999999999").huge);
        assert!(!decimal("1e-99999999999999999999").huge);
    }

    proptest! {
        #[test]
        fn key_uses_agree_with_scanning(keys in proptest::collection::vec("[abc]{0,2}", 0..80)) {
            let text = members_of(&keys);
            let Members(members) = read_object(&text).unwrap();
            prop_assert_eq!(key_uses(&members), key_uses_by_scanning(&keys));
        }

        /// The float reading it is exact about, where floats are exact
        /// enough to agree: at most 15 significant digits, modest exponents.
        #[test]
        fn decimal_agrees_with_the_float_reading(
            negative in any::<bool>(),
            int in "[0-9]{1,8}",
            frac in proptest::option::of("[0-9]{1,7}"),
            exponent in proptest::option::of(-40i32..40),
        ) {
            let mut text = String::new();
            if negative {
                text.push('-');
            }
            text.push_str(int.trim_start_matches('0'));
            if text.is_empty() || text == "-" {
                text.push('0');
            }
            if let Some(frac) = &frac {
                text = format!("{text}.{frac}");
            }
            if let Some(e) = exponent {
                text = format!("{text}e{e}");
            }
            let f: f64 = text.parse().unwrap();
            let float_huge = f.fract() == 0.0 && f.abs() >= 9.2e18;
            let float_fix = (f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f))
                .then_some(f as u64);
            let d = decimal(&text);
            let fix = d.whole.filter(|&w| w <= u64::from(u32::MAX) && (!d.negative || w == 0));
            prop_assert_eq!(d.huge, float_huge, "{}", text);
            prop_assert_eq!(fix, float_fix, "{}", text);
        }

        #[test]
        fn long_integers_are_huge(digits in "[1-9][0-9]{19,40}", negative in any::<bool>()) {
            let text = if negative { format!("-{digits}") } else { digits };
            prop_assert!(decimal(&text).huge);
        }
    }
}
