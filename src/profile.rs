//! Provider profiles: what one service accepts, as data.
//!
//! A profile is a JSON document (schema in `docs/profile-schema.md`). Each model
//! it serves starts from the catalog's rules for the model it maps to and layers
//! the profile-wide `rules` and then the model's own `rules` over them, so a
//! profile only writes down where the provider differs from OpenAI.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::json::parse::parse;
use crate::json::read::{ReadError, boolean, fields, list, named, parsed, string};
use crate::json::tree::{Json, merge};
use crate::merge::{check_patch, model_rules};
use crate::model::{Date, ModelId, catalog_rules};
use crate::rules::ModelRules;
use crate::text::wire_enum;

wire_enum! {
    /// Where the model name goes in the call.
    ModelIn, "model_in" {
        /// In the JSON body, as `model`.
        Body = "body",
        /// In the URL path (the `{model}` placeholder of `path`); WaveSpeed does this.
        Path = "path",
    }
}

wire_enum! {
    /// How `n` is typed on the wire.
    NType, "n_type" {
        /// A JSON number (OpenAI).
        Integer = "integer",
        /// A JSON string (seed 002).
        String = "string",
    }
}

wire_enum! {
    /// The shape of a successful response.
    ResponseShape, "response_shape" {
        /// `{created, data: [{url | b64_json | revised_prompt}], usage}`.
        Openai = "openai",
        /// `{code, message, data: {id, status, outputs, urls: {get}}}`, polled until done.
        WavespeedTask = "wavespeed_task",
    }
}

wire_enum! {
    /// What the provider does with a field it does not know.
    UnknownFields, "unknown_fields" {
        /// Refuses the call (OpenAI: "Unrecognized request argument").
        Reject = "reject",
        /// Ignores the field (a warning).
        Ignore = "ignore",
    }
}

/// How the API key is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// The header name.
    pub header: String,
    /// The scheme before the key (`Bearer`), if any.
    #[serde(default)]
    pub scheme: Option<String>,
    /// The environment variable the `http` client reads the key from.
    pub env: String,
}

/// How results come back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The body's shape.
    pub shape: ResponseShape,
    /// For async providers, the path to poll, with an `{id}` placeholder.
    #[serde(default)]
    pub poll_path: Option<String>,
    /// Whether fewer images than asked may come back (seed 001).
    #[serde(default)]
    pub may_return_fewer: bool,
}

/// A model name the provider knows but refuses, with the reason and what to use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusedModel {
    /// The refused name.
    pub name: String,
    /// Why, in the provider's words.
    pub reason: String,
    /// The name to use instead.
    #[serde(default)]
    pub instead: Option<String>,
}

/// One model name a provider serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServedModel {
    /// The name the provider wants in requests (`gpt-image-2-origin`).
    pub name: String,
    /// The catalog model behind it.
    pub model: ModelId,
    /// What the provider accepts for it, resolved.
    pub rules: ModelRules,
    /// What the provider says about it.
    #[serde(default)]
    pub note: Option<String>,
}

/// A provider: where to send calls and what each served model accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// A short stable id (`openai`, `uniall`).
    pub id: String,
    /// A name for people.
    pub name: String,
    /// Where the facts come from.
    pub source: String,
    /// The day they were checked.
    pub as_of: Date,
    /// The base URL, when public (`None` when the documents only say `{BASE_URL}`).
    pub base_url: Option<String>,
    /// The endpoint path; may contain `{model}` when the model goes in the path.
    pub path: String,
    /// Where the model name goes.
    pub model_in: ModelIn,
    /// How `n` is typed.
    pub n_type: NType,
    /// How the key is sent.
    pub auth: Auth,
    /// How results come back.
    pub response: Response,
    /// What happens to unknown fields.
    pub unknown_fields: UnknownFields,
    /// The model used when the request names none; `None` means `model` is needed.
    pub default_model: Option<String>,
    /// The models served.
    pub models: Vec<ServedModel>,
    /// Names known but refused.
    pub refused_models: Vec<RefusedModel>,
    /// Anything else worth knowing.
    pub notes: Vec<String>,
}

