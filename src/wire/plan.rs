//! Call plans: the exact HTTP calls a provider expects for one request.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diag::{Code, Diagnostic, Field, Kind, Report};
use crate::model::Date;
use crate::params::ParamValue;
use crate::price::{self, Estimate, PriceError, PriceTable, Returned};
use crate::profile::{ModelIn, Profile, ResponseShape, ServedModel};
use crate::request::ImageRequest;
use crate::rules::Support;
use crate::text::{excerpt, wire_enum};
use crate::validate::validate_on;

use super::{GenerationResult, Usage};

/// What a planned URL starts with when the profile has no public base URL
/// (the provider's documents only say `{BASE_URL}`): the caller must set one.
pub const BASE_URL_PLACEHOLDER: &str = "{BASE_URL}";

/// The most calls one plan may hold. A profile whose `n.split_max` would need
/// more (only a hand-written one can) gets an error instead of a huge plan.
pub const MAX_CALLS: u32 = 100;

wire_enum! {
    /// An HTTP method.
    Method, "method" {
        /// `GET`: polling a task, downloading an image.
        Get = "GET",
        /// `POST`: asking for images.
        Post = "POST",
    }
}

/// One request header. The key is never in a plan: the auth header carries a
/// placeholder naming the environment variable, such as `Bearer <OPENAI_API_KEY>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The header name (`Authorization`).
    pub name: String,
    /// The value, or for the auth header a placeholder.
    pub value: String,
    /// Whether the value is a placeholder the sender replaces with the key.
    pub secret: bool,
}

/// One HTTP call: everything needed to send it with any client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Call {
    /// The method.
    pub method: Method,
    /// The full URL; starts with [`BASE_URL_PLACEHOLDER`] when the profile has no base URL.
    pub url: String,
    /// The part of `url` after the base URL (`/v1/images/generations`), so a
    /// sender can put the call on another base URL; `None` when the URL came
    /// whole from the provider (a task's `urls.get`).
    pub path: Option<String>,
    /// The headers, auth included as a placeholder.
    pub headers: Vec<Header>,
    /// The exact JSON body text, for `POST`.
    pub body: Option<String>,
    /// How many images this call asks for, when the body says.
    pub n: Option<u32>,
    /// The pixel size the call yields when the body does not say it in
    /// pixels (kie's aspect ratio and resolution, a preset name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yields: Option<crate::size::Size>,
}

/// The calls for one request, with every finding about it and what they
/// will cost.
///
/// When the report has errors the plan holds no calls: the provider would
/// refuse them. Warnings leave the calls in place.
///
/// Exactly one of [`estimate`](Plan::estimate) and
/// [`unpriced`](Plan::unpriced) is set: the estimate when the calls can be
/// priced, otherwise the reason they cannot (the plan has errors, the model
/// does not resolve, the price table has no price for it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Plan {
    /// The profile's id.
    pub profile: String,
    /// The served model name the calls use, when it resolved.
    pub model: Option<String>,
    /// How the answers come back, to pick the parser and whether to poll.
    pub response: ResponseShape,
    /// The calls, in order; empty when the report has errors.
    pub calls: Vec<Call>,
    /// Validation findings, then the plan's own (`{field}.dropped`, required
    /// fields that could not be filled, too many calls).
    pub report: Report,
    /// What the calls will cost ([`price::estimate`] of the request with the
    /// plan's price table): `None` when the plan has no calls or no price is
    /// known, and then [`unpriced`](Plan::unpriced) says why.
    #[serde(default)]
    pub estimate: Option<Estimate>,
    /// Why there is no estimate; `None` when there is one.
    #[serde(default)]
    pub unpriced: Option<Unpriced>,
}

wire_enum! {
    /// Why a plan or a generation carries no cost: a stable name to match on.
    ///
    /// The names after `not_planned` mirror [`PriceError`]'s variants.
    UnpricedReason, "unpriced_reason" {
        /// The plan has errors, so there are no calls to price.
        NotPlanned = "not_planned",
        /// The request names no model and the profile has no default
        /// ([`PriceError::NoModel`]).
        NoModel = "no_model",
        /// The profile does not serve the model ([`PriceError::UnknownModel`]).
        UnknownModel = "unknown_model",
        /// The price table has no entry for the provider and model
        /// ([`PriceError::NoPriceEntry`]).
        NoPriceEntry = "no_price_entry",
        /// The entry has no price for what the request asks ([`PriceError::NoPrice`]).
        NoPrice = "no_price",
        /// `n` is 0 ([`PriceError::NoImages`]).
        NoImages = "no_images",
        /// The cost does not fit the exact amount type ([`PriceError::Overflow`]).
        Overflow = "overflow",
        /// The price table is not valid ([`PriceError::InvalidTable`]).
        InvalidTable = "invalid_table",
        /// The returned sizes do not match the images ([`PriceError::ReturnedMismatch`]).
        ReturnedMismatch = "returned_mismatch",
        /// A response could not be read for billing ([`PriceError::InvalidResponse`]).
        InvalidResponse = "invalid_response",
        /// A generation was run from a plan alone: reconciling needs the request.
        NoRequest = "no_request",
    }
}

