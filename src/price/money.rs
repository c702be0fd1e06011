//! Exact amounts of money, currencies, and `min..max` bounds.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::text::serde_via_str;

/// How many fractional digits an [`Amount`] keeps: 15, so amounts are whole
/// multiples of 10^-15 of the currency unit.
///
/// Fifteen digits make every token cost exact: a price per million tokens
/// with up to nine decimals (the price table checks this), times a whole
/// number of tokens, divided by one million, is always a whole number of
/// 10^-15 units.
pub const AMOUNT_DECIMALS: u32 = 15;

const SCALE: i128 = 1_000_000_000_000_000;

/// An exact amount of a currency (US dollars, or a provider's credits).
///
/// Stored as a whole number of 10^-15 units, so sums and products are exact:
/// there are no floats anywhere in a total. It prints as a plain decimal
/// without trailing zeros (`"0.00588"`, `"67"`, `"-0.5"`), parses the same
/// text back, and goes through JSON as that string. JSON integers are also
/// read (`67`), JSON floats are refused because they are not exact.
///
/// ```
/// use gpt_image_plan::price::Amount;
/// let price: Amount = "0.04".parse().unwrap();
/// let three = price.checked_mul(3).unwrap();
/// assert_eq!(three.to_string(), "0.12");
/// assert_eq!(Amount::per_million("30".parse().unwrap(), 196).unwrap().to_string(), "0.00588");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount(i128);

impl Amount {
    /// Nothing.
    pub const ZERO: Amount = Amount(0);

    /// The amount that is `units` times 10^-15 of the currency unit.
    ///
    /// ```
    /// use gpt_image_plan::price::Amount;
    /// assert_eq!(Amount::from_units(5_880_000_000_000).to_string(), "0.00588");
    /// ```
    pub const fn from_units(units: i128) -> Self {
        Amount(units)
    }

    /// The amount as a whole number of 10^-15 units.
    ///
    /// ```
    /// use gpt_image_plan::price::Amount;
    /// assert_eq!(Amount::whole(1).units(), 1_000_000_000_000_000);
    /// ```
    pub const fn units(self) -> i128 {
        self.0
    }

    /// A whole number of currency units (`Amount::whole(67)` is 67 credits).
    ///
    /// ```
    /// use gpt_image_plan::price::Amount;
    /// assert_eq!(Amount::whole(67).to_string(), "67");
    /// ```
    pub const fn whole(value: i64) -> Self {
        // |i64| * 10^15 < 2^63 * 2^50 < 2^127: cannot overflow.
        Amount(value as i128 * SCALE)
    }

    /// Whether the amount is below zero.
    ///
    /// ```
    /// use gpt_image_plan::price::Amount;
    /// assert!(Amount::whole(-1).is_negative());
    /// assert!(!Amount::ZERO.is_negative());
    /// ```
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The sum, or `None` on overflow.
    ///
    /// ```
    /// use gpt_image_plan::price::Amount;
    /// let a: Amount = "0.1".parse().unwrap();
    /// let b: Amount = "0.2".parse().unwrap();
    /// assert_eq!(a.checked_add(b).unwrap().to_string(), "0.3");
    /// ```
    pub const fn checked_add(self, other: Amount) -> Option<Amount> {
        match self.0.checked_add(other.0) {
            Some(v) => Some(Amount(v)),
            None => None,
        }
    }

    /// The difference, or `None` on overflow.
    ///
    /// ```
    /// use gpt_image_plan::price::Amount;
    /// let reserved = Amount::whole(24);
    /// assert_eq!(reserved.checked_sub(Amount::whole(15)).unwrap().to_string(), "9");
    /// ```
    pub const fn checked_sub(self, other: Amount) -> Option<Amount> {
        match self.0.checked_sub(other.0) {
            Some(v) => Some(Amount(v)),
            None => None,
        }
    }

    /// The amount times a count, or `None` on overflow.
    ///
    /// ```
    /// use gpt_image_plan::price::Amount;
    /// let each: Amount = "0.016".parse().unwrap();
    /// assert_eq!(each.checked_mul(10).unwrap().to_string(), "0.16");
    /// ```
    pub const fn checked_mul(self, count: u64) -> Option<Amount> {
        match self.0.checked_mul(count as i128) {
            Some(v) => Some(Amount(v)),
            None => None,
        }
    }

