//! The model catalog: every OpenAI image model this crate knows, as dated data.
//!
//! The facts live in `data/models.json` (embedded at compile time and parsed
//! once); each entry names its source.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use std::collections::BTreeMap;

use crate::load::LoadError;
use crate::rules::{ModelRules, ParamDecl};
use crate::text::{serde_via_str, wire_enum};

/// A model id as the catalog names it (`gpt-image-2`, `gpt-image-2.6-flare`).
///
/// The catalog is data, so any id it lists is a model: a new model is an edit
/// of `data/models.json` (or a catalog loaded over it), not of this crate.
/// An id is 1 to 128 characters from ASCII letters, digits, `.`, `-` and `_`.
///
/// ```
/// use gpt_image_plan::ModelId;
/// let id: ModelId = "gpt-image-2.6-flare".parse().unwrap();
/// assert_eq!(id.as_str(), "gpt-image-2.6-flare");
/// assert!("gpt image".parse::<ModelId>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelId(String);

impl ModelId {
    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ModelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl PartialEq<str> for ModelId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ModelId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Why a text is not a model id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("model id {0:?} is not 1 to 128 ASCII letters, digits, '.', '-' or '_'")]
pub struct ParseModelIdError(String);

impl FromStr for ModelId {
    type Err = ParseModelIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = !s.is_empty()
            && s.len() <= 128
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if ok {
            Ok(ModelId(s.to_owned()))
        } else {
            Err(ParseModelIdError(crate::text::prefix(s, 32).to_owned()))
        }
    }
}
serde_via_str!(ModelId);

wire_enum! {
    /// A model family: pricing and parameters differ between them.
    Family, "family" {
        /// DALL-E 2 and 3: per-image prices, `response_format`, fixed sizes.
        DallE = "dall_e",
        /// GPT image models: token prices, background, output format.
        GptImage = "gpt_image",
    }
}

/// A calendar date, `YYYY-MM-DD`.
///
/// ```
/// use gpt_image_plan::Date;
/// let d: Date = "2026-05-12".parse().unwrap();
/// assert_eq!(d.to_string(), "2026-05-12");
/// assert!("2026-13-01".parse::<Date>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, when the year has at most four digits (so it prints as
    /// `YYYY-MM-DD`) and the month and day exist (leap years included).
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        if year > 9999 {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > days {
            return None;
        }
        Some(Date { year, month, day })
    }
}

impl Date {
    /// The day `days` after 1970-01-01 (negative: before it), by Howard
    /// Hinnant's civil-from-days algorithm; `None` outside years 0 to 9999.
    /// The core has no clock: a caller turns its own clock into days.
    ///
    /// ```
    /// use gpt_image_plan::Date;
    /// assert_eq!(Date::from_unix_days(0).unwrap().to_string(), "1970-01-01");
    /// assert_eq!(Date::from_unix_days(20_790).unwrap().to_string(), "2026-12-03");
    /// assert_eq!(Date::from_unix_days(-1).unwrap().to_string(), "1969-12-31");
    /// assert_eq!(Date::from_unix_days(i64::MAX), None);
    /// ```
    pub fn from_unix_days(days: i64) -> Option<Date> {
        // Years 0 to 9999 are within 4 million days of 1970.
        if days.unsigned_abs() > 4_000_000 {
            return None;
        }
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!(
            "{:04}-{:02}-{:02}",
            self.year, self.month, self.day
        ))
    }
}

/// Why a text is not a date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("date {0:?} is not a real day written YYYY-MM-DD")]
pub struct ParseDateError(String);

impl FromStr for Date {
    type Err = ParseDateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseDateError(crate::text::prefix(s, 32).to_owned());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (y, m, d) = (
            num(0..4).ok_or_else(err)?,
            num(5..7).ok_or_else(err)?,
            num(8..10).ok_or_else(err)?,
        );
        Date::new(y, m as u8, d as u8).ok_or_else(err)
    }
}
serde_via_str!(Date);

/// Where a model is in its life.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// First available.
    #[serde(default)]
    pub released: Option<Date>,
    /// The day the shutdown was announced (`model.deprecated` from then
    /// until `retired`).
    #[serde(default)]
    pub deprecated: Option<Date>,
    /// Shut down: calls are refused from this day on (`model.retired`).
    #[serde(default)]
    pub retired: Option<Date>,
    /// The model to use instead, once announced.
    #[serde(default)]
    pub replacement: Option<ModelId>,
    /// Where the dates come from and how sure they are.
    #[serde(default)]
    pub note: Option<String>,
}

/// One model in the catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// The model id.
    pub id: ModelId,
    /// Its family.
    pub family: Family,
    /// For a dated snapshot, the model it pins.
    #[serde(default)]
    pub snapshot_of: Option<ModelId>,
    /// Release, deprecation and retirement dates.
    #[serde(default)]
    pub lifecycle: Lifecycle,
    /// Where the facts come from.
    pub source: String,
    /// What OpenAI accepts for it.
    pub rules: ModelRules,
}

