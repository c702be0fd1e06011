//! The price table: how each provider bills each model it serves, as dated data.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::money::{Amount, Currency};
use super::{LoadError, LoadErrorKind, PriceError};
use crate::model::Date;
use crate::params::{Quality, Tier};
use crate::rules::Preset;
use crate::size::Size;
use crate::text::{serde_via_str, wire_enum};

/// A price table: entries keyed by provider id and served model name, plus
/// named output-token tables the entries refer to.
///
/// The schema is documented in `docs/price-table.md`. The built-in table is
/// `data/prices.json`; [`PriceTable::from_json`] reads a table in the same
/// schema and [`PriceTable::merge`] lays one over another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a price table (an object)")]
pub struct PriceTable {
    /// The day the table as a whole was last checked.
    pub as_of: Date,
    /// Where the table comes from.
    pub source: String,
    /// Output image tokens per size and quality, by name.
    #[serde(default)]
    pub token_tables: BTreeMap<String, TokenTable>,
    /// One entry per provider and served model.
    pub entries: Vec<PriceEntry>,
}

/// Output image tokens per size and quality (OpenAI's table for the
/// gpt-image-1 family).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenTable {
    /// Where the numbers come from.
    pub source: String,
    /// The rows.
    pub rows: Vec<TokenRow>,
}

/// One row of a [`TokenTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRow {
    /// The image size.
    pub size: Size,
    /// The quality.
    pub quality: Quality,
    /// Output image tokens for one image.
    pub tokens: u64,
}

impl TokenTable {
    /// The tokens for one image of `size` at `quality`, if the table has them.
    ///
    /// ```
    /// use gpt_image_plan::{price::PriceTable, Quality, Size};
    /// let table = &PriceTable::builtin().token_tables["gpt_image_1_table"];
    /// assert_eq!(table.tokens(Size::new(1024, 1536), Quality::High), Some(6240));
    /// assert_eq!(table.tokens(Size::new(2048, 2048), Quality::High), None);
    /// ```
    pub fn tokens(&self, size: Size, quality: Quality) -> Option<u64> {
        self.rows
            .iter()
            .find(|r| r.size == size && r.quality == quality)
            .map(|r| r.tokens)
    }
}

/// How one provider bills one served model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceEntry {
    /// The provider id (a profile id such as `openai`, or a reference table's
    /// own name such as `pixapi`).
    pub provider: String,
    /// The served model name, as the provider spells it.
    pub model: String,
    /// The day the numbers were checked.
    pub as_of: Date,
    /// Where every number in the entry comes from.
    pub source: String,
    /// The unit the prices are in.
    pub currency: Currency,
    /// The pricing model and its numbers.
    pub pricing: Pricing,
    /// Anything else worth knowing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A pricing model, tagged by `kind` in JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Pricing {
    /// Billed by tokens (OpenAI's GPT image models).
    Token(TokenPricing),
    /// A fixed price per image by size and quality (dall-e-2, dall-e-3).
    PerImage(PerImagePricing),
    /// A price per image by size tier and quality; the tier comes from the
    /// requested size (PixAPI, Evolink, UniAll `gpt-image-2-origin`).
    TierMatrix(TierPricing),
    /// Billed by the size actually returned: the provider reserves first and
    /// settles when the result is known (UniAll `gpt-image-2-auto`).
    ByReturnedSize(ReturnedSizePricing),
}

wire_enum! {
    /// The kind of a [`Pricing`], as it appears in estimates.
    Basis, "basis" {
        /// [`Pricing::Token`].
        Token = "token",
        /// [`Pricing::PerImage`].
        PerImage = "per_image",
        /// [`Pricing::TierMatrix`].
        TierMatrix = "tier_matrix",
        /// [`Pricing::ByReturnedSize`].
        ByReturnedSize = "by_returned_size",
    }
}