/// Why [`Profile::pick_model`] found no model.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PickModelError {
    /// The named model is not served.
    #[error("model \"{name}\" is not served by {provider}; it serves {served}")]
    NotServed {
        /// The name asked for (shortened when very long).
        name: String,
        /// The profile id.
        provider: String,
        /// The served names, comma separated.
        served: String,
    },
    /// The profile serves no models.
    #[error("{provider} serves no models")]
    NoModels {
        /// The profile id.
        provider: String,
    },
}

/// Why a profile document could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The text is not JSON, or does not match the schema.
    #[error("profile is not valid: {0}")]
    Invalid(String),
    /// A served model has rules that contradict themselves.
    #[error("profile {profile:?}, model {model:?}: {problem}")]
    Inconsistent {
        /// The profile id.
        profile: String,
        /// The served model name.
        model: String,
        /// What is wrong.
        problem: String,
    },
}

/// A profile document as written: its rules still partial.
struct ProfileDoc {
    id: String,
    name: String,
    source: String,
    as_of: Date,
    base_url: Option<String>,
    path: String,
    model_in: ModelIn,
    n_type: NType,
    auth: Auth,
    response: Response,
    unknown_fields: UnknownFields,
    default_model: Option<String>,
    rules: Option<Json>,
    models: Vec<ServedModelDoc>,
    refused_models: Vec<RefusedModel>,
    notes: Vec<String>,
}

/// A served model as written: its rules partial.
struct ServedModelDoc {
    name: String,
    model: ModelId,
    rules: Option<Json>,
    note: Option<String>,
}

fn auth(v: &Json) -> Result<Auth, ReadError> {
    let f = fields(v, "auth", &["header", "scheme", "env"])?;
    Ok(Auth {
        header: f.req("header", string)?,
        scheme: f.opt("scheme", string)?,
        env: f.req("env", string)?,
    })
}

fn response(v: &Json) -> Result<Response, ReadError> {
    let f = fields(v, "a response", &["shape", "poll_path", "may_return_fewer"])?;
    Ok(Response {
        shape: f.req("shape", |v| named(v, ResponseShape::parse_name))?,
        poll_path: f.opt("poll_path", string)?,
        may_return_fewer: f.given("may_return_fewer", boolean)?.unwrap_or(false),
    })
}

fn refused_model(v: &Json) -> Result<RefusedModel, ReadError> {
    let f = fields(v, "a refused model", &["name", "reason", "instead"])?;
    Ok(RefusedModel {
        name: f.req("name", string)?,
        reason: f.req("reason", string)?,
        instead: f.opt("instead", string)?,
    })
}

/// Partial rules: an object, checked by [`check_patch`], kept as written.
fn partial_rules(v: &Json) -> Result<Json, ReadError> {
    check_patch(v, "partial model rules")?;
    Ok(v.clone())
}

fn served_model(v: &Json) -> Result<ServedModelDoc, ReadError> {
    let f = fields(v, "a served model", &["name", "model", "rules", "note"])?;
    Ok(ServedModelDoc {
        name: f.req("name", string)?,
        model: f.req("model", |v| named(v, ModelId::parse_name))?,
        rules: f.opt("rules", partial_rules)?,
        note: f.opt("note", string)?,
    })
}

fn strings(v: &Json) -> Result<Vec<String>, ReadError> {
    list(v, string)
}

fn profile_doc(v: &Json) -> Result<ProfileDoc, ReadError> {
    let f = fields(
        v,
        "a profile",
        &[
            "id",
            "name",
            "source",
            "as_of",
            "base_url",
            "path",
            "model_in",
            "n_type",
            "auth",
            "response",
            "unknown_fields",
            "default_model",
            "rules",
            "models",
            "refused_models",
            "notes",
        ],
    )?;
    Ok(ProfileDoc {
        id: f.req("id", string)?,
        name: f.req("name", string)?,
        source: f.req("source", string)?,
        as_of: f.req("as_of", parsed::<Date>)?,
        base_url: f.opt("base_url", string)?,
        path: f.req("path", string)?,
        model_in: f
            .given("model_in", |v| named(v, ModelIn::parse_name))?
            .unwrap_or(ModelIn::Body),
        n_type: f
            .given("n_type", |v| named(v, NType::parse_name))?
            .unwrap_or(NType::Integer),
        auth: f.req("auth", auth)?,
        response: f.req("response", response)?,
        unknown_fields: f
            .given("unknown_fields", |v| named(v, UnknownFields::parse_name))?
            .unwrap_or(UnknownFields::Ignore),
        default_model: f.opt("default_model", string)?,
        rules: f.opt("rules", partial_rules)?,
        models: f.req("models", |v| list(v, served_model))?,
        refused_models: f
            .given("refused_models", |v| list(v, refused_model))?
            .unwrap_or_default(),
        notes: f.given("notes", strings)?.unwrap_or_default(),
    })
}

