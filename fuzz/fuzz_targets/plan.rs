//! Request bodies as text, planned for every built-in profile: no panic, the
//! same plan twice, and a plan without errors has at least one call, every
//! body is a JSON object, the calls ask for the request's n in total, and its
//! estimate (when it has one) prices as many calls as it holds.
#![no_main]

use gpt_image_plan::wire::{self, Method, Plan};
use gpt_image_plan::{builtin_profiles, request_from_json};
use gpt_image_plan_fuzz::check_report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for profile in builtin_profiles() {
        let plan = wire::plan_json(text, profile);
        assert_eq!(wire::plan_json(text, profile), plan, "{}", profile.id);
        check_report(&plan.report);
        assert_eq!(plan.profile, profile.id);
        assert!(
            plan.estimate.is_some() != plan.unpriced.is_some(),
            "{}: exactly one of estimate and unpriced: {plan:?}",
            profile.id
        );
        let json = serde_json::to_string(&plan).expect("a plan serializes");
        let back: Plan = serde_json::from_str(&json).expect("a plan reads back");
        assert_eq!(back, plan);
        if !plan.report.is_valid() {
            assert!(plan.calls.is_empty(), "{}: {plan:?}", profile.id);
            assert!(plan.estimate.is_none());
            continue;
        }
        assert!(
            !plan.calls.is_empty(),
            "{}: no calls for {text}",
            profile.id
        );
        assert!(plan.calls.len() <= wire::MAX_CALLS as usize);
        for call in &plan.calls {
            assert_eq!(call.method, Method::Post);
            let body = call.body.as_deref().expect("a POST has a body");
            let value: serde_json::Value =
                serde_json::from_str(body).expect("a planned body is JSON");
            assert!(value.is_object(), "{body}");
            assert!(call.headers.iter().any(|h| h.secret));
        }
        let (request, _) = request_from_json(text, profile);
        match request.n {
            Some(n) => assert_eq!(plan.images(), Some(n), "{}: {text}", profile.id),
            None => assert_eq!(plan.calls.len(), 1, "{}: {text}", profile.id),
        }
        if let Some(est) = &plan.estimate {
            assert_eq!(
                est.calls as usize,
                plan.calls.len(),
                "{}: {text}",
                profile.id
            );
            if let Some(n) = plan.images() {
                assert_eq!(est.images.iter().map(|l| l.count.max).sum::<u32>(), n);
            }
        }
    }
});
