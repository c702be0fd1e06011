//! Proptest strategies for downstream property tests (feature `proptest`).
//!
//! Use these to drive your own code with sizes and requests that this crate
//! knows to be valid, or to break in one named way:
//!
//! - [`valid_size`] / [`valid_size_spec`]: sizes a [`SizePolicy`] accepts;
//! - [`size_breaking`]: sizes that break exactly one part of a [`SizeRule`];
//! - [`valid_request`]: requests a [`Profile`] accepts (no errors; warnings allowed);
//! - [`invalid_request`]: requests a profile refuses for exactly one reason,
//!   with the stable [`Code`] that reason carries;
//! - [`request`] and [`request_json`]: anything at all, for "never panics" tests.
//!
//! Every type also implements [`proptest::arbitrary::Arbitrary`], so
//! `any::<Size>()`, `any::<ImageRequest>()` and `any::<Code>()` work too.
//!
//! The size strategies pick from the sizes on a grid of the rule's multiple
//! (every size for rules of up to 1024 steps per edge, as all built-in rules
//! are; a coarser grid of multiples beyond that), so they are exact and cheap
//! to build. Build a strategy once per test, not once per case.
//!
//! ```
//! use gpt_image_plan::strategies::{invalid_request, valid_request, valid_size};
//! use gpt_image_plan::{builtin_profile, validate};
//! use proptest::prelude::*;
//! use proptest::test_runner::{Config, TestRunner};
//!
//! let openai = builtin_profile("openai").unwrap();
//! let sizes = &openai.model("gpt-image-2").unwrap().rules.sizes;
//! let mut runner = TestRunner::new(Config { cases: 32, ..Config::default() });
//!
//! // Every generated size passes the policy.
//! runner.run(&valid_size(sizes).unwrap(), |size| {
//!     prop_assert!(sizes.allows(size));
//!     Ok(())
//! }).unwrap();
//!
//! // Valid requests validate; invalid ones fail with the code they name.
//! runner.run(&valid_request(openai).unwrap(), |req| {
//!     prop_assert!(validate(&req, openai).is_valid());
//!     Ok(())
//! }).unwrap();
//! runner.run(&invalid_request(openai).unwrap(), |bad| {
//!     let report = validate(&bad.request, openai);
//!     prop_assert!(report.errors().all(|d| d.code == bad.code));
//!     prop_assert!(report.has(bad.code));
//!     Ok(())
//! }).unwrap();
//! ```

use std::fmt::Debug;
use std::sync::Arc;

use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

use crate::diag::{Code, Field, Kind};
use crate::params::{Background, OutputFormat};
use crate::profile::{Profile, ServedModel};
use crate::request::ImageRequest;
use crate::rules::{CompressionElsewhere, ModelRules, ParamRule, SizePolicy, Support};
use crate::samples;
use crate::size::{RuleBreak, Size, SizeRule, SizeSpec};
use crate::validate::validate;

/// At most this many grid steps per edge are searched when building a size pool.
const GRID_STEPS: u64 = 1024;

/// The multiples of `multiple` from `multiple` up to `limit`, thinned to at
/// most [`GRID_STEPS`] values by stepping over several multiples at a time.
fn grid(multiple: u32, limit: u64) -> Vec<u32> {
    let m = u64::from(multiple.max(1));
    let limit = limit.min(u64::from(u32::MAX));
    let stride = m.saturating_mul((limit / m).div_ceil(GRID_STEPS).max(1));
    (1..=limit / stride)
        .filter_map(|i| u32::try_from(i * stride).ok())
        .collect()
}

/// Whether `size` breaks `broken` and nothing else.
fn breaks_only(rule: &SizeRule, size: Size, broken: RuleBreak) -> bool {
    let found = rule.check(size);
    found.len() == 1 && found.contains(broken)
}

/// The valid sizes of `rule` on its grid.
fn rule_pool(rule: &SizeRule) -> Vec<Size> {
    let edges = grid(rule.multiple, u64::from(rule.max_edge));
    let mut pool = Vec::new();
    for &w in &edges {
        for &h in &edges {
            let size = Size::new(w, h);
            if rule.allows(size) {
                pool.push(size);
            }
        }
    }
    pool
}