/// Why there is no cost: a stable reason and a message.
///
/// ```
/// use gpt_image_plan::{builtin_profile, wire, ImageRequest};
/// use gpt_image_plan::wire::UnpricedReason;
///
/// let plan = wire::plan(&ImageRequest::new("gpt-image-2", "an otter"), builtin_profile("wavespeed").unwrap());
/// assert!(plan.is_ready() && plan.estimate.is_none());
/// let why = plan.unpriced.unwrap();
/// assert_eq!(why.reason, UnpricedReason::NoPriceEntry);
/// assert_eq!(why.message, r#"no published price for "gpt-image-2" at "wavespeed": the price table has no entry for it"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Unpriced {
    /// What kind of reason.
    pub reason: UnpricedReason,
    /// The explanation, lowercase, no trailing period (a price error's text).
    pub message: String,
}

impl Unpriced {
    /// A reason with its message.
    ///
    /// ```
    /// use gpt_image_plan::wire::{Unpriced, UnpricedReason};
    /// let why = Unpriced::new(UnpricedReason::NoRequest, "priced later");
    /// assert_eq!(why.to_string(), "priced later");
    /// ```
    pub fn new(reason: UnpricedReason, message: impl Into<String>) -> Unpriced {
        Unpriced {
            reason,
            message: message.into(),
        }
    }

    /// The reason a price error gives, with the error's text as the message.
    ///
    /// ```
    /// use gpt_image_plan::price::PriceError;
    /// use gpt_image_plan::wire::{Unpriced, UnpricedReason};
    /// let why = Unpriced::from_error(&PriceError::NoImages);
    /// assert_eq!(why.reason, UnpricedReason::NoImages);
    /// assert_eq!(why.message, "n 0: there are no images to price");
    /// ```
    pub fn from_error(error: &PriceError) -> Unpriced {
        let reason = match error {
            PriceError::NoModel { .. } => UnpricedReason::NoModel,
            PriceError::UnknownModel { .. } => UnpricedReason::UnknownModel,
            PriceError::NoPriceEntry { .. } => UnpricedReason::NoPriceEntry,
            PriceError::NoPrice { .. } => UnpricedReason::NoPrice,
            PriceError::NoImages => UnpricedReason::NoImages,
            PriceError::Overflow => UnpricedReason::Overflow,
            PriceError::InvalidTable(_) => UnpricedReason::InvalidTable,
            PriceError::ReturnedMismatch { .. } => UnpricedReason::ReturnedMismatch,
            PriceError::InvalidResponse(_) => UnpricedReason::InvalidResponse,
        };
        Unpriced::new(reason, error.to_string())
    }

    /// Why a plan with errors has no estimate.
    fn not_planned() -> Unpriced {
        Unpriced::new(
            UnpricedReason::NotPlanned,
            "the request has errors, so no call is planned and nothing is priced",
        )
    }
}

impl std::fmt::Display for Unpriced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<&PriceError> for Unpriced {
    fn from(error: &PriceError) -> Unpriced {
        Unpriced::from_error(error)
    }
}

impl Plan {
    /// Whether there is something to send: no errors and at least one call.
    ///
    /// ```
    /// use gpt_image_plan::{builtin_profile, wire, ImageRequest};
    /// let openai = builtin_profile("openai").unwrap();
    /// assert!(wire::plan(&ImageRequest::new("gpt-image-2", "an otter"), openai).is_ready());
    /// assert!(!wire::plan(&ImageRequest::new("gpt-image-9", "an otter"), openai).is_ready());
    /// ```
    pub fn is_ready(&self) -> bool {
        self.report.is_valid() && !self.calls.is_empty()
    }

