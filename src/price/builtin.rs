//! Reading the built-in price table (`data/prices.json`) by hand.
//!
//! [`PriceTable::from_json`] reads any table through serde's derived code,
//! with exact positions in its errors. The built-in table needs none of that:
//! it ships with the crate and a test checks that this reader and
//! `from_json` give the same table. Reading it here, from a
//! [`serde_json::Value`] the request reader needs anyway, keeps the derived
//! table code out of builds that only use the built-in prices: it saved about
//! 52 KB of the WebAssembly module (the internally tagged `Pricing` and
//! `TierRule` buffer every entry through serde's `Content`).

use std::collections::BTreeMap;
use std::str::FromStr;

use serde_json::{Map, Value};

use super::money::Amount;
use super::table::{
    PerImagePricing, PriceEntry, PriceTable, Pricing, Reservation, ReturnedSizePricing, SizePrice,
    Threshold, TierPricing, TierRule, TokenPricing, TokenRow, TokenTable,
};

/// The key (or kind of value) that is missing or does not read. The errors
/// are terse on purpose: they can only come from editing `data/prices.json`,
/// and the test that compares this reader with the derived one says more.
type Read<T> = Result<T, &'static str>;

/// Reads the built-in table's JSON text.
pub(super) fn read_table(text: &str) -> Read<PriceTable> {
    let doc: Value = serde_json::from_str(text).map_err(|_| "the JSON text")?;
    let doc = object(&doc)?;
    let mut token_tables = BTreeMap::new();
    if let Some(tables) = doc.get("token_tables") {
        for (name, table) in object(tables)? {
            let table = object(table)?;
            let rows = list(required(table, "rows")?, |row| {
                let row = object(row)?;
                Ok(TokenRow {
                    size: parsed(required(row, "size")?)?,
                    quality: parsed(required(row, "quality")?)?,
                    tokens: integer(required(row, "tokens")?)?,
                })
            })?;
            let source = string(required(table, "source")?)?;
            token_tables.insert(name.clone(), TokenTable { source, rows });
        }
    }
    Ok(PriceTable {
        as_of: parsed(required(doc, "as_of")?)?,
        source: string(required(doc, "source")?)?,
        token_tables,
        entries: list(required(doc, "entries")?, entry)?,
    })
}

fn entry(value: &Value) -> Read<PriceEntry> {
    let entry = object(value)?;
    Ok(PriceEntry {
        provider: string(required(entry, "provider")?)?,
        model: string(required(entry, "model")?)?,
        as_of: parsed(required(entry, "as_of")?)?,
        source: string(required(entry, "source")?)?,
        currency: parsed(required(entry, "currency")?)?,
        pricing: pricing(required(entry, "pricing")?)?,
        note: optional(entry, "note", string)?,
    })
}

fn pricing(value: &Value) -> Read<Pricing> {
    let pricing = object(value)?;
    match string(required(pricing, "kind")?)?.as_str() {
        "token" => Ok(Pricing::Token(TokenPricing {
            text_input_per_million: amount(required(pricing, "text_input_per_million")?)?,
            image_input_per_million: amount(required(pricing, "image_input_per_million")?)?,
            image_output_per_million: amount(required(pricing, "image_output_per_million")?)?,
            output_tokens: parsed(required(pricing, "output_tokens")?)?,
            partial_image_tokens: optional(pricing, "partial_image_tokens", integer)?.unwrap_or(0),
            auto_sizes: optional(pricing, "auto_sizes", |v| list(v, parsed))?.unwrap_or_default(),
        })),
        "per_image" => Ok(Pricing::PerImage(PerImagePricing {
            prices: list(required(pricing, "prices")?, |row| {
                let row = object(row)?;
                Ok(SizePrice {
                    size: parsed(required(row, "size")?)?,
                    quality: parsed(required(row, "quality")?)?,
                    price: amount(required(row, "price")?)?,
                })
            })?,
        })),
        "tier_matrix" => Ok(Pricing::TierMatrix(tiers(pricing)?)),
        "by_returned_size" => Ok(Pricing::ByReturnedSize(ReturnedSizePricing {
            reservation: match required(pricing, "reservation")? {
                Value::String(s) if s == "estimate_max" => Reservation::EstimateMax,
                other => Reservation::PerImage(amount(required(object(other)?, "per_image")?)?),
            },
            tiers: optional(pricing, "tiers", |v| tiers(object(v)?))?,
        })),
        _ => Err("`kind`"),
    }
}