impl Pricing {
    /// The kind of pricing.
    ///
    /// ```
    /// use gpt_image_plan::price::{Basis, PriceTable};
    /// let entry = PriceTable::builtin().get("openai", "dall-e-2").unwrap();
    /// assert_eq!(entry.pricing.basis(), Basis::PerImage);
    /// ```
    pub const fn basis(&self) -> Basis {
        match self {
            Pricing::Token(_) => Basis::Token,
            Pricing::PerImage(_) => Basis::PerImage,
            Pricing::TierMatrix(_) => Basis::TierMatrix,
            Pricing::ByReturnedSize(_) => Basis::ByReturnedSize,
        }
    }
}

/// Token prices, per million tokens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenPricing {
    /// Prompt text tokens.
    pub text_input_per_million: Amount,
    /// Input image tokens (edits; reported in a response's usage block).
    pub image_input_per_million: Amount,
    /// Output image tokens.
    pub image_output_per_million: Amount,
    /// Cached prompt text tokens, when the provider publishes a price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_text_input_per_million: Option<Amount>,
    /// Cached input image tokens, when the provider publishes a price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_image_input_per_million: Option<Amount>,
    /// Output text tokens (reported in a response's usage), when published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_output_per_million: Option<Amount>,
    /// Where the output image tokens per image come from.
    pub output_tokens: OutputTokens,
    /// Extra output tokens per streamed partial image (100 at OpenAI).
    #[serde(default)]
    pub partial_image_tokens: u64,
    /// The sizes `size: "auto"` is assumed to produce, for the range of an
    /// estimate. When empty, the token table's sizes or the served model's
    /// presets are used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auto_sizes: Vec<Size>,
}

/// Where output image tokens come from.
///
/// In JSON, `"gpt_image_2_formula"` (the formula with gpt-image-2's factors),
/// the name of a table in the price table's `token_tables`, or an object
/// giving the formula's factor per quality, for a model whose factors
/// differ ([`FactorTokens`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum OutputTokens {
    /// `"gpt_image_2_formula"` or a [`TokenTable`] by name.
    Named(NamedTokens),
    /// The formula with per-quality factors from the data.
    Factors(FactorTokens),
}

/// A named source of output tokens.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NamedTokens {
    /// [`gpt_image_2_output_tokens`](super::gpt_image_2_output_tokens): the
    /// community formula with gpt-image-2's factors (16, 48, 96).
    Gpt2Formula,
    /// A [`TokenTable`] by name.
    Table(String),
}

impl OutputTokens {
    /// The formula with gpt-image-2's factors.
    pub const GPT2_FORMULA: OutputTokens = OutputTokens::Named(NamedTokens::Gpt2Formula);

    /// A token table by name.
    pub fn table(name: impl Into<String>) -> OutputTokens {
        OutputTokens::Named(NamedTokens::Table(name.into()))
    }
}

/// Output tokens from the gpt-image-2 formula with a factor `q` per quality
/// given as data (gpt-image-2: low 16, medium 48, high 96; gpt-image-2.5:
/// 16, 24, 48, 64, 96 for low to max). Where no formula is known for a model,
/// `scale_percent` widens the formula's count into a range and `reason` says
/// why; the estimate is then a range, not a figure presented as exact.
///
/// ```
/// use gpt_image_plan::price::OutputTokens;
/// let t: OutputTokens = serde_json::from_str(r#"{"formula": "gpt_image_2",
///   "quality_factors": {"low": 16, "medium": 24, "high": 48, "xhigh": 64, "max": 96}}"#).unwrap();
/// assert!(matches!(t, OutputTokens::Factors(_)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorTokens {
    /// The formula: `gpt_image_2` (the only one known).
    pub formula: TokenFormula,
    /// The factor `q` per quality, by the quality's wire word (a word only
    /// the data knows works too).
    pub quality_factors: BTreeMap<String, u64>,
    /// The formula's count times `min`/100 to times `max`/100, when the
    /// model's own counts are not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_percent: Option<ScalePercent>,
    /// Why the count is a range (shown in the estimate's notes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