/// Every size of `policy` that the strategies pick from.
fn policy_pool(policy: &SizePolicy) -> Vec<Size> {
    let mut pool = policy.rule.as_ref().map(rule_pool).unwrap_or_default();
    for &size in &policy.list {
        if !pool.contains(&size) {
            pool.push(size);
        }
    }
    pool
}

/// Sizes that `policy` accepts: its list and the sizes its rule allows.
///
/// `None` when the policy accepts no explicit size (only `auto`), or when a
/// rule larger than 1024 steps per edge allows none of the sizes on the
/// coarser grid searched.
///
/// ```
/// use gpt_image_plan::{builtin_profile, strategies::valid_size};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let policy = &builtin_profile("enum-sizes").unwrap().model("gpt-image-2").unwrap().rules.sizes;
/// let size = valid_size(policy).unwrap().new_tree(&mut TestRunner::deterministic()).unwrap().current();
/// assert!(policy.list.contains(&size));
/// ```
pub fn valid_size(policy: &SizePolicy) -> Option<BoxedStrategy<Size>> {
    let pool = policy_pool(policy);
    (!pool.is_empty()).then(|| select(pool).boxed())
}

/// Size specs that `policy` accepts: [`valid_size`], plus `auto` (one case in
/// eight) when the policy takes it.
///
/// `None` when the policy accepts nothing [`valid_size`] can find and not `auto`.
///
/// ```
/// use gpt_image_plan::{builtin_profile, strategies::valid_size_spec};
/// let dalle3 = &builtin_profile("openai").unwrap().model("dall-e-3").unwrap().rules.sizes;
/// assert!(valid_size_spec(dalle3).is_some());
/// ```
pub fn valid_size_spec(policy: &SizePolicy) -> Option<BoxedStrategy<SizeSpec>> {
    let sizes = valid_size(policy).map(|s| s.prop_map(SizeSpec::Size).boxed());
    match (sizes, policy.auto) {
        (Some(sizes), true) => Some(prop_oneof![1 => Just(SizeSpec::Auto), 7 => sizes].boxed()),
        (Some(sizes), false) => Some(sizes),
        (None, true) => Some(Just(SizeSpec::Auto).boxed()),
        (None, false) => None,
    }
}

/// Sizes that break `broken` and no other part of `rule`.
///
/// For [`RuleBreak::NotMultipleOf16`] these are valid sizes moved 1, half a
/// multiple or one short of a multiple off the grid; for the others, sizes on
/// the grid of multiples up to twice the rule's longest edge. `None` when no
/// such size exists there (a rule whose multiple is 1 cannot be broken by
/// being off the grid; a rule whose largest square fits its pixel maximum
/// cannot be broken by too many pixels alone).
///
/// ```
/// use gpt_image_plan::{RuleBreak, SizeRule, strategies::size_breaking};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let rule = SizeRule::GPT_IMAGE_2;
/// let strategy = size_breaking(&rule, RuleBreak::TooManyPixels).unwrap();
/// let size = strategy.new_tree(&mut TestRunner::deterministic()).unwrap().current();
/// let broken: Vec<RuleBreak> = rule.check(size).iter().collect();
/// assert_eq!(broken, [RuleBreak::TooManyPixels]);
/// ```
pub fn size_breaking(rule: &SizeRule, broken: RuleBreak) -> Option<BoxedStrategy<Size>> {
    let pool = breaking_pool(rule, broken);
    (!pool.is_empty()).then(|| select(pool).boxed())
}

fn breaking_pool(rule: &SizeRule, broken: RuleBreak) -> Vec<Size> {
    let mut pool = Vec::new();
    if broken == RuleBreak::NotMultipleOf16 {
        let m = rule.multiple;
        if m <= 1 {
            return pool;
        }
        let mut offsets = vec![1, m / 2, m - 1];
        offsets.retain(|&d| d > 0 && d < m);
        offsets.dedup();
        for valid in rule_pool(rule) {
            let (w, h) = (valid.width(), valid.height());
            for &d in &offsets {
                let moved = [
                    w.checked_add(d).map(|w| Size::new(w, h)),
                    w.checked_sub(d).map(|w| Size::new(w, h)),
                    h.checked_add(d).map(|h| Size::new(w, h)),
                    h.checked_sub(d).map(|h| Size::new(w, h)),
                ];
                for size in moved.into_iter().flatten() {
                    if breaks_only(rule, size, broken) {
                        pool.push(size);
                    }
                }
            }
        }
    } else {
        let edges = grid(rule.multiple, u64::from(rule.max_edge).saturating_mul(2));
        for &w in &edges {
            for &h in &edges {
                let size = Size::new(w, h);
                if breaks_only(rule, size, broken) {
                    pool.push(size);
                }
            }
        }
    }
    pool.sort();
    pool.dedup();
    pool
}

