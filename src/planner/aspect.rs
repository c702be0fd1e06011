//! Sizes for an aspect ratio and a scale, ranked with everything a caller shows.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::presets::{NamedRatio, named_ratio};
use super::{LogPoint, anchor, nearest_k};
use crate::params::Tier;
use crate::rules::ModelRules;
use crate::size::{AspectRatio, Orientation, Size};
use crate::text::serde_via_str;

/// How many candidates callers ask for when they have no preference.
pub const DEFAULT_K: usize = 3;

/// How big the wanted picture is, written as text:
///
/// | text              | target                                  |
/// |-------------------|-----------------------------------------|
/// | `1K`, `2K`, `4K`  | [`Target::Tier`]: a long edge of 1024, 2048 or 3840 px ([`Tier::long_edge`]) |
/// | `long:2048`       | [`Target::LongEdge`]: the long edge in pixels |
/// | `pixels:4194304`  | [`Target::Pixels`]: the pixel count     |
///
/// Numbers are plain decimals without signs or leading zeros. `long:0` and
/// `pixels:0` parse (so they can be named in an error) but plan to
/// [`PlanError::ZeroTarget`].
///
/// ```
/// use gpt_image_plan::{Tier, planner::Target};
/// assert_eq!("2K".parse::<Target>().unwrap(), Target::Tier(Tier::K2));
/// assert_eq!("long:1536".parse::<Target>().unwrap(), Target::LongEdge(1536));
/// assert_eq!(Target::Pixels(4_194_304).to_string(), "pixels:4194304");
/// assert!("2k".parse::<Target>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A reseller tier, meaning its long edge.
    Tier(Tier),
    /// The long edge in pixels.
    LongEdge(u32),
    /// The number of pixels.
    Pixels(u64),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Tier(tier) => tier.fmt(f),
            Target::LongEdge(px) => write!(f, "long:{px}"),
            Target::Pixels(px) => write!(f, "pixels:{px}"),
        }
    }
}

/// Why a text is not a [`Target`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "target {text:?} is not a tier (\"1K\", \"2K\", \"4K\"), \"long:PIXELS\" or \"pixels:COUNT\""
)]
pub struct ParseTargetError {
    text: String,
}

fn plain_number<T: FromStr>(s: &str) -> Option<T> {
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = s.len() > 1 && s.starts_with('0');
    if digits && !leading_zero {
        s.parse().ok()
    } else {
        None
    }
}

impl FromStr for Target {
    type Err = ParseTargetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let target = if let Some(px) = s.strip_prefix("long:") {
            plain_number(px).map(Target::LongEdge)
        } else if let Some(px) = s.strip_prefix("pixels:") {
            plain_number(px).map(Target::Pixels)
        } else {
            s.parse().ok().map(Target::Tier)
        };
        target.ok_or_else(|| ParseTargetError {
            text: crate::text::prefix(s, 64).to_owned(),
        })
    }
}
serde_via_str!(Target);

/// Why no candidates could be planned.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The target's long edge or pixel count is 0.
    #[error("target \"{target}\": the {} must be at least 1", what_is_zero(.target))]
    ZeroTarget {
        /// The target as given.
        target: Target,
    },
    /// A point that is not [plannable](LogPoint::is_plannable).
    #[error(
        "point ({}, {}): log-space coordinates must be finite and at most {} in magnitude",
        coordinate_text(*.x),
        coordinate_text(*.y),
        coordinate_text(LogPoint::LIMIT)
    )]
    BadPoint {
        /// `ln W` as given.
        x: f64,
        /// `ln H` as given.
        y: f64,
    },
    /// The size policy allows no explicit size (only `auto`, or nothing).
    #[error("no explicit size is valid for this model")]
    NoSizes,
}

/// A coordinate for a message, without `f64`'s `Display` (whose shortest
/// round-trip algorithm and tables are about 20 KB of the WebAssembly
/// module, for a message about hostile input): `NaN`, `inf`, `-inf`, else the
/// value rounded to 6 decimals with trailing zeros dropped (`1`, `-0.5`,
/// `7.625`), and `1e18+` or `-1e18+` beyond 10^18 in magnitude.
fn coordinate_text(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_owned();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    if v.is_infinite() {
        return format!("{sign}inf");
    }
    if v.abs() >= 1e18 {
        return format!("{sign}1e18+");
    }
    // |v| < 10^18 < 2^64: the whole part fits a u64, and the fraction is
    // exact in f64 (no 128-bit integers, whose formatting and division
    // would be linked into the WebAssembly module for this message alone).
    let magnitude = v.abs();
    let mut whole = magnitude.trunc() as u64;
    let mut micros = ((magnitude - magnitude.trunc()) * 1e6).round() as u64;
    if micros >= 1_000_000 {
        whole += 1;
        micros = 0;
    }
    let sign = if whole == 0 && micros == 0 { "" } else { sign };
    if micros == 0 {
        return format!("{sign}{whole}");
    }
    let frac = format!("{micros:06}");
    format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
}

