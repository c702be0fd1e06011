//! The size planner: nearest sizes, sizes for an aspect ratio, presets and
//! named ratios, with the fast searches checked against the plain loop.

use std::sync::LazyLock;

use gpt_image_plan::planner::{
    self, Candidate, LogPoint, PlanError, PresetQuery, Reference, Target,
};
use gpt_image_plan::{
    AspectRatio, ModelRules, Orientation, Size, SizePolicy, SizeRule, Tier, builtin_profile,
    builtin_profiles,
};
use proptest::prelude::*;

fn rules(profile: &str, model: &str) -> &'static ModelRules {
    &builtin_profile(profile)
        .and_then(|p| p.model(model))
        .unwrap_or_else(|| panic!("built-in {profile}/{model}"))
        .rules
}

/// The gpt-image-2 rule alone, as OpenAI serves it.
fn gpt_image_2() -> &'static ModelRules {
    rules("openai", "gpt-image-2")
}

static RULE_REFERENCE: LazyLock<Reference<'static>> =
    LazyLock::new(|| Reference::new(&gpt_image_2().sizes));

/// Every other size policy of the built-in profiles, each with its reference:
/// every distinct rule and list, except the plain gpt-image-2 rule that
/// [`RULE_REFERENCE`] covers. (`auto` and the experimental limit do not change
/// what the planner finds.)
static LIST_POLICIES: LazyLock<Vec<(String, &'static SizePolicy, Reference<'static>)>> =
    LazyLock::new(|| {
        let same = |a: &SizePolicy, b: &SizePolicy| a.rule == b.rule && a.list == b.list;
        let mut out: Vec<(String, &'static SizePolicy, Reference<'static>)> = Vec::new();
        for profile in builtin_profiles() {
            for served in &profile.models {
                let policy = &served.rules.sizes;
                if same(policy, &gpt_image_2().sizes) {
                    continue;
                }
                if out.iter().all(|(_, p, _)| !same(p, policy)) {
                    let name = format!("{}/{}", profile.id, served.name);
                    out.push((name, policy, Reference::new(policy)));
                }
            }
        }
        out
    });