wire_enum! {
    /// Where a model is in its life on a given day.
    ModelState, "state" {
        /// Usable, no shutdown announced (or not yet released: the catalog
        /// lists it ahead).
        Active = "active",
        /// Usable, but its shutdown is announced.
        Deprecated = "deprecated",
        /// Shut down: calls are refused.
        Shutdown = "shutdown",
    }
}

impl Lifecycle {
    /// The state on `date`: shut down from the `retired` day on; deprecated
    /// before it once announced (from `deprecated`, or as soon as a shutdown
    /// day is known when no announcement day is).
    ///
    /// ```
    /// use gpt_image_plan::{catalog, ModelState};
    /// let old = &catalog().get("gpt-image-1.5").unwrap().lifecycle;
    /// assert_eq!(old.state_on("2026-12-03".parse().unwrap()), ModelState::Shutdown);
    /// assert_eq!(old.state_on("2026-11-15".parse().unwrap()), ModelState::Deprecated);
    /// assert_eq!(old.state_on("2026-01-15".parse().unwrap()), ModelState::Active);
    /// ```
    pub fn state_on(&self, date: Date) -> ModelState {
        match (self.deprecated, self.retired) {
            (_, Some(r)) if date >= r => ModelState::Shutdown,
            (Some(d), _) if date >= d => ModelState::Deprecated,
            (None, Some(_)) => ModelState::Deprecated,
            _ => ModelState::Active,
        }
    }
}

/// The whole catalog: its date, its source, the parameters it declares and
/// the models.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// The day the facts were last checked; validation judges lifecycles on
    /// this day unless given another.
    pub as_of: Date,
    /// Where they come from.
    pub source: String,
    /// Every request parameter besides `model`, `prompt`, `n` and `size`, by
    /// wire name.
    #[serde(default)]
    pub parameters: BTreeMap<String, ParamDecl>,
    /// The models.
    pub models: Vec<ModelSpec>,
    /// The resolved `rules` document of each model, as written (inherited
    /// entries merged in): what profiles layer their partial rules over.
    #[serde(skip)]
    docs: Vec<Value>,
}

pub(crate) const CATALOG_JSON: &str = include_str!("../data/models.json");

/// The built-in model catalog, parsed once from `data/models.json`.
///
/// ```
/// use gpt_image_plan::catalog;
/// let gpt2 = catalog().get("gpt-image-2").unwrap();
/// assert_eq!(gpt2.rules.n.max, 10);
/// assert_eq!(gpt2.rules.prompt.max_chars, 32_000);
/// ```
pub fn catalog() -> &'static Catalog {
    static LOADED: LazyLock<Catalog> = LazyLock::new(|| {
        // The file is part of the crate and every entry is checked by the
        // tests, so this cannot fail on a tested build whatever the input.
        Catalog::from_json(CATALOG_JSON).unwrap_or_else(|e| panic!("data/models.json: {e}"))
    });
    &LOADED
}

impl Catalog {
    /// Reads a whole catalog document.
    ///
    /// # Errors
    /// A [`LoadError`] at the JSON path of the first problem.
    pub fn from_json(text: &str) -> Result<Catalog, LoadError> {
        Catalog::from_doc(crate::load::read_value(text)?)
    }

    /// This catalog with a newer document layered over it: an entry for a
    /// model already listed is merged over it key by key (so it may give
    /// only a new `lifecycle`), others are added, its parameters
    /// replace or add by name, and its `as_of` and `source` are the
    /// result's. A model entry may `"inherit"` one of this catalog's.
    ///
    /// ```
    /// use gpt_image_plan::catalog;
    /// let newer = catalog().layered(r#"{"as_of": "2027-01-10", "source": "my notes",
    ///   "parameters": {"sharpness": {"type": "integer"}},
    ///   "models": [{"id": "gpt-image-3", "family": "gpt_image", "inherit": "gpt-image-2",
    ///     "source": "my notes", "rules": {"params": {"sharpness": {"support": "supported", "min": 0, "max": 5}}}}]}"#).unwrap();
    /// assert!(newer.get("gpt-image-3").is_some());
    /// assert_eq!(newer.as_of.to_string(), "2027-01-10");
    /// ```
    ///
    /// # Errors
    /// A [`LoadError`] at the JSON path of the first problem, in the newer
    /// document or in the result.
    pub fn layered(&self, text: &str) -> Result<Catalog, LoadError> {
        let over = crate::load::read_value(text)?;
        let Value::Object(over) = over else {
            return Err(LoadError::schema("", "expected a catalog object"));
        };
        let mut doc =
            serde_json::to_value(self).map_err(|e| LoadError::schema("", e.to_string()))?;
        // The written-back models carry resolved rules; inheriting from them
        // works the same as from the original entries.
        for (key, value) in over {
            match (key.as_str(), doc.get_mut(&key)) {
                ("models", Some(Value::Array(models))) => {
                    let Value::Array(new) = value else {
                        return Err(LoadError::schema("models", "expected an array"));
                    };
                    for entry in new {
                        let id = entry.get("id").and_then(Value::as_str).map(str::to_owned);
                        match models.iter_mut().find(|m| {
                            id.is_some() && m.get("id").and_then(Value::as_str) == id.as_deref()
                        }) {
                            // An entry for a known id changes what it names
                            // and keeps the rest (a merge patch).
                            Some(slot) => {
                                crate::load::check_patch(&entry, "models[]")?;
                                crate::load::layer(slot, &entry);
                            }
                            None => models.push(entry),
                        }
                    }
                }
                ("parameters", Some(Value::Object(params))) => {
                    let Value::Object(new) = value else {
                        return Err(LoadError::schema("parameters", "expected an object"));
                    };
                    params.extend(new);
                }
                (_, _) => {
                    if let Value::Object(d) = &mut doc {
                        d.insert(key, value);
                    }
                }
            }
        }
        Catalog::from_doc(doc)
    }