/// Any request at all: the [`Arbitrary`] strategy for [`ImageRequest`],
/// leaning towards known model names, sizes near the grid and prompts at the
/// length limits. For "never panics" and "same answer twice" properties.
pub fn request() -> BoxedStrategy<ImageRequest> {
    any::<ImageRequest>()
}

/// Request bodies as JSON text, from well-formed to hostile: known and
/// unknown keys, duplicates, every JSON type in every field, nesting, and
/// now and then text that is not JSON at all.
///
/// ```
/// use gpt_image_plan::{builtin_profiles, strategies::request_json, validate_json};
/// use proptest::test_runner::{Config, TestRunner};
///
/// let mut runner = TestRunner::new(Config { cases: 64, ..Config::default() });
/// runner.run(&request_json(), |body| {
///     for profile in builtin_profiles() {
///         let _ = validate_json(&body, profile); // never panics
///     }
///     Ok(())
/// }).unwrap();
/// ```
pub fn request_json() -> BoxedStrategy<String> {
    // Every parameter name, plus near misses the reader must handle.
    let keys: Vec<&'static str> = Field::PARAMETERS
        .iter()
        .map(|f| f.as_str())
        .chain(["sizes", "Model", "prompt ", "", "\u{0}"])
        .collect();
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        (0..=20u32).prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::from),
        select(samples::model_names()).prop_map(serde_json::Value::from),
        any::<SizeSpec>().prop_map(|s| serde_json::Value::from(s.to_string())),
        select(
            &[
                "low",
                "high",
                "auto",
                "png",
                "jpeg",
                "transparent",
                "url",
                "true",
                "4"
            ][..]
        )
        .prop_map(serde_json::Value::from),
    ];
    let value = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-z]{0,4}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    let key = prop_oneof![
        6 => select(keys).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    let object = prop::collection::vec((key, value), 0..8).prop_map(|fields| {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}: {v}", serde_json::Value::from(k.as_str())))
            .collect();
        format!("{{{}}}", body.join(", "))
    });
    prop_oneof![
        8 => object,
        1 => any::<String>(),
        1 => (1..200usize).prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth))),
    ]
    .boxed()
}

/// A request the profile refuses, and the code of the one rule it breaks.
///
/// Validating `request` against the profile gives at least one error, and
/// every error has `code`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidRequest {
    /// The request.
    pub request: ImageRequest,
    /// The stable code every error about it carries.
    pub code: Code,
}

/// Whether a field left out is an error: required, with no default to send.
fn must(rules: &ModelRules, field: Field) -> bool {
    if !rules.required.contains(&field) {
        return false;
    }
    let d = &rules.defaults;
    let defaulted = match field {
        Field::N => d.n.is_some(),
        Field::Size => d.size.is_some(),
        Field::Quality => d.quality.is_some(),
        Field::Background => d.background.is_some(),
        Field::OutputFormat => d.output_format.is_some(),
        Field::Moderation => d.moderation.is_some(),
        Field::ResponseFormat => d.response_format.is_some(),
        Field::Style => d.style.is_some(),
        _ => false,
    };
    !defaulted
}

/// `Some` always when `required`, otherwise now and then `None`.
fn opt<T: Clone + Debug + 'static>(
    values: BoxedStrategy<T>,
    required: bool,
) -> BoxedStrategy<Option<T>> {
    if required {
        values.prop_map(Some).boxed()
    } else {
        option::of(values).boxed()
    }
}

/// The values a choice parameter accepts without error: its listed values (or
/// every value when none are listed) unless it is rejected.
fn accepted<T: Copy + PartialEq + strum::VariantArray>(rule: &ParamRule<T>) -> Vec<T> {
    match rule.support {
        Support::Rejected => Vec::new(),
        Support::Undocumented => T::VARIANTS.to_vec(),
        Support::Supported | Support::NoEffect if rule.values.is_empty() => T::VARIANTS.to_vec(),
        Support::Supported | Support::NoEffect => rule.values.clone(),
    }
}

