//! Projection of a log-space point onto the region a [`SizeRule`] allows.

use super::LogPoint;
use crate::size::SizeRule;

/// A half-plane `a * x + b * y <= c` in log space.
type HalfPlane = (f64, f64, f64);

/// The half-planes of a rule's region, kept on the stack (at most six).
struct HalfPlanes {
    items: [HalfPlane; 6],
    len: usize,
}

impl HalfPlanes {
    fn of(rule: &SizeRule) -> Self {
        let edge = f64::from(rule.max_edge.max(1)).ln();
        let ratio = (f64::from(rule.max_ratio.width()) / f64::from(rule.max_ratio.height())).ln();
        let mut planes = HalfPlanes {
            items: [
                (1.0, 0.0, edge),
                (0.0, 1.0, edge),
                (1.0, -1.0, ratio),
                (-1.0, 1.0, ratio),
                (0.0, 0.0, 0.0),
                (0.0, 0.0, 0.0),
            ],
            len: 4,
        };
        if rule.min_pixels > 0 {
            planes.push((-1.0, -1.0, -(rule.min_pixels as f64).ln()));
        }
        if rule.max_pixels > 0 {
            planes.push((1.0, 1.0, (rule.max_pixels as f64).ln()));
        }
        planes
    }

    fn push(&mut self, plane: HalfPlane) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = plane;
            self.len += 1;
        }
    }

    fn as_slice(&self) -> &[HalfPlane] {
        self.items.get(..self.len).unwrap_or(&[])
    }
}

/// How far outside a half-plane a point may lie and still count as inside,
/// to absorb rounding in the computed feet and vertices.
const EPS: f64 = 1e-9;

fn feasible(planes: &[HalfPlane], p: LogPoint) -> bool {
    planes.iter().all(|&(a, b, c)| a * p.x + b * p.y <= c + EPS)
}

/// The Euclidean projection of `p` onto the region `rule` allows in log space:
/// `ln W <= ln max_edge`, `ln H <= ln max_edge`, `|ln W - ln H| <= ln max_ratio`,
/// `ln min_pixels <= ln W + ln H <= ln max_pixels`.
///
/// A plain method that is easy to check: a point inside is its own projection;
/// otherwise the projection lies on an edge (the foot of the perpendicular to
/// that edge's line) or at a vertex (where two lines cross), so every such
/// candidate that lies inside the region is tried and the closest wins. With
/// six half-planes that is at most 6 feet and 15 vertices, and nothing is
/// allocated, so it is also fast enough for the planner's hot path.
///
/// The region ignores [`SizeRule::multiple`]: it is the continuous shape the
/// lattice of valid sizes lives in. `None` when the region is empty (a
/// `max_ratio` below `1:1`, or `min_pixels` above what the edges allow) or when
/// `p` is not finite.
///
/// ```
/// use gpt_image_plan::SizeRule;
/// use gpt_image_plan::planner::{LogPoint, project};
/// // 4000x4000 is too large: it lands on the pixel limit, still square (2880x2880).
/// let p = project(&SizeRule::GPT_IMAGE_2, LogPoint::of_real(4000.0, 4000.0).unwrap()).unwrap();
/// assert!((p.x.exp() - 2880.0).abs() < 1e-6 && (p.y.exp() - 2880.0).abs() < 1e-6);
/// ```
pub fn project(rule: &SizeRule, p: LogPoint) -> Option<LogPoint> {
    if !(p.x.is_finite() && p.y.is_finite()) {
        return None;
    }
    let planes = HalfPlanes::of(rule);
    let planes = planes.as_slice();
    if feasible(planes, p) {
        return Some(p);
    }
    let mut best: Option<LogPoint> = None;
    let mut consider = |q: LogPoint| {
        // Closer first: the cheaper test usually settles it.
        if best.is_none_or(|b| q.distance_sq(p) < b.distance_sq(p)) && feasible(planes, q) {
            best = Some(q);
        }
    };
    for &(a, b, c) in planes {
        let t = (a * p.x + b * p.y - c) / (a * a + b * b);
        consider(LogPoint {
            x: p.x - t * a,
            y: p.y - t * b,
        });
    }
    for (i, &(a1, b1, c1)) in planes.iter().enumerate() {
        for &(a2, b2, c2) in planes.get(i + 1..).unwrap_or(&[]) {
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
