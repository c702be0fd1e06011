//! The bindings' answers as plain Rust: JSON text in, JSON text out.
//!
//! Everything the JavaScript functions return is built here, so it can be
//! tested natively (`cargo test` in `wasm/`) and the wasm layer in `lib.rs`
//! only moves text across the boundary. Object keys are camelCase; the values
//! that mirror the wire or a profile document (diagnostics, request bodies,
//! `rules`) keep their own snake_case names, so they read the same as the
//! crate's JSON and the profile schema.
//!
//! Answers are written by the bindings' own small JSON writer (`out.rs`,
//! with the crate's types in `write.rs`), in exactly the text
//! `serde_json::to_string` gives for the same data; the tests hold them to
//! it. That keeps serde_json's serializer, serde's derived code and one
//! serialize function per type out of the WebAssembly module (requests and
//! profiles are read by the crate's own parser).

use std::fmt;

use gpt_image_plan::{
    AspectRatio, Profile, Report, ServedModel, SizeSpec, Tier, builtin_profiles, catalog,
    check_size, planner, price, request_from_json, validate_json, wire,
};

use crate::out::Out;
use crate::write;

/// A caller mistake the bindings cannot answer: an unknown provider or model,
/// an invalid profile document. It becomes a thrown JavaScript `Error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError(pub String);

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ApiError {}

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
    /// assert!(registry.profile("nope").unwrap_err().0.starts_with("unknown provider \"nope\""));
    /// ```
    pub fn profile(&self, id: &str) -> Result<&Profile, ApiError> {
        self.custom
            .iter()
            .find(|p| p.id == id)
            .or_else(|| builtin_profiles().iter().find(|p| p.id == id))
            .ok_or_else(|| {
                ApiError(format!(
                    "unknown provider \"{}\"; known: {}",
                    excerpt(id),
                    self.ids().join(", ")
                ))
            })
    }

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
    /// assert!(info.ends_with(r#""custom":true}"#));
    /// assert!(registry.remove("mine"));
    /// assert!(registry.load("{}").is_err());
    /// ```
    pub fn load(&mut self, json: &str) -> Result<String, ApiError> {
        let profile = Profile::from_json(json).map_err(|e| ApiError(e.to_string()))?;
        let mut out = Out::default();
        provider_info(&mut out, &profile, true);
        let info = out.finish();
        self.custom.retain(|p| p.id != profile.id);
        self.custom.push(profile);
        Ok(info)
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
    /// let providers = gpt_image_plan_wasm::api::Registry::default().providers();
    /// let providers: serde_json::Value = serde_json::from_str(&providers).unwrap();
    /// assert_eq!(providers[0]["id"], "openai");
    /// assert_eq!(providers[0]["asOf"].as_str().map(str::len), Some(10));
    /// ```
    pub fn providers(&self) -> String {
        let mut out = Out::default();
        out.begin_list();
        for id in self.ids() {
            let custom = self.custom.iter().find(|p| p.id == id);
            let profile = custom.or_else(|| builtin_profiles().iter().find(|p| p.id == id));
            if let Some(profile) = profile {
                provider_info(&mut out, profile, custom.is_some());
            }
        }
        out.end_list();
        out.finish()
    }
}

