//! Interesting values shared by the `arbitrary` and `proptest` generators:
//! every model name and every size the built-in data mentions, and the
//! lengths where the prompt limits sit.

use std::sync::OnceLock;

use crate::model::catalog;
use crate::profile::builtin_profiles;
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
        let rules = catalog().models.iter().map(|m| &m.rules).chain(
            builtin_profiles()
                .iter()
                .flat_map(|p| p.models.iter().map(|m| &m.rules)),
        );
        let mut sizes = Vec::new();
        for rules in rules {
            sizes.extend(rules.sizes.list.iter().copied());
            sizes.extend(rules.presets.iter().map(|p| p.size));
            sizes.extend(rules.defaults.size.and_then(|s| s.size()));
        }
        sizes.sort();
        sizes.dedup();
        sizes
    })
}

/// Prompt lengths (in characters) on and around every limit the data uses.
pub(crate) fn edge_lengths() -> &'static [usize] {
    static LENGTHS: OnceLock<Vec<usize>> = OnceLock::new();
    LENGTHS.get_or_init(|| {
        let rules = catalog().models.iter().map(|m| &m.rules).chain(
            builtin_profiles()
                .iter()
                .flat_map(|p| p.models.iter().map(|m| &m.rules)),
        );
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
