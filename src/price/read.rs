//! Reading price tables and response `usage` blocks from the crate's own JSON
//! tree ([`crate::json`]): plain functions over [`Json`], errors that name the
//! path (`entries[3].pricing.prices[0].price`), what was found and what was
//! expected, and no floats anywhere.
//!
//! One reader serves the built-in table (`data/prices.json`) and every user
//! table, so both pass the same schema and the same checks. The derived
//! `Deserialize` impls of the table types stay for Rust callers; tests check
//! that they and this reader agree on valid documents. Where they differ it is
//! on purpose: this reader refuses a struct written as an array and a key given
//! twice, and it reads any integer that fits an [`Amount`] exactly.

use std::collections::BTreeMap;

use super::money::Amount;
use super::reconcile::{InputTokensDetails, OutputTokensDetails, Usage};
use super::table::{
    Basis, PerImagePricing, PriceEntry, PriceTable, Pricing, Reservation, ReturnedSizePricing,
    SizePrice, Threshold, TierPricing, TierRule, TokenPricing, TokenRow, TokenTable,
};
use crate::json::read::{
    Fields, ReadError, expected, fields, list, parsed, string, text, u64_value,
};
use crate::json::tree::Json;
use crate::params::{Quality, Tier};
use crate::text::{ParseNameError, excerpt};

const TABLE_KEYS: &[&str] = &["as_of", "source", "token_tables", "entries"];
const TOKEN_TABLE_KEYS: &[&str] = &["source", "rows"];
const TOKEN_ROW_KEYS: &[&str] = &["size", "quality", "tokens"];
const ENTRY_KEYS: &[&str] = &[
    "provider", "model", "as_of", "source", "currency", "pricing", "note",
];
const TOKEN_KEYS: &[&str] = &[
    "kind",
    "text_input_per_million",
    "image_input_per_million",
    "image_output_per_million",
    "output_tokens",
    "partial_image_tokens",
    "auto_sizes",
];
const PER_IMAGE_KEYS: &[&str] = &["kind", "prices"];
const SIZE_PRICE_KEYS: &[&str] = &["size", "quality", "price"];
const TIER_MATRIX_KEYS: &[&str] = &["kind", "tier_rule", "prices", "auto_quality", "auto_size"];
const TIERS_KEYS: &[&str] = &["tier_rule", "prices", "auto_quality", "auto_size"];
const RETURNED_SIZE_KEYS: &[&str] = &["kind", "reservation", "tiers"];
const THRESHOLD_RULE_KEYS: &[&str] = &["by", "thresholds"];
const SIZE_TABLE_RULE_KEYS: &[&str] = &["by", "from_model"];
const THRESHOLD_KEYS: &[&str] = &["tier", "max"];
const RESERVATION_KEYS: &[&str] = &["per_image"];
const TIER_RULES: &[&str] = &["long_edge", "pixels", "size_table"];

/// Reads a price table document (the schema of `docs/price-table.md`); the
/// caller runs the table's own checks afterwards.
pub(super) fn table(doc: &Json) -> Result<PriceTable, ReadError> {
    let f = fields(doc, "a price table", TABLE_KEYS)?;
    Ok(PriceTable {
        as_of: f.req("as_of", parsed)?,
        source: f.req("source", string)?,
        token_tables: given(&f, "token_tables", token_tables)?.unwrap_or_default(),
        entries: f.req("entries", |v| list(v, entry))?,
    })
}

fn token_tables(value: &Json) -> Result<BTreeMap<String, TokenTable>, ReadError> {
    map(
        value,
        "token tables",
        |name| Ok(name.to_owned()),
        |table| {
            let f = fields(table, "a token table", TOKEN_TABLE_KEYS)?;
            Ok(TokenTable {
                source: f.req("source", string)?,
                rows: f.req("rows", |v| list(v, token_row))?,
            })
        },
    )
}

fn token_row(value: &Json) -> Result<TokenRow, ReadError> {
    let f = fields(value, "a token table row", TOKEN_ROW_KEYS)?;
    Ok(TokenRow {
        size: f.req("size", parsed)?,
        quality: f.req("quality", quality)?,
        tokens: f.req("tokens", u64_value)?,
    })
}

fn entry(value: &Json) -> Result<PriceEntry, ReadError> {
    let f = fields(value, "a price entry", ENTRY_KEYS)?;
    Ok(PriceEntry {
        provider: f.req("provider", string)?,
        model: f.req("model", string)?,
        as_of: f.req("as_of", parsed)?,
        source: f.req("source", string)?,
        currency: f.req("currency", parsed)?,
        pricing: f.req("pricing", pricing)?,
        note: f.opt("note", string)?,
    })
}

