//! Pricing arbitrary requests against every built-in profile and each of its
//! served models: no panic, the same answer twice, every range ordered, and
//! one more image never costs less.
#![no_main]

use gpt_image_plan::price::{Bounds, Estimate, PriceTable, estimate};
use gpt_image_plan::{ImageRequest, Profile, builtin_profiles};
use libfuzzer_sys::fuzz_target;

#[track_caller]
fn ordered<T: PartialOrd + std::fmt::Debug>(b: &Bounds<T>, what: &str) {
    assert!(b.min <= b.max, "{what}: {b:?}");
}

/// Prices `request` twice and checks the answer is well formed.
fn priced(request: &ImageRequest, profile: &Profile) -> Option<Estimate> {
    let table = PriceTable::builtin();
    let first = estimate(request, profile, table);
    assert_eq!(first, estimate(request, profile, table), "{}", profile.id);
    let est = first.ok()?;
    ordered(&est.total, "total");
    assert!(!est.total.min.is_negative(), "{est:?}");
    assert!(!est.reservation.is_negative(), "{est:?}");
    assert!(est.calls >= 1, "{est:?}");
    for line in &est.images {
        ordered(&line.count, "count");
        ordered(&line.each, "each");
        ordered(&line.cost, "cost");
        if let Some(tokens) = &line.output_image_tokens {
            ordered(tokens, "tokens");
        }
    }
    if let Some(p) = &est.prompt_cost {
        ordered(p, "prompt cost");
    }
    if let Some(t) = &est.prompt_tokens {
        assert!(t.min <= t.typical && t.typical <= t.max, "{t:?}");
    }
    Some(est)
}

fn check(request: &ImageRequest, profile: &Profile) {
    priced(request, profile);
    // n and n + 1, both given explicitly.
    let n = request.n.unwrap_or(1);
    let Some(more) = n.checked_add(1) else {
        return;
    };
    let mut fewer = request.clone();
    fewer.n = Some(n);
    let mut bigger = request.clone();
    bigger.n = Some(more);
    if let (Some(a), Some(b)) = (priced(&fewer, profile), priced(&bigger, profile)) {
        assert!(
            b.total.min >= a.total.min && b.total.max >= a.total.max,
            "{}: n {n} costs {:?}, n {more} costs {:?}",
            profile.id,
            a.total,
            b.total
        );
    }
}

fuzz_target!(|request: ImageRequest| {
    for profile in builtin_profiles() {
        check(&request, profile);
        for served in &profile.models {
            let mut named = request.clone();
            named.model = Some(served.name.clone());
            check(&named, profile);
        }
    }
});
