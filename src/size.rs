//! Sizes, size specs, aspect ratios and the size rule.

use std::fmt;
use std::str::FromStr;

use crate::text::serde_via_str;

/// A width and height in pixels, written `"WxH"` (for example `"1024x1024"`).
///
/// Any `u32` pair can be represented, `0` included, so that a size that breaks
/// every rule can still be named, checked and snapped. Parsing is strict: only
/// ASCII digits, a lowercase `x`, no signs, spaces or leading zeros.
///
/// ```
/// use gpt_image_plan::Size;
/// let size: Size = "1920x1080".parse().unwrap();
/// assert_eq!((size.width(), size.height()), (1920, 1080));
/// assert_eq!(size.to_string(), "1920x1080");
/// assert!("1024*1024".parse::<Size>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Size {
    width: u32,
    height: u32,
}

impl Size {
    /// A size of `width` x `height` pixels.
    pub const fn new(width: u32, height: u32) -> Self {
        Size { width, height }
    }

    /// The width in pixels.
    pub const fn width(self) -> u32 {
        self.width
    }

    /// The height in pixels.
    pub const fn height(self) -> u32 {
        self.height
    }

    /// The number of pixels, computed without overflow.
    pub const fn pixels(self) -> u64 {
        self.width as u64 * self.height as u64
    }

    /// The longer edge.
    pub const fn long_edge(self) -> u32 {
        if self.width >= self.height {
            self.width
        } else {
            self.height
        }
    }

    /// The shorter edge.
    pub const fn short_edge(self) -> u32 {
        if self.width >= self.height {
            self.height
        } else {
            self.width
        }
    }

    /// The same size turned a quarter: width and height swapped.
    pub const fn transposed(self) -> Self {
        Size::new(self.height, self.width)
    }

    /// Whether the picture is landscape, portrait or square.
    pub const fn orientation(self) -> Orientation {
        if self.width > self.height {
            Orientation::Landscape
        } else if self.width < self.height {
            Orientation::Portrait
        } else {
            Orientation::Square
        }
    }
}

impl fmt::Display for Size {
    /// `WxH`; a width, fill or alignment pads the whole text (`{:>10}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.width().is_none() && f.precision().is_none() {
            write!(f, "{}x{}", self.width, self.height)
        } else {
            f.pad(&format!("{}x{}", self.width, self.height))
        }
    }
}

/// The orientation of a size.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum Orientation {
    /// Wider than tall.
    Landscape,
    /// Taller than wide.
    Portrait,
    /// Width equals height.
    Square,
}
serde_via_str!(Orientation);

/// Why a text is not a size.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseSizeError {
    /// The text is empty.
    #[error("size \"\": empty; expected WIDTHxHEIGHT such as \"1024x1024\"")]
    Empty,
    /// The text is not `WIDTHxHEIGHT`.
    #[error("size {text:?}: not WIDTHxHEIGHT with a lowercase x, such as \"1024x1024\"")]
    NotWxH {
        /// The text as given (shortened when very long).
        text: String,
    },
    /// An edge is not a plain decimal number.
    #[error("size {text:?}: {edge} {part:?} is not a whole number of pixels")]
    NotANumber {
        /// The text as given (shortened when very long).
        text: String,
        /// `width` or `height`.
        edge: &'static str,
        /// The part that is not a number.
        part: String,
    },
    /// An edge has leading zeros.
    #[error("size {text:?}: {edge} {part:?} has a leading zero")]
    LeadingZero {
        /// The text as given (shortened when very long).
        text: String,
        /// `width` or `height`.
        edge: &'static str,
        /// The part with the leading zero.
        part: String,
    },
    /// An edge does not fit in 32 bits.
    #[error("size {text:?}: {edge} is above {max}", max = u32::MAX)]
    TooLarge {
        /// The text as given (shortened when very long).
        text: String,
        /// `width` or `height`.
        edge: &'static str,
    },
}

impl ParseSizeError {
    /// The obvious intended size, when the text is a near miss such as
    /// `"1024X1024"`, `"1024 x 1024"`, `"1024*1024"`, `"01024x1024"` or
    /// fullwidth digits.
    pub fn suggestion(&self) -> Option<Size> {
        let text = match self {
            ParseSizeError::Empty | ParseSizeError::TooLarge { .. } => return None,
            ParseSizeError::NotWxH { text }
            | ParseSizeError::NotANumber { text, .. }
            | ParseSizeError::LeadingZero { text, .. } => text,
        };
        let mut normalized = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '0'..='9' => normalized.push(c),
                // Fullwidth digits U+FF10..U+FF19.
                '\u{ff10}'..='\u{ff19}' => {
                    normalized.push(char::from(b'0' + (c as u32 - 0xff10) as u8))
                }
                'x' | 'X' | '*' | '×' | '\u{ff58}' | '\u{ff38}' | ',' | ':' => {
                    normalized.push('x')
                }
                c if c.is_whitespace() => {}
                _ => return None,
            }
        }
        let (w, h) = normalized.split_once('x')?;
        let parse = |s: &str| -> Option<u32> {
            if s.is_empty() || s.len() > 10 {
                return None;
            }
            s.parse().ok()
        };
        let size = Size::new(parse(w)?, parse(h)?);
        (size.width > 0 && size.height > 0 && size.to_string() != *text).then_some(size)
    }
}

