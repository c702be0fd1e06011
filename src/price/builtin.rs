//! The built-in price table as constant data, generated at build time.
//!
//! `build.rs` (`build/price_gen.rs`) turns `data/prices.json` into constant
//! data: `static TABLE: TableData` (the entries), `static TOKEN_TABLES` and
//! the length every row of prices is padded to (`&'static str`, slices of
//! `Copy` rows, amounts as integer units). [`generated`] builds the typed
//! [`PriceTable`] from it with a few loops, so no JSON is read at run time (a
//! build that never reads a user table, the WebAssembly package, links no
//! price-table reader), and the code that builds the table stays the same
//! size however many entries the file has. The JSON file stays the single
//! source of truth. The tests below hold the generated table to the reader:
//! it must equal what [`PriceTable::from_json`] reads from the same file, and
//! pass the same checks.

use std::collections::BTreeMap;

use super::money::{Amount, Currency};
use super::table::{
    OutputTokens, PerImagePricing, PriceEntry, PriceTable, Pricing, Reservation,
    ReturnedSizePricing, SizePrice, Threshold, TierPricing, TierRule, TokenPricing, TokenRow,
    TokenTable,
};
use crate::model::Date;
use crate::params::{Quality, Tier};
use crate::size::Size;

/// A day of the table; called only in the static's initializer, so a day
/// that does not exist fails the build rather than panicking at run time.
const fn day(year: u16, month: u8, day: u8) -> Date {
    match Date::new(year, month, day) {
        Some(date) => date,
        None => panic!("data/prices.json: a date is not a real day"),
    }
}

/// [`PriceTable`] as constant data, less its token tables (`TOKEN_TABLES`).
struct TableData {
    as_of: Date,
    source: &'static str,
    entries: &'static [EntryData],
}

/// A named [`TokenTable`].
struct TokenTableData {
    name: &'static str,
    source: &'static str,
    rows: &'static [TokenRow],
}

/// A [`PriceEntry`]; `currency` is a name the build script has checked
/// against [`Currency`]'s rule (1 to 32 ASCII letters, digits, `-` or `_`).
struct EntryData {
    provider: &'static str,
    model: &'static str,
    as_of: Date,
    source: &'static str,
    currency: &'static str,
    pricing: PricingData,
    note: Option<&'static str>,
}

