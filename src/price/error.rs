//! Why a price table or a response body could not be read.

use std::fmt;

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
}

/// Why a price table or a response body could not be read: a
/// [`LoadErrorKind`], the JSON path of the problem (`entries[0].pricing`;
/// empty for the whole document) and a message.
///
/// `Display` shows `path: message` for a document that does not fit the
/// schema, and the message alone for text that is not JSON (it gives the
/// position) and for a table that contradicts itself (it names the entry;
/// [`LoadError::path`] still gives the path).
///
/// ```
/// use gpt_image_plan::price::{LoadErrorKind, PriceError, PriceTable};
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
        let path = if self.path.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}.{}", self.path)
        };
        LoadError { path, ..self }
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
