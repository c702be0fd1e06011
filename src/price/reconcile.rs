//! Pricing what came back, and comparing it with the reservation.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::estimate::{Ctx, ImageLine, served_model, times};
use super::money::{Amount, Bounds, Currency};
use super::table::{Basis, PriceTable, Pricing};
use super::tokens::PromptTokens;
use super::{LoadError, LoadErrorKind, Note, NoteKind, PriceError, note};
use crate::params::Quality;
use crate::profile::Profile;
use crate::request::ImageRequest;
use crate::size::{Size, SizeSpec};

/// What a call returned, as far as billing cares.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Returned {
    /// How many images came back.
    pub images: u32,
    /// Their sizes: empty when unknown, one size for every image, or one per image.
    #[serde(default)]
    pub sizes: Vec<Size>,
    /// The quality the model used, when the response says (OpenAI's GPT image
    /// responses carry a top-level `quality`).
    #[serde(default)]
    pub quality: Option<Quality>,
    /// The response's `usage` block, when present.
    #[serde(default)]
    pub usage: Option<Usage>,
}

/// A response's `usage` block (OpenAI's shape; unknown fields are ignored).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// All input tokens.
    #[serde(default)]
    pub input_tokens: u64,
    /// All output tokens.
    #[serde(default)]
    pub output_tokens: u64,
    /// Input tokens by kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens_details: Option<InputTokensDetails>,
    /// Output tokens by kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens_details: Option<OutputTokensDetails>,
}

/// `usage.input_tokens_details`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputTokensDetails {
    /// Prompt text tokens.
    #[serde(default)]
    pub text_tokens: u64,
    /// Input image tokens.
    #[serde(default)]
    pub image_tokens: u64,
}

/// `usage.output_tokens_details`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputTokensDetails {
    /// Text output tokens.
    #[serde(default)]
    pub text_tokens: u64,
    /// Image output tokens.
    #[serde(default)]
    pub image_tokens: u64,
}

/// The cost of a usage block, part by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageCost {
    /// Text input tokens billed.
    pub text_input_tokens: u64,
    /// Image input tokens billed.
    pub image_input_tokens: u64,
    /// Output tokens billed.
    pub output_tokens: u64,
    /// Their text input cost.
    pub text_input: Amount,
    /// Their image input cost.
    pub image_input: Amount,
    /// Their output cost.
    pub output: Amount,
}

/// What a call cost, next to what was reserved for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciled {
    /// The provider of the price entry used.
    pub provider: String,
    /// The served model of the price entry used.
    pub model: String,
    /// The unit of every amount.
    pub currency: Currency,
    /// The pricing model.
    pub basis: Basis,
    /// The cost; exact (`min == max`) when everything billed is known, which
    /// for token pricing needs the usage block.
    pub cost: Bounds<Amount>,
    /// The reservation the estimate gave (see [`Estimate::reservation`](super::Estimate::reservation)).
    pub reserved: Amount,
    /// `reserved - cost`: what is released (positive) or owed on top (negative).
    pub difference: Bounds<Amount>,
    /// The images billed, by size; empty when the usage block decides.
    pub images: Vec<ImageLine>,
    /// The prompt's estimated tokens per call, when text is billed and no
    /// usage block came back.
    pub prompt_tokens: Option<PromptTokens>,
    /// The prompt's cost over all calls, when priced without a usage block.
    pub prompt_cost: Option<Bounds<Amount>>,
    /// The usage block's cost, when it decides.
    pub usage: Option<UsageCost>,
    /// Where the figures come from.
    pub notes: Vec<Note>,
}

