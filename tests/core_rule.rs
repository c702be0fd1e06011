//! The gpt-image-2 size rule, checked exhaustively against a predicate written
//! straight from the documented wording (REFERENCE.md section 2; seeds 000 and 003):
//! both edges multiples of 16, longest edge at most 3840, long:short at most 3:1,
//! total pixels from 655,360 to 8,294,400 inclusive.

use gpt_image_plan::{RuleBreak, Size, SizeRule};
use proptest::prelude::*;

/// The rule as the documents say it, one clause per line, in 128-bit arithmetic
/// so no `u32` pair can overflow it.
fn documented_rule(width: u32, height: u32) -> [bool; 5] {
    let (w, h) = (u128::from(width), u128::from(height));
    let long = w.max(h);
    let short = w.min(h);
    let pixels = w * h;
    [
        w % 16 != 0 || h % 16 != 0,
        long > 3840,
        long > 3 * short,
        pixels < 655_360,
        pixels > 8_294_400,
    ]
}

const BREAKS: [RuleBreak; 5] = [
    RuleBreak::NotMultipleOf16,
    RuleBreak::EdgeTooLong,
    RuleBreak::AspectTooExtreme,
    RuleBreak::TooFewPixels,
    RuleBreak::TooManyPixels,
];

/// Asserts that `check` reports exactly the clauses the documented rule says are broken.
#[track_caller]
fn assert_agrees(width: u32, height: u32) {
    let expected = documented_rule(width, height);
    let got = SizeRule::GPT_IMAGE_2.check(Size::new(width, height));
    for (rule, broken) in BREAKS.iter().zip(expected) {
        assert_eq!(
            got.contains(*rule),
            broken,
            "{width}x{height}: {rule} should be {}",
            if broken { "broken" } else { "kept" }
        );
    }
    assert_eq!(got.len(), expected.iter().filter(|b| **b).count());
    assert_eq!(got.is_empty(), !expected.contains(&true));
    assert_eq!(
        SizeRule::GPT_IMAGE_2.allows(Size::new(width, height)),
        !expected.contains(&true)
    );
}

#[test]
fn rule_agrees_with_documented_predicate_on_every_multiple_of_16_pair_up_to_4096() {
    let mut valid = 0;
    for w in (16..=4096).step_by(16) {
        for h in (16..=4096).step_by(16) {
            assert_agrees(w, h);
            valid += usize::from(SizeRule::GPT_IMAGE_2.allows(Size::new(w, h)));
        }
    }
    assert_eq!(valid, 29_146);
}

#[test]
fn rule_agrees_with_documented_predicate_on_every_pair_up_to_4096_near_the_boundaries() {
    // Every pair whose edges are within 2 px of a multiple of 16: catches an
    // off-by-one in any clause without the cost of all 16.7 million pairs.
    let edges: Vec<u32> = (0..=4100)
        .filter(|e| matches!(e % 16, 0 | 1 | 2 | 14 | 15))
        .collect();
    for &w in &edges {
        for &h in &edges {
            assert_agrees(w, h);
        }
    }
}

#[test]
fn rule_allows_29146_sizes() {
    assert_eq!(SizeRule::GPT_IMAGE_2.sizes().count(), 29_146);
}

#[test]
fn sizes_lists_only_allowed_sizes_without_repeats_in_width_then_height_order() {
    let sizes: Vec<Size> = SizeRule::GPT_IMAGE_2.sizes().collect();
    assert!(sizes.iter().all(|s| SizeRule::GPT_IMAGE_2.allows(*s)));
    assert!(
        sizes
            .windows(2)
            .all(|p| (p[0].width(), p[0].height()) < (p[1].width(), p[1].height()))
    );
}

// REFERENCE.md names 512x1280 / 1280x512 as the smallest; 640x1024 and
// 1024x640 have exactly the same 655,360 pixels, so all four are smallest.
#[test]
fn smallest_valid_sizes_have_exactly_655360_pixels_and_include_512x1280_and_1280x512() {
    let min = SizeRule::GPT_IMAGE_2
        .sizes()
        .map(Size::pixels)
        .min()
        .unwrap();
    assert_eq!(min, 655_360);
    let smallest: Vec<String> = SizeRule::GPT_IMAGE_2
        .sizes()
        .filter(|s| s.pixels() == min)
        .map(|s| s.to_string())
        .collect();
    assert_eq!(smallest, ["512x1280", "640x1024", "1024x640", "1280x512"]);
}

