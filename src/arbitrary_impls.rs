//! `arbitrary::Arbitrary` for the crate's value types (feature `arbitrary`),
//! for cargo-fuzz, libFuzzer and AFL harnesses.
//!
//! The generators are biased towards the interesting: besides any `u32` pair,
//! sizes come on the multiple-of-16 grid and from every size the built-in data
//! names; model names come from the catalog and the built-in profiles;
//! parameter names and values come from the data, with undeclared names and
//! values of every type mixed in; prompts can be generated at and around
//! every length limit.

use arbitrary::{Arbitrary, Result, Unstructured};

use crate::diag::{Code, Field, Kind, Severity};
use crate::model::{Date, Family, ModelId, ModelState};
use crate::params::{
    Background, Moderation, OutputFormat, ParamValue, Params, Quality, ResponseFormat, Style, Tier,
};
use crate::profile::{ModelIn, NType, ResponseShape, UnknownFields};
use crate::request::ImageRequest;
use crate::rules::{Effect, ParamType, Support};
use crate::samples;
use crate::size::{AspectRatio, Orientation, RuleBreak, Size, SizeRule, SizeSpec};

/// `Arbitrary` for a fieldless enum: any of its variants.
macro_rules! arbitrary_variant {
    ($($ty:ty),+ $(,)?) => {$(
        impl<'a> Arbitrary<'a> for $ty {
            fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
                u.choose(<$ty as strum::VariantArray>::VARIANTS).copied()
            }

            fn size_hint(_depth: usize) -> (usize, Option<usize>) {
                (1, Some(4))
            }
        }
    )+};
}

crate::text::with_wire_enums!(arbitrary_variant);

/// A name from `[a-z][a-z0-9_]*`, 1 to 16 bytes, made from the input.
fn any_name(u: &mut Unstructured<'_>) -> Result<String> {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789_";
    let len = u.int_in_range(0..=15usize)?;
    let mut name = String::with_capacity(len + 1);
    name.push(char::from(*u.choose(FIRST)?));
    for _ in 0..len {
        name.push(char::from(*u.choose(REST)?));
    }
    Ok(name)
}

impl<'a> Arbitrary<'a> for Field {
    /// `request`, a core field, a parameter the built-in data declares, or
    /// any other name a parameter could have.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=7u8)? {
            0 => Field::REQUEST,
            1 => u.choose(&Field::CORE)?.clone(),
            2 => Field::param(any_name(u)?),
            _ => Field::param(u.choose(samples::param_names())?.as_str()),
        })
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, Some(18))
    }
}

impl<'a> Arbitrary<'a> for ModelId {
    /// Usually an id the built-in data names, sometimes any valid id.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        if u.ratio(7, 8)? {
            let name = u.choose(samples::model_names())?;
            if let Ok(id) = name.parse() {
                return Ok(id);
            }
        }
        const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_";
        let len = u.int_in_range(1..=40usize)?;
        let mut id = String::with_capacity(len);
        for _ in 0..len {
            id.push(char::from(*u.choose(CHARS)?));
        }
        id.parse().map_err(|_| arbitrary::Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for ParamValue {
    /// Any boolean, a number that is usually small, or any text.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=2u8)? {
            0 => ParamValue::Bool(u.arbitrary()?),
            1 => ParamValue::Int(count(u, 110)?),
            _ => ParamValue::Text(u.arbitrary()?),
        })
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, None)
    }
}

/// A parameter name: usually one the built-in data declares, sometimes an
/// undeclared near miss or any other name (never `model`, `prompt`, `n` or
/// `size`, which are the request's own fields).
fn param_name(u: &mut Unstructured<'_>) -> Result<String> {
    let name = match u.int_in_range(0..=9u8)? {
        0 => (*u.choose(&samples::UNDECLARED_NAMES)?).to_owned(),
        1 => any_name(u)?,
        _ => u.choose(samples::param_names())?.clone(),
    };
    if Field::is_core_name(&name) {
        return Err(arbitrary::Error::IncorrectFormat);
    }
    Ok(name)
}

/// A value for parameter `name`: usually one the built-in data names for it
/// (when it names any), sometimes any value of any type.
fn param_value(u: &mut Unstructured<'_>, name: &str) -> Result<ParamValue> {
    let known = samples::param_values(name);
    if !known.is_empty() && u.ratio(5, 6)? {
        return u.choose(known).cloned();
    }
    ParamValue::arbitrary(u)
}

