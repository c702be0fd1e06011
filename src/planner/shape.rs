//! Keeping the picture's shape: the band of aspect ratios a nearest size is
//! chosen from, and the best shape error a policy can reach.
//!
//! # The comparison, in floating point
//!
//! A size `WxH` has the aspect `ln W - ln H`, computed from the same logarithms
//! as its [`LogPoint`] (`fl(ln W) - fl(ln H)`); a target point `p` has the
//! aspect `a0 = p.x - p.y`. The *shape error* of a size is
//! `|fl(fl(ln W - ln H) - a0)|` ([`error`]), and `A*` is the smallest shape
//! error over every accepted size. A size keeps the shape when its shape error
//! is at most [`limit`]`(A*) = fl(A* + (ln 1.02 + 1e-12))`.
//!
//! The `1e-12` (`BAND_SLACK`) makes a size exactly 2 % off the best shape count
//! as inside, as the definition says, whatever the rounding of the logarithms
//! (each is off by less than `4e-15` for edges below `2^32`): 1632x1600 is
//! exactly 2 % wider than 1600x1600 and keeps the shape of a square target.
//! Sizes whose true error is more than `1e-12` past the edge stay outside;
//! for sizes up to 3840 px on both edges, two aspect ratios `w/h` and
//! `w'/h'` differ by at least `1 / (51 * 3840 * 3840)`, about `1.3e-9` in log
//! space, so the slack never lets a size on the same side of the target in.
//!
//! The fast search and the plain reference both use exactly [`error`] and
//! [`limit`] on the same `f64` values, so they decide every size the same way.

use super::LogPoint;
use super::ln_px;
use super::search::rows;
use crate::rules::SizePolicy;
use crate::size::{Size, SizeRule};

/// How far a size's aspect may stray past the best shape the policy can give:
/// `ln 1.02`, so within 2 % of the best ratio.
pub const SHAPE_TOLERANCE: f64 = 0.019_802_627_296_179_73;

/// Added to [`SHAPE_TOLERANCE`] so that a size exactly at the 2 % edge is
/// inside whatever the rounding (see the module docs).
pub(crate) const BAND_SLACK: f64 = 1e-12;

/// How far below the true `A*` a lower bound is put, to cover the rounding
/// of computed aspects (each within about `1e-13` of the exact one, targets
/// included, for coordinates up to [`LogPoint::LIMIT`]).
const BOUND_MARGIN: f64 = 1e-9;

/// The shape error of the size whose logarithms are `lw`, `lh` against the
/// target aspect `a0`. The one formula every search uses.
#[inline]
pub(crate) fn error(lw: f64, lh: f64, a0: f64) -> f64 {
    signed(lw, lh, a0).abs()
}

/// `fl(fl(lw - lh) - a0)`: positive when the size is wider than the target,
/// and non-increasing in `lh` for a fixed `lw` (rounding is monotone).
#[inline]
pub(crate) fn signed(lw: f64, lh: f64, a0: f64) -> f64 {
    (lw - lh) - a0
}

/// The largest shape error that keeps the shape when the best reachable one is
/// `best`: `best + ln 1.02`, plus the slack.
#[inline]
pub(crate) fn limit(best: f64) -> f64 {
    best + (SHAPE_TOLERANCE + BAND_SLACK)
}

/// The shape error of `size` against the aspect of `p`: `|ln(W/H) - (p.x -
/// p.y)|`, computed as the planner computes it. A `0` edge is read as `1`.
///
/// ```
/// use gpt_image_plan::{Size, planner::{LogPoint, shape_error}};
/// let p = LogPoint::of(Size::new(1920, 1080));
/// assert!(shape_error(Size::new(2048, 1152), p) < 1e-15); // both 16:9
/// assert!((shape_error(Size::new(2048, 1024), p) - (2.0f64 / (16.0 / 9.0)).ln()).abs() < 1e-12);
/// ```
pub fn shape_error(size: Size, p: LogPoint) -> f64 {
    let q = LogPoint::of(size);
    error(q.x, q.y, p.x - p.y)
}

