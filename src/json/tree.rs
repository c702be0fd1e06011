//! A JSON document as read: the crate's own small tree, so the WebAssembly
//! module needs neither `serde_json`'s parser nor its `Value` (a `BTreeMap`),
//! nor float formatting.
//!
//! Objects keep their members in document order, duplicates included; numbers
//! keep the text they were written with, so nothing is rounded and a message
//! can quote exactly what the caller wrote.

use std::fmt;

/// A JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Number),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's members in document order, duplicate keys kept.
    Object(Vec<(String, Json)>),
}

/// A JSON number as written (`-12`, `1.50`, `2e3`): valid JSON number text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Number(Box<str>);

impl Number {
    /// A number from text the parser checked against the JSON grammar.
    pub(crate) fn from_checked_text(text: &str) -> Number {
        Number(text.into())
    }

    /// The text as written.
    pub(crate) fn text(&self) -> &str {
        &self.0
    }

    /// Whether it is written without a fraction or exponent (any length).
    pub(crate) fn is_integer_text(&self) -> bool {
        !self.0.contains(['.', 'e', 'E'])
    }

    /// Whether `serde_json` would read it as an integer: no fraction or
    /// exponent, and within `i64` or `u64` (`-0` it reads as a float).
    pub(crate) fn is_integer(&self) -> bool {
        self.as_u64().is_some() || self.as_i64().is_some_and(|i| i < 0)
    }

    /// The value when it is an integer from 0 to `u64::MAX`.
    pub(crate) fn as_u64(&self) -> Option<u64> {
        if self.is_integer_text() {
            self.0.parse().ok()
        } else {
            None
        }
    }

    /// The value when it is an integer within `i64`.
    pub(crate) fn as_i64(&self) -> Option<i64> {
        if self.is_integer_text() {
            self.0.parse().ok()
        } else {
            None
        }
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Number {
        Number(n.to_string().into())
    }
}

impl From<u32> for Number {
    fn from(n: u32) -> Number {
        Number::from(u64::from(n))
    }
}

impl Json {
    /// The member `key` of an object; the last one when it repeats (as
    /// `serde_json` keeps the last), `None` for other values.
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, for a string.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value, for an integer from 0 to `u64::MAX`.
    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The value, for a boolean.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The elements, for an array.
    pub(crate) fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, for an object.
    pub(crate) fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Whether it is `null`.
    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// Sets the member `key` of an object (replacing every earlier one with
    /// that key, keeping the first's position); other values are left alone.
    pub(crate) fn set(&mut self, key: &str, value: Json) {
        if let Json::Object(members) = self {
            match members.iter().position(|(k, _)| k == key) {
                Some(first) => {
                    members[first].1 = value;
                    let mut i = 0;
                    members.retain(|(k, _)| {
                        i += 1;
                        i <= first + 1 || k != key
                    });
                }
                None => members.push((key.to_owned(), value)),
            }
        }
    }

    /// What the value is, for messages: `null`, `a boolean`, `an integer`,
    /// `a number with a fraction or exponent`, `a string`, `an array`, `an object`.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(n) if n.is_integer() => "an integer",
            Json::Number(_) => "a number with a fraction or exponent",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

/// Layers `patch` over `base`: objects member by member (recursively), any
/// other value replaces.
pub(crate) fn merge(base: &mut Json, patch: &Json) {
    match (base, patch) {
        (Json::Object(base), Json::Object(patch)) => {
            for (key, value) in patch {
                match base.iter_mut().rev().find(|(k, _)| k == key) {
                    Some((_, slot)) => merge(slot, value),
                    None => base.push((key.clone(), value.clone())),
                }
            }
        }
        (base, patch) => *base = patch.clone(),
    }
}

/// Writes `text` as a JSON string literal: `"`, [`escape_json`], `"`.
pub(crate) fn write_string(out: &mut String, text: &str) {
    out.push('"');
    escape_json(out, text);
    out.push('"');
}

/// Appends `text` escaped for the inside of a JSON string, exactly as
/// `serde_json` escapes it: `\"` and `\\`, the short escapes `\b \f \n \r
/// \t`, other control characters as `\u00xx` (lowercase hex), everything
/// else as is. The crate writes its request bodies with it; so can a caller
/// writing JSON of its own that must read the same (the WebAssembly
/// bindings do).
///
/// Runs of bytes that need no escape are copied whole: every byte that needs
/// one is ASCII, so the runs end on character boundaries.
///
/// ```ignore
/// let mut out = String::new();
/// gpt_image_plan::wire::escape_json(&mut out, "a \"b\"\n\u{1}é");
/// assert_eq!(out, r#"a \"b\"\n\u0001é"#);
/// ```
pub fn escape_json(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (i, &byte) in text.as_bytes().iter().enumerate() {
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(text.get(start..i).unwrap_or_default());
        if short.is_empty() {
            // Another control character: `\u00` and two hex digits.
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
}

impl Json {
    /// Appends the value as compact JSON text (no whitespace), members in order.
    pub(crate) fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(true) => out.push_str("true"),
            Json::Bool(false) => out.push_str("false"),
            Json::Number(n) => out.push_str(n.text()),
            Json::String(s) => write_string(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write(&mut out);
        f.write_str(&out)
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::String(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::String(s)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

impl From<u64> for Json {
    fn from(n: u64) -> Json {
        Json::Number(Number::from(n))
    }
}

impl From<u32> for Json {
    fn from(n: u32) -> Json {
        Json::Number(Number::from(n))
    }
}

impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(value: Option<T>) -> Json {
        value.map_or(Json::Null, Into::into)
    }
}

impl<T: Into<Json>> From<Vec<T>> for Json {
    fn from(items: Vec<T>) -> Json {
        Json::Array(items.into_iter().map(Into::into).collect())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The reference: `serde_json`'s own string literal.
    fn serde_literal(text: &str) -> String {
        serde_json::to_string(text).unwrap()
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        for text in [
            "",
            "plain",
            "\"quoted\" \\ back",
            "\n\r\t\u{8}\u{c}",
            "\u{0}\u{1}\u{1f}\u{7f}",
            "é中😀 and \u{2028}",
        ] {
            let mut out = String::new();
            write_string(&mut out, text);
            assert_eq!(out, serde_literal(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(text in any::<String>(), ascii in "[\\x00-\\x7f]{0,40}") {
            for text in [&text, &ascii] {
                let mut out = String::new();
                escape_json(&mut out, text);
                prop_assert_eq!(format!("\"{out}\""), serde_literal(text));
            }
        }
    }
}
