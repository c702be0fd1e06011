//! Findings: severity, stable codes, and the report that collects them.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::text::{serde_via_str, wire_enum};

wire_enum! {
    /// How serious a finding is.
    Severity, "severity" {
        /// The provider would reject the call.
        Error = "error",
        /// The call is accepted, but something will not happen as asked.
        Warning = "warning",
    }
}

/// The request field a finding is about; the first half of a [`Code`].
///
/// `request` (the body as a whole), the four fields every request has
/// (`model`, `prompt`, `n`, `size`), or any parameter the catalog or a profile
/// declares (`quality`, `frame_count`, ...): a parameter described by data
/// gets codes without a change to this crate.
///
/// ```
/// use gpt_image_plan::Field;
/// assert_eq!(Field::SIZE.as_str(), "size");
/// assert_eq!(Field::param("sharpness").to_string(), "sharpness");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Field(Cow<'static, str>);

impl Field {
    /// The request as a whole (JSON shape, unknown or duplicate fields).
    pub const REQUEST: Field = Field(Cow::Borrowed("request"));
    /// `model`.
    pub const MODEL: Field = Field(Cow::Borrowed("model"));
    /// `prompt`.
    pub const PROMPT: Field = Field(Cow::Borrowed("prompt"));
    /// `n`.
    pub const N: Field = Field(Cow::Borrowed("n"));
    /// `size`.
    pub const SIZE: Field = Field(Cow::Borrowed("size"));

    /// The fields every request has, in the order bodies are written.
    pub const CORE: [Field; 4] = [Field::MODEL, Field::PROMPT, Field::N, Field::SIZE];

    /// The field of a request parameter, by its wire name.
    pub fn param(name: impl Into<String>) -> Field {
        let name: String = name.into();
        match name.as_str() {
            "request" => Field::REQUEST,
            "model" => Field::MODEL,
            "prompt" => Field::PROMPT,
            "n" => Field::N,
            "size" => Field::SIZE,
            _ => Field(Cow::Owned(name)),
        }
    }

    /// The wire name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is one of [`Field::CORE`].
    pub fn is_core(&self) -> bool {
        Field::CORE.contains(self)
    }

    /// Whether `name` is the wire name of one of [`Field::CORE`].
    pub fn is_core_name(name: &str) -> bool {
        Field::CORE.iter().any(|f| f.as_str() == name)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl FromStr for Field {
    type Err = ParseCodeError;

    /// Any parameter name: lowercase ASCII letters, digits and `_`, starting
    /// with a letter, at most 64 bytes.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if is_param_name(s) {
            Ok(Field::param(s))
        } else {
            Err(ParseCodeError(crate::text::prefix(s, 64).to_owned()))
        }
    }
}
serde_via_str!(Field);

/// Whether `s` can name a data-declared parameter: `[a-z][a-z0-9_]*`, at
/// most 64 bytes, and not `request` or one of [`Field::CORE`].
pub(crate) fn is_declarable(s: &str) -> bool {
    is_param_name(s) && s != "request" && !Field::is_core_name(s)
}

/// What [`is_declarable`] asks of a name, for load errors.
pub(crate) const DECLARABLE: &str = "a parameter name is [a-z][a-z0-9_]*, at most 64 bytes, and not request, model, prompt, n or size";

/// Whether `s` can name a parameter: `[a-z][a-z0-9_]*`, at most 64 bytes.
pub(crate) fn is_param_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

wire_enum! {
    /// What is wrong; the second half of a [`Code`].
    Kind, "kind" {
        /// The value is not well-formed text (`size.malformed`, `request.malformed_json`
        /// uses [`Kind::MalformedJson`]).
        Malformed = "malformed",
        /// The request body is not valid JSON (or nests too deeply).
        MalformedJson = "malformed_json",
        /// The request body is JSON but not an object.
        NotObject = "not_object",
        /// A field appears twice in the body.
        DuplicateField = "duplicate_field",
        /// A field this crate and the provider do not know.
        UnknownField = "unknown_field",
        /// The value has the wrong JSON type.
        InvalidType = "invalid_type",
        /// A field the provider requires is absent and has no default.
        Missing = "missing",
        /// A field the provider requires is absent; its default will be sent.
        Defaulted = "defaulted",
        /// An edge is not a multiple of 16 (or the rule's multiple).
        NotMultipleOf16 = "not_multiple_of_16",
        /// The long edge is above the rule's maximum.
        EdgeTooLong = "edge_too_long",
        /// long:short is above the rule's maximum ratio.
        AspectTooExtreme = "aspect_too_extreme",
        /// Fewer pixels than the rule allows.
        TooFewPixels = "too_few_pixels",
        /// More pixels than the rule allows.
        TooManyPixels = "too_many_pixels",
        /// The size (or `auto`) is not in the provider's or model's list.
        NotOffered = "not_offered",
        /// Accepted, but above the pixel count the provider calls experimental.
        Experimental = "experimental",
        /// The model name is not served by the provider.
        Unknown = "unknown",
        /// The provider names the model but refuses it for now (e.g. snapshots).
        Unavailable = "unavailable",
        /// The model is shut down on the date judged by; the call is refused.
        Retired = "retired",
        /// The model's shutdown is announced but not reached on the date judged by.
        Deprecated = "deprecated",
        /// The value is accepted but in preview: it may change or be refused.
        Preview = "preview",
        /// The prompt is empty.
        Empty = "empty",
        /// The prompt is longer than the limit.
        TooLong = "too_long",
        /// A number is outside its allowed range.
        OutOfRange = "out_of_range",
        /// `n` is above the per-call maximum and will be split across calls.
        Split = "split",
        /// The provider rejects this parameter for this model.
        NotSupported = "not_supported",
        /// The provider accepts the parameter but it has no effect.
        NoEffect = "no_effect",
        /// The call plan leaves the field out of the body (it has no effect there).
        Dropped = "dropped",
        /// The provider's documents do not mention this parameter.
        Undocumented = "undocumented",
        /// The value is not one the provider allows for this model.
        UnsupportedValue = "unsupported_value",
        /// The value conflicts with another field (e.g. transparent with jpeg).
        Incompatible = "incompatible",
    }
}

