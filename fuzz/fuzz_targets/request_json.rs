//! Request bodies as text against every built-in profile: no panic, no hang,
//! the same report twice, and every finding well formed.
#![no_main]

use gpt_image_plan::{Field, Kind, builtin_profiles, request_from_json, validate, validate_json};
use gpt_image_plan_fuzz::check_report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for profile in builtin_profiles() {
        let report = validate_json(text, profile);
        assert_eq!(validate_json(text, profile), report, "{}", profile.id);
        check_report(&report);
        // What the JSON reader kept validates to the rest of the report.
        let (request, json_findings) = request_from_json(text, profile);
        if json_findings.is_valid()
            || !json_findings.diagnostics.iter().any(|d| {
                d.code.to_string() == "request.malformed_json"
                    || d.code.to_string() == "request.not_object"
            })
        {
            // A field the JSON phase could not read is not also reported
            // missing or defaulted by `validate`.
            let unreadable: Vec<Field> =
                json_findings.diagnostics.iter().map(|d| d.field.clone()).collect();
            let mut expected = json_findings.diagnostics.clone();
            expected.extend(
                validate(&request, profile)
                    .diagnostics
                    .into_iter()
                    .filter(|d| {
                        !(matches!(d.code.kind(), Kind::Missing | Kind::Defaulted)
                            && unreadable.contains(&d.field))
                    }),
            );
            assert_eq!(report.diagnostics, expected, "{}", profile.id);
        }
    }
});
