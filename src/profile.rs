//! Provider profiles: what one service accepts, as data.
//!
//! A profile is a JSON document (schema in `docs/profile-schema.md`). Each model
//! it serves starts from the catalog's rules for the model it maps to and layers
//! the profile-wide `rules` and then the model's own `rules` over them, so a
//! profile only writes down where the provider differs from OpenAI.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::load::LoadErrorKind::Inconsistent;
use crate::load::{LoadError, Patch, check_patch, layer};
use crate::model::{Catalog, Date, Lifecycle, ModelId, catalog};
use crate::rules::{ModelRules, ParamDecl, ParamType};
use crate::text::wire_enum;

pub use crate::wire::spec::{Response, ResponseShape};
use crate::wire::spec::{SizeAs, SizeEncoding, WireRequest};

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
    /// The name sent on the wire (the body's `model` or the path's
    /// `{model}`) when it differs from `name`: kie's
    /// `gpt-image-2-text-to-image`, Replicate's `openai/gpt-image-2`, an
    /// Azure deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_as: Option<String>,
    /// The catalog model's lifecycle (copied from the catalog the profile
    /// was resolved in).
    #[serde(skip)]
    pub lifecycle: Lifecycle,
}

/// A provider: where to send calls and what each served model accepts.
///
/// A profile is only ever made by loading a document ([`Profile::from_json`],
/// or serde, which goes the same way), so its rules have always been checked.
/// Written back with serde, it reads as the same profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ProfileDoc")]
#[non_exhaustive]
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
    /// How the canonical request becomes the provider's.
    pub request: WireRequest,
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
    /// Parameters this profile declares besides the catalog's (a provider's
    /// own, such as WaveSpeed's `enable_sync_mode`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, ParamDecl>,
    /// Every parameter a request may name here: the catalog's and the
    /// profile's own.
    #[serde(skip)]
    pub declared: BTreeMap<String, ParamDecl>,
    /// The `as_of` of the catalog the profile was resolved in: the day
    /// lifecycles are judged on unless a caller gives another.
    #[serde(skip)]
    pub catalog_as_of: Date,
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
    /// The text is not JSON or does not match the schema; the [`LoadError`]
    /// says which, and where.
    #[error("profile is not valid: {0}")]
    Invalid(LoadError),
    /// A served model's rules contradict themselves, or the list of served
    /// models does (a name twice, a default that is not served).
    #[error("profile {profile:?}, model {model:?}: {}", .error.message())]
    Inconsistent {
        /// The profile id.
        profile: String,
        /// The served model name.
        model: String,
        /// What is wrong, and where (kind [`LoadErrorKind::Inconsistent`](crate::LoadErrorKind::Inconsistent)).
        error: LoadError,
    },
}

impl ProfileError {
    /// The load error inside: its kind, JSON path and message.
    pub fn load_error(&self) -> &LoadError {
        match self {
            ProfileError::Invalid(e) | ProfileError::Inconsistent { error: e, .. } => e,
        }
    }
}

impl From<LoadError> for ProfileError {
    fn from(e: LoadError) -> Self {
        ProfileError::Invalid(e)
    }
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

/// A profile document as written: its rules still partial.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileDoc {
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
    #[serde(default)]
    request: WireRequest,
    auth: Auth,
    #[serde(default)]
    response: Response,
    #[serde(default = "ignore")]
    unknown_fields: UnknownFields,
    #[serde(default)]
    default_model: Option<String>,
    #[serde(default)]
    rules: Option<Patch>,
    models: Vec<ServedModelDoc>,
    #[serde(default)]
    refused_models: Vec<RefusedModel>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    parameters: BTreeMap<String, ParamDecl>,
}

/// A served model as written: its rules partial.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServedModelDoc {
    name: String,
    model: ModelId,
    #[serde(default)]
    rules: Option<Patch>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    send_as: Option<String>,
}

impl TryFrom<ProfileDoc> for Profile {
    type Error = ProfileError;