fn size(text: &str) -> Size {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn ratio(text: &str) -> AspectRatio {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[track_caller]
fn assert_nearest(policy: &SizePolicy, target: &str, expected: &str) {
    assert_eq!(
        planner::nearest(policy, size(target)),
        Some(size(expected)),
        "nearest to {target}"
    );
}

#[track_caller]
fn assert_fast_matches_reference(
    name: &str,
    policy: &SizePolicy,
    reference: &Reference<'_>,
    p: LogPoint,
) {
    let fast = planner::nearest_point(policy, p);
    assert_eq!(fast, reference.nearest(p), "{name}: nearest to {p:?}");
    if let Some(found) = fast {
        assert!(policy.allows(found), "{name}: {found} is not valid");
    }
}

#[track_caller]
fn assert_top_k_matches_reference(
    name: &str,
    policy: &SizePolicy,
    reference: &Reference<'_>,
    p: LogPoint,
    k: usize,
) {
    let fast = planner::nearest_k(policy, p, k);
    assert_eq!(fast, reference.nearest_k(p, k), "{name}: top {k} for {p:?}");
    assert_eq!(
        fast.len(),
        k.min(reference.len()),
        "{name}: top {k} for {p:?}"
    );
}

/// Candidates come in the order of the definition: those that keep the
/// shape of `ideal` first, each group by distance to the anchor.
#[track_caller]
fn assert_ranked_by_shape_then_distance(rules: &ModelRules, ideal: LogPoint, top: &[Candidate]) {
    let band = planner::shape_band(&rules.sizes, ideal).unwrap();
    for pair in top.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (ka, kb) = (band.contains(a.size), band.contains(b.size));
        assert!(ka >= kb, "{} before {}: shape", a.size, b.size);
        if ka == kb {
            assert!(
                a.anchor_distance <= b.anchor_distance,
                "{} before {}: distance",
                a.size,
                b.size
            );
        }
    }
}

fn sizes_of(candidates: &[Candidate]) -> Vec<String> {
    candidates.iter().map(|c| c.size.to_string()).collect()
}

// ---------------------------------------------------------------------------
// The issue's examples.

#[test]
fn nearest_under_the_gpt_image_2_rule_matches_the_issue_examples() {
    let policy = &gpt_image_2().sizes;
    assert_nearest(policy, "1920x1080", "1920x1088");
    assert_nearest(policy, "1000x1000", "1008x1008");
    assert_nearest(policy, "100x100", "816x816");
    assert_nearest(policy, "4000x4000", "2880x2880");
}

#[test]
fn nearest_keeps_the_shape_on_a_sparse_list() {
    // Issue 16: seed 001's 18 listed sizes.
    let policy = &rules("enum-sizes", "gpt-image-2").sizes;
    assert_nearest(policy, "1920x1080", "2048x1152");
    assert_nearest(policy, "1280x720", "2048x1152");
    assert_nearest(policy, "1600x1200", "2048x1536");
    assert_nearest(policy, "3000x2000", "2048x1360");
}

#[test]
fn nearest_keeps_the_shape_at_uniall_origin() {
    let policy = &rules("uniall", "gpt-image-2-origin").sizes;
    assert_nearest(policy, "3000x2000", "3504x2336");
}

#[test]
fn nearest_keeps_the_shape_at_the_corners_of_the_gpt_image_2_rule() {
    let policy = &gpt_image_2().sizes;
    // 2.44:1 with too many pixels and too long an edge: 3840x1600 keeps it,
    // where plain distance went to the 16:9 corner.
    assert_nearest(policy, "12762x5230", "3840x1600");
    // 4:1 is past the rule's 3:1; 3840x1296 (2.96:1) is within 2 % of 3:1.
    assert_nearest(policy, "8645x2135", "3840x1296");
    // Shapes the rule can give stay where plain distance put them.
    assert_nearest(policy, "1920x1080", "1920x1088");
    assert_nearest(policy, "100x100", "816x816");
    assert_nearest(policy, "4000x4000", "2880x2880");
}

#[test]
fn the_plain_distance_answer_stays_available_as_an_option() {
    let listed = &rules("enum-sizes", "gpt-image-2").sizes;
    let by_distance = |policy: &SizePolicy, t: &str| {
        planner::nearest_by_distance(policy, size(t)).map(|s| s.to_string())
    };
    assert_eq!(
        by_distance(listed, "1920x1080").as_deref(),
        Some("2048x1024")
    );
    assert_eq!(
        by_distance(listed, "1280x720").as_deref(),
        Some("1536x1024")
    );
    assert_eq!(
        by_distance(listed, "1600x1200").as_deref(),
        Some("1536x1024")
    );
    assert_eq!(
        by_distance(listed, "3000x2000").as_deref(),
        Some("3840x2160")
    );
    let origin = &rules("uniall", "gpt-image-2-origin").sizes;
    assert_eq!(
        by_distance(origin, "3000x2000").as_deref(),
        Some("2560x2048")
    );
    let rule = &gpt_image_2().sizes;
    assert_eq!(
        by_distance(rule, "12762x5230").as_deref(),
        Some("3840x2160")
    );
    assert_eq!(by_distance(rule, "8645x2135").as_deref(), Some("3840x2128"));
    assert_eq!(by_distance(rule, "1920x1080").as_deref(), Some("1920x1088"));
}

#[test]
fn for_aspect_under_the_gpt_image_2_rule_matches_the_issue_examples() {
    let rules = gpt_image_2();
    let best = |r: &str, t: Tier| {
        planner::for_aspect(rules, ratio(r), Target::Tier(t), 1).unwrap()[0].size
    };
    assert_eq!(best("16:9", Tier::K2), size("2048x1152"));
    assert_eq!(best("21:9", Tier::K2), size("2048x880"));
    assert_eq!(best("1:1", Tier::K4), size("2880x2880"));
}

#[test]
fn seed_001_named_2k_sizes_come_out_of_the_rule_alone() {
    // Seed 001 names these sizes; for_aspect at 2K must find each from the
    // gpt-image-2 rule with no list, for the ratio the seed gives it.
    let expected = [
        ("1:1", "2048x2048"),
        ("16:9", "2048x1152"),
        ("9:16", "1152x2048"),
        ("3:2", "2048x1360"),
        ("2:3", "1360x2048"),
        ("4:3", "2048x1536"),
        ("3:4", "1536x2048"),
        ("21:9", "2048x880"),
        ("9:21", "880x2048"),
        ("2:1", "2048x1024"),
        ("1:2", "1024x2048"),
        ("3:1", "2048x688"),
        ("1:3", "688x2048"),
    ];
    let rule_only = SizePolicy {
        rule: Some(SizeRule::GPT_IMAGE_2),
        ..SizePolicy::default()
    };
    let seed = &rules("enum-sizes", "gpt-image-2").sizes;
    for (r, want) in expected {
        assert!(
            seed.list.contains(&size(want)),
            "{want} is in seed 001's list"
        );
        let ideal = planner::ideal_point(ratio(r), Target::Tier(Tier::K2)).unwrap();
        assert_eq!(
            planner::nearest_point(&rule_only, ideal),
            Some(size(want)),
            "{r} at 2K"
        );
        let top = planner::for_aspect(gpt_image_2(), ratio(r), Target::Tier(Tier::K2), 3).unwrap();
        assert_eq!(top[0].size, size(want), "{r} at 2K");
    }
}

// ---------------------------------------------------------------------------
// Fast equals the plain loop.

#[test]
fn fast_nearest_equals_the_reference_on_a_grid_under_the_rule() {
    // 350 x 350 = 122,500 targets from 1 to 4189 in steps of 12: most edges are
    // not multiples of 16, many are below, inside and above the rule's range.
    let policy = &gpt_image_2().sizes;
    let mut count = 0;
    for w in (1..=4200u32).step_by(12) {
        for h in (1..=4200u32).step_by(12) {
            let p = LogPoint::of(Size::new(w, h));
            assert_fast_matches_reference("gpt-image-2", policy, &RULE_REFERENCE, p);
            count += 1;
        }
    }
    assert_eq!(count, 122_500);
}

#[test]
fn fast_nearest_equals_the_reference_on_a_grid_for_every_other_built_in_policy() {
    let names: Vec<&str> = LIST_POLICIES.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "openai/gpt-image-1.5",
            "openai/dall-e-3",
            "openai/dall-e-2",
            "enum-sizes/gpt-image-2",
            "uniall/gpt-image-2-origin",
            "uniall/gpt-image-2-auto",
            "azure-openai/gpt-image-2",
            "kie/gpt-image-2",
        ]
    );
    for (name, policy, reference) in LIST_POLICIES.iter() {
        for w in (1..=4200u32).step_by(12) {
            for h in (1..=4200u32).step_by(12) {
                let p = LogPoint::of(Size::new(w, h));
                assert_fast_matches_reference(name, policy, reference, p);
            }
        }
    }
}

