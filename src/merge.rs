//! Reading model rules out of the crate's own JSON tree ([`Json`]), and
//! checking the partial rules a profile or a catalog entry layers over a base.
//!
//! Plain functions, one per type, each a few calls into `json::read`: the
//! derived `Deserialize` impls instantiated for `serde_json` were most of the
//! WebAssembly module's rule-reading code. The derived impls stay the public
//! API and the reference: property tests check that the two read mutated
//! documents to the same values. Two differences are intended: a struct
//! written as an array (which the derived code reads by position) and a key
//! given twice are refused here, and errors name the path and what was found
//! (`n.max: expected an integer from 0 to 4294967295, found the integer -2`).

use crate::diag::Field;
use crate::json::read::{
    ReadError, boolean, fields, list, named, parsed, string, u32_value, u64_value,
};
use crate::json::tree::Json;
use crate::params::{Background, Moderation, OutputFormat, Quality, ResponseFormat, Style, Tier};
use crate::rules::{
    CompressionElsewhere, CompressionRule, Defaults, FlagRule, IntRule, ModelRules, NLimits,
    ParamRule, Params, Preset, PromptLimits, SizePolicy, Support,
};
use crate::size::{AspectRatio, Size, SizeRule, SizeSpec};
use crate::text::excerpt;

/// The most members an object in partial rules may have: no object of the
/// rules schema has more than 12 keys, and merging is linear in the members
/// per member, so a hostile patch is refused before it is merged.
const MAX_PATCH_MEMBERS: usize = 64;

/// Checks partial rules before they are layered over a base: an object
/// (`what` names it: `rules`), with no key given twice at any depth and no
/// object of more than 64 members. What the keys mean is checked after
/// merging, when the whole is read as [`ModelRules`].
pub(crate) fn check_patch(value: &Json, what: &str) -> Result<(), ReadError> {
    if value.as_object().is_none() {
        return Err(crate::json::read::expected(
            &format!("{what} (an object)"),
            value,
        ));
    }
    check_members(value)
}

