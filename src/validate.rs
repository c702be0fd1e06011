//! Validation: every finding about a request against a provider profile.

use std::fmt::Display;

use crate::diag::{Diagnostic, Field, Kind, Report};
use crate::model::catalog;
use crate::params::OutputFormat;
use crate::planner;
use crate::profile::{Profile, ServedModel};
use crate::request::ImageRequest;
use crate::rules::{CompressionElsewhere, ModelRules, ParamRule, Support};
use crate::size::{RuleBreak, Size, SizeSpec};
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
            format!("model: missing; {} needs a model name", profile.id),
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
                    "model: required by {}; the plan sends \"{}\"",
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
    ctx.flag(Field::Stream, request.stream, p.stream.support, report);
    ctx.partial_images(request, report);
    ctx.flag(
        Field::User,
        request.user.as_deref().map(|u| excerpt(u, 32)),
        p.user.support,
        report,
    );
    ctx.flag(
        Field::EnableSyncMode,
        request.enable_sync_mode,
        p.enable_sync_mode.support,
        report,
    );
    ctx.transparent(request, report);
}

struct Ctx<'a> {
    profile: &'a Profile,
    model: &'a ServedModel,
    rules: &'a ModelRules,
}

impl Ctx<'_> {
    fn at(&self) -> String {
        format!("for \"{}\" at {}", self.model.name, self.profile.id)
    }

    /// A required field left out: a warning when a default will be sent, an error otherwise.
    fn absent(
        &self,
        field: Field,
        default: Option<String>,
        example: Option<String>,
    ) -> Option<Diagnostic> {
        if !self.rules.required.contains(&field) {
            return None;
        }
        Some(match default {
            Some(value) => Diagnostic::warning(
                field,
                Kind::Defaulted,
                format!(
                    "{field}: required by {}; the plan sends the default \"{value}\"",
                    self.profile.id
                ),
            )
            .replace_with(value),
            None => {
                let d = Diagnostic::error(
                    field,
                    Kind::Missing,
                    format!("{field}: missing; {} requires it", self.profile.id),
                );
                match example {
                    Some(example) => d
                        .fix(format!("add {field}, for example \"{example}\""))
                        .replace_with(example),
                    None => d.fix(format!("add {field}")),
                }
            }
        })
    }

    fn prompt(&self, prompt: Option<&str>, report: &mut Report) {
        let limits = self.rules.prompt;
        let Some(prompt) = prompt else {
            if let Some(d) = self.absent(Field::Prompt, None, None) {
                report.push(d);
            }
            return;
        };
        let max = limits.max_chars as usize;
        // A prompt no longer in bytes than the limit cannot be longer in chars.
        let count = if prompt.len() <= max {
            prompt.chars().count()
        } else {
            prompt.chars().take(max + 1).count()
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
                .fix(format!("shorten the prompt by {} characters", total - max)),
            );
        } else if count < limits.min_chars as usize {
            report.push(
                Diagnostic::error(
                    Field::Prompt,
                    Kind::Empty,
                    format!(
                        "prompt \"{prompt}\": empty, but at least {} character is needed",
                        limits.min_chars
                    ),
                )
                .value(prompt)
                .limit(format!("at least {} characters", limits.min_chars))
                .fix("describe the image"),
            );
        }
    }

    fn n(&self, n: Option<u32>, report: &mut Report) {
        let limits = self.rules.n;
        let Some(n) = n else {
            let default = self.rules.defaults.n.map(|n| n.to_string());
            if let Some(d) = self.absent(Field::N, default, Some(limits.min.to_string())) {
                report.push(d);
            }
            return;
        };
        let range = format!("{}..={}", limits.min, limits.max);
        if n < limits.min {
            report.push(
                Diagnostic::error(
                    Field::N,
                    Kind::OutOfRange,
                    format!("n {n}: below the minimum of {} {}", limits.min, self.at()),
                )
                .value(n)
                .limit(range)
                .fix(format!("use {}", limits.min))
                .replace_with(limits.min),
            );
        } else if n > limits.max {
            match limits.split_max {
                Some(split) if n <= split => {
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
                        .limit(range)
                        .fix(format!("use n {} to send a single call", limits.max))
                        .replace_with(limits.max),
                    );
                }
                split => {
                    let max = split.unwrap_or(limits.max);
                    report.push(
                        Diagnostic::error(
                            Field::N,
                            Kind::OutOfRange,
                            format!("n {n}: above the maximum of {max} {}", self.at()),
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
        let example = self
            .rules
            .presets
            .first()
            .map(|p| p.size.to_string())
            .or_else(|| policy.list.first().map(Size::to_string))
            .or_else(|| policy.auto.then(|| "auto".to_owned()));
        let Some(spec) = size else {
            let default = self.rules.defaults.size.map(|s| s.to_string());
            if let Some(d) = self.absent(Field::Size, default, example) {
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
                    let ratio = if size.short_edge() == 0 {
                        "is unbounded (an edge is 0)".to_owned()
                    } else {
                        format!(
                            "{:.2}:1 is above",
                            f64::from(size.long_edge()) / f64::from(size.short_edge())
                        )
                    };
                    let max = rule.max_ratio;
                    (
                        Kind::AspectTooExtreme,
                        format!("long:short ratio {ratio} the maximum of {max}"),
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

    fn unsupported(
        &self,
        field: Field,
        value: &dyn Display,
        support: Support,
    ) -> Option<Diagnostic> {
        let remove = format!("remove {field}");
        match support {
            Support::Supported => None,
            Support::Rejected => Some(
                Diagnostic::error(
                    field,
                    Kind::NotSupported,
                    format!("{field} \"{value}\": not supported {}", self.at()),
                )
                .value(value)
                .limit("not accepted")
                .fix(remove),
            ),
            Support::NoEffect => Some(
                Diagnostic::warning(
                    field,
                    Kind::NoEffect,
                    format!(
                        "{field} \"{value}\": accepted but has no effect {}",
                        self.at()
                    ),
                )
                .value(value)
                .limit("accepted, ignored")
                .fix(remove),
            ),
            Support::Undocumented => Some(
                Diagnostic::warning(
                    field,
                    Kind::Undocumented,
                    format!(
                        "{field} \"{value}\": not documented {}; it may be ignored or refused",
                        self.at()
                    ),
                )
                .value(value)
                .limit("not documented")
                .fix(remove),
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
            if let Some(d) = self.absent(field, default.map(|d| d.to_string()), None) {
                report.push(d);
            }
            return;
        };
        let listed = rule.values.is_empty() || rule.values.contains(&value);
        let checks_values = matches!(rule.support, Support::Supported | Support::NoEffect);
        if checks_values && !listed {
            let replacement = default
                .filter(|d| rule.values.contains(d))
                .or_else(|| rule.values.first().copied());
            let mut d = Diagnostic::error(
                field,
                Kind::UnsupportedValue,
                format!(
                    "{field} \"{value}\": not one of {} {}",
                    quote_list(&rule.values),
                    self.at()
                ),
            )
            .value(value)
            .limit(quote_list(&rule.values));
            if let Some(r) = replacement {
                d = d.fix(format!("use \"{r}\"")).replace_with(r);
            }
            report.push(d);
            return;
        }
        if let Some(d) = self.unsupported(field, &value, rule.support) {
            report.push(d);
        }
    }

    fn flag<T: Display>(
        &self,
        field: Field,
        value: Option<T>,
        support: Support,
        report: &mut Report,
    ) {
        if let Some(value) = value
            && let Some(d) = self.unsupported(field, &value, support)
        {
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
            return;
        };
        if rule.support != Support::Supported {
            if let Some(d) = self.unsupported(field, &value, rule.support) {
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
        let formats = quote_list(&rule.formats);
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
                "remove {field}, or set output_format to \"{suggestion}\""
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
            return;
        };
        if rule.support == Support::Rejected || rule.support == Support::Undocumented {
            if let Some(d) = self.unsupported(field, &value, rule.support) {
                report.push(d);
            }
            return;
        }
        if value < rule.min || value > rule.max {
            let bound = value.clamp(rule.min, rule.max);
            report.push(
                Diagnostic::error(
                    field,
                    Kind::OutOfRange,
                    format!(
                        "{field} {value}: outside {}..={} {}",
                        rule.min,
                        rule.max,
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
            if let Some(d) = self.unsupported(field, &value, rule.support) {
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
                    quote_list(formats)
                ),
            )
            .value("transparent")
            .limit(format!("output_format {}", quote_list(formats)))
            .fix(format!(
                "set output_format to \"{first}\", or use background \"opaque\""
            )),
        );
    }
}
