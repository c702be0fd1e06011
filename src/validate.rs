//! Validation: every finding about a request against a provider profile.

use std::fmt::Display;

use crate::diag::{Diagnostic, Field, Kind, Report};
use crate::model::{Date, ModelState};
use crate::params::ParamValue;
use crate::planner;
use crate::profile::{NType, Profile, ServedModel};
use crate::request::ImageRequest;
use crate::rules::{Constraint, Effect, ModelRules, Needs, ParamRule, ParamType, Support};
use crate::size::{RuleBreak, SizeSpec};
use crate::text::{excerpt, quote_list, thousands};

/// Checks `request` against what `profile` accepts and returns every finding.
///
/// Errors mean the provider would reject the call; warnings mean it would be
/// accepted but something will not happen as asked.
///
/// ```
/// use gpt_image_plan::{builtin_profile, validate, ImageRequest, Size};
/// let mut req = ImageRequest::new("gpt-image-2", "an otter");
/// req.size = Some(Size::new(1920, 1080).into());
/// let report = validate(&req, builtin_profile("openai").unwrap());
/// assert!(!report.is_valid());
/// let d = &report.diagnostics[0];
/// assert_eq!(d.code.to_string(), "size.not_multiple_of_16");
/// assert_eq!(d.message, r#"size "1920x1080": height 1080 is not a multiple of 16"#);
/// assert_eq!(d.replacement.as_deref(), Some("1920x1088"));
/// ```
pub fn validate(request: &ImageRequest, profile: &Profile) -> Report {
    validate_on(request, profile, profile.catalog_as_of)
}

/// [`validate`] with model lifecycles judged on `date` (the core has no
/// clock: the command-line tool passes today, the WebAssembly package the
/// browser's date). On or after a model's shutdown day the request gets the
/// error `model.retired`; between the announcement and that day, the warning
/// `model.deprecated`. [`validate`] judges on the catalog's `as_of`.
///
/// ```
/// use gpt_image_plan::{builtin_profile, validate_on, ImageRequest};
/// let openai = builtin_profile("openai").unwrap();
/// let req = ImageRequest::new("gpt-image-1.5", "an otter");
/// let late = validate_on(&req, openai, "2026-12-03".parse().unwrap());
/// assert_eq!(late.codes()[0].to_string(), "model.retired");
/// let early = validate_on(&req, openai, "2026-11-15".parse().unwrap());
/// assert!(early.is_valid());
/// assert_eq!(early.codes()[0].to_string(), "model.deprecated");
/// ```
pub fn validate_on(request: &ImageRequest, profile: &Profile, date: Date) -> Report {
    let mut report = Report::default();
    validate_into(request, profile, date, &mut report);
    report
}

/// Resolves the served model a request is for, reporting why when it cannot.
pub(crate) fn resolve_model<'p>(
    request: &ImageRequest,
    profile: &'p Profile,
    date: Date,
    report: &mut Report,
) -> Option<&'p ServedModel> {
    let served = || quote_list(profile.models.iter().map(|m| &m.name));
    let first = profile.models.first().map(|m| m.name.as_str());
    let Some(name) = request
        .model
        .as_deref()
        .or(profile.default_model.as_deref())
    else {
        let mut d = Diagnostic::error(
            Field::MODEL,
            Kind::Missing,
            format!("model: missing; \"{}\" needs a model name", profile.id),
        )
        .limit(served());
        if let Some(first) = first {
            d = d.fix(format!("add model \"{first}\"")).replace_with(first);
        }
        report.push(d);
        return None;
    };
    if let Some(refused) = profile.refused(name) {
        let mut d = Diagnostic::error(
            Field::MODEL,
            Kind::Unavailable,
            format!(
                "model \"{name}\": refused by {}: {}",
                profile.id, refused.reason
            ),
        )
        .value(name)
        .limit(served());
        if let Some(instead) = &refused.instead {
            d = d.fix(format!("use \"{instead}\"")).replace_with(instead);
        }
        report.push(d);
        return None;
    }
    let Some(model) = profile.model(name) else {
        let mut d = Diagnostic::error(
            Field::MODEL,
            Kind::Unknown,
            format!(
                "model \"{}\": not served by {}; it serves {}",
                excerpt(name, 64),
                profile.id,
                served()
            ),
        )
        .value(excerpt(name, 64))
        .limit(served());
        // Suggest the served name for the same catalog model when the text is one.
        let same = profile.models.iter().find(|m| m.model == name);
        if let Some(target) = same.map(|m| m.name.as_str()).or(first) {
            d = d.fix(format!("use \"{target}\"")).replace_with(target);
        }
        report.push(d);
        return None;
    };
    if request.model.is_none() && model.rules.requires("model") {
        report.push(
            Diagnostic::warning(
                Field::MODEL,
                Kind::Defaulted,
                format!(
                    "model: required by \"{}\"; the plan sends \"{}\"",
                    profile.id, model.name
                ),
            )
            .replace_with(&model.name),
        );
    }
    lifecycle(name, model, profile, date, report);
    Some(model)
}