crate::text::wire_enum! {
    /// A token formula by name.
    TokenFormula, "formula" {
        /// `s = (2*q*S + L) div (2*L)`, `tokens = ceil(q*s*(2,000,000 + W*H) / 4,000,000)`.
        GptImage2 = "gpt_image_2",
    }
}

/// A range of percentages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalePercent {
    /// The lowest, in percent.
    pub min: u32,
    /// The highest, in percent.
    pub max: u32,
}

const FORMULA_NAME: &str = "gpt_image_2_formula";

impl fmt::Display for NamedTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NamedTokens::Gpt2Formula => f.write_str(FORMULA_NAME),
            NamedTokens::Table(name) => f.write_str(name),
        }
    }
}

/// Why a text is not an [`OutputTokens`] name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("output_tokens is empty; expected \"gpt_image_2_formula\" or a token table name")]
pub struct ParseOutputTokensError;

impl FromStr for NamedTokens {
    type Err = ParseOutputTokensError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "" => Err(ParseOutputTokensError),
            FORMULA_NAME => Ok(NamedTokens::Gpt2Formula),
            name => Ok(NamedTokens::Table(name.to_owned())),
        }
    }
}
serde_via_str!(NamedTokens);

/// Fixed prices per image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerImagePricing {
    /// One price per size and quality.
    pub prices: Vec<SizePrice>,
}

/// The price of one image of a size at a quality.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizePrice {
    /// The size.
    pub size: Size,
    /// The quality.
    pub quality: Quality,
    /// The price of one image.
    pub price: Amount,
}

/// Prices by size tier and quality.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierPricing {
    /// Which tier a size is in.
    pub tier_rule: TierRule,
    /// The price of one image per tier and quality. Empty or partial when the
    /// provider publishes no numbers; a missing price is reported, never guessed.
    #[serde(default)]
    pub prices: BTreeMap<Tier, BTreeMap<Quality, Amount>>,
    /// The quality `quality: "auto"` is billed as (PixAPI: high). When unset,
    /// an estimate ranges over the tier's qualities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_quality: Option<Quality>,
    /// The tier `size: "auto"` is billed as (PixAPI and Evolink: 1K). When
    /// unset, an estimate ranges over every priced tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_size: Option<Tier>,
}

impl TierPricing {
    /// The price of one image in `tier` at `quality`, if published.
    ///
    /// ```
    /// use gpt_image_plan::price::{PriceTable, Pricing};
    /// use gpt_image_plan::{Quality, Tier};
    /// let entry = PriceTable::builtin().get("pixapi", "gpt-image-2").unwrap();
    /// let Pricing::TierMatrix(tiers) = &entry.pricing else { unreachable!() };
    /// assert_eq!(tiers.price(Tier::K4, Quality::High).unwrap().to_string(), "133");
    /// ```
    pub fn price(&self, tier: Tier, quality: Quality) -> Option<Amount> {
        self.prices.get(&tier)?.get(&quality).copied()
    }
}

/// Which tier a size is in; tagged by `by` in JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum TierRule {
    /// By the long edge in pixels: the first threshold whose `max` is at
    /// least the long edge.
    LongEdge {
        /// Ascending thresholds; the last may have no `max`.
        thresholds: Vec<Threshold>,
    },
    /// By total pixels: the first threshold whose `max` is at least the
    /// pixel count.
    Pixels {
        /// Ascending thresholds; the last may have no `max`.
        thresholds: Vec<Threshold>,
    },
    /// By an explicit table: the tiers of a served model's presets in the
    /// profile (seed 002's 1K/2K/4K tables).
    SizeTable {
        /// The served model whose presets decide; the priced model itself
        /// when unset.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from_model: Option<String>,
    },
}

/// One step of a threshold tier rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The tier.
    pub tier: Tier,
    /// The largest value (long edge or pixels, inclusive) in this tier; no
    /// limit when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
}

