//! Interesting values shared by the `arbitrary` and `proptest` generators:
//! every model name, size, parameter name and parameter value the built-in
//! data mentions, and the lengths where the prompt limits sit.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::model::catalog;
use crate::params::ParamValue;
use crate::profile::builtin_profiles;
use crate::rules::ModelRules;
use crate::size::Size;

/// Every model name the built-in data knows: catalog ids, served names and
/// refused names, sorted and without repeats.
pub(crate) fn model_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<String> = catalog().models.iter().map(|m| m.id.to_string()).collect();
        for profile in builtin_profiles() {
            names.extend(profile.models.iter().map(|m| m.name.clone()));
            names.extend(profile.refused_models.iter().map(|m| m.name.clone()));
        }
        names.sort();
        names.dedup();
        names
    })
}

/// Every size the built-in data names (lists, presets, defaults), sorted and
/// without repeats.
pub(crate) fn known_sizes() -> &'static [Size] {
    static SIZES: OnceLock<Vec<Size>> = OnceLock::new();
    SIZES.get_or_init(|| {
        let rules = all_rules();
        let mut sizes = Vec::new();
        for rules in rules {
            sizes.extend(rules.sizes.list.iter().copied());
            sizes.extend(rules.presets.iter().map(|p| p.size));
            sizes.extend(rules.defaults.size().and_then(|s| s.size()));
        }
        sizes.sort();
        sizes.dedup();
        sizes
    })
}

/// Every model's rules in the built-in data: the catalog's, then each
/// built-in profile's served models'.
fn all_rules() -> impl Iterator<Item = &'static ModelRules> {
    catalog().models.iter().map(|m| &m.rules).chain(
        builtin_profiles()
            .iter()
            .flat_map(|p| p.models.iter().map(|m| &m.rules)),
    )
}

/// Every parameter name the built-in data declares (the catalog's and the
/// profiles'), sorted and without repeats.
pub(crate) fn param_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<String> = catalog().parameters.keys().cloned().collect();
        for profile in builtin_profiles() {
            names.extend(profile.declared.keys().cloned());
        }
        names.sort();
        names.dedup();
        names
    })
}

/// Names that are not parameters but look like them: near misses of real
/// names (case, plural, spacing) and names no data declares.
pub(crate) const UNDECLARED_NAMES: [&str; 7] = [
    "sizes",
    "Quality",
    "output-format",
    "prompt ",
    "sharpness",
    "",
    "\u{0}",
];

/// Every value the built-in data names for parameter `name` (allowed and
/// preview values, defaults, values in constraints), sorted and without
/// repeats; empty for a name the data gives no value for.
pub(crate) fn param_values(name: &str) -> &'static [ParamValue] {
    static VALUES: OnceLock<BTreeMap<String, Vec<ParamValue>>> = OnceLock::new();
    let all = VALUES.get_or_init(|| {
        let mut all: BTreeMap<String, Vec<ParamValue>> = BTreeMap::new();
        let mut add = |name: &str, values: &mut dyn Iterator<Item = &ParamValue>| {
            all.entry(name.to_owned())
                .or_default()
                .extend(values.cloned());
        };
        for rules in all_rules() {
            for (name, rule) in &rules.params {
                add(name, &mut rule.values.iter().chain(&rule.preview));
            }
            for (name, value) in rules.defaults.iter() {
                add(name, &mut std::iter::once(value));
            }
            for c in &rules.constraints {
                add(&c.param, &mut c.values.iter().chain(&c.except));
                if let Some(needs) = &c.needs {
                    add(&needs.param, &mut needs.values.iter());
                }
            }
        }
        for values in all.values_mut() {
            values.sort();
            values.dedup();
        }
        all
    });
    all.get(name).map_or(&[], Vec::as_slice)
}

/// Prompt lengths (in characters) on and around every limit the data uses.
pub(crate) fn edge_lengths() -> &'static [usize] {
    static LENGTHS: OnceLock<Vec<usize>> = OnceLock::new();
    LENGTHS.get_or_init(|| {
        let rules = all_rules();
        let mut lengths = vec![0, 1, 2];
        for rules in rules {
            let max = rules.prompt.max_chars as usize;
            lengths.extend([max.saturating_sub(1), max, max.saturating_add(1)]);
        }
        lengths.sort_unstable();
        lengths.dedup();
        lengths
    })
}

/// Characters of 1, 2, 3 and 4 UTF-8 bytes (the last one two UTF-16 units),
/// to fill prompts whose length in bytes and in characters differ.
pub(crate) const FILL_CHARS: [char; 5] = ['a', 'é', '中', '😀', '\u{ff10}'];