/// The lifecycle finding for the served model `model`, asked for as `name`, on `date`.
fn lifecycle(name: &str, model: &ServedModel, profile: &Profile, date: Date, report: &mut Report) {
    let life = &model.lifecycle;
    let state = life.state_on(date);
    if state == ModelState::Active {
        return;
    }
    // The served name of the catalog's replacement, else of the first model
    // still active here.
    let instead = life
        .replacement
        .as_ref()
        .and_then(|r| profile.models.iter().find(|m| &m.model == r))
        .or_else(|| {
            profile
                .models
                .iter()
                .find(|m| m.lifecycle.state_on(date) == ModelState::Active)
        });
    let replacement = life
        .replacement
        .as_ref()
        .map(|r| format!("; its replacement is \"{r}\""))
        .unwrap_or_default();
    let note = life
        .note
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    let mut d = match (state, life.retired) {
        (ModelState::Shutdown, Some(day)) => Diagnostic::error(
            Field::MODEL,
            Kind::Retired,
            format!(
                "model \"{name}\": {} was shut down on {day}{note}{replacement}",
                model.model
            ),
        )
        .limit(format!("shut down {day}")),
        (_, retired) => {
            let when = retired.map_or_else(
                || "its shutdown is announced".to_owned(),
                |day| format!("it shuts down on {day}"),
            );
            Diagnostic::warning(
                Field::MODEL,
                Kind::Deprecated,
                format!(
                    "model \"{name}\": {} is deprecated; {when}{note}{replacement}",
                    model.model
                ),
            )
            .limit(match retired {
                Some(day) => format!("usable until {day}"),
                None => "deprecated".to_owned(),
            })
        }
    }
    .value(name);
    if let Some(current) = instead.filter(|m| m.name != model.name) {
        d = d
            .fix(format!("use \"{}\"", current.name))
            .replace_with(&current.name);
    }
    report.push(d);
}

pub(crate) fn validate_into(
    request: &ImageRequest,
    profile: &Profile,
    date: Date,
    report: &mut Report,
) {
    report.date = Some(date);
    report.catalog_as_of = Some(profile.catalog_as_of);
    let Some(model) = resolve_model(request, profile, date, report) else {
        unserved_values(request, profile, report);
        return;
    };
    let ctx = Ctx {
        profile,
        model,
        rules: &model.rules,
    };
    ctx.prompt(request.prompt.as_deref(), report);
    ctx.n(request.n, report);
    ctx.size(request.size, report);
    // Which parameters passed their own checks: a bit each for the first
    // 64, a list for any after them (no allocation for real requests).
    let (mut passed, mut later) = (0u64, Vec::new());
    for (i, (name, value)) in request.params.iter().enumerate() {
        if ctx.param(name, value, report) {
            match u32::try_from(i).ok().and_then(|i| 1u64.checked_shl(i)) {
                Some(bit) => passed |= bit,
                None => later.push(i),
            }
        }
    }
    let passed = Passed {
        bits: passed,
        later,
    };
    for name in &ctx.rules.required {
        if !Field::is_core_name(name) && request.params.get(name).is_none() {
            ctx.absent_param(name, report);
        }
    }
    for constraint in &ctx.rules.constraints {
        ctx.constraint(constraint, request, &passed, report);
    }
}

/// The indices of the request's parameters that passed their own checks.
struct Passed {
    bits: u64,
    later: Vec<usize>,
}

impl Passed {
    fn has(&self, i: usize) -> bool {
        match u32::try_from(i).ok().and_then(|i| 1u64.checked_shl(i)) {
            Some(bit) => self.bits & bit != 0,
            None => self.later.contains(&i),
        }
    }
}

