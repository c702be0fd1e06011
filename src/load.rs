//! Loading the crate's data documents (the model catalog and provider
//! profiles): typed errors that name the JSON path, and the layering of
//! partial rules over a base document.
//!
//! Every document is read by its type's derived `Deserialize`, through
//! `serde_path_to_error` so an error says where it is
//! (`models[1].rules.n.max`); what a derive cannot express is checked after
//! (`Profile`'s rule checks) or before merging ([`check_patch`]).

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use crate::text::excerpt;

/// The most characters of a path or a serde message an error keeps.
const MAX_CHARS: usize = 256;

/// What is wrong with a document ([`LoadError::kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// The text is not JSON (serde_json's message and position).
    Syntax,
    /// The JSON does not fit the schema: a wrong type, a missing or unknown
    /// field, a value that does not parse.
    Schema,
    /// An entry, a row, a field or a key is given twice.
    Duplicate,
    /// An entry has an empty provider or model.
    EmptyName,
    /// A price or a reservation is below zero.
    Negative,
    /// A token price has more than nine decimals, so token costs would not
    /// be exact.
    TooPrecise,
    /// A tier rule has no thresholds, or thresholds that do not rise.
    Thresholds,
    /// A response body has no list of images.
    NoImages,
    /// Each value is well formed but together they contradict themselves (a
    /// profile's min above its max, a model listed twice, no size at all).
    Inconsistent,
}

/// Why a data document (a model catalog, a profile, a price table, a
/// response body) could not be read: a
/// [`LoadErrorKind`], the JSON path of the problem (`entries[0].pricing`;
/// empty for the whole document) and a message.
///
/// `Display` shows `path: message` for a document that does not fit the
/// schema, and the message alone for text that is not JSON (it gives the
/// position) and for a table that contradicts itself (it names the entry;
/// [`LoadError::path`] still gives the path).
///
/// ```
/// use gpt_image_plan::LoadErrorKind;
/// use gpt_image_plan::price::{PriceError, PriceTable};
/// let err = PriceTable::from_json(r#"{"as_of": "2026-12-01", "source": "s", "entries": [{}]}"#)
///     .unwrap_err();
/// let PriceError::InvalidTable(load) = &err else { unreachable!() };
/// assert_eq!(load.kind(), LoadErrorKind::Schema);
/// assert_eq!(load.path(), "entries[0]");
/// assert_eq!(err.to_string(), "price table is not valid: entries[0]: missing field `provider`");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    kind: LoadErrorKind,
    path: String,
    message: String,
    /// The message says where the problem is in its own words.
    placed: bool,
}

impl LoadError {
    /// A problem of `kind` at `path`, shown as `path: message`.
    pub(crate) fn new(kind: LoadErrorKind, path: String, message: String) -> Self {
        LoadError {
            kind,
            path,
            message,
            placed: false,
        }
    }

    /// A problem of `kind` at `path` whose message says where it is (`entry
    /// "m" at p is listed twice`), shown alone.
    pub(crate) fn placed(kind: LoadErrorKind, path: String, message: String) -> Self {
        LoadError {
            placed: true,
            ..LoadError::new(kind, path, message)
        }
    }

    /// What is wrong.
    pub fn kind(&self) -> LoadErrorKind {
        self.kind
    }

