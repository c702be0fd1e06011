//! The shared table of cases (`tests/cases/shared.json`): the crate must give
//! exactly the answers written there. The WebAssembly package is checked
//! against the same file by `wasm/tests/shared_cases.test.mjs`, so the two agree.

use gpt_image_plan::{
    AspectRatio, Profile, Report, Size, Tier, builtin_profile, check_size, planner,
};
use serde_json::Value;

fn table() -> Value {
    serde_json::from_str(include_str!("cases/shared.json"))
        .expect("tests/cases/shared.json is JSON")
}

#[track_caller]
fn cases<'t>(table: &'t Value, kind: &str) -> &'t [Value] {
    let cases = table[kind].as_array().expect("a list of cases");
    assert!(!cases.is_empty(), "no {kind} cases");
    cases
}

#[track_caller]
fn text<'v>(case: &'v Value, key: &str) -> &'v str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("case {} has no {key}", case["name"]))
}

#[track_caller]
fn profile(case: &Value) -> &'static Profile {
    builtin_profile(text(case, "provider")).expect("a built-in provider")
}

/// What differs between a report and a case's `expect`: validity, the codes in
/// order, and the listed fields of the first diagnostic with each code.
fn differences(case: &Value, report: &Report) -> Vec<String> {
    let name = &case["name"];
    let expect = &case["expect"];
    let mut out = Vec::new();
    let codes: Vec<Value> = report
        .codes()
        .iter()
        .map(|c| Value::String(c.to_string()))
        .collect();
    if Value::Array(codes.clone()) != expect["codes"] {
        out.push(format!(
            "{name}: codes {codes:?}, expected {}",
            expect["codes"]
        ));
    }
    if Value::Bool(report.is_valid()) != expect["valid"] {
        out.push(format!("{name}: valid is {}", report.is_valid()));
    }
    let details = expect.get("details").and_then(Value::as_object);
    for (code, fields) in details.into_iter().flatten() {
        let Some(found) = report
            .diagnostics
            .iter()
            .find(|d| d.code.to_string() == *code)
        else {
            out.push(format!("{name}: no diagnostic {code}"));
            continue;
        };
        let found = serde_json::to_value(found).expect("a diagnostic serializes");
        for (key, value) in fields.as_object().into_iter().flatten() {
            if &found[key] != value {
                out.push(format!(
                    "{name}: {code}.{key} is {}, expected {value}",
                    found[key]
                ));
            }
        }
    }
    out
}

/// Fails with every difference at once, so one run shows all that changed.
#[track_caller]
fn assert_no_differences(differences: Vec<String>) {
    assert!(differences.is_empty(), "\n{}", differences.join("\n"));
}

#[test]
fn crate_validates_every_shared_request_as_the_table_says() {
    let table = table();
    let mut found = Vec::new();
    for case in cases(&table, "validate") {
        let body = match case.get("requestText") {
            Some(text) => text.as_str().expect("requestText is text").to_owned(),
            None => case["request"].to_string(),
        };
        found.extend(differences(
            case,
            &gpt_image_plan::validate_json(&body, profile(case)),
        ));
    }
    assert_no_differences(found);
}

#[test]
fn crate_checks_every_shared_size_as_the_table_says() {
    let table = table();
    let mut found = Vec::new();
    for case in cases(&table, "checkSize") {
        let report = check_size(text(case, "size"), profile(case), Some(text(case, "model")));
        found.extend(differences(case, &report));
    }
    assert_no_differences(found);
}

#[test]
fn crate_snaps_every_shared_size_to_the_tables_nearest() {
    let table = table();
    for case in cases(&table, "nearest") {
        let served = profile(case)
            .model(text(case, "model"))
            .expect("a served model");
        let target: Size = text(case, "size").parse().expect("a size");
        let nearest = planner::nearest(&served.rules.sizes, target).map(|s| s.to_string());
        assert_eq!(
            nearest.as_deref(),
            case["expect"]["nearest"].as_str(),
            "{}",
            case["name"]
        );
        assert_eq!(
            Value::Bool(served.rules.sizes.allows(target)),
            case["expect"]["valid"],
            "{}",
            case["name"]
        );
    }
}

