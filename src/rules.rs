//! What one model accepts at one provider: sizes, `n`, prompt length and every
//! optional parameter. The model catalog and provider profiles are both made of these.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::params::{ParamValue, Tier};
use crate::size::{Size, SizeRule, SizeSpec};
use crate::text::wire_enum;

wire_enum! {
    /// Whether a provider takes a parameter for a model.
    Support, "support" {
        /// Taken, and it does what it says (within the allowed values).
        Supported = "supported",
        /// Accepted without error, but it changes nothing.
        NoEffect = "no_effect",
        /// Refused: sending it makes the call fail.
        Rejected = "rejected",
        /// The provider's documents do not mention it; it may be passed on,
        /// ignored or refused (a warning).
        Undocumented = "undocumented",
    }
}

/// Which sizes are valid: a rule, a fixed list, or both (a size is valid when
/// the rule allows it or the list names it), and whether `auto` is taken.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizePolicy {
    /// The rule, when sizes are free-form.
    #[serde(default)]
    pub rule: Option<SizeRule>,
    /// Sizes valid by name. They need not satisfy the rule (seed 002 lists 1920x1080).
    #[serde(default)]
    pub list: Vec<Size>,
    /// Whether `size: "auto"` is taken.
    #[serde(default)]
    pub auto: bool,
    /// Sizes with more pixels than this are accepted but called experimental.
    #[serde(default)]
    pub experimental_above_pixels: Option<u64>,
}

impl SizePolicy {
    /// Whether `size` is valid under the policy.
    #[inline]
    pub fn allows(&self, size: Size) -> bool {
        self.rule.is_some_and(|rule| rule.allows(size)) || self.list.contains(&size)
    }

    /// Whether `spec` (a size or `auto`) is valid under the policy.
    pub fn allows_spec(&self, spec: SizeSpec) -> bool {
        match spec {
            SizeSpec::Auto => self.auto,
            SizeSpec::Size(size) => self.allows(size),
        }
    }

    /// Every valid size: the rule's, then the listed sizes the rule does not allow.
    pub fn sizes(&self) -> Vec<Size> {
        let mut out: Vec<Size> = self.rule.iter().flat_map(|rule| rule.sizes()).collect();
        for &size in &self.list {
            if !self.rule.is_some_and(|rule| rule.allows(size)) && !out.contains(&size) {
                out.push(size);
            }
        }
        out
    }
}

/// How many images one request may ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NLimits {
    /// Fewest per call.
    pub min: u32,
    /// Most per call.
    pub max: u32,
    /// When set, a request for more than `max` (up to this many) is split into
    /// several calls instead of being refused (seed 003: "call the endpoint in a loop").
    #[serde(default)]
    pub split_max: Option<u32>,
}

/// The prompt's length limits, counted in Unicode scalar values (Rust `char`s),
/// not bytes and not UTF-16 units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromptLimits {
    /// Shortest allowed (0 lets an empty prompt through).
    pub min_chars: u32,
    /// Longest allowed.
    pub max_chars: u32,
}

wire_enum! {
    /// A parameter's JSON type.
    ParamType, "type" {
        /// A string: from a list of values when the rule lists any, else free
        /// text (with a length limit when the rule sets `max_chars`).
        String = "string",
        /// A whole number, within the rule's `min` and `max`.
        Integer = "integer",
        /// `true` or `false`.
        Boolean = "boolean",
    }
}

impl ParamType {
    /// Whether `value` has this type.
    pub fn admits(self, value: &ParamValue) -> bool {
        matches!(
            (self, value),
            (ParamType::String, ParamValue::Text(_))
                | (ParamType::Integer, ParamValue::Int(_))
                | (ParamType::Boolean, ParamValue::Bool(_))
        )
    }

    /// The type as messages name it: `a string`, `an integer`, `a boolean`.
    pub(crate) fn expected(self) -> &'static str {
        match self {
            ParamType::String => "a string",
            ParamType::Integer => "an integer",
            ParamType::Boolean => "a boolean",
        }
    }
}

