//! The bindings' answers as plain Rust: each function returns a value that
//! derives `Serialize`, and `lib.rs` hands it to JavaScript in one place.
//!
//! The answers are the crate's own types (diagnostics, rules, candidates,
//! calls, estimates, request bodies: their `Serialize` impls) inside a few
//! small structs of the bindings' own. Object keys the bindings add are
//! camelCase; the values that mirror the wire or a profile document keep
//! their own snake_case names, so they read the same as the crate's JSON and
//! the profile schema. Everything here is tested natively (`cargo test` in
//! `wasm/`).

use std::fmt::Display;

use gpt_image_plan::planner::{self, Candidate};
use gpt_image_plan::price::{self, Estimate};
use gpt_image_plan::wire::{self, Call};
use gpt_image_plan::{
    AspectRatio, Date, Diagnostic, Family, ImageRequest, ModelId, ModelRules, Profile, Report,
    ResponseShape, ServedModel, Size, SizeSpec, Tier, UnknownProvider, builtin_profiles, catalog, check_size,
    request_from_json, validate_json,
};
use serde::Serialize;

/// A caller mistake the bindings cannot answer: an unknown provider or model,
/// an invalid profile, a ratio that does not parse. It becomes a thrown
/// JavaScript `Error` with this message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ApiError(pub String);

impl ApiError {
    /// The error with `error`'s message: how the crate's errors become one.
    fn of(error: impl Display) -> Self {
        ApiError(error.to_string())
    }
}

/// The providers the bindings know: the crate's built-ins plus profiles loaded
/// at run time. A loaded profile with a built-in's id shadows the built-in.
#[derive(Debug, Default)]
pub struct Registry {
    custom: Vec<Profile>,
}

impl Registry {
    /// The profile with this id, loaded ones first.
    ///
    /// # Errors
    /// When no profile has the id; the message lists the known ids.
    ///
    /// ```
    /// use gpt_image_plan_wasm::api::Registry;
    /// let registry = Registry::default();
    /// assert_eq!(registry.profile("uniall").unwrap().id, "uniall");
    /// assert!(registry.profile("nope").unwrap_err().0.starts_with("provider \"nope\": not a built-in profile"));
    /// ```
    pub fn profile(&self, id: &str) -> Result<&Profile, ApiError> {
        self.find(id).map(|(profile, _)| profile).ok_or_else(|| {
            let loaded = self.custom.iter().map(|p| p.id.as_str());
            ApiError(UnknownProvider::among(id, loaded).to_string())
        })
    }

    /// The profile with this id and whether it was loaded.
    fn find(&self, id: &str) -> Option<(&Profile, bool)> {
        let custom = self.custom.iter().find(|p| p.id == id);
        custom.map(|p| (p, true)).or_else(|| {
            builtin_profiles()
                .iter()
                .find(|p| p.id == id)
                .map(|p| (p, false))
        })
    }

    /// The built-in ids in order, then the loaded ones that shadow none.
    fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = builtin_profiles().iter().map(|p| p.id.as_str()).collect();
        for p in &self.custom {
            if !ids.contains(&p.id.as_str()) {
                ids.push(&p.id);
            }
        }
        ids
    }

    /// Loads a profile document and makes it available under its id,
    /// replacing an earlier loaded profile with the same id.
    ///
    /// # Errors
    /// The crate's [`gpt_image_plan::ProfileError`] text when the document is
    /// not a valid profile.
    ///
    /// ```
    /// use gpt_image_plan_wasm::api::Registry;
    /// let mut registry = Registry::default();
    /// let info = registry.load(r#"{
    ///   "id": "mine", "name": "Mine", "source": "docs", "as_of": "2026-11-01",
    ///   "path": "/v1/images/generations",
    ///   "auth": {"header": "Authorization", "scheme": "Bearer", "env": "MINE_KEY"},
    ///   "response": {"shape": "openai"},
    ///   "models": [{"name": "gpt-image-2", "model": "gpt-image-2"}]
    /// }"#).unwrap();
    /// assert!(info.custom);
    /// assert!(registry.remove("mine"));
    /// assert!(registry.load("{}").is_err());
    /// ```
    pub fn load(&mut self, json: &str) -> Result<ProviderInfo<'_>, ApiError> {
        let profile = Profile::from_json(json).map_err(ApiError::of)?;
        self.custom.retain(|p| p.id != profile.id);
        self.custom.push(profile);
        let loaded = &self.custom[self.custom.len() - 1];
        Ok(ProviderInfo::of(loaded, true))
    }

    /// Forgets a loaded profile; `true` when one was loaded under `id`.
    /// Built-in profiles cannot be removed.
    ///
    /// ```
    /// let mut registry = gpt_image_plan_wasm::api::Registry::default();
    /// assert!(!registry.remove("openai"));
    /// assert!(registry.profile("openai").is_ok());
    /// ```
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.custom.len();
        self.custom.retain(|p| p.id != id);
        self.custom.len() != before
    }

    /// Every provider: built-ins in their order (or the loaded profile that
    /// shadows one), then the other loaded profiles.
    ///
    /// ```
    /// let registry = gpt_image_plan_wasm::api::Registry::default();
    /// let providers = registry.providers();
    /// assert_eq!(providers[0].id, "openai");
    /// assert!(!providers[0].custom);
    /// ```
    pub fn providers(&self) -> Vec<ProviderInfo<'_>> {
        self.ids()
            .into_iter()
            .filter_map(|id| self.find(id))
            .map(|(profile, custom)| ProviderInfo::of(profile, custom))
            .collect()
    }
}

