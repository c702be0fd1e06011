//! The crate's types as the answers hold them, written with [`Out`] in the
//! same keys, order and text as their `Serialize` impls give through
//! `serde_json` (the tests compare the two on every built-in profile and on
//! generated requests).
//!
//! Text types (sizes, ratios, dates, amounts, codes) are written by their
//! `Display`, as their `Serialize` impls do; the vendor enums by their wire
//! names.

use gpt_image_plan::planner::Candidate;
use gpt_image_plan::price::{Bounds, Estimate, ImageLine};
use gpt_image_plan::wire::Call;
use gpt_image_plan::{
    Amount, Diagnostic, FlagRule, ImageRequest, IntRule, ModelRules, ParamRule, Support,
};

use crate::out::Out;

/// A [`Diagnostic`]: `{severity, code, field, value, limit, message, fix, replacement}`.
pub(crate) fn diagnostic(o: &mut Out, d: &Diagnostic) {
    o.begin()
        .key("severity")
        .str(d.severity.as_str())
        .key("code")
        .text(&d.code)
        .key("field")
        .str(d.field.as_str())
        .key("value")
        .opt_str(d.value.as_deref())
        .key("limit")
        .opt_str(d.limit.as_deref())
        .key("message")
        .str(&d.message)
        .key("fix")
        .opt_str(d.fix.as_deref())
        .key("replacement")
        .opt_str(d.replacement.as_deref())
        .end();
}

/// A list of [`Diagnostic`]s.
pub(crate) fn diagnostics(o: &mut Out, list: &[Diagnostic]) {
    o.begin_list();
    for d in list {
        diagnostic(o, d);
    }
    o.end_list();
}

/// An [`ImageRequest`]: the fields that are set, in OpenAI's order (its
/// `Serialize` skips the others).
pub(crate) fn request(o: &mut Out, r: &ImageRequest) {
    o.begin();
    if let Some(v) = &r.model {
        o.key("model").str(v);
    }
    if let Some(v) = &r.prompt {
        o.key("prompt").str(v);
    }
    if let Some(v) = r.n {
        o.key("n").uint(v.into());
    }
    if let Some(v) = &r.size {
        o.key("size").text(v);
    }
    if let Some(v) = r.quality {
        o.key("quality").str(v.as_str());
    }
    if let Some(v) = r.background {
        o.key("background").str(v.as_str());
    }
    if let Some(v) = r.output_format {
        o.key("output_format").str(v.as_str());
    }
    if let Some(v) = r.output_compression {
        o.key("output_compression").uint(v.into());
    }
    if let Some(v) = r.moderation {
        o.key("moderation").str(v.as_str());
    }
    if let Some(v) = r.response_format {
        o.key("response_format").str(v.as_str());
    }
    if let Some(v) = r.style {
        o.key("style").str(v.as_str());
    }
    if let Some(v) = r.stream {
        o.key("stream").bool(v);
    }
    if let Some(v) = r.partial_images {
        o.key("partial_images").uint(v.into());
    }
    if let Some(v) = &r.user {
        o.key("user").str(v);
    }
    if let Some(v) = r.enable_sync_mode {
        o.key("enable_sync_mode").bool(v);
    }
    o.end();
}

/// `{support}`: a [`FlagRule`].
fn flag(o: &mut Out, key: &str, rule: FlagRule) {
    o.key(key)
        .begin()
        .key("support")
        .str(rule.support.as_str())
        .end();
}

/// `{support, min, max}`: an [`IntRule`].
fn int_rule(o: &mut Out, key: &str, rule: IntRule) {
    support_range(o, key, rule.support, rule.min, rule.max);
    o.end();
}

/// Opens `key: {support, min, max` (an [`IntRule`] or the start of a
/// compression rule), leaving the object open.
fn support_range(o: &mut Out, key: &str, support: Support, min: u32, max: u32) {
    o.key(key)
        .begin()
        .key("support")
        .str(support.as_str())
        .key("min")
        .uint(min.into())
        .key("max")
        .uint(max.into());
}

/// `{support, values}`: a [`ParamRule`] of a vendor enum.
fn param<T: Copy + Into<&'static str>>(o: &mut Out, key: &str, rule: &ParamRule<T>) {
    o.key(key).begin().key("support").str(rule.support.as_str());
    o.key("values");
    names(o, rule.values.iter().map(|&v| v.into()));
    o.end();
}