/// A stable machine code: `field.kind`, such as `size.not_multiple_of_16`.
///
/// Frontends and other crates match on codes, never on message text.
///
/// ```
/// use gpt_image_plan::{Code, Field, Kind};
/// let code = Code::new(Field::SIZE, Kind::NotMultipleOf16);
/// assert_eq!(code.to_string(), "size.not_multiple_of_16");
/// assert_eq!("size.not_multiple_of_16".parse::<Code>().unwrap(), code);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code {
    field: Field,
    kind: Kind,
}

impl Code {
    /// The code `field.kind`.
    pub const fn new(field: Field, kind: Kind) -> Self {
        Code { field, kind }
    }

    /// The field half.
    pub fn field(&self) -> &Field {
        &self.field
    }

    /// The kind half.
    pub fn kind(&self) -> Kind {
        self.kind
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.field, self.kind)
    }
}

/// Why a text is not a [`Code`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("code {0:?} is not FIELD.KIND with a parameter name and a known kind")]
pub struct ParseCodeError(String);

impl FromStr for Code {
    type Err = ParseCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseCodeError(crate::text::prefix(s, 64).to_owned());
        let (field, kind) = s.split_once('.').ok_or_else(err)?;
        Ok(Code::new(
            field.parse().map_err(|_| err())?,
            kind.parse().map_err(|_| err())?,
        ))
    }
}
serde_via_str!(Code);

/// One finding about a request: what is wrong or will not happen, where, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error (the provider would reject the call) or warning.
    pub severity: Severity,
    /// The stable code, `field.kind`.
    pub code: Code,
    /// The field the finding is about.
    pub field: Field,
    /// The offending value as text, when there is one.
    pub value: Option<String>,
    /// The limit or the allowed values, as text.
    pub limit: Option<String>,
    /// A lowercase message naming the field, the quoted value and the limit.
    pub message: String,
    /// What to do about it, for people; `None` when nothing obvious helps.
    pub fix: Option<String>,
    /// The value to put in `field` instead, when the fix is a replacement
    /// (`"1920x1088"`, `"jpeg"`, `"1"`); `None` when the fix is to remove the
    /// field or there is no fix.
    pub replacement: Option<String>,
}

impl Diagnostic {
    /// A finding with no value, limit or fix yet.
    pub(crate) fn new(
        severity: Severity,
        field: impl std::borrow::Borrow<Field>,
        kind: Kind,
        message: String,
    ) -> Self {
        let field = field.borrow().clone();
        Diagnostic {
            severity,
            code: Code::new(field.clone(), kind),
            field,
            value: None,
            limit: None,
            message,
            fix: None,
            replacement: None,
        }
    }

    pub(crate) fn error(
        field: impl std::borrow::Borrow<Field>,
        kind: Kind,
        message: String,
    ) -> Self {
        Diagnostic::new(Severity::Error, field, kind, message)
    }

    pub(crate) fn warning(
        field: impl std::borrow::Borrow<Field>,
        kind: Kind,
        message: String,
    ) -> Self {
        Diagnostic::new(Severity::Warning, field, kind, message)
    }

    pub(crate) fn value(mut self, value: impl fmt::Display) -> Self {
        self.value = Some(value.to_string());
        self
    }

    pub(crate) fn limit(mut self, limit: impl Into<String>) -> Self {
        self.limit = Some(limit.into());
        self
    }

    pub(crate) fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub(crate) fn replace_with(mut self, value: impl fmt::Display) -> Self {
        self.replacement = Some(value.to_string());
        self
    }

    /// Whether this finding stops the call.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]: {}", self.severity, self.code, self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, " (fix: {fix})")?;
        }
        Ok(())
    }
}

/// Every finding about one request, errors and warnings together.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// The findings, in field order.
    pub diagnostics: Vec<Diagnostic>,
    /// The day model lifecycles were judged on, when a model was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<crate::model::Date>,
    /// The `as_of` of the catalog the profile's rules come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_as_of: Option<crate::model::Date>,
}

impl Report {
    /// Whether the provider would accept the call (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }

    /// The codes, in order; handy in tests and logs.
    pub fn codes(&self) -> Vec<Code> {
        self.diagnostics.iter().map(|d| d.code.clone()).collect()
    }

    /// Whether any finding has `code`.
    pub fn has(&self, code: &Code) -> bool {
        self.diagnostics.iter().any(|d| &d.code == code)
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}