fn tiers(pricing: &Map<String, Value>) -> Read<TierPricing> {
    let rule = object(required(pricing, "tier_rule")?)?;
    let thresholds = || {
        list(required(rule, "thresholds")?, |step| {
            let step = object(step)?;
            Ok(Threshold {
                tier: parsed(required(step, "tier")?)?,
                max: optional(step, "max", integer)?,
            })
        })
    };
    let tier_rule = match string(required(rule, "by")?)?.as_str() {
        "long_edge" => TierRule::LongEdge {
            thresholds: thresholds()?,
        },
        "pixels" => TierRule::Pixels {
            thresholds: thresholds()?,
        },
        "size_table" => TierRule::SizeTable {
            from_model: optional(rule, "from_model", string)?,
        },
        _ => return Err("`by`"),
    };
    let mut prices = BTreeMap::new();
    if let Some(by_tier) = pricing.get("prices") {
        for (tier, row) in object(by_tier)? {
            let mut by_quality = BTreeMap::new();
            for (quality, price) in object(row)? {
                by_quality.insert(parse_text(quality)?, amount(price)?);
            }
            prices.insert(parse_text(tier)?, by_quality);
        }
    }
    Ok(TierPricing {
        tier_rule,
        prices,
        auto_quality: optional(pricing, "auto_quality", parsed)?,
        auto_size: optional(pricing, "auto_size", parsed)?,
    })
}

fn object(value: &Value) -> Read<&Map<String, Value>> {
    value.as_object().ok_or("an object")
}

fn required<'a>(object: &'a Map<String, Value>, key: &'static str) -> Read<&'a Value> {
    object.get(key).ok_or(key)
}

/// The field read with `read`, `None` when it is absent or `null`.
fn optional<T>(
    object: &Map<String, Value>,
    key: &str,
    read: impl FnOnce(&Value) -> Read<T>,
) -> Read<Option<T>> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => read(value).map(Some),
    }
}

fn string(value: &Value) -> Read<String> {
    value.as_str().map(str::to_owned).ok_or("a string")
}

fn integer(value: &Value) -> Read<u64> {
    value.as_u64().ok_or("a whole number")
}

fn parse_text<T: FromStr>(text: &str) -> Read<T> {
    text.parse().map_err(|_| "a text of the right form")
}

fn parsed<T: FromStr>(value: &Value) -> Read<T> {
    parse_text(value.as_str().ok_or("a string")?)
}

/// A decimal string, or a JSON integer (as the derived reader takes).
fn amount(value: &Value) -> Read<Amount> {
    match value {
        Value::String(text) => parse_text(text),
        Value::Number(n) => n.as_i64().map(Amount::whole).ok_or("a whole amount"),
        _ => Err("an amount"),
    }
}

fn list<T>(value: &Value, read: impl Fn(&Value) -> Read<T>) -> Read<Vec<T>> {
    value
        .as_array()
        .ok_or("an array")?
        .iter()
        .map(read)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::price::table::BUILTIN_JSON;

    #[test]
    fn the_hand_reader_gives_the_table_the_derived_reader_gives() {
        let derived: PriceTable = serde_json::from_str(BUILTIN_JSON).unwrap();
        assert_eq!(read_table(BUILTIN_JSON).unwrap(), derived);
        assert_eq!(&derived, PriceTable::builtin());
    }

    #[test]
    fn the_hand_reader_says_what_does_not_read() {
        let broken = BUILTIN_JSON.replacen("\"currency\":\"USD\"", "\"currency\":7", 1);
        assert_eq!(read_table(&broken).unwrap_err(), "a string");
        assert_eq!(read_table("{}").unwrap_err(), "as_of");
        assert_eq!(read_table("[").unwrap_err(), "the JSON text");
    }
}