impl Profile {
    /// Loads a profile from its JSON document.
    ///
    /// # Errors
    /// [`ProfileError::Invalid`] when the text is not JSON or breaks the schema,
    /// [`ProfileError::Inconsistent`] when a model's rules contradict themselves
    /// (min above max, a zero size multiple, no size at all, a size rule with
    /// more than 1024 multiples per edge, more than 256 listed sizes, ...).
    ///
    /// ```
    /// use gpt_image_plan::Profile;
    /// let profile = Profile::from_json(r#"{
    ///   "id": "my-gateway", "name": "My gateway", "source": "their docs", "as_of": "2026-11-01",
    ///   "base_url": "https://images.example.com", "path": "/v1/images/generations",
    ///   "auth": {"header": "Authorization", "scheme": "Bearer", "env": "MY_GATEWAY_KEY"},
    ///   "response": {"shape": "openai"},
    ///   "models": [{"name": "gpt-image-2", "model": "gpt-image-2", "rules": {"n": {"min": 1, "max": 4}}}]
    /// }"#).unwrap();
    /// assert_eq!(profile.model("gpt-image-2").unwrap().rules.n.max, 4);
    /// ```
    pub fn from_json(text: &str) -> Result<Profile, ProfileError> {
        let invalid = |e: &dyn std::fmt::Display| ProfileError::Invalid(e.to_string());
        let doc = parse(text).map_err(|e| invalid(&e))?;
        let doc = profile_doc(&doc).map_err(|e| invalid(&e))?;
        Profile::resolve(doc)
    }

    fn resolve(doc: ProfileDoc) -> Result<Profile, ProfileError> {
        let inconsistent = |model: &str, problem: String| ProfileError::Inconsistent {
            profile: doc.id.clone(),
            model: model.to_owned(),
            problem,
        };
        if doc.id.is_empty() {
            return Err(ProfileError::Invalid("id is empty".into()));
        }
        if doc.models.is_empty() {
            return Err(ProfileError::Invalid(format!(
                "profile {:?} serves no models",
                doc.id
            )));
        }
        let mut models = Vec::with_capacity(doc.models.len());
        let twice = second_use(doc.models.iter().map(|m| m.name.as_str()));
        for (i, entry) in doc.models.iter().enumerate() {
            if twice == Some(i) {
                return Err(inconsistent(&entry.name, "listed twice".into()));
            }
            let mut rules = catalog_rules(entry.model)
                .ok_or_else(|| inconsistent(&entry.name, "model missing from catalog".into()))?
                .clone();
            for patch in [&doc.rules, &entry.rules].into_iter().flatten() {
                merge(&mut rules, patch);
            }
            let rules = model_rules(&rules)
                .map_err(|e| inconsistent(&entry.name, e.at_key("rules").to_string()))?;
            check_rules(&rules).map_err(|p| inconsistent(&entry.name, p))?;
            models.push(ServedModel {
                name: entry.name.clone(),
                model: entry.model,
                rules,
                note: entry.note.clone(),
            });
        }
        if let Some(default) = &doc.default_model
            && !models.iter().any(|m| &m.name == default)
        {
            return Err(inconsistent(default, "default_model is not served".into()));
        }
        Ok(Profile {
            id: doc.id,
            name: doc.name,
            source: doc.source,
            as_of: doc.as_of,
            base_url: doc.base_url,
            path: doc.path,
            model_in: doc.model_in,
            n_type: doc.n_type,
            auth: doc.auth,
            response: doc.response,
            unknown_fields: doc.unknown_fields,
            default_model: doc.default_model,
            models,
            refused_models: doc.refused_models,
            notes: doc.notes,
        })
    }

    /// The served model called `name`.
    pub fn model(&self, name: &str) -> Option<&ServedModel> {
        self.models.iter().find(|m| m.name == name)
    }

