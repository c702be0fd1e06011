//! The model catalog: every OpenAI image model this crate knows, as dated data.
//!
//! The facts live in `data/models.json` (embedded at compile time and parsed
//! once); each entry names its source.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::json::parse::parse;
use crate::json::read::{ReadError, fields, list, named, parsed, string};
use crate::json::tree::{Json, merge};
use crate::merge::{check_patch, model_rules};
use crate::rules::ModelRules;
use crate::text::{serde_via_str, wire_enum};

wire_enum! {
    /// An OpenAI image model id.
    ///
    /// ```
    /// use gpt_image_plan::ModelId;
    /// assert_eq!("gpt-image-1.5".parse::<ModelId>().unwrap(), ModelId::GptImage1_5);
    /// assert_eq!(ModelId::GptImage2.to_string(), "gpt-image-2");
    /// ```
    ModelId, "model" {
        /// `dall-e-2`.
        DallE2 = "dall-e-2",
        /// `dall-e-3`.
        DallE3 = "dall-e-3",
        /// `gpt-image-1`.
        GptImage1 = "gpt-image-1",
        /// `gpt-image-1-mini`.
        GptImage1Mini = "gpt-image-1-mini",
        /// `gpt-image-1.5`.
        GptImage1_5 = "gpt-image-1.5",
        /// `gpt-image-2`.
        GptImage2 = "gpt-image-2",
        /// `gpt-image-2-2026-04-21`, the dated snapshot of gpt-image-2.
        GptImage2_20260421 = "gpt-image-2-2026-04-21",
    }
}

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

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Why a text is not a date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("date {0:?} is not a real day written YYYY-MM-DD")]
pub struct ParseDateError(String);

impl FromStr for Date {
    type Err = ParseDateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseDateError(s.chars().take(32).collect());
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
    /// Announced for removal.
    #[serde(default)]
    pub deprecated: Option<Date>,
    /// Removed from the API (calls are expected to fail after this day).
    #[serde(default)]
    pub retired: Option<Date>,
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

/// The whole catalog: its date, its source, and the models.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// The day the facts were last checked.
    pub as_of: Date,
    /// Where they come from.
    pub source: String,
    /// The models.
    pub models: Vec<ModelSpec>,
}

pub(crate) const CATALOG_JSON: &str = include_str!("../data/models.json");

/// The catalog as read, with each model's resolved rules document: profiles
/// layer their partial rules over the document, not over the typed rules.
struct Loaded {
    catalog: Catalog,
    /// The resolved `rules` of `catalog.models[i]`, as written (inherited
    /// entries merged in).
    rules: Vec<Json>,
}

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        // The file is part of the crate and every entry is checked by the
        // tests, so this cannot fail on a tested build whatever the input.
        parse_catalog(CATALOG_JSON).unwrap_or_else(|e| panic!("data/models.json: {e}"))
    })
}

/// The built-in model catalog, parsed once from `data/models.json`.
///
/// ```
/// use gpt_image_plan::{catalog, ModelId};
/// let gpt2 = catalog().get(ModelId::GptImage2).unwrap();
/// assert_eq!(gpt2.rules.n.max, 10);
/// assert_eq!(gpt2.rules.prompt.max_chars, 32_000);
/// ```
pub fn catalog() -> &'static Catalog {
    &loaded().catalog
}

/// The resolved rules document of the catalog model `id`: what a profile's
/// partial rules are layered over.
pub(crate) fn catalog_rules(id: ModelId) -> Option<&'static Json> {
    let loaded = loaded();
    let i = loaded.catalog.models.iter().position(|m| m.id == id)?;
    loaded.rules.get(i)
}

/// Parses a catalog document, resolving `"inherit": "<id>"` entries by
/// layering their `rules` over the rules of the model they name (listed
/// before them).
fn parse_catalog(text: &str) -> Result<Loaded, String> {
    let mut doc = parse(text).map_err(|e| e.to_string())?;
    let rules = resolve_inherits(&mut doc).map_err(|e| e.to_string())?;
    let catalog = catalog_doc(&doc).map_err(|e| e.to_string())?;
    Ok(Loaded { catalog, rules })
}

