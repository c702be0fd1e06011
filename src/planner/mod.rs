//! The size planner: the nearest valid size for a policy that keeps the
//! picture's shape, measured in log space.
//!
//! A size `WxH` is the point `(ln W, ln H)`; the distance between two sizes is
//! the Euclidean distance of their points, so it is scale-free and treats
//! portrait and landscape alike. When the policy has a rule, the target point
//! is first projected onto the region the rule allows (a convex polygon in log
//! space, see [`project`]); that projected point is the *anchor*. A list-only
//! policy has no projection: the anchor is the target itself.
//!
//! # The nearest size keeps the shape
//!
//! People pick a size for its shape first (a 16:9 frame, a 3:2 print), so a
//! change of shape weighs more than a change of scale. For a requested `WxH`
//! with aspect `a0 = ln(W/H)`, over the sizes the policy accepts:
//!
//! 1. `A*` = the smallest `|ln(w/h) - a0|` any accepted size reaches;
//! 2. keep the sizes with `|ln(w/h) - a0| <= A* + ln(1.02)`: within 2 % of
//!    the best shape the policy can give ([`ShapeBand`], [`shape_band`]);
//! 3. among those, the nearest to the anchor by log-space distance; ties go to
//!    the larger area, then the larger width.
//!
//! The comparison in step 2 is done in `f64` with the same expressions by
//! every search, plus a `1e-12` slack so that a size exactly 2 % off counts as
//! inside (see the `shape` module source). Examples, each tested exactly:
//!
//! | policy | target | nearest | plain distance would give |
//! |---|---|---|---|
//! | `enum-sizes` (18 listed sizes) | 1920x1080 | 2048x1152 | 2048x1024 |
//! | `enum-sizes` | 1280x720 | 2048x1152 | 1536x1024 |
//! | `enum-sizes` | 1600x1200 | 2048x1536 | 1536x1024 |
//! | `enum-sizes` | 3000x2000 | 2048x1360 | 3840x2160 |
//! | `uniall` gpt-image-2-origin | 3000x2000 | 3504x2336 | 2560x2048 |
//! | `openai` gpt-image-2 (the rule) | 12762x5230 | 3840x1600 | 3840x2160 |
//! | `openai` gpt-image-2 | 8645x2135 | 3840x1296 | 3840x2128 |
//! | `openai` gpt-image-2 | 1920x1080 | 1920x1088 | the same |
//! | `openai` gpt-image-2 | 100x100 | 816x816 | the same |
//! | `openai` gpt-image-2 | 4000x4000 | 2880x2880 | the same |
//!
//! The plain-distance answer stays available: [`nearest_by_distance`],
//! [`nearest_point_by_distance`], [`nearest_k_by_distance`].
//!
//! - [`nearest`] snaps a size (a valid size returns itself); [`nearest_point`]
//!   takes a real-valued point; [`nearest_k`] ranks the `k` best (the sizes
//!   that keep the shape, nearest first, then the others).
//! - [`for_aspect`] answers "16:9, about 2K" with ranked [`Candidate`]s, each
//!   with its exact ratio, pixels, orientation, distance, tier and preset label.
//! - [`named_ratio`] names a size's ratio for display (2048x880 is about 21:9);
//!   [`PresetQuery`] filters the sizes providers name.
//! - [`Reference`] is the plain loop over every valid size, following the
//!   three steps word for word, that the fast search is tested against.
//!
//! Edges of `0` are read as `1` pixel when a size becomes a point, so every
//! `u32` pair has a defined answer. Sizes with a zero edge are never offered.
//!
//! ```
//! use gpt_image_plan::{AspectRatio, Size, builtin_profile, planner};
//! let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
//! assert_eq!(planner::nearest(&rules.sizes, Size::new(1792, 936)), Some(Size::new(1792, 944)));
//! assert_eq!(planner::nearest(&rules.sizes, Size::new(8645, 2135)), Some(Size::new(3840, 1296)));
//! let listed = &builtin_profile("enum-sizes").unwrap().model("gpt-image-2").unwrap().rules;
//! assert_eq!(planner::nearest(&listed.sizes, Size::new(1600, 1200)), Some(Size::new(2048, 1536)));
//! let wide: AspectRatio = "21:9".parse().unwrap();
//! let best = &planner::for_aspect(rules, wide, planner::Target::Tier(gpt_image_plan::Tier::K2), 3)
//!     .unwrap()[0];
//! assert_eq!(best.size, Size::new(2048, 880));
//! assert_eq!(best.named_ratio.ratio.to_string(), "21:9");
//! ```

