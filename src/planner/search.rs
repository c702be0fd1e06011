//! The searches: a fast walk over the rule's lattice and a plain reference loop.
//!
//! # Why the fast walk is exact
//!
//! Both searches score a size `WxH` against the anchor `a` with the same
//! floating-point expressions, `dx = ln W - a.x`, `dy = ln H - a.y`,
//! `d = dx * dx + dy * dy` (see [`sq_dist`]), and rank by `(d, larger area,
//! larger width)`, a strict total order on distinct sizes. So they agree as
//! long as the walk never skips a size that could rank in the result.
//!
//! The rule's valid sizes are lattice points `(i * s, j * s)`, `1 <= i, j <= n`
//! with `s` the multiple and `n = max_edge / s`. For one column `i` the valid
//! `j` form one interval (see [`rows`]), computed exactly in integers.
//!
//! The walk visits columns outward from the anchor's width, rightward and
//! leftward, and inside each column rows outward from the anchor's height,
//! upward and downward. A direction stops at the first column (or row) that is
//! on the far side of the anchor and whose score lower bound is strictly above
//! the collector's bound (the worst kept score once `k` sizes are kept,
//! infinity before). Everything further out scores at least as much, hence
//! strictly more than the bound, which only ever goes down; so it can never
//! enter the result, not even through a tie. The "at least as much" needs:
//!
//! 1. `ln` as computed is non-decreasing on whole numbers `1..=u32::MAX`. Two
//!    neighbours `x < x + 1` there have `ln(x + 1) - ln(x) > 2^-32`, while both
//!    values are below 32, where one ulp is `2^-48`; a libm `ln` that is off by
//!    less than one ulp (glibc, musl and Rust's own `libm` are) cannot reorder them.
//! 2. Rounding is monotone: `fl(u - c)` is non-decreasing in `u`, `fl(t * t)`
//!    is non-decreasing in `|t|`, and `fl(q + t) >= q` for `t >= 0`. So on the
//!    far side `dx * dx` grows with the distance in columns, `d >= dx * dx`
//!    bounds every size of the column from below, and inside a column `d`
//!    grows with `|dy|`.
//!
//! # The shape band
//!
//! The walk takes a [`Filter`]: [`Everything`] (plain distance), [`Within`]
//! (the sizes whose shape error `|fl(fl(ln W - ln H) - a0)|` is at most a
//! limit: the shape band) or [`Beyond`] (the others). A filter only decides
//! which sizes are offered; the collector's bound comes from offered sizes
//! alone, so every stop above stays valid. [`Within`] adds three more stops,
//! each skipping only sizes outside the band:
//!
//! 3. In a column, `t(j) = fl(fl(ln W - ln H_j) - a0)` is non-increasing in
//!    the row `j` (items 1 and 2), so the band's rows are one interval. A row
//!    walk stops once `t < -limit` going up or `t > limit` going down, and a
//!    column whose nearest row is outside the band starts its walk at the
//!    band's first row on the band's side (an estimate corrected with the
//!    exact test, so exactly that row) and walks that way only.
//! 4. A column with no row in the band ends the column walk when no later
//!    column can have one (see [`exhausted`]): rightward, every later height is
//!    at most `min(max_edge, max_pixels / w)`, so every later aspect is at
//!    least this column's aspect at that height; leftward, the mirror with
//!    the pixel floor. Monotone rounding keeps those orders for `t`.
//!
//! Which band: the limit is `limit(A*)`, `A*` the best shape error any size
//! reaches (the `shape` module). `nearest_point` runs the walk in the band of
//! an upper bound of `A*` (the error of a size it has seen, so that band holds
//! the true one) and accepts the answer when its error is within the band of a
//! lower bound of `A*` (so the true band holds it, and nothing nearer is in the
//! true band, which the wider band contains). Otherwise it computes `A*`
//! exactly, one or two rows per column, and walks again: the answer is always
//! the one the plain three-step loop gives.
//!
//! Only sizes past the stop points are skipped, so the fast walk returns exactly
//! what the plain loop returns. Its cost is a few columns of a few rows each
//! when the anchor lies in the rule's region (as the projection makes sure),
//! and never more than the plain loop's.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::{LogPoint, ln_px, shape};
use crate::rules::SizePolicy;
use crate::size::{Size, SizeRule};

/// The squared log distance from the offsets `dx`, `dy`; the one formula both
/// searches use.
#[inline]
pub(crate) fn sq_dist(dx: f64, dy: f64) -> f64 {
    dx * dx + dy * dy
}

