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

/// What kind of problem stopped a document from loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// The text is not JSON (serde_json's message, with line and column).
    Syntax,
    /// The JSON does not match the schema: a missing or unknown field, a
    /// value of the wrong type or out of range.
    Schema,
    /// Each value is well formed but together they contradict themselves
    /// (min above max, a model listed twice, no size at all, ...).
    Inconsistent,
}

/// Why a data document could not be loaded: its kind, the JSON path of the
/// offending value (empty for the document as a whole) and what is wrong.
///
/// ```
/// use gpt_image_plan::{LoadErrorKind, Profile, ProfileError};
/// let text = r#"{"id": "gw", "name": "Gateway", "source": "docs", "as_of": "2026-11-01",
///   "path": "/v1/images/generations",
///   "auth": {"header": "Authorization", "scheme": "Bearer", "env": "GW_API_KEY"},
///   "response": {"shape": "openai"},
///   "models": [{"name": "gpt-image-2", "model": "gpt-image-2", "rules": {"n": {"max": -2}}}]}"#;
/// let ProfileError::Invalid(e) = Profile::from_json(text).unwrap_err() else { panic!() };
/// assert_eq!(e.kind(), LoadErrorKind::Schema);
/// assert_eq!(e.path(), "models[0].rules.n.max");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    kind: LoadErrorKind,
    path: String,
    message: String,
}

impl LoadError {
    /// What kind of problem it is.
    pub fn kind(&self) -> LoadErrorKind {
        self.kind
    }

    /// Where it is, as a JSON path (`models[1].rules.n.max`); empty for the
    /// document as a whole.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn new(kind: LoadErrorKind, path: &str, message: impl Into<String>) -> Self {
        LoadError {
            kind,
            path: path.to_owned(),
            message: message.into(),
        }
    }

    pub(crate) fn schema(path: &str, message: impl Into<String>) -> Self {
        Self::new(LoadErrorKind::Schema, path, message)
    }

    pub(crate) fn inconsistent(path: &str, message: impl Into<String>) -> Self {
        Self::new(LoadErrorKind::Inconsistent, path, message)
    }

    /// A serde_json error with no path of its own: syntax when the text is
    /// not JSON, schema otherwise.
    pub(crate) fn from_json(e: serde_json::Error) -> Self {
        let kind = match e.classify() {
            serde_json::error::Category::Data => LoadErrorKind::Schema,
            _ => LoadErrorKind::Syntax,
        };
        Self::new(kind, "", e.to_string())
    }

    /// The same error, its path under `prefix` (`models[1].rules`).
    pub(crate) fn under(mut self, prefix: &str) -> Self {
        self.path = join(prefix, &self.path);
        self
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
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

/// The path `serde_path_to_error` found, as text (empty at the top).
fn path_text(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    if text == "." { String::new() } else { text }
}

/// Reads `T` from JSON text with its derived `Deserialize`, naming the path
/// of the first problem.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, LoadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = path_text(e.path());
        match LoadError::from_json(e.into_inner()) {
            // A syntax error's place is its line and column.
            e if e.kind == LoadErrorKind::Syntax => e,
            e => e.under(&path),
        }
    })?;
    de.end().map_err(LoadError::from_json)?;
    Ok(value)
}

/// Reads `T` from a JSON value with its derived `Deserialize`, naming the
/// path of the first problem.
pub(crate) fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, LoadError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = path_text(e.path());
        LoadError::schema(&path, e.into_inner().to_string())
    })
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
        assert_eq!(
            e.to_string(),
            r#"field "n" is given twice at line 1 column 21"#
        );
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
        let e = from_value::<Doc>(json!({"models": [{"n": "x"}]})).unwrap_err();
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
