//! Named ratios for display, and the sizes providers name (presets).

use serde::{Deserialize, Serialize};

use crate::params::Tier;
use crate::profile::Profile;
use crate::rules::{ModelRules, Preset};
use crate::size::{AspectRatio, Orientation, Size};

const fn ratio(width: u32, height: u32) -> AspectRatio {
    match AspectRatio::new(width, height) {
        Some(r) => r,
        // Evaluated at compile time only: every term below is positive.
        None => panic!("a named ratio has a zero term"),
    }
}

/// The common ratios [`named_ratio`] chooses from, landscape then portrait,
/// each written the way people say it (`16:10`, `21:9`, not `8:5`, `7:3`).
/// When two are equally near, the earlier one wins.
pub const NAMED_RATIOS: [AspectRatio; 17] = [
    ratio(1, 1),
    ratio(5, 4),
    ratio(4, 3),
    ratio(3, 2),
    ratio(16, 10),
    ratio(16, 9),
    ratio(2, 1),
    ratio(21, 9),
    ratio(3, 1),
    ratio(4, 5),
    ratio(3, 4),
    ratio(2, 3),
    ratio(10, 16),
    ratio(9, 16),
    ratio(1, 2),
    ratio(9, 21),
    ratio(1, 3),
];

/// The common ratio nearest to a size's, for display.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedRatio {
    /// One of [`NAMED_RATIOS`], as written there (`21:9`).
    pub ratio: AspectRatio,
    /// How far off the size is: `|ln(W/H) - ln(a/b)|`, the log-space gap
    /// between the two ratios (about the relative difference when small:
    /// `0.0074` for 1920x1088 against 16:9).
    pub error: f64,
}

/// The nearest common ratio (from [`NAMED_RATIOS`]) to `size`'s, measured in
/// log space; `None` when an edge is 0.
///
/// ```
/// use gpt_image_plan::{Size, planner::named_ratio};
/// let wide = named_ratio(Size::new(2048, 880)).unwrap();
/// assert_eq!(wide.ratio.to_string(), "21:9");
/// let hd = named_ratio(Size::new(1920, 1088)).unwrap();
/// assert_eq!(hd.ratio.to_string(), "16:9");
/// assert!(hd.error < 0.01);
/// assert_eq!(named_ratio(Size::new(688, 2048)).unwrap().ratio.to_string(), "1:3");
/// ```
pub fn named_ratio(size: Size) -> Option<NamedRatio> {
    if size.width() == 0 || size.height() == 0 {
        return None;
    }
    // Dividing first makes an exact match exactly 0: both quotients are the
    // correctly rounded value of the same fraction.
    let own = (f64::from(size.width()) / f64::from(size.height())).ln();
    let mut best: Option<NamedRatio> = None;
    for ratio in NAMED_RATIOS {
        let error = (own - ratio.value().ln()).abs();
        if best.is_none_or(|b| error < b.error) {
            best = Some(NamedRatio { ratio, error });
        }
    }
    best
}

/// The sizes a model's provider names, with their tiers and labels (seed 002's
/// 1K/2K/4K tables, seed 001's named sizes, OpenAI's popular sizes, the older
/// models' fixed lists), in the provider's order.
///
/// ```
/// use gpt_image_plan::{builtin_profile, planner::presets};
/// let rules = &builtin_profile("uniall").unwrap().model("gpt-image-2-origin").unwrap().rules;
/// assert_eq!(presets(rules).len(), 48);
/// ```
pub fn presets(rules: &ModelRules) -> &[Preset] {
    &rules.presets
}