mod aspect;
mod presets;
mod project;
mod search;
mod shape;

pub use aspect::{
    Candidate, DEFAULT_K, ParseTargetError, PlanError, Target, candidates, for_aspect, ideal_point,
    tier_of,
};
pub use presets::{NAMED_RATIOS, NamedRatio, PresetHit, PresetQuery, named_ratio, presets};
pub use project::project;
pub use shape::{SHAPE_TOLERANCE, ShapeBand, shape_error};

use std::sync::OnceLock;

use crate::rules::SizePolicy;
use crate::size::Size;
use search::{Best, Beyond, Everything, Ranked, TopK, Within};

/// A point in log space: `(ln W, ln H)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogPoint {
    /// `ln W`.
    pub x: f64,
    /// `ln H`.
    pub y: f64,
}

impl LogPoint {
    /// The largest coordinate magnitude the planner takes (see
    /// [`LogPoint::is_plannable`]); every positive finite `f64` width and height
    /// is inside, since `ln f64::MAX` is about 709.8.
    pub const LIMIT: f64 = 1000.0;

    /// The point of a size; a `0` edge is read as `1`.
    ///
    /// ```
    /// use gpt_image_plan::{Size, planner::LogPoint};
    /// let p = LogPoint::of(Size::new(1024, 0));
    /// assert_eq!((p.x, p.y), (1024f64.ln(), 0.0));
    /// ```
    pub fn of(size: Size) -> Self {
        LogPoint {
            x: ln_px(size.width().max(1)),
            y: ln_px(size.height().max(1)),
        }
    }

    /// The point of a real-valued width and height; `None` unless both are
    /// finite and positive.
    ///
    /// ```
    /// use gpt_image_plan::planner::LogPoint;
    /// assert!(LogPoint::of_real(1920.0, 1080.5).is_some());
    /// assert!(LogPoint::of_real(0.0, 1080.0).is_none());
    /// ```
    pub fn of_real(width: f64, height: f64) -> Option<Self> {
        (width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0).then(|| LogPoint {
            x: width.ln(),
            y: height.ln(),
        })
    }

    /// The squared distance to `other`.
    ///
    /// ```
    /// use gpt_image_plan::planner::LogPoint;
    /// let (a, b) = (LogPoint { x: 0.0, y: 0.0 }, LogPoint { x: 3.0, y: 4.0 });
    /// assert_eq!(a.distance_sq(b), 25.0);
    /// ```
    pub fn distance_sq(self, other: LogPoint) -> f64 {
        search::sq_dist(self.x - other.x, self.y - other.y)
    }

    /// The distance to `other`.
    ///
    /// ```
    /// use gpt_image_plan::planner::LogPoint;
    /// let (a, b) = (LogPoint { x: 0.0, y: 0.0 }, LogPoint { x: 3.0, y: 4.0 });
    /// assert_eq!(a.distance(b), 5.0);
    /// ```
    pub fn distance(self, other: LogPoint) -> f64 {
        self.distance_sq(other).sqrt()
    }

    /// Whether the planner takes this point: both coordinates finite and at
    /// most [`LogPoint::LIMIT`] in magnitude. Other points get no answer
    /// (`None` or [`PlanError::BadPoint`]).
    ///
    /// ```
    /// use gpt_image_plan::planner::LogPoint;
    /// assert!(LogPoint { x: 7.0, y: 7.0 }.is_plannable());
    /// assert!(!LogPoint { x: f64::NAN, y: 7.0 }.is_plannable());
    /// assert!(!LogPoint { x: 1e6, y: 7.0 }.is_plannable());
    /// ```
    pub fn is_plannable(self) -> bool {
        self.x.is_finite()
            && self.y.is_finite()
            && self.x.abs() <= Self::LIMIT
            && self.y.abs() <= Self::LIMIT
    }
}

/// Edges up to this many pixels have their logarithm in a table.
const LN_TABLE_MAX: u32 = 4096;