/// A provider as `providers()` and `loadProfile` describe it (the fields as
/// `ProviderInfo` in `types.d.ts` documents them).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProviderInfo<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub source: &'a str,
    pub as_of: Date,
    pub base_url: Option<&'a str>,
    pub path: &'a str,
    pub model_in: gpt_image_plan::ModelIn,
    pub n_type: gpt_image_plan::NType,
    pub default_model: Option<&'a str>,
    pub models: Vec<NamedModel<'a>>,
    pub refused_models: Vec<RefusedModel<'a>>,
    pub notes: &'a [String],
    /// Whether it was loaded with `loadProfile`.
    pub custom: bool,
}

/// A served model by the provider's name and the catalog model behind it.
#[derive(Debug, Serialize)]
#[allow(missing_docs)]
pub struct NamedModel<'a> {
    pub name: &'a str,
    pub model: ModelId,
}

/// A model name a provider refuses, why, and what to use instead.
#[derive(Debug, Serialize)]
#[allow(missing_docs)]
pub struct RefusedModel<'a> {
    pub name: &'a str,
    pub reason: &'a str,
    pub instead: Option<&'a str>,
}

impl<'a> ProviderInfo<'a> {
    fn of(profile: &'a Profile, custom: bool) -> Self {
        ProviderInfo {
            id: &profile.id,
            name: &profile.name,
            source: &profile.source,
            as_of: profile.as_of,
            base_url: profile.base_url.as_deref(),
            path: &profile.path,
            model_in: profile.model_in,
            n_type: profile.n_type,
            default_model: profile.default_model.as_deref(),
            models: profile
                .models
                .iter()
                .map(|m| NamedModel {
                    name: &m.name,
                    model: m.model,
                })
                .collect(),
            refused_models: profile
                .refused_models
                .iter()
                .map(|m| RefusedModel {
                    name: &m.name,
                    reason: &m.reason,
                    instead: m.instead.as_deref(),
                })
                .collect(),
            notes: &profile.notes,
            custom,
        }
    }
}

/// The served model a call is about: [`Profile::pick_model`], the same choice
/// as the command-line tool; an empty name counts as none.
///
/// # Errors
/// When `name` is given and the provider does not serve it.
///
/// ```
/// use gpt_image_plan::builtin_profile;
/// use gpt_image_plan_wasm::api::pick_model;
/// let uniall = builtin_profile("uniall").unwrap();
/// assert_eq!(pick_model(uniall, None).unwrap().name, "gpt-image-2-origin");
/// assert!(pick_model(uniall, Some("dall-e-9")).is_err());
/// ```
pub fn pick_model<'p>(
    profile: &'p Profile,
    name: Option<&str>,
) -> Result<&'p ServedModel, ApiError> {
    // An empty model picker means "no model chosen".
    profile
        .pick_model(name.filter(|n| !n.is_empty()))
        .map_err(ApiError::of)
}

