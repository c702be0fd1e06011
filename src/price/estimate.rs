//! Pricing a request before the call.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::money::{Amount, Bounds, Currency};
use super::table::{
    Basis, NamedTokens, OutputTokens, PriceEntry, PriceTable, Pricing, Reservation, TierPricing,
    TierRule, TokenPricing,
};
use super::tokens::{
    PromptTokens, estimate_prompt_tokens, formula_output_tokens, gpt_image_2_output_tokens,
};
use super::{Note, NoteKind, PriceError, note};
use crate::model::Date;
use crate::params::{ParamValue, Quality, Tier};
use crate::profile::{Profile, ServedModel};
use crate::request::ImageRequest;
use crate::rules::Support;
use crate::size::{Size, SizeSpec};
use crate::text::quote_list;

/// What a request will cost, as a range, and why it is a range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimate {
    /// The provider of the price entry used.
    pub provider: String,
    /// The served model of the price entry used.
    pub model: String,
    /// The day the entry's numbers were checked.
    pub as_of: Date,
    /// The unit of every amount.
    pub currency: Currency,
    /// The pricing model.
    pub basis: Basis,
    /// The whole request: images plus prompt text.
    pub total: Bounds<Amount>,
    /// The most the request can cost. A provider that bills by the returned
    /// size reserves this (or its fixed per-image reservation) before the call.
    pub reservation: Amount,
    /// The images, one line per kind of image.
    pub images: Vec<ImageLine>,
    /// The prompt's text tokens per call, when text is billed.
    pub prompt_tokens: Option<PromptTokens>,
    /// The cost of the prompt text over all calls, when text is billed.
    pub prompt_cost: Option<Bounds<Amount>>,
    /// How many calls the request takes (more than one when `n` is split).
    pub calls: u32,
    /// Why figures are ranges or estimates.
    pub notes: Vec<Note>,
}

/// Images of one kind in an estimate or a reconciliation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageLine {
    /// How many images.
    pub count: Bounds<u32>,
    /// The size billed (`auto`, a size, or `None` when unknown).
    pub size: Option<SizeSpec>,
    /// The quality billed (`None` when unknown).
    pub quality: Option<Quality>,
    /// The tier, for tier pricing.
    pub tier: Option<Bounds<Tier>>,
    /// Output image tokens of one image, for token pricing (streamed partial
    /// images included).
    pub output_image_tokens: Option<Bounds<u64>>,
    /// The cost of one image.
    pub each: Bounds<Amount>,
    /// The cost of all of them.
    pub cost: Bounds<Amount>,
}

/// Prices `request` with `table`'s entry for `profile`'s id and the served
/// model the request names (or the profile's default model).
///
/// # Errors
/// [`PriceError::NoModel`] or [`PriceError::UnknownModel`] when the model
/// cannot be resolved, [`PriceError::NoPriceEntry`] when the table has no
/// entry for it, [`PriceError::NoPrice`] when the entry has no price for the
/// size or quality asked, [`PriceError::NoImages`] for `n` 0 and
/// [`PriceError::Overflow`] for totals beyond the amount type.
///
/// ```
/// use gpt_image_plan::{builtin_profile, ImageRequest, Quality, Size};
/// use gpt_image_plan::price::{estimate, PriceTable};
///
/// let mut req = ImageRequest::new("dall-e-3", "a lighthouse");
/// req.size = Some(Size::new(1792, 1024).into());
/// req.set("quality", Quality::Hd);
/// let est = estimate(&req, builtin_profile("openai").unwrap(), PriceTable::builtin()).unwrap();
/// assert_eq!(est.total.min.to_string(), "0.12");
/// assert!(est.total.is_exact());
/// ```
pub fn estimate(
    request: &ImageRequest,
    profile: &Profile,
    table: &PriceTable,
) -> Result<Estimate, PriceError> {
    let served = served_model(request, profile)?;
    let ctx = Ctx {
        table,
        entry: table.entry(&profile.id, &served.name)?,
        profile,
        served,
    };
    ctx.estimate(request)
}

