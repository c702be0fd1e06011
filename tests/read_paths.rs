//! Every front end reads a body the same way: the library's `validate_json`,
//! `plan_json` and the command line's `validate` and `plan` give the same
//! findings for the same body.

use gpt_image_plan::{builtin_profile, validate_json, wire};

const REPRO: &str =
    r#"{"model": "gpt-image-2", "prompt": "x", "prompt": "y", "n": null, "size": "1024X1024"}"#;

fn codes(report: &gpt_image_plan::Report) -> Vec<String> {
    report.codes().iter().map(ToString::to_string).collect()
}

#[test]
fn a_malformed_required_size_is_not_also_missing_in_any_path() {
    let profile = builtin_profile("all-required").unwrap();
    let expected = ["request.duplicate_field", "size.malformed", "n.missing"];
    assert_eq!(codes(&validate_json(REPRO, profile)), expected);
    let plan = wire::plan_json(REPRO, profile);
    assert_eq!(codes(&plan.report), expected);
    assert!(plan.calls.is_empty());
}

#[test]
fn validate_and_plan_agree_on_every_builtin_profile() {
    let bodies = [
        REPRO,
        r#"{"model": "gpt-image-2", "prompt": "x", "n": "2", "quality": "High"}"#,
        r#"{"prompt": "x", "size": 1024, "n": 1.5, "stream": "true"}"#,
        r#"{"model": "gpt-image-2", "prompt": "x", "sizes": "1024x1024", "partial_images": 2}"#,
        "[1]",
        "{",
    ];
    for profile in gpt_image_plan::builtin_profiles() {
        for body in bodies {
            let validated = codes(&validate_json(body, profile));
            // A plan says `dropped` where validation says `no_effect` (the
            // field is left out of the body), and may add findings about the
            // body it writes; it never loses one.
            let planned: Vec<String> = codes(&wire::plan_json(body, profile).report)
                .into_iter()
                .map(|c| c.replace(".dropped", ".no_effect"))
                .collect();
            assert_eq!(
                planned[..validated.len().min(planned.len())],
                validated[..],
                "{} {body}",
                profile.id
            );
        }
    }
}

#[cfg(feature = "cli")]
#[test]
fn the_command_line_gives_the_same_codes_under_validate_and_plan() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let run = |command: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gpt-image-plan"))
            .args([
                command,
                "-",
                "--provider",
                "all-required",
                "--format",
                "json",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(REPRO.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let report = if v.get("report").is_some() {
            &v["report"]
        } else {
            &v
        };
        let codes: Vec<String> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect();
        (out.status.code(), codes)
    };
    let expected = vec![
        "request.duplicate_field".to_owned(),
        "size.malformed".to_owned(),
        "n.missing".to_owned(),
    ];
    assert_eq!(run("validate"), (Some(1), expected.clone()));
    assert_eq!(run("plan"), (Some(1), expected));
}