    fn try_from(doc: ProfileDoc) -> Result<Profile, ProfileError> {
        Profile::resolve(doc, catalog())
    }
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
        Profile::from_json_in(text, catalog())
    }

    /// [`Profile::from_json`] over another catalog (a newer one a caller
    /// loaded with [`Catalog::layered`]).
    ///
    /// # Errors
    /// As [`Profile::from_json`].
    pub fn from_json_in(text: &str, catalog: &Catalog) -> Result<Profile, ProfileError> {
        let doc: ProfileDoc = crate::load::from_str(text)?;
        Profile::resolve(doc, catalog)
    }

    /// Every problem a profile document has, each with its JSON path: a
    /// document that does not read gives its one error; one that reads gives
    /// every problem of its wire description (`request`, `response`, `auth`,
    /// `path`) and then the first of its rules. Empty when the document loads.
    ///
    /// ```
    /// use gpt_image_plan::Profile;
    /// let problems = Profile::problems(r#"{
    ///   "id": "gw", "name": "Gateway", "source": "docs", "as_of": "2026-11-01",
    ///   "path": "/v1/{what}/images", "model_in": "path",
    ///   "auth": {"header": "Authorization", "scheme": "Bearer", "env": ""},
    ///   "models": [{"name": "gpt-image-2", "model": "gpt-image-2"}]
    /// }"#);
    /// let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    /// assert_eq!(shown, [
    ///     r#"path: placeholder "{what}" is not one of {model}"#,
    ///     r#"path: the model goes in the path (model_in "path") but the path has no {model}"#,
    ///     "auth.env: the environment variable's name is empty",
    /// ]);
    /// ```
    pub fn problems(text: &str) -> Vec<LoadError> {
        let doc: ProfileDoc = match crate::load::from_str(text) {
            Ok(doc) => doc,
            Err(e) => return vec![e],
        };
        let mut problems = wire_problems(&doc);
        if problems.is_empty() {
            if let Err(e) = Profile::resolve(doc, catalog()) {
                problems.push(e.load_error().clone());
            }
        } else if let Err(e) = Profile::resolve_rules(doc, catalog()) {
            problems.push(e.load_error().clone());
        }
        problems
    }

    fn resolve(doc: ProfileDoc, catalog: &Catalog) -> Result<Profile, ProfileError> {
        if let Some(first) = wire_problems(&doc).into_iter().next() {
            return Err(first.into());
        }
        let profile = Profile::resolve_rules(doc, catalog)?;
        for (i, served) in profile.models.iter().enumerate() {
            if let Some(problem) = size_problem(&profile.request.size, served) {
                return Err(
                    LoadError::inconsistent(&format!("models[{i}].rules.sizes"), problem).into(),
                );
            }
        }
        Ok(profile)
    }

    fn resolve_rules(doc: ProfileDoc, catalog: &Catalog) -> Result<Profile, ProfileError> {
        let inconsistent = |model: &str, path: &str, problem: String| ProfileError::Inconsistent {
            profile: doc.id.clone(),
            model: model.to_owned(),
            error: LoadError::inconsistent(path, problem),
        };
        if doc.id.is_empty() {
            let problem = "id is empty".to_owned();
            return Err(LoadError::placed(Inconsistent, "id".into(), problem).into());
        }
        if doc.models.is_empty() {
            let problem = format!("profile \"{}\" serves no models", doc.id);
            return Err(LoadError::placed(Inconsistent, "models".into(), problem).into());
        }
        if let Some(Patch(rules)) = &doc.rules {
            check_patch(rules, "rules")?;
        }
        let mut declared = catalog.parameters.clone();
        for (name, decl) in &doc.parameters {
            if !crate::diag::is_declarable(name) {
                let problem = crate::diag::DECLARABLE.to_owned();
                return Err(
                    LoadError::placed(Inconsistent, format!("parameters.{name}"), problem).into(),
                );
            }
            declared.insert(name.clone(), decl.clone());
        }
        let mut models = Vec::with_capacity(doc.models.len());
        let mut names = HashSet::with_capacity(doc.models.len());
        for (i, entry) in doc.models.iter().enumerate() {
            let at = format!("models[{i}]");
            if !names.insert(entry.name.as_str()) {
                return Err(inconsistent(
                    &entry.name,
                    &format!("{at}.name"),
                    "listed twice".into(),
                ));
            }
            let spec = catalog.get(entry.model.as_str());
            let mut rules = catalog
                .rules_doc(entry.model.as_str())
                .ok_or_else(|| {
                    inconsistent(
                        &entry.name,
                        &format!("{at}.model"),
                        "model missing from catalog".into(),
                    )
                })?
                .clone();
            if let Some(Patch(patch)) = &entry.rules {
                check_patch(patch, &format!("{at}.rules"))?;
            }
            for Patch(patch) in [&doc.rules, &entry.rules].into_iter().flatten() {
                layer(&mut rules, patch);
            }
            let mut rules: ModelRules =
                crate::load::from_value(&rules).map_err(|e| e.under(&format!("{at}.rules")))?;
            rules.set_kinds(&declared);
            check_rules(&rules, &declared)
                .map_err(|p| inconsistent(&entry.name, &format!("{at}.rules"), p))?;
            models.push(ServedModel {
                name: entry.name.clone(),
                model: entry.model.clone(),
                rules,
                note: entry.note.clone(),
                send_as: entry.send_as.clone(),
                lifecycle: spec.map(|s| s.lifecycle.clone()).unwrap_or_default(),
            });
        }
        if let Some(default) = &doc.default_model
            && !models.iter().any(|m| &m.name == default)
        {
            return Err(inconsistent(
                default,
                "default_model",
                "default_model is not served".into(),
            ));
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
            request: doc.request,
            auth: doc.auth,
            response: doc.response,
            unknown_fields: doc.unknown_fields,
            default_model: doc.default_model,
            models,
            refused_models: doc.refused_models,
            notes: doc.notes,
            parameters: doc.parameters,
            declared,
            catalog_as_of: catalog.as_of,
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
            .or_else(|| self.models.iter().find(|m| m.model == "gpt-image-2"))
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

/// A served model's sizes the profile's size encoding cannot write.
fn size_problem(encoding: &SizeEncoding, served: &ServedModel) -> Option<String> {
    let sizes = &served.rules.sizes;
    if let Some(size) = sizes
        .list
        .iter()
        .find(|s| crate::wire::unencodable(encoding, **s).is_some())
    {
        let what = crate::wire::unencodable(encoding, *size).unwrap_or_default();
        return Some(format!(
            "size \"{size}\" is listed but request.size has no {what} for it"
        ));
    }
    if sizes.rule.is_some() && encoding.encode_as == SizeAs::Preset {
        return Some(
            "sizes.rule allows sizes with no preset name (request.size.as is \"preset\"): list the sizes instead".into(),
        );
    }
    None
}

/// Whether `name` is an HTTP header name (RFC 9110 token characters).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The problems of a document's wire description, each at its JSON path.
fn wire_problems(doc: &ProfileDoc) -> Vec<LoadError> {
    let mut out = Vec::new();
    let mut problem =
        |path: &str, message: String| out.push(LoadError::inconsistent(path, message));
    if let Some(base) = &doc.base_url
        && !(base.starts_with("https://") || base.starts_with("http://"))
    {
        problem("base_url", format!("{base:?} is not an http or https URL"));
    }
    for name in crate::wire::placeholders(&doc.path) {
        if name != "model" {
            problem(
                "path",
                format!("placeholder \"{{{name}}}\" is not one of {{model}}"),
            );
        }
    }
    if doc.model_in == ModelIn::Path && !doc.path.contains("{model}") {
        problem(
            "path",
            "the model goes in the path (model_in \"path\") but the path has no {model}".into(),
        );
    }
    let request = &doc.request;
    if request.envelope.as_deref() == Some("") {
        problem("request.envelope", "the envelope's name is empty".into());
    }
    if !request.outside.is_empty() && request.envelope.is_none() {
        problem(
            "request.outside",
            "fields are kept outside an envelope, but there is none".into(),
        );
    }
    for (field, target) in &request.rename {
        if target.is_empty() || target == "/" {
            problem(
                &format!("request.rename.{field}"),
                "the new name is empty".into(),
            );
        }
    }
    for name in request.headers.keys() {
        if !is_header_name(name) {
            problem("request.headers", format!("{name:?} is not a header name"));
        }
    }
    let size = &request.size;
    match size.encode_as {
        SizeAs::Preset if size.presets.is_empty() => {
            problem(
                "request.size.presets",
                "sizes are sent by preset name, but none is named".into(),
            );
        }
        SizeAs::Ratio if size.table.is_empty() => {
            problem(
                "request.size.table",
                "sizes are sent as aspect ratios, but the table is empty".into(),
            );
        }
        _ => {}
    }
    if !is_header_name(&doc.auth.header) {
        problem(
            "auth.header",
            format!("{:?} is not a header name", doc.auth.header),
        );
    }
    if doc.auth.env.is_empty() {
        problem(
            "auth.env",
            "the environment variable's name is empty".into(),
        );
    }
    if let Some(task) = &doc.response.task {
        if task.done.is_empty() {
            problem("response.task.done", "no status means done".into());
        }
        let mut seen = HashSet::new();
        for status in task.done.iter().chain(&task.failed).chain(&task.pending) {
            if !seen.insert(status.as_str()) {
                problem(
                    "response.task",
                    format!("status {status:?} is listed twice"),
                );
            }
        }
        if let Some(path) = &task.poll_path {
            for name in crate::wire::placeholders(path) {
                if name != "id" {
                    problem(
                        "response.task.poll_path",
                        format!("placeholder \"{{{name}}}\" is not one of {{id}}"),
                    );
                }
            }
        }
        if task.poll_path.is_none() && task.poll_url.is_none() {
            problem("response.task", "a task needs poll_path or poll_url".into());
        }
    }
    out
}

/// The most multiples per edge a size rule may allow (gpt-image-2 has 240).
/// Exhaustive searches visit every size of a rule, so an unbounded rule in a
/// hostile profile would make validation hang.
const MAX_EDGE_STEPS: u32 = 1024;

/// The most sizes a policy may list (the built-in lists have at most 40).
const MAX_LISTED_SIZES: usize = 256;

pub(crate) fn check_rules(
    rules: &ModelRules,
    declared: &BTreeMap<String, ParamDecl>,
) -> Result<(), String> {
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
    for (name, rule) in &rules.params {
        let Some(decl) = declared.get(name) else {
            return Err(format!("params.{name}: not a declared parameter"));
        };
        if rule.min.zip(rule.max).is_some_and(|(min, max)| min > max) {
            return Err(format!("{name}.min is above max"));
        }
        if let Some(v) = rule
            .values
            .iter()
            .chain(&rule.preview)
            .find(|v| !decl.kind.admits(v))
        {
            return Err(format!(
                "params.{name}: value {} is not {}",
                v.shown(),
                decl.kind.expected()
            ));
        }
        if (rule.min.is_some() || rule.max.is_some()) && decl.kind != ParamType::Integer {
            return Err(format!("params.{name}: min and max are for integers"));
        }
    }
    for (name, value) in rules.defaults.iter() {
        let ok = match name {
            "n" => value.as_int().is_some(),
            "size" => value
                .as_text()
                .is_some_and(|s| s.parse::<crate::SizeSpec>().is_ok()),
            "model" | "prompt" => value.as_text().is_some(),
            _ => declared.get(name).is_some_and(|d| d.kind.admits(value)),
        };
        if !ok {
            return Err(format!(
                "defaults.{name}: {} is not a value of the field",
                value.shown()
            ));
        }
    }
    for (i, c) in rules.constraints.iter().enumerate() {
        let known = |p: &str| p == "n" || p == "size" || declared.contains_key(p);
        let named = std::iter::once(c.param.as_str())
            .chain(c.needs.iter().map(|n| n.param.as_str()))
            .chain(c.forbids.iter().map(String::as_str));
        for p in named {
            if !known(p) {
                return Err(format!(
                    "constraints[{i}]: \"{p}\" is not a declared parameter"
                ));
            }
        }
    }
    for name in &rules.required {
        if !(crate::Field::is_core_name(name) || declared.contains_key(name)) {
            return Err(format!("required: \"{name}\" is not a field"));
        }
    }
    Ok(())
}

/// The built-in profile documents, keyed by the id each one declares (a test
/// checks the keys against the documents).
const BUILTIN_JSON: [(&str, &str); 13] = [
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
    (
        "azure-openai",
        include_str!("../data/profiles/azure-openai.json"),
    ),
    ("fal", include_str!("../data/profiles/fal.json")),
    ("replicate", include_str!("../data/profiles/replicate.json")),
    ("kie", include_str!("../data/profiles/kie.json")),
    ("evolink", include_str!("../data/profiles/evolink.json")),
    ("pixapi", include_str!("../data/profiles/pixapi.json")),
    (
        "openrouter",
        include_str!("../data/profiles/openrouter.json"),
    ),
];

static ALL_PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();

fn parse_builtin(text: &str) -> Profile {
    // Each file is loaded by the conformance tests; a failure here is a
    // defect in the shipped data, not in caller input.
    Profile::from_json(text).unwrap_or_else(|e| panic!("built-in profile: {e}"))
}

/// The built-in profiles: `openai`, `wavespeed` (seed 000), `enum-sizes`
/// (seed 001), `uniall` (seed 002), `infinityblue` (seed 003),
/// `all-required` (seed 004), `azure-openai`, `fal`, `replicate`, `kie`,
/// `evolink`, `pixapi` and `openrouter`, parsed once.
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
    static ONE: [OnceLock<Profile>; BUILTIN_JSON.len()] =
        [const { OnceLock::new() }; BUILTIN_JSON.len()];
    if let Some(all) = ALL_PROFILES.get() {
        return all.iter().find(|p| p.id == id);
    }
    let i = BUILTIN_JSON.iter().position(|(key, _)| *key == id)?;
    Some(ONE[i].get_or_init(|| parse_builtin(BUILTIN_JSON[i].1)))
}

/// The built-in profiles resolved over another catalog (a newer one a
/// caller loaded with [`Catalog::layered`]): their served models get that
/// catalog's rules, parameters and lifecycles.
///
/// # Errors
/// The first profile that does not resolve there (a model the newer catalog
/// dropped, a parameter it no longer declares).
pub fn builtin_profiles_in(catalog: &Catalog) -> Result<Vec<Profile>, ProfileError> {
    BUILTIN_JSON
        .iter()
        .map(|(_, text)| Profile::from_json_in(text, catalog))
        .collect()
}

#[cfg(test)]
mod builtin_tests {
    use super::*;
    use crate::load::LoadErrorKind;

    #[test]
    fn every_builtin_key_is_the_id_its_document_declares() {
        for ((key, _), profile) in BUILTIN_JSON.iter().zip(builtin_profiles()) {
            assert_eq!(*key, profile.id);
        }
    }

    #[test]
    fn a_profile_parsed_alone_equals_the_one_in_the_full_list() {
        for (i, (key, text)) in BUILTIN_JSON.iter().enumerate() {
            assert_eq!(&parse_builtin(text), &builtin_profiles()[i], "{key}");
        }
    }

    /// Each served model's rules are the catalog's rules document with the
    /// profile's and then the model's partial rules layered over it, read
    /// with the derived reader.
    #[test]
    fn every_builtin_profile_layers_its_rules_over_the_catalog() {
        for (key, text) in BUILTIN_JSON {
            let doc: serde_json::Value = serde_json::from_str(text).unwrap();
            let profile = builtin_profile(key).unwrap();
            for (served, entry) in profile.models.iter().zip(doc["models"].as_array().unwrap()) {
                let mut rules = serde_json::to_value(
                    &crate::model::catalog()
                        .get(served.model.as_str())
                        .unwrap()
                        .rules,
                )
                .unwrap();
                for patch in [&doc["rules"], &entry["rules"]] {
                    if !patch.is_null() {
                        layer(&mut rules, patch);
                    }
                }
                let mut rules: ModelRules = serde_json::from_value(rules).unwrap();
                rules.set_kinds(&profile.declared);
                assert_eq!(served.rules, rules, "{key} {}", served.name);
            }
        }
    }

    #[test]
    fn a_profile_written_back_reads_as_the_same_profile() {
        for profile in builtin_profiles() {
            let text = serde_json::to_string(profile).unwrap();
            assert_eq!(
                &Profile::from_json(&text).unwrap(),
                profile,
                "{}",
                profile.id
            );
            let read: Profile = serde_json::from_str(&text).unwrap();
            assert_eq!(&read, profile);
        }
    }

    #[track_caller]
    fn load_error(text: &str) -> LoadError {
        Profile::from_json(text).unwrap_err().load_error().clone()
    }

    fn with_models(models: &str) -> String {
        format!(
            r#"{{"id": "gw", "name": "Gateway", "source": "docs", "as_of": "2026-11-01",
            "path": "/v1/images/generations",
            "auth": {{"header": "Authorization", "scheme": "Bearer", "env": "GW_API_KEY"}},
            "response": {{"shape": "openai"}}, "models": {models}}}"#
        )
    }

    #[test]
    fn load_errors_name_their_kind_and_json_path() {
        let e = load_error("{");
        assert_eq!(e.kind(), LoadErrorKind::Syntax);
        assert_eq!(
            e.to_string(),
            "EOF while parsing an object at line 1 column 1"
        );

        let e = load_error(&with_models(
            r#"[{"name": "a", "model": "gpt-image-2"}, {"name": "b", "model": "gpt-image-2", "rules": {"n": {"max": -2}}}]"#,
        ));
        assert_eq!(
            (e.kind(), e.path()),
            (LoadErrorKind::Schema, "models[1].rules.n.max")
        );
        assert_eq!(e.message(), "invalid value: integer `-2`, expected u32");

        let e = load_error(&with_models(
            r#"[{"name": "a", "model": "gpt-image-2", "rules": {"n": {"min": 5, "max": 4}}}]"#,
        ));
        assert_eq!(
            (e.kind(), e.path()),
            (LoadErrorKind::Inconsistent, "models[0].rules")
        );
        assert_eq!(e.message(), "n.min 5 is above n.max 4");

        let e = load_error(&with_models(
            r#"[{"name": "a", "model": "gpt-image-2"}, {"name": "a", "model": "gpt-image-1"}]"#,
        ));
        assert_eq!(e.to_string(), "models[1].name: listed twice");

        // Model ids are data: any well-formed id reads, and one the catalog
        // does not list is an inconsistency, not a schema error.
        let e = load_error(&with_models(r#"[{"name": "a", "model": "gpt-image-9"}]"#));
        assert_eq!(e.kind(), LoadErrorKind::Inconsistent);
        assert_eq!(e.path(), "models[0].model");
        assert_eq!(e.message(), "model missing from catalog");

        let e = load_error(&with_models(
            r#"[{"name": "a", "model": "gpt-image-2", "rules": {"sizes": {"extra": 1}}}]"#,
        ));
        assert_eq!(e.path(), "models[0].rules.sizes");
        assert!(e.message().starts_with("unknown field `extra`"), "{e}");

        let e = load_error(&with_models("[]"));
        assert_eq!(e.to_string(), r#"profile "gw" serves no models"#);
        assert_eq!(e.path(), "models");
    }
}

/// The error for a provider id that names no profile: the one message the
/// library, the command-line tool and the WebAssembly package give.
///
/// Its stable code is [`UnknownProvider::CODE`], `provider.unknown`, for
/// callers that report it next to request findings.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "provider \"{id}\": not a {what} profile; the known ids are {known}",
    what = if *.loaded { "built-in or loaded" } else { "built-in" },
    known = crate::text::quote_list(.known)
)]
pub struct UnknownProvider {
    id: String,
    known: Vec<String>,
    loaded: bool,
}

impl UnknownProvider {
    /// The stable code of this error: `provider.unknown`.
    pub const CODE: &'static str = "provider.unknown";

    /// The error for `id` when the known profiles are the built-in ones
    /// and the `loaded` ids (a caller's own profiles, after them).
    pub fn among<'a>(id: &str, loaded: impl IntoIterator<Item = &'a str>) -> Self {
        let mut known: Vec<String> = builtin_profiles().iter().map(|p| p.id.clone()).collect();
        let mut any_loaded = false;
        for id in loaded {
            any_loaded = true;
            if !known.iter().any(|k| k == id) {
                known.push(id.to_owned());
            }
        }
        UnknownProvider {
            id: crate::text::excerpt(id, 64),
            known,
            loaded: any_loaded,
        }
    }

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
///     r#"provider "midjourney": not a built-in profile; the known ids are "openai", "wavespeed", "enum-sizes", "uniall", "infinityblue", "all-required", "azure-openai", "fal", "replicate", "kie", "evolink", "pixapi", "openrouter""#,
/// );
/// ```
pub fn profile_by_id(id: &str) -> Result<&'static Profile, UnknownProvider> {
    builtin_profile(id).ok_or_else(|| UnknownProvider::among(id, []))
}