/// A [`Pricing`], its numbers behind a reference so that an entry stays small
/// whatever its kind.
enum PricingData {
    Token(&'static TokenData),
    PerImage(&'static [SizePrice]),
    TierMatrix(&'static TiersData),
    ByReturnedSize(&'static ReturnedData),
}

/// A [`TokenPricing`]; `output_table` is `None` for
/// [`OutputTokens::Gpt2Formula`], else the token table's name.
struct TokenData {
    text_input_per_million: Amount,
    image_input_per_million: Amount,
    image_output_per_million: Amount,
    output_table: Option<&'static str>,
    partial_image_tokens: u64,
    auto_sizes: &'static [Size],
}

/// A [`ReturnedSizePricing`].
struct ReturnedData {
    reservation: Reservation,
    tiers: Option<TiersData>,
}

/// A [`TierPricing`], its price map as rows of (tier, [(quality, price)]).
///
/// Each tier is there at most once. The build script pads each row to
/// exactly `PRICE_CELLS` cells (the most any row of the file has) by
/// repeating the first one in front (or leaves it empty), so every row is
/// built by `BTreeMap::from` of an array of one length: one copy of that code,
/// not one per row length. `From` keeps one of the items with equal keys, and the repeats
/// equal the item they copy, so the map is the one the JSON describes.
struct TiersData {
    tier_rule: RuleData,
    prices: &'static [(Tier, &'static [(Quality, Amount)])],
    auto_quality: Option<Quality>,
    auto_size: Option<Tier>,
}

/// A [`TierRule`].
enum RuleData {
    LongEdge(&'static [Threshold]),
    Pixels(&'static [Threshold]),
    SizeTable(Option<&'static str>),
}

include!(concat!(env!("OUT_DIR"), "/prices.rs"));

/// The built-in price table, built from [`TABLE`] and [`TOKEN_TABLES`].
pub(super) fn generated() -> PriceTable {
    let token_tables = BTreeMap::from(TOKEN_TABLES.each_ref().map(|t| {
        let table = TokenTable {
            source: t.source.to_owned(),
            rows: t.rows.to_vec(),
        };
        (t.name.to_owned(), table)
    }));
    PriceTable {
        as_of: TABLE.as_of,
        source: TABLE.source.to_owned(),
        token_tables,
        entries: TABLE.entries.iter().map(entry).collect(),
    }
}

fn entry(e: &EntryData) -> PriceEntry {
    PriceEntry {
        provider: e.provider.to_owned(),
        model: e.model.to_owned(),
        as_of: e.as_of,
        source: e.source.to_owned(),
        currency: Currency::from_checked(e.currency),
        pricing: pricing(&e.pricing),
        note: e.note.map(str::to_owned),
    }
}

fn pricing(p: &PricingData) -> Pricing {
    match p {
        PricingData::Token(t) => Pricing::Token(TokenPricing {
            text_input_per_million: t.text_input_per_million,
            image_input_per_million: t.image_input_per_million,
            image_output_per_million: t.image_output_per_million,
            output_tokens: match t.output_table {
                None => OutputTokens::Gpt2Formula,
                Some(name) => OutputTokens::Table(name.to_owned()),
            },
            partial_image_tokens: t.partial_image_tokens,
            auto_sizes: t.auto_sizes.to_vec(),
        }),
        PricingData::PerImage(prices) => Pricing::PerImage(PerImagePricing {
            prices: prices.to_vec(),
        }),
        PricingData::TierMatrix(t) => Pricing::TierMatrix(tiers(t)),
        PricingData::ByReturnedSize(r) => Pricing::ByReturnedSize(ReturnedSizePricing {
            reservation: r.reservation,
            tiers: r.tiers.as_ref().map(tiers),
        }),
    }
}

/// A row of prices from its padded cells (see [`TiersData`]).
fn cells(row: &[(Quality, Amount)]) -> BTreeMap<Quality, Amount> {
    <[_; PRICE_CELLS]>::try_from(row).map_or_else(|_| BTreeMap::new(), BTreeMap::from)
}

fn tiers(t: &TiersData) -> TierPricing {
    // Row by row through the entry API: for this map (its values are maps,
    // not `Copy`) that takes less code than `From` of an array, which must
    // be able to drop the values of repeated keys.
    let mut prices = BTreeMap::new();
    for &(tier, row) in t.prices {
        prices.entry(tier).or_insert_with(|| cells(row));
    }
    TierPricing {
        tier_rule: match t.tier_rule {
            RuleData::LongEdge(steps) => TierRule::LongEdge {
                thresholds: steps.to_vec(),
            },
            RuleData::Pixels(steps) => TierRule::Pixels {
                thresholds: steps.to_vec(),
            },
            RuleData::SizeTable(from) => TierRule::SizeTable {
                from_model: from.map(str::to_owned),
            },
        },
        prices,
        auto_quality: t.auto_quality,
        auto_size: t.auto_size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::price::table::BUILTIN_JSON;
    use strum::VariantArray;

    #[test]
    fn the_generated_table_is_what_the_reader_reads_from_the_same_json() {
        let read = PriceTable::from_json(BUILTIN_JSON).unwrap();
        assert_eq!(generated(), read);
        // The pretty source in data/ too, not only its minified copy.
        let pretty = PriceTable::from_json(include_str!("../../data/prices.json")).unwrap();
        assert_eq!(generated(), pretty);
    }

    #[test]
    fn the_generated_table_passes_the_table_checks() {
        assert_eq!(generated().check(), Ok(()));
    }

    #[test]
    fn builtin_returns_the_generated_table() {
        assert_eq!(PriceTable::builtin(), &generated());
    }

    /// The plain reference for the price maps of [`tiers`]: every row and
    /// cell collected as given.
    fn reference_prices(
        rows: &[(Tier, Vec<(Quality, Amount)>)],
    ) -> BTreeMap<Tier, BTreeMap<Quality, Amount>> {
        rows.iter()
            .map(|(tier, row)| (*tier, row.iter().copied().collect()))
            .collect()
    }

    /// Distinct tiers, each with distinct qualities, in any order.
    fn price_rows() -> impl proptest::strategy::Strategy<Value = Vec<(Tier, Vec<(Quality, Amount)>)>>
    {
        use proptest::prelude::*;
        let row = proptest::sample::subsequence(Quality::VARIANTS.to_vec(), 0..=PRICE_CELLS)
            .prop_flat_map(|qualities| {
                let n = qualities.len();
                (
                    Just(qualities).prop_shuffle(),
                    proptest::collection::vec(any::<i64>(), n),
                )
            })
            .prop_map(|(qualities, prices)| {
                qualities
                    .into_iter()
                    .zip(prices.into_iter().map(Amount::whole))
                    .collect::<Vec<_>>()
            });
        proptest::sample::subsequence(Tier::VARIANTS.to_vec(), 0..=Tier::VARIANTS.len())
            .prop_shuffle()
            .prop_flat_map(move |tiers| {
                let n = tiers.len();
                (Just(tiers), proptest::collection::vec(row.clone(), n))
            })
            .prop_map(|(tiers, rows)| tiers.into_iter().zip(rows).collect())
    }

    /// `items` padded as the build script pads them: the first repeated in
    /// front until there are `n`.
    fn padded<T: Copy>(items: &[T], n: usize) -> Vec<T> {
        match items.first() {
            None => Vec::new(),
            Some(&first) => {
                let mut out = vec![first; n - items.len()];
                out.extend_from_slice(items);
                out
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn padded_price_maps_equal_the_rows_collected(rows in price_rows()) {
            let leaked: Vec<(Tier, &'static [(Quality, Amount)])> = rows
                .iter()
                .map(|(tier, row)| (*tier, &*Vec::leak(padded(row, PRICE_CELLS))))
                .collect();
            let data = TiersData {
                tier_rule: RuleData::SizeTable(None),
                prices: Vec::leak(leaked),
                auto_quality: None,
                auto_size: None,
            };
            proptest::prop_assert_eq!(tiers(&data).prices, reference_prices(&rows));
        }
    }

    /// Pinned values, so the comparisons above cannot pass on an empty or
    /// truncated table.
    #[test]
    fn the_generated_table_holds_the_published_numbers() {
        let table = generated();
        assert_eq!(table.as_of.to_string(), "2026-11-21");
        assert_eq!(table.entries.len(), 11);
        assert_eq!(table.token_tables["gpt_image_1_table"].rows.len(), 9);
        let mini = table.get("openai", "gpt-image-1-mini").unwrap();
        assert_eq!(mini.currency.as_str(), "USD");
        let Pricing::Token(tokens) = &mini.pricing else {
            panic!("{mini:?}");
        };
        assert_eq!(tokens.image_input_per_million.to_string(), "2.5");
        assert_eq!(tokens.partial_image_tokens, 100);
        let dalle2 = table.get("openai", "dall-e-2").unwrap();
        let Pricing::PerImage(per_image) = &dalle2.pricing else {
            panic!("{dalle2:?}");
        };
        assert_eq!(
            per_image.prices[0],
            SizePrice {
                size: Size::new(256, 256),
                quality: Quality::Standard,
                price: Amount::from_units(16_000_000_000_000),
            }
        );
        let pixapi = table.get("pixapi", "gpt-image-2").unwrap();
        assert_eq!(pixapi.currency.as_str(), "pixapi-credits");
        let Pricing::TierMatrix(tiers) = &pixapi.pricing else {
            panic!("{pixapi:?}");
        };
        assert_eq!(
            tiers.price(Tier::K4, Quality::High),
            Some(Amount::whole(133))
        );
        assert_eq!(tiers.auto_size, Some(Tier::K1));
        let evolink = table.get("evolink", "gpt-image-2").unwrap();
        let Pricing::TierMatrix(tiers) = &evolink.pricing else {
            panic!("{evolink:?}");
        };
        assert_eq!(
            tiers.tier_rule,
            TierRule::Pixels {
                thresholds: vec![
                    Threshold {
                        tier: Tier::K1,
                        max: Some(1_700_000)
                    },
                    Threshold {
                        tier: Tier::K2,
                        max: Some(4_400_000)
                    },
                    Threshold {
                        tier: Tier::K4,
                        max: None
                    },
                ]
            }
        );
        let auto = table.get("uniall", "gpt-image-2-auto").unwrap();
        assert_eq!(
            auto.pricing,
            Pricing::ByReturnedSize(ReturnedSizePricing {
                reservation: Reservation::EstimateMax,
                tiers: None,
            })
        );
    }
}
