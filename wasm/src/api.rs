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
use gpt_image_plan::price::{self, Estimate, PriceTable};
use gpt_image_plan::wire::{self, Call};
use gpt_image_plan::{
    AspectRatio, Catalog, Date, Diagnostic, Family, ImageRequest, Kind, ModelId, ModelRules,
    ModelState, Profile, Report, ResponseShape, ServedModel, Size, SizeSpec, Tier, UnknownProvider,
    builtin_profiles, builtin_profiles_in, catalog, check_size, request_from_json,
    validate_json_on, validate_on,
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

/// The day a call judges model lifecycles on: `date` (`YYYY-MM-DD`) when
/// given and not empty, else today as `now` gives it (milliseconds since
/// 1970-01-01 UTC, JavaScript's `Date.now()`), else, for a clock outside the
/// years 0 to 9999, the catalog's `as_of`.
///
/// # Errors
/// The crate's [`gpt_image_plan::ParseDateError`] text when `date` is not a
/// real day written `YYYY-MM-DD`.
///
/// ```
/// use gpt_image_plan_wasm::api::day;
/// let as_of = gpt_image_plan::catalog().as_of;
/// assert_eq!(day(Some("2026-11-15"), as_of, || 0.0).unwrap().to_string(), "2026-11-15");
/// assert_eq!(day(None, as_of, || 0.0).unwrap().to_string(), "1970-01-01");
/// assert_eq!(day(Some(""), as_of, || f64::NAN).unwrap(), as_of);
/// assert!(day(Some("2026-13-01"), as_of, || 0.0).is_err());
/// ```
pub fn day(
    date: Option<&str>,
    fallback: Date,
    now: impl FnOnce() -> f64,
) -> Result<Date, ApiError> {
    match date.filter(|d| !d.is_empty()) {
        Some(text) => text.parse().map_err(ApiError::of),
        None => Ok(civil_date(now()).unwrap_or(fallback)),
    }
}

/// The UTC calendar day of an instant given in milliseconds since
/// 1970-01-01T00:00:00Z (JavaScript's `Date.now()`), by Howard Hinnant's
/// days-to-civil algorithm; `None` for a non-finite time or a year outside
/// 0 to 9999.
///
/// ```
/// use gpt_image_plan_wasm::api::civil_date;
/// assert_eq!(civil_date(0.0).unwrap().to_string(), "1970-01-01");
/// assert_eq!(civil_date(1_796_256_000_000.0).unwrap().to_string(), "2026-12-03");
/// assert_eq!(civil_date(-1.0).unwrap().to_string(), "1969-12-31");
/// assert_eq!(civil_date(f64::NAN), None);
/// ```
pub fn civil_date(ms: f64) -> Option<Date> {
    const MS_PER_DAY: f64 = 86_400_000.0;
    let days = (ms / MS_PER_DAY).floor();
    // Years 0 to 9999 are within +-4 million days of 1970.
    if !days.is_finite() || days.abs() > 4.0e6 {
        return None;
    }
    // In range, so exact: the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation)]
    Date::from_unix_days(days as i64)
}

/// A profile loaded with `loadProfile`: the document as given (to resolve
/// it again over another catalog) and the profile it resolved to.
#[derive(Debug)]
struct Loaded {
    text: String,
    profile: Profile,
}

/// A catalog loaded with `loadCatalog` over the built-in one, with the
/// built-in profiles resolved in it.
#[derive(Debug)]
struct Layered {
    catalog: Catalog,
    builtins: Vec<Profile>,
}

/// A price table loaded with `loadPrices`: the built-in table with it laid
/// over, and the loaded document's own date and source.
#[derive(Debug)]
struct Prices {
    table: PriceTable,
    as_of: Date,
    source: String,
    entries: usize,
}

/// The providers, catalog and prices the bindings answer with: the crate's
/// built-ins, with a catalog and a price table laid over them and profiles
/// loaded at run time. A loaded profile with a built-in's id shadows the
/// built-in.
#[derive(Debug, Default)]
pub struct Registry {
    custom: Vec<Loaded>,
    layered: Option<Layered>,
    prices: Option<Prices>,
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
            let loaded = self.custom.iter().map(|l| l.profile.id.as_str());
            ApiError(UnknownProvider::among(id, loaded).to_string())
        })
    }

    /// The catalog in use: the loaded one laid over the built-in, else the built-in.
    ///
    /// ```
    /// let registry = gpt_image_plan_wasm::api::Registry::default();
    /// assert_eq!(registry.catalog().as_of, gpt_image_plan::catalog().as_of);
    /// ```
    pub fn catalog(&self) -> &Catalog {
        match &self.layered {
            Some(l) => &l.catalog,
            None => catalog(),
        }
    }

    /// The price table in use: the loaded one laid over the built-in, else the built-in.
    pub fn prices(&self) -> &PriceTable {
        match &self.prices {
            Some(p) => &p.table,
            None => PriceTable::builtin(),
        }
    }

    /// The built-in profiles, resolved in the catalog in use.
    fn builtins(&self) -> &[Profile] {
        match &self.layered {
            Some(l) => &l.builtins,
            None => builtin_profiles(),
        }
    }

    /// The profile with this id and whether it was loaded.
    fn find(&self, id: &str) -> Option<(&Profile, bool)> {
        let custom = self.custom.iter().find(|l| l.profile.id == id);
        custom.map(|l| (&l.profile, true)).or_else(|| {
            self.builtins()
                .iter()
                .find(|p| p.id == id)
                .map(|p| (p, false))
        })
    }

    /// The built-in ids in order, then the loaded ones that shadow none.
    fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.builtins().iter().map(|p| p.id.as_str()).collect();
        for l in &self.custom {
            if !ids.contains(&l.profile.id.as_str()) {
                ids.push(&l.profile.id);
            }
        }
        ids
    }

    /// Loads a profile document, resolved in the catalog in use, and makes
    /// it available under its id, replacing an earlier loaded profile with
    /// the same id.
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
        let profile = Profile::from_json_in(json, self.catalog()).map_err(ApiError::of)?;
        self.custom.retain(|l| l.profile.id != profile.id);
        self.custom.push(Loaded {
            text: json.to_owned(),
            profile,
        });
        let loaded = &self.custom[self.custom.len() - 1].profile;
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
        self.custom.retain(|l| l.profile.id != id);
        self.custom.len() != before
    }

    /// Lays a catalog document over the built-in catalog (replacing a
    /// catalog loaded before) and resolves every built-in and loaded profile
    /// in it; `None` goes back to the built-in catalog. Either all of it
    /// takes effect or, on an error, nothing changes.
    ///
    /// # Errors
    /// `catalog is not valid: ` and the crate's [`gpt_image_plan::LoadError`]
    /// (with its JSON path) when the document is not a valid catalog over
    /// the built-in one; the profile's error when a built-in or loaded
    /// profile does not resolve in the result (a parameter its rules name
    /// that the catalog no longer declares, ...).
    ///
    /// ```
    /// use gpt_image_plan_wasm::api::Registry;
    /// let mut registry = Registry::default();
    /// let info = registry.load_catalog(Some(r#"{"as_of": "2027-01-10", "source": "my notes",
    ///   "models": [{"id": "gpt-image-3", "family": "gpt_image", "inherit": "gpt-image-2", "source": "my notes"}]}"#)).unwrap();
    /// assert_eq!((info.as_of.to_string(), info.custom), ("2027-01-10".to_owned(), true));
    /// assert!(registry.catalog().get("gpt-image-3").is_some());
    /// assert_eq!(registry.profile("openai").unwrap().catalog_as_of.to_string(), "2027-01-10");
    /// registry.load_catalog(None).unwrap();
    /// assert!(registry.catalog().get("gpt-image-3").is_none());
    /// ```
    pub fn load_catalog(&mut self, json: Option<&str>) -> Result<CatalogInfo<'_>, ApiError> {
        let layered = match json {
            None => None,
            Some(text) => {
                let catalog = catalog()
                    .layered(text)
                    .map_err(|e| ApiError(format!("catalog is not valid: {e}")))?;
                let builtins = builtin_profiles_in(&catalog).map_err(|e| {
                    ApiError(format!(
                        "a built-in profile does not resolve in the catalog: {e}"
                    ))
                })?;
                Some(Layered { catalog, builtins })
            }
        };
        let over = match &layered {
            Some(l) => &l.catalog,
            None => catalog(),
        };
        let custom = self
            .custom
            .iter()
            .map(|l| {
                let profile = Profile::from_json_in(&l.text, over).map_err(|e| {
                    ApiError(format!(
                        "loaded profile \"{}\" does not resolve in the catalog: {e}",
                        l.profile.id
                    ))
                })?;
                Ok(Loaded {
                    text: l.text.clone(),
                    profile,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        self.layered = layered;
        self.custom = custom;
        Ok(CatalogInfo::of(self.catalog(), self.layered.is_some()))
    }

    /// Lays a price table document over the built-in table (replacing one
    /// loaded before); `None` goes back to the built-in table.
    ///
    /// # Errors
    /// The crate's [`gpt_image_plan::PriceError::InvalidTable`] text (with
    /// the JSON path) when the document is not a valid price table; nothing
    /// changes then.
    ///
    /// ```
    /// use gpt_image_plan_wasm::api::Registry;
    /// let mut registry = Registry::default();
    /// let info = registry.load_prices(Some(r#"{"as_of": "2026-11-22", "source": "my invoice", "entries": []}"#)).unwrap();
    /// assert_eq!((info.as_of.to_string(), info.entries, info.custom), ("2026-11-22".to_owned(), 0, true));
    /// assert!(registry.load_prices(Some("{}")).is_err());
    /// assert!(!registry.load_prices(None).unwrap().custom);
    /// ```
    pub fn load_prices(&mut self, json: Option<&str>) -> Result<PricesInfo<'_>, ApiError> {
        self.prices = match json {
            None => None,
            Some(text) => {
                let over = PriceTable::from_json(text).map_err(ApiError::of)?;
                let (as_of, source, entries) =
                    (over.as_of, over.source.clone(), over.entries.len());
                let mut table = PriceTable::builtin().clone();
                table.merge(over);
                Some(Prices {
                    table,
                    as_of,
                    source,
                    entries,
                })
            }
        };
        Ok(self.prices_info())
    }

    /// The price table in use, as `loadPrices` and `pricesInfo` describe it.
    pub fn prices_info(&self) -> PricesInfo<'_> {
        match &self.prices {
            Some(p) => PricesInfo {
                as_of: p.as_of,
                source: &p.source,
                entries: p.entries,
                custom: true,
            },
            None => {
                let builtin = PriceTable::builtin();
                PricesInfo {
                    as_of: builtin.as_of,
                    source: &builtin.source,
                    entries: builtin.entries.len(),
                    custom: false,
                }
            }
        }
    }

    /// The catalog in use, as `loadCatalog` and `catalogInfo` describe it.
    pub fn catalog_info(&self) -> CatalogInfo<'_> {
        CatalogInfo::of(self.catalog(), self.layered.is_some())
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

/// The catalog in use (`CatalogInfo` in `types.d.ts`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct CatalogInfo<'a> {
    /// The day its facts were checked: what validation judges on when no date is given.
    pub as_of: Date,
    pub source: &'a str,
    /// How many models it lists.
    pub models: usize,
    /// The parameters it declares, by wire name.
    pub parameters: Vec<&'a str>,
    /// Whether a catalog loaded with `loadCatalog` is laid over the built-in one.
    pub custom: bool,
}