    /// How many images the calls ask for in total (`None` when a call leaves
    /// `n` to the provider's default).
    ///
    /// ```
    /// use gpt_image_plan::{builtin_profile, wire, ImageRequest};
    /// let mut req = ImageRequest::new("gpt-image-2", "an otter");
    /// assert_eq!(wire::plan(&req, builtin_profile("openai").unwrap()).images(), None);
    /// req.n = Some(3);
    /// assert_eq!(wire::plan(&req, builtin_profile("infinityblue").unwrap()).images(), Some(3));
    /// ```
    pub fn images(&self) -> Option<u32> {
        self.calls
            .iter()
            .try_fold(0u32, |sum, call| Some(sum.saturating_add(call.n?)))
    }
}

/// Splits `n` images into calls of at most `max`: `ceil(n / max)` calls, each
/// of `max` but the last, which holds the remainder.
///
/// `n = 0` needs no call; `max = 0` is read as no limit (one call). The parts
/// are produced lazily, so a huge `n` allocates nothing.
///
/// ```
/// use gpt_image_plan::wire::split_n;
/// assert_eq!(split_n(7, 3).collect::<Vec<_>>(), [3, 3, 1]);
/// assert_eq!(split_n(3, 1).collect::<Vec<_>>(), [1, 1, 1]);
/// assert_eq!(split_n(4, 10).collect::<Vec<_>>(), [4]);
/// assert_eq!(split_n(u32::MAX, 1).len(), u32::MAX as usize);
/// ```
pub fn split_n(n: u32, max: u32) -> SplitN {
    SplitN { left: n, max }
}

/// The parts of [`split_n`], in order.
#[derive(Clone, Debug)]
pub struct SplitN {
    left: u32,
    max: u32,
}

impl Iterator for SplitN {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.left == 0 {
            return None;
        }
        let take = if self.max == 0 {
            self.left
        } else {
            self.left.min(self.max)
        };
        self.left -= take;
        Some(take)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = match (self.left, self.max) {
            (0, _) => 0,
            (_, 0) => 1,
            (left, max) => left.div_ceil(max),
        };
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        (len, Some(len))
    }
}

impl ExactSizeIterator for SplitN {}

/// Plans the calls `request` needs at `profile`.
///
/// The body uses the provider's names and types: the served model name (in the
/// URL instead when the profile puts it there), `n` as a string where the
/// provider types it so, fields the provider requires always present (filled
/// from its defaults), and fields it accepts without effect left out with a
/// `{field}.dropped` warning. A request for more images than one call takes is
/// split when the profile allows it ([`split_n`]). With errors in the report
/// the plan has no calls.
///
/// ```
/// use gpt_image_plan::{builtin_profile, wire, ImageRequest};
///
/// let mut req = ImageRequest::new("gpt-image-2", "an otter");
/// req.size = Some("1536x1024".parse().unwrap());
/// let plan = wire::plan(&req, builtin_profile("wavespeed").unwrap());
/// let call = &plan.calls[0];
/// assert_eq!(call.url, "https://api.wavespeed.ai/api/v3/openai/gpt-image-2/text-to-image");
/// assert_eq!(call.body.as_deref(), Some(r#"{"prompt":"an otter","size":"1536x1024"}"#));
/// assert_eq!(call.headers[1].value, "Bearer <WAVESPEED_API_KEY>");
/// ```
///
/// The plan's [`estimate`](Plan::estimate) comes from the built-in price
/// table ([`PriceTable::builtin`]); [`plan_with_prices`] takes another.
pub fn plan(request: &ImageRequest, profile: &Profile) -> Plan {
    plan_with_prices(request, profile, PriceTable::builtin())
}

/// [`plan`] with the cost estimated from `prices` instead of the built-in
/// table: an account's own prices, or a provider the built-in table has no
/// prices for.
///
/// A request split into several calls is priced as a whole: every image, and
/// the prompt once per call.
///
/// ```
/// use gpt_image_plan::{builtin_profile, wire, ImageRequest, Quality, Size};
/// use gpt_image_plan::price::PriceTable;
///
/// let prices = PriceTable::builtin_with(r#"{"as_of": "2026-11-22", "source": "my invoice", "entries": [
///   {"provider": "infinityblue", "model": "gpt-image-2", "as_of": "2026-11-22", "source": "my invoice",
///    "currency": "USD", "pricing": {"kind": "per_image", "prices": [
///      {"size": "1024x1024", "quality": "low", "price": "0.02"},
///      {"size": "1024x1024", "quality": "high", "price": "0.1"}]}}]}"#).unwrap();
/// let mut req = ImageRequest::new("gpt-image-2", "an otter");
/// req.size = Some(Size::new(1024, 1024).into());
/// req.n = Some(3);
/// let plan = wire::plan_with_prices(&req, builtin_profile("infinityblue").unwrap(), &prices);
/// assert_eq!(plan.calls.len(), 3);
/// let estimate = plan.estimate.unwrap();
/// // quality has no effect there, so the range covers both listed qualities
/// assert_eq!((estimate.total.min.to_string(), estimate.total.max.to_string()), ("0.06".into(), "0.3".into()));
/// ```
pub fn plan_with_prices(request: &ImageRequest, profile: &Profile, prices: &PriceTable) -> Plan {
    plan_on(request, profile, prices, profile.catalog_as_of)
}