/// With no model to judge by, a value no served model takes at all: a word
/// outside the union of the profile's lists for that parameter.
fn unserved_values(request: &ImageRequest, profile: &Profile, report: &mut Report) {
    for (name, value) in request.params.iter() {
        let mut union: Vec<&ParamValue> = Vec::new();
        for m in &profile.models {
            let rule = m.rules.param(name);
            if !rule.checks_values() {
                continue;
            }
            if rule.values.is_empty() {
                // Some model takes any value.
                union.clear();
                break;
            }
            for v in &rule.values {
                if !union.contains(&v) {
                    union.push(v);
                }
            }
        }
        let declared = profile.declared.get(name);
        if union.is_empty()
            || !declared.is_some_and(|d| d.kind.admits(value))
            || union.contains(&value)
        {
            continue;
        }
        let field = Field::param(name);
        let values = quote_list(&union);
        let shown = value
            .as_text()
            .map_or_else(|| value.to_string(), |t| excerpt(t, 32));
        report.push(
            Diagnostic::error(
                &field,
                Kind::UnsupportedValue,
                format!("{field} {}: not one of {values}", value.shown()),
            )
            .value(shown)
            .limit(values),
        );
    }
}

/// The finding for a value a served model's list of values leaves out, with
/// `instead` as its fix when there is one: one function for the validator
/// and the request reader.
pub(crate) fn not_listed(
    field: Field,
    value: &dyn Display,
    values: &str,
    instead: Option<&dyn Display>,
    model: &str,
    profile: &str,
) -> Diagnostic {
    let mut d = Diagnostic::error(
        &field,
        Kind::UnsupportedValue,
        format!("{field} \"{value}\": not one of {values} for \"{model}\" at \"{profile}\""),
    )
    .value(value)
    .limit(values.to_owned());
    if let Some(r) = instead {
        d = d.fix(format!("use \"{r}\"")).replace_with(r);
    }
    d
}

struct Ctx<'a> {
    profile: &'a Profile,
    model: &'a ServedModel,
    rules: &'a ModelRules,
}