/// The values a choice parameter refuses, with the code refusing them gives.
fn refused<T: Copy + PartialEq + strum::VariantArray>(
    field: Field,
    rule: &ParamRule<T>,
) -> Option<(Vec<T>, Code)> {
    match rule.support {
        Support::Rejected => Some((T::VARIANTS.to_vec(), Code::new(field, Kind::NotSupported))),
        Support::Supported | Support::NoEffect if !rule.values.is_empty() => {
            let off: Vec<T> = T::VARIANTS
                .iter()
                .copied()
                .filter(|v| !rule.values.contains(v))
                .collect();
            (!off.is_empty()).then_some((off, Code::new(field, Kind::UnsupportedValue)))
        }
        _ => None,
    }
}

fn choice<T>(field: Field, rule: &ParamRule<T>, rules: &ModelRules) -> BoxedStrategy<Option<T>>
where
    T: Copy + PartialEq + Debug + strum::VariantArray + 'static,
{
    let values = accepted(rule);
    if values.is_empty() {
        return Just(None).boxed();
    }
    opt(select(values).boxed(), must(rules, field))
}

/// An optional flag: present now and then unless rejected.
fn flag<T: Clone + Debug + 'static>(
    support: Support,
    values: BoxedStrategy<T>,
) -> BoxedStrategy<Option<T>> {
    if support == Support::Rejected {
        Just(None).boxed()
    } else {
        option::of(values).boxed()
    }
}

/// A prompt of an accepted length: usually short, sometimes exactly the maximum.
fn valid_prompt(min: u32, max: u32) -> BoxedStrategy<String> {
    let (min, max) = (min as usize, max as usize);
    let short_max = max.min(min + 40);
    let chars = prop_oneof![any::<char>(), select(&samples::FILL_CHARS[..])];
    let short = prop::collection::vec(chars, min..=short_max)
        .prop_map(|cs| cs.into_iter().collect::<String>());
    if max > 1_000_000 {
        return short.boxed();
    }
    prop_oneof![
        6 => short,
        1 => select(&samples::FILL_CHARS[..]).prop_map(move |c| std::iter::repeat_n(c, max).collect()),
    ]
    .boxed()
}

/// Whether the output format `f` is accepted without error for these rules.
fn format_ok(rules: &ModelRules, f: OutputFormat) -> bool {
    accepted(&rules.params.output_format).contains(&f)
}

/// Repairs the cross-field conflicts a field-by-field draw can produce:
/// a transparent background with a format that has no alpha, and a compression
/// with a format it may not be sent with.
fn reconcile(rules: &ModelRules, req: &mut ImageRequest) {
    let p = &rules.params;
    let transparent_checked = p.background.support == Support::Supported
        && p.background.values.contains(&Background::Transparent)
        && !p.transparent_formats.is_empty();
    if transparent_checked && req.background == Some(Background::Transparent) {
        let format = req.output_format.or(rules.defaults.output_format);
        if format.is_some_and(|f| !p.transparent_formats.contains(&f)) {
            match p.transparent_formats.iter().find(|&&f| format_ok(rules, f)) {
                Some(&f) => req.output_format = Some(f),
                None => req.background = Some(Background::Opaque),
            }
        }
    }
    let c = &p.output_compression;
    if c.support == Support::Supported && req.output_compression.is_some() && !c.formats.is_empty()
    {
        let format = req.output_format.or(rules.defaults.output_format);
        if let Some(format) = format
            && !c.formats.contains(&format)
        {
            match c.elsewhere {
                CompressionElsewhere::MustBe100 => req.output_compression = Some(100),
                CompressionElsewhere::Rejected => req.output_compression = None,
                _ => {}
            }
        }
    }
}