/// [`estimate`] with the built-in price table.
///
/// # Errors
/// As [`estimate`].
///
/// ```
/// use gpt_image_plan::{builtin_profile, ImageRequest};
/// use gpt_image_plan::price::estimate_builtin;
///
/// // gpt-image-2 at OpenAI defaults to size auto and quality auto: a wide range.
/// let est = estimate_builtin(&ImageRequest::new("gpt-image-2", "a fox"), builtin_profile("openai").unwrap()).unwrap();
/// assert!(est.total.min < est.total.max);
/// ```
pub fn estimate_builtin(request: &ImageRequest, profile: &Profile) -> Result<Estimate, PriceError> {
    estimate(request, profile, PriceTable::builtin())
}

impl PriceTable {
    /// Prices `request` against `profile` with this table's entry for
    /// `provider` and `model`, whatever the profile's id: this is how a
    /// reference table such as `pixapi` prices a request checked against
    /// another profile.
    ///
    /// # Errors
    /// As [`estimate`].
    ///
    /// ```
    /// use gpt_image_plan::{builtin_profile, ImageRequest, Quality, Size};
    /// use gpt_image_plan::price::PriceTable;
    ///
    /// let mut req = ImageRequest::new("gpt-image-2", "a fox");
    /// req.size = Some(Size::new(2048, 1152).into());
    /// req.set("quality", Quality::High);
    /// let openai = builtin_profile("openai").unwrap();
    /// let est = PriceTable::builtin().estimate_as("pixapi", "gpt-image-2", &req, openai).unwrap();
    /// assert_eq!(est.total.max.to_string(), "67");
    /// assert_eq!(est.currency.as_str(), "pixapi-credits");
    /// ```
    pub fn estimate_as(
        &self,
        provider: &str,
        model: &str,
        request: &ImageRequest,
        profile: &Profile,
    ) -> Result<Estimate, PriceError> {
        let ctx = Ctx {
            table: self,
            entry: self.entry(provider, model)?,
            profile,
            served: served_model(request, profile)?,
        };
        ctx.estimate(request)
    }

    /// The entry for `provider` and `model`, or the error saying there is none.
    pub(crate) fn entry(&self, provider: &str, model: &str) -> Result<&PriceEntry, PriceError> {
        self.get(provider, model)
            .ok_or_else(|| PriceError::NoPriceEntry {
                provider: provider.to_owned(),
                model: model.to_owned(),
            })
    }
}

/// The served model a request is for.
pub(crate) fn served_model<'p>(
    request: &ImageRequest,
    profile: &'p Profile,
) -> Result<&'p ServedModel, PriceError> {
    let name = request
        .model
        .as_deref()
        .or(profile.default_model.as_deref())
        .ok_or_else(|| PriceError::NoModel {
            provider: profile.id.clone(),
        })?;
    profile.model(name).ok_or_else(|| PriceError::UnknownModel {
        provider: profile.id.clone(),
        model: crate::text::prefix(name, 64).to_owned(),
    })
}

/// Everything pricing needs: the table (for token tables), the entry, and
/// the served model's rules.
pub(crate) struct Ctx<'a> {
    pub(crate) table: &'a PriceTable,
    pub(crate) entry: &'a PriceEntry,
    pub(crate) profile: &'a Profile,
    pub(crate) served: &'a ServedModel,
}

/// The request's billing-relevant values, defaults applied.
pub(crate) struct Resolved {
    pub(crate) n: u32,
    pub(crate) size: Option<SizeSpec>,
    pub(crate) quality: Option<Quality>,
    /// The quality as the request (or default) words it, also when no
    /// [`Quality`] knows the word (a value only the data knows).
    pub(crate) quality_word: Option<String>,
    pub(crate) images: Bounds<u32>,
    pub(crate) calls: u32,
    /// Extra output tokens per image from streamed partial images.
    pub(crate) partial_tokens: u64,
}

