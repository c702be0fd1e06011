//! Validation: every finding about a request against a provider profile.

use std::fmt::Display;

use crate::diag::{Diagnostic, Field, Kind, Report};
use crate::model::catalog;
use crate::params::OutputFormat;
use crate::planner;
use crate::profile::{NType, Profile, ServedModel};
use crate::request::ImageRequest;
use crate::rules::{CompressionElsewhere, ModelRules, ParamRule, Support};
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
    let mut report = Report::default();
    validate_into(request, profile, &mut report);
    report
}

/// Resolves the served model a request is for, reporting why when it cannot.
pub(crate) fn resolve_model<'p>(
    request: &ImageRequest,
    profile: &'p Profile,
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
            Field::Model,
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
            Field::Model,
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
            Field::Model,
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
        let same = name
            .parse::<crate::ModelId>()
            .ok()
            .and_then(|id| profile.models.iter().find(|m| m.model == id));
        if let Some(target) = same.map(|m| m.name.as_str()).or(first) {
            d = d.fix(format!("use \"{target}\"")).replace_with(target);
        }
        report.push(d);
        return None;
    };
    if request.model.is_none() && model.rules.required.contains(&Field::Model) {
        report.push(
            Diagnostic::warning(
                Field::Model,
                Kind::Defaulted,
                format!(
                    "model: required by \"{}\"; the plan sends \"{}\"",
                    profile.id, model.name
                ),
            )
            .replace_with(&model.name),
        );
    }
    if let Some(spec) = catalog().get(model.model)
        && let Some(retired) = spec.lifecycle.retired
    {
        let mut d = Diagnostic::warning(
            Field::Model,
            Kind::Retired,
            format!(
                "model \"{name}\": {} was retired on {retired}{}; the call may be refused",
                model.model,
                spec.lifecycle
                    .note
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            ),
        )
        .value(name)
        .limit(format!("retired {retired}"));
        if let Some(current) = profile.models.iter().find(|m| {
            catalog()
                .get(m.model)
                .is_some_and(|s| s.lifecycle.retired.is_none())
        }) {
            d = d
                .fix(format!("use \"{}\"", current.name))
                .replace_with(&current.name);
        }
        report.push(d);
    }
    Some(model)
}