/// [`plan_with_prices`] with model lifecycles judged on `date` (see
/// [`validate_on`](crate::validate_on)): a model shut down by then gets no calls.
pub fn plan_on(request: &ImageRequest, profile: &Profile, prices: &PriceTable, date: Date) -> Plan {
    let mut plan = plan_calls(request, profile, validate_on(request, profile, date));
    price_plan(&mut plan, request, profile, prices);
    plan
}

/// Sets the plan's estimate, or why there is none.
fn price_plan(plan: &mut Plan, request: &ImageRequest, profile: &Profile, prices: &PriceTable) {
    if !plan.is_ready() {
        plan.estimate = None;
        plan.unpriced = Some(Unpriced::not_planned());
        return;
    }
    match price::estimate(request, profile, prices) {
        Ok(estimate) => {
            plan.estimate = Some(estimate);
            plan.unpriced = None;
        }
        Err(e) => {
            plan.estimate = None;
            plan.unpriced = Some(Unpriced::from_error(&e));
        }
    }
}

/// The calls for a request `report` has validated, not yet priced.
fn plan_calls(request: &ImageRequest, profile: &Profile, report: Report) -> Plan {
    let served = request
        .model
        .as_deref()
        .or(profile.default_model.as_deref())
        .filter(|name| profile.refused(name).is_none())
        .and_then(|name| profile.model(name));
    let mut plan = Plan {
        profile: profile.id.clone(),
        model: served.map(|m| m.name.clone()),
        response: profile.response.kind(),
        calls: Vec::new(),
        report,
        estimate: None,
        unpriced: None,
    };
    let Some(served) = served else {
        // validate has said why the model did not resolve.
        return plan;
    };
    let body = Body::build(request, profile, served, &mut plan.report);
    let parts = body.n.map(|n| split_n(n, served.rules.n.max));
    let calls = parts.as_ref().map_or(1, ExactSizeIterator::len);
    if calls > MAX_CALLS as usize {
        plan.report.push(too_many_calls(body.n.unwrap_or(0), calls));
    }
    if !plan.report.is_valid() {
        return plan;
    }
    let calls: Vec<Option<u32>> = match parts {
        Some(parts) if parts.len() > 0 => parts.map(Some).collect(),
        _ => vec![None],
    };
    for (i, n) in calls.into_iter().enumerate() {
        let n_value = n.map(Value::from);
        let wire = match super::encode_call(profile, served, body.members(n_value.as_ref())) {
            Ok(wire) => wire,
            Err(e) => {
                plan.report.push(not_encodable(&e));
                plan.calls.clear();
                return plan;
            }
        };
        if i == 0 && wire.approximate {
            if let (Some(asked), Some(yields)) = (request.size, wire.yields) {
                plan.report.push(approximated(profile, asked, yields));
            }
        }
        plan.calls.push(Call {
            method: wire.method,
            url: wire.url,
            path: Some(wire.path),
            headers: wire.headers,
            body: wire.body,
            n,
            yields: wire.yields,
        });
    }
    plan
}

/// The finding for a request the provider's terms cannot express.
fn not_encodable(error: &super::EncodeError) -> Diagnostic {
    Diagnostic::error(Field::SIZE, Kind::NotOffered, error.to_string())
        .fix("ask for a size the provider names")
}