impl TierRule {
    /// The tier `size` is in, using `presets` for [`TierRule::SizeTable`];
    /// `None` when the size is in no tier.
    ///
    /// ```
    /// use gpt_image_plan::price::PriceTable;
    /// use gpt_image_plan::{Size, Tier};
    /// use gpt_image_plan::price::Pricing;
    /// let evolink = PriceTable::builtin().get("evolink", "gpt-image-2").unwrap();
    /// let Pricing::TierMatrix(tiers) = &evolink.pricing else { unreachable!() };
    /// // 2560x1760 is 4,505,600 pixels: above 4.4 MP.
    /// assert_eq!(tiers.tier_rule.tier_of(Size::new(2560, 1760), &[]), Some(Tier::K4));
    /// ```
    pub fn tier_of(&self, size: Size, presets: &[Preset]) -> Option<Tier> {
        let by_threshold = |thresholds: &[Threshold], value: u64| {
            thresholds
                .iter()
                .find(|t| t.max.is_none_or(|max| value <= max))
                .map(|t| t.tier)
        };
        match self {
            TierRule::LongEdge { thresholds } => {
                by_threshold(thresholds, u64::from(size.long_edge()))
            }
            TierRule::Pixels { thresholds } => by_threshold(thresholds, size.pixels()),
            TierRule::SizeTable { .. } => {
                presets.iter().find(|p| p.size == size).and_then(|p| p.tier)
            }
        }
    }
}

/// Prices for billing by the returned size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnedSizePricing {
    /// What the provider holds back before the result is known.
    pub reservation: Reservation,
    /// The prices by tier of the returned size; `None` when the provider
    /// publishes none.
    #[serde(default)]
    pub tiers: Option<TierPricing>,
}

/// What a reserving provider holds back before the result is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Reservation {
    /// The most the request can cost (the estimate's maximum).
    EstimateMax,
    /// A fixed amount per requested image.
    PerImage(Amount),
}

/// Places an error inside an entry's `pricing` exactly.
///
/// serde reads an internally tagged enum such as [`Pricing`] from a buffered
/// copy of the object, so serde_path_to_error places any error inside it at
/// the object itself (`entries[0].pricing`). This reads that object again as
/// the variant its `kind` names, with the variant's own derived
/// `Deserialize`, to name the member (`entries[0].pricing.prices[0].price`).
fn place_in_pricing(text: &str, error: LoadError) -> LoadError {
    fn again<'de, T: Deserialize<'de>>(pricing: &'de serde_json::Value) -> Option<LoadError> {
        crate::load::from_value::<T>(pricing).err()
    }
    let Some(index) = error
        .path()
        .strip_prefix("entries[")
        .and_then(|rest| rest.strip_suffix("].pricing"))
        .and_then(|i| i.parse::<usize>().ok())
    else {
        return error;
    };
    let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return error;
    };
    // `get_mut`, not indexing: with a key given twice the document may not
    // have the shape the typed reader saw.
    let pricing = doc
        .get_mut("entries")
        .and_then(|entries| entries.get_mut(index))
        .and_then(|entry| entry.get_mut("pricing"))
        .map(serde_json::Value::take);
    let Some(serde_json::Value::Object(mut members)) = pricing else {
        return error;
    };
    let Some(kind) = members.remove("kind") else {
        return error;
    };
    let Some(Ok(basis)) = kind.as_str().map(Basis::parse_name) else {
        return error;
    };
    let pricing = serde_json::Value::Object(members);
    let inner = match basis {
        Basis::Token => again::<TokenPricing>(&pricing),
        Basis::PerImage => again::<PerImagePricing>(&pricing),
        Basis::TierMatrix => again::<TierPricing>(&pricing),
        Basis::ByReturnedSize => again::<ReturnedSizePricing>(&pricing),
    };
    match inner {
        Some(inner) => inner.under(error.path()),
        None => error,
    }
}

/// `data/prices.json`, the built-in table.
const BUILTIN_JSON: &str = include_str!("../../data/prices.json");