impl<'a> CatalogInfo<'a> {
    fn of(catalog: &'a Catalog, custom: bool) -> Self {
        CatalogInfo {
            as_of: catalog.as_of,
            source: &catalog.source,
            models: catalog.models.len(),
            parameters: catalog.parameters.keys().map(String::as_str).collect(),
            custom,
        }
    }
}

/// The price table in use (`PricesInfo` in `types.d.ts`): the loaded
/// document's date, source and entry count, or the built-in table's.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct PricesInfo<'a> {
    pub as_of: Date,
    pub source: &'a str,
    pub entries: usize,
    /// Whether a table loaded with `loadPrices` is laid over the built-in one.
    pub custom: bool,
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
    /// The `as_of` of the catalog the profile was resolved in.
    pub catalog_as_of: Date,
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
    pub model: &'a ModelId,
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
            catalog_as_of: profile.catalog_as_of,
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
                    model: &m.model,
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

/// A report as the bindings return it: the findings with their counts, the
/// day lifecycles were judged on and the catalog's `as_of`.
#[derive(Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportAnswer {
    /// Whether the provider would accept the call (warnings allowed).
    pub valid: bool,
    /// How many findings are errors.
    pub errors: usize,
    /// How many findings are warnings.
    pub warnings: usize,
    /// The day model lifecycles were judged on (`None` where nothing was:
    /// `requestBody` only reads the body).
    pub date: Option<Date>,
    /// The `as_of` of the catalog the profile was resolved in.
    pub catalog_as_of: Date,
    /// The findings, in field order.
    pub diagnostics: Vec<Diagnostic>,
}