fn what_is_zero(target: &Target) -> &'static str {
    match target {
        Target::Pixels(_) => "pixel count",
        Target::Tier(_) | Target::LongEdge(_) => "long edge",
    }
}

/// The ideal point for `ratio` at `target`, before any rule is applied.
///
/// For a long edge `L` (a tier's [`Tier::long_edge`] or [`Target::LongEdge`])
/// and `ratio = a:b`: `(L, L*b/a)` when `a >= b`, `(L*a/b, L)` otherwise. For a
/// pixel count `P`: `(sqrt(P*a/b), sqrt(P*b/a))`. The products are formed in
/// `f64` before the logarithm, so whole results (`2048 * 9 / 16 = 1152`) are exact.
///
/// # Errors
/// [`PlanError::ZeroTarget`] for `long:0` and `pixels:0`.
///
/// ```
/// use gpt_image_plan::{AspectRatio, Tier, planner::{Target, ideal_point}};
/// let p = ideal_point("16:9".parse().unwrap(), Target::Tier(Tier::K2)).unwrap();
/// assert_eq!((p.x.exp().round(), p.y.exp().round()), (2048.0, 1152.0));
/// assert!(ideal_point("1:1".parse().unwrap(), Target::LongEdge(0)).is_err());
/// ```
pub fn ideal_point(ratio: AspectRatio, target: Target) -> Result<LogPoint, PlanError> {
    let (a, b) = (f64::from(ratio.width()), f64::from(ratio.height()));
    let point = match target {
        Target::Pixels(0) | Target::LongEdge(0) => return Err(PlanError::ZeroTarget { target }),
        Target::Pixels(px) => {
            let px = px as f64;
            LogPoint {
                x: (px * a / b).ln() / 2.0,
                y: (px * b / a).ln() / 2.0,
            }
        }
        Target::Tier(tier) => long_edge_point(f64::from(tier.long_edge()), a, b),
        Target::LongEdge(px) => long_edge_point(f64::from(px), a, b),
    };
    Ok(point)
}

fn long_edge_point(long: f64, a: f64, b: f64) -> LogPoint {
    if a >= b {
        LogPoint {
            x: long.ln(),
            y: (long * b / a).ln(),
        }
    } else {
        LogPoint {
            x: (long * a / b).ln(),
            y: long.ln(),
        }
    }
}

/// One ranked answer: a valid size and what to show about it.
///
/// Serialised with `size` as `"WxH"`, `ratio` as `"W:H"` and `orientation` as
/// `"landscape"`, `"portrait"` or `"square"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The size.
    pub size: Size,
    /// Its exact ratio in lowest terms (2048x880 is `128:55`).
    pub ratio: AspectRatio,
    /// Its named ratio for display (2048x880 is about `21:9`).
    pub named_ratio: NamedRatio,
    /// Width times height.
    pub pixels: u64,
    /// Landscape, portrait or square.
    pub orientation: Orientation,
    /// The log-space distance from the ideal point, the target as asked
    /// (`0` when the size is exactly what was asked for).
    pub distance: f64,
    /// The log-space distance from the anchor, the ideal point projected onto
    /// the rule's region; candidates that keep the shape are ranked by it,
    /// then the others by it.
    pub anchor_distance: f64,
    /// The provider's tier for the size ([`tier_of`]).
    pub tier: Option<Tier>,
    /// Whether the provider names the size among its presets.
    pub preset: bool,
    /// The provider's label for it, when it has one.
    pub label: Option<String>,
}

/// The provider's tier for `size`: the tier of the preset naming it, when the
/// model's presets give one (seed 002's 1K/2K/4K tables); `None` otherwise.
///
/// Billing rules that derive tiers from edges or pixels belong here too, so
/// every caller gets one answer.
///
/// ```
/// use gpt_image_plan::{Size, Tier, builtin_profile, planner::tier_of};
/// let origin = &builtin_profile("uniall").unwrap().model("gpt-image-2-origin").unwrap().rules;
/// assert_eq!(tier_of(origin, Size::new(2048, 1152)), Some(Tier::K2));
/// assert_eq!(tier_of(origin, Size::new(2048, 1136)), None);
/// ```
pub fn tier_of(rules: &ModelRules, size: Size) -> Option<Tier> {
    rules
        .presets
        .iter()
        .filter(|p| p.size == size)
        .find_map(|p| p.tier)
}