impl PriceTable {
    /// Reads a price table from JSON and checks it.
    ///
    /// A table may name output token tables it does not define (such as the
    /// built-in `gpt_image_1_table`) when it is meant to be merged over the
    /// built-in table; a missing one is reported when an estimate needs it.
    ///
    /// # Errors
    /// [`PriceError::InvalidTable`] when the text is not JSON, breaks the
    /// schema, lists an entry or a row twice, has a negative price, a token
    /// price with more than nine decimals, or thresholds out of order.
    ///
    /// ```
    /// use gpt_image_plan::price::PriceTable;
    /// let table = PriceTable::from_json(r#"{
    ///   "as_of": "2026-11-21", "source": "my contract",
    ///   "entries": [{
    ///     "provider": "wavespeed", "model": "gpt-image-2", "as_of": "2026-11-21",
    ///     "source": "my invoice", "currency": "USD",
    ///     "pricing": {"kind": "per_image", "prices": [
    ///       {"size": "1024x1024", "quality": "high", "price": "0.2"}]}
    ///   }]
    /// }"#).unwrap();
    /// assert!(table.get("wavespeed", "gpt-image-2").is_some());
    /// ```
    pub fn from_json(text: &str) -> Result<PriceTable, PriceError> {
        let table: PriceTable = crate::load::from_str(text)
            .map_err(|e| PriceError::InvalidTable(place_in_pricing(text, e)))?;
        table.check().map_err(PriceError::InvalidTable)?;
        Ok(table)
    }

    /// The built-in table (`data/prices.json`), read on first use.
    ///
    /// ```
    /// use gpt_image_plan::price::PriceTable;
    /// let openai = PriceTable::builtin().get("openai", "gpt-image-2").unwrap();
    /// assert_eq!(openai.currency.as_str(), "USD");
    /// ```
    pub fn builtin() -> &'static PriceTable {
        static TABLE: LazyLock<PriceTable> = LazyLock::new(|| {
            // A test reads the same text; a failure here is a defect in the
            // shipped data, not in caller input.
            PriceTable::from_json(BUILTIN_JSON).unwrap_or_else(|e| panic!("built-in {e}"))
        });
        &TABLE
    }

    /// The built-in table with `overrides` laid over it.
    ///
    /// # Errors
    /// [`PriceError::InvalidTable`] when `overrides` is not a valid table.
    ///
    /// ```
    /// use gpt_image_plan::price::PriceTable;
    /// let table = PriceTable::builtin_with(r#"{"as_of": "2026-11-22", "source": "mine", "entries": [
    ///   {"provider": "openai", "model": "gpt-image-1", "as_of": "2026-11-22", "source": "discount",
    ///    "currency": "USD", "pricing": {"kind": "token", "text_input_per_million": "4",
    ///    "image_input_per_million": "8", "image_output_per_million": "30",
    ///    "output_tokens": "gpt_image_1_table"}}]}"#).unwrap();
    /// assert_eq!(table.get("openai", "gpt-image-1").unwrap().source, "discount");
    /// assert!(table.get("openai", "dall-e-3").is_some());
    /// ```
    pub fn builtin_with(overrides: &str) -> Result<PriceTable, PriceError> {
        let overrides = PriceTable::from_json(overrides)?;
        let mut table = PriceTable::builtin().clone();
        table.merge(overrides);
        Ok(table)
    }

    /// Lays `overrides` over this table: its entries replace entries for the
    /// same provider and model and add the others; its token tables replace
    /// those of the same name. This table's `as_of` and `source` are kept.
    ///
    /// ```
    /// use gpt_image_plan::price::PriceTable;
    /// let mut table = PriceTable::builtin().clone();
    /// let before = table.entries.len();
    /// table.merge(PriceTable::builtin().clone());
    /// assert_eq!(table.entries.len(), before);
    /// ```
    pub fn merge(&mut self, overrides: PriceTable) {
        self.token_tables.extend(overrides.token_tables);
        for entry in overrides.entries {
            match self
                .entries
                .iter_mut()
                .find(|e| e.provider == entry.provider && e.model == entry.model)
            {
                Some(slot) => *slot = entry,
                None => self.entries.push(entry),
            }
        }
    }

    /// The entry for `provider` and served `model`.
    ///
    /// ```
    /// use gpt_image_plan::price::PriceTable;
    /// assert!(PriceTable::builtin().get("openai", "dall-e-3").is_some());
    /// assert!(PriceTable::builtin().get("wavespeed", "gpt-image-2").is_none());
    /// ```
    pub fn get(&self, provider: &str, model: &str) -> Option<&PriceEntry> {
        self.entries
            .iter()
            .find(|e| e.provider == provider && e.model == model)
    }

    /// The checks the schema cannot express: nothing listed twice, no
    /// empty names, no negative prices, token prices exact to nine decimals,
    /// thresholds that rise.
    fn check(&self) -> Result<(), LoadError> {
        for (name, table) in &self.token_tables {
            for (i, row) in table.rows.iter().enumerate() {
                if table.rows[..i]
                    .iter()
                    .any(|r| r.size == row.size && r.quality == row.quality)
                {
                    return Err(LoadError::placed(
                        LoadErrorKind::Duplicate,
                        format!("token_tables.{name}.rows[{i}]"),
                        format!(
                            "token table \"{name}\" lists size \"{}\" at quality \"{}\" twice",
                            row.size, row.quality
                        ),
                    ));
                }
            }
        }
        for (i, entry) in self.entries.iter().enumerate() {
            let at = format!("entries[{i}]");
            let name = format!("entry \"{}\" at \"{}\"", entry.model, entry.provider);
            if entry.provider.is_empty() || entry.model.is_empty() {
                return Err(LoadError::placed(
                    LoadErrorKind::EmptyName,
                    at,
                    "an entry has an empty provider or model".into(),
                ));
            }
            if self.entries[..i]
                .iter()
                .any(|e| e.provider == entry.provider && e.model == entry.model)
            {
                return Err(LoadError::placed(
                    LoadErrorKind::Duplicate,
                    at,
                    format!("{name} is listed twice"),
                ));
            }
            check_pricing(&entry.pricing).map_err(|p| {
                LoadError::placed(
                    p.kind,
                    format!("{at}.pricing{}", p.at),
                    format!("{name}: {}", p.message),
                )
            })?;
        }
        Ok(())
    }
}