// REFERENCE.md names 3840x2160, 2160x3840 and 2880x2880 as the largest; six
// more sizes have exactly the same 8,294,400 pixels.
#[test]
fn largest_valid_sizes_have_exactly_8294400_pixels_and_include_3840x2160_2160x3840_and_2880x2880() {
    let max = SizeRule::GPT_IMAGE_2
        .sizes()
        .map(Size::pixels)
        .max()
        .unwrap();
    assert_eq!(max, 8_294_400);
    let largest: Vec<String> = SizeRule::GPT_IMAGE_2
        .sizes()
        .filter(|s| s.pixels() == max)
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        largest,
        [
            "2160x3840",
            "2304x3600",
            "2400x3456",
            "2592x3200",
            "2880x2880",
            "3200x2592",
            "3456x2400",
            "3600x2304",
            "3840x2160"
        ]
    );
}

#[track_caller]
fn breaks(size: &str) -> Vec<RuleBreak> {
    SizeRule::GPT_IMAGE_2
        .check(size.parse().unwrap())
        .iter()
        .collect()
}

#[test]
fn live_probe_800x800_is_refused_for_too_few_pixels() {
    assert_eq!(breaks("800x800"), [RuleBreak::TooFewPixels]);
}

#[test]
fn live_probe_816x816_is_accepted() {
    assert_eq!(breaks("816x816"), []);
}

#[test]
fn live_probe_3008x3008_is_refused_for_too_many_pixels() {
    assert_eq!(breaks("3008x3008"), [RuleBreak::TooManyPixels]);
}

#[test]
fn openai_popular_sizes_all_satisfy_the_rule() {
    for size in [
        "1024x1024",
        "1536x1024",
        "1024x1536",
        "2048x2048",
        "2048x1152",
        "3840x2160",
        "2160x3840",
    ] {
        assert_eq!(breaks(size), [], "{size}");
    }
}

#[test]
fn each_clause_is_broken_alone_at_its_boundary() {
    assert_eq!(breaks("1920x1080"), [RuleBreak::NotMultipleOf16]);
    assert_eq!(breaks("3856x1600"), [RuleBreak::EdgeTooLong]);
    assert_eq!(breaks("3840x1264"), [RuleBreak::AspectTooExtreme]);
    assert_eq!(breaks("3840x1280"), []);
    assert_eq!(breaks("1024x624"), [RuleBreak::TooFewPixels]);
    assert_eq!(breaks("2880x2896"), [RuleBreak::TooManyPixels]);
}

#[test]
fn a_size_breaks_several_clauses_at_once_and_all_are_reported() {
    assert_eq!(
        breaks("4000x1000"),
        [
            RuleBreak::NotMultipleOf16,
            RuleBreak::EdgeTooLong,
            RuleBreak::AspectTooExtreme
        ]
    );
    assert_eq!(
        breaks("0x1024"),
        [RuleBreak::AspectTooExtreme, RuleBreak::TooFewPixels]
    );
    assert_eq!(breaks("0x0"), [RuleBreak::TooFewPixels]);
    assert_eq!(
        breaks("4294967295x4294967295"),
        [
            RuleBreak::NotMultipleOf16,
            RuleBreak::EdgeTooLong,
            RuleBreak::TooManyPixels
        ]
    );
}

#[test]
fn a_zero_multiple_does_not_divide_by_zero_and_imposes_nothing() {
    let rule = SizeRule {
        multiple: 0,
        ..SizeRule::GPT_IMAGE_2
    };
    assert!(rule.allows(Size::new(1001, 1001)));
    assert!(
        !rule
            .check(Size::new(1001, 1001))
            .contains(RuleBreak::NotMultipleOf16)
    );
}

proptest! {
    #[test]
    fn rule_agrees_with_documented_predicate_on_any_u32_pair(w in any::<u32>(), h in any::<u32>()) {
        assert_agrees(w, h);
    }

    #[test]
    fn rule_agrees_with_documented_predicate_near_the_valid_region(w in 0u32..5000, h in 0u32..5000) {
        assert_agrees(w, h);
    }

    #[test]
    fn rule_is_symmetric_under_transposition(w in any::<u32>(), h in any::<u32>()) {
        let size = Size::new(w, h);
        prop_assert_eq!(
            SizeRule::GPT_IMAGE_2.check(size),
            SizeRule::GPT_IMAGE_2.check(size.transposed())
        );
    }
}