/// `ln x` for a whole number of pixels.
///
/// Up to [`LN_TABLE_MAX`] it comes from a table filled once by the same `ln`,
/// so the value is bit-identical to `f64::from(x).ln()`; it only saves the
/// planner's hot loop most of its logarithms.
#[inline]
pub(crate) fn ln_px(x: u32) -> f64 {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    let table = TABLE.get_or_init(|| (0..=LN_TABLE_MAX).map(|x| f64::from(x).ln()).collect());
    match usize::try_from(x).ok().and_then(|i| table.get(i)) {
        Some(&v) => v,
        None => ln_px_past_table(x),
    }
}

/// `ln x` past the table. Out of line and cold: as an inline `ln` the
/// compiler may compute it speculatively on every call, table hit or not.
#[cold]
#[inline(never)]
fn ln_px_past_table(x: u32) -> f64 {
    f64::from(x).ln()
}

/// Whether candidate `a` beats `b` for the same point: closer, then larger
/// area, then wider. The reference search's comparison.
pub(crate) fn better(a: Size, da: f64, b: Size, db: f64) -> bool {
    if da != db {
        return da < db;
    }
    if a.pixels() != b.pixels() {
        return a.pixels() > b.pixels();
    }
    a.width() > b.width()
}

/// The point a target is measured from: the target itself for a list-only
/// policy, its projection onto the rule's region otherwise (the target itself
/// again when the region is empty).
///
/// ```
/// use gpt_image_plan::{Size, builtin_profile, planner::{LogPoint, anchor}};
/// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
/// let a = anchor(&rules.sizes, LogPoint::of(Size::new(100, 100)));
/// assert!((a.x.exp() - 655_360f64.sqrt()).abs() < 1e-6); // onto the pixel floor
/// ```
pub fn anchor(policy: &SizePolicy, p: LogPoint) -> LogPoint {
    match &policy.rule {
        Some(rule) => project(rule, p).unwrap_or(p),
        None => p,
    }
}

/// The reference search: every valid size of a policy with its point,
/// searched by plain loops that follow the definition word for word. Slow and
/// obviously right; the fast searches ([`nearest_point`], [`nearest_k`],
/// [`shape_band`] and the `_by_distance` forms) are tested against it.
///
/// Building it lists every size ([`SizePolicy::sizes`], about 29,000 for the
/// gpt-image-2 rule), so build it once when asking many questions.
///
/// ```
/// use gpt_image_plan::{Size, builtin_profile, planner::{LogPoint, Reference}};
/// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
/// let reference = Reference::new(&rules.sizes);
/// assert_eq!(reference.len(), 29_146);
/// assert_eq!(reference.nearest(LogPoint::of(Size::new(1920, 1080))), Some(Size::new(1920, 1088)));
/// ```
#[derive(Clone, Debug)]
pub struct Reference<'a> {
    policy: &'a SizePolicy,
    points: Vec<(Size, LogPoint)>,
}

impl<'a> Reference<'a> {
    /// Lists every valid size of `policy` (those with a zero edge left out).
    ///
    /// ```
    /// use gpt_image_plan::{builtin_profile, planner::Reference};
    /// let dalle3 = &builtin_profile("openai").unwrap().model("dall-e-3").unwrap().rules;
    /// assert_eq!(Reference::new(&dalle3.sizes).len(), 3);
    /// ```
    pub fn new(policy: &'a SizePolicy) -> Self {
        let points = policy
            .sizes()
            .into_iter()
            .filter(|s| s.width() > 0 && s.height() > 0)
            .map(|s| (s, LogPoint::of(s)))
            .collect();
        Reference { policy, points }
    }