/// A broken rule inside one entry's pricing, `at` the path below `pricing`.
struct Problem {
    kind: LoadErrorKind,
    at: String,
    message: String,
}

fn problem(kind: LoadErrorKind, at: String, message: String) -> Result<(), Problem> {
    Err(Problem { kind, at, message })
}

fn non_negative(at: String, what: &str, amount: Amount) -> Result<(), Problem> {
    if amount.is_negative() {
        problem(
            LoadErrorKind::Negative,
            at,
            format!("{what} \"{amount}\" is negative"),
        )
    } else {
        Ok(())
    }
}

fn check_pricing(pricing: &Pricing) -> Result<(), Problem> {
    match pricing {
        Pricing::Token(t) => {
            for (what, amount) in [
                ("text_input_per_million", t.text_input_per_million),
                ("image_input_per_million", t.image_input_per_million),
                ("image_output_per_million", t.image_output_per_million),
            ] {
                non_negative(format!(".{what}"), what, amount)?;
                if amount.decimals() > 9 {
                    return problem(
                        LoadErrorKind::TooPrecise,
                        format!(".{what}"),
                        format!(
                            "{what} \"{amount}\" has more than 9 decimals, so token costs would not be exact"
                        ),
                    );
                }
            }
            Ok(())
        }
        Pricing::PerImage(p) => {
            for (i, row) in p.prices.iter().enumerate() {
                non_negative(format!(".prices[{i}].price"), "price", row.price)?;
                if p.prices[..i]
                    .iter()
                    .any(|r| r.size == row.size && r.quality == row.quality)
                {
                    return problem(
                        LoadErrorKind::Duplicate,
                        format!(".prices[{i}]"),
                        format!(
                            "size \"{}\" at quality \"{}\" is listed twice",
                            row.size, row.quality
                        ),
                    );
                }
            }
            Ok(())
        }
        Pricing::TierMatrix(t) => check_tiers(t, ""),
        Pricing::ByReturnedSize(r) => {
            if let Reservation::PerImage(amount) = r.reservation {
                non_negative(".reservation.per_image".into(), "reservation", amount)?;
            }
            r.tiers
                .as_ref()
                .map_or(Ok(()), |t| check_tiers(t, ".tiers"))
        }
    }
}

