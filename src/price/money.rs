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
        match mul_u64(self.0, count) {
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
        // Fast path: 64-bit division when everything fits (every real price
        // and token count does); 128-bit division is a slow library call.
        if price.0 >= 0 && price.0 <= u64::MAX as i128 {
            let price = price.0 as u64;
            // A price with at most nine decimals is a whole number of units
            // per token: no division after the product at all.
            if price % 1_000_000 == 0 {
                if let Some(cost) = (price / 1_000_000).checked_mul(tokens) {
                    return Some(Amount(cost as i128));
                }
            }
            if let Some(product) = price.checked_mul(tokens) {
                return Some(Amount(product.div_ceil(1_000_000) as i128));
            }
        }
        let Some(product) = mul_u64(price.0, tokens) else {
            return None;
        };
        // |product| / 10^6 rounded up for a positive product and towards
        // zero for a negative one: the ceiling either way.
        let (quotient, rest) = div_small(product.unsigned_abs(), 1_000_000);
        // Below 2^128 / 10^6, so it fits an i128.
        let quotient = quotient as i128;
        Some(Amount(if product < 0 {
            -quotient
        } else if rest > 0 {
            quotient + 1
        } else {
            quotient
        }))
    }

    /// How many decimal places the amount needs (0 for a whole number, 15 at most).
    ///
    /// ```
    /// use gpt_image_plan::price::Amount;
    /// assert_eq!("2.5".parse::<Amount>().unwrap().decimals(), 1);
    /// assert_eq!(Amount::whole(8).decimals(), 0);
    /// ```
    pub const fn decimals(self) -> u32 {
        // Below 10^15, so it fits a u64 (64-bit arithmetic is native on
        // every target; 128-bit division is a library call).
        let mut frac = (self.0 % SCALE).unsigned_abs() as u64;
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

/// `n / d` and `n % d` for a divisor below 2^32, by long division on 32-bit
/// limbs in 64-bit arithmetic: the 128-bit division routine is a large piece
/// of code, and this is all the money code needs (a test holds it to `/` and
/// `%`).
const fn div_small(n: u128, d: u32) -> (u128, u32) {
    let d = d as u64;
    let (mut quotient, mut rest) = (0u128, 0u64);
    let mut shift = 128;
    while shift > 0 {
        shift -= 32;
        // rest < d < 2^32, so this stays below 2^64.
        let current = rest << 32 | (n >> shift) as u32 as u64;
        quotient |= ((current / d) as u128) << shift;
        rest = current % d;
    }
    (quotient, rest as u32)
}

/// `a * b`, or `None` when it does not fit an `i128`: `i128::checked_mul`
/// for a factor that fits a `u64`, done as two 64-by-64-bit products, which
/// takes less code on 32-bit targets than the general 128-bit overflow check
/// (a test holds it to `checked_mul`).
const fn mul_u64(a: i128, b: u64) -> Option<i128> {
    let m = a.unsigned_abs();
    // m * b = hi * 2^64 + lo, each product below 2^128.
    let lo = (m as u64 as u128) * (b as u128);
    let hi = (m >> 64) * (b as u128);
    if hi >> 64 != 0 {
        return None;
    }
    let Some(product) = lo.checked_add(hi << 64) else {
        return None;
    };
    if a < 0 {
        // Down to -2^127, whose magnitude is one more than i128::MAX.
        if product > 1 << 127 {
            None
        } else {
            Some((product as i128).wrapping_neg())
        }
    } else if product > i128::MAX as u128 {
        None
    } else {
        Some(product as i128)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The digits are written from the right into a buffer and go out in
        // one piece: no integer formatting (128-bit formatting would be a
        // large piece of code of its own). The longest text is i128::MIN's:
        // "-", 24 whole digits, "." and 15 decimals.
        let mut buf = [0u8; 41];
        let (mut at, mut end) = (buf.len(), buf.len());
        // magnitude = (whole * 10^7 + high) * 10^8 + low, so the fraction
        // (below 10^15) is high * 10^8 + low.
        let (rest, low) = div_small(self.0.unsigned_abs(), 100_000_000);
        let (mut whole, high) = div_small(rest, 10_000_000);
        let mut frac = high as u64 * 100_000_000 + low as u64;
        if frac != 0 {
            // All 15 decimals, then the trailing zeros dropped (the last
            // decimal written is not zero, as the fraction is not).
            for _ in 0..AMOUNT_DECIMALS {
                at -= 1;
                buf[at] = b'0' + (frac % 10) as u8;
                frac /= 10;
            }
            at -= 1;
            buf[at] = b'.';
            while buf[end - 1] == b'0' {
                end -= 1;
            }
        }
        loop {
            let (rest, digit) = div_small(whole, 10);
            at -= 1;
            buf[at] = b'0' + digit as u8;
            whole = rest;
            if whole == 0 {
                break;
            }
        }
        if self.0 < 0 {
            at -= 1;
            buf[at] = b'-';
        }
        // Only ASCII digits, '.' and '-' were written.
        f.write_str(std::str::from_utf8(&buf[at..end]).unwrap_or_default())
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
            text: s.chars().take(64).collect(),
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
/// Compared, ordered, hashed and shown by its name alone.
#[derive(Clone)]
pub struct Currency(Name);

/// A currency's name: the built-in table's are `'static` (no allocation to
/// build the table), a name read at run time is shared.
#[derive(Clone)]
enum Name {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Currency {
    /// The currency's name.
    ///
    /// ```
    /// use gpt_image_plan::price::Currency;
    /// assert_eq!("pixapi-credits".parse::<Currency>().unwrap().as_str(), "pixapi-credits");
    /// ```
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Name::Static(name) => name,
            Name::Shared(name) => name,
        }
    }

    /// A name already known to follow the rule above (the built-in table's,
    /// checked by the build script and by its tests against `FromStr`).
    pub(super) const fn from_checked(name: &'static str) -> Currency {
        Currency(Name::Static(name))
    }
}

impl PartialEq for Currency {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Currency {}

impl PartialOrd for Currency {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Currency {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Currency {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Currency").field(&self.as_str()).finish()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
            // Shared, so that every estimate can carry its currency without
            // allocating.
            Ok(Currency(Name::Shared(Arc::from(s))))
        } else {
            Err(ParseCurrencyError {
                text: s.chars().take(64).collect(),
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

    /// `per_million` done only in 128 bits, rounding up by definition.
    fn per_million_reference(price: i128, tokens: u64) -> i128 {
        let product = price * i128::from(tokens);
        let mut q = product.div_euclid(1_000_000);
        if q * 1_000_000 < product {
            q += 1;
        }
        q
    }

    proptest::proptest! {
        #[test]
        fn per_million_agrees_with_its_reference(price in -(1i128 << 80)..(1i128 << 80), tokens in proptest::prelude::any::<u64>()) {
            if let Some(a) = Amount::per_million(Amount::from_units(price), tokens) {
                proptest::prop_assert_eq!(a.units(), per_million_reference(price, tokens));
            }
        }

        #[test]
        fn per_million_agrees_on_prices_with_nine_decimals(nanos in 0i128..(1i128 << 50), tokens in 0u64..(1 << 40)) {
            let price = nanos * 1_000_000;
            let a = Amount::per_million(Amount::from_units(price), tokens).unwrap();
            proptest::prop_assert_eq!(a.units(), per_million_reference(price, tokens));
        }

        #[test]
        fn per_million_agrees_on_realistic_prices(price in 0i128..(1i128 << 60), tokens in 0u64..(1 << 24)) {
            let a = Amount::per_million(Amount::from_units(price), tokens).unwrap();
            proptest::prop_assert_eq!(a.units(), per_million_reference(price, tokens));
        }
    }

    proptest::proptest! {
        #[test]
        fn mul_u64_agrees_with_checked_mul(a in proptest::prelude::any::<i128>(), b in proptest::prelude::any::<u64>()) {
            proptest::prop_assert_eq!(mul_u64(a, b), a.checked_mul(i128::from(b)));
        }

        #[test]
        fn mul_u64_agrees_with_checked_mul_at_every_magnitude(a in proptest::prelude::any::<i128>(), shift in 0u32..127, b in proptest::prelude::any::<u64>(), b_shift in 0u32..64) {
            let (a, b) = (a >> shift, b >> b_shift);
            proptest::prop_assert_eq!(mul_u64(a, b), a.checked_mul(i128::from(b)));
        }
    }

    /// [`Amount`]'s `Display` in 128 bits throughout, as first written.
    fn display_reference(units: i128) -> String {
        let magnitude = units.unsigned_abs();
        let scale = SCALE.unsigned_abs();
        let (whole, mut frac) = (magnitude / scale, magnitude % scale);
        let sign = if units < 0 { "-" } else { "" };
        if frac == 0 {
            return format!("{sign}{whole}");
        }
        let digits = decimals_reference(units) as usize;
        for _ in digits..AMOUNT_DECIMALS as usize {
            frac /= 10;
        }
        format!("{sign}{whole}.{frac:0digits$}")
    }

    proptest::proptest! {
        #[test]
        fn display_agrees_with_its_reference(units in proptest::prelude::any::<i128>(), shift in 0u32..127) {
            let units = units >> shift;
            proptest::prop_assert_eq!(Amount::from_units(units).to_string(), display_reference(units));
        }

        #[test]
        fn display_agrees_with_its_reference_on_trailing_zeros(m in proptest::prelude::any::<i64>(), k in 0u32..20) {
            let units = i128::from(m) * 10i128.pow(k);
            proptest::prop_assert_eq!(Amount::from_units(units).to_string(), display_reference(units));
        }
    }

    #[test]
    fn display_handles_the_extremes() {
        for units in [i128::MIN, i128::MAX, i128::MIN + 1, -1, 0, 1, SCALE, -SCALE] {
            assert_eq!(
                Amount::from_units(units).to_string(),
                display_reference(units)
            );
        }
        assert_eq!(
            Amount::from_units(i128::MIN).to_string(),
            "-170141183460469231731687.303715884105728"
        );
    }

    /// [`Amount::decimals`] in 128 bits throughout, as first written.
    fn decimals_reference(units: i128) -> u32 {
        let mut frac = (units % SCALE).unsigned_abs();
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

    proptest::proptest! {
        #[test]
        fn decimals_agrees_with_its_reference(units in proptest::prelude::any::<i128>(), shift in 0u32..127) {
            let units = units >> shift;
            proptest::prop_assert_eq!(Amount::from_units(units).decimals(), decimals_reference(units));
        }

        #[test]
        fn decimals_agrees_with_its_reference_on_trailing_zeros(m in proptest::prelude::any::<i64>(), k in 0u32..20) {
            let units = i128::from(m) * 10i128.pow(k);
            proptest::prop_assert_eq!(Amount::from_units(units).decimals(), decimals_reference(units));
        }
    }

    proptest::proptest! {
        #[test]
        fn div_small_agrees_with_division(n in proptest::prelude::any::<u128>(), shift in 0u32..128, d in 1u32..) {
            let n = n >> shift;
            proptest::prop_assert_eq!(div_small(n, d), (n / u128::from(d), (n % u128::from(d)) as u32));
        }
    }

    #[test]
    fn div_small_handles_the_extremes() {
        for n in [
            0,
            1,
            u128::MAX,
            u128::MAX - 1,
            1 << 127,
            (1 << 64) - 1,
            1 << 64,
        ] {
            for d in [1, 2, 10, 1_000_000, 100_000_000, u32::MAX] {
                assert_eq!(
                    div_small(n, d),
                    (n / u128::from(d), (n % u128::from(d)) as u32)
                );
            }
        }
    }

    #[test]
    fn mul_u64_handles_the_extremes() {
        for (a, b) in [
            (i128::MIN, 1),
            (i128::MIN, 0),
            (i128::MIN, 2),
            (i128::MAX, 1),
            (i128::MAX, 2),
            (-(1i128 << 126), 2),
            (1i128 << 126, 2),
            (-1, u64::MAX),
            (i128::MAX / i128::from(u64::MAX), u64::MAX),
            (i128::MIN / i128::from(u64::MAX), u64::MAX),
            (i128::MIN / i128::from(u64::MAX) - 1, u64::MAX),
        ] {
            assert_eq!(mul_u64(a, b), a.checked_mul(i128::from(b)), "{a} * {b}");
        }
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
    fn a_built_in_currency_is_the_same_as_one_parsed() {
        use std::hash::{BuildHasher, RandomState};
        let built_in = Currency::from_checked("USD");
        let parsed: Currency = "USD".parse().unwrap();
        assert_eq!(built_in, parsed);
        assert_eq!(built_in.cmp(&parsed), std::cmp::Ordering::Equal);
        let hasher = RandomState::new();
        assert_eq!(hasher.hash_one(&built_in), hasher.hash_one(&parsed));
        // As the derived impls on the name showed it before.
        assert_eq!(format!("{built_in:?}"), r#"Currency("USD")"#);
        assert_eq!(format!("{parsed:?}"), r#"Currency("USD")"#);
        assert_eq!(hasher.hash_one(&parsed), hasher.hash_one("USD"));
        let credits: Currency = "pixapi-credits".parse().unwrap();
        assert!(parsed < credits && built_in < credits);
        assert_ne!(built_in, credits);
    }

    #[test]
    fn currencies_are_short_plain_names() {
        assert!("pixapi-credits".parse::<Currency>().is_ok());
        assert!("".parse::<Currency>().is_err());
        assert!("a".repeat(33).parse::<Currency>().is_err());
    }
}