impl<'a> Arbitrary<'a> for Params {
    /// Zero to six parameters from [`param_name`], each with a value from
    /// [`param_value`].
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut params = Params::default();
        for _ in 0..u.int_in_range(0..=6u8)? {
            let name = param_name(u)?;
            let value = param_value(u, &name)?;
            params.set(name, value);
        }
        Ok(params)
    }
}

impl<'a> Arbitrary<'a> for Code {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Code::new(u.arbitrary()?, u.arbitrary()?))
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (2, Some(8))
    }
}

/// An edge on the multiple-of-16 grid up to 8192, or 1 to 15 off it.
fn grid_edge(u: &mut Unstructured<'_>) -> Result<u32> {
    let base = 16 * u.int_in_range(0..=512u32)?;
    let offset = match u.int_in_range(0..=3u8)? {
        0 => 0,
        1 => 1,
        2 => 15,
        _ => u.int_in_range(0..=15)?,
    };
    Ok(base + offset)
}

impl<'a> Arbitrary<'a> for Size {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=4u8)? {
            0 => Size::new(u.arbitrary()?, u.arbitrary()?),
            1 => Size::new(u.int_in_range(0..=8192)?, u.int_in_range(0..=8192)?),
            2 => Size::new(16 * u.int_in_range(0..=256)?, 16 * u.int_in_range(0..=256)?),
            3 => Size::new(grid_edge(u)?, grid_edge(u)?),
            _ => *u.choose(samples::known_sizes())?,
        })
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, Some(9))
    }
}

impl<'a> Arbitrary<'a> for SizeSpec {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.ratio(1, 8)? {
            SizeSpec::Auto
        } else {
            SizeSpec::Size(u.arbitrary()?)
        })
    }

    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        let (lo, hi) = Size::size_hint(depth);
        (lo + 1, hi.map(|h| h + 1))
    }
}

impl<'a> Arbitrary<'a> for AspectRatio {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let (w, h): (u32, u32) = if u.ratio(3, 4)? {
            (u.int_in_range(1..=64)?, u.int_in_range(1..=64)?)
        } else {
            (u.int_in_range(1..=u32::MAX)?, u.int_in_range(1..=u32::MAX)?)
        };
        AspectRatio::new(w, h).ok_or(arbitrary::Error::IncorrectFormat)
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (2, Some(9))
    }
}

impl<'a> Arbitrary<'a> for Date {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let year = u.int_in_range(0..=9999u16)?;
        let month = u.int_in_range(1..=12u8)?;
        let day = u.int_in_range(1..=31u8)?;
        // Every month has a 28th, so the fallback always exists.
        Date::new(year, month, day)
            .or_else(|| Date::new(year, month, 28))
            .ok_or(arbitrary::Error::IncorrectFormat)
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (4, Some(4))
    }
}

impl<'a> Arbitrary<'a> for SizeRule {
    /// Mostly small rules (at most 512 steps per edge, so enumerating their
    /// sizes stays cheap); one in eight is any `u32`/`u64` combination.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        if u.ratio(1, 8)? {
            return Ok(SizeRule {
                multiple: u.arbitrary()?,
                max_edge: u.arbitrary()?,
                max_ratio: u.arbitrary()?,
                min_pixels: u.arbitrary()?,
                max_pixels: u.arbitrary()?,
            });
        }
        let multiple = u.int_in_range(1..=64u32)?;
        let max_edge = multiple * u.int_in_range(1..=512u32)?;
        let edge = u64::from(max_edge);
        let (a, b) = (
            u.int_in_range(0..=edge * edge)?,
            u.int_in_range(0..=edge * edge)?,
        );
        Ok(SizeRule {
            multiple,
            max_edge,
            max_ratio: AspectRatio::new(u.int_in_range(1..=8)?, 1)
                .ok_or(arbitrary::Error::IncorrectFormat)?,
            min_pixels: a.min(b),
            max_pixels: a.max(b),
        })
    }
}

/// A prompt: short arbitrary text, or one character repeated to a length at
/// or around a limit.
fn prompt(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1, 4)? {
        let length = *u.choose(samples::edge_lengths())?;
        let fill = *u.choose(&samples::FILL_CHARS)?;
        Ok(std::iter::repeat_n(fill, length).collect())
    } else {
        u.arbitrary()
    }
}