impl Returned {
    /// Reads what billing needs from a response body: the number of images
    /// (`data` in OpenAI's shape, `data.outputs` in WaveSpeed's), the
    /// top-level `size` and `quality` when present, and `usage` when it holds
    /// token counts (an empty `{}` is treated as absent).
    ///
    /// # Errors
    /// [`PriceError::InvalidResponse`] when the text is not JSON, has no
    /// image list, or has a `usage` block of the wrong shape.
    ///
    /// ```
    /// use gpt_image_plan::price::Returned;
    /// let r = Returned::from_response_json(r#"{"created": 1, "size": "1024x1536", "quality": "high",
    ///   "data": [{"b64_json": "..."}],
    ///   "usage": {"input_tokens": 12, "output_tokens": 6240, "total_tokens": 6252,
    ///             "input_tokens_details": {"text_tokens": 12, "image_tokens": 0}}}"#).unwrap();
    /// assert_eq!(r.images, 1);
    /// assert_eq!(r.usage.unwrap().output_tokens, 6240);
    /// ```
    pub fn from_response_json(text: &str) -> Result<Returned, PriceError> {
        let invalid = |kind, path: &str, message: &str| {
            PriceError::InvalidResponse(LoadError::placed(kind, path.into(), message.into()))
        };
        let body: Value = serde_json::from_str(text)
            .map_err(|e| PriceError::InvalidResponse(LoadError::from_json(String::new(), e)))?;
        let data = body
            .get("data")
            .ok_or_else(|| invalid(LoadErrorKind::NoImages, "", "no \"data\" field"))?;
        let list = data
            .as_array()
            .or_else(|| data.get("outputs").and_then(Value::as_array))
            .ok_or_else(|| {
                let message = "\"data\" is not a list of images";
                invalid(LoadErrorKind::NoImages, "data", message)
            })?;
        let images = u32::try_from(list.len())
            .map_err(|_| invalid(LoadErrorKind::Schema, "data", "too many images"))?;
        let sizes = body
            .get("size")
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<Size>().ok())
            .into_iter()
            .collect();
        let quality = body
            .get("quality")
            .and_then(Value::as_str)
            .and_then(|q| q.parse::<Quality>().ok())
            .filter(|q| *q != Quality::Auto);
        let usage = match body.get("usage") {
            Some(u) if u.get("input_tokens").is_some() || u.get("output_tokens").is_some() => Some(
                crate::load::from_value(u)
                    .map_err(|e| PriceError::InvalidResponse(e.under("usage")))?,
            ),
            _ => None,
        };
        Ok(Returned {
            images,
            sizes,
            quality,
            usage,
        })
    }
}

/// Prices what a call returned for `request`, with `table`'s entry for
/// `profile`'s id and the request's served model, and compares it with the
/// reservation [`estimate`](super::estimate) gives for the same request.
///
/// Token pricing uses the usage block when there is one (exact); without it
/// the returned sizes and quality are priced like an estimate. Tier pricing
/// bills what its rules say: a requested size and `auto` billed as a fixed
/// tier stay as asked, while billing by the returned size uses the sizes
/// that came back.
///
/// # Errors
/// As [`estimate`](super::estimate), plus [`PriceError::ReturnedMismatch`]
/// when the number of sizes fits neither all images nor each image.
///
/// ```
/// use gpt_image_plan::{builtin_profile, ImageRequest, Quality, Size};
/// use gpt_image_plan::price::{reconcile, PriceTable, Returned, Usage};
///
/// let mut req = ImageRequest::new("gpt-image-1", "an otter");
/// req.size = Some(Size::new(1024, 1536).into());
/// req.set("quality", Quality::High);
/// let returned = Returned {
///     images: 1,
///     usage: Some(Usage { input_tokens: 4, output_tokens: 6240, ..Usage::default() }),
///     ..Returned::default()
/// };
/// let openai = builtin_profile("openai").unwrap();
/// let rec = reconcile(&req, openai, PriceTable::builtin(), &returned).unwrap();
/// assert_eq!(rec.cost.min.to_string(), "0.24962"); // 6240 * 40 / 1M + 4 * 5 / 1M
/// assert!(rec.cost.is_exact());
/// ```
pub fn reconcile(
    request: &ImageRequest,
    profile: &Profile,
    table: &PriceTable,
    returned: &Returned,
) -> Result<Reconciled, PriceError> {
    let served = served_model(request, profile)?;
    let ctx = Ctx {
        table,
        entry: table.entry(&profile.id, &served.name)?,
        profile,
        served,
    };
    ctx.reconcile(request, returned)
}