/// Requests for one served model that draw every field from what it accepts.
fn drawn_for_model(profile: &Profile, model: &ServedModel) -> Option<BoxedStrategy<ImageRequest>> {
    let rules = &model.rules;
    let p = &rules.params;
    let name_optional = profile.default_model.as_deref() == Some(model.name.as_str())
        && !rules.required.contains(&Field::Model);
    let model_name = opt(Just(model.name.clone()).boxed(), !name_optional);
    let prompt = opt(
        valid_prompt(rules.prompt.min_chars, rules.prompt.max_chars),
        rules.required.contains(&Field::Prompt),
    );
    let n = opt((rules.n.min..=rules.n.max).boxed(), must(rules, Field::N));
    let size = opt(valid_size_spec(&rules.sizes)?, must(rules, Field::Size));
    let compression = match p.output_compression.support {
        Support::Supported => {
            let c = &p.output_compression;
            option::of(c.min..=c.max).boxed()
        }
        Support::Rejected => Just(None).boxed(),
        _ => option::of(0..=100u32).boxed(),
    };
    let partial = match p.partial_images.support {
        Support::Supported | Support::NoEffect => {
            option::of(p.partial_images.min..=p.partial_images.max).boxed()
        }
        Support::Rejected => Just(None).boxed(),
        _ => option::of(0..=3u32).boxed(),
    };
    let head = (
        model_name,
        prompt,
        n,
        size,
        choice(Field::Quality, &p.quality, rules),
        choice(Field::Background, &p.background, rules),
        choice(Field::OutputFormat, &p.output_format, rules),
        compression,
    );
    let tail = (
        choice(Field::Moderation, &p.moderation, rules),
        choice(Field::ResponseFormat, &p.response_format, rules),
        choice(Field::Style, &p.style, rules),
        flag(p.stream.support, any::<bool>().boxed()),
        partial,
        flag(p.user.support, "[a-z0-9_-]{1,16}".boxed()),
        flag(p.enable_sync_mode.support, any::<bool>().boxed()),
    );
    let rules = Arc::new(rules.clone());
    Some(
        (head, tail)
            .prop_map(move |(head, tail)| {
                let mut req = crate::proptest_impls::assemble(head, tail);
                reconcile(&rules, &mut req);
                req
            })
            .boxed(),
    )
}

/// Requests that `profile` accepts: validation finds no error (warnings, such
/// as a retired model or a parameter with no effect, may remain).
///
/// Every served model is drawn, and every field is drawn from what that model
/// accepts there (required fields always present, others now and then left
/// out); prompts are sometimes exactly the maximum length. `None` when the
/// profile serves no model.
///
/// ```
/// use gpt_image_plan::{builtin_profile, strategies::valid_request, validate};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let uniall = builtin_profile("uniall").unwrap();
/// let req = valid_request(uniall).unwrap().new_tree(&mut TestRunner::deterministic()).unwrap().current();
/// assert!(validate(&req, uniall).is_valid());
/// assert!(req.n.is_some(), "uniall requires n");
/// ```
pub fn valid_request(profile: &Profile) -> Option<BoxedStrategy<ImageRequest>> {
    let models: Vec<BoxedStrategy<ImageRequest>> = profile
        .models
        .iter()
        .filter_map(|m| drawn_for_model(profile, m))
        .collect();
    if models.is_empty() {
        return None;
    }
    let profile = Arc::new(profile.clone());
    Some(
        proptest::strategy::Union::new(models)
            .prop_filter("valid for the profile", move |req| {
                validate(req, &profile).is_valid()
            })
            .boxed(),
    )
}

/// One way to break a valid request, with the code it must produce.
type Break = (Code, BoxedStrategy<ImageRequest>);

fn code(field: Field, kind: Kind) -> Code {
    Code::new(field, kind)
}

/// `base` with `change` applied, drawing the change's value from `values`.
fn changed<T: Clone + Debug + 'static>(
    base: &BoxedStrategy<ImageRequest>,
    values: BoxedStrategy<T>,
    change: impl Fn(&mut ImageRequest, T) + Send + Sync + 'static,
) -> BoxedStrategy<ImageRequest> {
    (base.clone(), values)
        .prop_map(move |(mut req, v)| {
            change(&mut req, v);
            req
        })
        .boxed()
}