    /// How many sizes it holds.
    ///
    /// ```
    /// use gpt_image_plan::{SizePolicy, planner::Reference};
    /// assert_eq!(Reference::new(&SizePolicy::default()).len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether it holds no size.
    ///
    /// ```
    /// use gpt_image_plan::{SizePolicy, planner::Reference};
    /// let auto_only = SizePolicy { auto: true, ..SizePolicy::default() };
    /// assert!(Reference::new(&auto_only).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The shape band for `p` by a loop over every size (`A*` is the smallest
    /// [`shape_error`] of any size); the same contract as [`shape_band`].
    ///
    /// ```
    /// use gpt_image_plan::{Size, builtin_profile, planner::{LogPoint, Reference}};
    /// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
    /// let reference = Reference::new(&rules.sizes);
    /// // 4:1 is past the rule's 3:1, so the best shape is 3:1 itself.
    /// let band = reference.shape_band(LogPoint::of(Size::new(4000, 1000))).unwrap();
    /// assert!((band.best - (4.0f64 / 3.0).ln()).abs() < 1e-12);
    /// assert!(band.contains(Size::new(3840, 1296)));
    /// assert!(!band.contains(Size::new(3840, 1312)));
    /// ```
    pub fn shape_band(&self, p: LogPoint) -> Option<ShapeBand> {
        if !p.is_plannable() || self.points.is_empty() {
            return None;
        }
        let aspect = p.x - p.y;
        let best = self
            .points
            .iter()
            .map(|&(_, q)| shape::error(q.x, q.y, aspect))
            .fold(f64::INFINITY, f64::min);
        Some(ShapeBand::new(aspect, best))
    }

    /// Every size with its shape-band flag (`true` when it keeps the shape)
    /// and its squared distance to the anchor.
    fn scored(&self, p: LogPoint) -> Vec<(bool, Size, f64)> {
        let Some(band) = self.shape_band(p) else {
            return Vec::new();
        };
        let anchor = anchor(self.policy, p);
        self.points
            .iter()
            .map(|&(size, q)| {
                let keeps = shape::error(q.x, q.y, band.aspect) <= band.limit;
                (keeps, size, q.distance_sq(anchor))
            })
            .collect()
    }

    /// The nearest size that keeps the shape of `p`, by the three steps of the
    /// definition (`A*`, the band, the nearest in the band) over every size;
    /// the same contract as [`nearest_point`].
    ///
    /// ```
    /// use gpt_image_plan::{Size, builtin_profile, planner::{LogPoint, Reference}};
    /// let rules = &builtin_profile("openai").unwrap().model("gpt-image-1").unwrap().rules;
    /// let reference = Reference::new(&rules.sizes);
    /// let p = LogPoint::of(Size::new(1920, 1080));
    /// assert_eq!(reference.nearest(p), Some(Size::new(1536, 1024)));
    /// ```
    pub fn nearest(&self, p: LogPoint) -> Option<Size> {
        let mut best: Option<(Size, f64)> = None;
        for (keeps, size, d) in self.scored(p) {
            if keeps && best.is_none_or(|(b, db)| better(size, d, b, db)) {
                best = Some((size, d));
            }
        }
        best.map(|(size, _)| size)
    }

    /// The `k` best sizes for `p`, best first, by scoring every size and
    /// sorting: the sizes that keep the shape, nearest first, then the others,
    /// nearest first; the same contract as [`nearest_k`].
    ///
    /// ```
    /// use gpt_image_plan::{Size, builtin_profile, planner::{LogPoint, Reference}};
    /// let rules = &builtin_profile("enum-sizes").unwrap().model("gpt-image-2").unwrap().rules;
    /// let reference = Reference::new(&rules.sizes);
    /// let p = LogPoint::of(Size::new(1920, 1080));
    /// assert_eq!(
    ///     reference.nearest_k(p, 3),
    ///     [Size::new(2048, 1152), Size::new(3840, 2160), Size::new(2048, 1024)]
    /// );
    /// ```
    pub fn nearest_k(&self, p: LogPoint, k: usize) -> Vec<Size> {
        let mut scored = self.scored(p);
        scored.sort_by(|&(ka, a, da), &(kb, b, db)| kb.cmp(&ka).then_with(|| rank(a, da, b, db)));
        scored
            .into_iter()
            .take(k)
            .map(|(_, size, _)| size)
            .collect()
    }

    /// The size nearest to `p` by plain log-space distance to the anchor, the
    /// shape not considered; the same contract as [`nearest_point_by_distance`].
    ///
    /// ```
    /// use gpt_image_plan::{Size, builtin_profile, planner::{LogPoint, Reference}};
    /// let rules = &builtin_profile("enum-sizes").unwrap().model("gpt-image-2").unwrap().rules;
    /// let reference = Reference::new(&rules.sizes);
    /// let p = LogPoint::of(Size::new(1920, 1080));
    /// assert_eq!(reference.nearest_by_distance(p), Some(Size::new(2048, 1024)));
    /// ```
    pub fn nearest_by_distance(&self, p: LogPoint) -> Option<Size> {
        if !p.is_plannable() {
            return None;
        }
        let anchor = anchor(self.policy, p);
        let mut best: Option<(Size, f64)> = None;
        for &(size, point) in &self.points {
            let d = point.distance_sq(anchor);
            if best.is_none_or(|(b, db)| better(size, d, b, db)) {
                best = Some((size, d));
            }
        }
        best.map(|(size, _)| size)
    }