/// A report as the bindings return it: the findings with their counts.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct ReportAnswer {
    /// Whether the provider would accept the call (warnings allowed).
    pub valid: bool,
    /// How many findings are errors.
    pub errors: usize,
    /// How many findings are warnings.
    pub warnings: usize,
    /// The findings, in field order.
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Report> for ReportAnswer {
    fn from(report: Report) -> Self {
        let errors = report.errors().count();
        ReportAnswer {
            valid: errors == 0,
            errors,
            warnings: report.diagnostics.len() - errors,
            diagnostics: report.diagnostics,
        }
    }
}

/// Validates a request body (JSON text) against a provider: the crate's
/// [`validate_json`], so the codes, messages and fixes are the crate's.
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let report = gpt_image_plan_wasm::api::validate(
///     r#"{"model": "gpt-image-2", "prompt": "otter", "size": "1920x1080"}"#,
///     openai,
/// );
/// assert!(!report.valid);
/// assert_eq!(report.diagnostics[0].replacement.as_deref(), Some("1920x1088"));
/// ```
pub fn validate(request_json: &str, profile: &Profile) -> ReportAnswer {
    validate_json(request_json, profile).into()
}

/// Checks one size (or `auto`) for a served model, as a size field does while
/// the user types.
///
/// # Errors
/// When `model` is given and not served.
///
/// ```
/// let enum_sizes = gpt_image_plan::builtin_profile("enum-sizes").unwrap();
/// let report = gpt_image_plan_wasm::api::check("1536x864", enum_sizes, None).unwrap();
/// assert_eq!(report.diagnostics[0].code.to_string(), "size.not_offered");
/// ```
pub fn check(size: &str, profile: &Profile, model: Option<&str>) -> Result<ReportAnswer, ApiError> {
    let served = pick_model(profile, model)?;
    Ok(check_size(size, profile, Some(&served.name)).into())
}

/// The nearest valid size to a typed size.
#[derive(Debug, PartialEq, Serialize)]
pub struct NearestAnswer<'a> {
    /// The text as given.
    pub input: &'a str,
    /// The size the text was read as (near misses like `1024X1024` are read
    /// as meant), if any.
    pub size: Option<SizeSpec>,
    /// Whether the text as given is already valid.
    pub valid: bool,
    /// The nearest valid size (`auto` stays `auto` where offered).
    pub nearest: Option<SizeSpec>,
    /// The log-space distance from `size` to `nearest`.
    pub distance: Option<f64>,
    /// The provider id.
    pub provider: &'a str,
    /// The served model the answer is for.
    pub model: &'a str,
}

/// The nearest valid size to `size` for a served model.
///
/// # Errors
/// When `model` is given and not served.
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let answer = gpt_image_plan_wasm::api::nearest("1920x1080", openai, None).unwrap();
/// assert_eq!(answer.nearest.unwrap().to_string(), "1920x1088");
/// assert!(!answer.valid);
/// ```
pub fn nearest<'a>(
    size: &'a str,
    profile: &'a Profile,
    model: Option<&str>,
) -> Result<NearestAnswer<'a>, ApiError> {
    let served = pick_model(profile, model)?;
    let policy = &served.rules.sizes;
    let (read, exact) = match size.parse::<SizeSpec>() {
        Ok(spec) => (Some(spec), true),
        Err(e) => (e.suggestion().map(SizeSpec::Size), false),
    };
    let (nearest, distance) = match read {
        None => (None, None),
        Some(SizeSpec::Auto) if policy.auto => (Some(SizeSpec::Auto), None),
        Some(SizeSpec::Auto) => {
            let fallback = served
                .rules
                .defaults
                .size
                .filter(|d| policy.allows_spec(*d));
            let first_preset = || served.rules.presets.first().map(|p| SizeSpec::Size(p.size));
            (fallback.or_else(first_preset), None)
        }
        Some(SizeSpec::Size(target)) => {
            let to = planner::nearest(policy, target);
            (to.map(SizeSpec::Size), to.map(|n| log_distance(target, n)))
        }
    };
    Ok(NearestAnswer {
        input: size,
        size: read,
        valid: exact && read.is_some_and(|s| policy.allows_spec(s)),
        nearest,
        distance,
        provider: &profile.id,
        model: &served.name,
    })
}

fn log_distance(from: Size, to: Size) -> f64 {
    planner::LogPoint::of(from)
        .distance_sq(planner::LogPoint::of(to))
        .sqrt()
}

/// The most candidates [`suggest`] returns, whatever `count` asks for.
pub const MAX_SUGGESTIONS: usize = 100;