pub(crate) fn validate_into(request: &ImageRequest, profile: &Profile, report: &mut Report) {
    let Some(model) = resolve_model(request, profile, report) else {
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
    let p = &ctx.rules.params;
    let d = &ctx.rules.defaults;
    ctx.choice(
        Field::Quality,
        request.quality,
        &p.quality,
        d.quality,
        report,
    );
    ctx.choice(
        Field::Background,
        request.background,
        &p.background,
        d.background,
        report,
    );
    ctx.choice(
        Field::OutputFormat,
        request.output_format,
        &p.output_format,
        d.output_format,
        report,
    );
    ctx.compression(request, report);
    ctx.choice(
        Field::Moderation,
        request.moderation,
        &p.moderation,
        d.moderation,
        report,
    );
    ctx.choice(
        Field::ResponseFormat,
        request.response_format,
        &p.response_format,
        d.response_format,
        report,
    );
    ctx.choice(Field::Style, request.style, &p.style, d.style, report);
    ctx.flag(
        Field::Stream,
        request.stream,
        d.stream,
        false,
        p.stream.support,
        report,
    );
    ctx.partial_images(request, report);
    ctx.flag(
        Field::User,
        request.user.as_deref().map(|u| Excerpt(u, 32)),
        None,
        true,
        p.user.support,
        report,
    );
    ctx.flag(
        Field::EnableSyncMode,
        request.enable_sync_mode,
        d.enable_sync_mode,
        false,
        p.enable_sync_mode.support,
        report,
    );
    ctx.transparent(request, report);
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
        field,
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
        if !self.rules.required.contains(&field) {
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
                field,
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
                    field,
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
            if let Some(d) = self.absent(Field::Prompt, None, None, true) {
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
                    Field::Prompt,
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
                Diagnostic::error(Field::Prompt, Kind::Empty, message)
                    .value(excerpt(prompt, 24))
                    .limit(format!("at least {}", characters(min)))
                    .fix("describe the image"),
            );
        }
    }

    fn n(&self, n: Option<u32>, report: &mut Report) {
        let limits = self.rules.n;
        let Some(n) = n else {
            let default = self.rules.defaults.n.as_ref().map(|n| n as &dyn Display);
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
            let default = self.rules.defaults.size.as_ref().map(|s| s as &dyn Display);
            if let Some(d) = self.absent(Field::Size, default, example, true) {
                report.push(d);
            }
            return;
        };
        let size = match spec {
            SizeSpec::Auto => {
                if !policy.auto {
                    let mut d = Diagnostic::error(
                        Field::Size,
                        Kind::NotOffered,
                        format!("size \"auto\": not offered {}", self.at()),
                    )
                    .value("auto")
                    .limit(self.size_limit());
                    if let Some(default) = self
                        .rules
                        .defaults
                        .size
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
                        Field::Size,
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
                    Field::Size,
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
                Diagnostic::error(Field::Size, kind, format!("size \"{size}\": {message}"))
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

    /// The finding for a parameter that is not simply supported. `quoted` says
    /// whether the value is a JSON string, so it is shown as it would be sent.
    #[inline]
    fn unsupported(
        &self,
        field: Field,
        value: &dyn Display,
        quoted: bool,
        support: Support,
    ) -> Option<Diagnostic> {
        if support == Support::Supported {
            return None;
        }
        self.unsupported_finding(field, value, quoted, support)
    }

    /// The finding for [`Ctx::unsupported`], out of line.
    #[cold]
    fn unsupported_finding(
        &self,
        field: Field,
        value: &dyn Display,
        quoted: bool,
        support: Support,
    ) -> Option<Diagnostic> {
        let shown = Shown(value, quoted);
        let remove = || format!("remove {field}");
        match support {
            Support::Supported => None,
            Support::Rejected => Some(
                Diagnostic::error(
                    field,
                    Kind::NotSupported,
                    format!("{field} {shown}: not supported {}", self.at()),
                )
                .value(value)
                .limit("not accepted")
                .fix(remove()),
            ),
            Support::NoEffect => Some(
                Diagnostic::warning(
                    field,
                    Kind::NoEffect,
                    format!("{field} {shown}: accepted but has no effect {}", self.at()),
                )
                .value(value)
                .limit("accepted, ignored")
                .fix(remove()),
            ),
            Support::Undocumented => Some(
                Diagnostic::warning(
                    field,
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

    fn choice<T: Copy + PartialEq + Display>(
        &self,
        field: Field,
        value: Option<T>,
        rule: &ParamRule<T>,
        default: Option<T>,
        report: &mut Report,
    ) {
        let Some(value) = value else {
            let example = rule.values.first().map(|v| v as &dyn Display);
            let default = default.as_ref().map(|d| d as &dyn Display);
            if let Some(d) = self.absent(field, default, example, true) {
                report.push(d);
            }
            return;
        };
        let listed = rule.values.is_empty() || rule.values.contains(&value);
        if rule.checks_values() && !listed {
            let instead = rule.instead(default);
            report.push(not_listed(
                field,
                &value,
                &quote_list(&rule.values),
                instead.as_ref().map(|r| r as &dyn Display),
                &self.model.name,
                &self.profile.id,
            ));
            return;
        }
        if let Some(d) = self.unsupported(field, &value, true, rule.support) {
            report.push(d);
        }
    }

    /// A parameter with no list of values: a boolean (`quoted` false) or free text.
    fn flag<T: Display>(
        &self,
        field: Field,
        value: Option<T>,
        default: Option<bool>,
        quoted: bool,
        support: Support,
        report: &mut Report,
    ) {
        let Some(value) = value else {
            let default = default.as_ref().map(|d| d as &dyn Display);
            if let Some(d) = self.absent(field, default, None, quoted) {
                report.push(d);
            }
            return;
        };
        if let Some(d) = self.unsupported(field, &value, quoted, support) {
            report.push(d);
        }
    }

    fn effective_format(&self, request: &ImageRequest) -> Option<OutputFormat> {
        request.output_format.or(self.rules.defaults.output_format)
    }

    fn compression(&self, request: &ImageRequest, report: &mut Report) {
        let field = Field::OutputCompression;
        let rule = &self.rules.params.output_compression;
        let Some(value) = request.output_compression else {
            let default = self
                .rules
                .defaults
                .output_compression
                .as_ref()
                .map(|c| c as &dyn Display);
            if let Some(d) = self.absent(field, default, None, false) {
                report.push(d);
            }
            return;
        };
        if rule.support != Support::Supported {
            if let Some(d) = self.unsupported(field, &value, false, rule.support) {
                report.push(d);
            }
            return;
        }
        if value < rule.min || value > rule.max {
            let (edge, bound) = if value < rule.min {
                ("below the minimum", rule.min)
            } else {
                ("above the maximum", rule.max)
            };
            report.push(
                Diagnostic::error(
                    field,
                    Kind::OutOfRange,
                    format!("{field} {value}: {edge} of {bound} {}", self.at()),
                )
                .value(value)
                .limit(format!("{}..={}", rule.min, rule.max))
                .fix(format!("use {bound}"))
                .replace_with(bound),
            );
            return;
        }
        let Some(format) = self.effective_format(request) else {
            return;
        };
        if rule.formats.is_empty() || rule.formats.contains(&format) {
            return;
        }
        let formats = quote_or(&rule.formats);
        let suggestion = rule.formats.first().copied().unwrap_or(OutputFormat::Jpeg);
        let d = match rule.elsewhere {
            CompressionElsewhere::NoEffect => Diagnostic::warning(
                field,
                Kind::NoEffect,
                format!(
                    "{field} {value}: has no effect with output_format \"{format}\"; it applies to {formats}"
                ),
            )
            .fix(format!(
                "set output_format to \"{suggestion}\" or remove {field}"
            )),
            CompressionElsewhere::MustBe100 if value == 100 => return,
            CompressionElsewhere::MustBe100 => Diagnostic::error(
                field,
                Kind::Incompatible,
                format!(
                    "{field} {value}: with output_format \"{format}\" it must be 100 or omitted {}",
                    self.at()
                ),
            )
            .fix(format!(
                "use 100, remove {field}, or set output_format to \"{suggestion}\""
            ))
            .replace_with(100),
            CompressionElsewhere::Rejected => Diagnostic::error(
                field,
                Kind::Incompatible,
                format!(
                    "{field} {value}: not accepted with output_format \"{format}\"; it applies to {formats}"
                ),
            )
            .fix(format!(
                "remove {field}, or set output_format to \"{suggestion}\""
            )),
        };
        report.push(d.value(value).limit(format!("only with {formats}")));
    }

    fn partial_images(&self, request: &ImageRequest, report: &mut Report) {
        let field = Field::PartialImages;
        let rule = self.rules.params.partial_images;
        let Some(value) = request.partial_images else {
            if let Some(d) = self.absent(field, None, None, false) {
                report.push(d);
            }
            return;
        };
        if rule.support == Support::Rejected || rule.support == Support::Undocumented {
            if let Some(d) = self.unsupported(field, &value, false, rule.support) {
                report.push(d);
            }
            return;
        }
        if value < rule.min || value > rule.max {
            // Not `clamp`: it panics when a hand-built rule has min above max.
            let bound = if value < rule.min { rule.min } else { rule.max };
            report.push(
                Diagnostic::error(
                    field,
                    Kind::OutOfRange,
                    format!(
                        "{field} {value}: {} of {bound} {}",
                        if value < rule.min {
                            "below the minimum"
                        } else {
                            "above the maximum"
                        },
                        self.at()
                    ),
                )
                .value(value)
                .limit(format!("{}..={}", rule.min, rule.max))
                .fix(format!("use {bound}"))
                .replace_with(bound),
            );
            return;
        }
        if rule.support == Support::NoEffect {
            if let Some(d) = self.unsupported(field, &value, false, rule.support) {
                report.push(d);
            }
        } else if value > 0 && request.stream != Some(true) {
            report.push(
                Diagnostic::warning(
                    field,
                    Kind::NoEffect,
                    format!("{field} {value}: has no effect unless stream is true"),
                )
                .value(value)
                .limit("needs stream: true")
                .fix("set stream to true, or remove partial_images"),
            );
        }
    }

    fn transparent(&self, request: &ImageRequest, report: &mut Report) {
        use crate::params::Background;
        let formats = &self.rules.params.transparent_formats;
        if request.background != Some(Background::Transparent)
            || self.rules.params.background.support != Support::Supported
            || !self
                .rules
                .params
                .background
                .values
                .contains(&Background::Transparent)
            || formats.is_empty()
        {
            return;
        }
        let Some(format) = self.effective_format(request) else {
            return;
        };
        if formats.contains(&format) {
            return;
        }
        let first = formats[0];
        report.push(
            Diagnostic::error(
                Field::Background,
                Kind::Incompatible,
                format!(
                    "background \"transparent\": needs output_format {}, not \"{format}\"",
                    quote_or(formats)
                ),
            )
            .value("transparent")
            .limit(format!("output_format {}", quote_or(formats)))
            .fix(format!(
                "set output_format to \"{first}\", or use background \"opaque\""
            )),
        );
    }
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

/// Quotes alternatives: `"png"`, `"png" or "webp"`, `"png", "jpeg" or "webp"`.
fn quote_or<T: Display>(items: &[T]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == items.len() { " or " } else { ", " });
        }
        out.push('"');
        out.push_str(&item.to_string());
        out.push('"');
    }
    out
}

/// The first `max` chars of a text, shown with `...` when cut; allocates only
/// when displayed.
struct Excerpt<'a>(&'a str, usize);

impl Display for Excerpt<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.char_indices().nth(self.1) {
            Some((end, _)) => write!(f, "{}...", self.0.get(..end).unwrap_or(self.0)),
            None => f.write_str(self.0),
        }
    }
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
    let Some(served) = resolve_model(&request, profile, &mut report) else {
        return report;
    };
    // Lifecycle warnings are about the model, not the size; keep only what the size caused.
    report
        .diagnostics
        .retain(|d| d.field != Field::Model || d.is_error());
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
