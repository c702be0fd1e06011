//! Billing: what a request will cost, what a reserving provider will hold
//! back, and what the call did cost.
//!
//! Prices are dated data ([`PriceTable`], built in from `data/prices.json`,
//! schema in `docs/price-table.md`), one [`PriceEntry`] per provider and
//! served model, in one of four [`Pricing`] models: tokens (OpenAI's GPT
//! image models), a fixed price per image (DALL-E), a tier matrix (resellers
//! that bill 1K/2K/4K tiers) and billing by the returned size (reserve, then
//! settle).
//!
//! [`estimate`] prices a request before the call. Everything is a range
//! ([`Bounds`]): `size: "auto"`, `quality: "auto"`, a provider that may
//! return fewer images and a prompt whose tokens are only estimated (no
//! tokenizer is built in) widen it, and each reason is a [`Note`]. When all
//! is known the range is a single value. [`reconcile`] prices what came back
//! (images, their sizes, the response's `usage` block) and compares it with
//! the reservation.
//!
//! Money is exact: an [`Amount`] is a whole number of 10^-15 currency units,
//! printed as a plain decimal string. Credits are a [`Currency`] like USD.
//!
//! ```
//! use gpt_image_plan::{builtin_profile, ImageRequest, Quality, Size};
//! use gpt_image_plan::price::estimate_builtin;
//!
//! let mut req = ImageRequest::new("gpt-image-2", "");
//! req.size = Some(Size::new(1024, 1024).into());
//! req.set("quality", Quality::High);
//! let est = estimate_builtin(&req, builtin_profile("openai").unwrap()).unwrap();
//! assert_eq!(est.images[0].output_image_tokens.unwrap().max, 7024);
//! assert_eq!(est.total.max.to_string(), "0.21072");
//! assert!(est.total.is_exact());
//! ```
//!
//! A provider without published prices is an error, never a guess:
//!
//! ```
//! use gpt_image_plan::{builtin_profile, ImageRequest};
//! use gpt_image_plan::price::estimate_builtin;
//!
//! let req = ImageRequest::new("gpt-image-2", "an otter");
//! let err = estimate_builtin(&req, builtin_profile("wavespeed").unwrap()).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     r#"no published price for "gpt-image-2" at "wavespeed": the price table has no entry for it"#
//! );
//! ```

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::text::wire_enum;

mod estimate;
mod money;
mod reconcile;
mod table;
mod tokens;

pub use crate::load::{LoadError, LoadErrorKind};

pub use estimate::{Estimate, ImageLine, estimate, estimate_builtin};
pub use money::{AMOUNT_DECIMALS, Amount, Bounds, Currency, ParseAmountError, ParseCurrencyError};
pub use reconcile::{
    InputTokensDetails, OutputTokensDetails, Reconciled, Returned, Usage, UsageCost, reconcile,
};
pub use table::{
    Basis, FactorTokens, NamedTokens, OutputTokens, ParseOutputTokensError, PerImagePricing,
    PriceEntry, PriceTable, Pricing, Reservation, ReturnedSizePricing, ScalePercent, SizePrice,
    Threshold, TierPricing, TierRule, TokenFormula, TokenPricing, TokenRow, TokenTable,
};
pub use tokens::{
    CHARS_PER_TOKEN, MAX_TOKEN_BYTES, PromptTokens, estimate_prompt_tokens, formula_output_tokens,
    gpt_image_2_output_tokens, gpt_image_2_quality_factor,
};