    /// The served model a caller means: the one called `name` when given;
    /// otherwise `gpt-image-2` when served, else the profile's default model,
    /// else its first model behind gpt-image-2, else its first model. This is
    /// the default the command-line tool and the WebAssembly package share.
    ///
    /// # Errors
    /// [`PickModelError::NotServed`] when `name` is not served,
    /// [`PickModelError::NoModels`] when the profile serves nothing.
    ///
    /// ```
    /// use gpt_image_plan::builtin_profile;
    /// let uniall = builtin_profile("uniall").unwrap();
    /// assert_eq!(uniall.pick_model(None).unwrap().name, "gpt-image-2-origin");
    /// assert_eq!(uniall.pick_model(Some("dall-e-3")).unwrap().name, "dall-e-3");
    /// assert_eq!(
    ///     uniall.pick_model(Some("gpt-image-9")).unwrap_err().to_string(),
    ///     "model \"gpt-image-9\" is not served by uniall; it serves gpt-image-2-origin, gpt-image-2-auto, gpt-image-1, dall-e-3, dall-e-2",
    /// );
    /// ```
    pub fn pick_model(&self, name: Option<&str>) -> Result<&ServedModel, PickModelError> {
        if let Some(name) = name {
            return self.model(name).ok_or_else(|| PickModelError::NotServed {
                name: crate::text::excerpt(name, 64),
                provider: self.id.clone(),
                served: self
                    .models
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        self.model("gpt-image-2")
            .or_else(|| self.default_model.as_deref().and_then(|d| self.model(d)))
            .or_else(|| self.models.iter().find(|m| m.model == ModelId::GptImage2))
            .or(self.models.first())
            .ok_or_else(|| PickModelError::NoModels {
                provider: self.id.clone(),
            })
    }

    /// The refusal for `name`, if the provider names and refuses it.
    pub fn refused(&self, name: &str) -> Option<&RefusedModel> {
        self.refused_models.iter().find(|m| m.name == name)
    }
}

/// The first position at which a name already given comes again, if any:
/// from the names in sorted order, so a long list costs n log n steps.
fn second_use<'a>(names: impl Iterator<Item = &'a str>) -> Option<usize> {
    let mut order = crate::json::KeyOrder::of_keys(names);
    let mut found: Option<usize> = None;
    let mut previous: Option<(&str, usize)> = None;
    while let Some((name, i)) = order.next_any() {
        // Equal names come out latest first, so of each pair of equal
        // neighbours the earlier out is a later use; the smallest of those
        // is the first second use.
        if let Some((before, later)) = previous
            && before == name
            && found.is_none_or(|f| later < f)
        {
            found = Some(later);
        }
        previous = Some((name, i));
    }
    found
}

/// The most multiples per edge a size rule may allow (gpt-image-2 has 240).
/// Exhaustive searches visit every size of a rule, so an unbounded rule in a
/// hostile profile would make validation hang.
const MAX_EDGE_STEPS: u32 = 1024;

/// The most sizes a policy may list (the built-in lists have at most 40).
const MAX_LISTED_SIZES: usize = 256;

fn check_rules(rules: &ModelRules) -> Result<(), String> {
    if rules.n.min > rules.n.max {
        return Err(format!(
            "n.min {} is above n.max {}",
            rules.n.min, rules.n.max
        ));
    }
    if rules.n.split_max.is_some_and(|s| s < rules.n.max) {
        return Err("n.split_max is below n.max".into());
    }
    if rules.prompt.min_chars > rules.prompt.max_chars {
        return Err("prompt.min_chars is above prompt.max_chars".into());
    }
    if let Some(rule) = rules.sizes.rule {
        if rule.multiple == 0 {
            return Err("sizes.rule.multiple is 0".into());
        }
        let steps = rule.max_edge / rule.multiple;
        if steps > MAX_EDGE_STEPS {
            return Err(format!(
                "sizes.rule allows {steps} multiples of {} per edge; at most {MAX_EDGE_STEPS} are supported",
                rule.multiple
            ));
        }
        if rule.min_pixels > rule.max_pixels {
            return Err("sizes.rule.min_pixels is above max_pixels".into());
        }
        if rule.max_ratio.width() < rule.max_ratio.height() {
            return Err("sizes.rule.max_ratio is below 1:1".into());
        }
    }
    if rules.sizes.list.len() > MAX_LISTED_SIZES {
        return Err(format!(
            "sizes.list names {} sizes; at most {MAX_LISTED_SIZES} are supported",
            rules.sizes.list.len()
        ));
    }
    if rules.sizes.rule.is_none() && rules.sizes.list.is_empty() && !rules.sizes.auto {
        return Err("sizes allow nothing: no rule, no list and no auto".into());
    }
    let c = &rules.params.output_compression;
    if c.min > c.max {
        return Err("output_compression.min is above max".into());
    }
    let p = &rules.params.partial_images;
    if p.min > p.max {
        return Err("partial_images.min is above max".into());
    }
    Ok(())
}

/// The built-in profile documents, keyed by the id each one declares (a test
/// checks the keys against the documents).
const BUILTIN_JSON: [(&str, &str); 6] = [
    ("openai", include_str!("../data/profiles/openai.json")),
    ("wavespeed", include_str!("../data/profiles/wavespeed.json")),
    (
        "enum-sizes",
        include_str!("../data/profiles/enum-sizes.json"),
    ),
    ("uniall", include_str!("../data/profiles/uniall.json")),
    (
        "infinityblue",
        include_str!("../data/profiles/infinityblue.json"),
    ),
    (
        "all-required",
        include_str!("../data/profiles/all-required.json"),
    ),
];

static ALL_PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();

fn parse_builtin(text: &str) -> Profile {
    // Each file is loaded by the conformance tests; a failure here is a
    // defect in the shipped data, not in caller input.
    Profile::from_json(text).unwrap_or_else(|e| panic!("built-in profile: {e}"))
}

/// The built-in profiles: `openai`, `wavespeed` (seed 000), `enum-sizes`
/// (seed 001), `uniall` (seed 002), `infinityblue` (seed 003) and
/// `all-required` (seed 004), parsed once.
pub fn builtin_profiles() -> &'static [Profile] {
    ALL_PROFILES.get_or_init(|| {
        BUILTIN_JSON
            .iter()
            .map(|(_, text)| parse_builtin(text))
            .collect()
    })
}

/// The built-in profile with this id.
///
/// Only that profile's document is parsed (once), so a short-lived caller
/// such as the command-line tool pays for one profile, not all of them.
///
/// ```
/// let uniall = gpt_image_plan::builtin_profile("uniall").unwrap();
/// assert!(uniall.model("gpt-image-2-origin").is_some());
/// assert!(gpt_image_plan::builtin_profile("nope").is_none());
/// ```
pub fn builtin_profile(id: &str) -> Option<&'static Profile> {
    static ONE: [OnceLock<Profile>; 6] = [const { OnceLock::new() }; 6];
    if let Some(all) = ALL_PROFILES.get() {
        return all.iter().find(|p| p.id == id);
    }
    let i = BUILTIN_JSON.iter().position(|(key, _)| *key == id)?;
    Some(ONE[i].get_or_init(|| parse_builtin(BUILTIN_JSON[i].1)))
}