fn parse_edge(text: &str, part: &str, edge: &'static str) -> Result<u32, ParseSizeError> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseSizeError::NotANumber {
            text: crate::text::excerpt(text, 64),
            edge,
            part: crate::text::excerpt(part, 64),
        });
    }
    if part.len() > 1 && part.starts_with('0') {
        return Err(ParseSizeError::LeadingZero {
            text: crate::text::excerpt(text, 64),
            edge,
            part: crate::text::excerpt(part, 64),
        });
    }
    part.parse().map_err(|_| ParseSizeError::TooLarge {
        text: crate::text::excerpt(text, 64),
        edge,
    })
}

impl FromStr for Size {
    type Err = ParseSizeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(ParseSizeError::Empty);
        }
        let Some((w, h)) = s.split_once('x') else {
            return Err(ParseSizeError::NotWxH {
                text: crate::text::excerpt(s, 64),
            });
        };
        Ok(Size::new(
            parse_edge(s, w, "width")?,
            parse_edge(s, h, "height")?,
        ))
    }
}
serde_via_str!(Size);

/// A requested size: `auto` (the provider chooses) or an explicit size.
///
/// ```
/// use gpt_image_plan::{Size, SizeSpec};
/// assert_eq!("auto".parse::<SizeSpec>().unwrap(), SizeSpec::Auto);
/// assert_eq!("1536x1024".parse::<SizeSpec>().unwrap(), SizeSpec::Size(Size::new(1536, 1024)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SizeSpec {
    /// `"auto"`: the provider picks.
    Auto,
    /// An explicit `WxH`.
    Size(Size),
}

impl SizeSpec {
    /// The explicit size, if any.
    pub const fn size(self) -> Option<Size> {
        match self {
            SizeSpec::Auto => None,
            SizeSpec::Size(size) => Some(size),
        }
    }
}

impl From<Size> for SizeSpec {
    fn from(size: Size) -> Self {
        SizeSpec::Size(size)
    }
}

impl fmt::Display for SizeSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SizeSpec::Auto => f.pad("auto"),
            SizeSpec::Size(size) => size.fmt(f),
        }
    }
}

impl FromStr for SizeSpec {
    type Err = ParseSizeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "auto" {
            Ok(SizeSpec::Auto)
        } else {
            s.parse().map(SizeSpec::Size)
        }
    }
}
serde_via_str!(SizeSpec);

/// An aspect ratio written `"W:H"` with positive whole numbers, such as `"16:9"`.
///
/// The text is kept as written (`"32:18"` prints `"32:18"`); [`AspectRatio::reduced`]
/// gives the lowest terms.
///
/// ```
/// use gpt_image_plan::AspectRatio;
/// let r: AspectRatio = "21:9".parse().unwrap();
/// assert_eq!(r.reduced().to_string(), "7:3");
/// assert!((r.value() - 2.3333).abs() < 1e-3);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AspectRatio {
    width: u32,
    height: u32,
}

/// Why a text is not an aspect ratio.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("aspect ratio {text:?} is not W:H with two positive whole numbers, such as \"16:9\"")]
pub struct ParseAspectRatioError {
    text: String,
}

impl AspectRatio {
    /// The ratio `width:height`; `None` when either is zero.
    pub const fn new(width: u32, height: u32) -> Option<Self> {
        if width == 0 || height == 0 {
            None
        } else {
            Some(AspectRatio { width, height })
        }
    }

    /// The width term.
    pub const fn width(self) -> u32 {
        self.width
    }

    /// The height term.
    pub const fn height(self) -> u32 {
        self.height
    }

    /// Width divided by height.
    pub fn value(self) -> f64 {
        f64::from(self.width) / f64::from(self.height)
    }

    /// The same ratio in lowest terms.
    pub const fn reduced(self) -> Self {
        let g = gcd(self.width, self.height);
        AspectRatio {
            width: self.width / g,
            height: self.height / g,
        }
    }

    /// The ratio of a size in lowest terms; `None` when an edge is zero.
    pub const fn of(size: Size) -> Option<Self> {
        match AspectRatio::new(size.width, size.height) {
            Some(r) => Some(r.reduced()),
            None => None,
        }
    }
}

const fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl fmt::Display for AspectRatio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("{}:{}", self.width, self.height))
    }
}