/// The `count` best valid sizes for an aspect ratio at a target scale, best
/// first: the crate's [`planner::for_aspect`]. `ratio` is `"W:H"`; `target`
/// is a tier (`"1K"`, `"2K"`, `"4K"`), `"long:PIXELS"` or `"pixels:COUNT"`;
/// `count` defaults to [`planner::DEFAULT_K`] and is capped at
/// [`MAX_SUGGESTIONS`].
///
/// # Errors
/// When the model is not served, `ratio` or `target` does not parse, the
/// target is 0, or the model takes no explicit size (the crate's messages).
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let top = gpt_image_plan_wasm::api::suggest("16:9", "2K", openai, None, Some(2)).unwrap();
/// assert_eq!(top[0].size.to_string(), "2048x1152");
/// assert_eq!(top.len(), 2);
/// ```
pub fn suggest(
    ratio: &str,
    target: &str,
    profile: &Profile,
    model: Option<&str>,
    count: Option<usize>,
) -> Result<Vec<Candidate>, ApiError> {
    let served = pick_model(profile, model)?;
    let ratio: AspectRatio = ratio.parse().map_err(ApiError::of)?;
    let target: planner::Target = target.parse().map_err(ApiError::of)?;
    let count = count.unwrap_or(planner::DEFAULT_K).min(MAX_SUGGESTIONS);
    planner::for_aspect(&served.rules, ratio, target, count).map_err(ApiError::of)
}

/// A size a provider names, with its ratio, orientation, pixels, tier and
/// label (`Preset` in `types.d.ts`).
#[derive(Debug, Serialize)]
#[allow(missing_docs)]
pub struct Preset<'a> {
    pub size: Size,
    pub width: u32,
    pub height: u32,
    pub ratio: Option<AspectRatio>,
    pub orientation: gpt_image_plan::Orientation,
    pub pixels: u64,
    pub tier: Option<Tier>,
    pub label: Option<&'a str>,
}

/// The sizes a provider names for a model, with their tier and label;
/// only those of `tier` when given.
///
/// # Errors
/// When `model` is not served or `tier` is not `1K`, `2K` or `4K`.
///
/// ```
/// let enum_sizes = gpt_image_plan::builtin_profile("enum-sizes").unwrap();
/// let four_k = gpt_image_plan_wasm::api::presets(enum_sizes, None, Some("4K")).unwrap();
/// assert_eq!(four_k[0].size.to_string(), "3840x2160");
/// assert_eq!(four_k[0].ratio.unwrap().to_string(), "16:9");
/// ```
pub fn presets<'a>(
    profile: &'a Profile,
    model: Option<&str>,
    tier: Option<&str>,
) -> Result<Vec<Preset<'a>>, ApiError> {
    let served = pick_model(profile, model)?;
    let tier = match tier.filter(|t| !t.is_empty()) {
        Some(t) => Some(Tier::parse_name(t).map_err(ApiError::of)?),
        None => None,
    };
    Ok(served
        .rules
        .presets
        .iter()
        .filter(|p| tier.is_none() || p.tier == tier)
        .map(|p| Preset {
            size: p.size,
            width: p.size.width(),
            height: p.size.height(),
            ratio: AspectRatio::of(p.size),
            orientation: p.size.orientation(),
            pixels: p.size.pixels(),
            tier: p.tier,
            label: p.label.as_deref(),
        })
        .collect())
}

/// A model in the crate's catalog, with its lifecycle (`CatalogModel` in
/// `types.d.ts`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct CatalogModel {
    pub id: ModelId,
    pub family: Family,
    pub snapshot_of: Option<ModelId>,
    pub released: Option<Date>,
    pub deprecated: Option<Date>,
    pub retired: Option<Date>,
    pub lifecycle_note: Option<&'static str>,
    pub source: &'static str,
    pub as_of: Date,
}

/// The model catalog: every model the crate knows, with its lifecycle.
///
/// ```
/// let models = gpt_image_plan_wasm::api::models();
/// assert!(models.iter().any(|m| m.id.as_str() == "gpt-image-2"));
/// ```
pub fn models() -> Vec<CatalogModel> {
    let catalog = catalog();
    catalog
        .models
        .iter()
        .map(|m| CatalogModel {
            id: m.id,
            family: m.family,
            snapshot_of: m.snapshot_of,
            released: m.lifecycle.released,
            deprecated: m.lifecycle.deprecated,
            retired: m.lifecycle.retired,
            lifecycle_note: m.lifecycle.note.as_deref(),
            source: &m.source,
            as_of: catalog.as_of,
        })
        .collect()
}