    /// Where: the JSON path (`entries[3].pricing`), empty for the whole document.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The error serde_json gave, at the path serde_path_to_error tracked.
    /// An unknown field is placed at the object that has it, not at itself.
    pub(crate) fn from_tracked(error: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let mut segments: Vec<&Segment> = error
            .path()
            .iter()
            .filter(|s| !matches!(s, Segment::Unknown))
            .collect();
        let message = error.inner().to_string();
        let unknown = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(name, _)| name);
        if matches!(segments.last(), Some(Segment::Map { key }) if Some(key.as_str()) == unknown) {
            segments.pop();
        }
        let mut path = String::new();
        for segment in segments {
            match segment {
                Segment::Seq { index } => path.push_str(&format!("[{index}]")),
                Segment::Map { key: name } | Segment::Enum { variant: name } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(name);
                }
                Segment::Unknown => {}
            }
        }
        LoadError::from_json(path, error.into_inner())
    }

    /// The same error in a document that holds this one's at `prefix`
    /// (`usage`, `entries[0].pricing`).
    pub(crate) fn under(self, prefix: &str) -> Self {
        let path = join(prefix, &self.path);
        LoadError { path, ..self }
    }

    /// A document that does not fit the schema at `path`.
    pub(crate) fn schema(path: &str, message: impl Into<String>) -> Self {
        LoadError::new(LoadErrorKind::Schema, path.to_owned(), message.into())
    }

    /// Values at `path` that contradict each other.
    pub(crate) fn inconsistent(path: &str, message: impl Into<String>) -> Self {
        LoadError::new(LoadErrorKind::Inconsistent, path.to_owned(), message.into())
    }

    /// What is wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The error serde_json gave at `path`. A data error loses its position
    /// (the path says where); a syntax error keeps it.
    pub(crate) fn from_json(path: String, inner: serde_json::Error) -> Self {
        let text = inner.to_string();
        if inner.classify() != serde_json::error::Category::Data {
            return LoadError::placed(LoadErrorKind::Syntax, path, text);
        }
        let position = format!(" at line {} column {}", inner.line(), inner.column());
        let message = text.strip_suffix(&position).unwrap_or(&text);
        // serde's wording for a repeated struct field, and ours for a map key.
        let kind = if message.starts_with("duplicate field") || message.ends_with("is given twice")
        {
            LoadErrorKind::Duplicate
        } else {
            LoadErrorKind::Schema
        };
        // serde quotes a wrong value whole; a hostile document must not make
        // a message of megabytes.
        LoadError::new(kind, excerpt(&path, MAX_CHARS), excerpt(message, MAX_CHARS))
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.placed || self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// `prefix` and `path` joined as a JSON path.
fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (_, true) => prefix.to_owned(),
        (true, false) => path.to_owned(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

/// Reads `T` from JSON text with its derived `Deserialize`, naming the path
/// of the first problem.
///
/// The text is first read as a [`Patch`] (a JSON value in which no object
/// gives a key twice), then `T` is read from that value. Every type is thus
/// read by one deserializer (`&Value` under serde_path_to_error), so its
/// derived code exists once, and a key given twice is refused at any depth.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, LoadError> {
    from_value(&read_value(text)?)
}

/// Reads JSON text as a value in which no object gives a key twice (a
/// [`Patch`]): the first step of every document's reading.
pub(crate) fn read_value(text: &str) -> Result<Value, LoadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let Patch(value) =
        serde_path_to_error::deserialize(&mut de).map_err(LoadError::from_tracked)?;
    de.end()
        .map_err(|e| LoadError::from_json(String::new(), e))?;
    Ok(value)
}

/// Reads `T` from a JSON value with its derived `Deserialize`, naming the
/// path of the first problem.
pub(crate) fn from_value<'de, T: serde::Deserialize<'de>>(
    value: &'de Value,
) -> Result<T, LoadError> {
    serde_path_to_error::deserialize(value).map_err(LoadError::from_tracked)
}

/// The most members an object in partial rules may have: no object of the
/// rules schema has more than 12 keys, and layering is linear in the members
/// per member, so a hostile patch is refused before it is layered.
const MAX_PATCH_MEMBERS: usize = 64;

/// Checks partial rules at `path` before they are layered over a base: an
/// object with no object of more than 64 members at any depth. What the keys
/// mean is checked after layering, when the whole is read as typed rules.
pub(crate) fn check_patch(patch: &Value, path: &str) -> Result<(), LoadError> {
    if !patch.is_object() {
        return Err(LoadError::schema(
            path,
            format!(
                "expected partial model rules (an object), found {}",
                type_name(patch)
            ),
        ));
    }
    check_members(patch, path)
}

fn check_members(value: &Value, path: &str) -> Result<(), LoadError> {
    match value {
        Value::Object(members) => {
            if members.len() > MAX_PATCH_MEMBERS {
                return Err(LoadError::schema(
                    path,
                    format!(
                        "an object of {} members; no object in model rules has more than 12",
                        members.len()
                    ),
                ));
            }
            members
                .iter()
                .try_for_each(|(key, value)| check_members(value, &join(path, key)))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_members(item, &format!("{path}[{i}]"))),
        _ => Ok(()),
    }
}

