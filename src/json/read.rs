//! Reading typed values out of a [`Json`] tree, with errors that say where
//! (`models[1].rules.n.max`), what was found and what was expected.
//!
//! Small by design: plain functions and one [`Fields`] view of an object, so
//! each reader is a few calls instead of a derived visitor per type (the
//! derived `Deserialize` impls stay for Rust callers and are the reference the
//! tests compare with).

use std::fmt;
use std::str::FromStr;

use super::tree::Json;
use crate::text::{ParseNameError, excerpt};

/// Why a document does not fit its schema: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ReadError(Box<Inner>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    /// The path from the document's root, innermost step first.
    path: Vec<Step>,
    message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

impl ReadError {
    /// An error at the value being read.
    pub(crate) fn new(message: impl Into<String>) -> ReadError {
        ReadError(Box::new(Inner {
            path: Vec::new(),
            message: message.into(),
        }))
    }

    /// The same error, seen from the object holding it under `key`.
    #[must_use]
    #[inline(never)]
    pub(crate) fn at_key(mut self, key: &str) -> ReadError {
        self.0.path.push(Step::Key(key.to_owned()));
        self
    }

    /// The same error, seen from the array holding it at `index`.
    #[must_use]
    #[inline(never)]
    pub(crate) fn at_index(mut self, index: usize) -> ReadError {
        self.0.path.push(Step::Index(index));
        self
    }

    /// What is wrong, without the path (tests compare it alone).
    #[cfg(test)]
    pub(crate) fn message(&self) -> &str {
        &self.0.message
    }

    /// The path from the root (`models[1].rules.n.max`); empty at the root.
    pub(crate) fn path(&self) -> String {
        let mut out = String::new();
        for step in self.0.path.iter().rev() {
            match step {
                Step::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

impl fmt::Display for ReadError {
    /// `{path}: {message}`, or the message alone at the root.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.path.is_empty() {
            f.write_str(&self.0.message)
        } else {
            write!(f, "{}: {}", self.path(), self.0.message)
        }
    }
}

/// The value as a message shows it: `null`, `the boolean true`, `the
/// integer -2`, `the number 1.5`, `the string "low"` (shortened), `an
/// array`, `an object`.
pub(crate) fn describe(value: &Json) -> String {
    match value {
        Json::Null => "null".to_owned(),
        Json::Bool(b) => format!("the boolean {b}"),
        Json::Number(n) if n.is_integer_text() => format!("the integer {}", excerpt(n.text(), 24)),
        Json::Number(n) => format!("the number {}", excerpt(n.text(), 24)),
        Json::String(s) => format!("the string \"{}\"", excerpt(s, 40)),
        Json::Array(_) => "an array".to_owned(),
        Json::Object(_) => "an object".to_owned(),
    }
}

/// `expected {what}, found {describe(value)}`.
#[inline(never)]
pub(crate) fn expected(what: &str, value: &Json) -> ReadError {
    ReadError::new(format!("expected {what}, found {}", describe(value)))
}

/// A string.
#[inline(never)]
pub(crate) fn string(value: &Json) -> Result<String, ReadError> {
    text(value).map(str::to_owned)
}

/// A string, borrowed.
#[inline(never)]
pub(crate) fn text(value: &Json) -> Result<&str, ReadError> {
    value.as_str().ok_or_else(|| expected("a string", value))
}

/// `true` or `false`.
pub(crate) fn boolean(value: &Json) -> Result<bool, ReadError> {
    value
        .as_bool()
        .ok_or_else(|| expected("true or false", value))
}

/// An integer from `min` to `max`.
#[inline(never)]
pub(crate) fn integer(value: &Json, min: u64, max: u64) -> Result<u64, ReadError> {
    match value.as_u64() {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(expected(&format!("an integer from {min} to {max}"), value)),
    }
}

/// An integer from 0 to `u32::MAX`.
pub(crate) fn u32_value(value: &Json) -> Result<u32, ReadError> {
    integer(value, 0, u64::from(u32::MAX)).map(|n| n as u32)
}

/// An integer from 0 to `u64::MAX`.
pub(crate) fn u64_value(value: &Json) -> Result<u64, ReadError> {
    integer(value, 0, u64::MAX)
}

/// A string read with `T`'s `FromStr`; its error's text is the message
/// (`"low"`-style enums list the values they take).
pub(crate) fn parsed<T>(value: &Json) -> Result<T, ReadError>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    text(value)?
        .parse()
        .map_err(|e: T::Err| ReadError::new(e.to_string()))
}

/// A wire name read with its enum's `parse_name`, whose error lists the
/// accepted names (`support "x" is not one of "supported", ...`); `FromStr`
/// of the strum enums only says "Matching variant not found".
pub(crate) fn named<T>(
    value: &Json,
    parse: fn(&str) -> Result<T, ParseNameError>,
) -> Result<T, ReadError> {
    name(text(value)?, parse)
}

/// A wire name given as text (an object key, say), read as [`named`] reads
/// a string value.
pub(crate) fn name<T>(
    text: &str,
    parse: fn(&str) -> Result<T, ParseNameError>,
) -> Result<T, ReadError> {
    parse(text).map_err(|e| ReadError::new(e.to_string()))
}

/// An array, each element read by `item` (errors name the index).
pub(crate) fn list<T>(
    value: &Json,
    item: impl Fn(&Json) -> Result<T, ReadError>,
) -> Result<Vec<T>, ReadError> {
    let items = value
        .as_array()
        .ok_or_else(|| expected("an array", value))?;
    // A plain loop: `collect::<Result<Vec<_>, _>>()` costs an iterator
    // adapter per element type in the WebAssembly module.
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        out.push(item(v).map_err(|e| e.at_index(i))?);
    }
    Ok(out)
}