/// A model name: usually one the built-in data knows, sometimes any text.
fn model_name(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(7, 8)? {
        u.choose(samples::model_names()).cloned()
    } else {
        u.arbitrary()
    }
}

/// A number that is usually small (`0..=small`), sometimes any `u32`.
fn count(u: &mut Unstructured<'_>, small: u32) -> Result<u32> {
    if u.ratio(7, 8)? {
        u.int_in_range(0..=small)
    } else {
        u.arbitrary()
    }
}

/// `Some(f(u))` about two times in three.
fn maybe<'a, T>(
    u: &mut Unstructured<'a>,
    f: impl FnOnce(&mut Unstructured<'a>) -> Result<T>,
) -> Result<Option<T>> {
    Ok(if u.ratio(2, 3)? { Some(f(u)?) } else { None })
}

impl<'a> Arbitrary<'a> for ImageRequest {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(ImageRequest {
            model: maybe(u, model_name)?,
            prompt: maybe(u, prompt)?,
            n: maybe(u, |u| count(u, 12))?,
            size: maybe(u, SizeSpec::arbitrary)?,
            params: Params::arbitrary(u)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count` buffers of pseudo-random bytes (xorshift), the same on every run.
    fn buffers(count: usize, len: usize) -> Vec<Vec<u8>> {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        (0..count)
            .map(|_| {
                (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        (state >> 24) as u8
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_known_size_comes_out_of_random_bytes() {
        let mut seen = std::collections::BTreeSet::new();
        for bytes in buffers(5000, 16) {
            if let Ok(size) = Size::arbitrary(&mut Unstructured::new(&bytes)) {
                seen.insert(size);
            }
        }
        let missing: Vec<_> = samples::known_sizes()
            .iter()
            .filter(|s| !seen.contains(s))
            .collect();
        assert!(missing.is_empty(), "never generated: {missing:?}");
    }

    /// A field's name and whether a request sets it.
    type FieldCheck = (&'static str, fn(&ImageRequest) -> bool);

    #[test]
    fn every_request_field_is_sometimes_set_and_sometimes_absent() {
        let requests: Vec<ImageRequest> = buffers(500, 256)
            .iter()
            .filter_map(|b| ImageRequest::arbitrary(&mut Unstructured::new(b)).ok())
            .collect();
        assert!(requests.len() > 400, "{}", requests.len());
        let core: [FieldCheck; 4] = [
            ("model", |r| r.model.is_some()),
            ("prompt", |r| r.prompt.is_some()),
            ("n", |r| r.n.is_some()),
            ("size", |r| r.size.is_some()),
        ];
        for (name, set) in core {
            assert!(requests.iter().any(set), "{name} never set");
            assert!(!requests.iter().all(set), "{name} never absent");
        }
        assert!(requests.iter().any(|r| r.params.is_empty()));
    }

    #[test]
    fn every_declared_parameter_and_some_undeclared_names_come_out() {
        let mut seen = std::collections::BTreeSet::new();
        for bytes in buffers(3000, 256) {
            if let Ok(req) = ImageRequest::arbitrary(&mut Unstructured::new(&bytes)) {
                seen.extend(req.params.iter().map(|(k, _)| k.to_owned()));
            }
        }
        let missing: Vec<&String> = samples::param_names()
            .iter()
            .filter(|n| !seen.contains(*n))
            .collect();
        assert!(missing.is_empty(), "never generated: {missing:?}");
        assert!(seen.contains("sizes"), "no undeclared name: {seen:?}");
    }

    #[test]
    fn every_value_the_data_names_comes_out_for_its_parameter() {
        let mut seen = std::collections::BTreeSet::new();
        for bytes in buffers(3000, 64) {
            let mut u = Unstructured::new(&bytes);
            if let Ok(v) = param_value(&mut u, "quality") {
                seen.insert(v);
            }
        }
        for v in samples::param_values("quality") {
            assert!(seen.contains(v), "quality {v} never generated");
        }
        assert!(seen.contains(&ParamValue::from("xhigh")));
    }

    #[test]
    fn prompts_at_the_32000_limit_come_out() {
        let lengths: std::collections::BTreeSet<usize> = buffers(3000, 64)
            .iter()
            .filter_map(|b| prompt(&mut Unstructured::new(b)).ok())
            .map(|p| p.chars().count())
            .collect();
        for n in [31_999, 32_000, 32_001] {
            assert!(lengths.contains(&n), "no prompt of {n} characters");
        }
    }
}