/// A scored size ordered best first: smaller distance, then larger area, then
/// larger width.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ranked {
    pub(crate) d: f64,
    pub(crate) size: Size,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        // `d` is a sum of squares of finite numbers: never NaN and never -0.0,
        // so `total_cmp` orders it exactly as `<` does.
        self.d
            .total_cmp(&other.d)
            .then_with(|| other.size.pixels().cmp(&self.size.pixels()))
            .then_with(|| other.size.width().cmp(&self.size.width()))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// Keeps the best sizes offered so far.
pub(crate) trait Collector {
    /// A size scoring strictly above this can no longer be kept.
    fn bound(&self) -> f64;
    /// Considers `size` with squared distance `d`.
    fn offer(&mut self, size: Size, d: f64);
}

/// Keeps the single best size.
#[derive(Default)]
pub(crate) struct Best(pub(crate) Option<Ranked>);

impl Collector for Best {
    #[inline]
    fn bound(&self) -> f64 {
        self.0.map_or(f64::INFINITY, |r| r.d)
    }

    #[inline]
    fn offer(&mut self, size: Size, d: f64) {
        let candidate = Ranked { d, size };
        if self.0.is_none_or(|best| candidate < best) {
            self.0 = Some(candidate);
        }
    }
}

/// Keeps the `k` best distinct sizes in a max-heap (the worst on top).
pub(crate) struct TopK {
    k: usize,
    heap: BinaryHeap<Ranked>,
}

impl TopK {
    pub(crate) fn new(k: usize) -> Self {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.min(64)),
        }
    }

    /// The kept sizes, best first.
    pub(crate) fn into_sorted(self) -> Vec<Ranked> {
        self.heap.into_sorted_vec()
    }
}

impl Collector for TopK {
    fn bound(&self) -> f64 {
        if self.heap.len() < self.k {
            f64::INFINITY
        } else {
            self.heap.peek().map_or(f64::INFINITY, |worst| worst.d)
        }
    }

    fn offer(&mut self, size: Size, d: f64) {
        let candidate = Ranked { d, size };
        let fits = self.heap.len() < self.k;
        if !fits && self.heap.peek().is_none_or(|worst| candidate >= *worst) {
            return;
        }
        // A list may name a size twice; keep it once.
        if self.heap.iter().any(|r| r.size == size) {
            return;
        }
        if !fits {
            self.heap.pop();
        }
        self.heap.push(candidate);
    }
}

/// Which sizes a search may keep, judged from their logarithms.
///
/// [`Everything`] keeps every size (the plain-distance search); [`Within`]
/// keeps the sizes whose shape error is at most a limit (the shape band);
/// [`Beyond`] keeps the others.
pub(crate) trait Filter: Copy {
    /// Judges the size whose logarithms are `lw`, `lh`.
    fn judge(self, lw: f64, lh: f64) -> Verdict;

    /// The rows where a column's walks begin: upward from the first, downward
    /// from the second. `j0` is the row nearest the anchor, in `jlo..=jhi`.
    #[inline]
    fn starts(
        self,
        _lw: f64,
        j0: u64,
        jlo: u64,
        _jhi: u64,
        _step: u64,
    ) -> (Option<u64>, Option<u64>) {
        (Some(j0), j0.checked_sub(1).filter(|&j| j >= jlo))
    }
}

/// What a [`Filter`] says about one size.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Verdict {
    /// The size may be kept.
    pub(crate) keep: bool,
    /// Neither this size nor any taller one of its column may be kept.
    pub(crate) none_taller: bool,
    /// Neither this size nor any shorter one of its column may be kept.
    pub(crate) none_shorter: bool,
}

/// Keeps every size.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Everything;

impl Filter for Everything {
    #[inline]
    fn judge(self, _lw: f64, _lh: f64) -> Verdict {
        Verdict {
            keep: true,
            none_taller: false,
            none_shorter: false,
        }
    }
}

/// Keeps the sizes with shape error at most `limit` against the aspect `a0`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Within {
    pub(crate) a0: f64,
    pub(crate) limit: f64,
}

impl Within {
    #[inline]
    fn t(self, lw: f64, step: u64, j: u64) -> f64 {
        shape::signed(lw, ln_px(edge(j, step)), self.a0)
    }
}

impl Filter for Within {
    #[inline]
    fn judge(self, lw: f64, lh: f64) -> Verdict {
        let t = shape::signed(lw, lh, self.a0);
        Verdict {
            keep: t.abs() <= self.limit,
            none_taller: t < -self.limit,
            none_shorter: t > self.limit,
        }
    }

