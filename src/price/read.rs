//! Reading price tables and response `usage` blocks from the crate's own JSON
//! tree ([`crate::json`]): plain functions over [`Json`], errors that name the
//! path (`entries[3].pricing.prices[0].price`), what was found and what was
//! expected, and no floats anywhere.
//!
//! The reader serves every user table. The built-in table (`data/prices.json`)
//! is built by generated Rust instead (`super::builtin`), and tests hold that
//! to this reader and the table checks on the same file. The derived
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
    Fields, ReadError, expected, fields, list, missing, name, named, parsed, string, text,
    u64_value,
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
        token_tables: f.given("token_tables", token_tables)?.unwrap_or_default(),
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
                partial_image_tokens: f.given("partial_image_tokens", u64_value)?.unwrap_or(0),
                auto_sizes: f
                    .given("auto_sizes", |v| list(v, parsed))?
                    .unwrap_or_default(),
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
        prices: f
            .given("prices", |by_tier| {
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
    named(value, Quality::parse_name)
}

fn quality_key(key: &str) -> Result<Quality, ReadError> {
    name(key, Quality::parse_name)
}

fn tier(value: &Json) -> Result<Tier, ReadError> {
    named(value, Tier::parse_name)
}

fn tier_key(key: &str) -> Result<Tier, ReadError> {
    name(key, Tier::parse_name)
}

/// The string member `key` of the object `value` (`what` names the object),
/// read before the object's other members because it decides which they are.
fn tag<'a>(value: &'a Json, what: &str, key: &str) -> Result<&'a str, ReadError> {
    if value.as_object().is_none() {
        return Err(expected(&format!("{what} (an object)"), value));
    }
    match value.get(key) {
        Some(tag) => text(tag).map_err(|e| e.at_key(key)),
        None => Err(missing(key)),
    }
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::*;
    use crate::json::parse::parse;
    use crate::price::table::BUILTIN_JSON;

    /// The derived reader followed by the same checks: the reference.
    fn derived(text: &str) -> Result<PriceTable, String> {
        let table: PriceTable = serde_json::from_str(text).map_err(|e| e.to_string())?;
        table.check()?;
        Ok(table)
    }

    fn ours(text: &str) -> Result<PriceTable, String> {
        PriceTable::from_json(text).map_err(|e| e.to_string())
    }

    #[test]
    fn the_builtin_table_reads_as_the_derived_deserialize_reads_it() {
        let reference: PriceTable = serde_json::from_str(BUILTIN_JSON).unwrap();
        assert_eq!(table(&parse(BUILTIN_JSON).unwrap()).unwrap(), reference);
        assert_eq!(PriceTable::builtin(), &reference);
        // Pinned values, so the two cannot agree on an empty table.
        assert_eq!(reference.entries.len(), 11);
        let pixapi = reference.get("pixapi", "gpt-image-2").unwrap();
        let Pricing::TierMatrix(tiers) = &pixapi.pricing else {
            panic!("{pixapi:?}");
        };
        assert_eq!(
            tiers.price(Tier::K4, Quality::High),
            Some(Amount::whole(133))
        );
        assert_eq!(reference.token_tables["gpt_image_1_table"].rows.len(), 9);
    }

    #[test]
    fn amounts_take_decimal_strings_and_integers_but_not_floats() {
        let read = |text: &str| amount(&parse(text).unwrap()).map_err(|e| e.to_string());
        assert_eq!(read(r#""0.04""#).unwrap().to_string(), "0.04");
        assert_eq!(read("67").unwrap(), Amount::whole(67));
        assert_eq!(read("-2").unwrap(), Amount::whole(-2));
        // Exact beyond u64, where serde_json would have made it a float.
        assert_eq!(
            read("100000000000000000000").unwrap().to_string(),
            "100000000000000000000"
        );
        assert_eq!(
            read("1e2").unwrap_err(),
            r#"amount 1e2 is a JSON float; write amounts as decimal strings such as "0.04" so they stay exact"#
        );
        assert_eq!(
            read("null").unwrap_err(),
            r#"expected an amount (a decimal string such as "0.04", or an integer), found null"#
        );
        assert_eq!(
            read(r#""1,5""#).unwrap_err(),
            r#"amount "1,5" is not a decimal number with at most 15 decimals, such as "0.04""#
        );
    }

    #[test]
    fn a_map_refuses_a_key_given_twice() {
        let text = BUILTIN_JSON.replacen(r#""1K":{"low":"1","#, r#""1K":{"low":"1","low":"2","#, 1);
        assert_ne!(text, BUILTIN_JSON, "the built-in table changed shape");
        assert_eq!(
            ours(&text).unwrap_err(),
            r#"price table is not valid: entries[9].pricing.prices.1K: key "low" is given twice"#
        );
    }

    #[test]
    fn a_null_where_a_defaulted_field_takes_no_null_is_refused_as_serde_refuses_it() {
        let text = BUILTIN_JSON.replacen(
            r#""partial_image_tokens":100"#,
            r#""partial_image_tokens":null"#,
            1,
        );
        assert_ne!(text, BUILTIN_JSON, "the built-in table changed shape");
        assert!(derived(&text).is_err());
        assert_eq!(
            ours(&text).unwrap_err(),
            "price table is not valid: entries[0].pricing.partial_image_tokens: expected an integer from 0 to 18446744073709551615, found null"
        );
    }

    /// Every node of a document, as the path of keys and indexes to it.
    fn paths(
        value: &Value,
        here: &mut Vec<Result<String, usize>>,
        out: &mut Vec<Vec<Result<String, usize>>>,
    ) {
        out.push(here.clone());
        match value {
            Value::Object(members) => {
                for (k, v) in members {
                    here.push(Ok(k.clone()));
                    paths(v, here, out);
                    here.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    here.push(Err(i));
                    paths(v, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }

    fn node<'a>(mut value: &'a mut Value, path: &[Result<String, usize>]) -> &'a mut Value {
        for step in path {
            value = match step {
                Ok(k) => &mut value[k.as_str()],
                Err(i) => &mut value[*i],
            };
        }
        value
    }

    /// Values a mutation puts in: every kind of JSON value, and words and
    /// numbers the schema takes somewhere (no arrays that could read as a
    /// struct, which only the derived reader accepts).
    fn pool() -> Vec<Value> {
        vec![
            json!(null),
            json!(true),
            json!(0),
            json!(7),
            json!(-1),
            json!(1.5),
            json!(1700000),
            json!(""),
            json!("x"),
            json!("1024x1024"),
            json!("1536x1024"),
            json!("low"),
            json!("high"),
            json!("hd"),
            json!("auto"),
            json!("1K"),
            json!("4K"),
            json!("0.04"),
            json!("-1"),
            json!("0.0000000001"),
            json!("2026-11-21"),
            json!("2026-02-30"),
            json!("USD"),
            json!("gpt_image_2_formula"),
            json!("gpt_image_1_table"),
            json!("estimate_max"),
            json!("token"),
            json!("per_image"),
            json!("tier_matrix"),
            json!("by_returned_size"),
            json!("long_edge"),
            json!("pixels"),
            json!("size_table"),
            json!([]),
            json!(["1024x1024"]),
            json!({}),
            json!({"per_image": "0.2"}),
            json!({"1K": {"low": "1"}}),
            json!([{"tier": "1K", "max": 5}, {"tier": "2K"}]),
            json!({"by": "size_table", "from_model": "m"}),
        ]
    }

    const KEYS: &[&str] = &[
        "discount",
        "note",
        "max",
        "from_model",
        "auto_size",
        "auto_quality",
        "tiers",
        "prices",
        "partial_image_tokens",
        "auto_sizes",
        "token_tables",
        "1K",
        "low",
        "kind",
        "by",
    ];

    #[derive(Clone, Debug)]
    enum Mutation {
        Replace(prop::sample::Index, prop::sample::Index),
        Remove(prop::sample::Index),
        Insert(
            prop::sample::Index,
            prop::sample::Index,
            prop::sample::Index,
        ),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (any::<prop::sample::Index>(), any::<prop::sample::Index>())
                .prop_map(|(at, v)| Mutation::Replace(at, v)),
            any::<prop::sample::Index>().prop_map(Mutation::Remove),
            (
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>()
            )
                .prop_map(|(at, k, v)| Mutation::Insert(at, k, v)),
        ]
    }

    fn mutate(doc: &mut Value, m: &Mutation) {
        let mut all = Vec::new();
        paths(doc, &mut Vec::new(), &mut all);
        let pool = pool();
        match m {
            Mutation::Replace(at, v) => *node(doc, at.get::<Vec<_>>(&all)) = v.get(&pool).clone(),
            Mutation::Remove(at) => {
                let path: &Vec<_> = at.get(&all);
                if let Some((last, parent)) = path.split_last() {
                    match (node(doc, parent), last) {
                        (Value::Object(members), Ok(k)) => {
                            members.remove(k);
                        }
                        (Value::Array(items), Err(i)) => {
                            items.remove(*i);
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Insert(at, k, v) => {
                if let Value::Object(members) = node(doc, at.get::<Vec<_>>(&all)) {
                    members.insert((*k.get(KEYS)).to_owned(), v.get(&pool).clone());
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn mutated_builtin_tables_read_as_the_derived_deserialize_reads_them(
            mutations in prop::collection::vec(mutation(), 1..4),
        ) {
            let mut doc: Value = serde_json::from_str(BUILTIN_JSON).unwrap();
            for m in &mutations {
                mutate(&mut doc, m);
            }
            let text = doc.to_string();
            match (derived(&text), ours(&text)) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "derived {:?}\nours {:?}\non {}", a.err(), b.err(), text),
            }
        }

        #[test]
        fn usage_blocks_read_as_the_derived_deserialize_reads_them(
            members in prop::collection::btree_map(
                prop::sample::select(vec![
                    "input_tokens", "output_tokens", "total_tokens", "input_tokens_details",
                    "output_tokens_details", "text_tokens", "image_tokens",
                ]),
                prop::sample::select(vec![
                    json!(null), json!(0), json!(5), json!(-1), json!(1.5), json!("5"), json!({}),
                    json!(18446744073709551615_u64), json!({"text_tokens": 3}),
                    json!({"image_tokens": null}), json!({"text_tokens": 2, "image_tokens": 9, "x": 1}),
                    json!({"image_tokens": "9"}),
                ]),
                0..6,
            ),
        ) {
            let text = Value::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()).to_string();
            let reference = serde_json::from_str::<Usage>(&text).map_err(|e| e.to_string());
            let read = usage(&parse(&text).unwrap()).map_err(|e| e.to_string());
            match (reference, read) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "derived {:?}\nours {:?}\non {}", a, b, text),
            }
        }
    }
}
