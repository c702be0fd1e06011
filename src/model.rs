//! The model catalog: every OpenAI image model this crate knows, as dated data.
//!
//! The facts live in `data/models.json` (embedded at compile time and parsed
//! once); each entry names its source.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::load::LoadError;
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
    rules: Vec<Value>,
}

fn loaded() -> &'static Loaded {
    static LOADED: LazyLock<Loaded> = LazyLock::new(|| {
        // The file is part of the crate and every entry is checked by the
        // tests, so this cannot fail on a tested build whatever the input.
        parse_catalog(CATALOG_JSON).unwrap_or_else(|e| panic!("data/models.json: {e}"))
    });
    &LOADED
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
pub(crate) fn catalog_rules(id: ModelId) -> Option<&'static Value> {
    let loaded = loaded();
    let i = loaded.catalog.models.iter().position(|m| m.id == id)?;
    loaded.rules.get(i)
}

/// Parses a catalog document, resolving `"inherit": "<id>"` entries by
/// layering their `rules` over the rules of the model they name (listed
/// before them), then reading the whole with the derived [`Catalog`] reader.
fn parse_catalog(text: &str) -> Result<Loaded, LoadError> {
    let mut doc: Value = crate::load::read_value(text)?;
    let rules = resolve_inherits(&mut doc)?;
    let catalog: Catalog = crate::load::from_value(&doc)?;
    Ok(Loaded { catalog, rules })
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

impl Catalog {
    /// The entry for `id`.
    pub fn get(&self, id: ModelId) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.id == id)
    }
}