/// The `k` best valid sizes for the ideal point `ideal`, as [`Candidate`]s,
/// ranked as [`nearest_k`] ranks them: the sizes that keep the ideal's shape
/// (see the [planner docs](super)), nearest to the anchor first, then the
/// others; so the first is [`nearest_point`](super::nearest_point) of
/// `ideal`. The general form of [`for_aspect`].
///
/// # Errors
/// [`PlanError::BadPoint`] when `ideal` is not [plannable](LogPoint::is_plannable),
/// [`PlanError::NoSizes`] when `k > 0` and the model allows no explicit size.
///
/// ```
/// use gpt_image_plan::{Size, builtin_profile, planner::{LogPoint, candidates}};
/// let rules = &builtin_profile("enum-sizes").unwrap().model("gpt-image-2").unwrap().rules;
/// // Seed 001 lists no 1920x1080; its 16:9 sizes come first, nearest first,
/// // then the others (2048x1024, 2:1, is nearer in log space but not 16:9).
/// let top = candidates(rules, LogPoint::of(Size::new(1920, 1080)), 3).unwrap();
/// assert_eq!(top[0].size, Size::new(2048, 1152));
/// assert_eq!(top[1].size, Size::new(3840, 2160));
/// assert_eq!(top[2].size, Size::new(2048, 1024));
/// assert_eq!(top[2].label.as_deref(), Some("2:1 landscape"));
/// ```
pub fn candidates(
    rules: &ModelRules,
    ideal: LogPoint,
    k: usize,
) -> Result<Vec<Candidate>, PlanError> {
    if !ideal.is_plannable() {
        return Err(PlanError::BadPoint {
            x: ideal.x,
            y: ideal.y,
        });
    }
    if k == 0 {
        return Ok(Vec::new());
    }
    let anchor = anchor(&rules.sizes, ideal);
    let sizes = nearest_k(&rules.sizes, ideal, k);
    if sizes.is_empty() {
        return Err(PlanError::NoSizes);
    }
    Ok(sizes
        .into_iter()
        .filter_map(|size| {
            let point = LogPoint::of(size);
            let preset = rules.presets.iter().filter(|p| p.size == size);
            Some(Candidate {
                size,
                ratio: AspectRatio::of(size)?,
                named_ratio: named_ratio(size)?,
                pixels: size.pixels(),
                orientation: size.orientation(),
                distance: point.distance(ideal),
                anchor_distance: point.distance(anchor),
                tier: tier_of(rules, size),
                preset: preset.clone().next().is_some(),
                label: preset.filter_map(|p| p.label.clone()).next(),
            })
        })
        .collect())
}

/// The `k` best valid sizes for `ratio` at `target`, best first: the
/// [`ideal_point`], then [`candidates`].
///
/// # Errors
/// [`PlanError::ZeroTarget`] for `long:0` or `pixels:0`, [`PlanError::NoSizes`]
/// when `k > 0` and the model allows no explicit size.
///
/// ```
/// use gpt_image_plan::{Size, Tier, builtin_profile, planner::{Target, for_aspect}};
/// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
/// let top = for_aspect(rules, "16:9".parse().unwrap(), Target::Tier(Tier::K2), 3).unwrap();
/// assert_eq!(top[0].size, Size::new(2048, 1152));
/// assert_eq!(top[0].distance, 0.0);
/// assert_eq!(top.len(), 3);
/// let square_4k = for_aspect(rules, "1:1".parse().unwrap(), Target::Tier(Tier::K4), 1).unwrap();
/// assert_eq!(square_4k[0].size, Size::new(2880, 2880));
/// ```
pub fn for_aspect(
    rules: &ModelRules,
    ratio: AspectRatio,
    target: Target,
    k: usize,
) -> Result<Vec<Candidate>, PlanError> {
    candidates(rules, ideal_point(ratio, target)?, k)
}

#[cfg(test)]
mod coordinate_text_tests {
    use proptest::prelude::*;

    use super::coordinate_text;

    #[test]
    fn coordinates_print_as_display_prints_them_to_six_decimals() {
        for (v, text) in [
            (f64::NAN, "NaN"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (1000.0, "1000"),
            (-0.5, "-0.5"),
            (7.625, "7.625"),
            (7.0001234567, "7.000123"),
            (-0.0000001, "0"),
            (1e18, "1e18+"),
            (-3e300, "-1e18+"),
        ] {
            assert_eq!(coordinate_text(v), text, "{v:?}");
        }
    }

    proptest! {
        /// The plain reference: `Display` itself, which agrees exactly on
        /// values with at most 6 decimals, and the text never strays more
        /// than half a millionth from the value.
        #[test]
        fn the_text_is_display_rounded_to_six_decimals(v in -1e12f64..1e12) {
            let text = coordinate_text(v);
            let back: f64 = text.parse().unwrap();
            prop_assert!((back - v).abs() <= 5e-7 * (1.0 + v.abs() * 1e-9), "{v} -> {text}");
            let short = format!("{v}");
            let decimals = short.split_once('.').map_or(0, |(_, f)| f.len());
            if decimals <= 6 && v.abs() < 1e9 {
                prop_assert_eq!(text, short);
            }
        }
    }
}