/// A list of names.
fn names(o: &mut Out, names: impl Iterator<Item = &'static str>) {
    o.begin_list();
    for name in names {
        o.str(name);
    }
    o.end_list();
}

/// [`ModelRules`] in the profile schema's names, every member written
/// (`null` for unset options), as its derived `Serialize` writes them.
pub(crate) fn rules(o: &mut Out, r: &ModelRules) {
    o.begin().key("sizes").begin().key("rule");
    match &r.sizes.rule {
        Some(rule) => {
            o.begin()
                .key("multiple")
                .uint(rule.multiple.into())
                .key("max_edge")
                .uint(rule.max_edge.into())
                .key("max_ratio")
                .text(&rule.max_ratio)
                .key("min_pixels")
                .uint(rule.min_pixels)
                .key("max_pixels")
                .uint(rule.max_pixels)
                .end();
        }
        None => {
            o.null();
        }
    }
    o.key("list").begin_list();
    for size in &r.sizes.list {
        o.text(size);
    }
    o.end_list()
        .key("auto")
        .bool(r.sizes.auto)
        .key("experimental_above_pixels")
        .opt_uint(r.sizes.experimental_above_pixels)
        .end();

    o.key("n")
        .begin()
        .key("min")
        .uint(r.n.min.into())
        .key("max")
        .uint(r.n.max.into())
        .key("split_max")
        .opt_uint(r.n.split_max.map(u64::from))
        .end()
        .key("prompt")
        .begin()
        .key("min_chars")
        .uint(r.prompt.min_chars.into())
        .key("max_chars")
        .uint(r.prompt.max_chars.into())
        .end();

    let p = &r.params;
    o.key("params").begin();
    param(o, "quality", &p.quality);
    param(o, "background", &p.background);
    o.key("transparent_formats");
    names(o, p.transparent_formats.iter().map(|f| f.as_str()));
    param(o, "output_format", &p.output_format);
    let c = &p.output_compression;
    support_range(o, "output_compression", c.support, c.min, c.max);
    o.key("formats");
    names(o, c.formats.iter().map(|f| f.as_str()));
    o.key("elsewhere").str(c.elsewhere.as_str()).end();
    param(o, "moderation", &p.moderation);
    param(o, "response_format", &p.response_format);
    param(o, "style", &p.style);
    flag(o, "stream", p.stream);
    int_rule(o, "partial_images", p.partial_images);
    flag(o, "user", p.user);
    flag(o, "enable_sync_mode", p.enable_sync_mode);
    o.end();

    let d = &r.defaults;
    o.key("defaults")
        .begin()
        .key("n")
        .opt_uint(d.n.map(u64::from))
        .key("size")
        .opt_text(d.size.as_ref().map(|s| s as _))
        .key("quality")
        .opt_str(d.quality.map(|v| v.as_str()))
        .key("background")
        .opt_str(d.background.map(|v| v.as_str()))
        .key("output_format")
        .opt_str(d.output_format.map(|v| v.as_str()))
        .key("output_compression")
        .opt_uint(d.output_compression.map(u64::from))
        .key("moderation")
        .opt_str(d.moderation.map(|v| v.as_str()))
        .key("response_format")
        .opt_str(d.response_format.map(|v| v.as_str()))
        .key("style")
        .opt_str(d.style.map(|v| v.as_str()))
        .key("stream")
        .opt_bool(d.stream)
        .key("enable_sync_mode")
        .opt_bool(d.enable_sync_mode)
        .end();

    o.key("required");
    names(o, r.required.iter().map(|f| f.as_str()));
    o.key("presets").begin_list();
    for preset in &r.presets {
        o.begin()
            .key("size")
            .text(&preset.size)
            .key("tier")
            .opt_str(preset.tier.map(|t| t.as_str()))
            .key("label")
            .opt_str(preset.label.as_deref())
            .end();
    }
    o.end_list().end();
}