    /// Resolves `"inherit"` entries, then reads the whole with the derived
    /// reader and checks each model's rules.
    fn from_doc(mut doc: Value) -> Result<Catalog, LoadError> {
        let docs = resolve_inherits(&mut doc)?;
        let mut catalog: Catalog = crate::load::from_value(&doc)?;
        catalog.docs = docs;
        for model in &mut catalog.models {
            model.rules.set_kinds(&catalog.parameters);
        }
        let mut seen = std::collections::HashSet::new();
        for (i, model) in catalog.models.iter().enumerate() {
            if !seen.insert(model.id.as_str()) {
                return Err(LoadError::inconsistent(
                    &format!("models[{i}].id"),
                    format!("\"{}\" is listed twice", model.id),
                ));
            }
            crate::profile::check_rules(&model.rules, &catalog.parameters)
                .map_err(|p| LoadError::inconsistent(&format!("models[{i}].rules"), p))?;
            if let Some(r) = &model.lifecycle.replacement
                && !catalog.models.iter().any(|m| &m.id == r)
            {
                return Err(LoadError::inconsistent(
                    &format!("models[{i}].lifecycle.replacement"),
                    format!("\"{r}\" is not in the catalog"),
                ));
            }
        }
        for name in catalog.parameters.keys() {
            if !crate::diag::is_declarable(name) {
                return Err(LoadError::inconsistent(
                    &format!("parameters.{name}"),
                    crate::diag::DECLARABLE.to_owned(),
                ));
            }
        }
        Ok(catalog)
    }

    /// The entry for `id`.
    pub fn get(&self, id: &str) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The resolved rules document of model `id`: what a profile's partial
    /// rules are layered over.
    pub(crate) fn rules_doc(&self, id: &str) -> Option<&Value> {
        let i = self.models.iter().position(|m| m.id == id)?;
        self.docs.get(i)
    }
}

/// Replaces each entry's `inherit` and `rules` by its resolved `rules`, and
/// returns those, in entry order.
fn resolve_inherits(doc: &mut Value) -> Result<Vec<Value>, LoadError> {
    let Some(entries) = doc.get_mut("models").and_then(Value::as_array_mut) else {
        // The typed reading says what is wrong.
        return Ok(Vec::new());
    };
    let mut resolved: Vec<(String, Value)> = Vec::new();
    for (i, entry) in entries.iter_mut().enumerate() {
        let Some(members) = entry.as_object_mut() else {
            resolved.push((String::new(), Value::Null));
            continue;
        };
        let mut rules = Value::Object(serde_json::Map::new());
        if let Some(parent) = members.remove("inherit") {
            let at = format!("models[{i}].inherit");
            let parent = parent
                .as_str()
                .ok_or_else(|| LoadError::schema(&at, "expected a model id (a string)"))?;
            rules = resolved
                .iter()
                .find(|(id, _)| id == parent)
                .map(|(_, rules)| rules.clone())
                .ok_or_else(|| {
                    LoadError::schema(&at, format!("\"{parent}\" is not listed before"))
                })?;
        }
        if let Some(patch) = members.get("rules") {
            crate::load::check_patch(patch, &format!("models[{i}].rules"))?;
            crate::load::layer(&mut rules, patch);
        }
        members.insert("rules".to_owned(), rules.clone());
        let id = members
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        resolved.push((id.to_owned(), rules));
    }
    Ok(resolved.into_iter().map(|(_, rules)| rules).collect())
}