/// The finding for a size the provider can only approximate: what is sent
/// instead and the size it yields.
fn approximated(
    profile: &Profile,
    asked: crate::size::SizeSpec,
    yields: crate::size::Size,
) -> Diagnostic {
    let encoding = &profile.request.size;
    let ratio_field = encoding.field.as_deref().unwrap_or("aspect_ratio");
    let sent = encoding
        .table
        .iter()
        .find(|e| e.size == yields)
        .map(|e| match &e.resolution {
            Some(r) => format!(
                "{ratio_field} \"{}\" with {} \"{r}\"",
                e.ratio,
                encoding.resolution_field.as_deref().unwrap_or("resolution")
            ),
            None => format!("{ratio_field} \"{}\"", e.ratio),
        })
        .unwrap_or_default();
    Diagnostic::warning(
        Field::SIZE,
        Kind::NotOffered,
        format!(
            "size \"{asked}\": \"{}\" takes an aspect ratio, not pixels; sent as {sent}, which yields {yields}",
            profile.id
        ),
    )
    .value(asked.to_string())
    .limit(format!("yields {yields}"))
    .fix(format!("ask for {yields}"))
}

/// Reads a request body and plans it in one step: the JSON findings of
/// [`request_from_json`](crate::request_from_json) come first in the report,
/// then [`plan`]'s. A body that is not a JSON object gives a plan with only
/// that finding; any error leaves the plan without calls.
///
/// ```
/// use gpt_image_plan::{builtin_profile, wire};
/// let uniall = builtin_profile("uniall").unwrap();
/// let plan = wire::plan_json(r#"{"prompt": "an otter", "n": "2", "size": "1024x1024"}"#, uniall);
/// assert_eq!(
///     plan.calls[0].body.as_deref(),
///     Some(r#"{"model":"gpt-image-2-origin","prompt":"an otter","n":"2","size":"1024x1024"}"#)
/// );
/// assert!(wire::plan_json("{", uniall).calls.is_empty());
/// ```
pub fn plan_json(text: &str, profile: &Profile) -> Plan {
    plan_json_with_prices(text, profile, PriceTable::builtin())
}

/// [`plan_json`] with the cost estimated from `prices` (see [`plan_with_prices`]).
///
/// ```
/// use gpt_image_plan::{builtin_profile, wire};
/// use gpt_image_plan::price::PriceTable;
/// let openai = builtin_profile("openai").unwrap();
/// let body = r#"{"model": "gpt-image-2", "prompt": "an otter", "size": "1024x1024", "quality": "high"}"#;
/// let plan = wire::plan_json_with_prices(body, openai, PriceTable::builtin());
/// assert_eq!(plan.estimate.unwrap().images[0].each.max.to_string(), "0.21072");
/// // dall-e-3 was shut down on 2026-05-12: on an earlier day it is still planned and priced.
/// let old = r#"{"model": "dall-e-3", "prompt": "an otter", "size": "1024x1024", "quality": "hd"}"#;
/// assert!(wire::plan_json_with_prices(old, openai, PriceTable::builtin()).calls.is_empty());
/// let then = wire::plan_json_on(old, openai, PriceTable::builtin(), "2026-05-01".parse().unwrap());
/// assert_eq!(then.estimate.unwrap().total.max.to_string(), "0.08");
/// ```
pub fn plan_json_with_prices(text: &str, profile: &Profile, prices: &PriceTable) -> Plan {
    plan_json_on(text, profile, prices, profile.catalog_as_of)
}

/// [`plan_json_with_prices`] with model lifecycles judged on `date` (see
/// [`validate_on`](crate::validate_on)).
pub fn plan_json_on(text: &str, profile: &Profile, prices: &PriceTable, date: Date) -> Plan {
    let read = crate::body::read_and_validate(text, profile, date);
    if !read.is_object {
        return Plan {
            profile: profile.id.clone(),
            model: None,
            response: profile.response.kind(),
            calls: Vec::new(),
            report: read.report,
            estimate: None,
            unpriced: Some(Unpriced::not_planned()),
        };
    }
    let mut planned = plan_calls(&read.request, profile, read.report);
    if !planned.report.is_valid() {
        planned.calls.clear();
    }
    price_plan(&mut planned, &read.request, profile, prices);
    planned
}

