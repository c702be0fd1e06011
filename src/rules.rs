//! What one model accepts at one provider: sizes, `n`, prompt length and every
//! optional parameter. The model catalog and provider profiles are both made of these.

use serde::{Deserialize, Serialize};

use crate::diag::Field;
use crate::params::{Background, Moderation, OutputFormat, Quality, ResponseFormat, Style, Tier};
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

/// Support and allowed values for an enumerated parameter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamRule<T> {
    /// Whether the parameter is taken.
    pub support: Support,
    /// The allowed values when supported (or accepted with no effect).
    #[serde(default = "Vec::new")]
    pub values: Vec<T>,
}

impl<T> Default for ParamRule<T> {
    fn default() -> Self {
        ParamRule {
            support: Support::Rejected,
            values: Vec::new(),
        }
    }
}

impl<T: Copy + PartialEq> ParamRule<T> {
    /// Whether a value given for the parameter must be one of
    /// [`values`](Self::values) (when it lists any): it is taken, with or
    /// without effect.
    pub(crate) fn checks_values(&self) -> bool {
        matches!(self.support, Support::Supported | Support::NoEffect)
    }

    /// The value to suggest instead of one the list leaves out: the model's
    /// default when the list has it, else the list's first value.
    pub(crate) fn instead(&self, default: Option<T>) -> Option<T> {
        default
            .filter(|d| self.values.contains(d))
            .or_else(|| self.values.first().copied())
    }
}

/// Support and range for an integer parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntRule {
    /// Whether the parameter is taken.
    pub support: Support,
    /// Smallest allowed value.
    #[serde(default)]
    pub min: u32,
    /// Largest allowed value.
    #[serde(default)]
    pub max: u32,
}

impl Default for IntRule {
    fn default() -> Self {
        IntRule {
            support: Support::Rejected,
            min: 0,
            max: 0,
        }
    }
}

/// Support for a parameter with no values to choose from (booleans, free text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagRule {
    /// Whether the parameter is taken.
    pub support: Support,
}

impl Default for FlagRule {
    fn default() -> Self {
        FlagRule {
            support: Support::Rejected,
        }
    }
}

wire_enum! {
    /// What happens to `output_compression` with a format it does not apply to.
    CompressionElsewhere, "compression_elsewhere" {
        /// Accepted and ignored (a warning).
        NoEffect = "no_effect",
        /// Only 100 (or no value) is accepted (seed 001 for png).
        MustBe100 = "must_be_100",
        /// Refused.
        Rejected = "rejected",
    }
}

/// `output_compression`: support, range, and the formats it applies to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompressionRule {
    /// Whether the parameter is taken.
    pub support: Support,
    /// Smallest allowed value.
    #[serde(default)]
    pub min: u32,
    /// Largest allowed value.
    #[serde(default)]
    pub max: u32,
    /// The formats compression applies to.
    #[serde(default)]
    pub formats: Vec<OutputFormat>,
    /// What happens with other formats.
    #[serde(default = "default_elsewhere")]
    pub elsewhere: CompressionElsewhere,
}

fn default_elsewhere() -> CompressionElsewhere {
    CompressionElsewhere::NoEffect
}

impl Default for CompressionRule {
    fn default() -> Self {
        CompressionRule {
            support: Support::Rejected,
            min: 0,
            max: 0,
            formats: Vec::new(),
            elsewhere: CompressionElsewhere::NoEffect,
        }
    }
}

/// Every optional parameter and whether it is taken.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// `quality`.
    pub quality: ParamRule<Quality>,
    /// `background`.
    pub background: ParamRule<Background>,
    /// The output formats `background: "transparent"` needs (png, webp).
    pub transparent_formats: Vec<OutputFormat>,
    /// `output_format`.
    pub output_format: ParamRule<OutputFormat>,
    /// `output_compression`.
    pub output_compression: CompressionRule,
    /// `moderation`.
    pub moderation: ParamRule<Moderation>,
    /// `response_format`.
    pub response_format: ParamRule<ResponseFormat>,
    /// `style`.
    pub style: ParamRule<Style>,
    /// `stream`.
    pub stream: FlagRule,
    /// `partial_images` (needs `stream`).
    pub partial_images: IntRule,
    /// `user`.
    pub user: FlagRule,
    /// `enable_sync_mode` (WaveSpeed).
    pub enable_sync_mode: FlagRule,
}

/// The value a provider uses when a field is left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Defaults {
    /// `n`.
    pub n: Option<u32>,
    /// `size`.
    pub size: Option<SizeSpec>,
    /// `quality`.
    pub quality: Option<Quality>,
    /// `background`.
    pub background: Option<Background>,
    /// `output_format`.
    pub output_format: Option<OutputFormat>,
    /// `output_compression`.
    pub output_compression: Option<u32>,
    /// `moderation`.
    pub moderation: Option<Moderation>,
    /// `response_format`.
    pub response_format: Option<ResponseFormat>,
    /// `style`.
    pub style: Option<Style>,
    /// `stream`.
    pub stream: Option<bool>,
    /// `enable_sync_mode`.
    pub enable_sync_mode: Option<bool>,
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
    /// Optional parameters.
    #[serde(default)]
    pub params: Params,
    /// Values used for absent fields.
    #[serde(default)]
    pub defaults: Defaults,
    /// Fields that must be present in the body (seed 004: model, prompt, size, n).
    #[serde(default)]
    pub required: Vec<Field>,
    /// Sizes the provider names, with tiers and labels.
    #[serde(default)]
    pub presets: Vec<Preset>,
}
