//! The command-line tool, run as a built binary: every subcommand, both
//! formats, every exit status, stdin input and bad files.

#[cfg(feature = "http")]
mod fake;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_gpt-image-plan");

#[track_caller]
fn run(args: &[&str], stdin: Option<&str>) -> Output {
    run_with(args, stdin, &[])
}

#[track_caller]
fn run_with(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    if let Some(input) = stdin {
        let written = child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(input.as_bytes());
        // A run that fails on its arguments (a bad --prices file, say) exits
        // before it reads stdin; the closed pipe is then expected, not a fault.
        if let Err(error) = written {
            assert_eq!(
                error.kind(),
                std::io::ErrorKind::BrokenPipe,
                "stdin takes the input"
            );
        }
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("the binary finishes")
}

#[track_caller]
fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

#[track_caller]
fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

#[track_caller]
fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[track_caller]
fn status(output: &Output) -> i32 {
    output.status.code().expect("the binary exits normally")
}

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gpt-image-plan-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("temp file");
    path
}

#[test]
fn check_valid_size_exits_0_in_text() {
    let out = run(&["check", "1920x1088"], None);
    assert_eq!(status(&out), 0);
    assert_eq!(
        stdout(&out),
        "valid: size \"1920x1088\" for \"gpt-image-2\" at \"openai\" (0 errors, 0 warnings)\n"
    );
}

#[test]
fn check_invalid_size_puts_the_fix_first_and_exits_1() {
    let out = run(&["check", "1920x1080"], None);
    assert_eq!(status(&out), 1);
    assert_eq!(
        stdout(&out),
        "invalid: size \"1920x1080\" for \"gpt-image-2\" at \"openai\" (1 error, 0 warnings)\n\
         error   size.not_multiple_of_16\n  \
         fix: use \"1920x1088\", the nearest valid size\n  \
         why: size \"1920x1080\": height 1080 is not a multiple of 16\n"
    );
}

#[test]
fn check_json_has_the_stable_keys() {
    let out = run(&["check", "1920x1080", "--format", "json"], None);
    assert_eq!(status(&out), 1);
    let v = json(&out);
    assert_eq!(v["valid"], false);
    let d = &v["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "size.not_multiple_of_16");
    assert_eq!(d["field"], "size");
    assert_eq!(
        d["message"],
        "size \"1920x1080\": height 1080 is not a multiple of 16"
    );
    assert_eq!(d["fix"], "use \"1920x1088\", the nearest valid size");
    assert_eq!(d["replacement"], "1920x1088");
}

#[test]
fn check_json_fix_is_null_when_there_is_none() {
    let out = run(&["check", "3840x2160", "--format", "json"], None);
    assert_eq!(status(&out), 0, "an experimental size is a warning");
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["diagnostics"][0]["code"], "size.experimental");
    assert_eq!(v["diagnostics"][0]["fix"], Value::Null);
}

#[test]
fn check_accepts_uniall_1920x1080_by_name() {
    let out = run(&["check", "1920x1080", "--provider", "uniall"], None);
    assert_eq!(status(&out), 0);
    assert!(stdout(&out).contains("\"gpt-image-2-origin\" at \"uniall\""));
}

#[test]
fn check_malformed_size_is_a_finding() {
    let out = run(&["check", "1024X1024", "--format", "json"], None);
    assert_eq!(status(&out), 1);
    let v = json(&out);
    assert_eq!(v["diagnostics"][0]["code"], "size.malformed");
    assert_eq!(v["diagnostics"][0]["replacement"], "1024x1024");
}

#[test]
fn unknown_provider_is_a_usage_problem() {
    let out = run(&["check", "1024x1024", "--provider", "nope"], None);
    assert_eq!(status(&out), 2);
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "gpt-image-plan: provider \"nope\": not a built-in profile; the known ids are \"openai\", \"wavespeed\", \"enum-sizes\", \"uniall\", \"infinityblue\", \"all-required\", \"azure-openai\", \"fal\", \"replicate\", \"kie\", \"evolink\", \"pixapi\", \"openrouter\"\n"
    );
}

#[test]
fn unknown_model_is_a_usage_problem() {
    let out = run(&["check", "1024x1024", "--model", "gpt-image-9"], None);
    assert_eq!(status(&out), 2);
    assert!(
        stderr(&out).starts_with("gpt-image-plan: model \"gpt-image-9\" is not served by openai")
    );
}

#[test]
fn bad_arguments_exit_2() {
    let out = run(&["suggest", "16x9"], None);
    assert_eq!(status(&out), 2);
    let out = run(&["frobnicate"], None);
    assert_eq!(status(&out), 2);
}

#[test]
fn validate_reads_stdin() {
    let body = r#"{"model": "gpt-image-2", "prompt": "an otter", "size": "1536x1024"}"#;
    let out = run(&["validate", "-"], Some(body));
    assert_eq!(status(&out), 0);
    assert_eq!(
        stdout(&out),
        "valid: request at \"openai\" (0 errors, 0 warnings)\n"
    );
    let out = run(&["validate", "--format", "json"], Some(body));
    assert_eq!(json(&out)["valid"], true);
}