/// What a plan's calls returned, as billing sees it, for
/// [`price::reconcile`]: the number of images, their sizes, the quality and
/// the token usage summed over the calls.
///
/// The sizes are listed only when every result gives one (a result without
/// its size leaves them all unknown, priced as requested), the quality only
/// when the results agree, and the usage only when every result reports
/// token counts: a sum missing some calls would be taken as exact and bill
/// too little.
///
/// ```
/// use gpt_image_plan::wire::{self, parse_response, Outcome};
/// use gpt_image_plan::Response;
///
/// let body = br#"{"data": [{"b64_json": "aGk="}], "size": "1024x1024", "quality": "low",
///   "usage": {"input_tokens": 3, "output_tokens": 196}}"#;
/// let Ok(Outcome::Images(one)) = parse_response(&Response::openai(), 200, &[], body) else { panic!() };
/// let returned = wire::returned(&[one.clone(), one]);
/// assert_eq!(returned.images, 2);
/// assert_eq!(returned.sizes.len(), 2);
/// assert_eq!(returned.usage.unwrap().output_tokens, 392);
/// ```
pub fn returned(results: &[GenerationResult]) -> Returned {
    let images = results.iter().fold(0u32, |sum, r| {
        sum.saturating_add(u32::try_from(r.images.len()).unwrap_or(u32::MAX))
    });
    let sizes = if results.iter().all(|r| r.size.is_some()) {
        results
            .iter()
            .flat_map(|r| r.size.into_iter().cycle().take(r.images.len()))
            .collect()
    } else {
        Vec::new()
    };
    let mut qualities = results.iter().filter_map(|r| r.quality);
    let first = qualities.next();
    let quality = first.filter(|&q| qualities.all(|other| other == q));
    let usage = results
        .iter()
        .map(|r| r.usage.filter(has_token_counts))
        .try_fold(None::<Usage>, |sum, usage| {
            let usage = usage?;
            Some(Some(match sum {
                Some(sum) => sum.add(&usage),
                None => usage,
            }))
        })
        .flatten();
    Returned {
        images,
        sizes,
        quality,
        usage: usage.map(price::Usage::from),
    }
}

/// Whether a usage block says how many tokens went in or came out.
fn has_token_counts(usage: &Usage) -> bool {
    [
        usage.input_tokens,
        usage.input_text_tokens,
        usage.input_image_tokens,
        usage.output_tokens,
        usage.output_image_tokens,
        usage.output_text_tokens,
    ]
    .iter()
    .any(Option::is_some)
}

/// A response's token counts in billing's shape: a missing total is the sum
/// of its parts, and the details are present when a part is.
///
/// ```
/// use gpt_image_plan::{price, wire};
/// let mut usage = wire::Usage::default();
/// usage.input_text_tokens = Some(12);
/// usage.output_tokens = Some(196);
/// let billed = price::Usage::from(usage);
/// assert_eq!((billed.input_tokens, billed.output_tokens), (12, 196));
/// assert_eq!(billed.input_tokens_details.unwrap().text_tokens, 12);
/// assert!(billed.output_tokens_details.is_none());
/// ```
impl From<Usage> for price::Usage {
    fn from(u: Usage) -> price::Usage {
        let parts = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (None, None) => None,
            (a, b) => Some((a.unwrap_or(0), b.unwrap_or(0))),
        };
        let input = parts(u.input_text_tokens, u.input_image_tokens);
        let output = parts(u.output_text_tokens, u.output_image_tokens);
        let total = |total: Option<u64>, parts: Option<(u64, u64)>| {
            total
                .or_else(|| parts.map(|(a, b)| a.saturating_add(b)))
                .unwrap_or(0)
        };
        price::Usage {
            input_tokens: total(u.input_tokens, input),
            output_tokens: total(u.output_tokens, output),
            input_tokens_details: input.map(|(text_tokens, image_tokens)| {
                price::InputTokensDetails {
                    text_tokens,
                    image_tokens,
                }
            }),
            output_tokens_details: output.map(|(text_tokens, image_tokens)| {
                price::OutputTokensDetails {
                    text_tokens,
                    image_tokens,
                }
            }),
        }
    }
}

fn too_many_calls(n: u32, calls: usize) -> Diagnostic {
    Diagnostic::error(
        Field::N,
        Kind::OutOfRange,
        format!("n {n}: needs {calls} calls, above the plan's limit of {MAX_CALLS}"),
    )
    .value(n)
    .limit(format!("at most {MAX_CALLS} calls"))
    .fix("ask for fewer images")
}

/// The body's fields in OpenAI's order, without `n`, which varies per call.
struct Body {
    before_n: Vec<(String, Value)>,
    after_n: Vec<(String, Value)>,
    n: Option<u32>,
}