/// The aspect ratios that keep a target's shape under a policy: those whose
/// [`shape_error`] is at most `limit`, `A*` (`best`) plus [`SHAPE_TOLERANCE`]
/// (and a `1e-12` slack, see the module source). Made by
/// [`shape_band`](super::shape_band) or [`Reference::shape_band`](super::Reference::shape_band).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShapeBand {
    /// The target's aspect, `ln W - ln H`.
    pub aspect: f64,
    /// `A*`: the smallest shape error any valid size reaches.
    pub best: f64,
    /// The largest shape error that keeps the shape.
    pub limit: f64,
}

impl ShapeBand {
    pub(crate) fn new(aspect: f64, best: f64) -> Self {
        ShapeBand {
            aspect,
            best,
            limit: limit(best),
        }
    }

    /// The shape error of `size` against the target (a `0` edge read as `1`).
    ///
    /// ```
    /// use gpt_image_plan::{Size, builtin_profile, planner::{LogPoint, shape_band}};
    /// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
    /// let band = shape_band(&rules.sizes, LogPoint::of(Size::new(1000, 1000))).unwrap();
    /// assert_eq!(band.error(Size::new(1008, 1008)), 0.0);
    /// ```
    pub fn error(&self, size: Size) -> f64 {
        let q = LogPoint::of(size);
        error(q.x, q.y, self.aspect)
    }

    /// Whether `size` keeps the shape: its error is at most [`ShapeBand::limit`].
    /// 1632x1600 is exactly 2 % wider than a square, so it keeps a square's shape.
    ///
    /// ```
    /// use gpt_image_plan::{Size, builtin_profile, planner::{LogPoint, shape_band}};
    /// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
    /// let band = shape_band(&rules.sizes, LogPoint::of(Size::new(1000, 1000))).unwrap();
    /// assert!(band.contains(Size::new(1632, 1600)));
    /// assert!(!band.contains(Size::new(1648, 1600)));
    /// ```
    pub fn contains(&self, size: Size) -> bool {
        self.error(size) <= self.limit
    }
}

/// A cheap lower bound of `A*`, as a band limit: every size with shape error
/// at most `limit` surely keeps the shape.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lower {
    pub(crate) limit: f64,
    /// The listed sizes' exact best (infinite without a list).
    listed: f64,
}

/// How many columns below the top of the target's ray [`upper`] tries.
const PROBE_COLUMNS: u64 = 4;

/// The lower bound for `a0`: the listed sizes exactly, and for the rule its
/// ratio limit. Every size of the rule has `|ln W - ln H| <= ln(rw / rh)`, so
/// a target beyond that ratio is at least the difference away (less a margin
/// for rounding); otherwise the bound is `0`.
pub(crate) fn lower(policy: &SizePolicy, a0: f64) -> Lower {
    let listed = list_best(policy, a0);
    let rule = policy.rule.as_ref().map_or(f64::INFINITY, |rule| {
        if rule.max_ratio.width() < rule.max_ratio.height() {
            return f64::INFINITY;
        }
        // ln(rw / rh) to within a few ulps, from the table when it can.
        let widest = ln_px(rule.max_ratio.width()) - ln_px(rule.max_ratio.height());
        (a0.abs() - widest - BOUND_MARGIN).max(0.0)
    });
    Lower {
        limit: limit(listed.min(rule)),
        listed,
    }
}

/// An upper bound of `A*` for `a0`, as a band limit: every size with shape
/// error above it is surely outside. `seen` is the shape error of a size
/// already found; the listed sizes count exactly, and the rule by the sizes
/// next to the ray of aspect `a0` (clamped to the rule's ratios) in the
/// [`PROBE_COLUMNS`] widest columns it crosses, where the lattice is finest.
pub(crate) fn upper(policy: &SizePolicy, a0: f64, lower: &Lower, seen: f64) -> f64 {
    let probed = policy
        .rule
        .as_ref()
        .map_or(f64::INFINITY, |rule| probe(rule, a0));
    limit(lower.listed.min(seen).min(probed))
}

/// The exact `A*` for `a0`: the smallest shape error of any accepted size
/// (with no zero edge); infinite when there is none.
pub(crate) fn best(policy: &SizePolicy, a0: f64) -> f64 {
    let rule = policy
        .rule
        .as_ref()
        .map_or(f64::INFINITY, |rule| rule_best(rule, a0));
    rule.min(list_best(policy, a0))
}