impl Ctx<'_> {
    fn at(&self) -> String {
        format!("for \"{}\" at \"{}\"", self.model.name, self.profile.id)
    }

    /// A required field left out: a warning when a default will be sent, an error otherwise.
    ///
    /// `quoted` says whether the field is a JSON string on the wire, so that
    /// the default and the example are shown as they would be sent.
    #[inline]
    fn absent(
        &self,
        field: Field,
        default: Option<&dyn Display>,
        example: Option<&dyn Display>,
        quoted: bool,
    ) -> Option<Diagnostic> {
        if !self.rules.requires(field.as_str()) {
            return None;
        }
        Some(self.absent_finding(field, default, example, quoted))
    }

    /// The finding for a required field left out.
    #[cold]
    fn absent_finding(
        &self,
        field: Field,
        default: Option<&dyn Display>,
        example: Option<&dyn Display>,
        quoted: bool,
    ) -> Diagnostic {
        match default {
            Some(value) => Diagnostic::warning(
                &field,
                Kind::Defaulted,
                format!(
                    "{field}: required by \"{}\"; the plan sends the default {}",
                    self.profile.id,
                    Shown(value, quoted)
                ),
            )
            .replace_with(value),
            None => {
                let d = Diagnostic::error(
                    &field,
                    Kind::Missing,
                    format!("{field}: missing; \"{}\" requires it", self.profile.id),
                );
                match example {
                    Some(example) => d
                        .fix(format!(
                            "add {field}, for example {}",
                            Shown(example, quoted)
                        ))
                        .replace_with(example),
                    None => d.fix(format!("add {field}")),
                }
            }
        }
    }

    fn prompt(&self, prompt: Option<&str>, report: &mut Report) {
        let limits = self.rules.prompt;
        let Some(prompt) = prompt else {
            if let Some(d) = self.absent(Field::PROMPT, None, None, true) {
                report.push(d);
            }
            return;
        };
        let max = limits.max_chars as usize;
        let min = limits.min_chars as usize;
        // A char is 1 to 4 bytes, so a prompt no longer in bytes than the
        // maximum cannot be too long, and one with at least 4 bytes per
        // required char cannot be too short: then there is nothing to count.
        if prompt.len() <= max && prompt.len() >= min.saturating_mul(4) {
            return;
        }
        let count = if prompt.len() <= max {
            prompt.chars().count()
        } else {
            prompt.chars().take(max.saturating_add(1)).count()
        };
        if count > max {
            let total = prompt.chars().count();
            report.push(
                Diagnostic::error(
                    Field::PROMPT,
                    Kind::TooLong,
                    format!(
                        "prompt \"{}\": {} characters is above the maximum of {} {}",
                        excerpt(prompt, 24),
                        thousands(total as u64),
                        thousands(max as u64),
                        self.at()
                    ),
                )
                .value(format!("{total} characters"))
                .limit(format!("at most {max} characters"))
                .fix(format!(
                    "shorten the prompt by {}",
                    characters((total - max) as u64)
                )),
            );
        } else if count < limits.min_chars as usize {
            let min = u64::from(limits.min_chars);
            let message = if count == 0 {
                format!(
                    "prompt \"\": empty, but at least {} {} needed",
                    characters(min),
                    if min == 1 { "is" } else { "are" }
                )
            } else {
                format!(
                    "prompt \"{}\": {} is below the minimum of {}",
                    excerpt(prompt, 24),
                    characters(count as u64),
                    thousands(min)
                )
            };
            report.push(
                Diagnostic::error(Field::PROMPT, Kind::Empty, message)
                    .value(excerpt(prompt, 24))
                    .limit(format!("at least {}", characters(min)))
                    .fix("describe the image"),
            );
        }
    }

    fn n(&self, n: Option<u32>, report: &mut Report) {
        let limits = self.rules.n;
        let Some(n) = n else {
            let default_n = self.rules.defaults.n();
            let default = default_n.as_ref().map(|n| n as &dyn Display);
            let quoted = self.profile.n_type == NType::String;
            let example = limits.min.max(1);
            if let Some(d) = self.absent(Field::N, default, Some(&example), quoted) {
                report.push(d);
            }
            return;
        };
        let range = || format!("{}..={}", limits.min, limits.max);
        if n < limits.min {
            report.push(
                Diagnostic::error(
                    Field::N,
                    Kind::OutOfRange,
                    format!("n {n}: below the minimum of {} {}", limits.min, self.at()),
                )
                .value(n)
                .limit(range())
                .fix(format!("use {}", limits.min))
                .replace_with(limits.min),
            );
        } else if n > limits.max {
            match limits.split_max {
                Some(split) if n <= split && limits.max > 0 => {
                    let calls = n.div_ceil(limits.max);
                    report.push(
                        Diagnostic::warning(
                            Field::N,
                            Kind::Split,
                            format!(
                                "n {n}: {} takes at most {} per call, so the plan sends {calls} calls",
                                self.profile.id, limits.max
                            ),
                        )
                        .value(n)
                        .limit(range())
                        .fix(format!("use n {} to send a single call", limits.max))
                        .replace_with(limits.max),
                    );
                }
                split => {
                    let max = split.unwrap_or(limits.max);
                    let how = match split {
                        Some(_) => {
                            format!(" ({} per call, split into at most {max} calls)", limits.max)
                        }
                        None => String::new(),
                    };
                    report.push(
                        Diagnostic::error(
                            Field::N,
                            Kind::OutOfRange,
                            format!("n {n}: above the maximum of {max}{how} {}", self.at()),
                        )
                        .value(n)
                        .limit(format!("{}..={max}", limits.min))
                        .fix(format!("use {max}, or send several requests"))
                        .replace_with(max),
                    );
                }
            }
        }
    }

    fn size(&self, size: Option<SizeSpec>, report: &mut Report) {
        let policy = &self.rules.sizes;
        let Some(spec) = size else {
            let example = self
                .rules
                .presets
                .first()
                .map(|p| &p.size as &dyn Display)
                .or_else(|| policy.list.first().map(|s| s as &dyn Display))
                .or_else(|| policy.auto.then_some(&"auto" as &dyn Display));
            let default_size = self.rules.defaults.size();
            let default = default_size.as_ref().map(|s| s as &dyn Display);
            if let Some(d) = self.absent(Field::SIZE, default, example, true) {
                report.push(d);
            }
            return;
        };
        let size = match spec {
            SizeSpec::Auto => {
                if !policy.auto {
                    let mut d = Diagnostic::error(
                        Field::SIZE,
                        Kind::NotOffered,
                        format!("size \"auto\": not offered {}", self.at()),
                    )
                    .value("auto")
                    .limit(self.size_limit());
                    if let Some(default) = self
                        .rules
                        .defaults
                        .size()
                        .or_else(|| self.rules.presets.first().map(|p| SizeSpec::Size(p.size)))
                    {
                        d = d
                            .fix(format!("use \"{default}\" or another explicit size"))
                            .replace_with(default);
                    }
                    report.push(d);
                }
                return;
            }
            SizeSpec::Size(size) => size,
        };
        if policy.allows(size) {
            if let Some(limit) = policy.experimental_above_pixels
                && size.pixels() > limit
            {
                report.push(
                    Diagnostic::warning(
                        Field::SIZE,
                        Kind::Experimental,
                        format!(
                            "size \"{size}\": {} pixels is above {}, which {} calls experimental",
                            thousands(size.pixels()),
                            thousands(limit),
                            self.profile.id
                        ),
                    )
                    .value(size)
                    .limit(format!("at most {limit} pixels for stable output")),
                );
            }
            return;
        }
        let nearest = planner::nearest(policy, size);
        let with_fix = |d: Diagnostic| match nearest {
            Some(n) => d
                .fix(format!("use \"{n}\", the nearest valid size"))
                .replace_with(n),
            None if policy.auto => d
                .fix("use \"auto\", the only size offered")
                .replace_with(SizeSpec::Auto),
            None => d,
        };
        let Some(rule) = policy.rule else {
            report.push(with_fix(
                Diagnostic::error(
                    Field::SIZE,
                    Kind::NotOffered,
                    format!("size \"{size}\": not offered {}", self.at()),
                )
                .value(size)
                .limit(self.size_limit()),
            ));
            return;
        };
        let (w, h) = (size.width(), size.height());
        for broken in rule.check(size).iter() {
            let (kind, message, limit) = match broken {
                RuleBreak::NotMultipleOf16 => {
                    let m = rule.multiple;
                    let edges = match (w % m != 0, h % m != 0) {
                        (true, true) => {
                            format!("width {w} and height {h} are not multiples of {m}")
                        }
                        (true, false) => format!("width {w} is not a multiple of {m}"),
                        _ => format!("height {h} is not a multiple of {m}"),
                    };
                    (Kind::NotMultipleOf16, edges, format!("multiples of {m}"))
                }
                RuleBreak::EdgeTooLong => (
                    Kind::EdgeTooLong,
                    format!(
                        "long edge {} is above the maximum of {}",
                        size.long_edge(),
                        rule.max_edge
                    ),
                    format!("long edge at most {}", rule.max_edge),
                ),
                RuleBreak::AspectTooExtreme => {
                    let max = rule.max_ratio;
                    let message = if size.short_edge() == 0 {
                        format!(
                            "long:short ratio is unbounded because an edge is 0; the maximum is {max}"
                        )
                    } else {
                        format!(
                            "long:short ratio {}:1 is above the maximum of {max}",
                            ratio_above(size.long_edge(), size.short_edge(), max.value())
                        )
                    };
                    (
                        Kind::AspectTooExtreme,
                        message,
                        format!("long:short at most {max}"),
                    )
                }
                RuleBreak::TooFewPixels => (
                    Kind::TooFewPixels,
                    format!(
                        "{} pixels is below the minimum of {}",
                        thousands(size.pixels()),
                        thousands(rule.min_pixels)
                    ),
                    format!("at least {} pixels", rule.min_pixels),
                ),
                RuleBreak::TooManyPixels => (
                    Kind::TooManyPixels,
                    format!(
                        "{} pixels is above the maximum of {}",
                        thousands(size.pixels()),
                        thousands(rule.max_pixels)
                    ),
                    format!("at most {} pixels", rule.max_pixels),
                ),
            };
            report.push(with_fix(
                Diagnostic::error(Field::SIZE, kind, format!("size \"{size}\": {message}"))
                    .value(size)
                    .limit(limit),
            ));
        }
    }

    fn size_limit(&self) -> String {
        let policy = &self.rules.sizes;
        let mut parts = Vec::new();
        if policy.rule.is_some() {
            parts.push("the size rule".to_owned());
        }
        if !policy.list.is_empty() {
            parts.push(quote_list(&policy.list));
        }
        if policy.auto {
            parts.push("\"auto\"".to_owned());
        }
        parts.join(", ")
    }

    /// The finding for a parameter that is not simply supported.
    fn unsupported(
        &self,
        field: Field,
        value: &ParamValue,
        support: Support,
    ) -> Option<Diagnostic> {
        let shown = value.shown();
        let remove = || format!("remove {field}");
        match support {
            Support::Supported => None,
            Support::Rejected => Some(
                Diagnostic::error(
                    field.clone(),
                    Kind::NotSupported,
                    format!("{field} {shown}: not supported {}", self.at()),
                )
                .value(value)
                .limit("not accepted")
                .fix(remove()),
            ),
            Support::NoEffect => Some(
                Diagnostic::warning(
                    field.clone(),
                    Kind::NoEffect,
                    format!("{field} {shown}: accepted but has no effect {}", self.at()),
                )
                .value(value)
                .limit("accepted, ignored")
                .fix(remove()),
            ),
            Support::Undocumented => Some(
                Diagnostic::warning(
                    field.clone(),
                    Kind::Undocumented,
                    format!(
                        "{field} {shown}: not documented {}; it may be ignored or refused",
                        self.at()
                    ),
                )
                .value(value)
                .limit("not documented")
                .fix(remove()),
            ),
        }
    }

    /// Checks one given parameter; `true` when it passed every check of its
    /// own (so constraints between parameters apply to it).
    fn param(&self, name: &str, value: &ParamValue, report: &mut Report) -> bool {
        // One lookup for a parameter the model lists; the declarations only
        // for one it leaves out.
        let (rule, kind) = match self.rules.params.get(name) {
            Some(
                rule @ ParamRule {
                    kind: Some(kind), ..
                },
            ) => (rule, *kind),
            _ => match self.profile.declared.get(name) {
                Some(decl) => (self.rules.param(name), decl.kind),
                None => {
                    report.push(crate::body::unknown_field(name, self.profile));
                    return false;
                }
            },
        };
        if !kind.admits(value) {
            report.push(
                Diagnostic::error(
                    Field::param(name),
                    Kind::InvalidType,
                    format!(
                        "{name} {}: expected {}, got {}",
                        value.shown(),
                        kind.expected(),
                        value.type_name()
                    ),
                )
                .value(value)
                .limit(kind.expected())
                .fix(format!("send {name} as {}", kind.expected())),
            );
            return false;
        }
        if !rule.checks_values() {
            if let Some(d) = self.unsupported(Field::param(name), value, rule.support) {
                report.push(d);
            }
            return false;
        }
        if !rule.lists(value) {
            report.push(self.not_in_list(Field::param(name), value, rule));
            return false;
        }
        if let Some(n) = value.as_int() {
            let below = rule.min.filter(|&min| n < min);
            let above = rule.max.filter(|&max| n > max);
            if let Some((edge, bound)) = below
                .map(|b| ("below the minimum", b))
                .or(above.map(|b| ("above the maximum", b)))
            {
                let range = format!(
                    "{}..={}",
                    rule.min.unwrap_or(0),
                    rule.max
                        .map_or_else(|| u32::MAX.to_string(), |m| m.to_string())
                );
                report.push(
                    Diagnostic::error(
                        Field::param(name),
                        Kind::OutOfRange,
                        format!("{name} {n}: {edge} of {bound} {}", self.at()),
                    )
                    .value(n)
                    .limit(range)
                    .fix(format!("use {bound}"))
                    .replace_with(bound),
                );
                return false;
            }
        }
        if let (Some(text), Some(max)) = (value.as_text(), rule.max_chars) {
            let count = text.chars().take(max as usize + 1).count();
            if count > max as usize {
                let total = text.chars().count();
                report.push(
                    Diagnostic::error(
                        Field::param(name),
                        Kind::TooLong,
                        format!(
                            "{name} {}: {} is above the maximum of {} {}",
                            value.shown(),
                            characters(total as u64),
                            thousands(u64::from(max)),
                            self.at()
                        ),
                    )
                    .value(format!("{total} characters"))
                    .limit(format!("at most {max} characters"))
                    .fix(format!("shorten {name} to {}", characters(u64::from(max)))),
                );
                return false;
            }
        }
        if rule.support == Support::NoEffect {
            if let Some(d) = self.unsupported(Field::param(name), value, rule.support) {
                report.push(d);
            }
            return false;
        }
        if rule.preview.contains(value) {
            let note = rule
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            report.push(
                Diagnostic::warning(
                    Field::param(name),
                    Kind::Preview,
                    format!(
                        "{name} {}: in preview {}; it may change or be refused{note}",
                        value.shown(),
                        self.at()
                    ),
                )
                .value(value)
                .limit("in preview")
                .fix(format!("expect refusals, or remove {name}")),
            );
        }
        true
    }

    /// The finding for a value the model's list leaves out, with the
    /// lowercase spelling as the fix when that is listed.
    fn not_in_list(&self, field: Field, value: &ParamValue, rule: &ParamRule) -> Diagnostic {
        let lower = value
            .as_text()
            .map(str::to_ascii_lowercase)
            .map(ParamValue::Text)
            .filter(|l| l != value && rule.values.contains(l));
        let default = self.rules.defaults.get(field.as_str());
        let instead = rule.instead(default);
        let shown = value
            .as_text()
            .map_or_else(|| value.to_string(), |t| excerpt(t, 32));
        let mut d = not_listed(
            field,
            &shown,
            &quote_list(&rule.values),
            instead
                .filter(|_| lower.is_none())
                .map(|i| i as &dyn Display),
            &self.model.name,
            &self.profile.id,
        );
        if let Some(lower) = lower {
            d = d
                .fix(format!("write it in lowercase: \"{lower}\""))
                .replace_with(&lower);
        }
        d
    }

    /// A parameter the profile requires and the request leaves out.
    fn absent_param(&self, name: &str, report: &mut Report) {
        let rule = self.rules.param(name);
        let example = rule.values.first().map(|v| v as &dyn Display);
        let default = self.rules.defaults.get(name);
        let quoted = self
            .profile
            .declared
            .get(name)
            .is_some_and(|d| d.kind == ParamType::String);
        let field = Field::param(name);
        if let Some(d) = self.absent(field, default.map(|d| d as &dyn Display), example, quoted) {
            report.push(d);
        }
    }

    fn constraint(
        &self,
        c: &Constraint,
        request: &ImageRequest,
        passed: &Passed,
        report: &mut Report,
    ) {
        let Some((name, value)) = request
            .params
            .iter()
            .enumerate()
            .find(|(_, (n, _))| *n == c.param)
            .filter(|(i, _)| passed.has(*i))
            .map(|(_, p)| p)
        else {
            return;
        };
        if !c.triggered_by(value) {
            return;
        }
        if let Some(needs) = &c.needs
            && let Some((now, list)) = self.unmet(needs, request)
        {
            let field = Field::param(name);
            let shown = value.shown();
            let o = &needs.param;
            let fix = match needs.values.first() {
                Some(first) => format!("set {o} to {}, or remove {field}", first.shown()),
                None => format!("change {o}, or remove {field}"),
            };
            let d = match c.effect {
                Effect::Incompatible => Diagnostic::error(
                    &field,
                    Kind::Incompatible,
                    format!("{field} {shown}: needs {o} {list}, {now}"),
                ),
                Effect::NoEffect => Diagnostic::warning(
                    &field,
                    Kind::NoEffect,
                    format!("{field} {shown}: has no effect unless {o} is {list}"),
                ),
            };
            report.push(d.value(value).limit(format!("needs {o} {list}")).fix(fix));
        }
        for forbidden in &c.forbids {
            let given = if forbidden == "n" {
                request.n.map(ParamValue::Int)
            } else {
                request.params.get(forbidden).cloned()
            };
            let Some(given) = given else {
                continue;
            };
            let field = Field::param(name);
            let shown = value.shown();
            let f = Field::param(forbidden.as_str());
            let (kind, what) = match c.effect {
                Effect::Incompatible => (Kind::Incompatible, "not allowed"),
                Effect::NoEffect => (Kind::NoEffect, "has no effect"),
            };
            let message = format!("{f} {}: {what} with {field} {shown}", given.shown());
            let d = match c.effect {
                Effect::Incompatible => Diagnostic::error(&f, kind, message),
                Effect::NoEffect => Diagnostic::warning(&f, kind, message),
            };
            report.push(
                d.value(&given)
                    .limit(format!("not with {field} {shown}"))
                    .fix(format!("remove {f}")),
            );
        }
    }

    /// `None` when the need is met; else what is sent now and the needed
    /// values, as a message shows them.
    fn unmet(&self, needs: &Needs, request: &ImageRequest) -> Option<(String, String)> {
        let o = needs.param.as_str();
        if o == "size" {
            let size = request.size.or(self.rules.defaults.size());
            let met = match size {
                Some(SizeSpec::Size(sz)) => {
                    (needs.values.is_empty()
                        || needs
                            .values
                            .iter()
                            .any(|v| v.as_text() == Some(&sz.to_string())))
                        && needs.max_pixels.is_none_or(|max| sz.pixels() <= max)
                }
                // `auto` and an absent size are not judged.
                _ => true,
            };
            if met {
                return None;
            }
            let mut parts = Vec::new();
            if !needs.values.is_empty() {
                parts.push(or_list(&needs.values));
            }
            if let Some(max) = needs.max_pixels {
                parts.push(format!("at most {} pixels", thousands(max)));
            }
            let now =
                size.map_or_else(|| "which is not set".to_owned(), |s| format!("not \"{s}\""));
            return Some((now, parts.join(" and ")));
        }
        let n;
        let sent = if o == "n" {
            n = request.n.or(self.rules.defaults.n()).map(ParamValue::Int);
            n.as_ref()
        } else {
            request.params.get(o).or_else(|| self.rules.defaults.get(o))
        };
        if sent.is_some_and(|v| needs.lists(v)) {
            return None;
        }
        let now = sent.map_or_else(
            || "which is not set".to_owned(),
            |v| format!("not {}", v.shown()),
        );
        Some((now, or_list(&needs.values)))
    }
}