#[test]
fn fast_shape_band_equals_the_reference_on_a_grid() {
    let check = |name: &str, policy: &SizePolicy, reference: &Reference<'_>, step: usize| {
        for w in (1..=4200u32).step_by(step) {
            for h in (1..=4200u32).step_by(step) {
                let p = LogPoint::of(Size::new(w, h));
                assert_eq!(
                    planner::shape_band(policy, p),
                    reference.shape_band(p),
                    "{name}: {w}x{h}"
                );
            }
        }
    };
    check("gpt-image-2", &gpt_image_2().sizes, &RULE_REFERENCE, 29);
    for (name, policy, reference) in LIST_POLICIES.iter() {
        check(name, policy, reference, 29);
    }
}

#[test]
fn plain_distance_search_equals_its_reference_on_a_grid() {
    let check = |name: &str, policy: &SizePolicy, reference: &Reference<'_>| {
        for w in (1..=4200u32).step_by(37) {
            for h in (1..=4200u32).step_by(37) {
                let p = LogPoint::of(Size::new(w, h));
                assert_eq!(
                    planner::nearest_point_by_distance(policy, p),
                    reference.nearest_by_distance(p),
                    "{name}: {w}x{h}"
                );
                assert_eq!(
                    planner::nearest_k_by_distance(policy, p, 4),
                    reference.nearest_k_by_distance(p, 4),
                    "{name}: {w}x{h}"
                );
            }
        }
    };
    check("gpt-image-2", &gpt_image_2().sizes, &RULE_REFERENCE);
    for (name, policy, reference) in LIST_POLICIES.iter() {
        check(name, policy, reference);
    }
}

#[test]
fn a_size_exactly_two_percent_off_the_best_shape_keeps_it() {
    // 1632x1600 is exactly 51:50, 2 % wider than the square 3200x3200; from
    // 1000x1000 it is nearer, so it wins. 1648x1600 (3 % wider) does not.
    let policy = |other: &str| SizePolicy {
        list: vec![size("3200x3200"), size(other)],
        ..SizePolicy::default()
    };
    let target = LogPoint::of(size("1000x1000"));
    let edge = policy("1632x1600");
    assert_eq!(
        planner::nearest_point(&edge, target),
        Some(size("1632x1600"))
    );
    assert_eq!(
        Reference::new(&edge).nearest(target),
        Some(size("1632x1600"))
    );
    let past = policy("1648x1600");
    assert_eq!(
        planner::nearest_point(&past, target),
        Some(size("3200x3200"))
    );
    assert_eq!(
        Reference::new(&past).nearest(target),
        Some(size("3200x3200"))
    );
    // The same edge on the rule's lattice: a square target's band holds 1632x1600.
    let band = planner::shape_band(&gpt_image_2().sizes, target).unwrap();
    assert_eq!(band.best, 0.0);
    assert!(band.contains(size("1632x1600")) && band.contains(size("1600x1632")));
    assert!(!band.contains(size("1648x1600")));
}

#[test]
fn the_shape_tolerance_is_ln_1_02() {
    assert_eq!(planner::SHAPE_TOLERANCE, 1.02f64.ln());
    assert_eq!(planner::SHAPE_TOLERANCE, (51.0f64 / 50.0).ln());
}

#[test]
fn the_best_suggestion_is_the_nearest_size_for_its_ideal_point() {
    let ratios = [
        "1:1",
        "5:4",
        "4:3",
        "3:2",
        "16:10",
        "16:9",
        "2:1",
        "21:9",
        "3:1",
        "4:1",
        "9:16",
        "2:3",
        "1:3",
        "1:5",
        "12762:5230",
    ];
    let targets = [
        Target::Tier(Tier::K1),
        Target::Tier(Tier::K2),
        Target::Tier(Tier::K4),
        Target::LongEdge(500),
        Target::LongEdge(12762),
        Target::Pixels(300_000),
        Target::Pixels(20_000_000),
    ];
    let mut models: Vec<(&str, &ModelRules)> = vec![("gpt-image-2", gpt_image_2())];
    models.push(("enum-sizes", rules("enum-sizes", "gpt-image-2")));
    models.push(("uniall origin", rules("uniall", "gpt-image-2-origin")));
    models.push(("dall-e-3", rules("openai", "dall-e-3")));
    for (name, model) in models {
        for r in ratios {
            for t in targets {
                let ideal = planner::ideal_point(ratio(r), t).unwrap();
                let top = planner::for_aspect(model, ratio(r), t, 3).unwrap();
                assert_eq!(
                    Some(top[0].size),
                    planner::nearest_point(&model.sizes, ideal),
                    "{name}: {r} at {t}"
                );
                assert_ranked_by_shape_then_distance(model, ideal, &top);
            }
        }
    }
    // 12762x5230's ratio at its pixel count is the issue's example: the best
    // suggestion keeps the 2.44:1 shape where the 16:9 corner is nearer.
    let pixels = Target::Pixels(12762 * 5230);
    let wide = planner::for_aspect(gpt_image_2(), ratio("12762:5230"), pixels, 3).unwrap();
    assert_eq!(sizes_of(&wide), ["3840x1600", "3840x1584", "3824x1584"]);
}

