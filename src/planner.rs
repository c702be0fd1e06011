//! The size planner: the nearest valid size for a policy, measured in log space.
//!
//! A size `WxH` is the point `(ln W, ln H)`; the distance between two sizes is
//! the Euclidean distance of their points, so it is scale-free and treats
//! portrait and landscape alike. When the policy has a rule, the target point
//! is first projected onto the region the rule allows (a convex polygon in log
//! space), which keeps the shape of out-of-range requests; then the valid size
//! closest to that point wins. Ties go to the larger area, then the larger width.
//!
//! Edges of `0` are read as `1` pixel, so every `u32` pair has a defined answer.

use crate::rules::SizePolicy;
use crate::size::{Size, SizeRule};

/// A point in log space: `(ln W, ln H)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogPoint {
    /// `ln W`.
    pub x: f64,
    /// `ln H`.
    pub y: f64,
}

impl LogPoint {
    /// The point of a size; a `0` edge is read as `1`.
    pub fn of(size: Size) -> Self {
        LogPoint {
            x: f64::from(size.width().max(1)).ln(),
            y: f64::from(size.height().max(1)).ln(),
        }
    }

    /// The point of a real-valued width and height; `None` unless both are
    /// finite and positive.
    pub fn of_real(width: f64, height: f64) -> Option<Self> {
        (width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0).then(|| {
            LogPoint {
                x: width.ln(),
                y: height.ln(),
            }
        })
    }

    /// The squared distance to `other`.
    pub fn distance_sq(self, other: LogPoint) -> f64 {
        let (dx, dy) = (self.x - other.x, self.y - other.y);
        dx * dx + dy * dy
    }
}

/// The half-planes `a.x * x + a.y * y <= b` that make up a rule's region in log space.
fn half_planes(rule: &SizeRule) -> Vec<(f64, f64, f64)> {
    let edge = f64::from(rule.max_edge.max(1)).ln();
    let ratio = (f64::from(rule.max_ratio.width()) / f64::from(rule.max_ratio.height())).ln();
    let mut planes = vec![
        (1.0, 0.0, edge),
        (0.0, 1.0, edge),
        (1.0, -1.0, ratio),
        (-1.0, 1.0, ratio),
    ];
    if rule.min_pixels > 0 {
        planes.push((-1.0, -1.0, -(rule.min_pixels as f64).ln()));
    }
    if rule.max_pixels > 0 {
        planes.push((1.0, 1.0, (rule.max_pixels as f64).ln()));
    }
    planes
}

const EPS: f64 = 1e-9;

fn feasible(planes: &[(f64, f64, f64)], p: LogPoint) -> bool {
    planes.iter().all(|&(a, b, c)| a * p.x + b * p.y <= c + EPS)
}

/// The Euclidean projection of `p` onto the region `rule` allows in log space.
///
/// A plain method that is easy to check: a point inside is its own projection;
/// otherwise the projection lies on an edge (the foot of the perpendicular to
/// that edge's line) or at a vertex (where two lines cross), so every such
/// candidate that lies inside the region is tried and the closest wins.
/// `None` when the region is empty.
pub fn project(rule: &SizeRule, p: LogPoint) -> Option<LogPoint> {
    let planes = half_planes(rule);
    if feasible(&planes, p) {
        return Some(p);
    }
    let mut best: Option<LogPoint> = None;
    let mut consider = |q: LogPoint| {
        if feasible(&planes, q) && best.is_none_or(|b| q.distance_sq(p) < b.distance_sq(p)) {
            best = Some(q);
        }
    };
    for &(a, b, c) in &planes {
        let t = (a * p.x + b * p.y - c) / (a * a + b * b);
        consider(LogPoint {
            x: p.x - t * a,
            y: p.y - t * b,
        });
    }
    for (i, &(a1, b1, c1)) in planes.iter().enumerate() {
        for &(a2, b2, c2) in &planes[i + 1..] {
            let det = a1 * b2 - a2 * b1;
            if det.abs() > EPS {
                consider(LogPoint {
                    x: (c1 * b2 - c2 * b1) / det,
                    y: (a1 * c2 - a2 * c1) / det,
                });
            }
        }
    }
    best
}

/// Whether candidate `a` beats `b` for the point `p`: closer, then larger area,
/// then wider.
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
/// policy, its projection onto the rule's region otherwise.
pub fn anchor(policy: &SizePolicy, p: LogPoint) -> LogPoint {
    match policy.rule {
        Some(rule) => project(&rule, p).unwrap_or(p),
        None => p,
    }
}

/// The reference search: a plain loop over every valid size of the policy.
///
/// Slow (it visits every size the rule allows) and obviously right; the fast
/// search is tested against it.
pub fn nearest_exhaustive(policy: &SizePolicy, p: LogPoint) -> Option<Size> {
    let anchor = anchor(policy, p);
    let mut best: Option<(Size, f64)> = None;
    for size in policy.sizes() {
        let d = LogPoint::of(size).distance_sq(anchor);
        if best.is_none_or(|(b, db)| better(size, d, b, db)) {
            best = Some((size, d));
        }
    }
    best.map(|(size, _)| size)
}

/// The nearest valid size to `target` under `policy`; `None` when the policy
/// allows no explicit size at all (only `auto`).
///
/// ```
/// use gpt_image_plan::{builtin_profile, planner, Size};
/// let rules = &builtin_profile("openai").unwrap().model("gpt-image-2").unwrap().rules;
/// assert_eq!(planner::nearest(&rules.sizes, Size::new(1920, 1080)), Some(Size::new(1920, 1088)));
/// assert_eq!(planner::nearest(&rules.sizes, Size::new(4000, 4000)), Some(Size::new(2880, 2880)));
/// ```
pub fn nearest(policy: &SizePolicy, target: Size) -> Option<Size> {
    if policy.allows(target) {
        return Some(target);
    }
    nearest_exhaustive(policy, LogPoint::of(target))
}