impl Body {
    /// The canonical body: OpenAI's names and spellings, `model`, `prompt`,
    /// `n` and `size` first, then the request's parameters in its order,
    /// then the parameters the profile requires and the request leaves out.
    fn build(
        request: &ImageRequest,
        profile: &Profile,
        served: &ServedModel,
        report: &mut Report,
    ) -> Body {
        let rules = &served.rules;
        let mut body = Body {
            before_n: Vec::new(),
            after_n: Vec::new(),
            n: None,
        };
        if profile.model_in == ModelIn::Body {
            body.before_n
                .push(("model".to_owned(), Value::from(served.name.as_str())));
        }
        if let Some(prompt) = body_value(request, profile, served, &Field::PROMPT, report) {
            body.before_n.push(("prompt".to_owned(), prompt));
        }
        let n_required = rules.requires("n");
        body.n = match request.n {
            Some(n) => Some(n),
            None if n_required => rules.defaults.n(),
            None => None,
        };
        if body.n.is_none() && n_required {
            missing(Field::N, report);
        }
        if let Some(size) = body_value(request, profile, served, &Field::SIZE, report) {
            body.after_n.push(("size".to_owned(), size));
        }
        let given = request.params.iter().map(|(k, _)| k);
        let required = rules
            .required
            .iter()
            .map(String::as_str)
            .filter(|r| !Field::is_core_name(r) && request.params.get(r).is_none());
        let names: Vec<&str> = given.chain(required).collect();
        for name in names {
            if let Some(value) = body_value(request, profile, served, &Field::param(name), report) {
                body.after_n.push((name.to_owned(), value));
            }
        }
        body
    }

    /// The canonical members in OpenAI's order, with this call's `n` (a
    /// number) in its place: the input of [`encode_call`](super::encode_call).
    fn members<'a>(&'a self, n: Option<&'a Value>) -> impl Iterator<Item = (&'a str, &'a Value)> {
        fn key<K: AsRef<str>>(k: &K) -> &str {
            k.as_ref()
        }
        self.before_n
            .iter()
            .map(|(k, v)| (key(k), v))
            .chain(n.map(|v| ("n", v)))
            .chain(self.after_n.iter().map(|(k, v)| (key(k), v)))
    }
}

/// A field's value for the body: the request's when the provider takes it, a
/// default when it requires it, nothing when it ignores it.
fn body_value(
    request: &ImageRequest,
    profile: &Profile,
    served: &ServedModel,
    field: &Field,
    report: &mut Report,
) -> Option<Value> {
    let rules = &served.rules;
    let name = field.as_str();
    let given = match name {
        "prompt" => request.prompt.as_deref().map(Value::from),
        "size" => request.size.map(|s| Value::from(s.to_string())),
        _ => request.params.get(name).map(ParamValue::to_json),
    };
    let Some(value) = given else {
        if !rules.requires(name) {
            return None;
        }
        let default = rules.defaults.get(name).map(ParamValue::to_json);
        if default.is_none() {
            missing(field.clone(), report);
        }
        return default;
    };
    let support = if field.is_core() {
        Support::Supported
    } else {
        rules.param(name).support
    };
    match support {
        Support::NoEffect => {
            let shown = match &value {
                Value::String(s) => format!("\"{}\"", excerpt(s, 32)),
                other => other.to_string(),
            };
            let dropped = Diagnostic::warning(
                field.clone(),
                Kind::Dropped,
                format!(
                    "{field} {shown}: left out of the call; it has no effect for \"{}\" at \"{}\"",
                    served.name, profile.id
                ),
            )
            .value(shown.trim_matches('"'))
            .limit("accepted, ignored")
            .fix(format!("remove {field}"));
            // One finding per field: the plan's says more than validate's
            // `no_effect` (the body differs from the request), so it takes its place.
            let no_effect = Code::new(field.clone(), Kind::NoEffect);
            match report.diagnostics.iter().position(|d| d.code == no_effect) {
                Some(i) => report.diagnostics[i] = dropped,
                None => report.push(dropped),
            }
            None
        }
        // Rejected values were reported as errors by validate; undocumented
        // ones are passed on with validate's warning.
        _ => Some(value),
    }
}