/// Alternatives as messages show them: `"png"`, `"png" or "webp"`, `true`.
fn or_list(items: &[ParamValue]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == items.len() { " or " } else { ", " });
        }
        out.push_str(&item.shown());
    }
    out
}

/// A value as a message shows it: like JSON, strings in quotes, numbers and
/// booleans bare.
struct Shown<'a>(&'a dyn Display, bool);

impl Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.1 {
            write!(f, "\"{}\"", self.0)
        } else {
            self.0.fmt(f)
        }
    }
}

/// `1 character`, `2 characters`, `32,000 characters`.
fn characters(n: u64) -> String {
    format!(
        "{} character{}",
        thousands(n),
        if n == 1 { "" } else { "s" }
    )
}

/// The long-to-short ratio as text for a message: two decimals, or as many
/// more (up to nine) as it takes to read visibly above `max` (`3.001`, not
/// `3.00`, for a ratio just past 3:1).
fn ratio_above(long: u32, short: u32, max: f64) -> String {
    let ratio = f64::from(long) / f64::from(short.max(1));
    let mut text = format!("{ratio:.2}");
    for decimals in 3..=9 {
        if text.parse::<f64>().is_ok_and(|shown| shown > max) {
            break;
        }
        text = format!("{ratio:.decimals$}");
    }
    text
}