    /// Like [`Everything`] when `j0` is inside the band; otherwise only the
    /// walk towards the band, from the first row inside it (found from an
    /// estimate, then corrected with the exact test, which is monotone in the
    /// row), or no walk when the column has no row inside.
    fn starts(self, lw: f64, j0: u64, jlo: u64, jhi: u64, step: u64) -> (Option<u64>, Option<u64>) {
        let t0 = self.t(lw, step, j0);
        if t0 > self.limit {
            // Too wide here: the band is taller. The first row with t <= limit.
            let guess = ((lw - self.a0 - self.limit).exp() / step as f64).ceil() as u64;
            let mut j = guess.clamp(j0 + 1, jhi.saturating_add(1));
            while j > j0 + 1 && self.t(lw, step, j - 1) <= self.limit {
                j -= 1;
            }
            while j <= jhi && self.t(lw, step, j) > self.limit {
                j += 1;
            }
            ((j <= jhi).then_some(j), None)
        } else if t0 < -self.limit {
            // Too tall here: the band is shorter. The last row with t >= -limit.
            // Non-negative, so `as` (truncating and saturating) is `floor`.
            let guess = ((lw - self.a0 + self.limit).exp() / step as f64) as u64;
            let mut j = guess.clamp(jlo.saturating_sub(1), j0 - 1);
            while j + 1 < j0 && self.t(lw, step, j + 1) >= -self.limit {
                j += 1;
            }
            while j >= jlo && j > 0 && self.t(lw, step, j) < -self.limit {
                j -= 1;
            }
            (None, (j >= jlo && j > 0).then_some(j))
        } else {
            Everything.starts(lw, j0, jlo, jhi, step)
        }
    }
}

/// Keeps the sizes with shape error above `limit` against the aspect `a0`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Beyond {
    pub(crate) a0: f64,
    pub(crate) limit: f64,
}

impl Filter for Beyond {
    #[inline]
    fn judge(self, lw: f64, lh: f64) -> Verdict {
        Verdict {
            keep: shape::error(lw, lh, self.a0) > self.limit,
            none_taller: false,
            none_shorter: false,
        }
    }
}

/// Offers every valid size of `policy` that `filter` keeps and that could
/// rank against `anchor`.
pub(crate) fn search<F: Filter, C: Collector>(
    policy: &SizePolicy,
    anchor: LogPoint,
    filter: F,
    out: &mut C,
) {
    if let Some(rule) = &policy.rule {
        search_rule(rule, anchor, filter, out);
    }
    for &size in &policy.list {
        if size.width() == 0 || size.height() == 0 || policy.rule.is_some_and(|r| r.allows(size)) {
            continue;
        }
        let p = LogPoint::of(size);
        if filter.judge(p.x, p.y).keep {
            out.offer(size, sq_dist(p.x - anchor.x, p.y - anchor.y));
        }
    }
}

/// The interval `jlo..=jhi` of row indices valid in the column of width `w`,
/// or `None` when the column is empty.
///
/// For a fixed `w` each part of [`SizeRule::check`] bounds `h` on one side:
/// `h >= ceil(min_pixels / w)`, `h <= floor(max_pixels / w)`, `h <= max_edge`,
/// and the ratio part `max(w, h) * rh <= min(w, h) * rw` is exactly
/// `ceil(w * rh / rw) <= h <= floor(w * rw / rh)` when `rw >= rh` (each side is
/// implied by the other case's inequality), and unsatisfiable when `rw < rh`.
/// `w` itself is a multiple of `s` no larger than `max_edge`. All products
/// stay below `2^64`.
pub(crate) fn rows(rule: &SizeRule, w: u64, step: u64, n: u64) -> Option<(u64, u64)> {
    let rw = u64::from(rule.max_ratio.width());
    let rh = u64::from(rule.max_ratio.height());
    if rw < rh || w == 0 {
        return None;
    }
    let lo = rule.min_pixels.div_ceil(w).max((w * rh).div_ceil(rw));
    let hi = (rule.max_pixels / w)
        .min(w * rw / rh)
        .min(u64::from(rule.max_edge));
    let jlo = lo.div_ceil(step).max(1);
    let jhi = (hi / step).min(n);
    (jlo <= jhi).then_some((jlo, jhi))
}

/// The index `floor(e^v / step)` clamped into `lo..=hi`; `as` saturates, so
/// huge or tiny values land on the ends.
#[inline]
pub(crate) fn start_index(v: f64, step: u64, lo: u64, hi: u64) -> u64 {
    // `e^v / step` is never negative (or NaN), so the truncating `as` is `floor`.
    let ideal = (v.exp() / step as f64) as u64;
    ideal.clamp(lo, hi)
}