/// A request parameter the catalog or a profile declares: its wire name (the
/// key it is declared under), its type and what it is for. A parameter not
/// declared anywhere is an unknown field; a declared one a model's rules
/// leave out is refused for that model (`not_supported`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamDecl {
    /// The JSON type.
    #[serde(rename = "type")]
    pub kind: ParamType,
    /// What it does, for people.
    #[serde(default)]
    pub description: Option<String>,
    /// Where the fact comes from.
    #[serde(default)]
    pub source: Option<String>,
    /// Whether an explicit `null` is taken as "use the default" (the
    /// default); when `false`, `null` is the wrong type.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub nullable: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// What one model takes for one parameter at one provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamRule {
    /// Whether the parameter is taken.
    pub support: Support,
    /// The allowed values (strings); empty means any value of the type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ParamValue>,
    /// Smallest allowed number (integers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// Largest allowed number (integers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// Longest allowed text, in characters (free-text strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chars: Option<u32>,
    /// Values taken but in preview: valid, with a `preview` warning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preview: Vec<ParamValue>,
    /// What the provider says about it (ends the `preview` warning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The parameter's declared type, copied in when the rules are resolved
    /// (so validation looks a parameter up once); `None` on rules not yet
    /// resolved, which then fall back to the declarations.
    #[serde(skip)]
    pub kind: Option<ParamType>,
}

impl Default for ParamRule {
    fn default() -> Self {
        ParamRule::REFUSED
    }
}

impl ParamRule {
    /// The rule of a declared parameter a model's rules leave out: refused.
    pub const REFUSED: ParamRule = ParamRule {
        support: Support::Rejected,
        values: Vec::new(),
        min: None,
        max: None,
        max_chars: None,
        preview: Vec::new(),
        note: None,
        kind: None,
    };

    /// Whether a value given for the parameter must be one of
    /// [`values`](Self::values) (when it lists any): it is taken, with or
    /// without effect.
    pub(crate) fn checks_values(&self) -> bool {
        matches!(self.support, Support::Supported | Support::NoEffect)
    }

    /// The value to suggest instead of one the list leaves out: the model's
    /// default when the list has it, else the list's first value.
    pub(crate) fn instead<'a>(&'a self, default: Option<&'a ParamValue>) -> Option<&'a ParamValue> {
        default
            .filter(|d| self.values.contains(d))
            .or_else(|| self.values.first())
    }

    /// Whether `value` is in the allowed list (or there is none).
    pub fn lists(&self, value: &ParamValue) -> bool {
        self.values.is_empty() || self.values.contains(value)
    }
}

wire_enum! {
    /// What breaking a [`Constraint`] does.
    Effect, "effect" {
        /// The provider refuses the call (`{param}.incompatible`, an error).
        Incompatible = "incompatible",
        /// The provider takes the call and ignores the parameter
        /// (`{param}.no_effect`, a warning).
        NoEffect = "no_effect",
    }
}

/// A rule between parameters, in one small vocabulary: when `param` is given
/// (with one of `values`, none of `except`, at least `min`), it `needs`
/// another parameter to have one of a list of values, and `forbids` others
/// from being given at all.
///
/// `needs` looks at the other parameter's value as sent: the request's, else
/// the model's default (`n` and the parameters alike); a parameter with
/// neither does not meet the need. A constraint is checked only for a value
/// that passed its own checks.
///
/// ```json
/// {"param": "background", "values": ["transparent"],
///  "needs": {"param": "output_format", "values": ["png", "webp"]}}
/// {"param": "output_format", "values": ["gif"], "forbids": ["stream", "partial_images"]}
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    /// The parameter whose value sets the constraint off.
    pub param: String,
    /// Only these values set it off (empty: any value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ParamValue>,
    /// These values never set it off.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<ParamValue>,
    /// Only numbers at least this set it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// The other parameter's value it needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<Needs>,
    /// Parameters that must not be given with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbids: Vec<String>,
    /// What breaking it does; `incompatible` unless said.
    #[serde(default = "incompatible")]
    pub effect: Effect,
    /// Where the rule comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn incompatible() -> Effect {
    Effect::Incompatible
}

