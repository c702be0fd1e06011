//! Reading a request body from JSON text, reporting every problem as a
//! finding instead of stopping at the first: malformed JSON, a body that is not
//! an object, duplicate and unknown fields, and wrong types for each field.

pub(crate) mod parse;
pub(crate) mod read;
pub(crate) mod tree;

use std::fmt;

use crate::diag::{Diagnostic, Field, Kind, Report};
use crate::params::{Background, Moderation, OutputFormat, Quality, ResponseFormat, Style};
use crate::profile::{NType, Profile, ServedModel, UnknownFields};
use crate::request::ImageRequest;
use crate::rules::{ModelRules, ParamRule};
use crate::size::SizeSpec;
use crate::text::{ParseNameError, excerpt, quote_list, thousands};

use tree::Json;

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
    let fields = match read_object(text) {
        Ok(fields) => fields,
        Err((kind, message)) => {
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
    let keys = key_runs(&fields);
    let (mut duplicates, mut unknown) = (0usize, 0usize);
    for (i, (key, value)) in fields.iter().enumerate() {
        let KeyRun { count, first, last } = keys.get(i).copied().unwrap_or(KeyRun {
            count: 1,
            first: i,
            last: i,
        });
        if count > 1 && first == i {
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

/// Where a member's key appears in the body: how often, first and last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct KeyRun {
    count: usize,
    first: usize,
    last: usize,
}

/// For each member, where its key appears: from the keys in sorted order, so
/// a body with a million keys costs n log n steps, not a million squared.
fn key_runs(fields: &[(String, Json)]) -> Vec<KeyRun> {
    let mut runs = vec![
        KeyRun {
            count: 0,
            first: 0,
            last: 0,
        };
        fields.len()
    ];
    let mut order = KeyOrder::of_keys(fields.iter().map(|(k, _)| k.as_str()));
    let mut run: Vec<usize> = Vec::new();
    let mut close = |run: &mut Vec<usize>| {
        // A run comes out latest first.
        let (Some(&last), Some(&first)) = (run.first(), run.last()) else {
            return;
        };
        for &i in run.iter() {
            if let Some(slot) = runs.get_mut(i) {
                *slot = KeyRun {
                    count: run.len(),
                    first,
                    last,
                };
            }
        }
        run.clear();
    };
    let mut current: Option<&str> = None;
    while let Some((key, i)) = order.next_any() {
        if current != Some(key) {
            close(&mut run);
            current = Some(key);
        }
        run.push(i);
    }
    close(&mut run);
    runs
}

/// At most this many duplicate-field and this many unknown-field findings are
/// listed one by one; the rest are counted in one closing finding each.
const MAX_NAME_FINDINGS: usize = 32;

/// The body's members in order, duplicates kept; or why it is not an object
/// (`request.not_object` naming its type, or `request.malformed_json`).
///
/// The split is the one `serde_json` made when it read a map: a body starting
/// with `[` is an array whatever follows, and a body starting with another
/// value is that value's type when the value itself is well formed, even if
/// something follows it.
fn read_object(text: &str) -> Result<Vec<(String, Json)>, (Kind, String)> {
    let not_object = |text: &str| {
        (
            Kind::NotObject,
            format!("request body: {}, not a JSON object", top_level_type(text)),
        )
    };
    let start = text.trim_start_matches([' ', '\t', '\n', '\r']);
    if start.starts_with('[') {
        // Name the type without parsing: the array may be huge or deep.
        return Err(not_object(text));
    }
    match parse::parse(text) {
        Ok(Json::Object(members)) => Ok(members),
        Ok(_) => Err(not_object(text)),
        Err(e) if e.message == "trailing characters" && !start.starts_with('{') => {
            Err(not_object(text))
        }
        Err(e) => Err((
            Kind::MalformedJson,
            format!("request body is not valid JSON: {e}"),
        )),
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

/// What `profile` does with unknown fields, as the end of a message.
fn unknown_effect(profile: &Profile) -> String {
    match profile.unknown_fields {
        UnknownFields::Reject => format!("\"{}\" refuses unknown fields", profile.id),
        UnknownFields::Ignore => format!("\"{}\" ignores them", profile.id),
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
            "field \"{key_text}\": not a known parameter; \"{}\" {effect}",
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

/// How a value is quoted in a message: its JSON text, cut to 40 characters.
fn json_text(value: &Json) -> String {
    excerpt(&value_text(value, 200), 40)
}

/// The first `limit` bytes or so of the value's compact JSON text, written
/// as `serde_json` writes its `Value` (so messages read as they always
/// have): object keys sorted, each once (the last one wins), strings escaped
/// alike; numbers as written. The text is exact up to `limit` bytes (less at
/// most 3 to end on a character) and stops there, so quoting a huge value
/// costs no more than quoting a small one.
pub(crate) fn value_text(value: &Json, limit: usize) -> String {
    let mut out = String::new();
    write_sorted(value, &mut out, limit);
    if out.len() > limit {
        let mut end = limit;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    out
}

fn write_sorted(value: &Json, out: &mut String, limit: usize) {
    match value {
        Json::String(s) => {
            // Escaping never shortens, so `limit` characters are enough.
            let cut = s
                .char_indices()
                .nth(limit)
                .map_or(s.as_str(), |(i, _)| &s[..i]);
            tree::write_string(out, cut);
        }
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if out.len() >= limit {
                    return;
                }
                if i > 0 {
                    out.push(',');
                }
                write_sorted(item, out, limit);
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            let mut keys = KeyOrder::new(members);
            let mut first = true;
            while let Some(i) = keys.next() {
                if out.len() >= limit {
                    return;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                let (key, value) = &members[i];
                tree::write_string(out, key);
                out.push(':');
                write_sorted(value, out, limit);
            }
            out.push('}');
        }
        other => other.write(out),
    }
}

/// An object's members in key order, each key once (its last occurrence, as
/// in `serde_json`'s map), produced one at a time from a binary heap: the
/// first few of a huge object cost one linear heap build, not a sort. The
/// heap is ordered by key, then by position from last to first, so the first
/// of a run of equal keys to come out is the last one written in the object.
/// (Hand-written rather than `sort_by`: the module then carries no sort.)
pub(crate) struct KeyOrder<'a> {
    heap: Vec<(&'a str, usize)>,
    last: Option<&'a str>,
}

impl<'a> KeyOrder<'a> {
    fn new(members: &'a [(String, Json)]) -> Self {
        Self::of_keys(members.iter().map(|(k, _)| k.as_str()))
    }

    /// The order of `keys`, numbered from 0 in the order given.
    pub(crate) fn of_keys(keys: impl Iterator<Item = &'a str>) -> Self {
        let mut heap: Vec<(&str, usize)> = keys.zip(0..).collect();
        for root in (0..heap.len() / 2).rev() {
            sift_down(&mut heap, root);
        }
        KeyOrder { heap, last: None }
    }

    /// The next key and its number, duplicates included (the later first).
    pub(crate) fn next_any(&mut self) -> Option<(&'a str, usize)> {
        if self.heap.is_empty() {
            return None;
        }
        let top = self.heap.swap_remove(0);
        sift_down(&mut self.heap, 0);
        Some(top)
    }

    /// The number of the next key, skipping the earlier duplicates of each.
    pub(crate) fn next(&mut self) -> Option<usize> {
        while let Some((key, i)) = self.next_any() {
            if self.last != Some(key) {
                self.last = Some(key);
                return Some(i);
            }
        }
        None
    }
}

/// Whether `a` comes out of the heap before `b`: smaller key first; of equal
/// keys, the later member first.
fn heap_before(a: (&str, usize), b: (&str, usize)) -> bool {
    a.0 < b.0 || (a.0 == b.0 && a.1 > b.1)
}

/// Restores the heap order below `root`.
fn sift_down(heap: &mut [(&str, usize)], mut root: usize) {
    loop {
        let mut best = root;
        for child in [2 * root + 1, 2 * root + 2] {
            if child < heap.len() && heap_before(heap[child], heap[best]) {
                best = child;
            }
        }
        if best == root {
            return;
        }
        heap.swap(root, best);
        root = best;
    }
}

fn invalid_type(field: Field, value: &Json, expected: &str) -> Diagnostic {
    Diagnostic::error(
        field,
        Kind::InvalidType,
        format!(
            "{field} {}: expected {expected}, got {}",
            json_text(value),
            value.type_name()
        ),
    )
    .value(json_text(value))
    .limit(expected.to_owned())
}

fn read_string(field: Field, value: &Json, report: &mut Report) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        _ => {
            report.push(
                invalid_type(field, value, "a string")
                    .fix(format!("send {field} as a JSON string")),
            );
            None
        }
    }
}

fn read_bool(field: Field, value: &Json, report: &mut Report) -> Option<bool> {
    match value {
        Json::Bool(b) => Some(*b),
        Json::String(s) if s == "true" || s == "false" => {
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

/// What a number that is not a 64-bit integer is worth, decided exactly on
/// its text (no floating point): a fraction, an exponent, more digits than
/// 64 bits hold, or `-0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Decimal {
    /// Written with a minus sign.
    pub(crate) negative: bool,
    /// At least 9.2e18 in magnitude: an integer far out of any range, as
    /// `serde_json` sees it (it reads such numbers as floats, and floats that
    /// large have no fraction).
    pub(crate) huge: bool,
    /// The magnitude, when it is a whole number below 9.2e18.
    pub(crate) whole: Option<u64>,
}

/// The least magnitude [`Decimal::huge`] holds: 9.2e18, as two leading
/// digits of a 19-digit integer part.
const HUGE_LEAD: (u8, u8) = (b'9', b'2');

/// Reads JSON number text (valid per the grammar) as a [`Decimal`].
pub(crate) fn decimal(text: &str) -> Decimal {
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
    let significant = digits.get(first..=last).unwrap_or_default();
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

/// An integer field: negative values are out of range, floats and strings are
/// the wrong type (a string is accepted where `string_ok`).
fn read_int(field: Field, value: &Json, string_ok: bool, report: &mut Report) -> Option<u32> {
    let out_of_range = |shown: String, limit: &str| {
        Diagnostic::error(field, Kind::OutOfRange, format!("{field} {shown}: {limit}"))
            .value(shown)
            .limit(format!("0..={}", u32::MAX))
    };
    match value {
        Json::Number(n) => {
            if let Some(u) = n.as_u64() {
                match u32::try_from(u) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        report.push(out_of_range(u.to_string(), "far above any limit"));
                        None
                    }
                }
            } else if let Some(i) = n.as_i64().filter(|&i| i < 0) {
                report.push(
                    out_of_range(i.to_string(), "negative, but it must be 0 or more")
                        .fix(format!("use a positive {field}")),
                );
                None
            } else {
                let d = decimal(n.text());
                // An integer too long for 64 bits is a number out of range,
                // not a fraction.
                if d.huge {
                    let shown = json_text(value);
                    report.push(if d.negative {
                        out_of_range(shown, "negative, but it must be 0 or more")
                    } else {
                        out_of_range(shown, "far above any limit")
                    });
                    return None;
                }
                let mut diag = invalid_type(field, value, "an integer");
                // No fix for `-0`: 0 may itself be out of range (n), and the
                // range is checked elsewhere.
                let whole = d.whole.filter(|&w| w <= u64::from(u32::MAX) && !d.negative);
                if let Some(w) = whole {
                    diag = diag
                        .fix(format!("write it as the integer {w}"))
                        .replace_with(w);
                }
                report.push(diag);
                None
            }
        }
        Json::String(s) => {
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
    value: &Json,
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
    let listed = ctx.served.and_then(|m| {
        let (rule, default) = allowed(&m.rules);
        (rule.checks_values() && !rule.values.is_empty()).then(|| Listed {
            model: &m.name,
            values: quote_list(&rule.values),
            instead: rule.instead(default).map(|v| v.to_string()),
        })
    });
    let lower = text.to_ascii_lowercase();
    let lower = (lower != text && parse(&lower).is_ok()).then_some(lower);
    report.push(unknown_name(field, &text, &e, listed, lower, ctx));
    None
}

/// The values a served model lists for an enum field, as text.
struct Listed<'a> {
    model: &'a str,
    values: String,
    instead: Option<String>,
}

/// The finding for an enum word that is not one of the type's names (kept
/// apart from [`read_name`] so each enum type does not carry a copy).
#[inline(never)]
fn unknown_name(
    field: Field,
    text: &str,
    e: &ParseNameError,
    listed: Option<Listed<'_>>,
    lower: Option<String>,
    ctx: &Context<'_>,
) -> Diagnostic {
    let shown = excerpt(text, 32);
    let mut d = match &listed {
        // The lowercase spelling, when it is a name, is the fix instead.
        Some(l) => crate::validate::not_listed(
            field,
            &shown,
            &l.values,
            l.instead
                .as_ref()
                .filter(|_| lower.is_none())
                .map(|i| i as &dyn fmt::Display),
            l.model,
            &ctx.profile.id,
        ),
        None => Diagnostic::error(
            field,
            Kind::UnsupportedValue,
            format!("{field} \"{shown}\": not one of {}", e.expected),
        )
        .limit(e.expected.clone())
        .value(&shown),
    };
    if let Some(lower) = lower {
        d = d
            .fix(format!("write it in lowercase: \"{lower}\""))
            .replace_with(&lower);
    }
    d
}

fn read_field(
    field: Field,
    value: &Json,
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::{Deserializer, MapAccess, Visitor};
    use serde_json::Value;

    /// The reader this one replaced: `serde_json` with a map visitor keeping
    /// the members in order, duplicates included.
    struct SerdeFields(Vec<(String, Value)>);

    impl<'de> serde::Deserialize<'de> for SerdeFields {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct FieldsVisitor;
            impl<'de> Visitor<'de> for FieldsVisitor {
                type Value = SerdeFields;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SerdeFields, A::Error> {
                    let mut fields = Vec::new();
                    while let Some((key, value)) = map.next_entry::<String, Value>()? {
                        fields.push((key, value));
                    }
                    Ok(SerdeFields(fields))
                }
            }
            deserializer.deserialize_map(FieldsVisitor)
        }
    }

    /// What the replaced reader made of a body, as `read_object` answers.
    fn serde_read_object(text: &str) -> Result<Vec<(String, Value)>, (Kind, String)> {
        serde_json::from_str::<SerdeFields>(text)
            .map(|f| f.0)
            .map_err(|e| match e.classify() {
                serde_json::error::Category::Data => (
                    Kind::NotObject,
                    format!("request body: {}, not a JSON object", top_level_type(text)),
                ),
                _ => (
                    Kind::MalformedJson,
                    format!("request body is not valid JSON: {e}"),
                ),
            })
    }

    fn to_serde(value: &Json) -> Value {
        match value {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => serde_json::from_str(n.text()).unwrap(),
            Json::String(s) => Value::String(s.clone()),
            Json::Array(items) => Value::Array(items.iter().map(to_serde).collect()),
            Json::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), to_serde(v)))
                    .collect(),
            ),
        }
    }

    #[track_caller]
    fn assert_reads_as_serde_json(text: &str) {
        let ours = read_object(text).map(|members| {
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_serde(v)))
                .collect::<Vec<_>>()
        });
        assert_eq!(ours, serde_read_object(text), "{text:?}");
    }

    /// A JSON value; numbers are integers unless `floats`.
    fn any_value(floats: bool) -> impl Strategy<Value = Value> {
        let number = if floats {
            prop_oneof![
                any::<i64>().prop_map(Value::from),
                any::<u64>().prop_map(Value::from),
                any::<f64>()
                    .prop_filter("finite", |f| f.is_finite())
                    .prop_map(Value::from),
            ]
            .boxed()
        } else {
            prop_oneof![
                any::<i64>().prop_map(Value::from),
                any::<u64>().prop_map(Value::from)
            ]
            .boxed()
        };
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            number,
            ".{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
                proptest::collection::vec((key(), inner), 0..5)
                    .prop_map(|members| object_text(&members)),
            ]
        })
    }

    /// A key, often one of a few so that keys repeat.
    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("n".to_owned()),
            Just("model".to_owned()),
            Just("b".to_owned()),
            Just("a".to_owned()),
            ".{0,4}",
        ]
    }

    /// An object written with repeated keys kept, read back by `serde_json`
    /// as a value (the last of each key wins).
    fn object_text(members: &[(String, Value)]) -> Value {
        serde_json::from_str(&write_members(members, "")).unwrap()
    }

    /// `{"key":value,...}` with `space` around the punctuation.
    fn write_members(members: &[(String, Value)], space: &str) -> String {
        let inner: Vec<String> = members
            .iter()
            .map(|(k, v)| {
                format!(
                    "{space}{}{space}:{space}{v}{space}",
                    Value::from(k.as_str())
                )
            })
            .collect();
        format!("{space}{{{}}}{space}", inner.join(","))
    }

    #[test]
    fn bodies_of_every_shape_read_as_serde_json_read_them() {
        for text in [
            "",
            " ",
            "{}",
            "{} x",
            "[",
            "[1, ",
            "[]]",
            "null",
            "nul",
            "nulll",
            "true false",
            "\"otter",
            "\"otter\" x",
            "\"\\q\"",
            "12abc",
            "-",
            "-x",
            "01",
            "1.",
            "1e400",
            "1e400 x",
            "{\"a\": 1e400}",
            "{\"a\": 1, \"a\": 2}",
            "{\"a\" 1}",
            "{1: 2}",
            "x",
            "\u{feff}{}",
            "{\"a\": [1, {\"b\": null}], \"c\": -0, \"d\": 1.50}",
        ] {
            assert_reads_as_serde_json(text);
        }
    }

    #[test]
    fn value_text_sorts_keys_keeps_the_last_and_quotes_numbers_as_written() {
        let value =
            parse::parse(r#"{"b": 1, "a": [1.50, "x\n"], "b": {"d": 2e3, "c": -0}}"#).unwrap();
        assert_eq!(
            value_text(&value, usize::MAX),
            r#"{"a":[1.50,"x\n"],"b":{"c":-0,"d":2e3}}"#
        );
        assert_eq!(value_text(&value, 10), r#"{"a":[1.50"#);
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

    /// The plain answer `key_runs` must give: for each member, count and
    /// find its key's uses by scanning the whole list.
    fn key_runs_by_scanning(fields: &[(String, Json)]) -> Vec<KeyRun> {
        fields
            .iter()
            .map(|(key, _)| {
                let uses: Vec<usize> = (0..fields.len()).filter(|&j| &fields[j].0 == key).collect();
                KeyRun {
                    count: uses.len(),
                    first: uses[0],
                    last: uses[uses.len() - 1],
                }
            })
            .collect()
    }

    #[test]
    fn key_order_gives_each_key_once_sorted_with_its_last_use() {
        let fields: Vec<(String, Json)> = ["b", "a", "b", "c", "a", "b"]
            .iter()
            .map(|k| ((*k).to_owned(), Json::Null))
            .collect();
        let mut order = KeyOrder::new(&fields);
        let order: Vec<usize> = std::iter::from_fn(|| order.next()).collect();
        assert_eq!(order, [4, 5, 3]);
        assert_eq!(
            key_runs(&fields)[0],
            KeyRun {
                count: 3,
                first: 0,
                last: 5
            }
        );
        assert_eq!(key_runs(&fields), key_runs_by_scanning(&fields));
        assert!(key_runs(&[]).is_empty());
    }

    proptest! {
        #[test]
        fn key_runs_agree_with_scanning(keys in proptest::collection::vec("[abc]{0,2}", 0..40)) {
            let fields: Vec<(String, Json)> = keys.into_iter().map(|k| (k, Json::Null)).collect();
            prop_assert_eq!(key_runs(&fields), key_runs_by_scanning(&fields));
        }

        #[test]
        fn objects_read_as_serde_json_read_them(
            members in proptest::collection::vec((key(), any_value(true)), 0..8),
            space in "[ \t\n\r]{0,2}",
        ) {
            assert_reads_as_serde_json(&write_members(&members, &space));
        }

        #[test]
        fn damaged_bodies_read_as_serde_json_read_them(
            members in proptest::collection::vec((key(), any_value(true)), 0..6),
            cut in any::<proptest::sample::Index>(),
            junk in "[\\[\\]{}\",:a-z0-9. -]{0,3}",
        ) {
            let text = write_members(&members, " ");
            let at = cut.index(text.len() + 1);
            let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            assert_reads_as_serde_json(&format!("{}{junk}", &text[..at]));
        }

        #[test]
        fn junk_reads_as_serde_json_reads_it(text in "[ \\[\\]{}\",:tfnrulea-e0-9.+\\\\-]{0,12}") {
            assert_reads_as_serde_json(&text);
        }

        #[test]
        fn value_text_is_serde_json_text_for_integer_numbers(value in any_value(false), limit in 0usize..300) {
            let text = value.to_string();
            let parsed = parse::parse(&text).unwrap();
            let full = value_text(&parsed, usize::MAX);
            prop_assert_eq!(&full, &text);
            let cut = value_text(&parsed, limit);
            prop_assert!(full.starts_with(&cut));
            prop_assert!(cut.len() >= limit.min(full.len()).saturating_sub(3));
        }

        /// The float reasoning it replaced, where floats are exact enough to
        /// agree: at most 15 significant digits, modest exponents.
        #[test]
        fn decimal_agrees_with_the_float_reading_it_replaced(
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
            let old_huge = f.fract() == 0.0 && f.abs() >= 9.2e18;
            let old_fix = (f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f))
                .then_some(f as u64);
            let d = decimal(&text);
            let new_fix = d.whole.filter(|&w| w <= u64::from(u32::MAX) && (!d.negative || w == 0));
            prop_assert_eq!(d.huge, old_huge, "{}", text);
            prop_assert_eq!(new_fix, old_fix, "{}", text);
        }

        #[test]
        fn long_integers_are_huge_as_serde_json_reads_them(digits in "[1-9][0-9]{19,40}", negative in any::<bool>()) {
            let text = if negative { format!("-{digits}") } else { digits };
            prop_assert!(decimal(&text).huge);
        }
    }
}