/// A planner [`Candidate`], in its `Serialize` names (snake_case).
pub(crate) fn candidate(o: &mut Out, c: &Candidate) {
    o.begin()
        .key("size")
        .text(&c.size)
        .key("ratio")
        .text(&c.ratio)
        .key("named_ratio")
        .begin()
        .key("ratio")
        .text(&c.named_ratio.ratio)
        .key("error")
        .float(c.named_ratio.error)
        .end()
        .key("pixels")
        .uint(c.pixels)
        .key("orientation")
        .text(&c.orientation)
        .key("distance")
        .float(c.distance)
        .key("anchor_distance")
        .float(c.anchor_distance)
        .key("tier")
        .opt_str(c.tier.map(|t| t.as_str()))
        .key("preset")
        .bool(c.preset)
        .key("label")
        .opt_str(c.label.as_deref())
        .end();
}

/// A planned [`Call`]: `{method, url, path, headers, body, n}`.
pub(crate) fn call(o: &mut Out, c: &Call) {
    o.begin()
        .key("method")
        .str(c.method.as_str())
        .key("url")
        .str(&c.url)
        .key("path")
        .opt_str(c.path.as_deref())
        .key("headers")
        .begin_list();
    for h in &c.headers {
        o.begin()
            .key("name")
            .str(&h.name)
            .key("value")
            .str(&h.value)
            .key("secret")
            .bool(h.secret)
            .end();
    }
    o.end_list()
        .key("body")
        .opt_str(c.body.as_deref())
        .key("n")
        .opt_uint(c.n.map(u64::from))
        .end();
}

/// `{min, max}` of amounts.
fn amounts(o: &mut Out, key: &str, b: &Bounds<Amount>) {
    o.key(key)
        .begin()
        .key("min")
        .text(&b.min)
        .key("max")
        .text(&b.max)
        .end();
}

/// `{min, max}` of whole numbers.
fn uint_bounds(o: &mut Out, key: &str, min: u64, max: u64) {
    o.key(key)
        .begin()
        .key("min")
        .uint(min)
        .key("max")
        .uint(max)
        .end();
}

/// One [`ImageLine`] of an estimate.
fn image_line(o: &mut Out, line: &ImageLine) {
    o.begin();
    uint_bounds(o, "count", line.count.min.into(), line.count.max.into());
    o.key("size")
        .opt_text(line.size.as_ref().map(|s| s as _))
        .key("quality")
        .opt_str(line.quality.map(|q| q.as_str()))
        .key("tier");
    match &line.tier {
        Some(tier) => {
            o.begin()
                .key("min")
                .str(tier.min.as_str())
                .key("max")
                .str(tier.max.as_str())
                .end();
        }
        None => {
            o.null();
        }
    }
    match &line.output_image_tokens {
        Some(tokens) => uint_bounds(o, "output_image_tokens", tokens.min, tokens.max),
        None => {
            o.key("output_image_tokens").null();
        }
    }
    amounts(o, "each", &line.each);
    amounts(o, "cost", &line.cost);
    o.end();
}

/// A price [`Estimate`], in its `Serialize` names (snake_case).
pub(crate) fn estimate(o: &mut Out, e: &Estimate) {
    o.begin()
        .key("provider")
        .str(&e.provider)
        .key("model")
        .str(&e.model)
        .key("as_of")
        .text(&e.as_of)
        .key("currency")
        .str(e.currency.as_str())
        .key("basis")
        .str(e.basis.as_str());
    amounts(o, "total", &e.total);
    o.key("reservation")
        .text(&e.reservation)
        .key("images")
        .begin_list();
    for line in &e.images {
        image_line(o, line);
    }
    o.end_list().key("prompt_tokens");
    match &e.prompt_tokens {
        Some(t) => {
            o.begin()
                .key("min")
                .uint(t.min)
                .key("typical")
                .uint(t.typical)
                .key("max")
                .uint(t.max)
                .end();
        }
        None => {
            o.null();
        }
    }
    match &e.prompt_cost {
        Some(cost) => amounts(o, "prompt_cost", cost),
        None => {
            o.key("prompt_cost").null();
        }
    }
    o.key("calls")
        .uint(e.calls.into())
        .key("notes")
        .begin_list();
    for note in &e.notes {
        o.begin()
            .key("kind")
            .str(note.kind.as_str())
            .key("message")
            .str(&note.message)
            .end();
    }
    o.end_list().end();
}
