//! The planner: the nearest size is valid under the policy, a valid size is
//! its own nearest, and the answer is the reference search's answer (the
//! shape-keeping definition step by step), as are the shape band and the
//! plain-distance answer. Run over every built-in policy and over small
//! fuzz-made rules and lists.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use gpt_image_plan::planner::{self, LogPoint, Reference};
use gpt_image_plan::{Size, SizePolicy, SizeRule, builtin_profiles, catalog};
use libfuzzer_sys::fuzz_target;

/// Every size policy in the built-in data.
fn builtin_policies() -> Vec<&'static SizePolicy> {
    let catalog = catalog().models.iter().map(|m| &m.rules.sizes);
    let profiles = builtin_profiles()
        .iter()
        .flat_map(|p| p.models.iter().map(|m| &m.rules.sizes));
    catalog.chain(profiles).collect()
}

/// A policy small enough to search exhaustively: at most 512 steps per edge
/// and 16 listed sizes.
fn small_policy(u: &mut Unstructured<'_>) -> arbitrary::Result<SizePolicy> {
    let rule = if bool::arbitrary(u)? {
        let rule = SizeRule::arbitrary(u)?;
        if rule.max_edge / rule.multiple.max(1) > 512 {
            return Err(arbitrary::Error::IncorrectFormat);
        }
        Some(rule)
    } else {
        None
    };
    let count = u.int_in_range(0..=16)?;
    let list = (0..count)
        .map(|_| Size::arbitrary(u))
        .collect::<Result<_, _>>()?;
    Ok(SizePolicy {
        rule,
        list,
        auto: bool::arbitrary(u)?,
        experimental_above_pixels: None,
    })
}

fn check(policy: &SizePolicy, target: Size) {
    let nearest = planner::nearest(policy, target);
    match nearest {
        Some(size) => {
            assert!(policy.allows(size), "{target} -> {size} under {policy:?}");
            if policy.allows(target) {
                assert_eq!(size, target);
            }
        }
        // The planner never offers a size with a zero edge (see the planner's
        // module docs), so a policy listing only such sizes has no answer.
        None => assert!(
            policy
                .sizes()
                .iter()
                .all(|s| s.width() == 0 || s.height() == 0),
            "{target} has no answer under {policy:?}"
        ),
    }
    if !policy.allows(target) {
        let p = LogPoint::of(target);
        let reference = Reference::new(policy);
        assert_eq!(nearest, reference.nearest(p), "{target} under {policy:?}");
        assert_eq!(
            planner::shape_band(policy, p),
            reference.shape_band(p),
            "{target} under {policy:?}"
        );
        assert_eq!(
            planner::nearest_by_distance(policy, target),
            reference.nearest_by_distance(p),
            "{target} under {policy:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(target) = Size::arbitrary(&mut u) else {
        return;
    };
    let policies = builtin_policies();
    if let Ok(i) = u.choose_index(policies.len()) {
        check(policies[i], target);
    }
    if let Ok(policy) = small_policy(&mut u) {
        check(&policy, target);
    }
});