/// One image's price range, with its tokens or tier.
pub(crate) struct Priced {
    pub(crate) each: Bounds<Amount>,
    pub(crate) tokens: Option<Bounds<u64>>,
    pub(crate) tier: Option<Bounds<Tier>>,
}

const GPT_QUALITIES: [Quality; 3] = [Quality::Low, Quality::Medium, Quality::High];

fn widen<T: Copy + PartialOrd>(bounds: Option<Bounds<T>>, value: T) -> Option<Bounds<T>> {
    Some(match bounds {
        None => Bounds::exact(value),
        Some(b) => b.widen(value),
    })
}

pub(crate) fn times(
    each: Bounds<Amount>,
    count: Bounds<u32>,
) -> Result<Bounds<Amount>, PriceError> {
    Ok(Bounds {
        min: each
            .min
            .checked_mul(u64::from(count.min))
            .ok_or(PriceError::Overflow)?,
        max: each
            .max
            .checked_mul(u64::from(count.max))
            .ok_or(PriceError::Overflow)?,
    })
}

impl Ctx<'_> {
    fn no_price(&self, detail: impl Into<String>) -> PriceError {
        PriceError::NoPrice {
            provider: self.entry.provider.clone(),
            model: self.entry.model.clone(),
            detail: detail.into(),
        }
    }

    /// Applies the served model's defaults and the profile's facts to the request.
    pub(crate) fn resolve(
        &self,
        request: &ImageRequest,
        notes: &mut Vec<Note>,
    ) -> Result<Resolved, PriceError> {
        let rules = &self.served.rules;
        let n = request.n.or(rules.defaults.n()).unwrap_or(1);
        if n == 0 {
            return Err(PriceError::NoImages);
        }
        let size = request.size.or(rules.defaults.size());
        let quality = if rules.param("quality").support == Support::NoEffect {
            note(
                notes,
                NoteKind::QualityNoEffect,
                format!(
                    "quality has no effect at \"{}\", so it is priced as \"auto\"",
                    self.profile.id
                ),
            );
            Some(Quality::Auto)
        } else {
            request
                .get::<Quality>("quality")
                .or_else(|| rules.defaults.get("quality")?.as_text()?.parse().ok())
        };
        let quality_word = if rules.param("quality").support == Support::NoEffect {
            Some("auto".to_owned())
        } else {
            request
                .param("quality")
                .or_else(|| rules.defaults.get("quality"))
                .and_then(ParamValue::as_text)
                .map(str::to_owned)
        };
        let images = if self.profile.response.may_return_fewer && n > 1 {
            note(
                notes,
                NoteKind::MayReturnFewer,
                format!(
                    "\"{}\" may return fewer images than asked: the minimum counts 1 image, the maximum {n}",
                    self.profile.id
                ),
            );
            Bounds::new(1, n)
        } else {
            Bounds::exact(n)
        };
        let per_call = rules.n.max.max(1);
        let calls = if n > per_call && rules.n.split_max.is_some() {
            let calls = n.div_ceil(per_call);
            note(
                notes,
                NoteKind::SplitCalls,
                format!(
                    "n {n} is sent as {calls} calls of at most {per_call} image(s); each call bills the prompt"
                ),
            );
            calls
        } else {
            1
        };
        let mut partial_tokens = 0;
        if let Pricing::Token(tp) = &self.entry.pricing {
            let partials = request
                .param("partial_images")
                .and_then(ParamValue::as_int)
                .unwrap_or(0);
            if request.param("stream") == Some(&ParamValue::Bool(true))
                && partials > 0
                && rules.param("stream").support == Support::Supported
            {
                partial_tokens = tp
                    .partial_image_tokens
                    .checked_mul(u64::from(partials))
                    .ok_or(PriceError::Overflow)?;
                note(
                    notes,
                    NoteKind::PartialImages,
                    format!(
                        "{partials} streamed partial image(s) add {} output tokens per image",
                        partial_tokens
                    ),
                );
            }
        }
        Ok(Resolved {
            n,
            size,
            quality,
            images,
            calls,
            partial_tokens,
            quality_word,
        })
    }

    pub(crate) fn estimate(&self, request: &ImageRequest) -> Result<Estimate, PriceError> {
        let mut notes = Vec::new();
        let r = self.resolve(request, &mut notes)?;
        let priced = self.price_each(
            r.size,
            r.quality,
            r.quality_word.as_deref(),
            r.partial_tokens,
            &mut notes,
        )?;
        let cost = times(priced.each, r.images)?;
        let line = ImageLine {
            count: r.images,
            size: r.size,
            quality: r.quality,
            tier: priced.tier,
            output_image_tokens: priced.tokens,
            each: priced.each,
            cost,
        };
        let (prompt_tokens, prompt_cost) =
            self.prompt(request.prompt.as_deref().unwrap_or(""), r.calls, &mut notes)?;
        let total = match prompt_cost {
            Some(p) => cost.checked_add(p).ok_or(PriceError::Overflow)?,
            None => cost,
        };
        let reservation = match &self.entry.pricing {
            Pricing::ByReturnedSize(rp) => {
                let amount = match rp.reservation {
                    Reservation::EstimateMax => total.max,
                    Reservation::PerImage(each) => each
                        .checked_mul(u64::from(r.n))
                        .ok_or(PriceError::Overflow)?,
                };
                note(
                    &mut notes,
                    NoteKind::Reservation,
                    format!(
                        "billed by the size returned: \"{}\" reserves {amount} {} first and settles when the result is known",
                        self.entry.provider, self.entry.currency
                    ),
                );
                amount
            }
            _ => total.max,
        };
        Ok(Estimate {
            provider: self.entry.provider.clone(),
            model: self.entry.model.clone(),
            as_of: self.entry.as_of,
            currency: self.entry.currency.clone(),
            basis: self.entry.pricing.basis(),
            total,
            reservation,
            images: vec![line],
            prompt_tokens,
            prompt_cost,
            calls: r.calls,
            notes,
        })
    }

    /// The prompt's tokens and their cost over `calls` calls, for token pricing.
    pub(crate) fn prompt(
        &self,
        prompt: &str,
        calls: u32,
        notes: &mut Vec<Note>,
    ) -> Result<(Option<PromptTokens>, Option<Bounds<Amount>>), PriceError> {
        let Pricing::Token(tp) = &self.entry.pricing else {
            return Ok((None, None));
        };
        let tokens = estimate_prompt_tokens(prompt);
        if tokens.min != tokens.max {
            note(
                notes,
                NoteKind::PromptTokensEstimated,
                "prompt tokens are estimated from its length (no tokenizer is built in): typically 1 per 4 characters, at least 1 per 128 bytes, at most 1 per byte",
            );
        }
        let cost = |t: u64| {
            t.checked_mul(u64::from(calls))
                .and_then(|t| Amount::per_million(tp.text_input_per_million, t))
                .ok_or(PriceError::Overflow)
        };
        Ok((
            Some(tokens),
            Some(Bounds {
                min: cost(tokens.min)?,
                max: cost(tokens.max)?,
            }),
        ))
    }

    /// The price range of one image of `size` at `quality`.
    pub(crate) fn price_each(
        &self,
        size: Option<SizeSpec>,
        quality: Option<Quality>,
        word: Option<&str>,
        extra_tokens: u64,
        notes: &mut Vec<Note>,
    ) -> Result<Priced, PriceError> {
        match &self.entry.pricing {
            Pricing::Token(tp) => {
                let word = word.or(quality.map(Quality::as_str));
                self.price_tokens(tp, size, word, extra_tokens, notes)
            }
            Pricing::PerImage(pp) => {
                let mut each = None;
                match size {
                    Some(SizeSpec::Size(_)) => {}
                    Some(SizeSpec::Auto) => note(
                        notes,
                        NoteKind::SizeAuto,
                        "size auto: the range covers every listed size",
                    ),
                    None => note(
                        notes,
                        NoteKind::SizeUnknown,
                        "no size given and no default known: the range covers every listed size",
                    ),
                }
                let wanted_quality = match quality {
                    Some(Quality::Auto) | None => {
                        note(
                            notes,
                            NoteKind::QualityUnknown,
                            "quality not fixed: the range covers every listed quality",
                        );
                        None
                    }
                    q => q,
                };
                for row in &pp.prices {
                    let size_ok = size.and_then(SizeSpec::size).is_none_or(|s| s == row.size);
                    let quality_ok = wanted_quality.is_none_or(|q| q == row.quality);
                    if size_ok && quality_ok {
                        each = widen(each, row.price);
                    }
                }
                let each = each.ok_or_else(|| {
                    self.no_price(format!(
                        "{} at {} is not in the price list",
                        describe_size(size),
                        describe_quality(wanted_quality)
                    ))
                })?;
                Ok(Priced {
                    each,
                    tokens: None,
                    tier: None,
                })
            }
            Pricing::TierMatrix(tp) => self.price_tiers(tp, false, size, quality, notes),
            Pricing::ByReturnedSize(rp) => {
                let tp = rp.tiers.as_ref().ok_or_else(|| {
                    self.no_price("it bills by the size returned and publishes no prices")
                })?;
                self.price_tiers(tp, true, size, quality, notes)
            }
        }
    }

    fn price_tokens(
        &self,
        tp: &TokenPricing,
        size: Option<SizeSpec>,
        word: Option<&str>,
        extra_tokens: u64,
        notes: &mut Vec<Note>,
    ) -> Result<Priced, PriceError> {
        let factors = match &tp.output_tokens {
            OutputTokens::Factors(f) => Some(f),
            _ => None,
        };
        // Qualities by their words: a factor table may name one no enum knows.
        // Listed from the cheapest factor up, so a range reads low to high.
        let all: Vec<&str> = factors.map_or_else(
            || GPT_QUALITIES.iter().map(|q| q.as_str()).collect(),
            |f| {
                let mut by_factor: Vec<(&str, u64)> = f
                    .quality_factors
                    .iter()
                    .map(|(q, &factor)| (q.as_str(), factor))
                    .collect();
                by_factor.sort_by_key(|&(q, factor)| (factor, q));
                by_factor.into_iter().map(|(q, _)| q).collect()
            },
        );
        let qualities: Vec<&str> = match word {
            Some(q) if q != "auto" && all.contains(&q) => vec![q],
            Some("auto") => {
                note(
                    notes,
                    NoteKind::QualityAuto,
                    format!(
                        "quality auto: the model picks, so the range runs from {} to {}",
                        all.first().copied().unwrap_or("low"),
                        all.last().copied().unwrap_or("high")
                    ),
                );
                all.clone()
            }
            None => {
                note(
                    notes,
                    NoteKind::QualityUnknown,
                    format!(
                        "no quality given and no default known: the range runs from {} to {}",
                        all.first().copied().unwrap_or("low"),
                        all.last().copied().unwrap_or("high")
                    ),
                );
                all.clone()
            }
            Some(other) => {
                return Err(self.no_price(format!("quality \"{other}\" has no token count")));
            }
        };
        let table = match &tp.output_tokens {
            OutputTokens::Named(NamedTokens::Gpt2Formula) => {
                note(
                    notes,
                    NoteKind::OutputTokensEstimated,
                    "output tokens come from the community gpt-image-2 formula, which matches every published value; OpenAI publishes only a calculator, so they are an estimate",
                );
                None
            }
            OutputTokens::Factors(f) => {
                match (&f.scale_percent, &f.reason) {
                    (Some(scale), reason) => note(
                        notes,
                        NoteKind::OutputTokensRange,
                        format!(
                            "no token formula is known for this model: the count runs from {}% to {}% of the formula's{}",
                            scale.min,
                            scale.max,
                            reason
                                .as_deref()
                                .map(|r| format!(" ({r})"))
                                .unwrap_or_default()
                        ),
                    ),
                    (None, _) => note(
                        notes,
                        NoteKind::OutputTokensEstimated,
                        "output tokens come from the community gpt-image-2 formula with this model's quality factors (data), which matches every published value; OpenAI publishes only a calculator, so they are an estimate",
                    ),
                }
                None
            }
            OutputTokens::Named(NamedTokens::Table(name)) => {
                Some(self.table.token_tables.get(name).ok_or_else(|| {
                    self.no_price(format!(
                        "output token table \"{name}\" is not in the price table"
                    ))
                })?)
            }
        };
        let sizes: Vec<Size> = match size {
            Some(SizeSpec::Size(s)) => vec![s],
            spec => {
                let sizes: Vec<Size> = if !tp.auto_sizes.is_empty() {
                    tp.auto_sizes.clone()
                } else if let Some(t) = table {
                    let mut sizes: Vec<Size> = Vec::new();
                    for row in &t.rows {
                        if !sizes.contains(&row.size) {
                            sizes.push(row.size);
                        }
                    }
                    sizes
                } else {
                    self.served.rules.presets.iter().map(|p| p.size).collect()
                };
                if sizes.is_empty() {
                    return Err(self.no_price(format!(
                        "{}: no sizes are known to range over",
                        describe_size(spec)
                    )));
                }
                let (kind, why) = match spec {
                    Some(_) => (NoteKind::SizeAuto, "size auto: the model picks"),
                    None => (NoteKind::SizeUnknown, "no size given and no default known"),
                };
                note(
                    notes,
                    kind,
                    format!("{why}; the range covers {}", quote_list(sizes.iter())),
                );
                sizes
            }
        };
        let (mut tokens, mut each) = (None, None);
        for &s in sizes.iter() {
            for &q in &qualities {
                let none = || {
                    self.no_price(format!(
                        "size \"{s}\" at quality \"{q}\" has no output token count"
                    ))
                };
                let named = q.parse::<Quality>().ok();
                let counts: Vec<u64> = match (table, factors) {
                    (Some(t), _) => vec![named.and_then(|q| t.tokens(s, q)).ok_or_else(|| {
                        self.no_price(format!(
                            "size \"{s}\" at quality \"{q}\" is not in the output token table"
                        ))
                    })?],
                    (None, Some(f)) => {
                        let factor = f.quality_factors.get(q).copied().ok_or_else(none)?;
                        let t = formula_output_tokens(s, factor).ok_or_else(none)?;
                        match f.scale_percent {
                            Some(scale) => vec![
                                scaled(t, scale.min).ok_or(PriceError::Overflow)?,
                                scaled(t, scale.max).ok_or(PriceError::Overflow)?,
                            ],
                            None => vec![t],
                        }
                    }
                    (None, None) => vec![
                        named
                            .and_then(|q| gpt_image_2_output_tokens(s, q))
                            .ok_or_else(none)?,
                    ],
                };
                for t in counts {
                    let t = t.checked_add(extra_tokens).ok_or(PriceError::Overflow)?;
                    let cost = Amount::per_million(tp.image_output_per_million, t)
                        .ok_or(PriceError::Overflow)?;
                    tokens = widen(tokens, t);
                    each = widen(each, cost);
                }
            }
        }
        let each = each.ok_or_else(|| self.no_price("nothing to price"))?;
        Ok(Priced {
            each,
            tokens,
            tier: None,
        })
    }

    fn price_tiers(
        &self,
        tp: &TierPricing,
        by_returned_size: bool,
        size: Option<SizeSpec>,
        quality: Option<Quality>,
        notes: &mut Vec<Note>,
    ) -> Result<Priced, PriceError> {
        // `None` stands for every tier, and below for every quality.
        let tier_filter = match size {
            Some(SizeSpec::Size(s)) => {
                let presets = match &tp.tier_rule {
                    TierRule::SizeTable {
                        from_model: Some(name),
                    } => self
                        .profile
                        .model(name)
                        .map_or(&[][..], |m| m.rules.presets.as_slice()),
                    _ => self.served.rules.presets.as_slice(),
                };
                let tier = tp
                    .tier_rule
                    .tier_of(s, presets)
                    .ok_or_else(|| self.no_price(format!("size \"{s}\" is in no tier")))?;
                Some(tier)
            }
            Some(SizeSpec::Auto) => match tp.auto_size {
                Some(tier) if !by_returned_size => {
                    note(
                        notes,
                        NoteKind::SizeBilledAs,
                        format!("size auto is billed as {tier}"),
                    );
                    Some(tier)
                }
                _ => {
                    note(
                        notes,
                        NoteKind::SizeAuto,
                        "size auto: the model picks, so the range covers every priced tier",
                    );
                    None
                }
            },
            None => {
                note(
                    notes,
                    NoteKind::SizeUnknown,
                    "no size given and no default known: the range covers every priced tier",
                );
                None
            }
        };
        let quality_filter = match quality {
            Some(Quality::Auto) => match tp.auto_quality {
                Some(q) => {
                    note(
                        notes,
                        NoteKind::QualityBilledAs,
                        format!("quality auto is billed as \"{q}\""),
                    );
                    Some(q)
                }
                None => {
                    note(
                        notes,
                        NoteKind::QualityAuto,
                        "quality auto: the model picks, so the range covers every priced quality",
                    );
                    None
                }
            },
            None => {
                note(
                    notes,
                    NoteKind::QualityUnknown,
                    "no quality given and no default known: the range covers every priced quality",
                );
                None
            }
            Some(q) => Some(q),
        };
        let (each, tier_range) = price_range(&tp.prices, tier_filter, quality_filter);
        let each = each.ok_or_else(|| {
            let tier_text = match tier_filter {
                Some(t) => format!("tier {t}"),
                None => "any tier".to_owned(),
            };
            let quality_text = describe_quality(quality_filter);
            self.no_price(format!("{tier_text} at {quality_text} has no price"))
        })?;
        Ok(Priced {
            each,
            tokens: None,
            tier: tier_range,
        })
    }
}