/// A pricing object, by its `kind`.
fn pricing(value: &Json) -> Result<Pricing, ReadError> {
    let kind = tag(value, "pricing", "kind")?;
    let kind = Basis::parse_name(kind).map_err(|e| {
        ReadError::new(ParseNameError { what: "kind", ..e }.to_string()).at_key("kind")
    })?;
    Ok(match kind {
        Basis::Token => {
            let f = fields(value, "token pricing", TOKEN_KEYS)?;
            Pricing::Token(TokenPricing {
                text_input_per_million: f.req("text_input_per_million", amount)?,
                image_input_per_million: f.req("image_input_per_million", amount)?,
                image_output_per_million: f.req("image_output_per_million", amount)?,
                output_tokens: f.req("output_tokens", parsed)?,
                partial_image_tokens: given(&f, "partial_image_tokens", u64_value)?.unwrap_or(0),
                auto_sizes: given(&f, "auto_sizes", |v| list(v, parsed))?.unwrap_or_default(),
            })
        }
        Basis::PerImage => {
            let f = fields(value, "per_image pricing", PER_IMAGE_KEYS)?;
            Pricing::PerImage(PerImagePricing {
                prices: f.req("prices", |v| list(v, size_price))?,
            })
        }
        Basis::TierMatrix => Pricing::TierMatrix(tiers(&fields(
            value,
            "tier_matrix pricing",
            TIER_MATRIX_KEYS,
        )?)?),
        Basis::ByReturnedSize => {
            let f = fields(value, "by_returned_size pricing", RETURNED_SIZE_KEYS)?;
            Pricing::ByReturnedSize(ReturnedSizePricing {
                reservation: f.req("reservation", reservation)?,
                tiers: f.opt("tiers", |v| tiers(&fields(v, "tiers", TIERS_KEYS)?))?,
            })
        }
    })
}

fn size_price(value: &Json) -> Result<SizePrice, ReadError> {
    let f = fields(value, "a size price", SIZE_PRICE_KEYS)?;
    Ok(SizePrice {
        size: f.req("size", parsed)?,
        quality: f.req("quality", quality)?,
        price: f.req("price", amount)?,
    })
}

/// The members of a tier matrix (`kind` already checked by the caller's
/// known keys).
fn tiers(f: &Fields<'_>) -> Result<TierPricing, ReadError> {
    Ok(TierPricing {
        tier_rule: f.req("tier_rule", tier_rule)?,
        prices: given(f, "prices", |by_tier| {
            map(by_tier, "prices by tier", tier_key, |by_quality| {
                map(by_quality, "prices by quality", quality_key, amount)
            })
        })?
        .unwrap_or_default(),
        auto_quality: f.opt("auto_quality", quality)?,
        auto_size: f.opt("auto_size", tier)?,
    })
}

fn tier_rule(value: &Json) -> Result<TierRule, ReadError> {
    let thresholds = |f: Fields<'_>| f.req("thresholds", |v| list(v, threshold));
    match tag(value, "a tier rule", "by")? {
        "long_edge" => Ok(TierRule::LongEdge {
            thresholds: thresholds(fields(value, "a tier rule", THRESHOLD_RULE_KEYS)?)?,
        }),
        "pixels" => Ok(TierRule::Pixels {
            thresholds: thresholds(fields(value, "a tier rule", THRESHOLD_RULE_KEYS)?)?,
        }),
        "size_table" => Ok(TierRule::SizeTable {
            from_model: fields(value, "a tier rule", SIZE_TABLE_RULE_KEYS)?
                .opt("from_model", string)?,
        }),
        other => Err(ReadError::new(
            ParseNameError {
                what: "by",
                value: other.chars().take(64).collect(),
                expected: crate::text::quote_list(TIER_RULES),
            }
            .to_string(),
        )
        .at_key("by")),
    }
}

fn threshold(value: &Json) -> Result<Threshold, ReadError> {
    let f = fields(value, "a threshold", THRESHOLD_KEYS)?;
    Ok(Threshold {
        tier: f.req("tier", tier)?,
        max: f.opt("max", u64_value)?,
    })
}

/// `"estimate_max"`, or `{"per_image": amount}`.
fn reservation(value: &Json) -> Result<Reservation, ReadError> {
    match value {
        Json::String(s) if s == "estimate_max" => Ok(Reservation::EstimateMax),
        Json::Object(_) => Ok(Reservation::PerImage(
            fields(value, "a reservation", RESERVATION_KEYS)?.req("per_image", amount)?,
        )),
        _ => Err(expected(
            "\"estimate_max\" or {\"per_image\": amount}",
            value,
        )),
    }
}

/// An amount: a decimal string (`"0.04"`), or a JSON integer read exactly.
/// A number with a fraction or exponent is refused: it is a float to most
/// JSON tools, so it would not stay exact.
pub(super) fn amount(value: &Json) -> Result<Amount, ReadError> {
    match value {
        Json::String(_) => parsed(value),
        Json::Number(n) if n.is_integer_text() => n
            .text()
            .parse()
            .map_err(|e: super::money::ParseAmountError| ReadError::new(e.to_string())),
        Json::Number(n) => Err(ReadError::new(format!(
            "amount {} is a JSON float; write amounts as decimal strings such as \"0.04\" so they stay exact",
            excerpt(n.text(), 24)
        ))),
        _ => Err(expected(
            "an amount (a decimal string such as \"0.04\", or an integer)",
            value,
        )),
    }
}