fn check_members(value: &Json) -> Result<(), ReadError> {
    match value {
        Json::Object(members) => {
            if members.len() > MAX_PATCH_MEMBERS {
                return Err(ReadError::new(format!(
                    "an object of {} members; no object in model rules has more than 12",
                    members.len()
                )));
            }
            for (i, (key, value)) in members.iter().enumerate() {
                if members[..i].iter().any(|(k, _)| k == key) {
                    return Err(ReadError::new(format!(
                        "field \"{}\" is given twice",
                        excerpt(key, 40)
                    )));
                }
                check_members(value).map_err(|e| e.at_key(key))?;
            }
            Ok(())
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_members(item).map_err(|e| e.at_index(i))?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn support(v: &Json) -> Result<Support, ReadError> {
    named(v, Support::parse_name)
}

fn quality(v: &Json) -> Result<Quality, ReadError> {
    named(v, Quality::parse_name)
}

fn background(v: &Json) -> Result<Background, ReadError> {
    named(v, Background::parse_name)
}

fn output_format(v: &Json) -> Result<OutputFormat, ReadError> {
    named(v, OutputFormat::parse_name)
}

fn moderation(v: &Json) -> Result<Moderation, ReadError> {
    named(v, Moderation::parse_name)
}

fn response_format(v: &Json) -> Result<ResponseFormat, ReadError> {
    named(v, ResponseFormat::parse_name)
}

fn style(v: &Json) -> Result<Style, ReadError> {
    named(v, Style::parse_name)
}

fn output_formats(v: &Json) -> Result<Vec<OutputFormat>, ReadError> {
    list(v, output_format)
}

fn sizes(v: &Json) -> Result<Vec<Size>, ReadError> {
    list(v, parsed::<Size>)
}

/// A [`SizeRule`]: every key required.
pub(crate) fn size_rule(v: &Json) -> Result<SizeRule, ReadError> {
    let f = fields(
        v,
        "a size rule",
        &[
            "multiple",
            "max_edge",
            "max_ratio",
            "min_pixels",
            "max_pixels",
        ],
    )?;
    Ok(SizeRule {
        multiple: f.req("multiple", u32_value)?,
        max_edge: f.req("max_edge", u32_value)?,
        max_ratio: f.req("max_ratio", parsed::<AspectRatio>)?,
        min_pixels: f.req("min_pixels", u64_value)?,
        max_pixels: f.req("max_pixels", u64_value)?,
    })
}

/// A [`SizePolicy`]: every key optional.
pub(crate) fn size_policy(v: &Json) -> Result<SizePolicy, ReadError> {
    let f = fields(
        v,
        "a size policy",
        &["rule", "list", "auto", "experimental_above_pixels"],
    )?;
    Ok(SizePolicy {
        rule: f.opt("rule", size_rule)?,
        list: f.given("list", sizes)?.unwrap_or_default(),
        auto: f.given("auto", boolean)?.unwrap_or(false),
        experimental_above_pixels: f.opt("experimental_above_pixels", u64_value)?,
    })
}

/// [`NLimits`].
pub(crate) fn n_limits(v: &Json) -> Result<NLimits, ReadError> {
    let f = fields(v, "n limits", &["min", "max", "split_max"])?;
    Ok(NLimits {
        min: f.req("min", u32_value)?,
        max: f.req("max", u32_value)?,
        split_max: f.opt("split_max", u32_value)?,
    })
}

/// [`PromptLimits`].
pub(crate) fn prompt_limits(v: &Json) -> Result<PromptLimits, ReadError> {
    let f = fields(v, "prompt limits", &["min_chars", "max_chars"])?;
    Ok(PromptLimits {
        min_chars: f.req("min_chars", u32_value)?,
        max_chars: f.req("max_chars", u32_value)?,
    })
}

/// A [`ParamRule`] whose values are read by `value`.
pub(crate) fn param_rule<T>(
    v: &Json,
    value: fn(&Json) -> Result<T, ReadError>,
) -> Result<ParamRule<T>, ReadError> {
    let f = fields(v, "a parameter rule", &["support", "values"])?;
    let support = f.req("support", support)?;
    let values = match f.get("values") {
        Some(values) => list(values, value).map_err(|e| e.at_key("values"))?,
        None => Vec::new(),
    };
    Ok(ParamRule { support, values })
}

/// An [`IntRule`].
pub(crate) fn int_rule(v: &Json) -> Result<IntRule, ReadError> {
    let f = fields(v, "an integer parameter rule", &["support", "min", "max"])?;
    Ok(IntRule {
        support: f.req("support", support)?,
        min: f.given("min", u32_value)?.unwrap_or(0),
        max: f.given("max", u32_value)?.unwrap_or(0),
    })
}

/// A [`FlagRule`].
pub(crate) fn flag_rule(v: &Json) -> Result<FlagRule, ReadError> {
    let f = fields(v, "a flag rule", &["support"])?;
    Ok(FlagRule {
        support: f.req("support", support)?,
    })
}

/// A [`CompressionRule`].
pub(crate) fn compression_rule(v: &Json) -> Result<CompressionRule, ReadError> {
    let f = fields(
        v,
        "a compression rule",
        &["support", "min", "max", "formats", "elsewhere"],
    )?;
    Ok(CompressionRule {
        support: f.req("support", support)?,
        min: f.given("min", u32_value)?.unwrap_or(0),
        max: f.given("max", u32_value)?.unwrap_or(0),
        formats: f.given("formats", output_formats)?.unwrap_or_default(),
        elsewhere: f
            .given("elsewhere", |v| named(v, CompressionElsewhere::parse_name))?
            .unwrap_or(CompressionElsewhere::NoEffect),
    })
}

/// [`Params`]: every parameter optional, `rejected` when left out.
pub(crate) fn params(v: &Json) -> Result<Params, ReadError> {
    let f = fields(
        v,
        "params",
        &[
            "quality",
            "background",
            "transparent_formats",
            "output_format",
            "output_compression",
            "moderation",
            "response_format",
            "style",
            "stream",
            "partial_images",
            "user",
            "enable_sync_mode",
        ],
    )?;
    // Filled in place, so an error drops one `Params` instead of each field
    // read so far (less drop code in the WebAssembly module).
    let mut p = Params::default();
    let flag = |key| f.given(key, flag_rule).map(Option::unwrap_or_default);
    if let Some(rule) = f.given("quality", |v| param_rule(v, quality))? {
        p.quality = rule;
    }
    if let Some(rule) = f.given("background", |v| param_rule(v, background))? {
        p.background = rule;
    }
    if let Some(formats) = f.given("transparent_formats", output_formats)? {
        p.transparent_formats = formats;
    }
    if let Some(rule) = f.given("output_format", |v| param_rule(v, output_format))? {
        p.output_format = rule;
    }
    if let Some(rule) = f.given("output_compression", compression_rule)? {
        p.output_compression = rule;
    }
    if let Some(rule) = f.given("moderation", |v| param_rule(v, moderation))? {
        p.moderation = rule;
    }
    if let Some(rule) = f.given("response_format", |v| param_rule(v, response_format))? {
        p.response_format = rule;
    }
    if let Some(rule) = f.given("style", |v| param_rule(v, style))? {
        p.style = rule;
    }
    p.stream = flag("stream")?;
    if let Some(rule) = f.given("partial_images", int_rule)? {
        p.partial_images = rule;
    }
    p.user = flag("user")?;
    p.enable_sync_mode = flag("enable_sync_mode")?;
    Ok(p)
}

/// [`Defaults`]: every value optional.
pub(crate) fn defaults(v: &Json) -> Result<Defaults, ReadError> {
    let f = fields(
        v,
        "defaults",
        &[
            "n",
            "size",
            "quality",
            "background",
            "output_format",
            "output_compression",
            "moderation",
            "response_format",
            "style",
            "stream",
            "enable_sync_mode",
        ],
    )?;
    Ok(Defaults {
        n: f.opt("n", u32_value)?,
        size: f.opt("size", parsed::<SizeSpec>)?,
        quality: f.opt("quality", quality)?,
        background: f.opt("background", background)?,
        output_format: f.opt("output_format", output_format)?,
        output_compression: f.opt("output_compression", u32_value)?,
        moderation: f.opt("moderation", moderation)?,
        response_format: f.opt("response_format", response_format)?,
        style: f.opt("style", style)?,
        stream: f.opt("stream", boolean)?,
        enable_sync_mode: f.opt("enable_sync_mode", boolean)?,
    })
}

/// A [`Preset`].
pub(crate) fn preset(v: &Json) -> Result<Preset, ReadError> {
    let f = fields(v, "a preset", &["size", "tier", "label"])?;
    Ok(Preset {
        size: f.req("size", parsed::<Size>)?,
        tier: f.opt("tier", |v| named(v, Tier::parse_name))?,
        label: f.opt("label", string)?,
    })
}

/// [`ModelRules`]: `sizes`, `n` and `prompt` required.
pub(crate) fn model_rules(v: &Json) -> Result<ModelRules, ReadError> {
    let f = fields(
        v,
        "model rules",
        &[
            "sizes", "n", "prompt", "params", "defaults", "required", "presets",
        ],
    )?;
    Ok(ModelRules {
        sizes: f.req("sizes", size_policy)?,
        n: f.req("n", n_limits)?,
        prompt: f.req("prompt", prompt_limits)?,
        params: f.given("params", params)?.unwrap_or_default(),
        defaults: f.given("defaults", defaults)?.unwrap_or_default(),
        required: f
            .given("required", |v| list(v, |v| named(v, Field::parse_name)))?
            .unwrap_or_default(),
        presets: f.given("presets", |v| list(v, preset))?.unwrap_or_default(),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use std::fmt::Debug;

    use proptest::prelude::*;
    use serde::de::DeserializeOwned;

    use super::*;
    use crate::json::parse::parse;
    use crate::profile::builtin_profiles;

    #[track_caller]
    pub(crate) fn doc(text: &str) -> Json {
        parse(text).unwrap()
    }

    /// The document as the derived `Deserialize` reads it, from its text.
    fn derived<T: DeserializeOwned>(value: &Json) -> Result<T, String> {
        serde_json::from_str::<T>(&value.to_string()).map_err(|e| e.to_string())
    }

    /// Whether `error` is the new reader refusing a struct written as an
    /// array (which the derived code reads by position).
    fn is_struct_as_array(error: &ReadError) -> bool {
        let m = error.message();
        m.starts_with("expected ") && m.ends_with(" (an object), found an array")
    }

    /// The new reader and the derived impl agree on `value`: whenever the new
    /// reader accepts, the derived impl accepts with the same value; whenever
    /// the derived impl accepts, the new reader gives the same value, or
    /// refuses a struct written as an array.
    pub(crate) fn agree<T: DeserializeOwned + PartialEq + Debug>(
        value: &Json,
        read: fn(&Json) -> Result<T, ReadError>,
    ) -> Result<(), TestCaseError> {
        match (read(value), derived::<T>(value)) {
            (Ok(new), Ok(reference)) => prop_assert_eq!(new, reference, "reading {}", value),
            (Ok(new), Err(e)) => {
                prop_assert!(
                    false,
                    "read {new:?} from {value}, the derived impl says {e}"
                );
            }
            (Err(e), Ok(_)) => prop_assert!(
                is_struct_as_array(&e),
                "refused {value}: {e}, the derived impl accepts it"
            ),
            (Err(_), Err(_)) => {}
        }
        Ok(())
    }

    #[track_caller]
    fn error<T: Debug>(read: fn(&Json) -> Result<T, ReadError>, text: &str) -> String {
        read(&doc(text)).unwrap_err().to_string()
    }

    /// A built-in served model's rules, as the derived `Serialize` writes them.
    fn served_rules(i: usize) -> Json {
        let served: Vec<_> = builtin_profiles().iter().flat_map(|p| &p.models).collect();
        doc(&serde_json::to_string(&served[i % served.len()].rules).unwrap())
    }

    #[test]
    fn every_builtin_rule_set_and_the_catalog_read_as_the_derived_impls_read_them() {
        let mut count = 0;
        for profile in builtin_profiles() {
            for served in &profile.models {
                let text = serde_json::to_string(&served.rules).unwrap();
                assert_eq!(model_rules(&doc(&text)).unwrap(), served.rules);
                agree::<ModelRules>(&doc(&text), model_rules).unwrap();
                count += 1;
            }
        }
        assert!(count > 10);
        for (spec, rules) in crate::model::catalog().models.iter().zip(0..) {
            let text = serde_json::to_string(spec).unwrap();
            assert_eq!(
                &crate::model::model_spec(&doc(&text)).unwrap(),
                spec,
                "{rules}"
            );
        }
        let text = serde_json::to_string(crate::model::catalog()).unwrap();
        agree::<crate::model::Catalog>(&doc(&text), crate::model::catalog_doc).unwrap();
    }

    #[test]
    fn errors_name_the_path_and_what_was_found() {
        let mut rules = served_rules(0);
        rules.set("colour", Json::from(1u32));
        assert_eq!(
            model_rules(&rules).unwrap_err().to_string(),
            r#"unknown field "colour"; model rules has "sizes", "n", "prompt", "params", "defaults", "required", "presets""#
        );
        assert_eq!(
            error(
                model_rules,
                r#"{"sizes": {"auto": true}, "n": {"min": 1, "max": -2}}"#
            ),
            "n.max: expected an integer from 0 to 4294967295, found the integer -2"
        );
        assert_eq!(error(n_limits, r#"{"max": 2}"#), r#"missing field "min""#);
        assert_eq!(
            error(n_limits, "null"),
            "expected n limits (an object), found null"
        );
        assert_eq!(
            error(flag_rule, r#"{"support": "sometimes"}"#),
            r#"support: support "sometimes" is not one of "supported", "no_effect", "rejected", "undocumented""#
        );
        assert_eq!(
            error(
                params,
                r#"{"quality": {"support": "supported", "values": ["low", "ultra"]}}"#
            ),
            r#"quality.values[1]: quality "ultra" is not one of "low", "medium", "high", "auto", "standard", "hd", "xhigh", "max""#
        );
        assert_eq!(
            error(flag_rule, r#"{"support": "rejected", "x": 1}"#),
            r#"unknown field "x"; a flag rule has "support""#
        );
        assert_eq!(
            error(size_policy, r#"{"list": "1024x1024"}"#),
            r#"list: expected an array, found the string "1024x1024""#
        );
        assert_eq!(
            error(size_policy, r#"{"auto": 1.5}"#),
            "auto: expected true or false, found the number 1.5"
        );
        assert_eq!(
            error(size_policy, r#"{"list": ["1024x1024", "1024*1024"]}"#),
            format!("list[1]: {}", "1024*1024".parse::<Size>().unwrap_err())
        );
        assert_eq!(
            error(n_limits, r#"{"min": 1, "max": 2, "min": 1}"#),
            r#"field "min" is given twice"#
        );
    }

    #[test]
    fn structs_written_as_arrays_are_refused_though_the_derived_impls_read_them() {
        assert_eq!(
            derived::<NLimits>(&doc("[1, 4]")).unwrap(),
            NLimits {
                min: 1,
                max: 4,
                split_max: None
            }
        );
        assert_eq!(
            error(n_limits, "[1, 4]"),
            "expected n limits (an object), found an array"
        );
        assert_eq!(
            error(flag_rule, r#"["rejected"]"#),
            "expected a flag rule (an object), found an array"
        );
    }

    #[test]
    fn a_default_that_is_not_none_refuses_null_as_the_derived_impls_do() {
        for (read, text) in [
            (
                size_policy as fn(&Json) -> Result<SizePolicy, ReadError>,
                r#"{"auto": null}"#,
            ),
            (size_policy, r#"{"list": null}"#),
        ] {
            assert!(read(&doc(text)).is_err(), "{text}");
            assert!(derived::<SizePolicy>(&doc(text)).is_err(), "{text}");
        }
        assert_eq!(
            error(int_rule, r#"{"support": "supported", "max": null}"#),
            "max: expected an integer from 0 to 4294967295, found null"
        );
        // An optional value reads null as absent.
        let policy = size_policy(&doc(r#"{"rule": null, "experimental_above_pixels": null}"#));
        assert_eq!(policy.unwrap(), SizePolicy::default());
    }

    #[test]
    fn partial_rules_must_be_objects_without_repeated_keys_or_huge_objects() {
        assert!(check_patch(&doc(r#"{"n": {"max": 2}, "params": {}}"#), "rules").is_ok());
        assert_eq!(
            check_patch(&doc("[]"), "partial model rules")
                .unwrap_err()
                .to_string(),
            "expected partial model rules (an object), found an array"
        );
        assert_eq!(
            check_patch(
                &doc(r#"{"presets": [{"size": "1x1", "size": "2x2"}]}"#),
                "rules"
            )
            .unwrap_err()
            .to_string(),
            r#"presets[0]: field "size" is given twice"#
        );
        let members: Vec<String> = (0..65).map(|i| format!(r#""k{i}": 0"#)).collect();
        assert_eq!(
            check_patch(
                &doc(&format!(r#"{{"params": {{{}}}}}"#, members.join(","))),
                "rules"
            )
            .unwrap_err()
            .to_string(),
            "params: an object of 65 members; no object in model rules has more than 12"
        );
    }

    /// Values to put anywhere in a document: every JSON type, and texts and
    /// numbers that are valid somewhere in the rules.
    const POOL: [&str; 26] = [
        "null",
        "true",
        "false",
        "0",
        "1",
        "-1",
        "4294967296",
        "18446744073709551616",
        "1.5",
        "1e3",
        r#""""#,
        r#""low""#,
        r#""1024x1024""#,
        r#""auto""#,
        r#""3:1""#,
        r#""supported""#,
        "[]",
        "[1, 2]",
        "{}",
        r#"{"support": "supported"}"#,
        r#"{"min": 1, "max": 2}"#,
        r#"["png"]"#,
        r#"[{"size": "1024x1024"}]"#,
        r#""2026-05-12""#,
        r#""gpt-image-2""#,
        r#"["supported", ["low"]]"#,
    ];

    fn pool(i: u8) -> Json {
        doc(POOL[usize::from(i) % POOL.len()])
    }

    /// The node `path` leads to, stopping at a step divisible by 4 or a leaf.
    fn walk<'a>(node: &'a mut Json, path: &[u16]) -> &'a mut Json {
        let Some((step, rest)) = path.split_first() else {
            return node;
        };
        let len = match &*node {
            Json::Object(members) => members.len(),
            Json::Array(items) => items.len(),
            _ => 0,
        };
        if step % 4 == 0 || len == 0 {
            return node;
        }
        let i = usize::from(*step) % len;
        match node {
            Json::Object(members) => walk(&mut members[i].1, rest),
            Json::Array(items) => walk(&mut items[i], rest),
            other => other,
        }
    }

    /// One mutation at the node `path` leads to: replace it with a value of
    /// the pool or a copy of another node, remove a key, set a key to null,
    /// add an unknown key, repeat a key, turn an object into an array of
    /// (some of) its values, or grow an array.
    pub(crate) fn mutate(doc: &mut Json, path: &[u16], op: u8, pick: u8) {
        let reversed: Vec<u16> = path.iter().rev().map(|s| s | 1).collect();
        let donor = walk(&mut doc.clone(), &reversed).clone();
        let node = walk(doc, path);
        match (op % 8, &mut *node) {
            (1, Json::Object(members)) if !members.is_empty() => {
                members.remove(usize::from(pick) % members.len());
            }
            (2, Json::Object(members)) => {
                let key = if pick % 2 == 0 { "aaa" } else { "zzz" };
                members.push((key.into(), pool(pick)));
            }
            (3, Json::Object(members)) => {
                let mut values: Vec<Json> = members.iter().map(|(_, v)| v.clone()).collect();
                values.truncate(usize::from(pick) % 8);
                *node = Json::Array(values);
            }
            (4, _) => *node = donor,
            (5, Json::Array(items)) => items.push(pool(pick)),
            (6, Json::Object(members)) if !members.is_empty() => {
                let (key, value) = members[usize::from(pick) % members.len()].clone();
                let value = if pick % 3 == 0 { pool(pick) } else { value };
                members.push((key, value));
            }
            (7, Json::Object(members)) if !members.is_empty() => {
                let i = usize::from(pick) % members.len();
                members[i].1 = Json::Null;
            }
            _ => *node = pool(pick),
        }
    }

    pub(crate) fn mutations() -> impl Strategy<Value = Vec<(Vec<u16>, u8, u8)>> {
        prop::collection::vec(
            (
                prop::collection::vec(any::<u16>(), 0..6),
                any::<u8>(),
                any::<u8>(),
            ),
            1..4,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4_000))]

        #[test]
        fn mutated_rules_read_as_the_derived_impl_reads_them(
            model in 0usize..64,
            changes in mutations(),
        ) {
            let mut doc = served_rules(model);
            for (path, op, pick) in &changes {
                mutate(&mut doc, path, *op, *pick);
            }
            agree::<ModelRules>(&doc, model_rules)?;
        }

        #[test]
        fn mutated_catalogs_read_as_the_derived_impl_reads_them(changes in mutations()) {
            let mut doc = doc(&serde_json::to_string(crate::model::catalog()).unwrap());
            for (path, op, pick) in &changes {
                mutate(&mut doc, path, *op, *pick);
            }
            agree::<crate::model::Catalog>(&doc, crate::model::catalog_doc)?;
        }
    }
}