/// Checks one size (or `auto`) for a served model, without a whole request:
/// what a size picker needs as the user types.
///
/// `model` is the provider's model name; `None` uses the profile's default
/// model or, failing that, its first. The text is parsed here, so a malformed
/// size is a `size.malformed` finding rather than an error.
///
/// ```
/// use gpt_image_plan::{builtin_profile, check_size};
/// let report = check_size("1536x864", builtin_profile("enum-sizes").unwrap(), None);
/// assert_eq!(report.codes()[0].to_string(), "size.not_offered");
/// assert!(check_size("1536x864", builtin_profile("openai").unwrap(), Some("gpt-image-2")).is_valid());
/// ```
pub fn check_size(size: &str, profile: &Profile, model: Option<&str>) -> Report {
    let mut report = Report::default();
    let name = model
        .or(profile.default_model.as_deref())
        .or(profile.models.first().map(|m| m.name.as_str()));
    let request = ImageRequest {
        model: name.map(str::to_owned),
        ..ImageRequest::default()
    };
    let Some(served) = resolve_model(&request, profile, profile.catalog_as_of, &mut report) else {
        return report;
    };
    // Lifecycle warnings are about the model, not the size; keep only what the size caused.
    report
        .diagnostics
        .retain(|d| d.field != Field::MODEL || d.is_error());
    let spec = match crate::body::parse_size_field(size) {
        Ok(spec) => spec,
        Err(d) => {
            report.push(*d);
            return report;
        }
    };
    let ctx = Ctx {
        profile,
        model: served,
        rules: &served.rules,
    };
    ctx.size(Some(spec), &mut report);
    report
}