/// A filter over presets. Every field left `None` matches everything.
///
/// A ratio matches a preset when the preset's exact ratio or its
/// [named ratio](named_ratio) equals the query's, both in lowest terms: `21:9`
/// finds 2048x880 (named 21:9) and 2016x864 (exactly 7:3); `128:55` finds
/// 2048x880 too. The provider and model filters apply only to [`PresetQuery::search`];
/// the model filter matches the served name or the catalog model id.
///
/// ```
/// use gpt_image_plan::{Tier, builtin_profiles, planner::PresetQuery};
/// let query = PresetQuery {
///     provider: Some("uniall".into()),
///     tier: Some(Tier::K2),
///     ratio: Some("21:9".parse().unwrap()),
///     ..PresetQuery::default()
/// };
/// let hits = query.search(builtin_profiles());
/// let sizes: Vec<String> = hits.iter().map(|h| h.preset.size.to_string()).collect();
/// assert_eq!(sizes, ["2688x1152"]); // 1152x2688 is 9:21, not 21:9
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PresetQuery {
    /// Only this provider's profile (its id, such as `uniall`).
    pub provider: Option<String>,
    /// Only this model (served name such as `gpt-image-2-origin`, or catalog id).
    pub model: Option<String>,
    /// Only presets of this tier.
    pub tier: Option<Tier>,
    /// Only presets of this ratio (exact or named).
    pub ratio: Option<AspectRatio>,
    /// Only presets of this orientation.
    pub orientation: Option<Orientation>,
}

/// A preset found by [`PresetQuery::search`], with where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PresetHit<'a> {
    /// The profile id.
    pub provider: &'a str,
    /// The served model name.
    pub model: &'a str,
    /// The preset.
    pub preset: &'a Preset,
}

impl PresetQuery {
    /// Whether `preset` passes the tier, ratio and orientation filters.
    ///
    /// ```
    /// use gpt_image_plan::{Orientation, Preset, Size, planner::PresetQuery};
    /// let preset = Preset { size: Size::new(1920, 1080), tier: None, label: None };
    /// let query = PresetQuery { orientation: Some(Orientation::Landscape), ..Default::default() };
    /// assert!(query.matches(&preset));
    /// ```
    pub fn matches(&self, preset: &Preset) -> bool {
        let tier = self.tier.is_none_or(|t| preset.tier == Some(t));
        let orientation = self
            .orientation
            .is_none_or(|o| preset.size.orientation() == o);
        let ratio = self.ratio.is_none_or(|wanted| {
            let wanted = wanted.reduced();
            AspectRatio::of(preset.size) == Some(wanted)
                || named_ratio(preset.size).is_some_and(|n| n.ratio.reduced() == wanted)
        });
        tier && orientation && ratio
    }

    /// The presets of `rules` that [match](PresetQuery::matches), in order.
    ///
    /// ```
    /// use gpt_image_plan::{Tier, builtin_profile, planner::PresetQuery};
    /// let rules = &builtin_profile("uniall").unwrap().model("gpt-image-2-origin").unwrap().rules;
    /// let query = PresetQuery { tier: Some(Tier::K4), ..Default::default() };
    /// assert_eq!(query.filter(rules).count(), 12);
    /// ```
    pub fn filter<'a>(&'a self, rules: &'a ModelRules) -> impl Iterator<Item = &'a Preset> + 'a {
        rules.presets.iter().filter(move |p| self.matches(p))
    }

    /// Every matching preset of every matching provider and model, in profile
    /// and preset order.
    ///
    /// ```
    /// use gpt_image_plan::{Size, builtin_profiles, planner::PresetQuery};
    /// let query = PresetQuery { model: Some("dall-e-3".into()), ..Default::default() };
    /// let hits = query.search(builtin_profiles());
    /// assert!(hits.iter().any(|h| h.provider == "openai" && h.preset.size == Size::new(1792, 1024)));
    /// ```
    pub fn search<'a>(&self, profiles: &'a [Profile]) -> Vec<PresetHit<'a>> {
        let mut hits = Vec::new();
        for profile in profiles {
            if self.provider.as_ref().is_some_and(|p| *p != profile.id) {
                continue;
            }
            for served in &profile.models {
                if self
                    .model
                    .as_ref()
                    .is_some_and(|m| *m != served.name && *m != served.model.to_string())
                {
                    continue;
                }
                for preset in served.rules.presets.iter().filter(|p| self.matches(p)) {
                    hits.push(PresetHit {
                        provider: &profile.id,
                        model: &served.name,
                        preset,
                    });
                }
            }
        }
        hits
    }
}