/// The smallest shape error among the listed sizes.
fn list_best(policy: &SizePolicy, a0: f64) -> f64 {
    policy
        .list
        .iter()
        .filter(|s| s.width() > 0 && s.height() > 0)
        .map(|s| error(ln_px(s.width()), ln_px(s.height()), a0))
        .fold(f64::INFINITY, f64::min)
}

/// The smallest shape error among the sizes next to the ray of aspect `a0`
/// in the rule's [`PROBE_COLUMNS`] widest columns that ray crosses. One
/// `exp`, one `sqrt` and no division by an integer, as it runs often.
fn probe(rule: &SizeRule, a0: f64) -> f64 {
    let step = u64::from(rule.multiple.max(1));
    let n = u64::from(rule.max_edge) / step;
    let widest = f64::from(rule.max_ratio.width()) / f64::from(rule.max_ratio.height());
    if widest < 1.0 || n == 0 {
        return f64::INFINITY;
    }
    // The nearest ratio W / H the rule allows.
    let along = a0.exp().clamp(1.0 / widest, widest);
    // The widest point of the ray W = along * H: the long edge at max_edge,
    // or the pixel count at max_pixels, whichever comes first.
    let edge = f64::from(rule.max_edge);
    let area = (edge * edge * along.min(1.0 / along)).min(rule.max_pixels as f64);
    let top = (area * along).sqrt() / step as f64;
    // Non-negative: the truncating `as` is `floor`, without a libm call.
    let last = (top as u64).clamp(1, n);
    let per_column = 1.0 / along;
    let mut best = f64::INFINITY;
    for i in (last.saturating_sub(PROBE_COLUMNS - 1).max(1)..=last).rev() {
        let w = i * step;
        let j = ((i as f64) * per_column) as u64;
        for j in [j, j.saturating_add(1)] {
            // Both edges at most max_edge, a u32, so the products below fit.
            if (1..=n).contains(&j) && on_lattice_fits(rule, w, j * step) {
                let (width, height) = (u32::try_from(w), u32::try_from(j * step));
                if let (Ok(width), Ok(height)) = (width, height) {
                    best = best.min(error(ln_px(width), ln_px(height), a0));
                }
            }
        }
    }
    best
}

/// [`SizeRule::check`] for a size already on the rule's lattice (both edges
/// multiples of the step): the edge, ratio and pixel parts, with no division.
#[inline]
fn on_lattice_fits(rule: &SizeRule, w: u64, h: u64) -> bool {
    let (long, short) = if w >= h { (w, h) } else { (h, w) };
    let pixels = w * h;
    long <= u64::from(rule.max_edge)
        && long * u64::from(rule.max_ratio.height()) <= short * u64::from(rule.max_ratio.width())
        && pixels >= rule.min_pixels
        && pixels <= rule.max_pixels
}

/// The rule's exact `A*`: in each column the shape error falls then rises
/// with the height (see [`signed`]), so the best row is one of the two around
/// the sign change, found from an estimate and corrected with the exact test.
fn rule_best(rule: &SizeRule, a0: f64) -> f64 {
    let step = u64::from(rule.multiple.max(1));
    let n = u64::from(rule.max_edge) / step;
    let per_column = (-a0).exp();
    let mut best = f64::INFINITY;
    for i in 1..=n {
        let w = i * step;
        let Some((jlo, jhi)) = rows(rule, w, step, n) else {
            continue;
        };
        let lw = ln_px(u32::try_from(w).unwrap_or(u32::MAX));
        let t = |j: u64| signed(lw, ln_px(u32::try_from(j * step).unwrap_or(u32::MAX)), a0);
        // The largest row with t >= 0 (or jlo when there is none).
        let mut j = (((i as f64) * per_column) as u64).clamp(jlo, jhi);
        while j > jlo && t(j) < 0.0 {
            j -= 1;
        }
        while j < jhi && t(j + 1) >= 0.0 {
            j += 1;
        }
        best = best.min(t(j).abs());
        if j < jhi {
            best = best.min(t(j + 1).abs());
        }
    }
    best
}