/// Why a request could not be priced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PriceError {
    /// A price table is not JSON, breaks the schema, or contradicts itself.
    #[error("price table is not valid: {0}")]
    InvalidTable(LoadError),
    /// The request names no model and the profile has no default.
    #[error("model: missing; \"{provider}\" needs a model name to price the request")]
    NoModel {
        /// The profile id.
        provider: String,
    },
    /// The request's model is not served by the profile.
    #[error("model \"{model}\": not served by {provider}")]
    UnknownModel {
        /// The profile id.
        provider: String,
        /// The model name as given.
        model: String,
    },
    /// The price table has no entry for the provider and model.
    #[error(
        "no published price for \"{model}\" at \"{provider}\": the price table has no entry for it"
    )]
    NoPriceEntry {
        /// The provider id looked up.
        provider: String,
        /// The served model name looked up.
        model: String,
    },
    /// The entry exists but has no price for what the request asks.
    #[error("no published price for \"{model}\" at \"{provider}\": {detail}")]
    NoPrice {
        /// The entry's provider.
        provider: String,
        /// The entry's model.
        model: String,
        /// What is missing.
        detail: String,
    },
    /// `n` is 0.
    #[error("n 0: there are no images to price")]
    NoImages,
    /// A total does not fit the exact amount type (only for absurd counts or prices).
    #[error("the cost is too large to compute exactly")]
    Overflow,
    /// A returned result lists sizes that cannot be matched to its images.
    #[error(
        "returned {sizes} sizes for {images} images; give no size, one for every image, or one per image"
    )]
    ReturnedMismatch {
        /// The number of images returned.
        images: u32,
        /// The number of sizes given.
        sizes: usize,
    },
    /// A response body could not be read.
    #[error("response is not valid: {0}")]
    InvalidResponse(LoadError),
}

impl PriceError {
    /// A stable code for the error, for callers that match on it:
    /// `price.invalid_table`, `price.no_model`, `price.unknown_model`,
    /// `price.no_price_entry`, `price.no_price`, `price.no_images`,
    /// `price.overflow`, `price.returned_mismatch` or `price.invalid_response`.
    ///
    /// ```
    /// use gpt_image_plan::price::PriceError;
    /// assert_eq!(PriceError::NoImages.code(), "price.no_images");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            PriceError::InvalidTable(_) => "price.invalid_table",
            PriceError::NoModel { .. } => "price.no_model",
            PriceError::UnknownModel { .. } => "price.unknown_model",
            PriceError::NoPriceEntry { .. } => "price.no_price_entry",
            PriceError::NoPrice { .. } => "price.no_price",
            PriceError::NoImages => "price.no_images",
            PriceError::Overflow => "price.overflow",
            PriceError::ReturnedMismatch { .. } => "price.returned_mismatch",
            PriceError::InvalidResponse(_) => "price.invalid_response",
        }
    }
}

wire_enum! {
    /// Why an estimate is a range, or where a figure comes from.
    NoteKind, "note_kind" {
        /// Output tokens come from the community gpt-image-2 formula.
        OutputTokensEstimated = "output_tokens_estimated",
        /// No token formula is known for the model: the count is a range.
        OutputTokensRange = "output_tokens_range",
        /// Prompt tokens are estimated from the prompt's length.
        PromptTokensEstimated = "prompt_tokens_estimated",
        /// `quality: "auto"`: the range covers the qualities the model may pick.
        QualityAuto = "quality_auto",
        /// `quality: "auto"` is billed as one fixed quality.
        QualityBilledAs = "quality_billed_as",
        /// No quality was given and the provider names no default.
        QualityUnknown = "quality_unknown",
        /// The provider ignores `quality`; it is priced as `auto`.
        QualityNoEffect = "quality_no_effect",
        /// `size: "auto"`: the range covers the sizes the model may pick.
        SizeAuto = "size_auto",
        /// `size: "auto"` is billed as one fixed tier.
        SizeBilledAs = "size_billed_as",
        /// No size was given and the provider names no default.
        SizeUnknown = "size_unknown",
        /// The provider may return fewer images than asked.
        MayReturnFewer = "may_return_fewer",
        /// `n` is sent as several calls; the prompt is billed on each.
        SplitCalls = "split_calls",
        /// Streamed partial images add output tokens.
        PartialImages = "partial_images",
        /// The provider reserves the maximum and settles later.
        Reservation = "reservation",
        /// The cost comes from the response's usage block.
        Usage = "usage",
        /// No usage block came back, so token counts stay estimates.
        NoUsage = "no_usage",
        /// A usage block came back but this provider does not bill tokens.
        UsageIgnored = "usage_ignored",
    }
}

/// One thing to know about an estimate: a stable kind and a message.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Note {
    /// What the note is about.
    pub kind: NoteKind,
    /// The explanation, lowercase, no trailing period.
    pub message: Cow<'static, str>,
}

/// Adds a note unless the same one is already there.
pub(crate) fn note(notes: &mut Vec<Note>, kind: NoteKind, message: impl Into<Cow<'static, str>>) {
    let message = message.into();
    if !notes.iter().any(|n| n.kind == kind && n.message == message) {
        notes.push(Note { kind, message });
    }
}
