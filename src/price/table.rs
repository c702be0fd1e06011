//! The price table: how each provider bills each model it serves, as dated data.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::PriceError;
use super::money::{Amount, Currency};
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
#[serde(deny_unknown_fields)]
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
/// In JSON, `"gpt_image_2_formula"` or the name of a table in the price
/// table's `token_tables`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutputTokens {
    /// [`gpt_image_2_output_tokens`](super::gpt_image_2_output_tokens): the
    /// community formula for gpt-image-2 (an estimate).
    Gpt2Formula,
    /// A [`TokenTable`] by name.
    Table(String),
}

const FORMULA_NAME: &str = "gpt_image_2_formula";

impl fmt::Display for OutputTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputTokens::Gpt2Formula => f.write_str(FORMULA_NAME),
            OutputTokens::Table(name) => f.write_str(name),
        }
    }
}

/// Why a text is not an [`OutputTokens`] name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("output_tokens is empty; expected \"gpt_image_2_formula\" or a token table name")]
pub struct ParseOutputTokensError;

impl FromStr for OutputTokens {
    type Err = ParseOutputTokensError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "" => Err(ParseOutputTokensError),
            FORMULA_NAME => Ok(OutputTokens::Gpt2Formula),
            name => Ok(OutputTokens::Table(name.to_owned())),
        }
    }
}
serde_via_str!(OutputTokens);

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

/// `data/prices.json` as embedded text: the reference the generated built-in
/// table is tested against.
#[cfg(test)]
pub(crate) const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/data/prices.json"));

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
        let invalid = |e: &dyn fmt::Display| PriceError::InvalidTable(e.to_string());
        let doc = crate::json::parse::parse(text).map_err(|e| invalid(&e))?;
        let table = super::read::table(&doc).map_err(|e| invalid(&e))?;
        table.check().map_err(PriceError::InvalidTable)?;
        Ok(table)
    }

    /// The built-in table (`data/prices.json`), built once.
    ///
    /// The build script turns the JSON file into Rust that builds the table
    /// directly, so no JSON is read here; tests check that it equals what
    /// [`PriceTable::from_json`] reads from the same file and passes the same
    /// checks.
    ///
    /// ```
    /// use gpt_image_plan::price::PriceTable;
    /// let openai = PriceTable::builtin().get("openai", "gpt-image-2").unwrap();
    /// assert_eq!(openai.currency.as_str(), "USD");
    /// ```
    pub fn builtin() -> &'static PriceTable {
        static TABLE: OnceLock<PriceTable> = OnceLock::new();
        TABLE.get_or_init(super::builtin::generated)
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

    pub(super) fn check(&self) -> Result<(), String> {
        for (name, table) in &self.token_tables {
            for (i, row) in table.rows.iter().enumerate() {
                if table.rows[..i]
                    .iter()
                    .any(|r| r.size == row.size && r.quality == row.quality)
                {
                    return Err(format!(
                        "token table \"{name}\" lists size \"{}\" at quality \"{}\" twice",
                        row.size, row.quality
                    ));
                }
            }
        }
        for (i, entry) in self.entries.iter().enumerate() {
            let at = || format!("entry \"{}\" at \"{}\"", entry.model, entry.provider);
            if entry.provider.is_empty() || entry.model.is_empty() {
                return Err("an entry has an empty provider or model".into());
            }
            if self.entries[..i]
                .iter()
                .any(|e| e.provider == entry.provider && e.model == entry.model)
            {
                return Err(format!("{} is listed twice", at()));
            }
            check_pricing(&entry.pricing).map_err(|problem| format!("{}: {problem}", at()))?;
        }
        Ok(())
    }
}

fn non_negative(what: &str, amount: Amount) -> Result<(), String> {
    if amount.is_negative() {
        Err(format!("{what} \"{amount}\" is negative"))
    } else {
        Ok(())
    }
}

fn check_pricing(pricing: &Pricing) -> Result<(), String> {
    match pricing {
        Pricing::Token(t) => {
            for (what, amount) in [
                ("text_input_per_million", t.text_input_per_million),
                ("image_input_per_million", t.image_input_per_million),
                ("image_output_per_million", t.image_output_per_million),
            ] {
                non_negative(what, amount)?;
                if amount.decimals() > 9 {
                    return Err(format!(
                        "{what} \"{amount}\" has more than 9 decimals, so token costs would not be exact"
                    ));
                }
            }
            Ok(())
        }
        Pricing::PerImage(p) => {
            for (i, row) in p.prices.iter().enumerate() {
                non_negative("price", row.price)?;
                if p.prices[..i]
                    .iter()
                    .any(|r| r.size == row.size && r.quality == row.quality)
                {
                    return Err(format!(
                        "size \"{}\" at quality \"{}\" is listed twice",
                        row.size, row.quality
                    ));
                }
            }
            Ok(())
        }
        Pricing::TierMatrix(t) => check_tiers(t),
        Pricing::ByReturnedSize(r) => {
            if let Reservation::PerImage(amount) = r.reservation {
                non_negative("reservation", amount)?;
            }
            r.tiers.as_ref().map_or(Ok(()), check_tiers)
        }
    }
}

fn check_tiers(t: &TierPricing) -> Result<(), String> {
    for row in t.prices.values() {
        for &amount in row.values() {
            non_negative("price", amount)?;
        }
    }
    if let TierRule::LongEdge { thresholds } | TierRule::Pixels { thresholds } = &t.tier_rule {
        if thresholds.is_empty() {
            return Err("tier_rule has no thresholds".into());
        }
        let mut previous: Option<u64> = None;
        for (i, step) in thresholds.iter().enumerate() {
            match step.max {
                None if i + 1 != thresholds.len() => {
                    return Err(format!(
                        "tier_rule: tier {} has no max but is not the last",
                        step.tier
                    ));
                }
                Some(max) if previous.is_some_and(|p| max <= p) => {
                    return Err(format!(
                        "tier_rule: tier {} max {max} is not above the tier before it",
                        step.tier
                    ));
                }
                _ => previous = step.max,
            }
        }
    }
    Ok(())
}