#[test]
fn validate_reads_a_file_and_reports_errors() {
    let path = temp_file(
        "bad.json",
        r#"{"model": "gpt-image-2", "prompt": "an otter", "n": 11, "output_compression": 101}"#,
    );
    let out = run(
        &["validate", path.to_str().unwrap(), "--format", "json"],
        None,
    );
    assert_eq!(status(&out), 1);
    let v = json(&out);
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["n.out_of_range", "output_compression.out_of_range"]);
}

#[test]
fn malformed_json_exits_1_with_the_same_finding_in_every_command() {
    let path = temp_file("malformed.json", "{\"prompt\": ");
    let path = path.to_str().unwrap();
    let validate = run(&["validate", path], None);
    assert_eq!(status(&validate), 1);
    // The parser's own words (after "why:") are the JSON reader's; the
    // verdict, the code and the exit status are this tool's.
    assert!(
        stdout(&validate).starts_with(
            "invalid: request at \"openai\" (1 error, 0 warnings)\n\
             error   request.malformed_json\n"
        ),
        "{}",
        stdout(&validate)
    );
    for command in ["plan", "estimate"] {
        let out = run(&[command, path], None);
        assert_eq!(status(&out), 1, "{command}");
        assert!(stdout(&out).starts_with(&stdout(&validate)), "{command}");
        assert_eq!(stderr(&out), "", "{command}");
    }
}

#[test]
fn a_utf8_byte_order_mark_before_the_body_is_skipped() {
    let body = r#"{"model": "gpt-image-2", "prompt": "x", "size": "1024x1024"}"#;
    let path = temp_file("bom.json", &format!("\u{feff}{body}"));
    for command in ["validate", "plan", "estimate"] {
        let with_bom = run(&[command, path.to_str().unwrap()], None);
        let without = run(&[command], Some(body));
        assert_eq!(status(&with_bom), 0, "{command}: {}", stdout(&with_bom));
        assert_eq!(stdout(&with_bom), stdout(&without), "{command}");
    }
}

#[test]
fn unreadable_file_exits_2() {
    let out = run(&["validate", "/nonexistent/request.json"], None);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).starts_with("gpt-image-plan: cannot read /nonexistent/request.json"));
}

#[test]
fn nearest_in_both_formats() {
    let out = run(&["nearest", "1920x1080"], None);
    assert_eq!(status(&out), 0);
    assert!(stdout(&out).starts_with("1920x1088  (nearest to 1920x1080, log distance "));
    let out = run(&["nearest", "4000x4000", "--format", "json"], None);
    let v = json(&out);
    assert_eq!(v["input"], "4000x4000");
    assert_eq!(v["nearest"], "2880x2880");
    let d = v["distance"].as_f64().unwrap();
    let expected = 2.0f64.sqrt() * (4000.0f64 / 2880.0).ln();
    assert!((d - expected).abs() < 1e-12, "{d} vs {expected}");
}

#[test]
fn nearest_on_a_list_provider() {
    let out = run(
        &[
            "nearest",
            "1792x1024",
            "--provider",
            "enum-sizes",
            "--format",
            "json",
        ],
        None,
    );
    // 1792x1024 is 7:4; 2048x1152 (16:9) is the listed shape nearest to it,
    // though 2048x1024 (2:1, same height) is closer in plain log distance.
    assert_eq!(json(&out)["nearest"], "2048x1152");
}

#[test]
fn suggest_16_9_at_2k() {
    let out = run(
        &["suggest", "16:9", "--tier", "2K", "--format", "json"],
        None,
    );
    assert_eq!(status(&out), 0);
    let v = json(&out);
    let first = &v["candidates"][0];
    assert_eq!(first["size"], "2048x1152");
    assert_eq!(first["ratio"], "16:9");
    assert_eq!(first["pixels"], 2_359_296);
    assert_eq!(first["distance"], 0.0);
    assert_eq!(first["preset"], true);
    assert_eq!(v["candidates"].as_array().unwrap().len(), 3);
    let text = stdout(&run(&["suggest", "21:9", "--tier", "2K"], None));
    assert!(
        text.lines().nth(2).unwrap().starts_with("  2048x880 "),
        "{text}"
    );
}