#[cfg(test)]
mod builtin_tests {
    use super::*;

    #[test]
    fn every_builtin_key_is_the_id_its_document_declares() {
        for ((key, _), profile) in BUILTIN_JSON.iter().zip(builtin_profiles()) {
            assert_eq!(*key, profile.id);
        }
    }

    /// `patch` layered over `base` the way the crate did it with
    /// `serde_json`: objects key by key, anything else replaces.
    fn merge_values(base: &mut serde_json::Value, patch: &serde_json::Value) {
        match (base, patch) {
            (serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
                for (key, value) in patch {
                    match base.get_mut(key) {
                        Some(slot) => merge_values(slot, value),
                        None => {
                            base.insert(key.clone(), value.clone());
                        }
                    }
                }
            }
            (base, patch) => *base = patch.clone(),
        }
    }

    /// The profile document as the derived `Deserialize` impls read it.
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct DerivedDoc {
        id: String,
        name: String,
        source: String,
        as_of: Date,
        #[serde(default)]
        base_url: Option<String>,
        path: String,
        #[serde(default = "body")]
        model_in: ModelIn,
        #[serde(default = "integer")]
        n_type: NType,
        auth: Auth,
        response: Response,
        #[serde(default = "ignore")]
        unknown_fields: UnknownFields,
        #[serde(default)]
        default_model: Option<String>,
        #[serde(default)]
        rules: Option<serde_json::Value>,
        models: Vec<DerivedServed>,
        #[serde(default)]
        refused_models: Vec<RefusedModel>,
        #[serde(default)]
        notes: Vec<String>,
    }

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct DerivedServed {
        name: String,
        model: ModelId,
        #[serde(default)]
        rules: Option<serde_json::Value>,
        #[serde(default)]
        note: Option<String>,
    }