#[test]
fn fast_top_k_equals_the_reference_on_a_grid() {
    let policy = &gpt_image_2().sizes;
    for w in (1..=4200u32).step_by(131) {
        for h in (1..=4200u32).step_by(131) {
            let p = LogPoint::of(Size::new(w, h));
            for k in [1, 2, 3, 7, 20] {
                assert_top_k_matches_reference("gpt-image-2", policy, &RULE_REFERENCE, p, k);
            }
        }
    }
    for (name, policy, reference) in LIST_POLICIES.iter() {
        for w in (1..=4200u32).step_by(97) {
            for h in (1..=4200u32).step_by(97) {
                let p = LogPoint::of(Size::new(w, h));
                for k in [1, 3, 10, 100] {
                    assert_top_k_matches_reference(name, policy, reference, p, k);
                }
            }
        }
    }
}

#[test]
fn every_valid_size_is_its_own_nearest_point() {
    let policy = &gpt_image_2().sizes;
    assert_eq!(RULE_REFERENCE.len(), 29_146);
    for w in (16..=3840u32).step_by(16) {
        for h in (16..=3840u32).step_by(16) {
            let s = Size::new(w, h);
            if policy.allows(s) {
                assert_eq!(planner::nearest_point(policy, LogPoint::of(s)), Some(s));
                assert_eq!(planner::nearest(policy, s), Some(s));
            }
        }
    }
    for (name, policy, _) in LIST_POLICIES.iter() {
        for &s in &policy.list {
            assert_eq!(planner::nearest(policy, s), Some(s), "{name}");
            assert_eq!(
                planner::nearest_point(policy, LogPoint::of(s)),
                Some(s),
                "{name}"
            );
        }
    }
}

#[test]
fn ties_go_to_the_larger_area_then_the_larger_width() {
    // From 1000x1000, 1000x2000 and 2000x1000 are both ln 2 away (the same
    // two squares added in the other order), with the same area: the wider wins.
    let policy = SizePolicy {
        list: vec![
            size("500x2000"),
            size("1000x2000"),
            size("2000x1000"),
            size("2000x500"),
        ],
        ..SizePolicy::default()
    };
    let p = LogPoint::of(size("1000x1000"));
    assert_eq!(planner::nearest_point(&policy, p), Some(size("2000x1000")));
    assert_eq!(
        planner::nearest_k(&policy, p, 4),
        [
            size("2000x1000"),
            size("1000x2000"),
            size("2000x500"),
            size("500x2000")
        ]
    );
    // Halfway between 500x500 and 2000x2000 in log space: the larger area wins.
    let policy = SizePolicy {
        list: vec![size("500x500"), size("2000x2000")],
        ..SizePolicy::default()
    };
    let mid = 0.5 * (500f64.ln() + 2000f64.ln());
    let p = LogPoint { x: mid, y: mid };
    assert_eq!(
        LogPoint::of(size("500x500")).distance_sq(p),
        LogPoint::of(size("2000x2000")).distance_sq(p),
        "an exact tie"
    );
    assert_eq!(planner::nearest_point(&policy, p), Some(size("2000x2000")));
    assert_eq!(
        planner::nearest_k(&policy, p, 2),
        [size("2000x2000"), size("500x500")]
    );
    // On the rule's lattice: halfway between heights 1008 and 1024.
    let rule = &gpt_image_2().sizes;
    let p = LogPoint {
        x: 1024f64.ln(),
        y: 0.5 * (1008f64.ln() + 1024f64.ln()),
    };
    assert_eq!(
        LogPoint::of(size("1024x1008")).distance_sq(p),
        LogPoint::of(size("1024x1024")).distance_sq(p),
        "an exact tie"
    );
    assert_eq!(planner::nearest_point(rule, p), Some(size("1024x1024")));
    assert_eq!(RULE_REFERENCE.nearest(p), Some(size("1024x1024")));
    assert_eq!(
        planner::nearest_k(rule, p, 2),
        [size("1024x1024"), size("1024x1008")]
    );
}

// ---------------------------------------------------------------------------
// Odd inputs: zero, huge, not finite, empty policies.

#[test]
fn zero_and_huge_targets_get_defined_answers() {
    let policy = &gpt_image_2().sizes;
    assert_nearest(policy, "0x0", "816x816");
    assert_nearest(policy, "4294967295x4294967295", "2880x2880");
    // All long and no short: the 3:1 corner at the pixel ceiling.
    assert_nearest(policy, "4294967295x0", "3840x1280");
    assert_nearest(policy, "0x4294967295", "1280x3840");
    // Far past 1:3: near the corner of the 1:3 edge and the pixel floor,
    // within 2 % of 1:3 (480x1408 is 2.2 % off, so no longer).
    assert_nearest(policy, "1x1000", "480x1424");
    assert_eq!(
        planner::nearest(policy, size("4294967295x4294967295")),
        planner::nearest_exhaustive(policy, LogPoint::of(size("4294967295x4294967295")))
    );
}

#[test]
fn points_that_are_not_finite_or_too_far_get_no_answer() {
    let policy = &gpt_image_2().sizes;
    for p in [
        LogPoint {
            x: f64::NAN,
            y: 7.0,
        },
        LogPoint {
            x: 7.0,
            y: f64::INFINITY,
        },
        LogPoint { x: 1e300, y: 7.0 },
        LogPoint { x: 7.0, y: -1001.0 },
    ] {
        assert_eq!(planner::nearest_point(policy, p), None);
        assert_eq!(planner::nearest_exhaustive(policy, p), None);
        assert!(planner::nearest_k(policy, p, 3).is_empty());
    }
    let err = planner::candidates(
        gpt_image_2(),
        LogPoint {
            x: f64::NAN,
            y: 1.0,
        },
        3,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "point (NaN, 1): log-space coordinates must be finite and at most 1000 in magnitude"
    );
    // The edge of the range still plans.
    let edge = LogPoint {
        x: 1000.0,
        y: -1000.0,
    };
    assert_eq!(planner::nearest_point(policy, edge), Some(size("1424x480")));
}