    /// The `k` sizes nearest to `p` by plain log-space distance, best first,
    /// by scoring every size and sorting; the same contract as
    /// [`nearest_k_by_distance`].
    ///
    /// ```
    /// use gpt_image_plan::{Size, builtin_profile, planner::{LogPoint, Reference}};
    /// let rules = &builtin_profile("openai").unwrap().model("gpt-image-1").unwrap().rules;
    /// let reference = Reference::new(&rules.sizes);
    /// let p = LogPoint::of(Size::new(1920, 1080));
    /// assert_eq!(
    ///     reference.nearest_k_by_distance(p, 5),
    ///     [Size::new(1536, 1024), Size::new(1024, 1024), Size::new(1024, 1536)]
    /// );
    /// ```
    pub fn nearest_k_by_distance(&self, p: LogPoint, k: usize) -> Vec<Size> {
        if !p.is_plannable() {
            return Vec::new();
        }
        let anchor = anchor(self.policy, p);
        let mut scored: Vec<(Size, f64)> = self
            .points
            .iter()
            .map(|&(size, point)| (size, point.distance_sq(anchor)))
            .collect();
        scored.sort_by(|&(a, da), &(b, db)| rank(a, da, b, db));
        scored.into_iter().take(k).map(|(size, _)| size).collect()
    }
}

/// [`better`] as an ordering, best first.
fn rank(a: Size, da: f64, b: Size, db: f64) -> std::cmp::Ordering {
    if better(a, da, b, db) {
        std::cmp::Ordering::Less
    } else if better(b, db, a, da) {
        std::cmp::Ordering::Greater
    } else {
        std::cmp::Ordering::Equal
    }
}

/// The reference answer for one point: [`Reference::new`] then
/// [`Reference::nearest`], the definition followed step by step.
///
/// ```
/// use gpt_image_plan::{Size, builtin_profile, planner};
/// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
/// let p = planner::LogPoint::of(Size::new(4000, 4000));
/// assert_eq!(planner::nearest_exhaustive(&rules.sizes, p), Some(Size::new(2880, 2880)));
/// let wide = planner::LogPoint::of(Size::new(12762, 5230));
/// assert_eq!(planner::nearest_exhaustive(&rules.sizes, wide), Some(Size::new(3840, 1600)));
/// ```
pub fn nearest_exhaustive(policy: &SizePolicy, p: LogPoint) -> Option<Size> {
    Reference::new(policy).nearest(p)
}

/// The nearest valid size to `target` under `policy` that keeps its shape
/// (see the [module docs](self) for the definition); `None` when the policy
/// allows no explicit size at all (only `auto`).
///
/// A valid target returns itself. Otherwise this is [`nearest_point`] of the
/// target's point (a `0` edge read as `1`), so every `u32` pair gets an answer.
///
/// ```
/// use gpt_image_plan::{builtin_profile, planner, Size};
/// let openai = builtin_profile("openai").unwrap();
/// let rules = &openai.model("gpt-image-2").unwrap().rules;
/// assert_eq!(planner::nearest(&rules.sizes, Size::new(1920, 1080)), Some(Size::new(1920, 1088)));
/// assert_eq!(planner::nearest(&rules.sizes, Size::new(4000, 4000)), Some(Size::new(2880, 2880)));
/// assert_eq!(planner::nearest(&rules.sizes, Size::new(12762, 5230)), Some(Size::new(3840, 1600)));
/// assert_eq!(planner::nearest(&rules.sizes, Size::new(0, 0)), Some(Size::new(816, 816)));
/// // A list keeps the shape too: 16:9 stays 16:9.
/// let listed = &builtin_profile("enum-sizes").unwrap().model("gpt-image-2").unwrap().rules;
/// assert_eq!(planner::nearest(&listed.sizes, Size::new(1920, 1080)), Some(Size::new(2048, 1152)));
/// ```
pub fn nearest(policy: &SizePolicy, target: Size) -> Option<Size> {
    if policy.allows(target) {
        return Some(target);
    }
    nearest_point(policy, LogPoint::of(target))
}

