//! `proptest::arbitrary::Arbitrary` for the crate's value types (feature
//! `proptest`), so `any::<Size>()` and friends work in downstream tests.
//!
//! Like the `arbitrary` impls, the strategies lean towards the interesting:
//! sizes on and just off the multiple-of-16 grid and every size the built-in
//! data names, model names from the catalog and profiles, prompts at and
//! around every length limit.

use proptest::prelude::*;
use proptest::sample::{Select, select};

use crate::diag::{Code, Field, Kind, Severity};
use crate::model::{Date, Family, ModelId};
use crate::params::{Background, Moderation, OutputFormat, Quality, ResponseFormat, Style, Tier};
use crate::profile::{ModelIn, NType, ResponseShape, UnknownFields};
use crate::request::ImageRequest;
use crate::rules::{CompressionElsewhere, Support};
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
fn count(small: u32) -> BoxedStrategy<u32> {
    prop_oneof![7 => 0..=small, 1 => any::<u32>()].boxed()
}

/// A request's first eight fields, in declaration order (proptest strategies
/// are tuples of at most twelve, so a request is drawn in two parts).
pub(crate) type Head = (
    Option<String>,
    Option<String>,
    Option<u32>,
    Option<SizeSpec>,
    Option<Quality>,
    Option<Background>,
    Option<OutputFormat>,
    Option<u32>,
);

/// A request's last seven fields, in declaration order.
pub(crate) type Tail = (
    Option<Moderation>,
    Option<ResponseFormat>,
    Option<Style>,
    Option<bool>,
    Option<u32>,
    Option<String>,
    Option<bool>,
);

/// The request made of the two drawn parts.
pub(crate) fn assemble(head: Head, tail: Tail) -> ImageRequest {
    let (model, prompt, n, size, quality, background, output_format, output_compression) = head;
    let (moderation, response_format, style, stream, partial_images, user, enable_sync_mode) = tail;
    ImageRequest {
        model,
        prompt,
        n,
        size,
        quality,
        background,
        output_format,
        output_compression,
        moderation,
        response_format,
        style,
        stream,
        partial_images,
        user,
        enable_sync_mode,
    }
}

impl Arbitrary for ImageRequest {
    type Parameters = ();
    type Strategy = BoxedStrategy<ImageRequest>;

    fn arbitrary_with((): ()) -> Self::Strategy {
        use proptest::option::of;
        let head = (
            of(model_name()),
            of(prompt()),
            of(count(12)),
            of(any::<SizeSpec>()),
            of(any::<Quality>()),
            of(any::<Background>()),
            of(any::<OutputFormat>()),
            of(count(110)),
        );
        let tail = (
            of(any::<Moderation>()),
            of(any::<ResponseFormat>()),
            of(any::<Style>()),
            of(any::<bool>()),
            of(count(5)),
            of(any::<String>()),
            of(any::<bool>()),
        );
        (head, tail)
            .prop_map(|(head, tail)| assemble(head, tail))
            .boxed()
    }
}