#[test]
fn zero_targets_are_an_error_naming_what_is_zero() {
    let rules = gpt_image_2();
    let err = planner::for_aspect(rules, ratio("16:9"), Target::LongEdge(0), 3).unwrap_err();
    assert_eq!(
        err,
        PlanError::ZeroTarget {
            target: Target::LongEdge(0)
        }
    );
    assert_eq!(
        err.to_string(),
        "target \"long:0\": the long edge must be at least 1"
    );
    let err = planner::for_aspect(rules, ratio("16:9"), Target::Pixels(0), 3).unwrap_err();
    assert_eq!(
        err.to_string(),
        "target \"pixels:0\": the pixel count must be at least 1"
    );
}

#[test]
fn absurd_targets_plan_to_the_edge_of_the_rule() {
    let rules = gpt_image_2();
    let top = |r: &str, t: Target| sizes_of(&planner::for_aspect(rules, ratio(r), t, 1).unwrap());
    assert_eq!(top("1:1", Target::LongEdge(u32::MAX)), ["2880x2880"]);
    assert_eq!(top("1:1", Target::Pixels(u64::MAX)), ["2880x2880"]);
    assert_eq!(top("1:1", Target::LongEdge(1)), ["816x816"]);
    // Far past 3:1, the projection goes to the corner where the 3:1 edge meets
    // the pixel floor (about 1402x467), not along the long edge: that corner
    // is the closest point of the region in log space. The nearest size there
    // within 2 % of 3:1 is 1424x480 (2.97:1); 1408x480 (2.93:1) is not.
    assert_eq!(top("4294967295:1", Target::Tier(Tier::K2)), ["1424x480"]);
    assert_eq!(top("1:4294967295", Target::Pixels(1)), ["480x1424"]);
}

#[test]
fn a_model_with_only_auto_has_no_sizes_to_plan() {
    let rules = rules("uniall", "gpt-image-2-auto");
    let err = planner::for_aspect(rules, ratio("1:1"), Target::Tier(Tier::K1), 3).unwrap_err();
    assert_eq!(err, PlanError::NoSizes);
    assert_eq!(err.to_string(), "no explicit size is valid for this model");
    assert_eq!(planner::nearest(&rules.sizes, size("1024x1024")), None);
    assert_eq!(
        planner::for_aspect(rules, ratio("1:1"), Target::Tier(Tier::K1), 0),
        Ok(vec![])
    );
}

#[test]
fn k_larger_than_the_list_returns_every_size_once() {
    let policy = &rules("enum-sizes", "gpt-image-2").sizes;
    let all = planner::nearest_k(policy, LogPoint::of(size("1024x1024")), usize::MAX);
    assert_eq!(all.len(), 18);
    assert_eq!(all[0], size("1024x1024"));
    let mut distinct = all.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 18);
}

#[test]
fn a_list_naming_a_size_twice_ranks_it_once() {
    let policy = SizePolicy {
        list: vec![size("1024x1024"), size("1024x1024"), size("1536x1024")],
        ..SizePolicy::default()
    };
    let top = planner::nearest_k(&policy, LogPoint::of(size("1000x1000")), 3);
    assert_eq!(top, [size("1024x1024"), size("1536x1024")]);
}