/// The valid size nearest to `target` by plain log-space distance, the shape
/// not considered: the planner's answer before it kept shapes, for callers
/// who want it. A valid target returns itself.
///
/// ```
/// use gpt_image_plan::{builtin_profile, planner, Size};
/// let listed = &builtin_profile("enum-sizes").unwrap().model("gpt-image-2").unwrap().rules;
/// let target = Size::new(1920, 1080);
/// assert_eq!(planner::nearest_by_distance(&listed.sizes, target), Some(Size::new(2048, 1024)));
/// assert_eq!(planner::nearest(&listed.sizes, target), Some(Size::new(2048, 1152)));
/// ```
pub fn nearest_by_distance(policy: &SizePolicy, target: Size) -> Option<Size> {
    if policy.allows(target) {
        return Some(target);
    }
    nearest_point_by_distance(policy, LogPoint::of(target))
}

/// The shape band for `p` under `policy`: `A*`, the smallest [`shape_error`]
/// any valid size reaches, and the limit a size's error may reach to keep the
/// shape; `None` when the policy allows no explicit size or the point is not
/// [plannable](LogPoint::is_plannable). Exactly [`Reference::shape_band`],
/// found column by column (one or two rows each) instead of size by size.
///
/// ```
/// use gpt_image_plan::{Size, builtin_profile, planner::{LogPoint, shape_band}};
/// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
/// let band = shape_band(&rules.sizes, LogPoint::of(Size::new(1920, 1080))).unwrap();
/// assert!(band.best < 1e-15); // 2048x1152 is 16:9
/// assert!(band.contains(Size::new(1920, 1088)));
/// assert!(!band.contains(Size::new(2048, 1024)));
/// ```
pub fn shape_band(policy: &SizePolicy, p: LogPoint) -> Option<ShapeBand> {
    if !p.is_plannable() {
        return None;
    }
    let aspect = p.x - p.y;
    let best = shape::best(policy, aspect);
    best.is_finite().then(|| ShapeBand::new(aspect, best))
}

/// The shape error of a found size.
fn shape_error_of(size: Size, a0: f64) -> f64 {
    shape::error(ln_px(size.width()), ln_px(size.height()), a0)
}

/// The valid size nearest to a real-valued point that keeps its shape; `None`
/// when the policy allows no explicit size or the point is not
/// [plannable](LogPoint::is_plannable).
///
/// Exactly [`Reference::nearest`]. The band's limit needs `A*`, which cheap
/// bounds usually settle: the lattice walk (see the `search` module) finds the
/// nearest size inside the widest band the bounds allow, and when that size is
/// also inside the narrowest one it is the answer; otherwise `A*` is computed
/// exactly, column by column, and the walk runs again in the exact band.
///
/// ```
/// use gpt_image_plan::{builtin_profile, planner, Size};
/// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
/// let p = planner::LogPoint::of_real(2048.0, 2048.0 * 9.0 / 21.0).unwrap();
/// assert_eq!(planner::nearest_point(&rules.sizes, p), Some(Size::new(2048, 880)));
/// ```
pub fn nearest_point(policy: &SizePolicy, p: LogPoint) -> Option<Size> {
    if !p.is_plannable() {
        return None;
    }
    let (a0, anchor) = (p.x - p.y, anchor(policy, p));
    let lower = shape::lower(policy, a0);
    let within = |limit: f64| {
        let mut best = Best::default();
        search::search(policy, anchor, Within { a0, limit }, &mut best);
        best.0.map(|r| r.size)
    };
    let upper = shape::upper(policy, a0, &lower, f64::INFINITY);
    let found = within(upper)?;
    if shape_error_of(found, a0) <= lower.limit {
        return Some(found);
    }
    let exact = shape::limit(shape::best(policy, a0));
    if exact == upper {
        return Some(found);
    }
    within(exact)
}