#[test]
fn crate_lists_every_shared_preset_set_as_the_table_says() {
    let table = table();
    for case in cases(&table, "presets") {
        let served = profile(case)
            .model(text(case, "model"))
            .expect("a served model");
        let tier: Option<Tier> = case
            .get("tier")
            .and_then(Value::as_str)
            .map(|t| t.parse().expect("a tier"));
        let sizes: Vec<String> = served
            .rules
            .presets
            .iter()
            .filter(|p| tier.is_none() || p.tier == tier)
            .map(|p| p.size.to_string())
            .collect();
        let want: Vec<String> =
            serde_json::from_value(case["expect"]["sizes"].clone()).expect("sizes");
        assert_eq!(sizes, want, "{}", case["name"]);
    }
}

#[test]
fn crate_plans_every_shared_request_as_the_table_says() {
    let table = table();
    let mut found = Vec::new();
    for case in cases(&table, "plan") {
        let name = &case["name"];
        let expect = &case["expect"];
        let plan = gpt_image_plan::wire::plan_json(&case["request"].to_string(), profile(case));
        if Value::Bool(plan.is_ready()) != expect["ready"] {
            found.push(format!("{name}: ready is {}", plan.is_ready()));
        }
        let codes: Vec<String> = plan
            .report
            .codes()
            .iter()
            .map(ToString::to_string)
            .collect();
        if expect.get("codes").is_some() && serde_json::json!(codes) != expect["codes"] {
            found.push(format!(
                "{name}: codes {codes:?}, expected {}",
                expect["codes"]
            ));
        }
        let urls: Vec<&str> = plan.calls.iter().map(|c| c.url.as_str()).collect();
        if expect.get("urls").is_some() && serde_json::json!(urls) != expect["urls"] {
            found.push(format!(
                "{name}: urls {urls:?}, expected {}",
                expect["urls"]
            ));
        }
        let bodies: Vec<Option<&str>> = plan.calls.iter().map(|c| c.body.as_deref()).collect();
        if serde_json::json!(bodies) != expect["bodies"] {
            found.push(format!(
                "{name}: bodies {bodies:?}, expected {}",
                expect["bodies"]
            ));
        }
    }
    assert_no_differences(found);
}

#[test]
fn crate_prices_every_shared_request_as_the_table_says() {
    let table = table();
    let mut found = Vec::new();
    for case in cases(&table, "estimate") {
        let name = &case["name"];
        let expect = &case["expect"];
        let (request, _) =
            gpt_image_plan::request_from_json(&case["request"].to_string(), profile(case));
        match gpt_image_plan::price::estimate_builtin(&request, profile(case)) {
            Ok(estimate) => {
                let got = serde_json::json!({
                    "currency": estimate.currency.as_str(),
                    "total": estimate.total,
                });
                if &got != expect {
                    found.push(format!("{name}: {got}, expected {expect}"));
                }
            }
            Err(e) => {
                if expect["error"] != e.to_string() {
                    found.push(format!("{name}: error {e}, expected {expect}"));
                }
            }
        }
    }
    assert_no_differences(found);
}

#[test]
fn crate_suggests_every_shared_ratio_as_the_table_says() {
    let table = table();
    let mut found = Vec::new();
    for case in cases(&table, "suggest") {
        let name = &case["name"];
        let expect = &case["expect"];
        let served = profile(case)
            .model(text(case, "model"))
            .expect("a served model");
        let ratio: AspectRatio = text(case, "ratio").parse().expect("a ratio");
        let target: planner::Target = text(case, "target").parse().expect("a target");
        let count = case["count"].as_u64().expect("a count") as usize;
        match planner::for_aspect(&served.rules, ratio, target, count) {
            Ok(top) => {
                let sizes: Vec<String> = top.iter().map(|c| c.size.to_string()).collect();
                if serde_json::json!(sizes) != expect["sizes"] {
                    found.push(format!("{name}: {sizes:?}, expected {}", expect["sizes"]));
                }
                let tiers: Vec<Option<Tier>> = top.iter().map(|c| c.tier).collect();
                if expect.get("tiers").is_some() && serde_json::json!(tiers) != expect["tiers"] {
                    found.push(format!(
                        "{name}: tiers {tiers:?}, expected {}",
                        expect["tiers"]
                    ));
                }
            }
            Err(e) => {
                if expect["error"] != e.to_string() {
                    found.push(format!("{name}: error {e}, expected {expect}"));
                }
            }
        }
    }
    assert_no_differences(found);
}