/// Reports a required field with no value and no default, unless the report
/// already has an error about that field (validate's `missing`, or the
/// reader's finding for a value that could not be read).
fn missing(field: Field, report: &mut Report) {
    if !report
        .diagnostics
        .iter()
        .any(|d| d.field == field && d.is_error())
    {
        report.push(
            Diagnostic::error(
                field.clone(),
                Kind::Missing,
                format!("{field}: missing; the provider requires it and has no default"),
            )
            .fix(format!("add {field}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The obviously-correct reference, straight from the definition:
    /// `ceil(n / max)` parts, all `max` but the last, which is what is left.
    fn split_by_formula(n: u32, max: u32) -> Vec<u32> {
        if n == 0 {
            return Vec::new();
        }
        if max == 0 {
            return vec![n];
        }
        let count = n.div_ceil(max);
        let mut out = vec![max; count as usize - 1];
        out.push(n - max * (count - 1));
        out
    }

    #[test]
    fn split_n_matches_the_formula_on_small_values() {
        for n in 0..200 {
            for max in 0..25 {
                assert_eq!(
                    split_n(n, max).collect::<Vec<_>>(),
                    split_by_formula(n, max),
                    "n {n} max {max}"
                );
            }
        }
    }

    /// The body written member by member: each key and value on its own,
    /// joined in the body's order, `n` as the profile types it.
    fn member_text(body: &Body, n: Option<u32>, as_string: bool) -> String {
        let n = n.map(|n| {
            if as_string {
                Value::from(n.to_string())
            } else {
                Value::from(n)
            }
        });
        let members: Vec<String> = body
            .members(n.as_ref())
            .map(|(k, v)| format!("{}:{v}", Value::from(k)))
            .collect();
        format!("{{{}}}", members.join(","))
    }

    /// The text `encode_call` writes for the body's members at a profile
    /// with OpenAI's request shape (`uniall` types `n` as a string).
    fn encoded(body: &Body, n: Option<u32>, as_string: bool) -> String {
        let id = if as_string { "uniall" } else { "openai" };
        let profile = crate::profile::builtin_profile(id).unwrap();
        let n = n.map(Value::from);
        let served = profile.pick_model(None).unwrap();
        let call = super::super::encode_call(profile, served, body.members(n.as_ref())).unwrap();
        call.body.unwrap()
    }

    #[test]
    fn body_members_keep_openai_order_with_n_in_its_place() {
        let body = Body {
            before_n: vec![
                ("model".to_owned(), Value::from("gpt-image-2-origin")),
                ("prompt".to_owned(), Value::from("an otter")),
            ],
            after_n: vec![("size".to_owned(), Value::from("1024x1024"))],
            n: Some(2),
        };
        assert_eq!(
            encoded(&body, Some(2), true),
            r#"{"model":"gpt-image-2-origin","prompt":"an otter","n":"2","size":"1024x1024"}"#
        );
        assert_eq!(
            encoded(&body, None, false),
            r#"{"model":"gpt-image-2","prompt":"an otter","size":"1024x1024"}"#
        );
    }

    proptest::proptest! {
        #[test]
        fn encoded_body_is_its_members_written_in_order(
            prompt in ".{0,24}",
            user in proptest::option::of("[\\u{0}-\\u{7f}]{0,12}"),
            compression in proptest::option::of(proptest::prelude::any::<u32>()),
            stream in proptest::option::of(proptest::prelude::any::<bool>()),
            n in proptest::option::of(proptest::prelude::any::<u32>()),
            as_string in proptest::prelude::any::<bool>(),
        ) {
            let model = if as_string { "gpt-image-2-origin" } else { "gpt-image-2" };
            let mut body = Body { before_n: vec![("model".to_owned(), Value::from(model)), ("prompt".to_owned(), Value::from(prompt))], after_n: Vec::new(), n: None };
            if let Some(user) = user {
                body.after_n.push(("user".to_owned(), Value::from(user)));
            }
            if let Some(c) = compression {
                body.after_n.push(("output_compression".to_owned(), Value::from(c)));
            }
            if let Some(s) = stream {
                body.after_n.push(("stream".to_owned(), Value::from(s)));
            }
            proptest::prop_assert_eq!(encoded(&body, n, as_string), member_text(&body, n, as_string));
        }

        #[test]
        fn split_n_agrees_with_the_formula(n in 0u32..5_000, max in 0u32..u32::MAX) {
            proptest::prop_assert_eq!(split_n(n, max).collect::<Vec<_>>(), split_by_formula(n, max));
        }

        #[test]
        fn split_n_sums_to_n_with_the_remainder_last(n in 1u32..5_000, max in 1u32..64) {
            let parts: Vec<u32> = split_n(n, max).collect();
            proptest::prop_assert_eq!(parts.iter().map(|&p| u64::from(p)).sum::<u64>(), u64::from(n));
            proptest::prop_assert_eq!(parts.len() as u32, n.div_ceil(max));
            let (last, rest) = parts.split_last().unwrap();
            proptest::prop_assert!(rest.iter().all(|&p| p == max));
            proptest::prop_assert!(*last >= 1 && *last <= max);
        }
    }
}