#[test]
fn strange_rules_never_panic_and_still_match_the_reference() {
    let base = SizeRule::GPT_IMAGE_2;
    let strange = [
        // A ratio below 1:1 allows nothing.
        SizeRule {
            max_ratio: ratio("1:3"),
            ..base
        },
        // No multiple: every edge.
        SizeRule {
            multiple: 0,
            max_edge: 200,
            min_pixels: 0,
            max_pixels: 40_000,
            ..base
        },
        // Pixel floor above what the edges allow: empty.
        SizeRule {
            min_pixels: u64::MAX,
            ..base
        },
        // No pixel limits at all, coarse lattice.
        SizeRule {
            multiple: 256,
            min_pixels: 0,
            max_pixels: 0,
            ..base
        },
        SizeRule {
            multiple: 64,
            min_pixels: 0,
            max_pixels: u64::MAX,
            ..base
        },
        // A multiple larger than the longest edge.
        SizeRule {
            multiple: 5000,
            ..base
        },
        // A 1:1 rule: squares only.
        SizeRule {
            max_ratio: ratio("1:1"),
            ..base
        },
    ];
    for rule in strange {
        let policy = SizePolicy {
            rule: Some(rule),
            list: vec![size("0x0"), size("100x7000")],
            ..SizePolicy::default()
        };
        let reference = Reference::new(&policy);
        for w in (1..=8000u32).step_by(397) {
            for h in (1..=8000u32).step_by(397) {
                let p = LogPoint::of(Size::new(w, h));
                assert_fast_matches_reference("strange", &policy, &reference, p);
                assert_top_k_matches_reference("strange", &policy, &reference, p, 4);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Candidates: what they say.

#[test]
fn candidates_carry_ratio_pixels_orientation_distance_tier_and_label() {
    let origin = rules("uniall", "gpt-image-2-origin");
    let top = planner::for_aspect(origin, ratio("16:9"), Target::Tier(Tier::K2), 3).unwrap();
    // The 16:9 sizes first (within 2 % of the shape), nearest first; 2:1 no longer.
    assert_eq!(sizes_of(&top), ["2048x1152", "1920x1080", "2560x1440"]);
    let best = &top[0];
    assert_eq!(best.ratio, ratio("16:9"));
    assert_eq!(best.named_ratio.ratio.to_string(), "16:9");
    assert_eq!(best.pixels, 2_359_296);
    assert_eq!(best.orientation, Orientation::Landscape);
    assert_eq!(best.distance, 0.0);
    assert_eq!(best.anchor_distance, 0.0);
    assert_eq!(best.tier, Some(Tier::K2));
    assert!(best.preset);
    assert_eq!(best.label.as_deref(), Some("2K 16:9 landscape"));
    let second = &top[1];
    assert_eq!(second.ratio, ratio("16:9"));
    assert!((second.distance - (2048f64 / 1920.0).ln() * 2f64.sqrt()).abs() < 1e-12);
}

#[test]
fn candidates_under_the_rule_are_ranked_distinct_and_valid() {
    let rules = gpt_image_2();
    let top = planner::for_aspect(rules, ratio("21:9"), Target::Tier(Tier::K2), 5).unwrap();
    assert_eq!(
        sizes_of(&top),
        // Log distance is not symmetric in pixels: 2064 is nearer 2048 than 2032 is.
        ["2048x880", "2064x880", "2032x880", "2080x880", "2048x864"]
    );
    let ideal = planner::ideal_point(ratio("21:9"), Target::Tier(Tier::K2)).unwrap();
    assert_ranked_by_shape_then_distance(rules, ideal, &top);
    assert!(top.iter().all(|c| rules.sizes.allows(c.size)));
    assert_eq!(top[0].ratio, ratio("128:55"));
    assert_eq!(top[0].named_ratio.ratio.to_string(), "21:9");
    assert_eq!(top[0].tier, None);
    assert!(!top[0].preset);
    // 2048x2048 is one of OpenAI's popular sizes.
    let square = planner::for_aspect(rules, ratio("1:1"), Target::Tier(Tier::K2), 1).unwrap();
    assert!(square[0].preset);
    assert_eq!(square[0].label.as_deref(), Some("2K square"));
}

#[test]
fn a_target_beyond_the_rule_reports_distance_from_the_ideal_and_from_the_anchor() {
    let top = planner::for_aspect(gpt_image_2(), ratio("1:1"), Target::Tier(Tier::K4), 1).unwrap();
    let best = &top[0];
    assert_eq!(best.size, size("2880x2880"));
    assert!((best.distance - (3840f64 / 2880.0).ln() * 2f64.sqrt()).abs() < 1e-12);
    assert!(best.anchor_distance < 1e-12);
}

#[test]
fn pixel_and_long_edge_targets_place_the_ideal_point() {
    let rules = gpt_image_2();
    let top = |r: &str, t: &str| {
        sizes_of(&planner::for_aspect(rules, ratio(r), t.parse().unwrap(), 1).unwrap())
    };
    assert_eq!(top("16:9", "pixels:2359296"), ["2048x1152"]);
    assert_eq!(top("9:16", "long:2048"), ["1152x2048"]);
    assert_eq!(top("4:3", "1K"), ["1024x768"]);
    assert_eq!(top("3:4", "long:1536"), ["1152x1536"]);
    let p = planner::ideal_point(ratio("4:1"), Target::Pixels(4_000_000)).unwrap();
    assert!((p.x.exp() - 4000.0).abs() < 1e-6 && (p.y.exp() - 1000.0).abs() < 1e-6);
}

#[test]
fn a_candidate_serialises_with_text_for_size_ratio_and_orientation() {
    let top = planner::for_aspect(
        rules("enum-sizes", "gpt-image-2"),
        ratio("16:9"),
        Target::Tier(Tier::K2),
        1,
    )
    .unwrap();
    let json = serde_json::to_string(&top[0]).unwrap();
    assert_eq!(
        json,
        r#"{"size":"2048x1152","ratio":"16:9","named_ratio":{"ratio":"16:9","error":0.0},"pixels":2359296,"orientation":"landscape","distance":0.0,"anchor_distance":0.0,"tier":"2K","preset":true,"label":"2K landscape"}"#
    );
    let back: Candidate = serde_json::from_str(&json).unwrap();
    assert_eq!(back, top[0]);
}

// ---------------------------------------------------------------------------
// Targets as text.

#[test]
fn targets_parse_and_print_the_same_text() {
    for text in [
        "1K",
        "2K",
        "4K",
        "long:1",
        "long:4294967295",
        "pixels:18446744073709551615",
    ] {
        let target: Target = text.parse().unwrap();
        assert_eq!(target.to_string(), text);
        let json = serde_json::to_string(&target).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<Target>(&json).unwrap(), target);
    }
}

#[test]
fn malformed_targets_are_rejected_with_the_accepted_forms() {
    for text in [
        "",
        "2k",
        "8K",
        "long:",
        "long:-1",
        "long:02048",
        "long:4294967296",
        "px:5",
        " 2K",
    ] {
        let err = text.parse::<Target>().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "target {text:?} is not a tier (\"1K\", \"2K\", \"4K\"), \"long:PIXELS\" or \"pixels:COUNT\""
            )
        );
    }
}

// ---------------------------------------------------------------------------
// Named ratios and presets.

#[test]
fn named_ratios_name_the_seed_sizes() {
    let cases = [
        ("2048x880", "21:9"),
        ("880x2048", "9:21"),
        ("1920x1088", "16:9"),
        ("1920x1080", "16:9"),
        ("2048x688", "3:1"),
        ("688x2048", "1:3"),
        ("2048x1360", "3:2"),
        ("1344x1024", "4:3"),
        ("1280x1024", "5:4"),
        ("1920x1200", "16:10"),
        ("1024x1024", "1:1"),
        ("3840x1648", "21:9"),
        ("100x1", "3:1"),
    ];
    for (s, name) in cases {
        let named = planner::named_ratio(size(s)).unwrap();
        assert_eq!(named.ratio.to_string(), name, "{s}");
    }
    let hd = planner::named_ratio(size("1920x1088")).unwrap();
    assert!((hd.error - (16.0f64 / 9.0 / (1920.0 / 1088.0)).ln()).abs() < 1e-12);
    assert_eq!(planner::named_ratio(size("1920x1080")).unwrap().error, 0.0);
    assert_eq!(planner::named_ratio(size("0x1080")), None);
}

#[test]
fn preset_queries_filter_by_provider_model_tier_ratio_and_orientation() {
    let all = builtin_profiles();
    let uniall_4k = PresetQuery {
        provider: Some("uniall".into()),
        tier: Some(Tier::K4),
        orientation: Some(Orientation::Portrait),
        ..PresetQuery::default()
    };
    let sizes: Vec<String> = uniall_4k
        .search(all)
        .iter()
        .map(|h| h.preset.size.to_string())
        .collect();
    assert_eq!(
        sizes,
        [
            "2448x3264",
            "2336x3504",
            "1920x3840",
            "1648x3840",
            "2160x3840"
        ]
    );
    // By catalog model id: every provider serving dall-e-2.
    let dalle2 = PresetQuery {
        model: Some("dall-e-2".into()),
        ..PresetQuery::default()
    };
    let hits = dalle2.search(all);
    assert!(hits.iter().all(|h| h.model == "dall-e-2"));
    assert_eq!(hits.len(), 6, "openai and uniall, three sizes each");
    // Ratio by name: 21:9 finds 2048x880 (about 21:9) in seed 001's list.
    let wide = PresetQuery {
        provider: Some("enum-sizes".into()),
        ratio: Some(ratio("21:9")),
        ..PresetQuery::default()
    };
    let sizes: Vec<String> = wide
        .search(all)
        .iter()
        .map(|h| h.preset.size.to_string())
        .collect();
    assert_eq!(sizes, ["2048x880"]);
    // ... and by its exact ratio.
    let exact = PresetQuery {
        ratio: Some(ratio("128:55")),
        ..wide.clone()
    };
    assert_eq!(exact.search(all).len(), 1);
    assert!(PresetQuery::default().search(all).len() > 90);
}

#[test]
fn presets_and_tiers_come_from_the_provider_tables() {
    let origin = rules("uniall", "gpt-image-2-origin");
    assert_eq!(planner::presets(origin).len(), 48);
    assert_eq!(planner::tier_of(origin, size("1024x768")), Some(Tier::K1));
    assert_eq!(planner::tier_of(origin, size("1920x1080")), Some(Tier::K2));
    assert_eq!(planner::tier_of(origin, size("2880x2880")), Some(Tier::K4));
    assert_eq!(planner::tier_of(gpt_image_2(), size("2048x2048")), None);
    let tiers = PresetQuery {
        tier: Some(Tier::K1),
        ..PresetQuery::default()
    };
    // Seed 002's 1K table goes up to 2048x1024: its tiers are its own, not long edges.
    assert_eq!(tiers.filter(origin).count(), 17);
    assert!(tiers.filter(origin).all(|p| p.size.long_edge() <= 2048));
}

// ---------------------------------------------------------------------------
// The projection.

#[test]
fn the_projection_lands_in_the_region_and_nothing_sampled_there_is_closer() {
    let rule = SizeRule::GPT_IMAGE_2;
    let inside = |q: LogPoint| {
        let (edge, ratio) = (3840f64.ln(), 3f64.ln());
        let (lo, hi) = (655_360f64.ln(), 8_294_400f64.ln());
        let eps = 1e-9;
        q.x <= edge + eps
            && q.y <= edge + eps
            && (q.x - q.y).abs() <= ratio + eps
            && q.x + q.y >= lo - eps
            && q.x + q.y <= hi + eps
    };
    // Points of the region on a fine grid in log space.
    let mut region = Vec::new();
    for i in 0..=300 {
        for j in 0..=300 {
            let q = LogPoint {
                x: 6.0 + 2.3 * f64::from(i) / 300.0,
                y: 6.0 + 2.3 * f64::from(j) / 300.0,
            };
            if inside(q) {
                region.push(q);
            }
        }
    }
    for w in (1..=9000u32).step_by(457) {
        for h in (1..=9000u32).step_by(457) {
            let p = LogPoint::of(Size::new(w, h));
            let q = planner::project(&rule, p).unwrap();
            assert!(inside(q), "{w}x{h} projects outside: {q:?}");
            let d = q.distance(p);
            let closest = region
                .iter()
                .map(|r| r.distance(p))
                .fold(f64::INFINITY, f64::min);
            assert!(d <= closest + 1e-9, "{w}x{h}: {d} > {closest}");
            // The grid is 2.3/300 apart, so (even in the region's right-angled
            // corners) some grid point lies within a diagonal of the projection.
            assert!(closest - d <= 0.011, "{w}x{h}: {d} vs {closest}");
        }
    }
}

// ---------------------------------------------------------------------------
// Property tests.

fn edge() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0u32),
        Just(1u32),
        Just(u32::MAX),
        1u32..5000,
        any::<u32>(),
    ]
}

