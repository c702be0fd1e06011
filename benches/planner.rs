//! The planner's searches on the same targets: the shape-keeping nearest
//! (new), the plain-distance nearest (old), the exact shape band alone, and
//! the exhaustive reference, plus `for_aspect` top-3.
//!
//! `cargo bench --bench planner -- --quick`. Each `nearest` benchmark answers
//! every target of one set per iteration; the throughput line gives queries
//! per second, and the time divided by the set size gives time per query.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gpt_image_plan::planner::{self, LogPoint, Reference, Target};
use gpt_image_plan::{AspectRatio, ModelRules, Size, Tier, builtin_profile};

fn rules(profile: &str, model: &str) -> &'static ModelRules {
    &builtin_profile(profile)
        .and_then(|p| p.model(model))
        .expect("built-in model")
        .rules
}

/// 64 targets from 1 to 4200 px on both axes, most edges not multiples of 16,
/// some below, inside and above the rule's range.
fn targets() -> Vec<LogPoint> {
    let mut out = Vec::new();
    for w in (1..=4200u32).step_by(563) {
        for h in (1..=4200u32).step_by(563) {
            out.push(LogPoint::of(Size::new(w, h)));
        }
    }
    out
}

fn nearest(c: &mut Criterion) {
    let policy = &rules("openai", "gpt-image-2").sizes;
    let points = targets();
    let reference = Reference::new(policy);
    for &p in &points {
        assert_eq!(
            planner::nearest_point(policy, p),
            reference.nearest(p),
            "fast and plain loop disagree at {p:?}"
        );
        assert_eq!(
            planner::nearest_point(policy, p),
            planner::nearest_exhaustive(policy, p)
        );
        assert_eq!(
            planner::nearest_point_by_distance(policy, p),
            reference.nearest_by_distance(p)
        );
    }
    let mut group = c.benchmark_group("nearest/gpt-image-2");
    group.throughput(Throughput::Elements(points.len() as u64));
    group.bench_function("new: keeps the shape (nearest_point)", |b| {
        b.iter(|| {
            for &p in &points {
                black_box(planner::nearest_point(policy, black_box(p)));
            }
        })
    });
    group.bench_function("old: plain distance (nearest_point_by_distance)", |b| {
        b.iter(|| {
            for &p in &points {
                black_box(planner::nearest_point_by_distance(policy, black_box(p)));
            }
        })
    });
    group.bench_function("shape band only (A*, exact)", |b| {
        b.iter(|| {
            for &p in &points {
                black_box(planner::shape_band(policy, black_box(p)));
            }
        })
    });
    group.bench_function("anchor only", |b| {
        b.iter(|| {
            for &p in &points {
                black_box(planner::anchor(policy, black_box(p)));
            }
        })
    });
    group.bench_function("plain loop, sizes listed once", |b| {
        b.iter(|| {
            for &p in &points {
                black_box(reference.nearest(black_box(p)));
            }
        })
    });
    group.sample_size(10);
    group.bench_function("nearest_exhaustive", |b| {
        b.iter(|| {
            for &p in &points {
                black_box(planner::nearest_exhaustive(policy, black_box(p)));
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("nearest/lists");
    group.throughput(Throughput::Elements(points.len() as u64));
    for (profile, model) in [("uniall", "gpt-image-2-origin"), ("openai", "gpt-image-1")] {
        let policy = &rules(profile, model).sizes;
        group.bench_function(format!("{profile}/{model}"), |b| {
            b.iter(|| {
                for &p in &points {
                    black_box(planner::nearest_point(policy, black_box(p)));
                }
            })
        });
        group.bench_function(format!("{profile}/{model}, plain distance"), |b| {
            b.iter(|| {
                for &p in &points {
                    black_box(planner::nearest_point_by_distance(policy, black_box(p)));
                }
            })
        });
    }
    group.finish();
}

fn top_k(c: &mut Criterion) {
    let rules = rules("openai", "gpt-image-2");
    let ratios: Vec<AspectRatio> = ["1:1", "16:9", "9:16", "3:2", "4:3", "21:9", "2:1", "3:1"]
        .iter()
        .map(|r| r.parse().expect("ratio"))
        .collect();
    let mut group = c.benchmark_group("for_aspect");
    group.throughput(Throughput::Elements(ratios.len() as u64 * 3));
    group.bench_function("top-3, 8 ratios x 1K/2K/4K", |b| {
        b.iter(|| {
            for &r in &ratios {
                for tier in [Tier::K1, Tier::K2, Tier::K4] {
                    black_box(
                        planner::for_aspect(rules, black_box(r), Target::Tier(tier), 3)
                            .expect("plans"),
                    );
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, nearest, top_k);
criterion_main!(benches);