impl FromStr for AspectRatio {
    type Err = ParseAspectRatioError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseAspectRatioError {
            text: crate::text::excerpt(s, 64),
        };
        let (w, h) = s.split_once(':').ok_or_else(err)?;
        let num = |p: &str| -> Option<u32> {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.starts_with('0') {
                return None;
            }
            p.parse().ok()
        };
        let (w, h) = (num(w).ok_or_else(err)?, num(h).ok_or_else(err)?);
        AspectRatio::new(w, h).ok_or_else(err)
    }
}
serde_via_str!(AspectRatio);

/// A rule that decides which sizes are valid without listing them, as OpenAI
/// documents for gpt-image-2.
///
/// All checks use 64-bit arithmetic, so every `u32` pair is checked exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeRule {
    /// Both edges must be multiples of this many pixels.
    pub multiple: u32,
    /// The longest edge may be at most this many pixels.
    pub max_edge: u32,
    /// The long:short ratio may be at most this (`3:1` for gpt-image-2).
    pub max_ratio: AspectRatio,
    /// Fewest pixels in total (inclusive).
    pub min_pixels: u64,
    /// Most pixels in total (inclusive).
    pub max_pixels: u64,
}

/// One way a size can break a [`SizeRule`].
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::Display,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum RuleBreak {
    /// An edge is not a multiple of [`SizeRule::multiple`].
    NotMultipleOf16,
    /// The long edge is above [`SizeRule::max_edge`].
    EdgeTooLong,
    /// long:short is above [`SizeRule::max_ratio`].
    AspectTooExtreme,
    /// Fewer than [`SizeRule::min_pixels`].
    TooFewPixels,
    /// More than [`SizeRule::max_pixels`].
    TooManyPixels,
}

/// The set of rules a size breaks; empty when the size is valid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RuleBreaks(u8);

impl RuleBreaks {
    /// Whether no rule is broken.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether `rule` is broken.
    pub const fn contains(self, rule: RuleBreak) -> bool {
        self.0 & (1 << rule as u8) != 0
    }

    /// How many rules are broken.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    const fn with(self, rule: RuleBreak, broken: bool) -> Self {
        RuleBreaks(self.0 | ((broken as u8) << rule as u8))
    }

    /// The broken rules, in a fixed order.
    pub fn iter(self) -> impl Iterator<Item = RuleBreak> {
        <RuleBreak as strum::VariantArray>::VARIANTS
            .iter()
            .copied()
            .filter(move |r| self.contains(*r))
    }
}

impl SizeRule {
    /// The gpt-image-2 rule (OpenAI image-generation guide; repeated by seeds
    /// 000 and 003): edges multiples of 16, longest edge <= 3840, long:short <= 3:1,
    /// 655,360 <= pixels <= 8,294,400.
    pub const GPT_IMAGE_2: SizeRule = SizeRule {
        multiple: 16,
        max_edge: 3840,
        max_ratio: AspectRatio {
            width: 3,
            height: 1,
        },
        min_pixels: 655_360,
        max_pixels: 8_294_400,
    };

    /// Every rule `size` breaks (not only the first).
    ///
    /// ```
    /// use gpt_image_plan::{RuleBreak, Size, SizeRule};
    /// let broken = SizeRule::GPT_IMAGE_2.check(Size::new(4000, 1008));
    /// assert!(broken.contains(RuleBreak::EdgeTooLong));
    /// assert!(broken.contains(RuleBreak::AspectTooExtreme));
    /// assert!(!broken.contains(RuleBreak::NotMultipleOf16));
    /// ```
    #[inline]
    pub const fn check(&self, size: Size) -> RuleBreaks {
        let (w, h) = (size.width as u64, size.height as u64);
        let (long, short) = if w >= h { (w, h) } else { (h, w) };
        let pixels = w * h;
        let multiple = if self.multiple == 0 {
            1
        } else {
            self.multiple as u64
        };
        RuleBreaks(0)
            .with(
                RuleBreak::NotMultipleOf16,
                w % multiple != 0 || h % multiple != 0,
            )
            .with(RuleBreak::EdgeTooLong, long > self.max_edge as u64)
            .with(
                RuleBreak::AspectTooExtreme,
                long * self.max_ratio.height as u64 > short * self.max_ratio.width as u64,
            )
            .with(RuleBreak::TooFewPixels, pixels < self.min_pixels)
            .with(RuleBreak::TooManyPixels, pixels > self.max_pixels)
    }

    /// Whether `size` satisfies every part of the rule.
    #[inline]
    pub const fn allows(&self, size: Size) -> bool {
        self.check(size).is_empty()
    }

    /// Every size the rule allows, in order of width then height.
    ///
    /// Only the multiples of [`SizeRule::multiple`] up to [`SizeRule::max_edge`]
    /// are visited, so the cost is bounded by the rule itself.
    pub fn sizes(&self) -> impl Iterator<Item = Size> + '_ {
        let step = self.multiple.max(1);
        let count = self.max_edge / step;
        (1..=count).flat_map(move |i| {
            (1..=count).filter_map(move |j| {
                let size = Size::new(i * step, j * step);
                self.allows(size).then_some(size)
            })
        })
    }
}
