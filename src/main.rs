//! `gpt-image-plan`: check, snap, price and plan GPT Image requests from the shell.
//!
//! Exit status: 0 when the request or size is valid (warnings allowed), 1 when
//! it has errors (or, for `generate`, when no image came back), 2 for usage or
//! input problems, 3 when `generate` wrote some images and some calls failed.
//!
//! Everything printed in text that came from outside (a request, a profile, a
//! provider, the command line) has its control characters escaped (`\u{1b}`),
//! so no input can move the cursor or clear the screen.
#![forbid(unsafe_code)]

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use gpt_image_plan::price::{self, Estimate, PriceTable};
use gpt_image_plan::{
    Catalog, Date, Diagnostic, ModelState, Profile, Report, ServedModel, Severity, Size,
    UnknownProvider, builtin_profiles, builtin_profiles_in, catalog, check_size, planner,
    profile_by_id, validate_json_on, wire,
};
use serde_json::{Value, json};

#[derive(Parser)]
#[command(
    name = "gpt-image-plan",
    version,
    about = "Check, snap, price and plan GPT Image text-to-image requests before the call",
    after_help = "Exit status: 0 valid (warnings allowed), 1 errors found (generate: no image came back), \
                  2 usage or input problem, 3 generate wrote some images but some calls failed."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Provider id of a built-in profile (see `providers`).
    #[arg(long, short = 'p', global = true, default_value = "openai")]
    provider: String,
    /// Load the provider profile from this JSON file instead of a built-in one.
    #[arg(long, global = true, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// Load a price table from this JSON file (over the built-in one).
    #[arg(long, global = true, value_name = "FILE")]
    prices: Option<PathBuf>,
    /// Load a model catalog from this JSON file over the built-in one: its
    /// models and parameters replace or add to the built-in ones.
    #[arg(long, global = true, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// The day model lifecycles are judged on, YYYY-MM-DD (default: today, UTC).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    date: Option<Date>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check one size (or `auto`) for a model.
    Check {
        /// The size, `WIDTHxHEIGHT` or `auto`.
        size: String,
        /// Model name as the provider spells it (default: gpt-image-2 or the provider's nearest).
        #[arg(long, short = 'm')]
        model: Option<String>,
    },
    /// Validate a full request body (JSON) from a file or `-` for stdin.
    Validate {
        /// The request file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
    },
    /// The nearest valid size to SIZE.
    Nearest {
        /// The size, `WIDTHxHEIGHT`.
        size: String,
        /// Model name as the provider spells it.
        #[arg(long, short = 'm')]
        model: Option<String>,
    },
    /// Ranked sizes for an aspect ratio at a tier, long edge or pixel count.
    Suggest {
        /// The aspect ratio, `W:H` (for example `16:9`, `9:16`, `21:9`).
        ratio: gpt_image_plan::AspectRatio,
        /// Target tier: 1K, 2K or 4K (a long edge of 1024, 2048 or 3840 px). The default is 2K.
        #[arg(long, conflicts_with_all = ["long_edge", "pixels"])]
        tier: Option<gpt_image_plan::Tier>,
        /// Target long edge in pixels.
        #[arg(long, conflicts_with = "pixels")]
        long_edge: Option<u32>,
        /// Target pixel count.
        #[arg(long)]
        pixels: Option<u64>,
        /// How many candidates.
        #[arg(long, short = 'k', default_value_t = planner::DEFAULT_K)]
        count: usize,
        /// Model name as the provider spells it.
        #[arg(long, short = 'm')]
        model: Option<String>,
    },
    /// Price a request body (JSON) before the call.
    Estimate {
        /// The request file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
    },
    /// The exact HTTP calls a request body (JSON) would be sent as.
    Plan {
        /// The request file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
    },
    /// Send a request and save the images (needs the `http` feature).
    #[cfg(feature = "http")]
    Generate(Box<GenerateArgs>),
    /// The sizes a provider names, with tiers and labels.
    Presets {
        /// Model name as the provider spells it.
        #[arg(long, short = 'm')]
        model: Option<String>,
        /// Only this tier (1K, 2K, 4K).
        #[arg(long)]
        tier: Option<gpt_image_plan::Tier>,
    },
    /// The built-in providers and the models they serve.
    Providers,
    /// Work with a provider profile file.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// The model catalog with lifecycle dates.
    Models,
}

/// `profile`'s subcommands.
#[derive(Subcommand)]
enum ProfileCommand {
    /// Load a profile file: list every problem with its JSON path (exit 1),
    /// or print the calls it would send for a sample request (exit 0).
    Check {
        /// The profile file (JSON).
        file: PathBuf,
    },
}