/// A model a provider serves, with its resolved rules (`ServedModel` in
/// `types.d.ts`).
#[derive(Debug, Serialize)]
#[allow(missing_docs)]
pub struct ServedModelInfo<'a> {
    pub name: &'a str,
    pub model: ModelId,
    pub family: Option<Family>,
    pub retired: Option<Date>,
    pub note: Option<&'a str>,
    pub rules: &'a ModelRules,
}

/// The models a provider serves, each with its resolved rules (in the
/// profile schema's snake_case names): what a form needs to fill its pickers.
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let served = gpt_image_plan_wasm::api::served_models(openai);
/// assert_eq!(served[0].rules.sizes.rule.unwrap().max_edge, 3840);
/// ```
pub fn served_models(profile: &Profile) -> Vec<ServedModelInfo<'_>> {
    profile
        .models
        .iter()
        .map(|m| {
            let spec = catalog().get(m.model);
            ServedModelInfo {
                name: &m.name,
                model: m.model,
                family: spec.map(|s| s.family),
                retired: spec.and_then(|s| s.lifecycle.retired),
                note: m.note.as_deref(),
                rules: &m.rules,
            }
        })
        .collect()
}

/// The request as it was read, with the findings about its JSON.
#[derive(Debug, Serialize)]
pub struct RequestBody {
    /// The readable fields, typed and spelled as OpenAI's body.
    pub body: ImageRequest,
    /// The findings about the body's JSON and fields.
    pub report: ReportAnswer,
}