    /// The cost of `tokens` tokens at `price` per million tokens, or `None`
    /// on overflow.
    ///
    /// Exact when `price` has at most nine decimals (every price table entry
    /// is checked for this on load); otherwise the last digit is rounded up,
    /// so an estimate never comes out below the true figure.
    ///
    /// ```
    /// use gpt_image_plan::price::Amount;
    /// let per_million: Amount = "40".parse().unwrap();
    /// assert_eq!(Amount::per_million(per_million, 6240).unwrap().to_string(), "0.2496");
    /// ```
    pub const fn per_million(price: Amount, tokens: u64) -> Option<Amount> {
        let Some(product) = price.0.checked_mul(tokens as i128) else {
            return None;
        };
        // Division truncates towards zero, which is the ceiling for a
        // negative product; a positive one with a remainder goes up by one.
        let (quotient, rest) = (product / 1_000_000, product % 1_000_000);
        Some(Amount(if rest > 0 { quotient + 1 } else { quotient }))
    }

    /// How many decimal places the amount needs (0 for a whole number, 15 at most).
    ///
    /// ```
    /// use gpt_image_plan::price::Amount;
    /// assert_eq!("2.5".parse::<Amount>().unwrap().decimals(), 1);
    /// assert_eq!(Amount::whole(8).decimals(), 0);
    /// ```
    pub const fn decimals(self) -> u32 {
        let mut frac = (self.0 % SCALE).unsigned_abs();
        if frac == 0 {
            return 0;
        }
        let mut digits = AMOUNT_DECIMALS;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        digits
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let magnitude = self.0.unsigned_abs();
        let scale = SCALE.unsigned_abs();
        let (whole, frac) = (magnitude / scale, magnitude % scale);
        let text = if frac == 0 {
            format!("{sign}{whole}")
        } else {
            let decimals = format!("{frac:015}");
            format!("{sign}{whole}.{}", decimals.trim_end_matches('0'))
        };
        f.pad(&text)
    }
}

/// Why a text is not an amount.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "amount {text:?} is not a decimal number with at most {AMOUNT_DECIMALS} decimals, such as \"0.04\""
)]
pub struct ParseAmountError {
    text: String,
}

impl FromStr for Amount {
    type Err = ParseAmountError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseAmountError {
            text: crate::text::prefix(s, 64).to_owned(),
        };
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, frac) = match body.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (body, None),
        };
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || frac.is_some_and(|f| !digits(f) || f.len() > AMOUNT_DECIMALS as usize)
        {
            return Err(err());
        }
        let mut units: i128 = 0;
        for b in whole.bytes() {
            units = units
                .checked_mul(10)
                .and_then(|u| u.checked_add(i128::from(b - b'0')))
                .ok_or_else(err)?;
        }
        units = units.checked_mul(SCALE).ok_or_else(err)?;
        if let Some(frac) = frac {
            let mut place = SCALE;
            for b in frac.bytes() {
                place /= 10;
                units = units
                    .checked_add(i128::from(b - b'0') * place)
                    .ok_or_else(err)?;
            }
        }
        Ok(Amount(if negative { -units } else { units }))
    }
}

impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount as a decimal string such as \"0.04\", or a JSON integer")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
                i128::from(v)
                    .checked_mul(SCALE)
                    .map(Amount)
                    .ok_or_else(|| E::custom("amount is too large"))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
                Ok(Amount::whole(v))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Amount, E> {
                Err(E::custom(format!(
                    "amount {v} is a JSON float; write amounts as decimal strings such as \"0.04\" so they stay exact"
                )))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A unit of account: `USD`, or a provider's own credits (`pixapi-credits`).
///
/// One to 32 ASCII letters, digits, `-` or `_`. Amounts in different
/// currencies are never added together.
///
/// ```
/// use gpt_image_plan::price::Currency;
/// let usd: Currency = "USD".parse().unwrap();
/// assert_eq!(usd.as_str(), "USD");
/// assert!("US dollars".parse::<Currency>().is_err());
/// ```
///
/// Compared, ordered, hashed and shown by its name alone; the name is
/// shared, so every estimate carries its currency without allocating.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency(Arc<str>);

impl Currency {
    /// The currency's name.
    ///
    /// ```
    /// use gpt_image_plan::price::Currency;
    /// assert_eq!("pixapi-credits".parse::<Currency>().unwrap().as_str(), "pixapi-credits");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// Why a text is not a currency name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "currency {text:?} is not 1 to 32 ASCII letters, digits, '-' or '_', such as \"USD\" or \"pixapi-credits\""
)]
pub struct ParseCurrencyError {
    text: String,
}