/// `generate`'s arguments.
#[cfg(feature = "http")]
#[derive(clap::Args)]
struct GenerateArgs {
    /// The request file; `-` or nothing reads stdin.
    file: Option<PathBuf>,
    /// Where to write the images (a directory, created when missing; not a
    /// symbolic link). It is checked before any call is sent.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replace existing image-N files in the output directory.
    #[arg(long)]
    force: bool,
    /// Base URL to send to instead of the profile's.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Let a `--profile` file read its key from VAR though its name does not
    /// end in `_API_KEY`.
    #[arg(long, value_name = "VAR")]
    allow_key_env: Option<String>,
    /// Seconds for each try of each call, body included.
    #[arg(long, value_name = "SECS", default_value_t = 180.0)]
    timeout: f64,
    /// Seconds for everything: calls, retries, polls and downloads.
    #[arg(long, value_name = "SECS", default_value_t = 600.0)]
    overall_timeout: f64,
    /// Retries per call or download after the first try (429, 5xx, failed connections).
    #[arg(long, value_name = "N", default_value_t = 3)]
    retries: u32,
    /// The most calls of a split request in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    concurrency: usize,
    /// The most polls of a task before giving up.
    #[arg(long, value_name = "N", default_value_t = 120)]
    max_polls: u32,
    /// The longest wait between two polls, in seconds (the waits double up to it).
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    poll_interval: f64,
}