impl PriceTable {
    /// [`reconcile`] with this table's entry for `provider` and `model`,
    /// whatever the profile's id (see [`PriceTable::estimate_as`]).
    ///
    /// # Errors
    /// As [`reconcile`].
    ///
    /// ```
    /// use gpt_image_plan::{builtin_profile, ImageRequest, Size};
    /// use gpt_image_plan::price::{PriceTable, Returned};
    ///
    /// let mut req = ImageRequest::new("gpt-image-2", "a fox");
    /// req.size = Some(Size::new(2048, 2048).into());
    /// let returned = Returned { images: 1, ..Returned::default() };
    /// let openai = builtin_profile("openai").unwrap();
    /// let rec = PriceTable::builtin().reconcile_as("pixapi", "gpt-image-2", &req, openai, &returned).unwrap();
    /// // quality defaults to auto, which PixAPI bills as high: 2K high is 67 credits.
    /// assert_eq!(rec.cost.max.to_string(), "67");
    /// ```
    pub fn reconcile_as(
        &self,
        provider: &str,
        model: &str,
        request: &ImageRequest,
        profile: &Profile,
        returned: &Returned,
    ) -> Result<Reconciled, PriceError> {
        let ctx = Ctx {
            table: self,
            entry: self.entry(provider, model)?,
            profile,
            served: served_model(request, profile)?,
        };
        ctx.reconcile(request, returned)
    }
}