impl FromStr for Currency {
    type Err = ParseCurrencyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = !s.is_empty()
            && s.len() <= 32
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Currency(Arc::from(s)))
        } else {
            Err(ParseCurrencyError {
                text: crate::text::prefix(s, 64).to_owned(),
            })
        }
    }
}
serde_via_str!(Currency);

/// The least and the most something can be; equal when it is known exactly.
///
/// ```
/// use gpt_image_plan::price::Bounds;
/// let b = Bounds::new(196_u64, 7024);
/// assert!(!b.is_exact());
/// assert!(Bounds::exact(5).is_exact());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Bounds<T> {
    /// The least.
    pub min: T,
    /// The most.
    pub max: T,
}

impl<T: Copy + PartialOrd> Bounds<T> {
    /// The bounds `min..=max`; the two are swapped if given the wrong way round.
    ///
    /// ```
    /// use gpt_image_plan::price::Bounds;
    /// assert_eq!(Bounds::new(9, 1), Bounds { min: 1, max: 9 });
    /// ```
    pub fn new(min: T, max: T) -> Self {
        if max < min {
            Bounds { min: max, max: min }
        } else {
            Bounds { min, max }
        }
    }

    /// A value known exactly: `min == max == value`.
    ///
    /// ```
    /// use gpt_image_plan::price::Bounds;
    /// assert_eq!(Bounds::exact(3), Bounds { min: 3, max: 3 });
    /// ```
    pub const fn exact(value: T) -> Self {
        Bounds {
            min: value,
            max: value,
        }
    }

    /// Whether `min == max`.
    ///
    /// ```
    /// use gpt_image_plan::price::Bounds;
    /// assert!(Bounds::new(2, 2).is_exact());
    /// assert!(!Bounds::new(1, 2).is_exact());
    /// ```
    pub fn is_exact(&self) -> bool {
        self.min == self.max
    }

    /// The smallest bounds holding both `self` and `value`.
    ///
    /// ```
    /// use gpt_image_plan::price::Bounds;
    /// assert_eq!(Bounds::exact(5).widen(2).widen(7), Bounds { min: 2, max: 7 });
    /// ```
    pub fn widen(self, value: T) -> Self {
        Bounds {
            min: if value < self.min { value } else { self.min },
            max: if value > self.max { value } else { self.max },
        }
    }
}