/// Every single-rule break that applies to one served model.
fn breaks_for_model(profile: &Profile, model: &ServedModel) -> Vec<Break> {
    let Some(base) = drawn_for_model(profile, model) else {
        return Vec::new();
    };
    let rules = &model.rules;
    let p = &rules.params;
    let mut out: Vec<Break> = Vec::new();

    // model
    out.push((
        code(Field::Model, Kind::Unknown),
        changed(&base, "[a-z0-9]{1,8}".boxed(), |r, s| {
            r.model = Some(format!("no-such-model-{s}"));
        }),
    ));
    for refused in &profile.refused_models {
        let name = refused.name.clone();
        out.push((
            code(Field::Model, Kind::Unavailable),
            changed(&base, Just(()).boxed(), move |r, ()| {
                r.model = Some(name.clone())
            }),
        ));
    }

    // prompt
    let limits = rules.prompt;
    if rules.required.contains(&Field::Prompt) {
        out.push((
            code(Field::Prompt, Kind::Missing),
            changed(&base, Just(()).boxed(), |r, ()| r.prompt = None),
        ));
    }
    if limits.max_chars <= 1_000_000 {
        let max = limits.max_chars as usize;
        let over = (1..=3usize, select(&samples::FILL_CHARS[..]));
        out.push((
            code(Field::Prompt, Kind::TooLong),
            changed(&base, over.boxed(), move |r, (extra, c)| {
                r.prompt = Some(std::iter::repeat_n(c, max + extra).collect());
            }),
        ));
    }
    if limits.min_chars >= 1 {
        let short = limits.min_chars as usize - 1;
        out.push((
            code(Field::Prompt, Kind::Empty),
            changed(&base, Just(()).boxed(), move |r, ()| {
                r.prompt = Some("a".repeat(short));
            }),
        ));
    }

    // n
    let n = rules.n;
    if n.min >= 1 {
        out.push((
            code(Field::N, Kind::OutOfRange),
            changed(&base, (0..n.min).boxed(), |r, v| r.n = Some(v)),
        ));
    }
    let top = n.split_max.unwrap_or(n.max);
    if top < u32::MAX {
        out.push((
            code(Field::N, Kind::OutOfRange),
            changed(
                &base,
                (top + 1..=top.saturating_add(100)).boxed(),
                |r, v| {
                    r.n = Some(v);
                },
            ),
        ));
    }
    if must(rules, Field::N) {
        out.push((
            code(Field::N, Kind::Missing),
            changed(&base, Just(()).boxed(), |r, ()| r.n = None),
        ));
    }

    // size
    let policy = Arc::new(rules.sizes.clone());
    if let Some(rule) = policy.rule {
        for &broken in <RuleBreak as strum::VariantArray>::VARIANTS {
            let sizes: Vec<Size> = breaking_pool(&rule, broken)
                .into_iter()
                .filter(|s| !policy.allows(*s))
                .collect();
            if sizes.is_empty() {
                continue;
            }
            let kind = match broken {
                RuleBreak::NotMultipleOf16 => Kind::NotMultipleOf16,
                RuleBreak::EdgeTooLong => Kind::EdgeTooLong,
                RuleBreak::AspectTooExtreme => Kind::AspectTooExtreme,
                RuleBreak::TooFewPixels => Kind::TooFewPixels,
                RuleBreak::TooManyPixels => Kind::TooManyPixels,
            };
            out.push((
                code(Field::Size, kind),
                changed(&base, select(sizes).boxed(), |r, s| {
                    r.size = Some(SizeSpec::Size(s))
                }),
            ));
        }
    } else {
        let allows = Arc::clone(&policy);
        let off_list = any::<Size>().prop_filter("not offered", move |s| !allows.allows(*s));
        out.push((
            code(Field::Size, Kind::NotOffered),
            changed(&base, off_list.boxed(), |r, s| {
                r.size = Some(SizeSpec::Size(s))
            }),
        ));
    }
    if !policy.auto {
        out.push((
            code(Field::Size, Kind::NotOffered),
            changed(&base, Just(()).boxed(), |r, ()| {
                r.size = Some(SizeSpec::Auto)
            }),
        ));
    }
    if must(rules, Field::Size) {
        out.push((
            code(Field::Size, Kind::Missing),
            changed(&base, Just(()).boxed(), |r, ()| r.size = None),
        ));
    }

    // choice parameters
    macro_rules! refuse {
        ($field:expr, $rule:expr, $slot:ident) => {
            if let Some((values, c)) = refused($field, $rule) {
                out.push((
                    c,
                    changed(&base, select(values).boxed(), |r, v| {
                        r.$slot = Some(v);
                        // A format change must not also trip the compression
                        // or transparency checks.
                        if stringify!($slot) == "output_format" {
                            r.output_compression = None;
                            r.background = None;
                        }
                    }),
                ));
            }
        };
    }
    refuse!(Field::Quality, &p.quality, quality);
    refuse!(Field::Background, &p.background, background);
    refuse!(Field::OutputFormat, &p.output_format, output_format);
    refuse!(Field::Moderation, &p.moderation, moderation);
    refuse!(Field::ResponseFormat, &p.response_format, response_format);
    refuse!(Field::Style, &p.style, style);

    // flags
    let not_supported = |field| code(field, Kind::NotSupported);
    if p.stream.support == Support::Rejected {
        out.push((
            not_supported(Field::Stream),
            changed(&base, any::<bool>().boxed(), |r, v| r.stream = Some(v)),
        ));
    }
    if p.user.support == Support::Rejected {
        out.push((
            not_supported(Field::User),
            changed(&base, "[a-z]{1,8}".boxed(), |r, v| r.user = Some(v)),
        ));
    }
    if p.enable_sync_mode.support == Support::Rejected {
        out.push((
            not_supported(Field::EnableSyncMode),
            changed(&base, any::<bool>().boxed(), |r, v| {
                r.enable_sync_mode = Some(v)
            }),
        ));
    }

    // output_compression
    let c = p.output_compression.clone();
    match c.support {
        Support::Rejected => out.push((
            not_supported(Field::OutputCompression),
            changed(&base, (0..=100u32).boxed(), |r, v| {
                r.output_compression = Some(v)
            }),
        )),
        Support::Supported => {
            if c.max < u32::MAX {
                out.push((
                    code(Field::OutputCompression, Kind::OutOfRange),
                    changed(
                        &base,
                        (c.max + 1..=c.max.saturating_add(50)).boxed(),
                        |r, v| {
                            r.output_compression = Some(v);
                        },
                    ),
                ));
            }
            if c.min > 0 {
                out.push((
                    code(Field::OutputCompression, Kind::OutOfRange),
                    changed(&base, (0..c.min).boxed(), |r, v| {
                        r.output_compression = Some(v)
                    }),
                ));
            }
            let elsewhere: Vec<OutputFormat> = <OutputFormat as strum::VariantArray>::VARIANTS
                .iter()
                .copied()
                .filter(|f| !c.formats.is_empty() && !c.formats.contains(f) && format_ok(rules, *f))
                .collect();
            let values = match c.elsewhere {
                CompressionElsewhere::MustBe100 => Some(
                    (c.min..=c.max)
                        .prop_filter("not 100", |v| *v != 100)
                        .boxed(),
                ),
                CompressionElsewhere::Rejected => Some((c.min..=c.max).boxed()),
                _ => None,
            };
            if let Some(values) = values
                && !elsewhere.is_empty()
            {
                out.push((
                    code(Field::OutputCompression, Kind::Incompatible),
                    changed(&base, (select(elsewhere), values).boxed(), |r, (f, v)| {
                        r.output_format = Some(f);
                        r.output_compression = Some(v);
                        r.background = None;
                    }),
                ));
            }
        }
        _ => {}
    }

    // partial_images
    let pi = p.partial_images;
    match pi.support {
        Support::Rejected => out.push((
            not_supported(Field::PartialImages),
            changed(&base, (0..=3u32).boxed(), |r, v| r.partial_images = Some(v)),
        )),
        Support::Supported | Support::NoEffect if pi.max < u32::MAX => out.push((
            code(Field::PartialImages, Kind::OutOfRange),
            changed(
                &base,
                (pi.max + 1..=pi.max.saturating_add(10)).boxed(),
                |r, v| {
                    r.partial_images = Some(v);
                },
            ),
        )),
        _ => {}
    }

    // a transparent background with a format that has no alpha
    let transparent_checked = p.background.support == Support::Supported
        && p.background.values.contains(&Background::Transparent)
        && !p.transparent_formats.is_empty();
    if transparent_checked {
        let opaque_formats: Vec<OutputFormat> = <OutputFormat as strum::VariantArray>::VARIANTS
            .iter()
            .copied()
            .filter(|f| !p.transparent_formats.contains(f) && format_ok(rules, *f))
            .collect();
        if !opaque_formats.is_empty() {
            out.push((
                code(Field::Background, Kind::Incompatible),
                changed(&base, select(opaque_formats).boxed(), |r, f| {
                    r.background = Some(Background::Transparent);
                    r.output_format = Some(f);
                    r.output_compression = None;
                }),
            ));
        }
    }
    out
}

