//! The built-in price table as Rust, generated at build time.
//!
//! `build.rs` (`build/price_gen.rs`) turns `data/prices.json` into one
//! function, `generated()`, that builds the typed [`PriceTable`] with struct
//! literals: no JSON is read at run time, so a build that never reads a user
//! table (the WebAssembly package) links no price-table reader. The JSON file
//! stays the single source of truth. The tests below hold the generated table
//! to the reader: it must equal what [`PriceTable::from_json`] reads from the
//! same file, and pass the same checks.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::money::{Amount, Currency};
use super::table::{
    OutputTokens, PerImagePricing, PriceEntry, PriceTable, Pricing, Reservation,
    ReturnedSizePricing, SizePrice, Threshold, TierPricing, TierRule, TokenPricing, TokenRow,
    TokenTable,
};
use crate::model::Date;
use crate::params::{Quality, Tier};
use crate::size::Size;

/// A day of the table; called only inside `const { .. }` blocks, so a day
/// that does not exist fails the build rather than panicking at run time.
const fn day(year: u16, month: u8, day: u8) -> Date {
    match Date::new(year, month, day) {
        Some(date) => date,
        None => panic!("data/prices.json: a date is not a real day"),
    }
}

/// A currency name the build script has checked against [`Currency`]'s rule
/// (1 to 32 ASCII letters, digits, `-` or `_`).
fn currency(name: &str) -> Currency {
    Currency::from_checked(Arc::from(name))
}

include!(concat!(env!("OUT_DIR"), "/prices.rs"));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::price::table::BUILTIN_JSON;

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