    fn body() -> ModelIn {
        ModelIn::Body
    }

    fn integer() -> NType {
        NType::Integer
    }

    fn ignore() -> UnknownFields {
        UnknownFields::Ignore
    }

    fn to_json(value: Option<serde_json::Value>) -> Option<Json> {
        value.map(|v| crate::json::parse::parse(&v.to_string()).unwrap())
    }

    /// The profile read by the derived impls, then resolved as `from_json`
    /// resolves it.
    fn derived_profile(text: &str) -> Result<Profile, String> {
        let d: DerivedDoc = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let doc = ProfileDoc {
            id: d.id,
            name: d.name,
            source: d.source,
            as_of: d.as_of,
            base_url: d.base_url,
            path: d.path,
            model_in: d.model_in,
            n_type: d.n_type,
            auth: d.auth,
            response: d.response,
            unknown_fields: d.unknown_fields,
            default_model: d.default_model,
            rules: to_json(d.rules),
            models: d
                .models
                .into_iter()
                .map(|m| ServedModelDoc {
                    name: m.name,
                    model: m.model,
                    rules: to_json(m.rules),
                    note: m.note,
                })
                .collect(),
            refused_models: d.refused_models,
            notes: d.notes,
        };
        Profile::resolve(doc).map_err(|e| e.to_string())
    }

    /// Every built-in profile resolves as the crate resolved it with
    /// `serde_json`: the derived readers, and each served model's partial
    /// rules layered over the catalog's typed rules written back to JSON.
    #[test]
    fn every_builtin_profile_resolves_as_the_derived_impls_and_serde_json_did() {
        for (key, text) in BUILTIN_JSON {
            let d: DerivedDoc = serde_json::from_str(text).unwrap();
            let profile = builtin_profile(key).unwrap();
            assert_eq!(profile.models.len(), d.models.len());
            for (served, entry) in profile.models.iter().zip(&d.models) {
                let base = &crate::model::catalog().get(entry.model).unwrap().rules;
                let mut rules = serde_json::to_value(base).unwrap();
                for patch in [&d.rules, &entry.rules].into_iter().flatten() {
                    merge_values(&mut rules, patch);
                }
                let rules: ModelRules = serde_json::from_value(rules).unwrap();
                assert_eq!(served.rules, rules, "{key} {}", served.name);
                assert_eq!((&served.name, served.model), (&entry.name, entry.model));
                assert_eq!(served.note, entry.note);
            }
            assert_eq!(&derived_profile(text).unwrap(), profile, "{key}");
        }
    }

    /// The catalog's resolved rules documents are what `data/models.json`
    /// gives once each `inherit` is layered as `serde_json` layered it, and
    /// read the same as the typed catalog.
    #[test]
    fn the_catalog_rules_documents_resolve_inherits_as_serde_json_did() {
        let mut doc: serde_json::Value = serde_json::from_str(crate::model::CATALOG_JSON).unwrap();
        let mut resolved: Vec<(String, serde_json::Value)> = Vec::new();
        for entry in doc["models"].as_array_mut().unwrap() {
            let obj = entry.as_object_mut().unwrap();
            let id = obj["id"].as_str().unwrap().to_owned();
            let mut rules = match obj.remove("inherit") {
                Some(parent) => resolved
                    .iter()
                    .find(|(i, _)| i == parent.as_str().unwrap())
                    .unwrap()
                    .1
                    .clone(),
                None => serde_json::json!({}),
            };
            if let Some(patch) = obj.get("rules") {
                merge_values(&mut rules, patch);
            }
            obj.insert("rules".into(), rules.clone());
            resolved.push((id, rules));
        }
        let derived: crate::model::Catalog = serde_json::from_value(doc).unwrap();
        assert_eq!(&derived, crate::model::catalog());
        for (id, rules) in resolved {
            let id: ModelId = id.parse().unwrap();
            let ours: serde_json::Value =
                serde_json::from_str(&catalog_rules(id).unwrap().to_string()).unwrap();
            assert_eq!(ours, rules, "{id}");
        }
    }