/// Requests that `profile` refuses for exactly one reason, each with the code
/// of that reason.
///
/// Each case starts from a [`valid_request`] for one served model and breaks
/// one rule that applies there: an unknown or refused model, a missing
/// required field, a prompt one to three characters over the limit (or under
/// the minimum), `n` out of range, a size that breaks exactly one part of the
/// size rule (or is not offered), a value a parameter does not take, a
/// parameter the model rejects, a compression out of range or with the wrong
/// format, partial images out of range, a transparent background with a
/// format without alpha. Cases whose report has any error with another code
/// are filtered out. `None` when the profile serves no model.
///
/// ```
/// use gpt_image_plan::{builtin_profile, strategies::invalid_request, validate};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let profile = builtin_profile("enum-sizes").unwrap();
/// let bad = invalid_request(profile).unwrap().new_tree(&mut TestRunner::deterministic()).unwrap().current();
/// assert!(validate(&bad.request, profile).has(bad.code));
/// ```
pub fn invalid_request(profile: &Profile) -> Option<BoxedStrategy<InvalidRequest>> {
    let breaks: Vec<BoxedStrategy<InvalidRequest>> = profile
        .models
        .iter()
        .flat_map(|m| breaks_for_model(profile, m))
        .map(|(code, requests)| {
            requests
                .prop_map(move |request| InvalidRequest { request, code })
                .boxed()
        })
        .collect();
    if breaks.is_empty() {
        return None;
    }
    let profile = Arc::new(profile.clone());
    Some(
        proptest::strategy::Union::new(breaks)
            .prop_filter("breaks exactly the rule named", move |bad| {
                let report = validate(&bad.request, &profile);
                report.errors().next().is_some() && report.errors().all(|d| d.code == bad.code)
            })
            .boxed(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::builtin_profiles;

    #[test]
    fn grid_is_every_multiple_up_to_1024_steps() {
        assert_eq!(grid(16, 64), [16, 32, 48, 64]);
        assert_eq!(grid(16, 3840).len(), 240);
        assert_eq!(grid(0, 3), [1, 2, 3]);
    }

    #[test]
    fn grid_thins_large_rules_to_multiples() {
        let edges = grid(1, u64::from(u32::MAX));
        assert!(edges.len() <= 1024, "{}", edges.len());
        assert!(edges.len() > 1000);
        let wide = grid(16, 1 << 40);
        assert!(wide.iter().all(|e| e % 16 == 0));
        assert!(wide.len() <= 1024);
    }

    #[test]
    fn the_gpt_image_2_pool_is_every_valid_size() {
        let rule = SizeRule::GPT_IMAGE_2;
        let pool = rule_pool(&rule);
        let all: Vec<Size> = rule.sizes().collect();
        assert_eq!(pool, all);
    }

    #[test]
    fn every_gpt_image_2_rule_can_be_broken_alone() {
        for &broken in <RuleBreak as strum::VariantArray>::VARIANTS {
            let pool = breaking_pool(&SizeRule::GPT_IMAGE_2, broken);
            assert!(!pool.is_empty(), "{broken}");
            assert!(
                pool.iter()
                    .all(|s| breaks_only(&SizeRule::GPT_IMAGE_2, *s, broken))
            );
        }
    }

    #[test]
    fn a_multiple_of_one_cannot_be_broken_by_the_grid() {
        let rule = SizeRule {
            multiple: 1,
            ..SizeRule::GPT_IMAGE_2
        };
        assert!(size_breaking(&rule, RuleBreak::NotMultipleOf16).is_none());
    }

    #[test]
    fn every_builtin_model_has_some_break() {
        for profile in builtin_profiles() {
            for model in &profile.models {
                let codes: Vec<String> = breaks_for_model(profile, model)
                    .iter()
                    .map(|(c, _)| c.to_string())
                    .collect();
                assert!(codes.contains(&"model.unknown".to_owned()));
                assert!(codes.len() >= 5, "{} {}: {codes:?}", profile.id, model.name);
            }
        }
    }
}
