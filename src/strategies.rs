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
//! - [`valid_request_on`] and [`invalid_request_on`]: the same, with model
//!   lifecycles judged on a given date (as [`validate_on`](crate::validate_on) does);
//! - [`request`] and [`request_json`]: anything at all, for "never panics" tests.
//!
//! Parameters are drawn through the data: a request for a served model takes
//! the parameters its `rules.params` lists, with values from each rule (its
//! allowed values, its integer range, its text length), repaired so that the
//! model's `constraints` hold. Invalid requests break one rule the data
//! states: a value off a parameter's list, a number out of its range, a text
//! too long, a value of the wrong type, a parameter the model refuses, an
//! undeclared name where the profile refuses unknown fields, or one of the
//! model's constraints.
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
//!     prop_assert!(report.has(&bad.code));
//!     Ok(())
//! }).unwrap();
//! ```

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::Arc;

use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

use crate::diag::{Code, Field, Kind};
use crate::model::{Date, ModelState};
use crate::params::{ParamValue, Params};
use crate::profile::{Profile, ServedModel, UnknownFields};
use crate::request::ImageRequest;
use crate::rules::{
    Constraint, Effect, ModelRules, ParamDecl, ParamRule, ParamType, SizePolicy, Support,
};
use crate::samples;
use crate::size::{RuleBreak, Size, SizeRule, SizeSpec};
use crate::validate::validate_on;

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
/// leaning towards known model names, sizes near the grid, prompts at the
/// length limits and the parameters and values the built-in data names. For
/// "never panics" and "same answer twice" properties.
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
    // Every field and parameter name the data knows, plus near misses the
    // reader must handle.
    let keys: Vec<String> = Field::CORE
        .iter()
        .map(|f| f.as_str().to_owned())
        .chain(samples::param_names().iter().cloned())
        .chain(samples::UNDECLARED_NAMES.iter().map(|&k| k.to_owned()))
        .chain(["Model".to_owned()])
        .collect();
    // Every value the data names for any parameter, as JSON.
    let mut known: Vec<serde_json::Value> = samples::param_names()
        .iter()
        .flat_map(|name| samples::param_values(name))
        .map(ParamValue::to_json)
        .chain(["true", "4", "HIGH"].map(serde_json::Value::from))
        .collect();
    known.dedup();
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
        select(known),
    ];
    let value = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-z]{0,4}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    let key = prop_oneof![
        6 => select(keys),
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

/// Any value of `kind` within `rule`'s range and length (the rule's list is
/// not looked at): a boolean, a number from `min` to `max` (or 100 above
/// `min` when there is no maximum), a short word.
fn of_type(kind: ParamType, rule: &ParamRule) -> BoxedStrategy<ParamValue> {
    match kind {
        ParamType::Boolean => any::<bool>().prop_map(ParamValue::Bool).boxed(),
        ParamType::Integer => {
            let lo = rule.min.unwrap_or(0);
            let hi = rule.max.unwrap_or(lo.saturating_add(100)).max(lo);
            (lo..=hi).prop_map(ParamValue::Int).boxed()
        }
        _ => {
            let max = rule.max_chars.map_or(16, |m| m.min(16)) as usize;
            let chars: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789_-".chars().collect();
            prop::collection::vec(select(chars), max.min(1)..=max)
                .prop_map(|cs| ParamValue::Text(cs.into_iter().collect()))
                .boxed()
        }
    }
}

/// A value of any type but `kind`.
fn not_of_type(kind: ParamType) -> BoxedStrategy<ParamValue> {
    let values = [
        any::<bool>().prop_map(ParamValue::Bool).boxed(),
        (0..=200u32).prop_map(ParamValue::Int).boxed(),
        "[a-z0-9]{0,8}".prop_map(ParamValue::Text).boxed(),
    ];
    let other: Vec<BoxedStrategy<ParamValue>> = values
        .into_iter()
        .zip([ParamType::Boolean, ParamType::Integer, ParamType::String])
        .filter(|(_, k)| *k != kind)
        .map(|(s, _)| s)
        .collect();
    proptest::strategy::Union::new(other).boxed()
}

/// What one served model takes, for drawing and repairing requests: the
/// profile's declared parameters and the model's rules.
#[derive(Clone, Debug)]
struct Taken {
    declared: Arc<BTreeMap<String, ParamDecl>>,
    rules: Arc<ModelRules>,
}

impl Taken {
    fn new(profile: &Profile, model: &ServedModel) -> Self {
        Taken {
            declared: Arc::new(profile.declared.clone()),
            rules: Arc::new(model.rules.clone()),
        }
    }

    /// Whether leaving `name` out is an error: required, with no default to send.
    fn must(&self, name: &str) -> bool {
        self.rules.requires(name) && self.rules.defaults.get(name).is_none()
    }

    /// Whether `value` for `name` draws no error of its own (`n` or a parameter).
    fn accepts(&self, name: &str, value: &ParamValue) -> bool {
        let n = self.rules.n;
        if name == "n" {
            return value.as_int().is_some_and(|v| (n.min..=n.max).contains(&v));
        }
        let Some(decl) = self.declared.get(name) else {
            return false;
        };
        if !decl.kind.admits(value) {
            return false;
        }
        let rule = self.rules.param(name);
        match rule.support {
            Support::Rejected => false,
            Support::Undocumented => true,
            _ => {
                rule.lists(value)
                    && value.as_int().is_none_or(|v| {
                        rule.min.is_none_or(|m| v >= m) && rule.max.is_none_or(|m| v <= m)
                    })
                    && value.as_text().is_none_or(|t| {
                        rule.max_chars
                            .is_none_or(|m| t.chars().count() <= m as usize)
                    })
            }
        }
    }

    /// Whether `value` for parameter `name` passes every check of its own,
    /// so that the model's constraints apply to it (no warning of support).
    fn passes(&self, name: &str, value: &ParamValue) -> bool {
        self.accepts(name, value) && self.rules.param(name).support == Support::Supported
    }

    /// Values parameter `name` takes without error; `None` when it takes none.
    fn accepted(&self, name: &str) -> Option<BoxedStrategy<ParamValue>> {
        let decl = self.declared.get(name)?;
        let rule = self.rules.param(name);
        if rule.support == Support::Rejected {
            return None;
        }
        if rule.values.is_empty() {
            Some(of_type(decl.kind, rule))
        } else {
            Some(select(rule.values.clone()).boxed())
        }
    }

    /// The values the data names for `name` (its list, the data's values
    /// for it anywhere, the model's default, and for integers the ends of
    /// its range) that pass its own checks.
    fn named_values(&self, name: &str) -> Vec<ParamValue> {
        let rule = self.rules.param(name);
        let mut out: Vec<ParamValue> = rule
            .values
            .iter()
            .chain(samples::param_values(name))
            .chain(self.rules.defaults.get(name))
            .cloned()
            .chain(
                [rule.min, rule.max]
                    .into_iter()
                    .flatten()
                    .map(ParamValue::Int),
            )
            .chain(
                self.rules
                    .constraints
                    .iter()
                    .filter(|c| c.param == name)
                    .filter_map(|c| c.min.map(ParamValue::Int)),
            )
            .filter(|v| self.accepts(name, v))
            .collect();
        if name == "n" {
            out = (self.rules.n.min..=self.rules.n.max.min(self.rules.n.min + 16))
                .map(ParamValue::Int)
                .collect();
        }
        out.sort();
        out.dedup();
        out
    }

    /// The value `name` is sent with: the request's, else the model's default.
    fn sent(&self, req: &ImageRequest, name: &str) -> Option<ParamValue> {
        if name == "n" {
            return req.n.or(self.rules.defaults.n()).map(ParamValue::Int);
        }
        req.params
            .get(name)
            .or_else(|| self.rules.defaults.get(name))
            .cloned()
    }

    /// Whether the request gives `name`.
    fn given(req: &ImageRequest, name: &str) -> bool {
        if name == "n" {
            req.n.is_some()
        } else {
            req.params.get(name).is_some()
        }
    }

    fn put(req: &mut ImageRequest, name: &str, value: ParamValue) {
        match (name, value) {
            ("n", ParamValue::Int(n)) => req.n = Some(n),
            (_, value) => req.params.set(name, value),
        }
    }

    /// Takes `name` out of the request, or when the profile requires it,
    /// gives it a value that does not set `c` off.
    fn drop_trigger(&self, req: &mut ImageRequest, name: &str, c: &Constraint) {
        if !self.rules.requires(name) {
            req.params.remove(name);
        } else if let Some(v) = self
            .named_values(name)
            .into_iter()
            .find(|v| !c.triggered_by(v))
        {
            req.params.set(name, v);
        }
    }

    /// Changes the parameters not in `keep` until every constraint whose
    /// breaking is an error holds: a needed value is set, a forbidden
    /// parameter is taken out (or, when it is kept, the one forbidding it).
    fn repair(&self, req: &mut ImageRequest, keep: &[&str]) {
        let kept = |name: &str| keep.contains(&name);
        // A repair may set another constraint off; a few rounds settle it.
        for _ in 0..4 {
            let mut changed = false;
            for c in &self.rules.constraints {
                if c.effect != Effect::Incompatible {
                    continue;
                }
                let Some(value) = req.params.get(&c.param).cloned() else {
                    continue;
                };
                if !c.triggered_by(&value) || !self.passes(&c.param, &value) {
                    continue;
                }
                if let Some(needs) = &c.needs {
                    let met = self
                        .sent(req, &needs.param)
                        .is_some_and(|v| needs.values.contains(&v));
                    if !met {
                        let fix = needs
                            .values
                            .iter()
                            .find(|v| self.accepts(&needs.param, v))
                            .filter(|_| !kept(&needs.param));
                        match fix {
                            Some(v) => Self::put(req, &needs.param, v.clone()),
                            None if !kept(&c.param) => self.drop_trigger(req, &c.param, c),
                            None => {}
                        }
                        changed = true;
                    }
                }
                for f in &c.forbids {
                    if !Self::given(req, f) || req.params.get(&c.param).is_none() {
                        continue;
                    }
                    if !kept(f) {
                        if f == "n" {
                            req.n = None;
                        } else {
                            req.params.remove(f);
                        }
                    } else if !kept(&c.param) {
                        self.drop_trigger(req, &c.param, c);
                    }
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
}

/// Whether `model` is shut down on `date`.
fn shut_down(model: &ServedModel, date: Date) -> bool {
    model.lifecycle.state_on(date) == ModelState::Shutdown
}

/// Requests for one served model that draw every field from what it accepts.
fn drawn_for_model(profile: &Profile, model: &ServedModel) -> Option<BoxedStrategy<ImageRequest>> {
    let taken = Taken::new(profile, model);
    let rules = &model.rules;
    let name_optional =
        profile.default_model.as_deref() == Some(model.name.as_str()) && !rules.requires("model");
    let model_name = opt(Just(model.name.clone()).boxed(), !name_optional);
    let prompt = opt(
        valid_prompt(rules.prompt.min_chars, rules.prompt.max_chars),
        rules.requires("prompt"),
    );
    let n = opt((rules.n.min..=rules.n.max).boxed(), rules.requires("n"));
    let size = opt(valid_size_spec(&rules.sizes)?, rules.requires("size"));
    let params: Vec<BoxedStrategy<Option<(String, ParamValue)>>> = rules
        .params
        .keys()
        .filter_map(|name| {
            let values = taken.accepted(name)?;
            let owned = name.clone();
            let pairs = values.prop_map(move |v| (owned.clone(), v)).boxed();
            Some(opt(pairs, rules.requires(name)))
        })
        .collect();
    let params = params
        .prop_map(|drawn| drawn.into_iter().flatten().collect::<Vec<_>>())
        .prop_shuffle();
    Some(
        (model_name, prompt, n, size, params)
            .prop_map(move |(model, prompt, n, size, params)| {
                let mut req = ImageRequest {
                    model,
                    prompt,
                    n,
                    size,
                    params: Params::from_iter(params),
                };
                taken.repair(&mut req, &[]);
                req
            })
            .boxed(),
    )
}

/// Requests that `profile` accepts: validation finds no error (warnings, such
/// as a deprecated model, a parameter with no effect or a value in preview,
/// may remain). Lifecycles are judged on the catalog's `as_of`, as
/// [`validate`](crate::validate) does.
///
/// Every served model still in service is drawn, and every field is drawn
/// from what that model accepts there (required fields always present,
/// others now and then left out): each parameter the model's rules list,
/// with a value from its rule, in a random order, repaired so that the
/// model's constraints hold; prompts are sometimes exactly the maximum
/// length. `None` when the profile serves no model in service.
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
    valid_request_on(profile, profile.catalog_as_of)
}

/// [`valid_request`] with lifecycles judged on `date`: the models shut down
/// on that day are left out, and the requests pass
/// [`validate_on`](crate::validate_on) on it.
///
/// ```
/// use gpt_image_plan::{builtin_profile, strategies::valid_request_on, validate_on};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let openai = builtin_profile("openai").unwrap();
/// let before = "2026-01-15".parse().unwrap(); // dall-e-3 still served
/// let req = valid_request_on(openai, before).unwrap().new_tree(&mut TestRunner::deterministic()).unwrap().current();
/// assert!(validate_on(&req, openai, before).is_valid());
/// ```
pub fn valid_request_on(profile: &Profile, date: Date) -> Option<BoxedStrategy<ImageRequest>> {
    let models: Vec<BoxedStrategy<ImageRequest>> = profile
        .models
        .iter()
        .filter(|m| !shut_down(m, date))
        .filter_map(|m| drawn_for_model(profile, m))
        .collect();
    if models.is_empty() {
        return None;
    }
    let profile = Arc::new(profile.clone());
    Some(
        proptest::strategy::Union::new(models)
            .prop_filter("valid for the profile", move |req| {
                validate_on(req, &profile, date).is_valid()
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

/// `base` with each of `names` set to a value drawn from `values`, and the
/// other parameters repaired so that only the break is left.
fn with_params(
    base: &BoxedStrategy<ImageRequest>,
    taken: &Taken,
    names: Vec<String>,
    values: BoxedStrategy<Vec<ParamValue>>,
) -> BoxedStrategy<ImageRequest> {
    let taken = taken.clone();
    changed(base, values, move |req, values| {
        for (name, value) in names.iter().zip(values) {
            Taken::put(req, name, value);
        }
        let keep: Vec<&str> = names.iter().map(String::as_str).collect();
        taken.repair(req, &keep);
    })
}

/// The breaks of one parameter's own checks: a value of the wrong type, a
/// parameter the model refuses, a value off its list, a number out of its
/// range, a text too long, a required parameter left out.
fn param_breaks(
    base: &BoxedStrategy<ImageRequest>,
    taken: &Taken,
    name: &str,
    decl: &ParamDecl,
    out: &mut Vec<Break>,
) {
    let rule = taken.rules.param(name);
    let field = Field::param(name);
    let one = |values: BoxedStrategy<ParamValue>| values.prop_map(|v| vec![v]).boxed();
    let set = |values: BoxedStrategy<ParamValue>| {
        with_params(base, taken, vec![name.to_owned()], one(values))
    };
    out.push((
        code(field.clone(), Kind::InvalidType),
        set(not_of_type(decl.kind)),
    ));
    if rule.support == Support::Rejected {
        out.push((
            code(field.clone(), Kind::NotSupported),
            set(of_type(decl.kind, rule)),
        ));
        return;
    }
    if !matches!(rule.support, Support::Supported | Support::NoEffect) {
        return;
    }
    if !rule.values.is_empty() {
        // Values the data names elsewhere, uppercase spellings and other
        // words of the type, none on this model's list.
        let listed = rule.values.clone();
        let mut off: Vec<ParamValue> = samples::param_values(name)
            .iter()
            .cloned()
            .chain(rule.values.iter().filter_map(|v| {
                let upper = v.as_text()?.to_ascii_uppercase();
                Some(ParamValue::Text(upper))
            }))
            .filter(|v| decl.kind.admits(v) && !listed.contains(v))
            .collect();
        off.dedup();
        let others = of_type(decl.kind, &ParamRule::default())
            .prop_filter("not listed", move |v| !listed.contains(v));
        let values = if off.is_empty() {
            others.boxed()
        } else {
            prop_oneof![select(off), others].boxed()
        };
        out.push((code(field.clone(), Kind::UnsupportedValue), set(values)));
    }
    if decl.kind == ParamType::Integer {
        if let Some(min) = rule.min.filter(|&m| m > 0) {
            out.push((
                code(field.clone(), Kind::OutOfRange),
                set((0..min).prop_map(ParamValue::Int).boxed()),
            ));
        }
        if let Some(max) = rule.max.filter(|&m| m < u32::MAX) {
            out.push((
                code(field.clone(), Kind::OutOfRange),
                set((max + 1..=max.saturating_add(50))
                    .prop_map(ParamValue::Int)
                    .boxed()),
            ));
        }
    }
    if let Some(max) = rule.max_chars.filter(|_| decl.kind == ParamType::String)
        && max <= 1_000_000
    {
        let max = max as usize;
        let over = (1..=3usize, select(&samples::FILL_CHARS[..])).prop_map(move |(extra, c)| {
            ParamValue::Text(std::iter::repeat_n(c, max + extra).collect())
        });
        out.push((code(field.clone(), Kind::TooLong), set(over.boxed())));
    }
    if taken.must(name) {
        let owned = name.to_owned();
        out.push((
            code(field, Kind::Missing),
            changed(base, Just(()).boxed(), move |r, ()| {
                r.params.remove(&owned);
            }),
        ));
    }
}

/// The breaks of one constraint whose breaking is an error: a value that
/// sets it off with the other parameter's value it does not allow
/// (`{param}.incompatible`), or with a parameter it forbids
/// (`{forbidden}.incompatible`).
fn constraint_breaks(
    base: &BoxedStrategy<ImageRequest>,
    taken: &Taken,
    c: &Constraint,
    out: &mut Vec<Break>,
) {
    if c.effect != Effect::Incompatible || Field::is_core_name(&c.param) {
        return;
    }
    let triggers: Vec<ParamValue> = taken
        .named_values(&c.param)
        .into_iter()
        .filter(|v| c.triggered_by(v) && taken.passes(&c.param, v))
        .collect();
    if triggers.is_empty() {
        return;
    }
    if let Some(needs) = &c.needs {
        let others: Vec<ParamValue> = taken
            .named_values(&needs.param)
            .into_iter()
            .filter(|v| !needs.values.contains(v))
            .collect();
        if !others.is_empty() {
            out.push((
                code(Field::param(c.param.as_str()), Kind::Incompatible),
                with_params(
                    base,
                    taken,
                    vec![c.param.clone(), needs.param.clone()],
                    (select(triggers.clone()), select(others))
                        .prop_map(|(a, b)| vec![a, b])
                        .boxed(),
                ),
            ));
        }
    }
    for f in &c.forbids {
        let values = if f == "n" {
            let n = taken.rules.n;
            Some((n.min..=n.max).prop_map(ParamValue::Int).boxed())
        } else {
            taken.accepted(f)
        };
        let Some(values) = values else {
            continue;
        };
        out.push((
            code(Field::param(f.as_str()), Kind::Incompatible),
            with_params(
                base,
                taken,
                vec![c.param.clone(), f.clone()],
                (select(triggers.clone()), values)
                    .prop_map(|(a, b)| vec![a, b])
                    .boxed(),
            ),
        ));
    }
}

/// Every single-rule break that applies to one served model on `date`.
fn breaks_for_model(profile: &Profile, model: &ServedModel, date: Date) -> Vec<Break> {
    let Some(base) = drawn_for_model(profile, model) else {
        return Vec::new();
    };
    if shut_down(model, date) {
        // Whatever else it holds, a request for it is refused for that.
        return vec![(code(Field::MODEL, Kind::Retired), base)];
    }
    let taken = Taken::new(profile, model);
    let rules = &model.rules;
    let mut out: Vec<Break> = Vec::new();

    // model
    out.push((
        code(Field::MODEL, Kind::Unknown),
        changed(&base, "[a-z0-9]{1,8}".boxed(), |r, s| {
            r.model = Some(format!("no-such-model-{s}"));
        }),
    ));
    for refused in &profile.refused_models {
        let name = refused.name.clone();
        out.push((
            code(Field::MODEL, Kind::Unavailable),
            changed(&base, Just(()).boxed(), move |r, ()| {
                r.model = Some(name.clone())
            }),
        ));
    }

    // prompt
    let limits = rules.prompt;
    if rules.requires("prompt") {
        out.push((
            code(Field::PROMPT, Kind::Missing),
            changed(&base, Just(()).boxed(), |r, ()| r.prompt = None),
        ));
    }
    if limits.max_chars <= 1_000_000 {
        let max = limits.max_chars as usize;
        let over = (1..=3usize, select(&samples::FILL_CHARS[..]));
        out.push((
            code(Field::PROMPT, Kind::TooLong),
            changed(&base, over.boxed(), move |r, (extra, c)| {
                r.prompt = Some(std::iter::repeat_n(c, max + extra).collect());
            }),
        ));
    }
    if limits.min_chars >= 1 {
        let short = limits.min_chars as usize - 1;
        out.push((
            code(Field::PROMPT, Kind::Empty),
            changed(&base, Just(()).boxed(), move |r, ()| {
                r.prompt = Some("a".repeat(short));
            }),
        ));
    }

    // n
    let n = rules.n;
    let set_n = |values: BoxedStrategy<u32>| {
        with_params(
            &base,
            &taken,
            vec!["n".to_owned()],
            values.prop_map(|v| vec![ParamValue::Int(v)]).boxed(),
        )
    };
    if n.min >= 1 {
        out.push((code(Field::N, Kind::OutOfRange), set_n((0..n.min).boxed())));
    }
    let top = n.split_max.unwrap_or(n.max);
    if top < u32::MAX {
        out.push((
            code(Field::N, Kind::OutOfRange),
            set_n((top + 1..=top.saturating_add(100)).boxed()),
        ));
    }
    if taken.must("n") {
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
                code(Field::SIZE, kind),
                changed(&base, select(sizes).boxed(), |r, s| {
                    r.size = Some(SizeSpec::Size(s))
                }),
            ));
        }
    } else {
        let allows = Arc::clone(&policy);
        let off_list = any::<Size>().prop_filter("not offered", move |s| !allows.allows(*s));
        out.push((
            code(Field::SIZE, Kind::NotOffered),
            changed(&base, off_list.boxed(), |r, s| {
                r.size = Some(SizeSpec::Size(s))
            }),
        ));
    }
    if !policy.auto {
        out.push((
            code(Field::SIZE, Kind::NotOffered),
            changed(&base, Just(()).boxed(), |r, ()| {
                r.size = Some(SizeSpec::Auto)
            }),
        ));
    }
    if taken.must("size") {
        out.push((
            code(Field::SIZE, Kind::Missing),
            changed(&base, Just(()).boxed(), |r, ()| r.size = None),
        ));
    }

    // every declared parameter, by its rule for this model
    for (name, decl) in profile.declared.iter() {
        param_breaks(&base, &taken, name, decl, &mut out);
    }

    // a name no data declares, where the profile refuses unknown fields
    if profile.unknown_fields == UnknownFields::Reject {
        let declared = Arc::clone(&taken.declared);
        let names: Vec<String> = samples::UNDECLARED_NAMES
            .iter()
            .map(|&k| k.to_owned())
            .chain(["x_unknown".to_owned()])
            .filter(|k| !declared.contains_key(k) && !Field::is_core_name(k))
            .collect();
        out.push((
            code(Field::REQUEST, Kind::UnknownField),
            changed(
                &base,
                (select(names), any::<ParamValue>()).boxed(),
                |r, (k, v)| r.params.set(k, v),
            ),
        ));
    }

    // the model's constraints
    for c in &rules.constraints {
        constraint_breaks(&base, &taken, c, &mut out);
    }
    out
}

/// Requests that `profile` refuses for exactly one reason, each with the code
/// of that reason. Lifecycles are judged on the catalog's `as_of`, as
/// [`validate`](crate::validate) does.
///
/// Each case starts from a valid request for one served model and breaks
/// one rule that applies there: an unknown or refused model, a model shut
/// down on that day (`model.retired`), a missing required field, a prompt one
/// to three characters over the limit (or under the minimum), `n` out of
/// range, a size that breaks exactly one part of the size rule (or is not
/// offered), and for every parameter the profile declares, what its rule
/// for the model refuses: a value of the wrong type, the parameter itself
/// when the model refuses it, a value off its list, a number out of its
/// range, a text over its length; an undeclared name when the profile
/// refuses unknown fields; and each of the model's constraints whose breaking
/// is an error (a transparent background with a format without alpha, a
/// parameter a value forbids, ...). Cases whose report has any error with
/// another code are filtered out. `None` when the profile serves no model.
///
/// ```
/// use gpt_image_plan::{builtin_profile, strategies::invalid_request, validate};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let profile = builtin_profile("enum-sizes").unwrap();
/// let bad = invalid_request(profile).unwrap().new_tree(&mut TestRunner::deterministic()).unwrap().current();
/// assert!(validate(&bad.request, profile).has(&bad.code));
/// ```
pub fn invalid_request(profile: &Profile) -> Option<BoxedStrategy<InvalidRequest>> {
    invalid_request_on(profile, profile.catalog_as_of)
}

/// [`invalid_request`] with lifecycles judged on `date`, as
/// [`validate_on`](crate::validate_on) does.
pub fn invalid_request_on(profile: &Profile, date: Date) -> Option<BoxedStrategy<InvalidRequest>> {
    let breaks: Vec<BoxedStrategy<InvalidRequest>> = profile
        .models
        .iter()
        .flat_map(|m| breaks_for_model(profile, m, date))
        .map(|(code, requests)| {
            requests
                .prop_map(move |request| InvalidRequest {
                    request,
                    code: code.clone(),
                })
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
                let report = validate_on(&bad.request, &profile, date);
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
                let codes: Vec<String> = breaks_for_model(profile, model, profile.catalog_as_of)
                    .iter()
                    .map(|(c, _)| c.to_string())
                    .collect();
                if shut_down(model, profile.catalog_as_of) {
                    assert_eq!(codes, ["model.retired"], "{} {}", profile.id, model.name);
                    continue;
                }
                assert!(codes.contains(&"model.unknown".to_owned()));
                assert!(codes.len() >= 5, "{} {}: {codes:?}", profile.id, model.name);
            }
        }
    }
}