/// The JSON type of a value, for messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Partial rules as written: a JSON value in which no object gives a key
/// twice (serde_json's `Value` would keep the last one silently, and a
/// profile whose rules say two things about `n` is a mistake to report).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Patch(pub(crate) Value);

impl<'de> serde::Deserialize<'de> for Patch {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PatchVisitor).map(Patch)
    }
}

/// Builds a [`Value`] like serde_json's own, refusing a key given twice.
struct PatchVisitor;

impl<'de> serde::de::Visitor<'de> for PatchVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Patch(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if members.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "field \"{}\" is given twice",
                    crate::text::excerpt(&key, 40)
                )));
            }
            let Patch(value) = map.next_value()?;
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }
}

/// Layers `patch` over `base` (a JSON merge patch without deletion): objects
/// member by member, recursively; any other value replaces what is there.
pub(crate) fn layer(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(base), Value::Object(patch)) => {
            for (key, value) in patch {
                match base.get_mut(key) {
                    Some(slot) => layer(slot, value),
                    None => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (base, patch) => *base = patch.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn layering_merges_objects_and_replaces_everything_else() {
        let mut base = json!({"n": {"min": 1, "max": 10}, "required": ["prompt"], "x": 1});
        layer(
            &mut base,
            &json!({"n": {"max": 4}, "required": ["n"], "x": {"y": 2}}),
        );
        assert_eq!(
            base,
            json!({"n": {"min": 1, "max": 4}, "required": ["n"], "x": {"y": 2}})
        );
    }

    #[test]
    fn paths_join_keys_and_indexes() {
        assert_eq!(join("models[1].rules", "n.max"), "models[1].rules.n.max");
        assert_eq!(join("models", "[1].rules"), "models[1].rules");
        assert_eq!(join("", "n"), "n");
        assert_eq!(join("models[0]", ""), "models[0]");
    }

    #[test]
    fn a_patch_must_be_a_small_object() {
        assert_eq!(
            check_patch(&json!([1]), "rules").unwrap_err().to_string(),
            "rules: expected partial model rules (an object), found an array"
        );
        let wide: serde_json::Map<String, Value> =
            (0..65).map(|i| (format!("k{i}"), json!(1))).collect();
        assert_eq!(
            check_patch(&json!({"params": wide}), "rules")
                .unwrap_err()
                .to_string(),
            "rules.params: an object of 65 members; no object in model rules has more than 12"
        );
    }

    #[test]
    fn a_patch_refuses_a_key_given_twice_at_any_depth() {
        let read = |text: &str| from_str::<Patch>(text).map(|p| p.0);
        assert_eq!(
            read(r#"{"n": {"max": 2}}"#).unwrap(),
            json!({"n": {"max": 2}})
        );
        let e = read(r#"{"n": {"max": 2}, "n": {"min": 2}}"#).unwrap_err();
        assert_eq!(e.to_string(), r#"field "n" is given twice"#);
        let e = read(r#"{"params": [{"a": 1, "a": 2}]}"#).unwrap_err();
        assert_eq!(e.path(), "params[0]");
    }

    #[test]
    fn typed_reading_names_the_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            models: Vec<Inner>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            n: u32,
        }
        let e = from_str::<Doc>(r#"{"models": [{"n": 1}, {"n": -2}]}"#).unwrap_err();
        assert_eq!(e.kind(), LoadErrorKind::Schema);
        assert_eq!(e.path(), "models[1].n");
        let e = from_value::<Doc>(&json!({"models": [{"n": "x"}]})).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"models[0].n: invalid type: string "x", expected u32"#
        );
        let e = from_str::<Doc>("{").unwrap_err();
        assert_eq!(e.kind(), LoadErrorKind::Syntax);
        assert_eq!(
            e.to_string(),
            "EOF while parsing an object at line 1 column 1"
        );
    }
}