fn quality(value: &Json) -> Result<Quality, ReadError> {
    quality_key(text(value)?)
}

fn quality_key(name: &str) -> Result<Quality, ReadError> {
    Quality::parse_name(name).map_err(|e| ReadError::new(e.to_string()))
}

fn tier(value: &Json) -> Result<Tier, ReadError> {
    tier_key(text(value)?)
}

fn tier_key(name: &str) -> Result<Tier, ReadError> {
    Tier::parse_name(name).map_err(|e| ReadError::new(e.to_string()))
}

/// The string member `key` of the object `value` (`what` names the object),
/// read before the object's other members because it decides which they are.
fn tag<'a>(value: &'a Json, what: &str, key: &str) -> Result<&'a str, ReadError> {
    if value.as_object().is_none() {
        return Err(expected(&format!("{what} (an object)"), value));
    }
    match value.get(key) {
        Some(tag) => text(tag).map_err(|e| e.at_key(key)),
        None => Err(ReadError::new(format!("missing field \"{key}\""))),
    }
}

/// The member `key` read by `read` when given, `None` when missing. Unlike
/// [`Fields::opt`], `null` is read (and refused by readers that take no
/// `null`), as serde reads a defaulted field that is not an `Option`.
fn given<'a, T>(
    f: &Fields<'a>,
    key: &str,
    read: impl FnOnce(&'a Json) -> Result<T, ReadError>,
) -> Result<Option<T>, ReadError> {
    f.get(key)
        .map(|value| read(value).map_err(|e| e.at_key(key)))
        .transpose()
}

/// An object read as a map: each key by `key`, each value by `item`; a key
/// given twice (or two spellings of one key) is refused.
fn map<K: Ord, V>(
    value: &Json,
    what: &str,
    key: impl Fn(&str) -> Result<K, ReadError>,
    item: impl Fn(&Json) -> Result<V, ReadError>,
) -> Result<BTreeMap<K, V>, ReadError> {
    let members = value
        .as_object()
        .ok_or_else(|| expected(&format!("{what} (an object)"), value))?;
    let mut out = BTreeMap::new();
    for (name, v) in members {
        let k = key(name).map_err(|e| e.at_key(name))?;
        let v = item(v).map_err(|e| e.at_key(name))?;
        if out.insert(k, v).is_some() {
            return Err(ReadError::new(format!(
                "key \"{}\" is given twice",
                excerpt(name, 40)
            )));
        }
    }
    Ok(out)
}

/// Reads a response's `usage` block (OpenAI's shape). Unknown keys are
/// ignored, as providers add their own; a known key given twice is refused.
pub(super) fn usage(value: &Json) -> Result<Usage, ReadError> {
    let members = open_object(value, "a usage block")?;
    Ok(Usage {
        input_tokens: count(members, "input_tokens")?,
        output_tokens: count(members, "output_tokens")?,
        input_tokens_details: details(members, "input_tokens_details")?.map(
            |[text_tokens, image_tokens]| InputTokensDetails {
                text_tokens,
                image_tokens,
            },
        ),
        output_tokens_details: details(members, "output_tokens_details")?.map(
            |[text_tokens, image_tokens]| OutputTokensDetails {
                text_tokens,
                image_tokens,
            },
        ),
    })
}

fn open_object<'a>(value: &'a Json, what: &str) -> Result<&'a [(String, Json)], ReadError> {
    value
        .as_object()
        .ok_or_else(|| expected(&format!("{what} (an object)"), value))
}

/// The member `key`, if given; an error when it is given twice.
fn member<'a>(members: &'a [(String, Json)], key: &str) -> Result<Option<&'a Json>, ReadError> {
    let mut found = None;
    for (k, v) in members {
        if k == key {
            if found.is_some() {
                return Err(ReadError::new(format!("field \"{key}\" is given twice")));
            }
            found = Some(v);
        }
    }
    Ok(found)
}

/// A token count: 0 when missing (`null` is refused, as serde refuses it).
fn count(members: &[(String, Json)], key: &str) -> Result<u64, ReadError> {
    match member(members, key)? {
        None => Ok(0),
        Some(v) => u64_value(v).map_err(|e| e.at_key(key)),
    }
}

/// `{"text_tokens": n, "image_tokens": n}` when given and not `null`.
fn details(members: &[(String, Json)], key: &str) -> Result<Option<[u64; 2]>, ReadError> {
    let read = |v: &Json| -> Result<[u64; 2], ReadError> {
        let inner = open_object(v, "token details")?;
        Ok([count(inner, "text_tokens")?, count(inner, "image_tokens")?])
    };
    match member(members, key)? {
        None | Some(Json::Null) => Ok(None),
        Some(v) => read(v).map(Some).map_err(|e| e.at_key(key)),
    }
}