/// `missing field "{key}"`; one copy for every reader that requires a key.
#[inline(never)]
pub(crate) fn missing(key: &str) -> ReadError {
    ReadError::new(format!("missing field \"{key}\""))
}

/// An object's members, checked against the keys a schema knows.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields<'a> {
    members: &'a [(String, Json)],
}

/// The object `value` (`what` names it in the error: `a size rule`), after
/// checking that each key is one of `known` and appears once.
#[inline(never)]
pub(crate) fn fields<'a>(
    value: &'a Json,
    what: &str,
    known: &[&str],
) -> Result<Fields<'a>, ReadError> {
    let members = value
        .as_object()
        .ok_or_else(|| expected(&format!("{what} (an object)"), value))?;
    for (i, (key, _)) in members.iter().enumerate() {
        if !known.contains(&key.as_str()) {
            return Err(ReadError::new(format!(
                "unknown field \"{}\"; {what} has {}",
                excerpt(key, 40),
                crate::text::quote_list(known.iter())
            )));
        }
        if members[..i].iter().any(|(k, _)| k == key) {
            return Err(ReadError::new(format!("field \"{key}\" is given twice")));
        }
    }
    Ok(Fields { members })
}

impl<'a> Fields<'a> {
    /// The member `key`, if given (`null` counts as given).
    #[inline(never)]
    pub(crate) fn get(&self, key: &str) -> Option<&'a Json> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The member `key` read by `read` when it is given (`null` is read too,
    /// so a reader that takes no `null` refuses it); `None` when it is
    /// missing. For fields with a default that is not `None`, as
    /// `#[serde(default)]` reads them. `read` is a plain function, so each
    /// value type has one copy of this however many fields use it.
    pub(crate) fn given<T>(
        &self,
        key: &str,
        read: impl FnOnce(&'a Json) -> Result<T, ReadError>,
    ) -> Result<Option<T>, ReadError> {
        match self.get(key) {
            Some(value) => read(value).map(Some).map_err(|e| e.at_key(key)),
            None => Ok(None),
        }
    }

    /// The member `key` read by `read`; an error when it is missing.
    pub(crate) fn req<T>(
        &self,
        key: &str,
        read: impl FnOnce(&'a Json) -> Result<T, ReadError>,
    ) -> Result<T, ReadError> {
        match self.get(key) {
            Some(value) => read(value).map_err(|e| e.at_key(key)),
            None => Err(missing(key)),
        }
    }

    /// The member `key` read by `read`; `None` when it is missing or `null`.
    pub(crate) fn opt<T>(
        &self,
        key: &str,
        read: impl FnOnce(&'a Json) -> Result<T, ReadError>,
    ) -> Result<Option<T>, ReadError> {
        match self.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(value) => read(value).map(Some).map_err(|e| e.at_key(key)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse::parse;

    fn doc(text: &str) -> Json {
        parse(text).unwrap()
    }

    #[test]
    fn errors_name_the_path_the_value_and_what_was_expected() {
        let d = doc(r#"{"models": [{"n": {"max": -2}}]}"#);
        let read = |d: &Json| -> Result<u32, ReadError> {
            let top = fields(d, "a profile", &["models"])?;
            let models = top.req("models", |m| {
                list(m, |m| {
                    let f = fields(m, "a served model", &["n"])?;
                    f.req("n", |n| {
                        fields(n, "n limits", &["max"])?.req("max", u32_value)
                    })
                })
            })?;
            Ok(models[0])
        };
        let err = read(&d).unwrap_err();
        assert_eq!(
            err.to_string(),
            "models[0].n.max: expected an integer from 0 to 4294967295, found the integer -2"
        );
        assert_eq!(err.path(), "models[0].n.max");
    }

    #[test]
    fn unknown_repeated_and_missing_fields_are_refused() {
        let known = ["min", "max"];
        assert_eq!(
            fields(&doc(r#"{"min": 1, "mx": 2}"#), "n limits", &known)
                .unwrap_err()
                .to_string(),
            r#"unknown field "mx"; n limits has "min", "max""#
        );
        assert_eq!(
            fields(&doc(r#"{"min": 1, "min": 2}"#), "n limits", &known)
                .unwrap_err()
                .to_string(),
            r#"field "min" is given twice"#
        );
        let given = doc(r#"{"min": null}"#);
        let f = fields(&given, "n limits", &known).unwrap();
        assert_eq!(f.opt("min", u32_value).unwrap(), None);
        assert_eq!(
            f.req("max", u32_value).unwrap_err().to_string(),
            r#"missing field "max""#
        );
        assert_eq!(
            fields(&doc("[1, 2]"), "n limits", &known)
                .unwrap_err()
                .to_string(),
            "expected n limits (an object), found an array"
        );
    }

    #[test]
    fn leaves_describe_what_they_found() {
        assert_eq!(
            boolean(&doc("1.5")).unwrap_err().to_string(),
            "expected true or false, found the number 1.5"
        );
        assert_eq!(
            string(&doc("null")).unwrap_err().to_string(),
            "expected a string, found null"
        );
        assert_eq!(
            list(&doc(r#"["a", 2]"#), string).unwrap_err().to_string(),
            "[1]: expected a string, found the integer 2"
        );
        assert_eq!(u64_value(&doc("18446744073709551615")).unwrap(), u64::MAX);
        assert!(u64_value(&doc("18446744073709551616")).is_err());
        assert_eq!(
            parsed::<crate::Size>(&doc(r#""1024*1024""#))
                .unwrap_err()
                .message(),
            crate::Size::from_str("1024*1024").unwrap_err().to_string()
        );
    }
}