impl ReportAnswer {
    /// The answer for `report`, judged on `date` with `profile`'s catalog.
    fn of(report: Report, profile: &Profile, date: Option<Date>) -> Self {
        let errors = report.errors().count();
        ReportAnswer {
            valid: errors == 0,
            errors,
            warnings: report.diagnostics.len() - errors,
            date,
            catalog_as_of: profile.catalog_as_of,
            diagnostics: report.diagnostics,
        }
    }
}

/// Validates a request body (JSON text) against a provider with model
/// lifecycles judged on `date`: the crate's [`validate_json_on`], so the
/// codes, messages and fixes are the crate's.
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let report = gpt_image_plan_wasm::api::validate(
///     r#"{"model": "gpt-image-2", "prompt": "otter", "size": "1920x1080"}"#,
///     openai,
///     "2026-12-03".parse().unwrap(),
/// );
/// assert!(!report.valid);
/// assert_eq!(report.diagnostics[0].replacement.as_deref(), Some("1920x1088"));
/// ```
pub fn validate(request_json: &str, profile: &Profile, date: Date) -> ReportAnswer {
    ReportAnswer::of(
        validate_json_on(request_json, profile, date),
        profile,
        Some(date),
    )
}

/// Checks one size (or `auto`) for a served model, as a size field does while
/// the user types, with the model's shutdown judged on `date`.
///
/// # Errors
/// When `model` is given and not served.
///
/// ```
/// let enum_sizes = gpt_image_plan::builtin_profile("enum-sizes").unwrap();
/// let day = "2026-12-03".parse().unwrap();
/// let report = gpt_image_plan_wasm::api::check("1536x864", enum_sizes, None, day).unwrap();
/// assert_eq!(report.diagnostics[0].code.to_string(), "size.not_offered");
/// ```
pub fn check(
    size: &str,
    profile: &Profile,
    model: Option<&str>,
    date: Date,
) -> Result<ReportAnswer, ApiError> {
    let served = pick_model(profile, model)?;
    let mut report = check_size(size, profile, Some(&served.name));
    // The crate judges the model's shutdown on the catalog's day; judge it
    // on `date` instead, with the same finding `validate` gives. As in
    // `check_size`, a lifecycle warning is about the model, not the size.
    let lifecycle = |d: &Diagnostic| matches!(d.code.kind(), Kind::Retired | Kind::Deprecated);
    report.diagnostics.retain(|d| !lifecycle(d));
    let asked = ImageRequest {
        model: Some(served.name.clone()),
        ..ImageRequest::default()
    };
    let on_date = validate_on(&asked, profile, date).diagnostics;
    let retired = on_date
        .into_iter()
        .filter(|d| d.code.kind() == Kind::Retired);
    report.diagnostics.splice(0..0, retired);
    Ok(ReportAnswer::of(report, profile, Some(date)))
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
                .size()
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

/// A model in the catalog, with its lifecycle and its state on a day
/// (`CatalogModel` in `types.d.ts`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct CatalogModel<'a> {
    pub id: &'a ModelId,
    pub family: Family,
    pub snapshot_of: Option<&'a ModelId>,
    /// Where the model is in its life on `date`.
    pub state: ModelState,
    pub released: Option<Date>,
    /// The day its shutdown was announced.
    pub deprecated: Option<Date>,
    /// The day it was (or will be) shut down.
    pub retired: Option<Date>,
    /// The model to use instead, once announced.
    pub replacement: Option<&'a ModelId>,
    pub lifecycle_note: Option<&'a str>,
    pub source: &'a str,
    /// The day `state` is for.
    pub date: Date,
    /// The day the catalog was checked.
    pub as_of: Date,
}

/// Every model in `catalog`, with its lifecycle and its state on `date`.
///
/// ```
/// let day = "2026-11-15".parse().unwrap();
/// let models = gpt_image_plan_wasm::api::models(gpt_image_plan::catalog(), day);
/// let old = models.iter().find(|m| m.id.as_str() == "gpt-image-1.5").unwrap();
/// assert_eq!(old.state.to_string(), "deprecated");
/// ```
pub fn models(catalog: &Catalog, date: Date) -> Vec<CatalogModel<'_>> {
    catalog
        .models
        .iter()
        .map(|m| CatalogModel {
            id: &m.id,
            family: m.family,
            snapshot_of: m.snapshot_of.as_ref(),
            state: m.lifecycle.state_on(date),
            released: m.lifecycle.released,
            deprecated: m.lifecycle.deprecated,
            retired: m.lifecycle.retired,
            replacement: m.lifecycle.replacement.as_ref(),
            lifecycle_note: m.lifecycle.note.as_deref(),
            source: &m.source,
            date,
            as_of: catalog.as_of,
        })
        .collect()
}