fn excerpt(text: &str) -> String {
    match text.char_indices().nth(64) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

/// A provider as `providers()` and `loadProfile` describe it: `{id, name,
/// source, asOf, baseUrl, path, modelIn, nType, defaultModel, models: [{name,
/// model}], refusedModels: [{name, reason, instead}], notes, custom}`.
fn provider_info(o: &mut Out, profile: &Profile, custom: bool) {
    o.begin()
        .key("id")
        .str(&profile.id)
        .key("name")
        .str(&profile.name)
        .key("source")
        .str(&profile.source)
        .key("asOf")
        .text(&profile.as_of)
        .key("baseUrl")
        .opt_str(profile.base_url.as_deref())
        .key("path")
        .str(&profile.path)
        .key("modelIn")
        .str(profile.model_in.as_str())
        .key("nType")
        .str(profile.n_type.as_str())
        .key("defaultModel")
        .opt_str(profile.default_model.as_deref())
        .key("models")
        .begin_list();
    for m in &profile.models {
        o.begin()
            .key("name")
            .str(&m.name)
            .key("model")
            .str(m.model.as_str())
            .end();
    }
    o.end_list().key("refusedModels").begin_list();
    for m in &profile.refused_models {
        o.begin()
            .key("name")
            .str(&m.name)
            .key("reason")
            .str(&m.reason)
            .key("instead")
            .opt_str(m.instead.as_deref())
            .end();
    }
    o.end_list().key("notes").begin_list();
    for note in &profile.notes {
        o.str(note);
    }
    o.end_list().key("custom").bool(custom).end();
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
        .map_err(|e| ApiError(e.to_string()))
}

/// A report as the bindings return it, as JSON text:
/// `{valid, errors, warnings, diagnostics}`.
///
/// ```
/// let report = gpt_image_plan::Report::default();
/// assert_eq!(
///     gpt_image_plan_wasm::api::report_text(&report),
///     r#"{"valid":true,"errors":0,"warnings":0,"diagnostics":[]}"#
/// );
/// ```
pub fn report_text(report: &Report) -> String {
    let mut out = Out::default();
    write_report(&mut out, report);
    out.finish()
}

/// A report: `{valid, errors, warnings, diagnostics}`.
fn write_report(o: &mut Out, report: &Report) {
    let errors = report.errors().count();
    o.begin()
        .key("valid")
        .bool(errors == 0)
        .key("errors")
        .uint(errors as u64)
        .key("warnings")
        .uint((report.diagnostics.len() - errors) as u64)
        .key("diagnostics");
    write::diagnostics(o, &report.diagnostics);
    o.end();
}

/// Validates a request body (JSON text) against a provider: the crate's
/// [`validate_json`], so the codes, messages and fixes are the crate's.
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let text = gpt_image_plan_wasm::api::validate(
///     r#"{"model": "gpt-image-2", "prompt": "otter", "size": "1920x1080"}"#,
///     openai,
/// );
/// let report: serde_json::Value = serde_json::from_str(&text).unwrap();
/// assert_eq!(report["valid"], false);
/// assert_eq!(report["diagnostics"][0]["replacement"], "1920x1088");
/// ```
pub fn validate(request_json: &str, profile: &Profile) -> String {
    report_text(&validate_json(request_json, profile))
}

/// Checks one size (or `auto`) for a served model, as a size field does while
/// the user types.
///
/// # Errors
/// When `model` is given and not served.
///
/// ```
/// let enum_sizes = gpt_image_plan::builtin_profile("enum-sizes").unwrap();
/// let text = gpt_image_plan_wasm::api::check("1536x864", enum_sizes, None).unwrap();
/// assert!(text.contains(r#""code":"size.not_offered""#));
/// ```
pub fn check(size: &str, profile: &Profile, model: Option<&str>) -> Result<String, ApiError> {
    let served = pick_model(profile, model)?;
    Ok(report_text(&check_size(size, profile, Some(&served.name))))
}

/// The nearest valid size to `size` for a served model.
///
/// The answer has the text as given (`input`), the size it was read as
/// (`size`: the text itself, or the obvious intended size for near misses
/// such as `"1024X1024"`, or `null`), whether that is already valid, the
/// nearest valid size (`"auto"` stays `"auto"` where offered) and the
/// log-space distance to it.
///
/// # Errors
/// When `model` is given and not served.
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let answer = gpt_image_plan_wasm::api::nearest("1920x1080", openai, None).unwrap();
/// let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
/// assert_eq!(answer["nearest"], "1920x1088");
/// assert_eq!(answer["valid"], false);
/// ```
pub fn nearest(size: &str, profile: &Profile, model: Option<&str>) -> Result<String, ApiError> {
    let served = pick_model(profile, model)?;
    let policy = &served.rules.sizes;
    let (spec, exact) = match size.parse::<SizeSpec>() {
        Ok(spec) => (Some(spec), true),
        Err(e) => (e.suggestion().map(SizeSpec::Size), false),
    };
    let (read, nearest, distance) = match spec {
        None => (None, None, None),
        Some(SizeSpec::Auto) => {
            let to = if policy.auto {
                Some(SizeSpec::Auto)
            } else {
                served
                    .rules
                    .defaults
                    .size
                    .filter(|d| policy.allows_spec(*d))
                    .or_else(|| served.rules.presets.first().map(|p| SizeSpec::Size(p.size)))
            };
            (Some(SizeSpec::Auto), to, None)
        }
        Some(SizeSpec::Size(target)) => {
            let to = planner::nearest(policy, target);
            let distance = to.map(|n| {
                planner::LogPoint::of(target)
                    .distance_sq(planner::LogPoint::of(n))
                    .sqrt()
            });
            (
                Some(SizeSpec::Size(target)),
                to.map(SizeSpec::Size),
                distance,
            )
        }
    };
    let mut out = Out::default();
    out.begin()
        .key("input")
        .str(size)
        .key("size")
        .opt_text(read.as_ref().map(|s| s as _))
        .key("valid")
        .bool(exact && read.is_some_and(|s| policy.allows_spec(s)))
        .key("nearest")
        .opt_text(nearest.as_ref().map(|s| s as _))
        .key("distance")
        .opt_float(distance)
        .key("provider")
        .str(&profile.id)
        .key("model")
        .str(&served.name)
        .end();
    Ok(out.finish())
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
/// let top: serde_json::Value = serde_json::from_str(&top).unwrap();
/// assert_eq!(top[0]["size"], "2048x1152");
/// assert_eq!(top[0]["distance"], 0.0);
/// assert_eq!(top.as_array().map(Vec::len), Some(2));
/// ```
pub fn suggest(
    ratio: &str,
    target: &str,
    profile: &Profile,
    model: Option<&str>,
    count: Option<usize>,
) -> Result<String, ApiError> {
    let served = pick_model(profile, model)?;
    let ratio: AspectRatio = ratio
        .parse()
        .map_err(|e: gpt_image_plan::ParseAspectRatioError| ApiError(e.to_string()))?;
    let target: planner::Target = target
        .parse()
        .map_err(|e: planner::ParseTargetError| ApiError(e.to_string()))?;
    let count = count.unwrap_or(planner::DEFAULT_K).min(MAX_SUGGESTIONS);
    let found = planner::for_aspect(&served.rules, ratio, target, count)
        .map_err(|e| ApiError(e.to_string()))?;
    let mut out = Out::default();
    out.begin_list();
    for candidate in &found {
        write::candidate(&mut out, candidate);
    }
    out.end_list();
    Ok(out.finish())
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
/// let four_k: serde_json::Value = serde_json::from_str(&four_k).unwrap();
/// assert_eq!(four_k[0]["size"], "3840x2160");
/// assert_eq!(four_k[0]["ratio"], "16:9");
/// ```
pub fn presets(
    profile: &Profile,
    model: Option<&str>,
    tier: Option<&str>,
) -> Result<String, ApiError> {
    let served = pick_model(profile, model)?;
    let tier = match tier.filter(|t| !t.is_empty()) {
        Some(t) => Some(Tier::parse_name(t).map_err(|e| ApiError(e.to_string()))?),
        None => None,
    };
    let mut out = Out::default();
    out.begin_list();
    for p in &served.rules.presets {
        if tier.is_some() && p.tier != tier {
            continue;
        }
        out.begin()
            .key("size")
            .text(&p.size)
            .key("width")
            .uint(p.size.width().into())
            .key("height")
            .uint(p.size.height().into())
            .key("ratio")
            .opt_text(AspectRatio::of(p.size).as_ref().map(|r| r as _))
            .key("orientation")
            .text(&p.size.orientation())
            .key("pixels")
            .uint(p.size.pixels())
            .key("tier")
            .opt_str(p.tier.map(Tier::as_str))
            .key("label")
            .opt_str(p.label.as_deref())
            .end();
    }
    out.end_list();
    Ok(out.finish())
}

/// The model catalog: every model the crate knows, with its lifecycle.
///
/// ```
/// let models = gpt_image_plan_wasm::api::models();
/// let models: serde_json::Value = serde_json::from_str(&models).unwrap();
/// assert!(models.as_array().unwrap().iter().any(|m| m["id"] == "gpt-image-2"));
/// ```
pub fn models() -> String {
    let catalog = catalog();
    let mut out = Out::default();
    out.begin_list();
    for m in &catalog.models {
        let life = &m.lifecycle;
        out.begin()
            .key("id")
            .str(m.id.as_str())
            .key("family")
            .str(m.family.as_str())
            .key("snapshotOf")
            .opt_str(m.snapshot_of.map(|s| s.as_str()))
            .key("released")
            .opt_text(life.released.as_ref().map(|d| d as _))
            .key("deprecated")
            .opt_text(life.deprecated.as_ref().map(|d| d as _))
            .key("retired")
            .opt_text(life.retired.as_ref().map(|d| d as _))
            .key("lifecycleNote")
            .opt_str(life.note.as_deref())
            .key("source")
            .str(&m.source)
            .key("asOf")
            .text(&catalog.as_of)
            .end();
    }
    out.end_list();
    out.finish()
}

/// The models a provider serves, each with its resolved rules (in the
/// profile schema's snake_case names): what a form needs to fill its pickers.
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let served = gpt_image_plan_wasm::api::served_models(openai);
/// let served: serde_json::Value = serde_json::from_str(&served).unwrap();
/// assert_eq!(served[0]["rules"]["sizes"]["rule"]["max_edge"], 3840);
/// ```
pub fn served_models(profile: &Profile) -> String {
    let mut out = Out::default();
    out.begin_list();
    for m in &profile.models {
        let spec = catalog().get(m.model);
        out.begin()
            .key("name")
            .str(&m.name)
            .key("model")
            .str(m.model.as_str())
            .key("family")
            .opt_str(spec.map(|s| s.family.as_str()))
            .key("retired")
            .opt_text(
                spec.and_then(|s| s.lifecycle.retired.as_ref())
                    .map(|d| d as _),
            )
            .key("note")
            .opt_str(m.note.as_deref())
            .key("rules");
        write::rules(&mut out, &m.rules);
        out.end();
    }
    out.end_list();
    out.finish()
}

/// The request as it was read: the fields the crate could read, typed and
/// spelled as OpenAI's body (unknown and unreadable fields dropped), with
/// the JSON findings about it. The page shows this as the body until the
/// call planner gives the exact wire body.
///
/// Returned as JSON text so the body keeps OpenAI's field order.
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let text = gpt_image_plan_wasm::api::request_body(r#"{"size": "auto", "prompt": "otter"}"#, openai);
/// assert!(text.starts_with(r#"{"body":{"prompt":"otter","size":"auto"}"#));
/// ```
pub fn request_body(request_json: &str, profile: &Profile) -> String {
    let (request, report) = request_from_json(request_json, profile);
    let mut out = Out::default();
    out.begin().key("body");
    write::request(&mut out, &request);
    out.key("report");
    write_report(&mut out, &report);
    out.end();
    out.finish()
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
/// let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
/// assert_eq!(plan["calls"].as_array().map(Vec::len), Some(2));
/// assert_eq!(plan["ready"], true);
/// ```
pub fn plan(request_json: &str, profile: &Profile) -> String {
    let plan = wire::plan_json(request_json, profile);
    let mut out = Out::default();
    out.begin()
        .key("ready")
        .bool(plan.is_ready())
        .key("profile")
        .str(&plan.profile)
        .key("model")
        .opt_str(plan.model.as_deref())
        .key("response")
        .str(plan.response.as_str())
        .key("images")
        .opt_uint(plan.images().map(u64::from))
        .key("calls")
        .begin_list();
    for call in &plan.calls {
        write::call(&mut out, call);
    }
    out.end_list().key("report");
    write_report(&mut out, &plan.report);
    out.end();
    out.finish()
}

/// What a request will cost before the call, from the built-in price table:
/// the crate's [`price::estimate_builtin`] on the fields of the body (JSON
/// text) that could be read. Amounts are exact decimal strings; a range
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
/// assert!(estimate.contains(r#""total":{"min":"0.21072","max":"0.21072"}"#));
/// let wavespeed = gpt_image_plan::builtin_profile("wavespeed").unwrap();
/// assert!(gpt_image_plan_wasm::api::estimate(body, wavespeed).is_err());
/// ```
pub fn estimate(request_json: &str, profile: &Profile) -> Result<String, ApiError> {
    let (request, _) = request_from_json(request_json, profile);
    let estimate =
        price::estimate_builtin(&request, profile).map_err(|e| ApiError(e.to_string()))?;
    let mut out = Out::default();
    write::estimate(&mut out, &estimate);
    Ok(out.finish())
}

#[cfg(test)]
#[path = "reference.rs"]
mod reference;

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    #[track_caller]
    fn json(text: &str) -> Value {
        serde_json::from_str(text).expect("an answer is JSON")
    }

    #[track_caller]
    fn codes(report: &str) -> Vec<String> {
        let report: Value = serde_json::from_str(report).expect("a report is JSON");
        report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| d["code"].as_str().expect("a code").to_owned())
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
        assert_eq!(
            codes(&validate(body, registry.profile("openai").unwrap())),
            Vec::<&str>::new()
        );
        registry.load(GATEWAY).unwrap();
        assert_eq!(registry.profile("openai").unwrap().name, "Shadow");
        assert_eq!(
            codes(&validate(body, registry.profile("openai").unwrap())),
            ["n.out_of_range"]
        );
        assert_eq!(json(&registry.providers()).as_array().unwrap().len(), 6);
        assert!(registry.remove("openai"));
        assert!(!registry.remove("openai"));
        assert_eq!(registry.profile("openai").unwrap().name, "OpenAI");
    }

    #[test]
    fn an_unknown_provider_names_the_known_ones() {
        let registry = Registry::default();
        assert_eq!(
            registry.profile("nope").unwrap_err().0,
            "unknown provider \"nope\"; known: openai, wavespeed, enum-sizes, uniall, infinityblue, all-required"
        );
    }

    #[test]
    fn nearest_is_valid_only_for_text_that_parses_exactly() {
        let registry = Registry::default();
        let openai = registry.profile("openai").unwrap();
        let exact = json(&nearest("1024x1024", openai, None).unwrap());
        assert_eq!(
            (exact["valid"].as_bool(), exact["nearest"].as_str()),
            (Some(true), Some("1024x1024"))
        );
        let near_miss = json(&nearest("1024X1024", openai, None).unwrap());
        assert_eq!(near_miss["valid"], Value::Bool(false));
        assert_eq!(near_miss["size"], "1024x1024");
        assert_eq!(near_miss["nearest"], "1024x1024");
    }

    #[test]
    fn check_uses_the_same_model_choice_as_nearest() {
        let registry = Registry::default();
        let wavespeed = registry.profile("wavespeed").unwrap();
        let report = check("auto", wavespeed, None).unwrap();
        assert_eq!(codes(&report), ["size.not_offered"]);
        assert_eq!(
            json(&nearest("auto", wavespeed, None).unwrap())["model"],
            "gpt-image-2"
        );
    }
}