impl Ctx<'_> {
    fn reconcile(
        &self,
        request: &ImageRequest,
        returned: &Returned,
    ) -> Result<Reconciled, PriceError> {
        let reserved = self.estimate(request)?.reservation;
        let mut notes = Vec::new();
        let r = self.resolve(request, &mut notes)?;
        notes.retain(|n| n.kind != NoteKind::MayReturnFewer);
        let usage = returned.usage.filter(|u| {
            let known = u.input_tokens > 0 || u.output_tokens > 0;
            if !known {
                note(
                    &mut notes,
                    NoteKind::NoUsage,
                    "the usage block has no token counts, so it is ignored",
                );
            }
            known
        });
        let mut images = Vec::new();
        let (mut prompt_tokens, mut prompt_cost, mut usage_cost) = (None, None, None);
        let cost = match (&self.entry.pricing, usage) {
            (Pricing::Token(tp), Some(u)) => {
                let (text, image_in) = match u.input_tokens_details {
                    Some(d) => (d.text_tokens, d.image_tokens),
                    None => {
                        note(
                            &mut notes,
                            NoteKind::Usage,
                            "the usage block has no input_tokens_details, so every input token is priced as text",
                        );
                        (u.input_tokens, 0)
                    }
                };
                let text_out = u
                    .output_tokens_details
                    .map_or(0, |d| d.text_tokens.min(u.output_tokens));
                if text_out > 0 && tp.text_output_per_million.is_none() {
                    note(
                        &mut notes,
                        NoteKind::Usage,
                        "text output tokens are priced as image output tokens: the table has no text output price",
                    );
                }
                let price = |per_million: Amount, tokens: u64| {
                    Amount::per_million(per_million, tokens).ok_or(PriceError::Overflow)
                };
                let parts = UsageCost {
                    text_input_tokens: text,
                    image_input_tokens: image_in,
                    output_tokens: u.output_tokens,
                    text_input: price(tp.text_input_per_million, text)?,
                    image_input: price(tp.image_input_per_million, image_in)?,
                    output: match tp.text_output_per_million {
                        Some(text_rate) if text_out > 0 => {
                            price(tp.image_output_per_million, u.output_tokens - text_out)?
                                .checked_add(price(text_rate, text_out)?)
                                .ok_or(PriceError::Overflow)?
                        }
                        _ => price(tp.image_output_per_million, u.output_tokens)?,
                    },
                };
                note(
                    &mut notes,
                    NoteKind::Usage,
                    "the cost comes from the response's usage block",
                );
                usage_cost = Some(parts);
                let total = parts
                    .text_input
                    .checked_add(parts.image_input)
                    .and_then(|a| a.checked_add(parts.output))
                    .ok_or(PriceError::Overflow)?;
                Bounds::exact(total)
            }
            (pricing, usage) => {
                if usage.is_some() {
                    note(
                        &mut notes,
                        NoteKind::UsageIgnored,
                        "the usage block is ignored: this provider does not bill tokens",
                    );
                }
                if matches!(pricing, Pricing::Token(_)) {
                    note(
                        &mut notes,
                        NoteKind::NoUsage,
                        "no usage block came back, so token counts stay estimates",
                    );
                }
                let mut total = Bounds::exact(Amount::ZERO);
                for (size, count) in groups(returned)? {
                    let billed_size = self.billed_size(r.size, size);
                    let billed_quality = self.billed_quality(r.quality, returned.quality);
                    let priced = self.price_each(
                        billed_size,
                        billed_quality,
                        None,
                        r.partial_tokens,
                        &mut notes,
                    )?;
                    let count = Bounds::exact(count);
                    let cost = times(priced.each, count)?;
                    total = total.checked_add(cost).ok_or(PriceError::Overflow)?;
                    images.push(ImageLine {
                        count,
                        size: billed_size,
                        quality: billed_quality,
                        tier: priced.tier,
                        output_image_tokens: priced.tokens,
                        each: priced.each,
                        cost,
                    });
                }
                let prompt = request.prompt.as_deref().unwrap_or("");
                (prompt_tokens, prompt_cost) = self.prompt(prompt, r.calls, &mut notes)?;
                if let Some(p) = prompt_cost {
                    total = total.checked_add(p).ok_or(PriceError::Overflow)?;
                }
                total
            }
        };
        let difference = Bounds {
            min: reserved.checked_sub(cost.max).ok_or(PriceError::Overflow)?,
            max: reserved.checked_sub(cost.min).ok_or(PriceError::Overflow)?,
        };
        Ok(Reconciled {
            provider: self.entry.provider.clone(),
            model: self.entry.model.clone(),
            currency: self.entry.currency.clone(),
            basis: self.entry.pricing.basis(),
            cost,
            reserved,
            difference,
            images,
            prompt_tokens,
            prompt_cost,
            usage: usage_cost,
            notes,
        })
    }

    /// The size that is billed for images that came back as `returned`.
    fn billed_size(&self, requested: Option<SizeSpec>, returned: Option<Size>) -> Option<SizeSpec> {
        let Some(returned) = returned else {
            return requested;
        };
        match &self.entry.pricing {
            // A tier matrix bills the size asked for, and `auto` as its fixed
            // tier when it has one; only otherwise does the result decide.
            Pricing::TierMatrix(t) => match requested {
                Some(SizeSpec::Size(_)) => requested,
                Some(SizeSpec::Auto) if t.auto_size.is_some() => requested,
                _ => Some(SizeSpec::Size(returned)),
            },
            _ => Some(SizeSpec::Size(returned)),
        }
    }

    /// The quality that is billed, given what the response says was used.
    fn billed_quality(
        &self,
        requested: Option<Quality>,
        returned: Option<Quality>,
    ) -> Option<Quality> {
        let fixed_auto = match &self.entry.pricing {
            Pricing::TierMatrix(t) => t.auto_quality.is_some(),
            Pricing::ByReturnedSize(r) => {
                r.tiers.as_ref().is_some_and(|t| t.auto_quality.is_some())
            }
            _ => false,
        };
        match (requested, returned) {
            (Some(q), _) if q != Quality::Auto => requested,
            (Some(Quality::Auto), _) if fixed_auto => requested,
            (_, Some(q)) if q != Quality::Auto => returned,
            _ => requested,
        }
    }
}

/// The returned images grouped by size, in order of first appearance.
fn groups(returned: &Returned) -> Result<Vec<(Option<Size>, u32)>, PriceError> {
    match returned.sizes.as_slice() {
        [] => Ok(vec![(None, returned.images)]),
        [one] => Ok(vec![(Some(*one), returned.images)]),
        sizes if sizes.len() == returned.images as usize => {
            let mut out: Vec<(Option<Size>, u32)> = Vec::new();
            for &size in sizes {
                match out.iter_mut().find(|(s, _)| *s == Some(size)) {
                    Some((_, count)) => *count += 1,
                    None => out.push((Some(size), 1)),
                }
            }
            Ok(out)
        }
        sizes => Err(PriceError::ReturnedMismatch {
            images: returned.images,
            sizes: sizes.len(),
        }),
    }
}