fn check_tiers(t: &TierPricing, at: &str) -> Result<(), Problem> {
    for (tier, row) in &t.prices {
        for (quality, &amount) in row {
            non_negative(format!("{at}.prices.{tier}.{quality}"), "price", amount)?;
        }
    }
    let at = format!("{at}.tier_rule");
    if let TierRule::LongEdge { thresholds } | TierRule::Pixels { thresholds } = &t.tier_rule {
        if thresholds.is_empty() {
            return problem(
                LoadErrorKind::Thresholds,
                at,
                "tier_rule has no thresholds".into(),
            );
        }
        let mut previous: Option<u64> = None;
        for (i, step) in thresholds.iter().enumerate() {
            match step.max {
                None if i + 1 != thresholds.len() => {
                    return problem(
                        LoadErrorKind::Thresholds,
                        format!("{at}.thresholds[{i}]"),
                        format!(
                            "tier_rule: tier {} has no max but is not the last",
                            step.tier
                        ),
                    );
                }
                Some(max) if previous.is_some_and(|p| max <= p) => {
                    return problem(
                        LoadErrorKind::Thresholds,
                        format!("{at}.thresholds[{i}]"),
                        format!(
                            "tier_rule: tier {} max {max} is not above the tier before it",
                            step.tier
                        ),
                    );
                }
                _ => previous = step.max,
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn refused(text: &str) -> LoadError {
        match PriceTable::from_json(text) {
            Err(PriceError::InvalidTable(e)) => e,
            other => panic!("not refused as a table: {other:?}"),
        }
    }

    #[track_caller]
    /// The index of the built-in entry for `provider` and `model`.
    fn at(provider: &str, model: &str) -> usize {
        PriceTable::builtin()
            .entries
            .iter()
            .position(|e| e.provider == provider && e.model == model)
            .unwrap()
    }

    fn builtin_with(from: &str, to: &str) -> String {
        let text = BUILTIN_JSON.replacen(from, to, 1);
        assert_ne!(text, BUILTIN_JSON, "the built-in table changed shape");
        text
    }

    #[test]
    fn the_builtin_table_is_the_data_file() {
        let table = PriceTable::builtin();
        assert_eq!(table, &PriceTable::from_json(BUILTIN_JSON).unwrap());
        // Pinned values, so an empty table cannot pass.
        assert_eq!(table.entries.len(), 20);
        assert_eq!(table.as_of.to_string(), "2026-12-03");
        let pixapi = table.get("pixapi", "gpt-image-2").unwrap();
        let Pricing::TierMatrix(tiers) = &pixapi.pricing else {
            panic!("{pixapi:?}");
        };
        assert_eq!(
            tiers.price(Tier::K4, Quality::High),
            Some(Amount::whole(133))
        );
        assert_eq!(table.token_tables["gpt_image_1_table"].rows.len(), 9);
    }

    #[test]
    fn a_tier_or_quality_key_given_twice_is_refused() {
        let text = builtin_with(
            r#""1K": { "low": "1","#,
            r#""1K": { "low": "1", "low": "2","#,
        );
        let err = refused(&text);
        assert_eq!(err.kind(), LoadErrorKind::Duplicate);
        let i = at("pixapi", "gpt-image-2");
        assert_eq!(err.path(), format!("entries[{i}].pricing.prices.1K"));
        assert_eq!(
            err.to_string(),
            format!(r#"entries[{i}].pricing.prices.1K: field "low" is given twice"#)
        );
    }

    #[test]
    fn a_token_table_name_given_twice_is_refused() {
        let text = builtin_with(
            r#""token_tables": {"#,
            r#""token_tables": { "t": {"source": "s", "rows": []}, "t": {"source": "s", "rows": []},"#,
        );
        assert_eq!(
            refused(&text).to_string(),
            r#"token_tables: field "t" is given twice"#
        );
    }

    #[test]
    fn a_struct_field_given_twice_is_refused() {
        let text = builtin_with(
            r#""as_of": "2026-12-03","#,
            r#""as_of": "2026-12-03", "as_of": "2026-11-22","#,
        );
        let err = refused(&text);
        assert_eq!(err.kind(), LoadErrorKind::Duplicate);
        assert_eq!(err.to_string(), r#"field "as_of" is given twice"#);
    }

    #[test]
    fn a_null_where_a_defaulted_field_takes_no_null_is_refused() {
        let text = builtin_with(
            r#""partial_image_tokens": 100"#,
            r#""partial_image_tokens": null"#,
        );
        let err = refused(&text);
        assert_eq!(err.kind(), LoadErrorKind::Schema);
        assert_eq!(
            err.to_string(),
            "entries[0].pricing.partial_image_tokens: invalid type: null, expected u64"
        );
    }

    #[test]
    fn an_error_in_a_pricing_object_names_the_member() {
        let text = builtin_with(r#""price": "0.04""#, r#""price": 0.04"#);
        let err = refused(&text);
        let i = at("openai", "dall-e-3");
        assert_eq!(err.path(), format!("entries[{i}].pricing.prices[0].price"));
        // The entries given again, in another shape: a key given twice is
        // refused before anything is read.
        let twice = format!(
            "{}, \"entries\": 5}}",
            text.trim_end().trim_end_matches('}')
        );
        let err = refused(&twice);
        assert_eq!(err.kind(), LoadErrorKind::Duplicate);
        assert_eq!(err.to_string(), r#"field "entries" is given twice"#);
    }

    #[test]
    fn a_long_wrong_value_is_quoted_in_part() {
        let long = "x".repeat(10_000);
        let text = builtin_with(
            r#""partial_image_tokens": 100"#,
            &format!(r#""partial_image_tokens": "{long}""#),
        );
        let message = refused(&text).to_string();
        let path = "entries[0].pricing.partial_image_tokens: ";
        assert_eq!(message.chars().count(), path.len() + 256 + 3);
        assert!(
            message.starts_with(&format!(r#"{path}invalid type: string "xxx"#)),
            "{message}"
        );
        assert!(message.ends_with("xxx..."), "{message}");
    }

    #[test]
    fn text_after_the_table_is_refused_with_its_position() {
        let err = refused(&format!("{BUILTIN_JSON} x"));
        assert_eq!(err.kind(), LoadErrorKind::Syntax);
        assert_eq!(err.path(), "");
        assert!(
            err.to_string().starts_with("trailing characters at line"),
            "{err}"
        );
    }

    #[test]
    fn check_errors_name_the_entry_and_carry_the_path() {
        let text = builtin_with(r#""high": "133""#, r#""high": "-133""#);
        let err = refused(&text);
        assert_eq!(err.kind(), LoadErrorKind::Negative);
        let i = at("pixapi", "gpt-image-2");
        assert_eq!(err.path(), format!("entries[{i}].pricing.prices.4K.high"));
        assert_eq!(
            err.to_string(),
            r##"entry "gpt-image-2" at "pixapi": price "-133" is negative"##
        );
        let text = builtin_with(
            r#"{ "size": "1024x1536", "quality": "low", "tokens": 408 }"#,
            r#"{ "size": "1024x1024", "quality": "low", "tokens": 408 }"#,
        );
        let err = refused(&text);
        assert_eq!(err.kind(), LoadErrorKind::Duplicate);
        assert_eq!(err.path(), "token_tables.gpt_image_1_table.rows[1]");
        assert_eq!(
            err.to_string(),
            r#"token table "gpt_image_1_table" lists size "1024x1024" at quality "low" twice"#
        );
    }
}
