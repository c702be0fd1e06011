//! Typed requests against every built-in profile: no panic, the same report
//! twice, findings well formed, size fixes valid, and a request written as
//! JSON reads back unchanged but for the parameters the reader refuses (a
//! name the profile does not declare, a value of the wrong type), each with
//! its finding and no other.
#![no_main]

use gpt_image_plan::{
    Field, ImageRequest, Kind, SizeSpec, builtin_profiles, planner, request_from_json, validate,
};
use gpt_image_plan_fuzz::check_report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|request: ImageRequest| {
    let json = serde_json::to_string(&request).expect("a request serializes");
    for profile in builtin_profiles() {
        let report = validate(&request, profile);
        assert_eq!(validate(&request, profile), report, "{}", profile.id);
        check_report(&report);

        let (read, findings) = request_from_json(&json, profile);
        let mut kept = request.clone();
        let mut refused = 0;
        for (name, value) in request.params.iter() {
            let readable = profile
                .declared
                .get(name)
                .is_some_and(|decl| decl.kind.admits(value));
            if !readable {
                kept.params.remove(name);
                refused += 1;
            }
        }
        assert_eq!(read, kept, "{} read back {json}", profile.id);
        assert!(
            findings.diagnostics.len() == refused
                && findings.diagnostics.iter().all(|d| {
                    d.code.to_string() == "request.unknown_field"
                        || (d.code.kind() == Kind::InvalidType && !d.field.is_core())
                }),
            "{}: {findings:?}",
            profile.id
        );

        // A size fix names a size the model accepts, and it is the planner's answer.
        let served = request
            .model
            .as_deref()
            .or(profile.default_model.as_deref())
            .and_then(|name| profile.model(name));
        let fixes: Vec<&str> = report
            .diagnostics
            .iter()
            .filter(|d| d.field == Field::SIZE)
            .filter_map(|d| d.replacement.as_deref())
            .collect();
        if let (Some(model), Some(asked), Some(&fix)) =
            (served, request.size.and_then(|s| s.size()), fixes.first())
        {
            // A model that takes only `auto` is told to use it; any other fix
            // is the planner's nearest size.
            let fix: SizeSpec = fix.parse().expect("a size fix is a size or auto");
            assert!(
                model.rules.sizes.allows_spec(fix),
                "{}: fix {fix}",
                profile.id
            );
            assert!(fixes.iter().all(|f| *f == fix.to_string()), "{fixes:?}");
            match fix {
                SizeSpec::Size(fix) => {
                    assert_eq!(planner::nearest(&model.rules.sizes, asked), Some(fix))
                }
                SizeSpec::Auto => assert_eq!(planner::nearest(&model.rules.sizes, asked), None),
            }
        }
    }
});