/// A usage or input problem: exit status 2 with one line on stderr.
struct Usage(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(Usage(message)) => {
            eprintln!("gpt-image-plan: {}", outside(&message));
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode, Usage> {
    let style = Style::detect(cli.format);
    match &cli.command {
        Command::Check { size, model } => {
            let profile = load_profile(cli)?;
            let model = pick_model(&profile, model.as_deref())?;
            let report = check_size(size, &profile, Some(&model.name));
            Ok(print_report(
                cli.format,
                style,
                &report,
                &format!(
                    "size \"{size}\" for \"{}\" at \"{}\"",
                    model.name, profile.id
                ),
            ))
        }
        Command::Validate { file } => {
            let profile = load_profile(cli)?;
            let text = read_input(file.as_ref())?;
            let report = validate_json_on(&text, &profile, date(cli));
            Ok(print_report(
                cli.format,
                style,
                &report,
                &format!("request at \"{}\"", profile.id),
            ))
        }
        Command::Nearest { size, model } => {
            let profile = load_profile(cli)?;
            let model = pick_model(&profile, model.as_deref())?;
            let target: Size = size
                .parse()
                .map_err(|e: gpt_image_plan::ParseSizeError| Usage(e.to_string()))?;
            let Some(nearest) = planner::nearest(&model.rules.sizes, target) else {
                return Err(Usage(format!(
                    "\"{}\" at \"{}\" takes only size \"auto\"",
                    model.name, profile.id
                )));
            };
            let distance = planner::LogPoint::of(target)
                .distance_sq(planner::LogPoint::of(nearest))
                .sqrt();
            match cli.format {
                Format::Json => print_json(&json!({
                    "input": target.to_string(),
                    "nearest": nearest.to_string(),
                    "distance": distance,
                    "valid": nearest == target,
                    "provider": profile.id,
                    "model": model.name,
                    "ask_as": ask_as_json(&profile, nearest),
                })),
                Format::Text => {
                    if nearest == target {
                        println!(
                            "{} {target} is already valid for \"{}\" at \"{}\"",
                            style.ok("ok"),
                            clean(&model.name),
                            clean(&profile.id)
                        );
                    } else {
                        println!("{nearest}  (nearest to {target}, log distance {distance:.4})");
                    }
                    if let Some(line) = ask_as_text(&profile, nearest) {
                        println!("{line}");
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Suggest {
            ratio,
            tier,
            long_edge,
            pixels,
            count,
            model,
        } => {
            let profile = load_profile(cli)?;
            let model = pick_model(&profile, model.as_deref())?;
            let target = match (tier, long_edge, pixels) {
                (_, Some(edge), _) => planner::Target::LongEdge(*edge),
                (_, _, Some(px)) => planner::Target::Pixels(*px),
                (Some(tier), _, _) => planner::Target::Tier(*tier),
                _ => planner::Target::Tier(gpt_image_plan::Tier::K2),
            };
            let candidates = planner::for_aspect(&model.rules, *ratio, target, *count)
                .map_err(|e| Usage(e.to_string()))?;
            match cli.format {
                Format::Json => print_json(&json!({
                    "ratio": ratio.to_string(),
                    "target": target.to_string(),
                    "provider": profile.id,
                    "model": model.name,
                    "candidates": candidates.iter().map(|c| json!({
                        "size": c.size.to_string(),
                        "ratio": c.ratio.to_string(),
                        "named_ratio": c.named_ratio.ratio.to_string(),
                        "pixels": c.pixels,
                        "orientation": c.orientation.to_string(),
                        "distance": c.distance,
                        "tier": c.tier.map(|t| t.to_string()),
                        "preset": c.preset,
                        "label": c.label,
                        "ask_as": ask_as_json(&profile, c.size),
                    })).collect::<Vec<_>>(),
                })),
                Format::Text => {
                    println!(
                        "{ratio} at {target} for \"{}\" at \"{}\"",
                        clean(&model.name),
                        clean(&profile.id)
                    );
                    println!(
                        "  {:<10} {:<7} {:>10}  {:>8}  {:<4} preset",
                        "size", "ratio", "pixels", "distance", "tier"
                    );
                    for c in &candidates {
                        println!(
                            "  {:<10} {:<7} {:>10}  {:>8.4}  {:<4} {}",
                            c.size.to_string(),
                            format!("~{}", c.named_ratio.ratio),
                            c.pixels,
                            c.distance,
                            c.tier.map(|t| t.to_string()).unwrap_or_else(|| "-".into()),
                            match (&c.label, c.preset) {
                                (Some(label), _) => format!("yes ({label})"),
                                (None, true) => "yes".to_owned(),
                                (None, false) => "no".to_owned(),
                            }
                        );
                        if let Some(line) = ask_as_text(&profile, c.size) {
                            println!("  {line}");
                        }
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Estimate { file } => {
            let profile = load_profile(cli)?;
            let prices = load_prices(cli)?;
            let text = read_input(file.as_ref())?;
            let (request, report) = parse_body(&text, &profile, date(cli));
            if is_unreadable(&report) {
                return Ok(print_report(
                    cli.format,
                    style,
                    &report,
                    &format!("request at \"{}\"", profile.id),
                ));
            }
            let estimate = price::estimate(&request, &profile, &prices);
            let valid = report.is_valid() && estimate.is_ok();
            match cli.format {
                Format::Json => {
                    let mut out = match &estimate {
                        Ok(e) => estimate_json(e),
                        Err(e) => json!({"error": {"code": e.code(), "message": e.to_string()}}),
                    };
                    out["valid"] = json!(report.is_valid());
                    out["diagnostics"] = json!(report.diagnostics);
                    print_json(&out);
                }
                Format::Text => {
                    if !report.is_valid() || report.warnings().next().is_some() {
                        print!(
                            "{}",
                            render_report(
                                style,
                                &report,
                                &format!("request at \"{}\"", profile.id)
                            )
                        );
                    }
                    match &estimate {
                        Ok(e) => print!("{}", render_estimate(e)),
                        Err(e) => println!("no estimate: {}", clean(&e.to_string())),
                    }
                }
            }
            Ok(if valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Plan { file } => {
            let profile = load_profile(cli)?;
            let prices = load_prices(cli)?;
            let text = read_input(file.as_ref())?;
            let plan = wire::plan_json_on(&text, &profile, &prices, date(cli));
            let report = &plan.report;
            match cli.format {
                Format::Json => print_json(&json!({
                    "valid": report.is_valid(),
                    "provider": plan.profile,
                    "model": plan.model,
                    "calls": plan.calls.iter().map(call_json).collect::<Vec<_>>(),
                    "diagnostics": report.diagnostics,
                    "estimate": plan.estimate.as_ref().map(estimate_json),
                    "unpriced": plan.unpriced,
                })),
                Format::Text => {
                    print!(
                        "{}",
                        render_report(style, report, &format!("request at \"{}\"", profile.id))
                    );
                    print_calls(&plan.calls);
                    if let Some(e) = &plan.estimate {
                        print!("{}", render_estimate(e));
                    }
                    if let Some(why) = &plan.unpriced {
                        println!("no estimate: {}", clean(&why.message));
                    }
                }
            }
            Ok(if report.is_valid() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        #[cfg(feature = "http")]
        Command::Generate(args) => generate(cli, args),
        Command::Profile(ProfileCommand::Check { file }) => profile_check(cli, file),
        Command::Presets { model, tier } => {
            let profile = load_profile(cli)?;
            let model = pick_model(&profile, model.as_deref())?;
            let presets: Vec<_> = model
                .rules
                .presets
                .iter()
                .filter(|p| tier.is_none() || p.tier == *tier)
                .collect();
            match cli.format {
                Format::Json => print_json(&json!({
                    "provider": profile.id,
                    "model": model.name,
                    "presets": presets.iter().map(|p| json!({
                        "size": p.size.to_string(),
                        "tier": p.tier.map(|t| t.to_string()),
                        "label": p.label,
                        "ratio": gpt_image_plan::AspectRatio::of(p.size).map(|r| r.to_string()),
                        "orientation": p.size.orientation().to_string(),
                        "pixels": p.size.pixels(),
                    })).collect::<Vec<_>>(),
                })),
                Format::Text => {
                    if presets.is_empty() {
                        println!(
                            "no presets for \"{}\" at \"{}\"",
                            clean(&model.name),
                            clean(&profile.id)
                        );
                    }
                    for p in presets {
                        println!(
                            "{:<10} {:<3} {}",
                            p.size.to_string(),
                            p.tier.map(|t| t.to_string()).unwrap_or_default(),
                            clean(p.label.as_deref().unwrap_or(""))
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Providers => {
            let profiles = builtin_profiles();
            match cli.format {
                Format::Json => print_json(&json!({
                    "providers": profiles.iter().map(|p| json!({
                        "id": p.id,
                        "name": p.name,
                        "as_of": p.as_of.to_string(),
                        "source": p.source,
                        "models": p.models.iter().map(|m| json!({"name": m.name, "model": m.model.to_string()})).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })),
                Format::Text => {
                    for p in profiles {
                        let models: Vec<&str> = p.models.iter().map(|m| m.name.as_str()).collect();
                        println!("{:<13} {:<40} {}", p.id, p.name, models.join(", "));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Models => {
            let catalog = load_catalog(cli)?;
            let day = date(cli);
            match cli.format {
                Format::Json => print_json(&json!({
                    "as_of": catalog.as_of.to_string(),
                    "date": day.to_string(),
                    "models": catalog.models.iter().map(|m| json!({
                        "id": m.id.to_string(),
                        "family": m.family.to_string(),
                        "snapshot_of": m.snapshot_of.as_ref().map(ToString::to_string),
                        "state": m.lifecycle.state_on(day).to_string(),
                        "released": m.lifecycle.released.map(|d| d.to_string()),
                        "deprecated": m.lifecycle.deprecated.map(|d| d.to_string()),
                        "retired": m.lifecycle.retired.map(|d| d.to_string()),
                        "replacement": m.lifecycle.replacement.as_ref().map(ToString::to_string),
                        "n_max": m.rules.n.max,
                        "prompt_max_chars": m.rules.prompt.max_chars,
                        "qualities": m.rules.param("quality").values,
                        "parameters": m.rules.params.keys().collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })),
                Format::Text => {
                    println!("models on {day} (catalog as of {})", catalog.as_of);
                    for m in &catalog.models {
                        let life = &m.lifecycle;
                        let status = match (life.state_on(day), life.retired) {
                            (ModelState::Shutdown, Some(d)) => format!("shut down {d}"),
                            (ModelState::Deprecated, Some(d)) => format!("deprecated, ends {d}"),
                            (state, _) => state.to_string(),
                        };
                        let qualities: Vec<String> = m
                            .rules
                            .param("quality")
                            .values
                            .iter()
                            .map(ToString::to_string)
                            .collect();
                        println!(
                            "{:<34} {:<26} n<={:<3} prompt<={:<6} {}",
                            m.id.to_string(),
                            status,
                            m.rules.n.max,
                            m.rules.prompt.max_chars,
                            qualities.join("/")
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load_prices(cli: &Cli) -> Result<PriceTable, Usage> {
    match &cli.prices {
        None => Ok(PriceTable::builtin().clone()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Usage(format!("cannot read price table {}: {e}", path.display())))?;
            PriceTable::builtin_with(&text)
                .map_err(|e| Usage(format!("price table {}: {e}", path.display())))
        }
    }
}

/// Reads a request body and validates it, judging lifecycles on `date`.
/// Malformed JSON (or a body that is not an object) is a finding like any
/// other, so every command that reads a body exits 1 on it, as `validate` does.
fn parse_body(text: &str, profile: &Profile, date: Date) -> (gpt_image_plan::ImageRequest, Report) {
    let (request, mut report) = gpt_image_plan::request_from_json(text, profile);
    if is_unreadable(&report) {
        return (request, report);
    }
    report
        .diagnostics
        .extend(gpt_image_plan::validate_on(&request, profile, date).diagnostics);
    (request, report)
}

/// Whether the body could not be read as a JSON object at all.
fn is_unreadable(report: &Report) -> bool {
    report.diagnostics.iter().any(|d| {
        matches!(
            d.code.to_string().as_str(),
            "request.malformed_json" | "request.not_object"
        )
    })
}

fn estimate_json(e: &Estimate) -> Value {
    json!({
        "provider": e.provider,
        "model": e.model,
        "as_of": e.as_of.to_string(),
        "currency": e.currency.to_string(),
        "basis": e.basis,
        "total": {"min": e.total.min.to_string(), "max": e.total.max.to_string()},
        "reservation": e.reservation.to_string(),
        "calls": e.calls,
        "images": e.images.iter().map(|line| json!({
            "size": line.size.map(|s| s.to_string()),
            "quality": line.quality.map(|q| q.to_string()),
            "count": {"min": line.count.min, "max": line.count.max},
            "tier": line.tier.map(|t| json!({"min": t.min.to_string(), "max": t.max.to_string()})),
            "output_image_tokens": line.output_image_tokens.map(|t| json!({"min": t.min, "max": t.max})),
            "min": line.each.min.to_string(),
            "max": line.each.max.to_string(),
            "cost": {"min": line.cost.min.to_string(), "max": line.cost.max.to_string()},
        })).collect::<Vec<_>>(),
        "prompt_tokens": e.prompt_tokens,
        "prompt_cost": e.prompt_cost.map(|c| json!({"min": c.min.to_string(), "max": c.max.to_string()})),
        "notes": e.notes.iter().map(|n| n.message.to_string()).collect::<Vec<_>>(),
        "note_kinds": e.notes.iter().map(|n| n.kind).collect::<Vec<_>>(),
    })
}

fn range_text<T: std::fmt::Display + PartialEq>(min: &T, max: &T) -> String {
    if min == max {
        min.to_string()
    } else {
        format!("{min} to {max}")
    }
}

fn render_estimate(e: &Estimate) -> String {
    let mut out = String::new();
    let exact = if e.total.min == e.total.max {
        ""
    } else {
        " (a range; see notes)"
    };
    let _ = writeln!(
        out,
        "cost: {} {}{exact}",
        e.currency,
        range_text(&e.total.min, &e.total.max)
    );
    for line in &e.images {
        let size = line
            .size
            .map(|s| s.to_string())
            .unwrap_or_else(|| "unknown size".into());
        let quality = line
            .quality
            .map(|q| q.to_string())
            .unwrap_or_else(|| "unknown quality".into());
        let tokens = line
            .output_image_tokens
            .map(|t| format!(", {} output tokens each", range_text(&t.min, &t.max)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} x {size} {quality}: {} each{tokens}",
            range_text(&line.count.min, &line.count.max),
            range_text(&line.each.min, &line.each.max)
        );
    }
    if let Some(c) = e.prompt_cost {
        let _ = writeln!(out, "  prompt text: {}", range_text(&c.min, &c.max));
    }
    if e.reservation != e.total.max {
        let _ = writeln!(out, "  reserved before the call: {}", e.reservation);
    }
    for note in &e.notes {
        let _ = writeln!(out, "  note: {}", clean(&note.message));
    }
    out
}

/// `profile check FILE`: every problem of the profile at its JSON path, or
/// the calls a sample request becomes.
fn profile_check(cli: &Cli, file: &PathBuf) -> Result<ExitCode, Usage> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Usage(format!("cannot read profile {}: {e}", file.display())))?;
    let problems = Profile::problems(&text);
    if !problems.is_empty() {
        match cli.format {
            Format::Json => print_json(&json!({
                "valid": false,
                "problems": problems.iter().map(|p| json!({
                    "path": p.path(),
                    "message": p.message(),
                })).collect::<Vec<_>>(),
            })),
            Format::Text => {
                println!(
                    "profile {}: {} problem{}",
                    file.display(),
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                );
                for p in &problems {
                    let path = if p.path().is_empty() {
                        "(document)"
                    } else {
                        p.path()
                    };
                    println!("  {}: {}", clean(path), clean(p.message()));
                }
            }
        }
        return Ok(ExitCode::from(1));
    }
    let profile =
        Profile::from_json(&text).map_err(|e| Usage(format!("profile {}: {e}", file.display())))?;
    check_profile_lengths(&profile)
        .map_err(|e| Usage(format!("profile {}: {e}", file.display())))?;
    let served = pick_model(&profile, None)?;
    let size = served
        .rules
        .presets
        .first()
        .map(|p| p.size)
        .or_else(|| served.rules.sizes.list.first().copied())
        .map_or_else(|| "1024x1024".to_owned(), |s| s.to_string());
    let sample = json!({
        "model": served.name,
        "prompt": "a lighthouse at dusk",
        "size": size,
        "n": 2,
    })
    .to_string();
    let plan = wire::plan_json(&sample, &profile);
    match cli.format {
        Format::Json => print_json(&json!({
            "valid": true,
            "profile": profile.id,
            "sample": serde_json::from_str::<Value>(&sample).unwrap_or(Value::Null),
            "calls": plan.calls.iter().map(call_json).collect::<Vec<_>>(),
            "diagnostics": plan.report.diagnostics,
        })),
        Format::Text => {
            println!(
                "profile \"{}\" loads: {} served model{}, answers {}",
                clean(&profile.id),
                profile.models.len(),
                if profile.models.len() == 1 { "" } else { "s" },
                profile.response.kind()
            );
            println!("sample request: {sample}");
            let style = Style::detect(cli.format);
            print!(
                "{}",
                render_report(
                    style,
                    &plan.report,
                    &format!("request at \"{}\"", profile.id)
                )
            );
            print_calls(&plan.calls);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn call_json(call: &wire::Call) -> Value {
    let mut out = json!({
        "method": call.method.to_string(),
        "url": call.url,
        "headers": call.headers.iter().map(|h| json!({"name": h.name, "value": h.value})).collect::<Vec<_>>(),
        "body": call.body.as_deref().and_then(|b| serde_json::from_str::<Value>(b).ok()),
        "n": call.n,
    });
    // The pixel size a call yields when its body does not say it in pixels.
    if let Some(size) = call.yields {
        out["yields"] = json!(size.to_string());
    }
    out
}

fn load_profile(cli: &Cli) -> Result<Profile, Usage> {
    if let Some(path) = &cli.profile {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Usage(format!("cannot read profile {}: {e}", path.display())))?;
        let profile = Profile::from_json(&text)
            .map_err(|e| Usage(format!("profile {}: {e}", path.display())))?;
        check_profile_lengths(&profile)
            .map_err(|e| Usage(format!("profile {}: {e}", path.display())))?;
        return Ok(profile);
    }
    if cli.catalog.is_some() {
        let catalog = load_catalog(cli)?;
        let all = builtin_profiles_in(&catalog)
            .map_err(|e| Usage(format!("built-in profiles over the catalog: {e}")))?;
        return all
            .into_iter()
            .find(|p| p.id == cli.provider)
            .ok_or_else(|| Usage(UnknownProvider::among(&cli.provider, []).to_string()));
    }
    profile_by_id(&cli.provider)
        .cloned()
        .map_err(|e| Usage(e.to_string()))
}

/// The calls of a plan as text: method and URL, headers, body, and the size
/// a ratio call yields.
fn print_calls(calls: &[wire::Call]) {
    for (i, call) in calls.iter().enumerate() {
        println!(
            "call {} of {}: {} {}",
            i + 1,
            calls.len(),
            call.method,
            clean(&call.url)
        );
        for h in &call.headers {
            println!("  {}: {}", clean(&h.name), clean(&h.value));
        }
        if let Some(body) = &call.body {
            println!("  {}", clean(body));
        }
        if let Some(size) = call.yields {
            println!("  yields {size}");
        }
    }
}

/// How the provider is asked for `size` in its own terms, as JSON: the
/// members, the size they yield and whether that is approximate.
fn ask_as_json(profile: &Profile, size: Size) -> Value {
    match wire::size_request(profile, size) {
        Ok(asked) => json!({
            "members": serde_json::from_str::<Value>(&asked.members).unwrap_or(Value::Null),
            "yields": asked.yields.to_string(),
            "approximate": asked.approximate,
        }),
        Err(e) => json!({ "error": e.to_string() }),
    }
}

/// The same as a line of text, for providers that do not take `WxH` text
/// (`ask "kie" with {"aspect_ratio":"16:9","resolution":"2K"}, which yields 2048x1152`).
fn ask_as_text(profile: &Profile, size: Size) -> Option<String> {
    let asked = wire::size_request(profile, size).ok()?;
    let plain = serde_json::to_string(&json!({ "size": size.to_string() })).ok()?;
    (asked.members != plain).then(|| {
        format!(
            "  ask \"{}\" with {}, which yields {}{}",
            clean(&profile.id),
            clean(&asked.members),
            asked.yields,
            if asked.approximate {
                " (the nearest it offers)"
            } else {
                ""
            }
        )
    })
}

/// The built-in catalog, or the one `--catalog` layers over it.
fn load_catalog(cli: &Cli) -> Result<Catalog, Usage> {
    match &cli.catalog {
        None => Ok(catalog().clone()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Usage(format!("cannot read catalog {}: {e}", path.display())))?;
            catalog()
                .layered(&text)
                .map_err(|e| Usage(format!("catalog {}: {e}", path.display())))
        }
    }
}

/// The day lifecycles are judged on: `--date`, else today (UTC).
fn date(cli: &Cli) -> Date {
    cli.date.unwrap_or_else(today)
}

/// Today's date in UTC from the system clock (the library has no clock; the
/// tool does).
fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(secs / 86_400)
        .ok()
        .and_then(Date::from_unix_days)
        .unwrap_or_else(|| catalog().as_of)
}

/// The longest URL, path or auth text a profile file may hold, in
/// characters: real ones are under 200, and each is printed in `plan`.
const MAX_PROFILE_TEXT: usize = 2048;

/// Refuses a profile file whose base URL, paths or auth texts are longer
/// than [`MAX_PROFILE_TEXT`].
fn check_profile_lengths(profile: &Profile) -> Result<(), String> {
    let texts = [
        ("id", Some(&profile.id)),
        ("base_url", profile.base_url.as_ref()),
        ("path", Some(&profile.path)),
        (
            "response.task.poll_path",
            profile
                .response
                .task
                .as_ref()
                .and_then(|t| t.poll_path.as_ref()),
        ),
        ("auth.header", Some(&profile.auth.header)),
        ("auth.scheme", profile.auth.scheme.as_ref()),
        ("auth.env", Some(&profile.auth.env)),
    ];
    for (field, text) in texts {
        let Some(text) = text else { continue };
        let chars = text.chars().count();
        if chars > MAX_PROFILE_TEXT {
            return Err(format!(
                "{field} is {chars} characters long; at most {MAX_PROFILE_TEXT} are allowed"
            ));
        }
    }
    Ok(())
}

/// The served model to use (see [`Profile::pick_model`]).
fn pick_model<'p>(profile: &'p Profile, name: Option<&str>) -> Result<&'p ServedModel, Usage> {
    profile.pick_model(name).map_err(|e| Usage(e.to_string()))
}

/// Reads a request body from a file or stdin. A UTF-8 byte order mark at the
/// start is skipped (RFC 8259 lets a reader ignore it; editors on Windows add it).
fn read_input(file: Option<&PathBuf>) -> Result<String, Usage> {
    let mut text = read_raw_input(file)?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

fn read_raw_input(file: Option<&PathBuf>) -> Result<String, Usage> {
    match file {
        Some(path) if path.as_os_str() != "-" => std::fs::read_to_string(path)
            .map_err(|e| Usage(format!("cannot read {}: {e}", path.display()))),
        _ => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Usage(format!("cannot read stdin: {e}")))?;
            Ok(text)
        }
    }
}

fn print_json(value: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
    );
}

/// Terminal colours: only on a terminal, never with `NO_COLOR` set.
#[derive(Clone, Copy)]
struct Style {
    colour: bool,
}

impl Style {
    fn detect(format: Format) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            colour: format == Format::Text && !no_color && std::io::stdout().is_terminal(),
        }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn ok(self, text: &str) -> String {
        self.paint("32", text)
    }

    fn severity(self, severity: Severity) -> String {
        match severity {
            Severity::Error => self.paint("31;1", "error"),
            _ => self.paint("33", "warning"),
        }
    }
}

fn diagnostics_json(report: &Report) -> Value {
    let mut out = json!({
        "valid": report.is_valid(),
        "diagnostics": report.diagnostics,
    });
    if let (Some(date), Some(as_of)) = (report.date, report.catalog_as_of) {
        out["date"] = json!(date.to_string());
        out["catalog_as_of"] = json!(as_of.to_string());
    }
    out
}

fn print_report(format: Format, style: Style, report: &Report, what: &str) -> ExitCode {
    match format {
        Format::Json => print_json(&diagnostics_json(report)),
        Format::Text => print!("{}", render_report(style, report, what)),
    }
    if report.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn render_report(style: Style, report: &Report, what: &str) -> String {
    let errors = report.errors().count();
    let warnings = report.warnings().count();
    let mut out = String::new();
    let verdict = if errors == 0 {
        style.ok("valid")
    } else {
        style.paint("31;1", "invalid")
    };
    let what = clean(what);
    let _ = writeln!(
        out,
        "{verdict}: {what} ({errors} error{}, {warnings} warning{})",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    );
    for d in &report.diagnostics {
        out.push_str(&render_diagnostic(style, d));
    }
    out
}

fn render_diagnostic(style: Style, d: &Diagnostic) -> String {
    let mut out = format!("{:<7} {}\n", style.severity(d.severity), d.code);
    if let Some(fix) = &d.fix {
        let _ = writeln!(out, "  fix: {}", clean(fix));
    }
    let _ = writeln!(out, "  why: {}", clean(&d.message));
    out
}

/// Text from outside made safe to print: control characters escaped
/// (`\u{1b}`, `\n`), so nothing printed can drive the terminal.
fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The longest line printed for one message: an error quoting a huge input
/// (a profile path of 100,000 placeholders) is cut.
const MAX_MESSAGE_CHARS: usize = 2000;

/// A whole message from outside: cleaned and cut to [`MAX_MESSAGE_CHARS`].
fn outside(text: &str) -> String {
    let text = clean(text);
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((end, _)) => format!(
            "{}... (cut at {MAX_MESSAGE_CHARS} characters)",
            &text[..end]
        ),
        None => text.into_owned(),
    }
}

/// The `n` a request asks for in all, for the file names to check.
#[cfg(feature = "http")]
fn images_asked(request: &gpt_image_plan::ImageRequest) -> u32 {
    request.n.unwrap_or(1).max(1)
}

/// The extensions an image may be written with.
#[cfg(feature = "http")]
const IMAGE_EXTENSIONS: [&str; 3] = ["png", "jpeg", "webp"];

/// Checks `--out` before anything is sent: a directory (created when
/// missing), not a symbolic link, writable, and holding no `image-N` file the
/// request would write unless `force`.
#[cfg(feature = "http")]
fn prepare_out(out: &std::path::Path, images: u32, force: bool) -> Result<(), Usage> {
    let shown = || clean(&out.display().to_string()).into_owned();
    match std::fs::symlink_metadata(out) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Usage(format!(
                "--out \"{}\" is a symbolic link; give the directory itself",
                shown()
            )));
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(Usage(format!(
                "--out \"{}\" exists and is not a directory",
                shown()
            )));
        }
        Ok(_) => {}
        Err(_) => std::fs::create_dir_all(out)
            .map_err(|e| Usage(format!("cannot create \"{}\": {e}", shown())))?,
    }
    let probe = out.join(format!(".gpt-image-plan-{}-probe", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(|e| Usage(format!("cannot write in \"{}\": {e}", shown())))?;
    let _ = std::fs::remove_file(&probe);
    if !force {
        for i in 1..=images {
            for ext in IMAGE_EXTENSIONS {
                let name = format!("image-{i}.{ext}");
                if std::fs::symlink_metadata(out.join(&name)).is_ok() {
                    return Err(Usage(format!(
                        "--out \"{}\" already holds {name}; pass --force to replace it, or choose another directory",
                        shown()
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Moves a spooled image to `path` without following links: an existing
/// file (or link) there is replaced only with `force`, and then the link
/// itself is removed, never its target.
#[cfg(feature = "http")]
fn place(spool: &std::path::Path, path: &std::path::Path, force: bool) -> std::io::Result<()> {
    if force && std::fs::symlink_metadata(path).is_ok() {
        std::fs::remove_file(path)?;
    }
    // A hard link fails when `path` exists, whatever it is: no overwrite, no
    // link followed.
    std::fs::hard_link(spool, path)?;
    std::fs::remove_file(spool)
}

fn seconds(flag: &str, secs: f64) -> Result<std::time::Duration, Usage> {
    std::time::Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            Usage(format!(
                "--{flag} {secs}: give a positive number of seconds"
            ))
        })
}

/// The environment variables a `--profile` file may read its key from
/// without `--allow-key-env`: a file shared with you could otherwise send
/// any secret in your environment to its own base URL.
fn key_env_allowed(var: &str) -> bool {
    var.len() > "_API_KEY".len()
        && var.ends_with("_API_KEY")
        && var
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Sends the request with the `http` client and writes the images to `--out`.
#[cfg(feature = "http")]
fn generate(cli: &Cli, args: &GenerateArgs) -> Result<ExitCode, Usage> {
    use gpt_image_plan::http::{Client, Config, Generation, HttpError};
    use gpt_image_plan::wire::PollPolicy;

    let profile = load_profile(cli)?;
    if cli.profile.is_some()
        && !key_env_allowed(&profile.auth.env)
        && args.allow_key_env.as_deref() != Some(profile.auth.env.as_str())
    {
        return Err(Usage(format!(
            "profile \"{}\" reads its key from {}; a profile file may name only a variable ending in _API_KEY (pass --allow-key-env {} to allow this one)",
            profile.id, profile.auth.env, profile.auth.env
        )));
    }
    let text = read_input(args.file.as_ref())?;
    let (request, report) = parse_body(&text, &profile, date(cli));
    if !report.is_valid() {
        return Ok(print_report(
            cli.format,
            Style::detect(cli.format),
            &report,
            &format!("request at \"{}\"", profile.id),
        ));
    }
    let defaults = PollPolicy::default();
    let config = Config {
        base_url: args.base_url.clone(),
        call_timeout: seconds("timeout", args.timeout)?,
        overall_timeout: seconds("overall-timeout", args.overall_timeout)?,
        max_retries: args.retries,
        max_concurrency: args.concurrency.max(1),
        poll: PollPolicy {
            max_polls: args.max_polls,
            max_interval: seconds("poll-interval", args.poll_interval)?,
            interval: defaults
                .interval
                .min(seconds("poll-interval", args.poll_interval)?),
            first_delay: defaults
                .first_delay
                .min(seconds("poll-interval", args.poll_interval)?),
        },
        spool_dir: Some(args.out.clone()),
        ..Config::default()
    };
    let client = Client::from_env(profile.clone(), config).map_err(|e| Usage(e.to_string()))?;
    prepare_out(&args.out, images_asked(&request), args.force)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Usage(format!("cannot start the async runtime: {e}")))?;
    let (generation, failures): (Generation, Vec<(usize, String)>) =
        match runtime.block_on(client.generate(&request)) {
            Ok(generation) => (generation, Vec::new()),
            Err(HttpError::Partial(partial)) => {
                let failures = partial
                    .failures
                    .iter()
                    .map(|f| (f.call + 1, outside(&f.error.to_string())))
                    .collect();
                (partial.generation, failures)
            }
            Err(e) => {
                eprintln!("gpt-image-plan: {}", outside(&e.to_string()));
                return Ok(ExitCode::from(1));
            }
        };
    let mut written = Vec::new();
    let mut problems = Vec::new();
    for (i, image) in generation.images.iter().enumerate() {
        let ext = image.output_format.map(|f| f.as_str()).unwrap_or("png");
        let path = args.out.join(format!("image-{}.{ext}", i + 1));
        let placed = match &image.path {
            Some(spool) => place(spool, &path, args.force).map_err(|e| {
                format!(
                    "cannot write {}: {e}; the image is kept as {}",
                    path.display(),
                    spool.display()
                )
            }),
            None => std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| std::io::Write::write_all(&mut f, &image.bytes))
                .map_err(|e| format!("cannot write {}: {e}", path.display())),
        };
        if let Err(problem) = placed {
            problems.push(outside(&problem));
            continue;
        }
        written.push(json!({
            "path": path.display().to_string(),
            "bytes": image.len,
            "size": image.size.map(|s| s.to_string()),
            "revised_prompt": image.revised_prompt,
        }));
    }
    match cli.format {
        Format::Json => print_json(&json!({
            "images": written,
            "requested": generation.requested,
            "surplus": generation.surplus,
            "calls": generation.calls,
            "retries": generation.retries,
            "polls": generation.polls,
            "failures": failures.iter().map(|(call, message)| json!({"call": call, "message": message})).collect::<Vec<_>>(),
            "write_errors": problems,
        })),
        Format::Text => {
            for w in &written {
                println!(
                    "wrote {} ({} bytes)",
                    clean(w["path"].as_str().unwrap_or("")),
                    w["bytes"]
                );
            }
            if generation.surplus > 0 {
                println!(
                    "warning: the provider returned {} more image{} than asked for; not downloaded",
                    generation.surplus,
                    if generation.surplus == 1 { "" } else { "s" }
                );
            }
        }
    }
    for (call, message) in &failures {
        eprintln!("gpt-image-plan: call {call} failed: {message}");
    }
    for problem in &problems {
        eprintln!("gpt-image-plan: {problem}");
    }
    Ok(if failures.is_empty() && problems.is_empty() {
        ExitCode::SUCCESS
    } else if written.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::from(3)
    })
}