/// A model a provider serves, with its resolved rules and its state on a
/// day (`ServedModel` in `types.d.ts`).
#[derive(Debug, Serialize)]
#[allow(missing_docs)]
pub struct ServedModelInfo<'a> {
    pub name: &'a str,
    pub model: &'a ModelId,
    pub family: Option<Family>,
    pub state: ModelState,
    pub deprecated: Option<Date>,
    pub retired: Option<Date>,
    pub replacement: Option<&'a ModelId>,
    pub note: Option<&'a str>,
    pub rules: &'a ModelRules,
}

/// The models a provider serves, each with its resolved rules (in the
/// profile schema's snake_case names) and its state on `date`: what a form
/// needs to fill its pickers. `catalog` is the one the profile was resolved
/// in (for each model's family).
///
/// ```
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let day = "2026-12-03".parse().unwrap();
/// let served = gpt_image_plan_wasm::api::served_models(openai, gpt_image_plan::catalog(), day);
/// assert_eq!(served[0].rules.sizes.rule.unwrap().max_edge, 3840);
/// ```
pub fn served_models<'a>(
    profile: &'a Profile,
    catalog: &Catalog,
    date: Date,
) -> Vec<ServedModelInfo<'a>> {
    profile
        .models
        .iter()
        .map(|m| ServedModelInfo {
            name: &m.name,
            model: &m.model,
            family: catalog.get(m.model.as_str()).map(|s| s.family),
            state: m.lifecycle.state_on(date),
            deprecated: m.lifecycle.deprecated,
            retired: m.lifecycle.retired,
            replacement: m.lifecycle.replacement.as_ref(),
            note: m.note.as_deref(),
            rules: &m.rules,
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
        report: ReportAnswer::of(report, profile, None),
    }
}