fn ratio_term() -> impl Strategy<Value = u32> {
    prop_oneof![1u32..40, Just(u32::MAX), 1u32..=u32::MAX]
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        prop_oneof![Just(Tier::K1), Just(Tier::K2), Just(Tier::K4)].prop_map(Target::Tier),
        any::<u32>().prop_map(Target::LongEdge),
        (1u32..6000).prop_map(Target::LongEdge),
        any::<u64>().prop_map(Target::Pixels),
        (1u64..20_000_000).prop_map(Target::Pixels),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn fast_nearest_equals_the_reference_for_any_u32_pair(w in edge(), h in edge()) {
        let p = LogPoint::of(Size::new(w, h));
        assert_fast_matches_reference("gpt-image-2", &gpt_image_2().sizes, &RULE_REFERENCE, p);
        for (name, policy, reference) in LIST_POLICIES.iter() {
            assert_fast_matches_reference(name, policy, reference, p);
        }
        let snapped = planner::nearest(&gpt_image_2().sizes, Size::new(w, h));
        prop_assert!(snapped.is_some_and(|s| gpt_image_2().sizes.allows(s)));
    }

    #[test]
    fn fast_nearest_equals_the_reference_for_ratio_targets(
        a in ratio_term(), b in ratio_term(), t in target()
    ) {
        let r = AspectRatio::new(a, b).unwrap();
        let Ok(p) = planner::ideal_point(r, t) else {
            let zero = matches!(t, Target::LongEdge(0) | Target::Pixels(0));
            prop_assert!(zero);
            return Ok(());
        };
        assert_fast_matches_reference("gpt-image-2", &gpt_image_2().sizes, &RULE_REFERENCE, p);
        for (name, policy, reference) in LIST_POLICIES.iter() {
            assert_fast_matches_reference(name, policy, reference, p);
        }
    }

    #[test]
    fn fast_nearest_equals_the_reference_for_real_points(
        x in -50.0f64..50.0, y in -50.0f64..50.0
    ) {
        let p = LogPoint { x, y };
        assert_fast_matches_reference("gpt-image-2", &gpt_image_2().sizes, &RULE_REFERENCE, p);
        for (name, policy, reference) in LIST_POLICIES.iter() {
            assert_fast_matches_reference(name, policy, reference, p);
        }
    }

    #[test]
    fn fast_nearest_equals_the_reference_for_extreme_points(
        x in prop_oneof![Just(-1000.0f64), Just(1000.0), Just(0.0), -1000.0f64..1000.0],
        y in prop_oneof![Just(-1000.0f64), Just(1000.0), Just(0.0), -1000.0f64..1000.0],
    ) {
        let p = LogPoint { x, y };
        assert_fast_matches_reference("gpt-image-2", &gpt_image_2().sizes, &RULE_REFERENCE, p);
        for (name, policy, reference) in LIST_POLICIES.iter() {
            assert_fast_matches_reference(name, policy, reference, p);
        }
    }

    #[test]
    fn fast_shape_band_equals_the_reference(w in edge(), h in edge()) {
        let p = LogPoint::of(Size::new(w, h));
        prop_assert_eq!(planner::shape_band(&gpt_image_2().sizes, p), RULE_REFERENCE.shape_band(p));
        for (name, policy, reference) in LIST_POLICIES.iter() {
            prop_assert_eq!(planner::shape_band(policy, p), reference.shape_band(p), "{}", name);
        }
    }

    #[test]
    fn plain_distance_search_equals_its_reference(w in edge(), h in edge()) {
        let p = LogPoint::of(Size::new(w, h));
        prop_assert_eq!(
            planner::nearest_point_by_distance(&gpt_image_2().sizes, p),
            RULE_REFERENCE.nearest_by_distance(p)
        );
        for (name, policy, reference) in LIST_POLICIES.iter() {
            prop_assert_eq!(
                planner::nearest_point_by_distance(policy, p),
                reference.nearest_by_distance(p),
                "{}", name
            );
        }
    }

    #[test]
    fn fast_top_k_equals_the_reference(w in edge(), h in edge(), k in 0usize..60) {
        let p = LogPoint::of(Size::new(w, h));
        assert_top_k_matches_reference("gpt-image-2", &gpt_image_2().sizes, &RULE_REFERENCE, p, k);
        for (name, policy, reference) in LIST_POLICIES.iter() {
            assert_top_k_matches_reference(name, policy, reference, p, k);
        }
    }

    #[test]
    fn for_aspect_returns_k_distinct_valid_ranked_candidates(
        a in 1u32..40, b in 1u32..40, t in target(), k in 1usize..8
    ) {
        let r = AspectRatio::new(a, b).unwrap();
        let rules = gpt_image_2();
        match planner::for_aspect(rules, r, t, k) {
            Ok(top) => {
                prop_assert_eq!(top.len(), k);
                for c in &top {
                    prop_assert!(rules.sizes.allows(c.size));
                    prop_assert_eq!(c.pixels, c.size.pixels());
                    prop_assert_eq!(Some(c.ratio), AspectRatio::of(c.size));
                }
                for pair in top.windows(2) {
                    prop_assert!(pair[0].size != pair[1].size);
                }
                let ideal = planner::ideal_point(r, t).unwrap();
                assert_ranked_by_shape_then_distance(rules, ideal, &top);
                prop_assert_eq!(Some(top[0].size), planner::nearest_point(&rules.sizes, ideal));
            }
            Err(e) => {
                let zero = matches!(e, PlanError::ZeroTarget { .. });
                prop_assert!(zero, "{}", e);
            }
        }
    }

    #[test]
    fn target_text_round_trips(t in target()) {
        let text = t.to_string();
        prop_assert_eq!(text.parse::<Target>().unwrap(), t);
    }
}