impl Bounds<Amount> {
    /// The sum of two bounds, or `None` on overflow.
    ///
    /// ```
    /// use gpt_image_plan::price::{Amount, Bounds};
    /// let images = Bounds::new(Amount::whole(1), Amount::whole(3));
    /// let prompt = Bounds::exact(Amount::whole(1));
    /// assert_eq!(images.checked_add(prompt).unwrap(), Bounds::new(Amount::whole(2), Amount::whole(4)));
    /// ```
    pub const fn checked_add(self, other: Bounds<Amount>) -> Option<Self> {
        match (
            self.min.checked_add(other.min),
            self.max.checked_add(other.max),
        ) {
            (Some(min), Some(max)) => Some(Bounds { min, max }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn amount(text: &str) -> Amount {
        text.parse().unwrap()
    }

    #[test]
    fn amounts_print_without_trailing_zeros() {
        assert_eq!(amount("0.00588").to_string(), "0.00588");
        assert_eq!(amount("67").to_string(), "67");
        assert_eq!(amount("67.000").to_string(), "67");
        assert_eq!(amount("-0.5").to_string(), "-0.5");
        assert_eq!(amount("-0").to_string(), "0");
        assert_eq!(amount("0.000000000000001").to_string(), "0.000000000000001");
        assert_eq!(Amount::whole(-3).to_string(), "-3");
    }

    #[test]
    fn malformed_amounts_are_refused_with_the_text_quoted() {
        for text in [
            "",
            "-",
            ".5",
            "5.",
            "1e3",
            "+1",
            "0.0000000000000001",
            "1,5",
            " 1",
        ] {
            assert!(text.parse::<Amount>().is_err(), "{text:?} parsed");
        }
        assert_eq!(
            "1e3".parse::<Amount>().unwrap_err().to_string(),
            r#"amount "1e3" is not a decimal number with at most 15 decimals, such as "0.04""#
        );
    }

    #[test]
    fn huge_amounts_are_refused_not_wrapped() {
        assert!("999999999999999999999999999999".parse::<Amount>().is_err());
    }

    #[test]
    fn per_million_is_exact_for_published_prices() {
        assert_eq!(
            Amount::per_million(amount("30"), 1756).unwrap(),
            amount("0.05268")
        );
        assert_eq!(
            Amount::per_million(amount("2.5"), 3).unwrap(),
            amount("0.0000075")
        );
    }

    #[test]
    fn per_million_rounds_up_below_the_last_digit() {
        let tiny = Amount::from_units(1);
        assert_eq!(Amount::per_million(tiny, 1).unwrap(), Amount::from_units(1));
        assert_eq!(Amount::per_million(tiny, 0).unwrap(), Amount::ZERO);
    }

    #[test]
    fn per_million_of_a_negative_price_rounds_towards_zero() {
        let refund = Amount::from_units(-1_500_001);
        assert_eq!(
            Amount::per_million(refund, 1).unwrap(),
            Amount::from_units(-1)
        );
    }

    #[test]
    fn per_million_and_checked_mul_report_overflow() {
        let huge = Amount::from_units(i128::MAX / 2);
        assert_eq!(Amount::per_million(huge, 3), None);
        assert_eq!(huge.checked_mul(3), None);
        assert_eq!(huge.checked_mul(2), Some(Amount::from_units(i128::MAX - 1)));
    }

    #[test]
    fn display_handles_the_extremes() {
        assert_eq!(
            Amount::from_units(i128::MIN).to_string(),
            "-170141183460469231731687.303715884105728"
        );
        assert_eq!(
            Amount::from_units(i128::MAX).to_string(),
            "170141183460469231731687.303715884105727"
        );
        assert_eq!(Amount::from_units(-1).to_string(), "-0.000000000000001");
        assert_eq!(Amount::from_units(10).to_string(), "0.00000000000001");
        assert_eq!(Amount::from_units(SCALE * 100).to_string(), "100");
    }

    #[test]
    fn display_pads_to_the_width_asked() {
        let price = amount("0.04");
        assert_eq!(format!("{price:>10}"), "      0.04");
        assert_eq!(format!("{price:<8}|"), "0.04    |");
        assert_eq!(format!("{:*^9}", Amount::whole(-3)), "***-3****");
        let usd: Currency = "USD".parse().unwrap();
        assert_eq!(format!("{usd:>5}"), "  USD");
    }

    #[test]
    fn decimals_counts_the_digits_after_the_point() {
        assert_eq!(amount("0.000000000000001").decimals(), 15);
        assert_eq!(amount("-0.25").decimals(), 2);
        assert_eq!(amount("12.5000").decimals(), 1);
        assert_eq!(Amount::from_units(i128::MIN).decimals(), 15);
    }

    #[test]
    fn json_reads_strings_and_integers_but_not_floats() {
        let a: Amount = serde_json::from_str(r#""0.12""#).unwrap();
        assert_eq!(a, amount("0.12"));
        let b: Amount = serde_json::from_str("67").unwrap();
        assert_eq!(b, Amount::whole(67));
        let err = serde_json::from_str::<Amount>("0.12")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("amount 0.12 is a JSON float"), "{err}");
        assert_eq!(serde_json::to_string(&b).unwrap(), r#""67""#);
    }

    #[test]
    fn bounds_are_ordered_and_widen() {
        let b = Bounds::new(5, 1);
        assert_eq!((b.min, b.max), (1, 5));
        let w = b.widen(9).widen(0);
        assert_eq!((w.min, w.max), (0, 9));
    }

    #[test]
    fn currencies_compare_and_show_by_name() {
        let usd: Currency = "USD".parse().unwrap();
        let credits: Currency = "pixapi-credits".parse().unwrap();
        assert!(usd < credits);
        assert_ne!(usd, credits);
        assert_eq!(format!("{usd:?}"), r#"Currency("USD")"#);
        assert_eq!(usd.to_string(), "USD");
    }

    #[test]
    fn currencies_are_short_plain_names() {
        assert!("pixapi-credits".parse::<Currency>().is_ok());
        assert!("".parse::<Currency>().is_err());
        assert!("a".repeat(33).parse::<Currency>().is_err());
    }
}
