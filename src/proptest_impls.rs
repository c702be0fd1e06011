//! `proptest::arbitrary::Arbitrary` for the crate's value types (feature
//! `proptest`), so `any::<Size>()` and friends work in downstream tests.
//!
//! Like the `arbitrary` impls, the strategies lean towards the interesting:
//! sizes on and just off the multiple-of-16 grid and every size the built-in
//! data names, model names from the catalog and profiles, parameter names
//! and values from the data (with undeclared names and values of every type
//! mixed in), prompts at and around every length limit.

use proptest::prelude::*;
use proptest::sample::{Select, select};

use crate::diag::{Code, Field, Kind, Severity};
use crate::model::{Date, Family, ModelId, ModelState};
use crate::params::{
    Background, Moderation, OutputFormat, ParamValue, Params, Quality, ResponseFormat, Style, Tier,
};
use crate::profile::{ModelIn, NType, ResponseShape, UnknownFields};
use crate::request::ImageRequest;
use crate::rules::{Effect, ParamType, Support};
use crate::samples;
use crate::size::{AspectRatio, Orientation, RuleBreak, Size, SizeRule, SizeSpec};

/// `Arbitrary` for a fieldless enum: any of its variants, shrinking towards the first.
macro_rules! arbitrary_variant {
    ($($ty:ty),+ $(,)?) => {$(
        impl Arbitrary for $ty {
            type Parameters = ();
            type Strategy = Select<$ty>;

            fn arbitrary_with((): ()) -> Self::Strategy {
                select(<$ty as strum::VariantArray>::VARIANTS)
            }
        }
    )+};
}

crate::text::with_wire_enums!(arbitrary_variant);

impl Arbitrary for Field {
    type Parameters = ();
    type Strategy = BoxedStrategy<Field>;

    /// `request`, a core field, a parameter the built-in data declares, or
    /// any other name a parameter could have.
    fn arbitrary_with((): ()) -> Self::Strategy {
        let mut known: Vec<Field> = vec![Field::REQUEST];
        known.extend(Field::CORE);
        known.extend(samples::param_names().iter().map(Field::param));
        prop_oneof![
            7 => select(known),
            1 => "[a-z][a-z0-9_]{0,20}".prop_map(Field::param),
        ]
        .boxed()
    }
}

impl Arbitrary for ModelId {
    type Parameters = ();
    type Strategy = BoxedStrategy<ModelId>;

    /// Usually an id the built-in data names, sometimes any valid id.
    fn arbitrary_with((): ()) -> Self::Strategy {
        let known: Vec<ModelId> = samples::model_names()
            .iter()
            .filter_map(|name| name.parse().ok())
            .collect();
        prop_oneof![
            7 => select(known),
            1 => "[A-Za-z0-9._-]{1,40}".prop_filter_map("a model id", |s| s.parse().ok()),
        ]
        .boxed()
    }
}

impl Arbitrary for ParamValue {
    type Parameters = ();
    type Strategy = BoxedStrategy<ParamValue>;

    /// Any boolean, a number that is usually small, short words and any text.
    fn arbitrary_with((): ()) -> Self::Strategy {
        prop_oneof![
            any::<bool>().prop_map(ParamValue::Bool),
            count(110).prop_map(ParamValue::Int),
            "[a-z0-9_]{1,8}".prop_map(ParamValue::Text),
            any::<String>().prop_map(ParamValue::Text),
        ]
        .boxed()
    }
}

/// A parameter name: usually one the built-in data declares, sometimes an
/// undeclared near miss or any other name (never `model`, `prompt`, `n` or
/// `size`, which are the request's own fields).
pub(crate) fn param_name() -> BoxedStrategy<String> {
    prop_oneof![
        8 => select(samples::param_names()),
        1 => select(&samples::UNDECLARED_NAMES[..]).prop_map(str::to_owned),
        1 => "[a-z][a-z_]{0,15}",
    ]
    .prop_filter("not a core field", |name| !Field::is_core_name(name))
    .boxed()
}

/// A value for parameter `name`: usually one the built-in data names for it
/// (when it names any), sometimes any value of any type.
pub(crate) fn param_value(name: &str) -> BoxedStrategy<ParamValue> {
    let known = samples::param_values(name);
    if known.is_empty() {
        return any::<ParamValue>();
    }
    prop_oneof![5 => select(known), 1 => any::<ParamValue>()].boxed()
}

impl Arbitrary for Params {
    type Parameters = ();
    type Strategy = BoxedStrategy<Params>;

    /// Zero to six parameters from [`param_name`], each with a value from
    /// [`param_value`].
    fn arbitrary_with((): ()) -> Self::Strategy {
        let pair = param_name().prop_flat_map(|name| {
            let value = param_value(&name);
            (Just(name), value)
        });
        prop::collection::vec(pair, 0..=6)
            .prop_map(Params::from_iter)
            .boxed()
    }
}