/// The edge `j * step` in pixels; every index the searches use keeps it at
/// most `max_edge`, a `u32`.
#[inline]
fn edge(j: u64, step: u64) -> u32 {
    u32::try_from(j * step).unwrap_or(u32::MAX)
}

/// Whether a walk may stop here: on the far side of the anchor (`far`) with a
/// lower bound strictly above what can still be kept.
#[inline]
fn done<C: Collector>(far: bool, lower: f64, out: &C) -> bool {
    far && lower > out.bound()
}

fn search_rule<F: Filter, C: Collector>(rule: &SizeRule, a: LogPoint, filter: F, out: &mut C) {
    let step = u64::from(rule.multiple.max(1));
    let n = u64::from(rule.max_edge) / step;
    if n == 0 {
        return;
    }
    let start = start_index(a.x, step, 1, n);
    let mut i = start;
    loop {
        if column(rule, i, step, n, a, true, filter, out) || i >= n {
            break;
        }
        i += 1;
    }
    let mut i = start;
    while i > 1 {
        i -= 1;
        if column(rule, i, step, n, a, false, filter, out) {
            break;
        }
    }
}

/// Whether no column from `w` on, in the walk's direction, has a row that
/// `filter` keeps: none has a valid row at all, or (for the shape band) none
/// has one inside the band.
///
/// Rightward: every valid height of a column `w' >= w` is at most
/// `cap = min(max_edge, max_pixels / w)` rounded down to the lattice, so its
/// aspect is at least `ln w - ln cap`; when even that is too wide for the
/// band, so is everything to the right. Leftward, with the pixel floor
/// `ceil(min_pixels / w)` rounded up to the lattice, the mirror argument.
/// Rounding is monotone, so the computed aspects keep these orders.
#[cold]
fn exhausted<F: Filter>(
    rule: &SizeRule,
    w: u64,
    step: u64,
    n: u64,
    lw: f64,
    rightward: bool,
    filter: F,
) -> bool {
    if rightward {
        let cap = n.min(rule.max_pixels / w / step);
        cap == 0 || filter.judge(lw, ln_px(edge(cap, step))).none_shorter
    } else {
        let floor = rule.min_pixels.div_ceil(w).div_ceil(step).max(1);
        floor > n || filter.judge(lw, ln_px(edge(floor, step))).none_taller
    }
}

/// Offers the rows of column `i` that `filter` keeps and that could rank;
/// `true` when the column walk in direction `rightward` may stop here.
#[inline]
#[allow(clippy::too_many_arguments)]
fn column<F: Filter, C: Collector>(
    rule: &SizeRule,
    i: u64,
    step: u64,
    n: u64,
    a: LogPoint,
    rightward: bool,
    filter: F,
    out: &mut C,
) -> bool {
    let width = edge(i, step);
    let lw = ln_px(width);
    let dx = lw - a.x;
    let far = if rightward { dx >= 0.0 } else { dx <= 0.0 };
    if done(far, dx * dx, out) {
        return true;
    }
    let Some((jlo, jhi)) = rows(rule, i * step, step, n) else {
        return exhausted(rule, i * step, step, n, lw, rightward, filter);
    };
    let j0 = start_index(a.y, step, jlo, jhi);
    let (up, down) = filter.starts(lw, j0, jlo, jhi, step);
    if up.is_none() && down.is_none() {
        return exhausted(rule, i * step, step, n, lw, rightward, filter);
    }
    if let Some(mut j) = up {
        loop {
            let h = edge(j, step);
            let lh = ln_px(h);
            let verdict = filter.judge(lw, lh);
            if verdict.none_taller {
                break;
            }
            let dy = lh - a.y;
            let d = sq_dist(dx, dy);
            if verdict.keep {
                out.offer(Size::new(width, h), d);
            }
            if done(dy >= 0.0, d, out) || j >= jhi {
                break;
            }
            j += 1;
        }
    }
    if let Some(mut j) = down {
        loop {
            let h = edge(j, step);
            let lh = ln_px(h);
            let verdict = filter.judge(lw, lh);
            if verdict.none_shorter {
                break;
            }
            let dy = lh - a.y;
            let d = sq_dist(dx, dy);
            if verdict.keep {
                out.offer(Size::new(width, h), d);
            }
            if done(dy <= 0.0, d, out) || j <= jlo {
                break;
            }
            j -= 1;
        }
    }
    false
}