#[test]
fn suggest_by_long_edge_and_pixels() {
    let v = json(&run(
        &[
            "suggest",
            "1:1",
            "--long-edge",
            "3840",
            "--count",
            "1",
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(v["candidates"][0]["size"], "2880x2880");
    let v = json(&run(
        &[
            "suggest", "1:1", "--pixels", "1048576", "--count", "2", "--format", "json",
        ],
        None,
    ));
    assert_eq!(v["candidates"][0]["size"], "1024x1024");
    assert_eq!(v["candidates"].as_array().unwrap().len(), 2);
}

#[test]
fn presets_of_uniall_at_4k() {
    let out = run(
        &[
            "presets",
            "--provider",
            "uniall",
            "--tier",
            "4K",
            "--format",
            "json",
        ],
        None,
    );
    let v = json(&out);
    let sizes: Vec<&str> = v["presets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["size"].as_str().unwrap())
        .collect();
    assert_eq!(sizes.len(), 12);
    assert!(sizes.contains(&"2880x2880"));
    let text = stdout(&run(&["presets", "--provider", "enum-sizes"], None));
    assert_eq!(text.lines().count(), 18);
}

#[test]
fn estimate_prices_a_request_exactly() {
    let body =
        r#"{"model": "gpt-image-2", "prompt": "", "size": "1024x1024", "quality": "medium"}"#;
    let out = run(&["estimate", "--format", "json"], Some(body));
    let v = json(&out);
    assert_eq!(v["currency"], "USD");
    assert_eq!(v["images"][0]["size"], "1024x1024");
    assert_eq!(v["images"][0]["quality"], "medium");
    assert_eq!(v["images"][0]["output_image_tokens"]["min"], 1756);
    assert_eq!(v["images"][0]["min"], "0.05268");
    assert_eq!(v["images"][0]["max"], "0.05268");
    assert!(!v["notes"].as_array().unwrap().is_empty());
    // An empty prompt is refused by OpenAI, so the request has an error.
    assert_eq!(status(&out), 1);
}

#[test]
fn estimate_text_and_ranges() {
    let body =
        r#"{"model": "dall-e-3", "prompt": "a lighthouse", "size": "1792x1024", "quality": "hd"}"#;
    // Before dall-e-3's shutdown day (on and after it, the estimate comes
    // with a model.retired error).
    let out = run(&["estimate", "--date", "2026-05-01"], Some(body));
    assert_eq!(status(&out), 0);
    assert!(
        stdout(&out).contains("cost: USD 0.12\n"),
        "{}",
        stdout(&out)
    );
    let body = r#"{"model": "gpt-image-2", "prompt": "a lighthouse", "quality": "auto"}"#;
    let v = json(&run(&["estimate", "--format", "json"], Some(body)));
    let (min, max) = (
        v["total"]["min"].as_str().unwrap(),
        v["total"]["max"].as_str().unwrap(),
    );
    assert_ne!(min, max, "size and quality auto make a range");
}

#[test]
fn estimate_without_a_price_exits_1() {
    let body = r#"{"model": "gpt-image-2", "prompt": "a lighthouse", "size": "1024x1024"}"#;
    let out = run(
        &["estimate", "--provider", "infinityblue", "--format", "json"],
        Some(body),
    );
    assert_eq!(status(&out), 1);
    assert_eq!(json(&out)["error"]["code"], "price.no_price_entry");
}

#[test]
fn estimate_with_a_user_price_table() {
    let table = temp_file(
        "prices.json",
        r#"{"as_of": "2026-11-21", "source": "a test table adding nothing", "entries": []}"#,
    );
    let body = r#"{"model": "dall-e-2", "prompt": "a lighthouse", "size": "256x256"}"#;
    let out = run(
        &[
            "estimate",
            "--prices",
            table.to_str().unwrap(),
            "--format",
            "json",
        ],
        Some(body),
    );
    assert_eq!(json(&out)["total"]["min"], "0.016");
    let bad = temp_file("bad-prices.json", "{");
    let out = run(&["estimate", "--prices", bad.to_str().unwrap()], Some(body));
    assert_eq!(status(&out), 2);
}

#[test]
fn plan_splits_n_at_infinityblue() {
    let body = r#"{"model": "gpt-image-2", "prompt": "a lighthouse", "n": 3}"#;
    let out = run(
        &["plan", "--provider", "infinityblue", "--format", "json"],
        Some(body),
    );
    assert_eq!(status(&out), 0);
    let v = json(&out);
    let calls = v["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[0]["method"], "POST");
    assert_eq!(calls[0]["url"], "{BASE_URL}/v1/images/generations");
    assert_eq!(calls[0]["body"]["n"], 1);
    assert_eq!(v["diagnostics"][0]["code"], "n.split");
}

#[test]
fn plan_for_uniall_sends_n_as_a_string_and_shows_the_estimate_key() {
    let body = r#"{"prompt": "a lighthouse", "size": "1920x1080", "n": 2}"#;
    let out = run(
        &["plan", "--provider", "uniall", "--format", "json"],
        Some(body),
    );
    assert_eq!(status(&out), 0);
    let v = json(&out);
    assert_eq!(v["calls"][0]["url"], "{BASE_URL}/v1/images/generations/");
    assert_eq!(v["calls"][0]["body"]["n"], "2");
    assert_eq!(v["calls"][0]["body"]["model"], "gpt-image-2-origin");
    assert!(v.get("estimate").is_some());
}

#[test]
fn plan_with_errors_has_no_calls_and_exits_1() {
    let body = r#"{"model": "gpt-image-2", "prompt": "a lighthouse", "size": "1920x1080"}"#;
    let out = run(&["plan"], Some(body));
    assert_eq!(status(&out), 1);
    assert!(!stdout(&out).contains("call 1"));
}

#[test]
fn plan_text_shows_the_call() {
    let body = r#"{"model": "gpt-image-2", "prompt": "a lighthouse", "size": "1024x1024", "quality": "low"}"#;
    let text = stdout(&run(&["plan"], Some(body)));
    assert!(
        text.contains("call 1 of 1: POST https://api.openai.com/v1/images/generations\n"),
        "{text}"
    );
    assert!(
        text.contains("Authorization: Bearer <OPENAI_API_KEY>"),
        "{text}"
    );
}

#[test]
fn a_custom_profile_file_is_loaded() {
    let profile = temp_file(
        "profile.json",
        r#"{
          "id": "my-gateway", "name": "My gateway", "source": "their docs", "as_of": "2026-11-01",
          "base_url": "https://images.example.com", "path": "/v1/images/generations",
          "auth": {"header": "Authorization", "scheme": "Bearer", "env": "MY_GATEWAY_KEY"},
          "response": {"shape": "openai"},
          "models": [{"name": "gpt-image-2", "model": "gpt-image-2", "rules": {"n": {"min": 1, "max": 4}}}]
        }"#,
    );
    let body = r#"{"model": "gpt-image-2", "prompt": "x", "n": 5}"#;
    let out = run(
        &[
            "validate",
            "--profile",
            profile.to_str().unwrap(),
            "--format",
            "json",
        ],
        Some(body),
    );
    assert_eq!(status(&out), 1);
    assert_eq!(json(&out)["diagnostics"][0]["code"], "n.out_of_range");
    let broken = temp_file("broken-profile.json", r#"{"id": "x"}"#);
    let out = run(
        &["check", "1024x1024", "--profile", broken.to_str().unwrap()],
        None,
    );
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).starts_with("gpt-image-plan: profile "));
}

#[test]
fn providers_and_models_list_everything() {
    let v = json(&run(&["providers", "--format", "json"], None));
    let ids: Vec<&str> = v["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "openai",
            "wavespeed",
            "enum-sizes",
            "uniall",
            "infinityblue",
            "all-required",
            "azure-openai",
            "fal",
            "replicate",
            "kie",
            "evolink",
            "pixapi",
            "openrouter"
        ]
    );
    let text = stdout(&run(&["providers"], None));
    assert_eq!(text.lines().count(), 13);
    // The December 2026 catalog: the 2.5 and 2.6 models and snapshots, the
    // shut-down 1.x models, dall-e-2 and dall-e-3.
    let v = json(&run(&["models", "--format", "json"], None));
    assert_eq!(v["models"].as_array().unwrap().len(), 15);
    let text = stdout(&run(&["models", "--date", "2026-12-03"], None));
    assert!(
        text.contains("\ndall-e-3                           shut down 2026-05-12 "),
        "{text}"
    );
    assert!(
        text.contains("\ngpt-image-1.5                      shut down 2026-12-01 "),
        "{text}"
    );
    let text = stdout(&run(&["models", "--date", "2026-11-15"], None));
    assert!(
        text.contains("\ngpt-image-1.5                      deprecated"),
        "{text}"
    );
}

#[test]
fn no_colour_without_a_terminal() {
    let out = run(&["check", "1920x1080"], None);
    assert!(!stdout(&out).contains('\u{1b}'));
}

#[test]
fn plan_carries_the_estimate_or_why_there_is_none() {
    let body = r#"{"model": "gpt-image-2", "prompt": "", "size": "1024x1024", "quality": "low"}"#;
    // An empty prompt is an error at OpenAI: no calls, no estimate, and why.
    let v = json(&run(&["plan", "--format", "json"], Some(body)));
    assert_eq!(v["estimate"], Value::Null);
    assert_eq!(v["unpriced"]["reason"], "not_planned");
    let body = r#"{"model": "gpt-image-2", "prompt": "a lighthouse", "size": "1024x1024", "quality": "low", "n": 2}"#;
    let v = json(&run(&["plan", "--format", "json"], Some(body)));
    assert_eq!(v["estimate"]["currency"], "USD");
    assert_eq!(v["estimate"]["images"][0]["min"], "0.00588");
    assert_eq!(v["estimate"]["images"][0]["count"]["min"], 2);
    assert_eq!(v["unpriced"], Value::Null);
    let v = json(&run(
        &["plan", "--provider", "infinityblue", "--format", "json"],
        Some(body),
    ));
    assert_eq!(v["estimate"], Value::Null);
    assert_eq!(v["unpriced"]["reason"], "no_price_entry");
}

/// The text block right after the first line of the README that contains `marker`.
fn readme_block_after(marker: &str) -> String {
    let readme = include_str!("../README.md");
    let start = readme.find(marker).expect("the README shows the command");
    let rest = &readme[start..];
    let open = rest.find("```text\n").expect("a text block follows") + "```text\n".len();
    let close = rest[open..].find("```").expect("the block ends");
    rest[open..open + close].to_owned()
}

#[test]
fn the_readme_main_command_output_is_what_the_tool_prints() {
    let shown = readme_block_after("cargo run --release --features cli -- suggest 16:9 --tier 2K");
    let out = run(&["suggest", "16:9", "--tier", "2K"], None);
    assert_eq!(stdout(&out), shown);
}

#[test]
fn the_readme_check_example_is_what_the_tool_prints() {
    let shown = readme_block_after("fix, often with a machine-usable replacement");
    let shown = shown
        .strip_prefix("$ gpt-image-plan check 1920x1080\n")
        .expect("the block starts with the command");
    let out = run(&["check", "1920x1080"], None);
    assert_eq!(stdout(&out), shown);
}

#[test]
fn control_characters_from_outside_are_escaped_in_text() {
    let out = run(&["check", "10\u{1b}[2J24x1024"], None);
    assert_eq!(status(&out), 1);
    let text = stdout(&out);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(
        text.starts_with("invalid: size \"10\\u{1b}[2J24x1024\" for \"gpt-image-2\" at \"openai\""),
        "{text:?}"
    );
    let body = "{\"model\": \"gpt-\\u001b[2Jimage\", \"prompt\": \"x\"}";
    let out = run(&["validate"], Some(body));
    assert_eq!(status(&out), 1);
    assert!(!stdout(&out).contains('\u{1b}'), "{:?}", stdout(&out));
    assert!(stdout(&out).contains("\\u{1b}[2J"), "{:?}", stdout(&out));
}

#[test]
fn a_profile_file_with_a_huge_path_is_refused_in_one_short_line() {
    let path = format!("/v1/{}", "{model}".repeat(100_000));
    let profile = temp_file(
        "huge-path.json",
        &format!(
            r#"{{
              "id": "huge", "name": "Huge", "source": "a test", "as_of": "2026-11-01",
              "base_url": "https://images.example.com", "path": "{path}",
              "auth": {{"header": "Authorization", "scheme": "Bearer", "env": "HUGE_API_KEY"}},
              "response": {{"shape": "openai"}},
              "models": [{{"name": "gpt-image-2", "model": "gpt-image-2"}}]
            }}"#
        ),
    );
    let out = run(
        &["plan", "--profile", profile.to_str().unwrap()],
        Some(r#"{"model": "gpt-image-2", "prompt": "x"}"#),
    );
    assert_eq!(status(&out), 2);
    assert_eq!(
        stderr(&out),
        format!(
            "gpt-image-plan: profile {}: path is 700004 characters long; at most 2048 are allowed\n",
            profile.display()
        )
    );
}

/// `generate` against a fake provider on loopback.
#[cfg(feature = "http")]
mod generate {
    use super::fake::{Fake, Reply, json};
    use super::{run_with, status, stderr, stdout, temp_file};
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    const KEY: &str = "sk-cli-test-0a1b2c3d4e5f";
    const PNG_B64: &str = "iVBORw0KGgo=";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

    fn b64_body() -> String {
        format!(
            r#"{{"created": 1, "data": [{{"b64_json": "{PNG_B64}"}}], "size": "1024x1024", "output_format": "png"}}"#
        )
    }

    const OTTER: &str = r#"{"model": "gpt-image-2", "prompt": "an otter", "size": "1024x1024"}"#;

    /// A fresh, empty directory for one test.
    fn fresh_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("gpt-image-plan-gen-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[track_caller]
    fn generate(
        fake: &Fake,
        provider: &str,
        body: &str,
        out: &Path,
        extra: &[&str],
    ) -> std::process::Output {
        let url = fake.url();
        let mut args = vec![
            "generate",
            "--provider",
            provider,
            "--base-url",
            &url,
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let env = [
            ("OPENAI_API_KEY", KEY),
            ("INFINITYBLUE_API_KEY", KEY),
            ("WAVESPEED_API_KEY", KEY),
            ("ENUM_SIZES_API_KEY", KEY),
        ];
        run_with(&args, Some(body), &env)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_generation_writes_its_image() {
        let fake = Fake::start(|_, _| json(200, &b64_body()));
        let dir = fresh_dir("ok");
        let out = generate(&fake, "openai", OTTER, &dir.join("imgs"), &[]);
        assert_eq!(status(&out), 0, "{}", stderr(&out));
        assert_eq!(
            stdout(&out),
            format!(
                "wrote {} (8 bytes)\n",
                dir.join("imgs/image-1.png").display()
            )
        );
        assert_eq!(std::fs::read(dir.join("imgs/image-1.png")).unwrap(), PNG);
        assert_eq!(names(&dir.join("imgs")), ["image-1.png"]);
    }

    #[test]
    fn an_out_that_is_a_file_is_refused_before_any_call() {
        let fake = Fake::start(|_, _| json(200, &b64_body()));
        let file = temp_file("not-a-dir", "x");
        let out = generate(&fake, "openai", OTTER, &file, &[]);
        assert_eq!(status(&out), 2);
        assert_eq!(
            stderr(&out),
            format!(
                "gpt-image-plan: --out \"{}\" exists and is not a directory\n",
                file.display()
            )
        );
        assert!(fake.requests().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn an_out_that_is_a_symlink_is_refused_before_any_call() {
        let fake = Fake::start(|_, _| json(200, &b64_body()));
        let dir = fresh_dir("link-out");
        std::fs::create_dir(dir.join("real")).unwrap();
        std::os::unix::fs::symlink(dir.join("real"), dir.join("link")).unwrap();
        let out = generate(&fake, "openai", OTTER, &dir.join("link"), &[]);
        assert_eq!(status(&out), 2);
        assert_eq!(
            stderr(&out),
            format!(
                "gpt-image-plan: --out \"{}\" is a symbolic link; give the directory itself\n",
                dir.join("link").display()
            )
        );
        assert!(fake.requests().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn existing_images_and_planted_links_are_never_overwritten_without_force() {
        let fake = Fake::start(|_, _| json(200, &b64_body()));
        let dir = fresh_dir("planted");
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, "keep me").unwrap();
        let out_dir = dir.join("imgs");
        std::fs::create_dir(&out_dir).unwrap();
        std::os::unix::fs::symlink(&victim, out_dir.join("image-1.png")).unwrap();
        let out = generate(&fake, "openai", OTTER, &out_dir, &[]);
        assert_eq!(status(&out), 2);
        assert_eq!(
            stderr(&out),
            format!(
                "gpt-image-plan: --out \"{}\" already holds image-1.png; pass --force to replace it, or choose another directory\n",
                out_dir.display()
            )
        );
        assert!(fake.requests().is_empty(), "checked before the paid call");
        // With --force the link itself is replaced; its target is untouched.
        let out = generate(&fake, "openai", OTTER, &out_dir, &["--force"]);
        assert_eq!(status(&out), 0, "{}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        let written = out_dir.join("image-1.png");
        assert!(
            !std::fs::symlink_metadata(&written)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&written).unwrap(), PNG);
    }

    #[test]
    fn a_partial_generation_writes_what_came_back_and_exits_3() {
        let fake = Fake::start(|_, i| {
            if i == 1 {
                json(
                    400,
                    r#"{"error": {"message": "blocked", "code": "moderation_blocked"}}"#,
                )
            } else {
                json(200, &b64_body())
            }
        });
        let dir = fresh_dir("partial");
        let body = r#"{"model": "gpt-image-2", "prompt": "an otter", "size": "1024x1024", "n": 3}"#;
        let out = generate(&fake, "infinityblue", body, &dir, &["--concurrency", "1"]);
        assert_eq!(status(&out), 3, "{}", stderr(&out));
        assert_eq!(names(&dir), ["image-1.png", "image-2.png"]);
        assert_eq!(
            stderr(&out),
            "gpt-image-plan: call 2 failed: refused by content policy (HTTP 400, code \"moderation_blocked\"): \"blocked\"\n"
        );
    }

    #[test]
    fn no_image_for_n_1_exits_1_and_says_so() {
        let fake = Fake::start(|_, _| json(200, r#"{"created": 1, "data": []}"#));
        let dir = fresh_dir("empty");
        let out = generate(&fake, "openai", OTTER, &dir, &[]);
        assert_eq!(status(&out), 1);
        assert_eq!(
            stderr(&out),
            "gpt-image-plan: the provider returned 0 of the 1 images the call asked for\n"
        );
        assert!(names(&dir).is_empty());
    }

    #[test]
    fn surplus_images_are_reported_not_downloaded() {
        let fake = Fake::start(|req, _| {
            if req.path.starts_with("/f/") {
                Reply::Bytes(200, "image/png", PNG.to_vec())
            } else {
                let addr = req.headers["host"].clone();
                let urls: Vec<String> = (0..5)
                    .map(|i| format!(r#"{{"url": "http://{addr}/f/{i}.png"}}"#))
                    .collect();
                json(200, &format!(r#"{{"data": [{}]}}"#, urls.join(",")))
            }
        });
        let dir = fresh_dir("surplus");
        let out = generate(&fake, "openai", OTTER, &dir, &[]);
        assert_eq!(status(&out), 0, "{}", stderr(&out));
        assert!(
            stdout(&out).ends_with(
                "warning: the provider returned 4 more images than asked for; not downloaded\n"
            ),
            "{}",
            stdout(&out)
        );
        assert_eq!(fake.requests().len(), 2);
        assert_eq!(names(&dir), ["image-1.png"]);
    }

    #[test]
    fn a_provider_error_with_terminal_escapes_is_printed_escaped() {
        let fake = Fake::start(|_, _| {
            json(
                400,
                r#"{"error": {"message": "bad\u001b[2J\u001b[Hthing", "code": "x"}}"#,
            )
        });
        let dir = fresh_dir("escape");
        let out = generate(&fake, "openai", OTTER, &dir, &[]);
        assert_eq!(status(&out), 1);
        assert_eq!(
            stderr(&out),
            "gpt-image-plan: invalid request (HTTP 400, code \"x\"): \"bad\\u{1b}[2J\\u{1b}[Hthing\"\n"
        );
    }

    #[test]
    fn a_profile_file_may_read_only_an_api_key_variable_unless_allowed() {
        let fake = Fake::start(|_, _| json(200, &b64_body()));
        let profile = temp_file(
            "path-key-profile.json",
            r#"{
              "id": "exfil", "name": "Exfil", "source": "a test", "as_of": "2026-11-01",
              "path": "/v1/images/generations",
              "auth": {"header": "Authorization", "scheme": "Bearer", "env": "GPT_IMAGE_PLAN_TEST_TOKEN"},
              "response": {"shape": "openai"},
              "models": [{"name": "gpt-image-2", "model": "gpt-image-2"}]
            }"#,
        );
        let dir = fresh_dir("key-env");
        let url = fake.url();
        let args = |extra: &[&'static str]| {
            let mut args = vec![
                "generate".to_owned(),
                "--profile".to_owned(),
                profile.display().to_string(),
                "--base-url".to_owned(),
                url.clone(),
                "--out".to_owned(),
                dir.display().to_string(),
            ];
            args.extend(extra.iter().map(|s| (*s).to_owned()));
            args
        };
        let env = [("GPT_IMAGE_PLAN_TEST_TOKEN", KEY)];
        let refused = args(&[]);
        let refused: Vec<&str> = refused.iter().map(String::as_str).collect();
        let out = run_with(&refused, Some(OTTER), &env);
        assert_eq!(status(&out), 2);
        assert_eq!(
            stderr(&out),
            "gpt-image-plan: profile \"exfil\" reads its key from GPT_IMAGE_PLAN_TEST_TOKEN; a profile file may name only a variable ending in _API_KEY (pass --allow-key-env GPT_IMAGE_PLAN_TEST_TOKEN to allow this one)\n"
        );
        assert!(fake.requests().is_empty());
        let allowed = args(&["--allow-key-env", "GPT_IMAGE_PLAN_TEST_TOKEN"]);
        let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
        let out = run_with(&allowed, Some(OTTER), &env);
        assert_eq!(status(&out), 0, "{}", stderr(&out));
        assert_eq!(
            fake.requests()[0].headers["authorization"],
            format!("Bearer {KEY}")
        );
    }

    #[test]
    fn a_dripping_provider_is_given_up_on_after_the_timeout_flag() {
        let fake = Fake::start(|_, _| {
            Reply::Slow(Duration::from_secs(4), Box::new(json(200, &b64_body())))
        });
        let dir = fresh_dir("timeout");
        let started = Instant::now();
        let out = generate(&fake, "openai", OTTER, &dir, &["--timeout", "0.3"]);
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(status(&out), 1);
        assert_eq!(stderr(&out), "gpt-image-plan: call timed out after 300ms\n");
    }

    #[test]
    fn a_stuck_task_is_given_up_on_after_the_poll_flags() {
        let fake = Fake::start(|req, _| {
            let addr = req.headers["host"].clone();
            json(
                200,
                &format!(
                    r#"{{"code": 200, "message": "success", "data": {{"id": "t1", "status": "processing", "outputs": [], "urls": {{"get": "http://{addr}/api/v3/predictions/t1/result"}}}}}}"#
                ),
            )
        });
        let dir = fresh_dir("stuck");
        let started = Instant::now();
        let out = generate(
            &fake,
            "wavespeed",
            OTTER,
            &dir,
            &["--max-polls", "3", "--poll-interval", "0.05"],
        );
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(status(&out), 1, "{}", stderr(&out));
        assert_eq!(
            stderr(&out),
            "gpt-image-plan: task \"t1\" is still running after 3 polls\n"
        );
        assert_eq!(fake.requests().len(), 4);
    }

    #[test]
    fn a_bad_timeout_flag_is_a_usage_problem() {
        let fake = Fake::start(|_, _| json(200, &b64_body()));
        let dir = fresh_dir("bad-flag");
        let out = generate(&fake, "openai", OTTER, &dir, &["--overall-timeout", "0"]);
        assert_eq!(status(&out), 2);
        assert_eq!(
            stderr(&out),
            "gpt-image-plan: --overall-timeout 0: give a positive number of seconds\n"
        );
    }
}

#[test]
fn n_of_minus_zero_is_the_wrong_type_with_no_fix_of_0() {
    let out = run(
        &["validate"],
        Some(r#"{"model": "gpt-image-2", "prompt": "x", "n": -0}"#),
    );
    assert_eq!(status(&out), 1);
    assert_eq!(
        stdout(&out),
        "invalid: request at \"openai\" (1 error, 0 warnings)\n\
         error   n.invalid_type\n  \
         why: n -0: expected an integer, got a number with a fraction or exponent\n"
    );
}

#[test]
fn nearest_keeps_the_shape_on_a_list_provider() {
    // Issue 16: 16:9 stays 16:9 where 2048x1152 is listed.
    let out = run(&["nearest", "1920x1080", "--provider", "enum-sizes"], None);
    assert_eq!(status(&out), 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("2048x1152  (nearest to 1920x1080, log distance "),
        "{text}"
    );
}

// ---------------------------------------------------------------- providers as data (issue 14)

const ISSUE_14: &str = r#"{"model":"gpt-image-2","prompt":"x","size":"1920x1088","n":2}"#;

#[test]
fn plan_at_fal_writes_its_own_body_and_a_redacted_key_scheme() {
    let v = json(&run(
        &["plan", "-", "--provider", "fal", "--format", "json"],
        Some(ISSUE_14),
    ));
    let call = &v["calls"][0];
    assert_eq!(
        call["body"]["image_size"],
        serde_json::json!({"width": 1920, "height": 1088})
    );
    assert_eq!(call["body"]["num_images"], 2);
    assert_eq!(call["headers"][1]["name"], "Authorization");
    assert_eq!(call["headers"][1]["value"], "Key <FAL_KEY>");
}

#[test]
fn plan_at_azure_has_the_deployment_path_the_api_version_and_api_key() {
    let v = json(&run(
        &[
            "plan",
            "-",
            "--provider",
            "azure-openai",
            "--format",
            "json",
        ],
        Some(ISSUE_14),
    ));
    let url = v["calls"][0]["url"].as_str().unwrap();
    assert!(url.contains("/openai/deployments/"), "{url}");
    assert!(url.contains("api-version="), "{url}");
    assert_eq!(v["calls"][0]["headers"][1]["name"], "api-key");
}

#[test]
fn plan_at_replicate_wraps_the_input_with_an_aspect_ratio() {
    let v = json(&run(
        &["plan", "-", "--provider", "replicate", "--format", "json"],
        Some(ISSUE_14),
    ));
    let input = &v["calls"][0]["body"]["input"];
    assert_eq!(input["aspect_ratio"], "3:2");
    assert_eq!(v["calls"][0]["yields"], "1536x1024");
}

#[test]
fn plan_at_kie_sends_16_9_at_2k_and_says_it_yields_2048x1152() {
    let out = run(
        &["plan", "-", "--provider", "kie", "--format", "json"],
        Some(r#"{"model":"gpt-image-2","prompt":"x","size":"2048x1152"}"#),
    );
    assert_eq!(status(&out), 0);
    let v = json(&out);
    let call = &v["calls"][0];
    assert_eq!(call["body"]["input"]["aspect_ratio"], "16:9");
    assert_eq!(call["body"]["input"]["resolution"], "2K");
    assert_eq!(call["yields"], "2048x1152");
    let text = stdout(&run(
        &["plan", "-", "--provider", "kie"],
        Some(r#"{"model":"gpt-image-2","prompt":"x","size":"2048x1152"}"#),
    ));
    assert!(text.contains("\n  yields 2048x1152\n"), "{text}");
}

#[test]
fn profile_check_lists_every_problem_with_its_path_and_exits_1() {
    let path = temp_file(
        "broken-profile.json",
        r#"{"id": "gw", "name": "Gateway", "source": "docs", "as_of": "2026-11-01",
            "path": "/v1/{what}/images", "request": {"outside": ["model"]},
            "auth": {"header": "Authorization", "scheme": "Bearer", "env": ""},
            "models": [{"name": "gpt-image-2", "model": "gpt-image-2"}]}"#,
    );
    let out = run(&["profile", "check", path.to_str().unwrap()], None);
    assert_eq!(status(&out), 1);
    let text = stdout(&out);
    assert!(text.ends_with(
        "3 problems\n  path: placeholder \"{what}\" is not one of {model}\n  request.outside: fields are kept outside an envelope, but there is none\n  auth.env: the environment variable's name is empty\n"
    ), "{text}");
    let v = json(&run(
        &[
            "profile",
            "check",
            path.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(v["problems"][1]["path"], "request.outside");
}

#[test]
fn profile_check_prints_the_calls_of_a_sample_request_and_exits_0() {
    let out = run(&["profile", "check", "data/profiles/replicate.json"], None);
    assert_eq!(status(&out), 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("profile \"replicate\" loads: 1 served model, answers task\n"),
        "{text}"
    );
    assert!(
        text.contains(r#"  {"input":{"prompt":"a lighthouse at dusk","number_of_images":2,"aspect_ratio":"1:1"}}"#),
        "{text}"
    );
}

#[test]
fn nearest_and_suggest_answer_in_the_providers_terms() {
    let out = run(&["nearest", "1920x1080", "--provider", "kie"], None);
    assert_eq!(status(&out), 0);
    assert_eq!(
        stdout(&out),
        "2048x1152  (nearest to 1920x1080, log distance 0.0913)\n  \
         ask \"kie\" with {\"aspect_ratio\":\"16:9\",\"resolution\":\"2K\"}, which yields 2048x1152\n"
    );
    let out = run(
        &[
            "nearest",
            "1900x1070",
            "--provider",
            "fal",
            "--format",
            "json",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["ask_as"]["members"],
        serde_json::json!({"image_size": {"width": 1904, "height": 1072}})
    );
    let out = run(
        &[
            "suggest",
            "16:9",
            "--tier",
            "4K",
            "--provider",
            "kie",
            "-k",
            "1",
        ],
        None,
    );
    assert!(
        stdout(&out).contains(
            "ask \"kie\" with {\"aspect_ratio\":\"16:9\",\"resolution\":\"4K\"}, which yields 3840x2160"
        ),
        "{}",
        stdout(&out)
    );
    // OpenAI takes the size as text: nothing more to say.
    let out = run(&["nearest", "1900x1070"], None);
    assert!(!stdout(&out).contains("ask"), "{}", stdout(&out));
}