/// The value a [`Constraint`] needs another parameter to have.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Needs {
    /// The other parameter (`n` and `size` work too).
    pub param: String,
    /// One of these values (for `size`, `WxH` texts); empty: any value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ParamValue>,
    /// For `size`: at most this many pixels. A size of `auto` is not judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pixels: Option<u64>,
}

impl Needs {
    /// Whether `value` meets the need (any value when none is listed).
    pub fn lists(&self, value: &ParamValue) -> bool {
        self.values.is_empty() || self.values.contains(value)
    }
}

impl Constraint {
    /// Whether a given `value` of [`param`](Self::param) sets this off.
    pub fn triggered_by(&self, value: &ParamValue) -> bool {
        (self.values.is_empty() || self.values.contains(value))
            && !self.except.contains(value)
            && self
                .min
                .is_none_or(|min| value.as_int().is_some_and(|v| v >= min))
    }
}

/// The value a provider uses for each field left out (`n`, `size` and any
/// parameter), by wire name; `null` removes a default when layered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Defaults(BTreeMap<String, Option<ParamValue>>);

impl Defaults {
    /// The default of `name`.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.0.get(name)?.as_ref()
    }

    /// The default `n`.
    pub fn n(&self) -> Option<u32> {
        self.get("n")?.as_int()
    }

    /// The default `size`.
    pub fn size(&self) -> Option<SizeSpec> {
        self.get("size")?.as_text()?.parse().ok()
    }

    /// Every default, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.0
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_ref()?)))
    }

    /// Sets a default (tests and hand-built rules).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<ParamValue>) {
        self.0.insert(name.into(), Some(value.into()));
    }

    /// Removes a default.
    pub fn remove(&mut self, name: &str) {
        self.0.remove(name);
    }
}

/// A size a provider names, with its tier and label when the provider gives them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// The size.
    pub size: Size,
    /// The provider's tier for it (seed 002's 1K/2K/4K tables).
    #[serde(default)]
    pub tier: Option<Tier>,
    /// The provider's words for it ("21:9 ultra-wide").
    #[serde(default)]
    pub label: Option<String>,
}

/// What one model accepts at one provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelRules {
    /// Valid sizes.
    pub sizes: SizePolicy,
    /// Images per call.
    pub n: NLimits,
    /// Prompt length.
    pub prompt: PromptLimits,
    /// What the model takes for each parameter, by wire name; a declared
    /// parameter left out is refused.
    #[serde(default)]
    pub params: BTreeMap<String, ParamRule>,
    /// Rules between parameters.
    #[serde(default)]
    pub constraints: Vec<Constraint>,
    /// Values used for absent fields.
    #[serde(default)]
    pub defaults: Defaults,
    /// Fields that must be present in the body (seed 004: model, prompt, size, n).
    #[serde(default)]
    pub required: Vec<String>,
    /// Sizes the provider names, with tiers and labels.
    #[serde(default)]
    pub presets: Vec<Preset>,
}

impl ModelRules {
    /// The rule for `name`: the model's, else the refusal every declared
    /// parameter a model leaves out gets.
    pub fn param(&self, name: &str) -> &ParamRule {
        static REFUSED: ParamRule = ParamRule::REFUSED;
        self.params.get(name).unwrap_or(&REFUSED)
    }

    /// Copies each parameter's declared type into its rule.
    pub(crate) fn set_kinds(&mut self, declared: &BTreeMap<String, ParamDecl>) {
        for (name, rule) in &mut self.params {
            rule.kind = declared.get(name).map(|d| d.kind);
        }
    }

    /// Whether the profile requires `name` in the body.
    pub fn requires(&self, name: &str) -> bool {
        self.required.iter().any(|r| r == name)
    }
}