/// The calls for one request, with every finding about it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
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
    /// The day model lifecycles were judged on.
    pub date: Date,
    /// The `as_of` of the catalog the profile was resolved in.
    pub catalog_as_of: Date,
    /// The calls in order; empty when the report has errors.
    pub calls: Vec<Call>,
    /// Validation findings, then the plan's own.
    pub report: ReportAnswer,
}

/// The exact HTTP calls the provider expects for a request body (JSON text),
/// with model lifecycles judged on `date`: the crate's [`wire::plan_json_on`].
/// Each call has its method, URL, headers (the key only as a placeholder
/// such as `Bearer <OPENAI_API_KEY>`) and the exact body text; `n` is split
/// across calls where the provider takes fewer per call. A plan whose report
/// has errors holds no calls.
///
/// ```
/// use gpt_image_plan::price::PriceTable;
/// let infinityblue = gpt_image_plan::builtin_profile("infinityblue").unwrap();
/// let plan = gpt_image_plan_wasm::api::plan(
///     r#"{"model": "gpt-image-2", "prompt": "otter", "n": 2}"#,
///     infinityblue,
///     PriceTable::builtin(),
///     "2026-12-03".parse().unwrap(),
/// );
/// assert_eq!(plan.calls.len(), 2);
/// assert!(plan.ready);
/// ```
pub fn plan(request_json: &str, profile: &Profile, prices: &PriceTable, date: Date) -> PlanAnswer {
    let plan = wire::plan_json_on(request_json, profile, prices, date);
    PlanAnswer {
        ready: plan.is_ready(),
        images: plan.images(),
        profile: plan.profile,
        model: plan.model,
        response: plan.response,
        date,
        catalog_as_of: profile.catalog_as_of,
        calls: plan.calls,
        report: ReportAnswer::of(plan.report, profile, Some(date)),
    }
}

/// An estimate with the findings about the request it prices.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EstimateAnswer {
    /// The crate's estimate, its fields at the top level.
    #[serde(flatten)]
    pub estimate: Estimate,
    /// The day model lifecycles were judged on.
    pub date: Date,
    /// The `as_of` of the catalog the profile was resolved in.
    pub catalog_as_of: Date,
    /// The findings about the request on `date` (a price for a model shut
    /// down by then comes with `model.retired`).
    pub report: ReportAnswer,
}