/// The request as it was read: the fields the crate could read, typed and
/// spelled as OpenAI's body (unknown and unreadable fields dropped), with
/// the JSON findings about it. The page shows this as the body until the
/// call planner gives the exact wire body.
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let read = gpt_image_plan_wasm::api::request_body(r#"{"size": "auto", "prompt": "otter"}"#, openai);
/// assert_eq!(read.body.prompt.as_deref(), Some("otter"));
/// ```
pub fn request_body(request_json: &str, profile: &Profile) -> RequestBody {
    let (body, report) = request_from_json(request_json, profile);
    RequestBody {
        body,
        report: report.into(),
    }
}

/// The calls for one request, with every finding about it.
#[derive(Debug, Serialize)]
pub struct PlanAnswer {
    /// Whether there is something to send: no errors and at least one call.
    pub ready: bool,
    /// The provider id.
    pub profile: String,
    /// The served model name the calls use, when it resolved.
    pub model: Option<String>,
    /// How answers come back.
    pub response: ResponseShape,
    /// Images asked for across the calls, when every call says.
    pub images: Option<u32>,
    /// The calls in order; empty when the report has errors.
    pub calls: Vec<Call>,
    /// Validation findings, then the plan's own.
    pub report: ReportAnswer,
}

/// The exact HTTP calls the provider expects for a request body (JSON text):
/// the crate's [`wire::plan_json`]. Each call has its method, URL, headers
/// (the key only as a placeholder such as `Bearer <OPENAI_API_KEY>`) and the
/// exact body text; `n` is split across calls where the provider takes fewer
/// per call. A plan whose report has errors holds no calls.
///
/// ```
/// let infinityblue = gpt_image_plan::builtin_profile("infinityblue").unwrap();
/// let plan = gpt_image_plan_wasm::api::plan(
///     r#"{"model": "gpt-image-2", "prompt": "otter", "n": 2}"#,
///     infinityblue,
/// );
/// assert_eq!(plan.calls.len(), 2);
/// assert!(plan.ready);
/// ```
pub fn plan(request_json: &str, profile: &Profile) -> PlanAnswer {
    let plan = wire::plan_json(request_json, profile);
    PlanAnswer {
        ready: plan.is_ready(),
        images: plan.images(),
        profile: plan.profile,
        model: plan.model,
        response: plan.response,
        calls: plan.calls,
        report: plan.report.into(),
    }
}

/// What a request will cost before the call, from the built-in price table:
/// the crate's [`price::estimate_builtin`] on the fields of the body (JSON
/// text) that could be read. Amounts are exact decimals; a range
/// (`total.min` < `total.max`) comes with notes saying why.
///
/// # Errors
/// The crate's [`price::PriceError`] text when the request cannot be priced
/// (no published price for the provider and model, `n` 0, ...).
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let body = r#"{"model": "gpt-image-2", "prompt": "", "size": "1024x1024", "quality": "high"}"#;
/// let estimate = gpt_image_plan_wasm::api::estimate(body, openai).unwrap();
/// assert_eq!(estimate.total.max.to_string(), "0.21072");
/// let wavespeed = gpt_image_plan::builtin_profile("wavespeed").unwrap();
/// assert!(gpt_image_plan_wasm::api::estimate(body, wavespeed).is_err());
/// ```
pub fn estimate(request_json: &str, profile: &Profile) -> Result<Estimate, ApiError> {
    let (request, _) = request_from_json(request_json, profile);
    price::estimate_builtin(&request, profile).map_err(ApiError::of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn json(value: &impl Serialize) -> String {
        serde_json::to_string(value).expect("an answer serializes")
    }

    #[track_caller]
    fn codes(report: &ReportAnswer) -> Vec<String> {
        report
            .diagnostics
            .iter()
            .map(|d| d.code.to_string())
            .collect()
    }

    const GATEWAY: &str = r#"{
      "id": "openai", "name": "Shadow", "source": "a test", "as_of": "2026-11-01",
      "path": "/v1/images/generations",
      "auth": {"header": "Authorization", "scheme": "Bearer", "env": "KEY"},
      "response": {"shape": "openai"},
      "models": [{"name": "gpt-image-2", "model": "gpt-image-2", "rules": {"n": {"min": 1, "max": 2}}}]
    }"#;

    #[test]
    fn a_loaded_profile_shadows_the_builtin_until_removed() {
        let mut registry = Registry::default();
        let body = r#"{"model": "gpt-image-2", "prompt": "otter", "n": 3}"#;
        assert!(codes(&validate(body, registry.profile("openai").unwrap())).is_empty());
        registry.load(GATEWAY).unwrap();
        assert_eq!(registry.profile("openai").unwrap().name, "Shadow");
        assert_eq!(
            codes(&validate(body, registry.profile("openai").unwrap())),
            ["n.out_of_range"]
        );
        let providers = registry.providers();
        assert_eq!(providers.len(), 6);
        assert_eq!((providers[0].name, providers[0].custom), ("Shadow", true));
        assert!(registry.remove("openai"));
        assert!(!registry.remove("openai"));
        assert_eq!(registry.profile("openai").unwrap().name, "OpenAI");
    }

    #[test]
    fn a_loaded_profile_is_described_in_camel_case_keys() {
        let mut registry = Registry::default();
        let info = json(&registry.load(GATEWAY).unwrap());
        assert_eq!(
            info,
            r#"{"id":"openai","name":"Shadow","source":"a test","asOf":"2026-11-01","baseUrl":null,"path":"/v1/images/generations","modelIn":"body","nType":"integer","defaultModel":null,"models":[{"name":"gpt-image-2","model":"gpt-image-2"}],"refusedModels":[],"notes":[],"custom":true}"#
        );
    }

    #[test]
    fn an_invalid_profile_is_the_crates_error_and_loads_nothing() {
        let mut registry = Registry::default();
        let error = registry.load(&GATEWAY.replace("\"models\"", "\"modelz\""));
        assert!(error.unwrap_err().0.starts_with("profile is not valid: "));
        assert_eq!(registry.providers().len(), 6);
        assert_eq!(registry.profile("openai").unwrap().name, "OpenAI");
    }

    #[test]
    fn an_unknown_provider_names_the_known_ones() {
        let registry = Registry::default();
        assert_eq!(
            registry.profile("nope").unwrap_err().0,
            r#"provider "nope": not a built-in profile; the known ids are "openai", "wavespeed", "enum-sizes", "uniall", "infinityblue", "all-required""#
        );
        let long = "x".repeat(70);
        assert!(registry.profile(&long).unwrap_err().0.starts_with(&format!(
            "provider \"{}...\": not a built-in profile; the known ids are \"openai\"",
            "x".repeat(64)
        )));
    }

    #[test]
    fn a_report_carries_its_counts_and_the_crates_findings() {
        let openai = builtin_profile_named("openai");
        let report = validate(
            r#"{"model": "gpt-image-2", "prompt": "otter", "size": "1920x1080"}"#,
            openai,
        );
        assert_eq!(
            json(&report),
            r#"{"valid":false,"errors":1,"warnings":0,"diagnostics":[{"severity":"error","code":"size.not_multiple_of_16","field":"size","value":"1920x1080","limit":"multiples of 16","message":"size \"1920x1080\": height 1080 is not a multiple of 16","fix":"use \"1920x1088\", the nearest valid size","replacement":"1920x1088"}]}"#
        );
    }

    #[test]
    fn nearest_is_valid_only_for_text_that_parses_exactly() {
        let openai = builtin_profile_named("openai");
        let exact = nearest("1024x1024", openai, None).unwrap();
        assert_eq!(
            json(&exact),
            r#"{"input":"1024x1024","size":"1024x1024","valid":true,"nearest":"1024x1024","distance":0.0,"provider":"openai","model":"gpt-image-2"}"#
        );
        let near_miss = nearest("1024X1024", openai, None).unwrap();
        assert!(!near_miss.valid);
        assert_eq!(near_miss.size, Some("1024x1024".parse().unwrap()));
        assert_eq!(near_miss.nearest, near_miss.size);
        assert_eq!(
            json(&nearest("big", openai, None).unwrap()),
            r#"{"input":"big","size":null,"valid":false,"nearest":null,"distance":null,"provider":"openai","model":"gpt-image-2"}"#
        );
    }

    #[test]
    fn check_uses_the_same_model_choice_as_nearest() {
        let wavespeed = builtin_profile_named("wavespeed");
        let report = check("auto", wavespeed, None).unwrap();
        assert_eq!(codes(&report), ["size.not_offered"]);
        assert_eq!(
            nearest("auto", wavespeed, None).unwrap().model,
            "gpt-image-2"
        );
    }

    #[test]
    fn a_plan_has_its_head_calls_and_report() {
        let openai = builtin_profile_named("openai");
        let plan = plan(
            r#"{"model": "gpt-image-2", "prompt": "otter", "size": "1024x1024"}"#,
            openai,
        );
        assert_eq!(
            json(&plan),
            r#"{"ready":true,"profile":"openai","model":"gpt-image-2","response":"openai","images":null,"calls":[{"method":"POST","url":"https://api.openai.com/v1/images/generations","path":"/v1/images/generations","headers":[{"name":"Content-Type","value":"application/json","secret":false},{"name":"Authorization","value":"Bearer <OPENAI_API_KEY>","secret":true}],"body":"{\"model\":\"gpt-image-2\",\"prompt\":\"otter\",\"size\":\"1024x1024\"}","n":null}],"report":{"valid":true,"errors":0,"warnings":0,"diagnostics":[]}}"#
        );
    }

    #[test]
    fn a_request_body_keeps_openais_field_order() {
        let openai = builtin_profile_named("openai");
        let read = request_body(
            r#"{"size": "auto", "n": 2, "prompt": "otter", "sizes": 1}"#,
            openai,
        );
        assert_eq!(
            json(&read.body),
            r#"{"prompt":"otter","n":2,"size":"auto"}"#
        );
        assert_eq!(codes(&read.report), ["request.unknown_field"]);
    }

    #[test]
    fn presets_and_models_use_the_crates_spellings() {
        let enum_sizes = builtin_profile_named("enum-sizes");
        let four_k = presets(enum_sizes, None, Some("4K")).unwrap();
        assert_eq!(
            json(&four_k[0]),
            r#"{"size":"3840x2160","width":3840,"height":2160,"ratio":"16:9","orientation":"landscape","pixels":8294400,"tier":"4K","label":"4K landscape"}"#
        );
        assert_eq!(
            presets(enum_sizes, None, Some("8K")).unwrap_err().0,
            "tier \"8K\" is not one of \"1K\", \"2K\", \"4K\""
        );
        let models = models();
        let snapshot = models
            .iter()
            .find(|m| m.id.as_str() == "gpt-image-2-2026-04-21")
            .unwrap();
        let snapshot = json(snapshot);
        assert!(snapshot.starts_with(
            r#"{"id":"gpt-image-2-2026-04-21","family":"gpt_image","snapshotOf":"gpt-image-2","released":"#
        ));
    }

    #[track_caller]
    fn builtin_profile_named(id: &str) -> &'static Profile {
        gpt_image_plan::builtin_profile(id).expect("a built-in profile")
    }
}