/// Replaces each entry's `inherit` and `rules` by its resolved `rules`, and
/// returns those, in entry order.
fn resolve_inherits(doc: &mut Json) -> Result<Vec<Json>, ReadError> {
    let Json::Object(members) = doc else {
        return Ok(Vec::new());
    };
    let mut resolved: Vec<(String, Json)> = Vec::new();
    for (key, value) in members.iter_mut() {
        let Json::Array(entries) = value else {
            continue;
        };
        if key != "models" {
            continue;
        }
        for (i, entry) in entries.iter_mut().enumerate() {
            let at = |e: ReadError| e.at_index(i).at_key("models");
            let rules = resolve_entry(entry, &resolved).map_err(at)?;
            let id = entry.get("id").and_then(Json::as_str).unwrap_or_default();
            resolved.push((id.to_owned(), rules));
        }
    }
    Ok(resolved.into_iter().map(|(_, rules)| rules).collect())
}

/// One entry's resolved rules, set as its `rules` (its `inherit` removed).
fn resolve_entry(entry: &mut Json, resolved: &[(String, Json)]) -> Result<Json, ReadError> {
    let Json::Object(members) = entry else {
        return Ok(Json::Null);
    };
    let mut rules = Json::Object(Vec::new());
    if let Some(i) = members.iter().position(|(k, _)| k == "inherit") {
        let (_, parent) = members.remove(i);
        let parent = crate::json::read::text(&parent).map_err(|e| e.at_key("inherit"))?;
        rules = resolved
            .iter()
            .find(|(id, _)| id == parent)
            .map(|(_, rules)| rules.clone())
            .ok_or_else(|| {
                ReadError::new(format!("\"{parent}\" is not listed before")).at_key("inherit")
            })?;
    }
    if let Some(patch) = entry.get("rules") {
        check_patch(patch, "model rules").map_err(|e| e.at_key("rules"))?;
        merge(&mut rules, patch);
    }
    entry.set("rules", rules.clone());
    Ok(rules)
}

fn lifecycle(v: &Json) -> Result<Lifecycle, ReadError> {
    let f = fields(
        v,
        "a lifecycle",
        &["released", "deprecated", "retired", "note"],
    )?;
    Ok(Lifecycle {
        released: f.opt("released", parsed::<Date>)?,
        deprecated: f.opt("deprecated", parsed::<Date>)?,
        retired: f.opt("retired", parsed::<Date>)?,
        note: f.opt("note", string)?,
    })
}

fn model_id(v: &Json) -> Result<ModelId, ReadError> {
    named(v, ModelId::parse_name)
}

/// A [`ModelSpec`], its rules resolved.
pub(crate) fn model_spec(v: &Json) -> Result<ModelSpec, ReadError> {
    let f = fields(
        v,
        "a catalog model",
        &[
            "id",
            "family",
            "snapshot_of",
            "lifecycle",
            "source",
            "rules",
        ],
    )?;
    Ok(ModelSpec {
        id: f.req("id", model_id)?,
        family: f.req("family", |v| named(v, Family::parse_name))?,
        snapshot_of: f.opt("snapshot_of", model_id)?,
        lifecycle: f.given("lifecycle", lifecycle)?.unwrap_or_default(),
        source: f.req("source", string)?,
        rules: f.req("rules", model_rules)?,
    })
}

/// A [`Catalog`] whose entries' rules are resolved.
pub(crate) fn catalog_doc(v: &Json) -> Result<Catalog, ReadError> {
    let f = fields(v, "a catalog", &["as_of", "source", "models"])?;
    Ok(Catalog {
        as_of: f.req("as_of", parsed::<Date>)?,
        source: f.req("source", string)?,
        models: f.req("models", |v| list(v, model_spec))?,
    })
}

impl Catalog {
    /// The entry for `id`.
    pub fn get(&self, id: ModelId) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.id == id)
    }
}