/// The valid size nearest to a real-valued point by plain log-space distance
/// to the anchor, the shape not considered; `None` when the policy allows no
/// explicit size or the point is not [plannable](LogPoint::is_plannable).
///
/// Exactly [`Reference::nearest_by_distance`], found by walking the rule's
/// lattice outward from the anchor and stopping when nothing further can win
/// (the proof is in the source of the `search` module); listed sizes are
/// scanned.
///
/// ```
/// use gpt_image_plan::{builtin_profile, planner, Size};
/// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
/// let p = planner::LogPoint::of(Size::new(12762, 5230));
/// assert_eq!(planner::nearest_point_by_distance(&rules.sizes, p), Some(Size::new(3840, 2160)));
/// ```
pub fn nearest_point_by_distance(policy: &SizePolicy, p: LogPoint) -> Option<Size> {
    if !p.is_plannable() {
        return None;
    }
    let mut best = Best::default();
    search::search(policy, anchor(policy, p), Everything, &mut best);
    best.0.map(|r| r.size)
}

/// The `k` best valid sizes for a real-valued point, best first and distinct:
/// the sizes that keep its shape, nearest first (ties to the larger area, then
/// the larger width), then the others, nearest first. So the first is
/// [`nearest_point`]. Fewer when the policy has fewer sizes; empty when `k` is
/// 0 or the point is not [plannable](LogPoint::is_plannable).
///
/// Exactly [`Reference::nearest_k`].
///
/// ```
/// use gpt_image_plan::{builtin_profile, planner, Size};
/// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
/// let top = planner::nearest_k(&rules.sizes, planner::LogPoint::of(Size::new(1920, 1080)), 2);
/// assert_eq!(top, [Size::new(1920, 1088), Size::new(1920, 1072)]);
/// ```
pub fn nearest_k(policy: &SizePolicy, p: LogPoint, k: usize) -> Vec<Size> {
    if k == 0 || !p.is_plannable() {
        return Vec::new();
    }
    let (a0, anchor) = (p.x - p.y, anchor(policy, p));
    let lower = shape::lower(policy, a0);
    let sized = |kept: Vec<Ranked>| kept.into_iter().map(|r| r.size).collect();
    // The k nearest sizes of all, when they surely keep the shape, are the answer.
    let mut plain = TopK::new(k);
    search::search(policy, anchor, Everything, &mut plain);
    let plain = plain.into_sorted();
    let seen = plain
        .iter()
        .map(|r| shape_error_of(r.size, a0))
        .fold(f64::INFINITY, f64::min);
    let surely = |kept: &[Ranked]| {
        kept.iter()
            .all(|r| shape_error_of(r.size, a0) <= lower.limit)
    };
    if surely(&plain) {
        return sized(plain);
    }
    let within = |limit: f64| {
        let mut top = TopK::new(k);
        search::search(policy, anchor, Within { a0, limit }, &mut top);
        top.into_sorted()
    };
    let mut limit = shape::upper(policy, a0, &lower, seen);
    let mut kept = within(limit);
    if !surely(&kept) {
        let exact = shape::limit(shape::best(policy, a0));
        if exact != limit {
            limit = exact;
            kept = within(limit);
        }
    }
    // Fewer than k sizes keep the shape (all of them are kept): the others
    // follow, nearest first.
    if kept.len() < k {
        let mut rest = TopK::new(k - kept.len());
        search::search(policy, anchor, Beyond { a0, limit }, &mut rest);
        kept.extend(rest.into_sorted());
    }
    sized(kept)
}

/// The `k` valid sizes nearest to a real-valued point by plain log-space
/// distance, best first and distinct (distance to the anchor, then larger
/// area, then larger width), the shape not considered. Fewer when the policy
/// has fewer sizes; empty when `k` is 0 or the point is not
/// [plannable](LogPoint::is_plannable).
///
/// Exactly [`Reference::nearest_k_by_distance`].
///
/// ```
/// use gpt_image_plan::{builtin_profile, planner, Size};
/// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
/// let p = planner::LogPoint::of(Size::new(1920, 1080));
/// let top = planner::nearest_k_by_distance(&rules.sizes, p, 2);
/// assert_eq!(top, [Size::new(1920, 1088), Size::new(1920, 1072)]);
/// ```
pub fn nearest_k_by_distance(policy: &SizePolicy, p: LogPoint, k: usize) -> Vec<Size> {
    if k == 0 || !p.is_plannable() {
        return Vec::new();
    }
    let mut top = TopK::new(k);
    search::search(policy, anchor(policy, p), Everything, &mut top);
    top.into_sorted().into_iter().map(|r| r.size).collect()
}