/// The bounds of the prices in `prices` in `tier` (every tier when `None`)
/// at `quality` (every quality when `None`), and of their tiers; `None` when
/// no price matches.
fn price_range(
    prices: &BTreeMap<Tier, BTreeMap<Quality, Amount>>,
    tier: Option<Tier>,
    quality: Option<Quality>,
) -> (Option<Bounds<Amount>>, Option<Bounds<Tier>>) {
    let (mut each, mut tiers) = (None, None);
    for (&t, row) in prices {
        if tier.is_some_and(|want| want != t) {
            continue;
        }
        for (&q, &price) in row {
            if quality.is_none_or(|want| want == q) {
                each = widen(each, price);
                tiers = widen(tiers, t);
            }
        }
    }
    (each, tiers)
}

fn describe_size(size: Option<SizeSpec>) -> String {
    match size {
        Some(spec) => format!("size \"{spec}\""),
        None => "any size".to_owned(),
    }
}

fn describe_quality(quality: Option<Quality>) -> String {
    match quality {
        Some(q) => format!("quality \"{q}\""),
        None => "any quality".to_owned(),
    }
}

/// `tokens` times `percent`/100, rounded up.
fn scaled(tokens: u64, percent: u32) -> Option<u64> {
    u64::try_from((u128::from(tokens) * u128::from(percent)).div_ceil(100)).ok()
}