impl Arbitrary for Code {
    type Parameters = ();
    type Strategy = BoxedStrategy<Code>;

    fn arbitrary_with((): ()) -> Self::Strategy {
        (any::<Field>(), any::<Kind>())
            .prop_map(|(field, kind)| Code::new(field, kind))
            .boxed()
    }
}

/// An edge on the multiple-of-16 grid up to 8192, or 1 to 15 off it.
fn grid_edge() -> impl Strategy<Value = u32> {
    (
        0..=512u32,
        prop_oneof![Just(0u32), Just(1), Just(15), 0..16u32],
    )
        .prop_map(|(step, offset)| 16 * step + offset)
}

impl Arbitrary for Size {
    type Parameters = ();
    type Strategy = BoxedStrategy<Size>;

    fn arbitrary_with((): ()) -> Self::Strategy {
        prop_oneof![
            (any::<u32>(), any::<u32>()).prop_map(|(w, h)| Size::new(w, h)),
            (0..=8192u32, 0..=8192u32).prop_map(|(w, h)| Size::new(w, h)),
            (0..=256u32, 0..=256u32).prop_map(|(w, h)| Size::new(16 * w, 16 * h)),
            (grid_edge(), grid_edge()).prop_map(|(w, h)| Size::new(w, h)),
            select(samples::known_sizes()),
        ]
        .boxed()
    }
}

impl Arbitrary for SizeSpec {
    type Parameters = ();
    type Strategy = BoxedStrategy<SizeSpec>;

    fn arbitrary_with((): ()) -> Self::Strategy {
        prop_oneof![
            1 => Just(SizeSpec::Auto),
            7 => any::<Size>().prop_map(SizeSpec::Size),
        ]
        .boxed()
    }
}

impl Arbitrary for AspectRatio {
    type Parameters = ();
    type Strategy = BoxedStrategy<AspectRatio>;

    fn arbitrary_with((): ()) -> Self::Strategy {
        prop_oneof![
            3 => (1..=64u32, 1..=64u32),
            1 => (1..=u32::MAX, 1..=u32::MAX),
        ]
        .prop_filter_map("both terms are positive", |(w, h)| AspectRatio::new(w, h))
        .boxed()
    }
}

impl Arbitrary for Date {
    type Parameters = ();
    type Strategy = BoxedStrategy<Date>;

    fn arbitrary_with((): ()) -> Self::Strategy {
        (0..=9999u16, 1..=12u8, 1..=31u8)
            .prop_filter_map("a real day", |(y, m, d)| Date::new(y, m, d))
            .boxed()
    }
}

impl Arbitrary for SizeRule {
    type Parameters = ();
    type Strategy = BoxedStrategy<SizeRule>;

    /// Small, self-consistent rules: a multiple of 1 to 64, at most 512 steps
    /// per edge, min pixels at most max pixels, a ratio of 1:1 to 8:1.
    fn arbitrary_with((): ()) -> Self::Strategy {
        (1..=64u32, 1..=512u32, 1..=8u32, any::<(u64, u64)>())
            .prop_filter_map("a consistent rule", |(multiple, steps, ratio, (a, b))| {
                let max_edge = multiple * steps;
                let area = u64::from(max_edge) * u64::from(max_edge) + 1;
                let (a, b) = (a % area, b % area);
                Some(SizeRule {
                    multiple,
                    max_edge,
                    max_ratio: AspectRatio::new(ratio, 1)?,
                    min_pixels: a.min(b),
                    max_pixels: a.max(b),
                })
            })
            .boxed()
    }
}

/// A prompt: short arbitrary text, or one character repeated to a length at
/// or around a limit.
pub(crate) fn prompt() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<String>(),
        1 => (select(samples::edge_lengths()), select(&samples::FILL_CHARS[..]))
            .prop_map(|(n, c)| std::iter::repeat_n(c, n).collect()),
    ]
    .boxed()
}

/// A model name: usually one the built-in data knows, sometimes any text.
pub(crate) fn model_name() -> BoxedStrategy<String> {
    prop_oneof![
        7 => select(samples::model_names()),
        1 => any::<String>(),
    ]
    .boxed()
}

/// A number that is usually small (`0..=small`), sometimes any `u32`.
pub(crate) fn count(small: u32) -> BoxedStrategy<u32> {
    prop_oneof![7 => 0..=small, 1 => any::<u32>()].boxed()
}

impl Arbitrary for ImageRequest {
    type Parameters = ();
    type Strategy = BoxedStrategy<ImageRequest>;

    fn arbitrary_with((): ()) -> Self::Strategy {
        use proptest::option::of;
        (
            of(model_name()),
            of(prompt()),
            of(count(12)),
            of(any::<SizeSpec>()),
            any::<Params>(),
        )
            .prop_map(|(model, prompt, n, size, params)| ImageRequest {
                model,
                prompt,
                n,
                size,
                params,
            })
            .boxed()
    }
}