    #[test]
    fn second_use_is_the_first_position_repeating_an_earlier_name() {
        let names = |list: &[&'static str]| second_use(list.iter().copied());
        assert_eq!(names(&[]), None);
        assert_eq!(names(&["a", "b", "c"]), None);
        assert_eq!(names(&["a", "b", "b", "a"]), Some(2));
        assert_eq!(names(&["a", "b", "c", "a", "b", "a"]), Some(3));
    }

    proptest::proptest! {
        #[test]
        fn second_use_agrees_with_a_scan(names in proptest::collection::vec("[abc]{0,2}", 0..30)) {
            let scan = (0..names.len()).find(|&i| names[..i].contains(&names[i]));
            proptest::prop_assert_eq!(second_use(names.iter().map(String::as_str)), scan);
        }

    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]

        /// Mutated built-in profile documents: whenever `from_json` loads
        /// one, the derived readers load the same profile; whenever they
        /// load one, `from_json` loads the same, or refuses a struct written
        /// as an array or a key given twice.
        #[test]
        fn mutated_profiles_load_as_the_derived_impls_load_them(
            which in 0usize..6,
            changes in crate::merge::tests::mutations(),
        ) {
            let mut doc = crate::merge::tests::doc(BUILTIN_JSON[which].1);
            for (path, op, pick) in &changes {
                crate::merge::tests::mutate(&mut doc, path, *op, *pick);
            }
            let text = doc.to_string();
            match (Profile::from_json(&text), derived_profile(&text)) {
                (Ok(new), Ok(reference)) => proptest::prop_assert_eq!(new, reference),
                (Ok(_), Err(e)) => proptest::prop_assert!(false, "loads {text}, the derived impls say {e}"),
                (Err(e), Ok(_)) => {
                    let e = e.to_string();
                    proptest::prop_assert!(
                        e.ends_with(" (an object), found an array") || e.ends_with(" is given twice"),
                        "refuses {text}: {e}, the derived impls load it"
                    );
                }
                (Err(_), Err(_)) => {}
            }
        }
    }

    #[test]
    fn a_profile_parsed_alone_equals_the_one_in_the_full_list() {
        for (i, (key, text)) in BUILTIN_JSON.iter().enumerate() {
            assert_eq!(&parse_builtin(text), &builtin_profiles()[i], "{key}");
        }
    }
}

/// The error for a provider id that names no built-in profile.
///
/// Its stable code is [`UnknownProvider::CODE`], `provider.unknown`, for
/// callers that report it next to request findings.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "provider \"{id}\": not a built-in profile; the known ids are {known}",
    known = crate::text::quote_list(builtin_profiles().iter().map(|p| &p.id))
)]
pub struct UnknownProvider {
    id: String,
}

impl UnknownProvider {
    /// The stable code of this error: `provider.unknown`.
    pub const CODE: &'static str = "provider.unknown";

    /// The id that was asked for (shortened to 64 characters).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The stable code, [`UnknownProvider::CODE`].
    pub fn code(&self) -> &'static str {
        Self::CODE
    }
}

/// The built-in profile with this id, or an error that lists the known ids.
///
/// # Errors
/// [`UnknownProvider`] when no built-in profile has this id.
///
/// ```
/// use gpt_image_plan::profile_by_id;
/// assert_eq!(profile_by_id("openai").unwrap().id, "openai");
/// let err = profile_by_id("midjourney").unwrap_err();
/// assert_eq!(err.code(), "provider.unknown");
/// assert_eq!(
///     err.to_string(),
///     r#"provider "midjourney": not a built-in profile; the known ids are "openai", "wavespeed", "enum-sizes", "uniall", "infinityblue", "all-required""#,
/// );
/// ```
pub fn profile_by_id(id: &str) -> Result<&'static Profile, UnknownProvider> {
    builtin_profile(id).ok_or_else(|| UnknownProvider {
        id: crate::text::excerpt(id, 64),
    })
}