#[cfg(test)]
mod ratio_text_tests {
    use super::ratio_above;

    #[test]
    fn ratio_text_rounds_exact_ties_to_even_like_float_formatting() {
        assert_eq!(ratio_above(9, 8, 1.0), "1.12");
        assert_eq!(ratio_above(11, 8, 1.0), "1.38");
        assert_eq!(ratio_above(7680, 1024, 3.0), "7.50");
    }

    #[test]
    fn ratio_text_adds_decimals_until_it_is_visibly_above_the_maximum() {
        assert_eq!(ratio_above(3001, 1000, 3.0), "3.001");
        assert_eq!(ratio_above(30_001, 10_000, 3.0), "3.0001");
        assert_eq!(
            ratio_above(4_294_967_293, 1_431_655_764, 3.0),
            "3.000000001"
        );
        // Never more than nine decimals, even when nine do not show it.
        assert_eq!(ratio_above(3, 1, 3.0), "3.000000000");
    }

    #[test]
    fn ratio_text_never_panics_at_the_extremes() {
        for (long, short) in [
            (0, 0),
            (0, 1),
            (1, 0),
            (u32::MAX, 1),
            (u32::MAX, u32::MAX - 1),
        ] {
            for max in [0.0, -1.0, 3.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
                let text = ratio_above(long, short, max);
                assert!(text.parse::<f64>().is_ok(), "{text}");
            }
        }
    }
}
