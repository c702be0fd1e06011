//! Token counts: gpt-image-2's output image tokens and a prompt's text tokens.

use serde::{Deserialize, Serialize};

use crate::params::Quality;
use crate::size::Size;

/// The quality factor `q` of the gpt-image-2 token formula: 16, 48 or 96 for
/// low, medium or high; `None` for any other quality.
///
/// ```
/// use gpt_image_plan::{price::gpt_image_2_quality_factor, Quality};
/// assert_eq!(gpt_image_2_quality_factor(Quality::Medium), Some(48));
/// assert_eq!(gpt_image_2_quality_factor(Quality::Hd), None);
/// ```
pub const fn gpt_image_2_quality_factor(quality: Quality) -> Option<u64> {
    match quality {
        Quality::Low => Some(16),
        Quality::Medium => Some(48),
        Quality::High => Some(96),
        _ => None,
    }
}

/// Output image tokens of one gpt-image-2 image of `size` at `quality`, by
/// the community formula in `shared/REFERENCE.md` section 4. An estimate:
/// OpenAI publishes only a calculator, and the formula matches every value
/// published or measured so far.
///
/// With `q` = 16 / 48 / 96 for low / medium / high, `L` the long edge and `S`
/// the short edge: `s = (2*q*S + L) div (2*L)` and
/// `tokens = ceil(q * s * (2_000_000 + W*H) / 4_000_000)`, all in integers.
///
/// `None` for a quality other than low, medium or high, an edge of zero, or a
/// count beyond `u64` (only for sizes far past any rule).
///
/// ```
/// use gpt_image_plan::{price::gpt_image_2_output_tokens, Quality, Size};
/// let square = Size::new(1024, 1024);
/// assert_eq!(gpt_image_2_output_tokens(square, Quality::Low), Some(196));
/// assert_eq!(gpt_image_2_output_tokens(square, Quality::Medium), Some(1756));
/// assert_eq!(gpt_image_2_output_tokens(square, Quality::High), Some(7024));
/// assert_eq!(gpt_image_2_output_tokens(square, Quality::Auto), None);
/// ```
pub fn gpt_image_2_output_tokens(size: Size, quality: Quality) -> Option<u64> {
    formula_output_tokens(size, gpt_image_2_quality_factor(quality)?)
}

/// Output image tokens of one image of `size` by the gpt-image-2 formula
/// with the quality factor `q` given (the factor is data per model and
/// quality: gpt-image-2.5 medium is 24). `None` for an edge of zero or a
/// count beyond `u64`.
///
/// ```
/// use gpt_image_plan::{price::formula_output_tokens, Size};
/// let square = Size::new(1024, 1024);
/// let counts: Vec<_> = [16, 24, 48, 64, 96].map(|q| formula_output_tokens(square, q).unwrap()).into();
/// assert_eq!(counts, [196, 439, 1756, 3122, 7024]);
/// ```
pub fn formula_output_tokens(size: Size, q: u64) -> Option<u64> {
    let q = u128::from(q);
    let long = u128::from(size.long_edge());
    let short = u128::from(size.short_edge());
    if short == 0 {
        return None;
    }
    // Edges are below 2^32, so nothing here comes near 2^128.
    let s = (2 * q * short + long) / (2 * long);
    let tokens = (q * s * (2_000_000 + u128::from(size.pixels()))).div_ceil(4_000_000);
    u64::try_from(tokens).ok()
}

/// The average characters per token assumed for the typical prompt estimate:
/// 4, OpenAI's rule of thumb for English text.
pub const CHARS_PER_TOKEN: u64 = 4;

/// The longest token, in UTF-8 bytes, assumed for the lower bound: 128.
///
/// An assumption, not checked against the tokenizer's vocabulary (no
/// tokenizer is built in); byte-level BPE vocabularies have few tokens near
/// this length, and a lower bound that is too low only widens the range.
pub const MAX_TOKEN_BYTES: u64 = 128;

/// A prompt's text tokens, estimated from its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PromptTokens {
    /// The fewest tokens it can be: one per [`MAX_TOKEN_BYTES`] bytes, rounded up.
    pub min: u64,
    /// The usual count: one per [`CHARS_PER_TOKEN`] characters, rounded up.
    pub typical: u64,
    /// The most it can be: one per UTF-8 byte. The tokenizers of OpenAI's
    /// models work on bytes and every token covers at least one byte.
    pub max: u64,
}

/// Estimates the text tokens of `prompt` from its length; the count is a
/// range because no tokenizer is built in.
///
/// The bounds assume the prompt is billed as written; any fixed overhead the
/// provider adds per call is not known and not included.
///
/// ```
/// use gpt_image_plan::price::estimate_prompt_tokens;
/// let t = estimate_prompt_tokens("a lighthouse at dusk");
/// assert_eq!((t.min, t.typical, t.max), (1, 5, 20));
/// assert_eq!(estimate_prompt_tokens("").max, 0);
/// ```
pub fn estimate_prompt_tokens(prompt: &str) -> PromptTokens {
    let bytes = prompt.len() as u64;
    let chars = prompt.chars().count() as u64;
    let min = bytes.div_ceil(MAX_TOKEN_BYTES);
    let typical = chars.div_ceil(CHARS_PER_TOKEN).clamp(min, bytes);
    PromptTokens {
        min,
        typical,
        max: bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn tokens(w: u32, h: u32, q: Quality) -> u64 {
        gpt_image_2_output_tokens(Size::new(w, h), q).unwrap()
    }

    #[test]
    fn formula_reproduces_every_published_value() {
        assert_eq!(tokens(1024, 1024, Quality::Low), 196);
        assert_eq!(tokens(1024, 1024, Quality::Medium), 1756);
        assert_eq!(tokens(1024, 1024, Quality::High), 7024);
        assert_eq!(tokens(768, 1024, Quality::Low), 134);
        assert_eq!(tokens(2048, 2048, Quality::Low), 397);
        assert_eq!(tokens(3840, 2160, Quality::Low), 371);
    }

    #[test]
    fn formula_is_the_same_turned_a_quarter() {
        assert_eq!(
            tokens(1536, 1024, Quality::High),
            tokens(1024, 1536, Quality::High)
        );
    }

    #[test]
    fn formula_refuses_zero_edges_and_unknown_qualities() {
        assert_eq!(
            gpt_image_2_output_tokens(Size::new(0, 1024), Quality::Low),
            None
        );
        assert_eq!(
            gpt_image_2_output_tokens(Size::new(0, 0), Quality::Low),
            None
        );
        assert_eq!(
            gpt_image_2_output_tokens(Size::new(1024, 1024), Quality::Hd),
            None
        );
    }

    #[test]
    fn formula_does_not_overflow_at_the_largest_size() {
        // s = 96 for a square, so 96 * 96 * (2,000,000 + (2^32 - 1)^2) / 4,000,000, rounded up.
        assert_eq!(
            gpt_image_2_output_tokens(Size::new(u32::MAX, u32::MAX), Quality::High),
            Some(42_501_298_326_040_206)
        );
    }

    #[test]
    fn prompt_bounds_count_bytes_and_characters() {
        // "é" is 2 bytes, 1 character.
        let t = estimate_prompt_tokens("éééé");
        assert_eq!((t.min, t.typical, t.max), (1, 1, 8));
        let long = "x".repeat(1000);
        let t = estimate_prompt_tokens(&long);
        assert_eq!((t.min, t.typical, t.max), (8, 250, 1000));
    }
}