/// What a request will cost before the call, from `prices`: the crate's
/// [`price::estimate`] on the fields of the body (JSON text) that could be
/// read, with the request's findings judged on `date`. Amounts are exact
/// decimals; a range (`total.min` < `total.max`) comes with notes saying why.
///
/// # Errors
/// The crate's [`price::PriceError`] text when the request cannot be priced
/// (no published price for the provider and model, `n` 0, ...).
///
/// ```
/// use gpt_image_plan::price::PriceTable;
/// let openai = gpt_image_plan::builtin_profile("openai").unwrap();
/// let day = "2026-12-03".parse().unwrap();
/// let body = r#"{"model": "gpt-image-2", "prompt": "", "size": "1024x1024", "quality": "high"}"#;
/// let estimate = gpt_image_plan_wasm::api::estimate(body, openai, PriceTable::builtin(), day).unwrap();
/// assert_eq!(estimate.estimate.total.max.to_string(), "0.21072");
/// let wavespeed = gpt_image_plan::builtin_profile("wavespeed").unwrap();
/// assert!(gpt_image_plan_wasm::api::estimate(body, wavespeed, PriceTable::builtin(), day).is_err());
/// ```
pub fn estimate(
    request_json: &str,
    profile: &Profile,
    prices: &PriceTable,
    date: Date,
) -> Result<EstimateAnswer, ApiError> {
    let (request, _) = request_from_json(request_json, profile);
    let estimate = price::estimate(&request, profile, prices).map_err(ApiError::of)?;
    Ok(EstimateAnswer {
        estimate,
        date,
        catalog_as_of: profile.catalog_as_of,
        report: validate(request_json, profile, date),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn date(text: &str) -> Date {
        text.parse().expect("a date")
    }

    /// The catalog's own day, which the crate's plain functions judge on.
    fn as_of() -> Date {
        catalog().as_of
    }

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
        assert!(
            codes(&validate(
                body,
                registry.profile("openai").unwrap(),
                as_of()
            ))
            .is_empty()
        );
        registry.load(GATEWAY).unwrap();
        assert_eq!(registry.profile("openai").unwrap().name, "Shadow");
        assert_eq!(
            codes(&validate(
                body,
                registry.profile("openai").unwrap(),
                as_of()
            )),
            ["n.out_of_range"]
        );
        let providers = registry.providers();
        assert_eq!(providers.len(), gpt_image_plan::builtin_profiles().len());
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
            r#"{"id":"openai","name":"Shadow","source":"a test","asOf":"2026-11-01","catalogAsOf":"2026-12-03","baseUrl":null,"path":"/v1/images/generations","modelIn":"body","nType":"integer","defaultModel":null,"models":[{"name":"gpt-image-2","model":"gpt-image-2"}],"refusedModels":[],"notes":[],"custom":true}"#
        );
    }

    #[test]
    fn an_invalid_profile_is_the_crates_error_and_loads_nothing() {
        let mut registry = Registry::default();
        let error = registry.load(&GATEWAY.replace("\"models\"", "\"modelz\""));
        assert!(error.unwrap_err().0.starts_with("profile is not valid: "));
        assert_eq!(registry.providers().len(), gpt_image_plan::builtin_profiles().len());
        assert_eq!(registry.profile("openai").unwrap().name, "OpenAI");
    }

    #[test]
    fn an_unknown_provider_names_the_known_ones() {
        let registry = Registry::default();
        assert_eq!(
            registry.profile("nope").unwrap_err().0,
            r#"provider "nope": not a built-in profile; the known ids are "openai", "wavespeed", "enum-sizes", "uniall", "infinityblue", "all-required", "azure-openai", "fal", "replicate", "kie", "evolink", "pixapi", "openrouter""#
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
            date("2026-12-24"),
        );
        assert_eq!(
            json(&report),
            r#"{"valid":false,"errors":1,"warnings":0,"date":"2026-12-24","catalogAsOf":"2026-12-03","diagnostics":[{"severity":"error","code":"size.not_multiple_of_16","field":"size","value":"1920x1080","limit":"multiples of 16","message":"size \"1920x1080\": height 1080 is not a multiple of 16","fix":"use \"1920x1088\", the nearest valid size","replacement":"1920x1088"}]}"#
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
        let report = check("auto", wavespeed, None, as_of()).unwrap();
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
            PriceTable::builtin(),
            date("2026-12-24"),
        );
        assert_eq!(
            json(&plan),
            r#"{"ready":true,"profile":"openai","model":"gpt-image-2","response":"sync","images":null,"date":"2026-12-24","catalogAsOf":"2026-12-03","calls":[{"method":"POST","url":"https://api.openai.com/v1/images/generations","path":"/v1/images/generations","headers":[{"name":"Content-Type","value":"application/json","secret":false},{"name":"Authorization","value":"Bearer <OPENAI_API_KEY>","secret":true}],"body":"{\"model\":\"gpt-image-2\",\"prompt\":\"otter\",\"size\":\"1024x1024\"}","n":null}],"report":{"valid":true,"errors":0,"warnings":0,"date":"2026-12-24","catalogAsOf":"2026-12-03","diagnostics":[]}}"#
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
        let models = models(catalog(), as_of());
        let snapshot = models
            .iter()
            .find(|m| m.id.as_str() == "gpt-image-2-2026-04-21")
            .unwrap();
        assert_eq!(
            json(snapshot),
            r#"{"id":"gpt-image-2-2026-04-21","family":"gpt_image","snapshotOf":"gpt-image-2","state":"active","released":"2026-04-21","deprecated":null,"retired":null,"replacement":null,"lifecycleNote":null,"source":"OpenAI API reference: the dated snapshot of gpt-image-2 takes the same parameters","date":"2026-12-03","asOf":"2026-12-03"}"#
        );
    }

    /// The next day after `(y, m, d)`, by trying the day after, then the
    /// first of the next month, then New Year: [`Date::new`] knows the
    /// month lengths.
    fn next_day((y, m, d): (u16, u8, u8)) -> (u16, u8, u8) {
        if Date::new(y, m, d + 1).is_some() {
            (y, m, d + 1)
        } else if m < 12 {
            (y, m + 1, 1)
        } else {
            (y + 1, 1, 1)
        }
    }

    #[test]
    fn civil_date_agrees_with_counting_days_one_by_one() {
        // 1900-01-01 is 25,567 days before 1970-01-01.
        let mut day = (1900, 1, 1);
        for n in -25_567_i64..=60_000 {
            let want = Date::new(day.0, day.1, day.2);
            let ms = n as f64 * 86_400_000.0;
            assert_eq!(civil_date(ms), want, "day {n}");
            // Any time within the day is the same day.
            assert_eq!(civil_date(ms + 86_399_999.0), want, "end of day {n}");
            day = next_day(day);
        }
        assert_eq!(day, (2134, 4, 12));
    }

    #[test]
    fn civil_date_is_none_outside_the_four_digit_years() {
        assert_eq!(civil_date(f64::INFINITY), None);
        assert_eq!(civil_date(-62_167_219_200_001.0), None); // the last ms of year -1
        assert_eq!(
            civil_date(-62_167_219_200_000.0).unwrap().to_string(),
            "0000-01-01"
        );
        assert_eq!(
            civil_date(253_402_300_799_999.0).unwrap().to_string(),
            "9999-12-31"
        );
        assert_eq!(civil_date(253_402_300_800_000.0), None);
    }

    #[test]
    fn an_explicit_date_is_parsed_and_a_bad_one_is_the_crates_error() {
        assert_eq!(
            day(Some("2026-11-15"), as_of(), || 0.0),
            Ok(date("2026-11-15"))
        );
        assert_eq!(
            day(Some("2026-02-30"), as_of(), || 0.0).unwrap_err().0,
            r#"date "2026-02-30" is not a real day written YYYY-MM-DD"#
        );
        assert_eq!(
            day(None, as_of(), || 1_796_256_000_000.0),
            Ok(date("2026-12-03"))
        );
    }

    #[test]
    fn lifecycles_are_judged_on_the_date_given() {
        let openai = builtin_profile_named("openai");
        let body = r#"{"model": "gpt-image-1.5", "prompt": "otter"}"#;
        let late = validate(body, openai, date("2026-12-03"));
        assert_eq!(codes(&late), ["model.retired"]);
        assert!(!late.valid);
        let early = validate(body, openai, date("2026-11-15"));
        assert_eq!(codes(&early), ["model.deprecated"]);
        assert_eq!(early.diagnostics[0].severity.to_string(), "warning");
        assert!(early.valid);
        assert!(codes(&validate(body, openai, date("2026-01-15"))).is_empty());

        let planned = plan(body, openai, PriceTable::builtin(), date("2026-12-03"));
        assert!(planned.calls.is_empty());
        assert_eq!(codes(&planned.report), ["model.retired"]);
    }

    #[test]
    fn check_size_judges_the_shutdown_on_the_date_given_and_keeps_warnings_out() {
        let openai = builtin_profile_named("openai");
        let late = check(
            "1024x1024",
            openai,
            Some("gpt-image-1.5"),
            date("2026-12-03"),
        )
        .unwrap();
        assert_eq!(codes(&late), ["model.retired"]);
        let early = check(
            "1024x1024",
            openai,
            Some("gpt-image-1.5"),
            date("2026-11-15"),
        )
        .unwrap();
        assert!(codes(&early).is_empty());
        let both = check(
            "1000x1000",
            openai,
            Some("gpt-image-1.5"),
            date("2026-12-24"),
        )
        .unwrap();
        assert_eq!(codes(&both), ["model.retired", "size.not_offered"]);
        assert_eq!(both.date, Some(date("2026-12-24")));
    }

    #[test]
    fn models_and_served_models_give_each_models_state_on_the_date() {
        let on = |day: &str, id: &str| {
            let list = models(catalog(), date(day));
            let m = list.iter().find(|m| m.id.as_str() == id).unwrap();
            (m.state.to_string(), m.replacement.map(ToString::to_string))
        };
        assert_eq!(on("2026-12-03", "gpt-image-1.5").0, "shutdown");
        assert_eq!(on("2026-11-15", "gpt-image-1.5").0, "deprecated");
        assert_eq!(on("2026-01-15", "gpt-image-1.5").0, "active");
        assert_eq!(on("2026-12-03", "gpt-image-2").0, "active");
        let openai = builtin_profile_named("openai");
        let served = served_models(openai, catalog(), date("2026-12-03"));
        let old = served.iter().find(|m| m.name == "gpt-image-1.5").unwrap();
        assert_eq!(
            (old.state.to_string(), old.retired.map(|d| d.to_string())),
            ("shutdown".to_owned(), Some("2026-12-01".to_owned()))
        );
    }

    const NEWER_CATALOG: &str = r#"{
      "as_of": "2027-02-01", "source": "a caller's notes",
      "parameters": {"sharpness": {"type": "integer", "description": "edge sharpening, 0-5"}},
      "models": [{
        "id": "gpt-image-3", "family": "gpt_image", "inherit": "gpt-image-2",
        "source": "a caller's notes",
        "rules": {"params": {"sharpness": {"support": "supported", "min": 0, "max": 5}}}
      }]
    }"#;

    const GW3: &str = r#"{
      "id": "gw3", "name": "A gateway", "source": "their docs", "as_of": "2027-02-01",
      "base_url": "https://images.example.com", "path": "/v1/images/generations",
      "auth": {"header": "Authorization", "scheme": "Bearer", "env": "GW3_API_KEY"},
      "response": {"shape": "openai"},
      "models": [{"name": "gpt-image-3", "model": "gpt-image-3"}]
    }"#;

    fn day_of_newer() -> Date {
        date("2027-02-01")
    }

    #[test]
    fn a_loaded_catalog_teaches_a_model_and_a_parameter_to_every_profile() {
        let mut registry = Registry::default();
        assert_eq!(
            registry.load(GW3).unwrap_err().0,
            r#"profile "gw3", model "gpt-image-3": model missing from catalog"#
        );
        let info = registry.load_catalog(Some(NEWER_CATALOG)).unwrap();
        assert_eq!(
            (info.as_of, info.source, info.models, info.custom),
            (
                day_of_newer(),
                "a caller's notes",
                catalog().models.len() + 1,
                true
            )
        );
        assert!(info.parameters.contains(&"sharpness"));
        registry.load(GW3).unwrap();
        let gw3 = registry.profile("gw3").unwrap();
        let day = date("2027-02-01");
        let ok = r#"{"model": "gpt-image-3", "prompt": "x", "sharpness": 3}"#;
        assert!(validate(ok, gw3, day).diagnostics.is_empty());
        let planned = plan(ok, gw3, registry.prices(), day);
        assert_eq!(
            planned.calls[0].body.as_deref(),
            Some(r#"{"model":"gpt-image-3","prompt":"x","sharpness":3}"#)
        );
        assert_eq!(planned.catalog_as_of, day);
        let sharp = r#"{"model": "gpt-image-3", "prompt": "x", "sharpness": 7}"#;
        let report = validate(sharp, gw3, day);
        assert_eq!(codes(&report), ["sharpness.out_of_range"]);
        assert_eq!(
            report.diagnostics[0].message,
            r#"sharpness 7: above the maximum of 5 for "gpt-image-3" at "gw3""#
        );
        // The built-in openai profile is resolved in it too: it declares sharpness, which gpt-image-2 refuses.
        let openai = registry.profile("openai").unwrap();
        assert_eq!(openai.catalog_as_of, day);
        assert_eq!(
            codes(&validate(
                r#"{"model": "gpt-image-2", "prompt": "x", "sharpness": 1}"#,
                openai,
                day
            )),
            ["sharpness.not_supported"]
        );
        // Back to the built-in catalog: gw3 names a model it does not have.
        assert_eq!(
            registry.load_catalog(None).unwrap_err().0,
            r#"loaded profile "gw3" does not resolve in the catalog: profile "gw3", model "gpt-image-3": model missing from catalog"#
        );
        assert!(registry.catalog_info().custom);
        assert!(registry.remove("gw3"));
        assert!(!registry.load_catalog(None).unwrap().custom);
        assert_eq!(registry.profile("openai").unwrap().catalog_as_of, as_of());
    }

    #[test]
    fn an_invalid_catalog_names_its_path_and_changes_nothing() {
        let mut registry = Registry::default();
        let bad = NEWER_CATALOG.replace(r#""min": 0"#, r#""min": "zero""#);
        let error = registry.load_catalog(Some(&bad)).unwrap_err().0;
        // The path is in the catalog the document was laid over, where the new model comes last.
        assert_eq!(
            error,
            format!(
                r#"catalog is not valid: models[{}].rules.params.sharpness.min: invalid type: string "zero", expected u32"#,
                catalog().models.len()
            )
        );
        assert!(!registry.catalog_info().custom);
        assert!(registry.catalog().get("gpt-image-3").is_none());
    }

    const INVOICE: &str = r#"{"as_of": "2026-11-22", "source": "my invoice", "entries": [
      {"provider": "infinityblue", "model": "gpt-image-2", "as_of": "2026-11-22", "source": "my invoice",
       "currency": "USD", "pricing": {"kind": "per_image", "prices": [
         {"size": "1024x1024", "quality": "low", "price": "0.02"},
         {"size": "1024x1024", "quality": "high", "price": "0.1"}]}}]}"#;

    #[test]
    fn loaded_prices_price_plans_and_estimates_until_reset() {
        let mut registry = Registry::default();
        let body = r#"{"model": "gpt-image-2", "prompt": "otter", "size": "1024x1024", "n": 3}"#;
        let infinityblue = builtin_profile_named("infinityblue");
        let before = estimate(body, infinityblue, registry.prices(), as_of());
        let info = registry.load_prices(Some(INVOICE)).unwrap();
        assert_eq!(
            json(&info),
            r#"{"asOf":"2026-11-22","source":"my invoice","entries":1,"custom":true}"#
        );
        let priced = estimate(body, infinityblue, registry.prices(), as_of()).unwrap();
        assert_eq!(
            (
                priced.estimate.total.min.to_string(),
                priced.estimate.total.max.to_string()
            ),
            ("0.06".to_owned(), "0.3".to_owned())
        );
        assert_ne!(before.map(|e| e.estimate.total), Ok(priced.estimate.total));
        assert!(registry.prices().get("openai", "gpt-image-2").is_some());
        assert_eq!(
            registry.load_prices(Some("{}")).unwrap_err().0,
            "price table is not valid: missing field `as_of`"
        );
        assert!(registry.prices_info().custom);
        assert!(!registry.load_prices(None).unwrap().custom);
    }

    #[test]
    fn an_estimate_carries_the_findings_on_its_date() {
        let openai = builtin_profile_named("openai");
        let body = r#"{"model": "gpt-image-1.5", "prompt": "otter", "size": "1024x1024", "quality": "low"}"#;
        let late = estimate(body, openai, PriceTable::builtin(), date("2026-12-03")).unwrap();
        assert_eq!(codes(&late.report), ["model.retired"]);
        assert_eq!(
            (late.date, late.catalog_as_of),
            (date("2026-12-03"), as_of())
        );
        let text = json(&late);
        assert!(
            text.starts_with(r#"{"provider":"openai","model":"gpt-image-1.5","as_of":"#),
            "{text}"
        );
    }

    #[track_caller]
    fn builtin_profile_named(id: &str) -> &'static Profile {
        gpt_image_plan::builtin_profile(id).expect("a built-in profile")
    }
}
