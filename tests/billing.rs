//! Billing: published figures, ranges and their reasons, user tables,
//! reconciliation, and properties of the estimate.

use gpt_image_plan::price::{
    Amount, Bounds, Estimate, NoteKind, PriceError, PriceTable, Pricing, Reconciled, Returned,
    Usage, estimate, estimate_builtin, gpt_image_2_output_tokens, reconcile,
};
use gpt_image_plan::{
    ImageRequest, Profile, Quality, Size, SizeRule, SizeSpec, Tier, builtin_profile, catalog,
};
use proptest::prelude::*;

#[track_caller]
fn profile(id: &str) -> &'static Profile {
    builtin_profile(id).unwrap()
}

#[track_caller]
fn amount(text: &str) -> Amount {
    text.parse().unwrap()
}

/// A request with no prompt text, so token totals are exact.
fn request(model: &str, size: Option<&str>, quality: Option<Quality>) -> ImageRequest {
    let mut req = ImageRequest::new(model, "");
    req.size = size.map(|s| s.parse().unwrap());
    if let Some(quality) = quality {
        req.set("quality", quality);
    }
    req
}

#[track_caller]
fn openai(req: &ImageRequest) -> Estimate {
    estimate_builtin(req, profile("openai")).unwrap()
}

#[track_caller]
fn pixapi(req: &ImageRequest) -> Estimate {
    PriceTable::builtin()
        .estimate_as("pixapi", "gpt-image-2", req, profile("openai"))
        .unwrap()
}

#[track_caller]
fn assert_total(est: &Estimate, min: &str, max: &str) {
    assert_eq!(
        (est.total.min.to_string(), est.total.max.to_string()),
        (min.to_owned(), max.to_owned()),
        "notes: {:?}",
        est.notes
    );
}

#[track_caller]
fn note_messages(notes: &[gpt_image_plan::price::Note], kind: NoteKind) -> Vec<String> {
    notes
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| n.message.to_string())
        .collect()
}

// ---------------------------------------------------------------- built-in table

#[test]
fn builtin_table_dates_and_sources_every_entry() {
    let table = PriceTable::builtin();
    assert!(!table.entries.is_empty());
    for entry in &table.entries {
        assert!(
            !entry.source.is_empty(),
            "{} {}",
            entry.provider,
            entry.model
        );
        // Each entry was checked on a day no later than the table's.
        assert!(
            entry.as_of <= table.as_of,
            "{} {}",
            entry.provider,
            entry.model
        );
        assert!(entry.as_of >= "2026-11-21".parse().unwrap());
    }
    for (name, t) in &table.token_tables {
        assert!(!t.source.is_empty(), "{name}");
    }
}

#[test]
fn builtin_table_prices_every_catalog_model_at_openai() {
    for spec in &catalog().models {
        let name = spec.id.to_string();
        assert!(
            PriceTable::builtin().get("openai", &name).is_some(),
            "no openai price for {name}"
        );
    }
}

#[test]
fn builtin_token_prices_match_the_published_table() {
    let expected = [
        ("gpt-image-2", "5", "8", "30"),
        ("gpt-image-2-2026-04-21", "5", "8", "30"),
        ("gpt-image-1.5", "5", "8", "32"),
        ("gpt-image-1", "5", "10", "40"),
        ("gpt-image-1-mini", "2", "2.5", "8"),
    ];
    for (model, text, image_in, image_out) in expected {
        let entry = PriceTable::builtin().get("openai", model).unwrap();
        let Pricing::Token(t) = &entry.pricing else {
            panic!("{model} is not token priced")
        };
        assert_eq!(t.text_input_per_million.to_string(), text, "{model}");
        assert_eq!(t.image_input_per_million.to_string(), image_in, "{model}");
        assert_eq!(t.image_output_per_million.to_string(), image_out, "{model}");
        assert_eq!(t.partial_image_tokens, 100, "{model}");
    }
}

// ---------------------------------------------------------------- published figures

#[test]
fn gpt_image_2_square_tokens_and_costs_match_published_figures() {
    let cases = [
        (Quality::Low, 196, "0.00588"),
        (Quality::Medium, 1756, "0.05268"),
        (Quality::High, 7024, "0.21072"),
    ];
    for (quality, tokens, usd) in cases {
        let est = openai(&request("gpt-image-2", Some("1024x1024"), Some(quality)));
        let line = &est.images[0];
        assert_eq!(line.output_image_tokens, Some(Bounds::exact(tokens)));
        assert_eq!(line.each, Bounds::exact(amount(usd)));
        assert_total(&est, usd, usd);
        assert_eq!(est.currency.as_str(), "USD");
    }
}

#[test]
fn gpt_image_2_estimate_says_its_tokens_are_a_formula_estimate() {
    let est = openai(&request(
        "gpt-image-2",
        Some("1024x1024"),
        Some(Quality::Low),
    ));
    assert_eq!(
        note_messages(&est.notes, NoteKind::OutputTokensEstimated),
        [
            "output tokens come from the community gpt-image-2 formula with this model's quality factors (data), which matches every published value; OpenAI publishes only a calculator, so they are an estimate"
        ]
    );
}

#[test]
fn gpt_image_2_formula_reproduces_other_measured_values() {
    let t = |w, h| gpt_image_2_output_tokens(Size::new(w, h), Quality::Low);
    assert_eq!(t(768, 1024), Some(134));
    assert_eq!(t(2048, 2048), Some(397));
    assert_eq!(t(3840, 2160), Some(371));
}

#[test]
fn gpt_image_1_portrait_high_is_6240_tokens_at_40_per_million() {
    let est = openai(&request(
        "gpt-image-1",
        Some("1024x1536"),
        Some(Quality::High),
    ));
    assert_eq!(est.images[0].output_image_tokens, Some(Bounds::exact(6240)));
    assert_total(&est, "0.2496", "0.2496");
    assert!(note_messages(&est.notes, NoteKind::OutputTokensEstimated).is_empty());
}

#[test]
fn gpt_image_1_family_shares_the_token_table_at_its_own_price() {
    let mini = openai(&request(
        "gpt-image-1-mini",
        Some("1536x1024"),
        Some(Quality::Medium),
    ));
    assert_total(&mini, "0.012544", "0.012544"); // 1568 * 8 / 1M
    let one_five = openai(&request(
        "gpt-image-1.5",
        Some("1024x1024"),
        Some(Quality::Low),
    ));
    assert_total(&one_five, "0.008704", "0.008704"); // 272 * 32 / 1M
}

#[test]
fn gpt_image_1_size_outside_its_table_has_no_price() {
    let err = estimate_builtin(
        &request("gpt-image-1", Some("2048x2048"), Some(Quality::High)),
        profile("openai"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"no published price for "gpt-image-1" at "openai": size "2048x2048" at quality "high" is not in the output token table"#
    );
}

#[test]
fn gpt_image_1_cost_rises_with_quality_at_every_table_size() {
    for size in ["1024x1024", "1024x1536", "1536x1024"] {
        let cost = |q| {
            openai(&request("gpt-image-1", Some(size), Some(q)))
                .total
                .max
        };
        assert!(cost(Quality::Low) < cost(Quality::Medium), "{size}");
        assert!(cost(Quality::Medium) < cost(Quality::High), "{size}");
    }
}

#[test]
fn dall_e_3_hd_landscape_costs_12_cents() {
    let est = openai(&request("dall-e-3", Some("1792x1024"), Some(Quality::Hd)));
    assert_total(&est, "0.12", "0.12");
    assert!(est.notes.is_empty(), "{:?}", est.notes);
    assert!(est.prompt_tokens.is_none());
}

#[test]
fn dall_e_defaults_are_priced_from_the_profile() {
    // dall-e-3 defaults: 1024x1024 standard.
    assert_total(
        &openai(&ImageRequest::new("dall-e-3", "a cat")),
        "0.04",
        "0.04",
    );
    let mut req = request("dall-e-2", Some("256x256"), None);
    req.n = Some(10);
    assert_total(&openai(&req), "0.16", "0.16");
}

#[test]
fn dall_e_3_unknown_combination_is_reported_not_guessed() {
    let err = estimate_builtin(
        &request("dall-e-3", Some("512x512"), Some(Quality::Hd)),
        profile("openai"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"no published price for "dall-e-3" at "openai": size "512x512" at quality "hd" is not in the price list"#
    );
}

// ---------------------------------------------------------------- tier matrices

#[test]
fn pixapi_long_edge_2k_high_is_67_credits() {
    let est = pixapi(&request(
        "gpt-image-2",
        Some("2048x1152"),
        Some(Quality::High),
    ));
    assert_total(&est, "67", "67");
    assert_eq!(est.currency.as_str(), "pixapi-credits");
    assert_eq!(est.images[0].tier, Some(Bounds::exact(Tier::K2)));
}

#[test]
fn pixapi_tiers_follow_the_long_edge_thresholds() {
    let cost = |size: &str| {
        pixapi(&request("gpt-image-2", Some(size), Some(Quality::Low)))
            .total
            .max
    };
    assert_eq!(cost("1536x1024"), amount("1")); // long edge 1536: 1K
    assert_eq!(cost("1552x1024"), amount("2")); // 1552: 2K
    assert_eq!(cost("2048x2048"), amount("2")); // 2048: 2K
    assert_eq!(cost("3840x2160"), amount("4")); // 4K
}

#[test]
fn pixapi_bills_quality_auto_as_high_and_size_auto_as_1k() {
    let est = pixapi(&request("gpt-image-2", Some("auto"), Some(Quality::Auto)));
    assert_total(&est, "14", "14");
    assert_eq!(
        note_messages(&est.notes, NoteKind::SizeBilledAs),
        ["size auto is billed as 1K"]
    );
    assert_eq!(
        note_messages(&est.notes, NoteKind::QualityBilledAs),
        [r#"quality auto is billed as "high""#]
    );
}

#[test]
fn pixapi_refuses_sizes_beyond_its_largest_tier() {
    let err = PriceTable::builtin()
        .estimate_as(
            "pixapi",
            "gpt-image-2",
            &request("gpt-image-2", Some("4096x1024"), Some(Quality::Low)),
            profile("openai"),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"no published price for "gpt-image-2" at "pixapi": size "4096x1024" is in no tier"#
    );
}

#[test]
fn evolink_pixel_tiers_put_a_4_5_megapixel_size_in_4k() {
    let entry = PriceTable::builtin().get("evolink", "gpt-image-2").unwrap();
    let Pricing::TierMatrix(t) = &entry.pricing else {
        panic!("evolink is a tier matrix")
    };
    let tier = |w, h| t.tier_rule.tier_of(Size::new(w, h), &[]);
    assert_eq!(tier(2560, 1760), Some(Tier::K4)); // 4,505,600 px
    assert_eq!(tier(2048, 2048), Some(Tier::K2)); // 4,194,304 px
    assert_eq!(tier(1536, 1024), Some(Tier::K1)); // 1,572,864 px
    assert_eq!(tier(1600, 1072), Some(Tier::K2)); // 1,715,200 px
}

#[test]
fn evolink_has_no_published_prices() {
    let err = PriceTable::builtin()
        .estimate_as(
            "evolink",
            "gpt-image-2",
            &request("gpt-image-2", Some("2560x1760"), Some(Quality::High)),
            profile("openai"),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"no published price for "gpt-image-2" at "evolink": tier 4K at quality "high" has no price"#
    );
}

// ---------------------------------------------------------------- ranges

#[test]
fn gpt_image_2_size_auto_ranges_over_the_auto_outcomes() {
    let est = openai(&request("gpt-image-2", Some("auto"), Some(Quality::High)));
    // 1536x1024 high is 5488 tokens, the observed 1254x1254 is 8232.
    assert_eq!(
        est.images[0].output_image_tokens,
        Some(Bounds::new(5488, 8232))
    );
    assert_total(&est, "0.16464", "0.24696");
    assert_eq!(
        note_messages(&est.notes, NoteKind::SizeAuto),
        [
            r#"size auto: the model picks; the range covers "1024x1024", "1536x1024", "1024x1536", "1254x1254""#
        ]
    );
}

#[test]
fn gpt_image_2_defaults_are_auto_and_auto_and_the_range_says_why() {
    let est = openai(&request("gpt-image-2", None, None));
    assert_eq!(
        est.images[0].output_image_tokens,
        Some(Bounds::new(158, 8232))
    );
    assert_total(&est, "0.00474", "0.24696");
    assert_eq!(
        note_messages(&est.notes, NoteKind::QualityAuto),
        ["quality auto: the model picks, so the range runs from low to high"]
    );
    assert_eq!(note_messages(&est.notes, NoteKind::SizeAuto).len(), 1);
}

#[test]
fn gpt_image_1_size_auto_ranges_over_its_table_sizes() {
    let est = openai(&request("gpt-image-1", Some("auto"), Some(Quality::Auto)));
    assert_eq!(
        est.images[0].output_image_tokens,
        Some(Bounds::new(272, 6240))
    );
    assert_eq!(
        note_messages(&est.notes, NoteKind::SizeAuto),
        [r#"size auto: the model picks; the range covers "1024x1024", "1024x1536", "1536x1024""#]
    );
}

#[test]
fn quality_auto_at_a_fixed_size_runs_from_low_to_high() {
    let est = openai(&request(
        "gpt-image-2",
        Some("1024x1024"),
        Some(Quality::Auto),
    ));
    assert_total(&est, "0.00588", "0.21072");
}

#[test]
fn prompt_tokens_are_a_bounded_estimate_priced_at_text_input() {
    let mut req = request("gpt-image-2", Some("1024x1024"), Some(Quality::Low));
    req.prompt = Some("a lighthouse at dusk".into()); // 20 bytes
    let est = openai(&req);
    let t = est.prompt_tokens.unwrap();
    assert_eq!((t.min, t.typical, t.max), (1, 5, 20));
    assert_eq!(
        est.prompt_cost,
        Some(Bounds::new(amount("0.000005"), amount("0.0001")))
    );
    assert_total(&est, "0.005885", "0.00598");
    assert_eq!(
        note_messages(&est.notes, NoteKind::PromptTokensEstimated),
        [
            "prompt tokens are estimated from its length (no tokenizer is built in): typically 1 per 4 characters, at least 1 per 128 bytes, at most 1 per byte"
        ]
    );
}

#[test]
fn n_multiplies_the_images_but_not_the_prompt() {
    let mut req = request("gpt-image-2", Some("1024x1024"), Some(Quality::Medium));
    req.n = Some(4);
    let est = openai(&req);
    assert_eq!(est.images[0].count, Bounds::exact(4));
    assert_total(&est, "0.21072", "0.21072");
    assert_eq!(est.calls, 1);
}

#[test]
fn streamed_partial_images_add_100_tokens_each() {
    let mut req = request("gpt-image-2", Some("1024x1024"), Some(Quality::Low));
    req.set("stream", true);
    req.set("partial_images", 2u32);
    let est = openai(&req);
    assert_eq!(est.images[0].output_image_tokens, Some(Bounds::exact(396)));
    assert_total(&est, "0.01188", "0.01188");
    assert_eq!(
        note_messages(&est.notes, NoteKind::PartialImages),
        ["2 streamed partial image(s) add 200 output tokens per image"]
    );
}

#[test]
fn partial_images_without_stream_cost_nothing() {
    let mut req = request("gpt-image-2", Some("1024x1024"), Some(Quality::Low));
    req.set("partial_images", 3u32);
    assert_total(&openai(&req), "0.00588", "0.00588");
}

const MY_GATEWAYS: &str = r#"{
  "as_of": "2026-11-22", "source": "example numbers for tests, not published prices",
  "entries": [
    {"provider": "enum-sizes", "model": "gpt-image-2", "as_of": "2026-11-22", "source": "test",
     "currency": "USD", "pricing": {"kind": "per_image", "prices": [
       {"size": "1024x1024", "quality": "high", "price": "0.1"},
       {"size": "1024x1024", "quality": "low", "price": "0.01"}]}},
    {"provider": "infinityblue", "model": "gpt-image-2", "as_of": "2026-11-22", "source": "test",
     "currency": "USD", "pricing": {"kind": "token", "text_input_per_million": "5",
       "image_input_per_million": "8", "image_output_per_million": "30",
       "output_tokens": "gpt_image_2_formula"}},
    {"provider": "uniall", "model": "gpt-image-2-origin", "as_of": "2026-11-22", "source": "test",
     "currency": "uniall-credits", "pricing": {"kind": "tier_matrix",
       "tier_rule": {"by": "size_table"},
       "prices": {"1K": {"low": "1", "medium": "3", "high": "9"},
                  "2K": {"low": "2", "medium": "6", "high": "18"},
                  "4K": {"low": "4", "medium": "12", "high": "36"}}}},
    {"provider": "uniall", "model": "gpt-image-2-auto", "as_of": "2026-11-22", "source": "test",
     "currency": "uniall-credits", "pricing": {"kind": "by_returned_size",
       "reservation": "estimate_max",
       "tiers": {"tier_rule": {"by": "size_table", "from_model": "gpt-image-2-origin"},
                 "prices": {"1K": {"low": "1", "medium": "3", "high": "9"},
                            "2K": {"low": "2", "medium": "6", "high": "18"},
                            "4K": {"low": "4", "medium": "12", "high": "36"}}}}}
  ]
}"#;

fn my_table() -> PriceTable {
    PriceTable::builtin_with(MY_GATEWAYS).unwrap()
}

#[test]
fn may_return_fewer_widens_the_minimum_to_one_image() {
    let mut req = request("gpt-image-2", Some("1024x1024"), Some(Quality::High));
    req.n = Some(3);
    let est = estimate(&req, profile("enum-sizes"), &my_table()).unwrap();
    assert_eq!(est.images[0].count, Bounds::new(1, 3));
    assert_total(&est, "0.1", "0.3");
    assert_eq!(
        note_messages(&est.notes, NoteKind::MayReturnFewer),
        [
            "\"enum-sizes\" may return fewer images than asked: the minimum counts 1 image, the maximum 3"
        ]
    );
}

#[test]
fn split_n_bills_the_prompt_on_every_call() {
    let mut req = request("gpt-image-2", Some("1024x1024"), Some(Quality::High));
    req.prompt = Some("x".repeat(100));
    req.n = Some(3);
    let est = estimate(&req, profile("infinityblue"), &my_table()).unwrap();
    assert_eq!(est.calls, 3);
    // 100 bytes: 1..100 tokens per call, 3 calls, USD 5 per million.
    assert_eq!(
        est.prompt_cost,
        Some(Bounds::new(amount("0.000015"), amount("0.0015")))
    );
    assert_eq!(
        note_messages(&est.notes, NoteKind::SplitCalls),
        ["n 3 is sent as 3 calls of at most 1 image(s); each call bills the prompt"]
    );
    // Quality has no effect at infinityblue: priced as auto.
    assert_eq!(
        note_messages(&est.notes, NoteKind::QualityNoEffect),
        [r#"quality has no effect at "infinityblue", so it is priced as "auto""#]
    );
    assert_eq!(
        est.images[0].output_image_tokens,
        Some(Bounds::new(196, 7024))
    );
}

#[test]
fn providers_without_published_prices_say_so() {
    for id in ["wavespeed", "infinityblue", "enum-sizes", "all-required"] {
        let err = estimate_builtin(
            &request("gpt-image-2", Some("1024x1024"), None),
            profile(id),
        )
        .unwrap_err();
        assert_eq!(
            err,
            PriceError::NoPriceEntry {
                provider: id.into(),
                model: "gpt-image-2".into()
            }
        );
    }
}

#[test]
fn uniall_origin_knows_its_tiers_but_not_its_prices() {
    let req = request("gpt-image-2-origin", Some("1920x1080"), Some(Quality::High));
    let err = estimate_builtin(&req, profile("uniall")).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"no published price for "gpt-image-2-origin" at "uniall": tier 2K at quality "high" has no price"#
    );
}

#[test]
fn uniall_auto_bills_by_returned_size_but_publishes_no_prices() {
    let req = request("gpt-image-2-auto", None, Some(Quality::Low));
    let err = estimate_builtin(&req, profile("uniall")).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"no published price for "gpt-image-2-auto" at "uniall": it bills by the size returned and publishes no prices"#
    );
}

#[test]
fn uniall_origin_with_user_prices_takes_the_tier_from_its_size_table() {
    let table = my_table();
    let cost = |size: &str| {
        let est = estimate(
            &request("gpt-image-2-origin", Some(size), Some(Quality::Medium)),
            profile("uniall"),
            &table,
        )
        .unwrap();
        (est.images[0].tier.unwrap().max, est.total.max.to_string())
    };
    assert_eq!(cost("1536x1024"), (Tier::K1, "3".into()));
    assert_eq!(cost("1920x1080"), (Tier::K2, "6".into()));
    // UniAll's table puts 2048x2048 in 4K.
    assert_eq!(cost("2048x2048"), (Tier::K4, "12".into()));
}

#[test]
fn uniall_origin_without_quality_ranges_over_the_priced_qualities() {
    let est = estimate(
        &request("gpt-image-2-origin", Some("1024x1024"), None),
        profile("uniall"),
        &my_table(),
    )
    .unwrap();
    assert_total(&est, "1", "9");
    assert_eq!(
        note_messages(&est.notes, NoteKind::QualityUnknown),
        ["no quality given and no default known: the range covers every priced quality"]
    );
}

#[test]
fn uniall_auto_reserves_the_maximum_and_reconciles_the_returned_sizes() {
    let mut req = request("gpt-image-2-auto", None, Some(Quality::Medium));
    req.n = Some(2);
    let table = my_table();
    let est = estimate(&req, profile("uniall"), &table).unwrap();
    assert_total(&est, "6", "24");
    assert_eq!(est.reservation, amount("24"));
    assert_eq!(
        note_messages(&est.notes, NoteKind::Reservation),
        [
            "billed by the size returned: \"uniall\" reserves 24 uniall-credits first and settles when the result is known"
        ]
    );
    let returned = Returned {
        images: 2,
        sizes: vec![Size::new(1024, 1024), Size::new(2048, 2048)],
        ..Returned::default()
    };
    let rec = reconcile(&req, profile("uniall"), &table, &returned).unwrap();
    assert_eq!(rec.cost, Bounds::exact(amount("15"))); // 1K medium 3 + 4K medium 12
    assert_eq!(rec.reserved, amount("24"));
    assert_eq!(rec.difference, Bounds::exact(amount("9")));
    assert_eq!(rec.images.len(), 2);
}

#[test]
fn returned_size_outside_every_tier_is_reported() {
    let req = request("gpt-image-2-auto", None, Some(Quality::Low));
    let returned = Returned {
        images: 1,
        sizes: vec![Size::new(1254, 1254)],
        ..Returned::default()
    };
    let err = reconcile(&req, profile("uniall"), &my_table(), &returned).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"no published price for "gpt-image-2-auto" at "uniall": size "1254x1254" is in no tier"#
    );
}

// ---------------------------------------------------------------- reconcile

#[test]
fn reconcile_from_a_usage_block_is_exact() {
    let req = request("gpt-image-2", Some("1024x1024"), Some(Quality::Auto));
    let returned = Returned::from_response_json(
        r#"{"created": 1780000000, "size": "1024x1024", "quality": "high", "data": [{"b64_json": "..."}],
            "usage": {"input_tokens": 50, "output_tokens": 7024, "total_tokens": 7074,
                      "input_tokens_details": {"text_tokens": 40, "image_tokens": 10}}}"#,
    )
    .unwrap();
    let rec = reconcile(&req, profile("openai"), PriceTable::builtin(), &returned).unwrap();
    // 40 * 5 + 10 * 8 + 7024 * 30, per million.
    assert_eq!(rec.cost, Bounds::exact(amount("0.21100")));
    let usage = rec.usage.unwrap();
    assert_eq!(usage.text_input, amount("0.0002"));
    assert_eq!(usage.image_input, amount("0.00008"));
    assert_eq!(usage.output, amount("0.21072"));
    assert_eq!(rec.reserved, amount("0.21072"));
    assert_eq!(rec.difference, Bounds::exact(amount("-0.00028")));
    assert!(rec.images.is_empty());
    assert_eq!(
        note_messages(&rec.notes, NoteKind::Usage),
        ["the cost comes from the response's usage block"]
    );
}

#[test]
fn reconcile_without_details_prices_all_input_as_text() {
    let req = request("gpt-image-1", Some("1024x1024"), Some(Quality::Low));
    let returned = Returned {
        images: 1,
        usage: Some(Usage {
            input_tokens: 10,
            output_tokens: 272,
            ..Usage::default()
        }),
        ..Returned::default()
    };
    let rec = reconcile(&req, profile("openai"), PriceTable::builtin(), &returned).unwrap();
    assert_eq!(rec.cost, Bounds::exact(amount("0.01093"))); // 10 * 5 + 272 * 40, per million
    assert!(
        note_messages(&rec.notes, NoteKind::Usage).contains(
            &"the usage block has no input_tokens_details, so every input token is priced as text"
                .to_owned()
        )
    );
}

#[test]
fn reconcile_without_usage_prices_the_returned_size_and_quality() {
    let req = request("gpt-image-2", Some("auto"), Some(Quality::Auto));
    let returned = Returned {
        images: 1,
        sizes: vec![Size::new(1536, 1024)],
        quality: Some(Quality::Medium),
        usage: None,
    };
    let rec = reconcile(&req, profile("openai"), PriceTable::builtin(), &returned).unwrap();
    assert_eq!(rec.images[0].output_image_tokens, Some(Bounds::exact(1372)));
    assert_eq!(rec.cost, Bounds::exact(amount("0.04116")));
    assert_eq!(rec.reserved, amount("0.24696"));
    assert_eq!(rec.difference, Bounds::exact(amount("0.2058")));
    assert_eq!(
        note_messages(&rec.notes, NoteKind::NoUsage),
        ["no usage block came back, so token counts stay estimates"]
    );
}

#[test]
fn reconcile_of_fewer_images_bills_only_those_returned() {
    let mut req = request("gpt-image-2", Some("1024x1024"), Some(Quality::High));
    req.n = Some(3);
    let est = estimate(&req, profile("enum-sizes"), &my_table()).unwrap();
    let returned = Returned {
        images: 2,
        ..Returned::default()
    };
    let rec = reconcile(&req, profile("enum-sizes"), &my_table(), &returned).unwrap();
    assert_eq!(rec.cost, Bounds::exact(amount("0.2")));
    assert_eq!(rec.reserved, est.total.max);
    assert_eq!(rec.difference, Bounds::exact(amount("0.1")));
}

#[test]
fn pixapi_reconcile_keeps_billing_auto_as_its_fixed_tier() {
    let req = request("gpt-image-2", Some("auto"), Some(Quality::Auto));
    let returned = Returned {
        images: 1,
        sizes: vec![Size::new(2048, 2048)],
        quality: Some(Quality::Low),
        usage: None,
    };
    let rec = PriceTable::builtin()
        .reconcile_as("pixapi", "gpt-image-2", &req, profile("openai"), &returned)
        .unwrap();
    assert_eq!(rec.cost, Bounds::exact(amount("14")));
}

#[test]
fn mismatched_returned_sizes_are_an_error() {
    let req = request("dall-e-2", Some("256x256"), None);
    let returned = Returned {
        images: 3,
        sizes: vec![Size::new(256, 256), Size::new(256, 256)],
        ..Returned::default()
    };
    let err = reconcile(&req, profile("openai"), PriceTable::builtin(), &returned).unwrap_err();
    assert_eq!(
        err.to_string(),
        "returned 2 sizes for 3 images; give no size, one for every image, or one per image"
    );
}

#[test]
fn an_empty_usage_block_is_treated_as_absent() {
    // Seed 004's example response carries "usage": {}.
    let returned = Returned::from_response_json(
        r#"{"created": 1, "data": [{"url": "https://x"}], "usage": {}}"#,
    )
    .unwrap();
    assert_eq!(returned.images, 1);
    assert_eq!(returned.usage, None);
}

#[test]
fn wavespeed_task_outputs_count_as_images() {
    let returned = Returned::from_response_json(
        r#"{"code": 200, "message": "success", "data": {"id": "t", "status": "completed", "outputs": ["a", "b"]}}"#,
    )
    .unwrap();
    assert_eq!(returned.images, 2);
}

#[test]
fn a_response_without_images_is_an_error() {
    let err = Returned::from_response_json(r#"{"error": {"message": "no"}}"#).unwrap_err();
    assert_eq!(err.to_string(), r#"response is not valid: no "data" field"#);
}

#[test]
fn a_usage_block_of_the_wrong_shape_is_an_error_naming_the_field() {
    let err = Returned::from_response_json(
        r#"{"data": [{"url": "https://x"}], "usage": {"input_tokens": "50", "output_tokens": 7024}}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"response is not valid: usage.input_tokens: invalid type: string "50", expected u64"#
    );
    let err = Returned::from_response_json(
        r#"{"data": [], "usage": {"output_tokens": 1, "output_tokens_details": {"image_tokens": -1}}}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "response is not valid: usage.output_tokens_details.image_tokens: invalid value: integer `-1`, expected u64"
    );
    let err = Returned::from_response_json(r#"{"data": [1, 2"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "response is not valid: EOF while parsing a list at line 1 column 14"
    );
}

#[test]
fn a_usage_count_given_twice_is_read_as_its_last_value() {
    let returned = Returned::from_response_json(
        r#"{"data": [], "usage": {"output_tokens": 1, "output_tokens": 2}}"#,
    )
    .unwrap();
    assert_eq!(returned.usage.unwrap().output_tokens, 2);
}

#[test]
fn unknown_usage_fields_are_ignored() {
    let returned = Returned::from_response_json(
        r#"{"data": [{}], "usage": {"input_tokens": 3, "output_tokens": 9, "total_tokens": 12,
            "input_tokens_details": {"text_tokens": 3, "cached_tokens": 0}, "vendor": {"a": [1]}}}"#,
    )
    .unwrap();
    let usage = returned.usage.unwrap();
    assert_eq!((usage.input_tokens, usage.output_tokens), (3, 9));
    assert_eq!(usage.input_tokens_details.unwrap().text_tokens, 3);
    assert_eq!(usage.output_tokens_details, None);
}

// ---------------------------------------------------------------- user tables

#[test]
fn a_user_table_overrides_a_builtin_entry() {
    let table = PriceTable::builtin_with(
        r#"{"as_of": "2026-12-01", "source": "negotiated", "entries": [
          {"provider": "openai", "model": "gpt-image-2", "as_of": "2026-12-01", "source": "contract 42",
           "currency": "USD", "pricing": {"kind": "token", "text_input_per_million": "4",
           "image_input_per_million": "6", "image_output_per_million": "15",
           "output_tokens": "gpt_image_2_formula"}}]}"#,
    )
    .unwrap();
    let est = estimate(
        &request("gpt-image-2", Some("1024x1024"), Some(Quality::High)),
        profile("openai"),
        &table,
    )
    .unwrap();
    assert_total(&est, "0.10536", "0.10536");
    assert_eq!(est.as_of.to_string(), "2026-12-01");
    // Other built-in entries are kept.
    assert!(table.get("openai", "dall-e-3").is_some());
}

#[test]
fn a_standalone_user_table_must_define_its_token_tables() {
    let table = PriceTable::from_json(
        r#"{"as_of": "2026-12-01", "source": "s", "entries": [
          {"provider": "openai", "model": "gpt-image-1", "as_of": "2026-12-01", "source": "s",
           "currency": "USD", "pricing": {"kind": "token", "text_input_per_million": "5",
           "image_input_per_million": "10", "image_output_per_million": "40",
           "output_tokens": "gpt_image_1_table"}}]}"#,
    )
    .unwrap();
    let err = estimate(
        &request("gpt-image-1", Some("1024x1024"), Some(Quality::Low)),
        profile("openai"),
        &table,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"no published price for "gpt-image-1" at "openai": output token table "gpt_image_1_table" is not in the price table"#
    );
}

#[track_caller]
fn table_error(entries: &str) -> String {
    let text = format!(r#"{{"as_of": "2026-12-01", "source": "s", "entries": [{entries}]}}"#);
    PriceTable::from_json(&text).unwrap_err().to_string()
}

const HEAD: &str =
    r#""provider": "p", "model": "m", "as_of": "2026-12-01", "source": "s", "currency": "USD""#;

#[test]
fn invalid_user_tables_are_refused_with_the_reason() {
    assert_eq!(
        table_error(&format!(
            r#"{{{HEAD}, "pricing": {{"kind": "per_image", "prices": [{{"size": "1024x1024", "quality": "low", "price": "-1"}}]}}}}"#
        )),
        r#"price table is not valid: entry "m" at "p": price "-1" is negative"#
    );
    assert_eq!(
        table_error(&format!(
            r#"{{{HEAD}, "pricing": {{"kind": "token", "text_input_per_million": "0.0000000001", "image_input_per_million": "1", "image_output_per_million": "1", "output_tokens": "gpt_image_2_formula"}}}}"#
        )),
        r#"price table is not valid: entry "m" at "p": text_input_per_million "0.0000000001" has more than 9 decimals, so token costs would not be exact"#
    );
    let one = format!(r#"{{{HEAD}, "pricing": {{"kind": "per_image", "prices": []}}}}"#);
    assert_eq!(
        table_error(&format!("{one}, {one}")),
        r#"price table is not valid: entry "m" at "p" is listed twice"#
    );
    assert_eq!(
        table_error(&format!(
            r#"{{{HEAD}, "pricing": {{"kind": "tier_matrix", "tier_rule": {{"by": "pixels", "thresholds": [{{"tier": "1K", "max": 10}}, {{"tier": "2K", "max": 5}}]}}}}}}"#
        )),
        "price table is not valid: entry \"m\" at \"p\": tier_rule: tier 2K max 5 is not above the tier before it"
    );
    assert_eq!(
        table_error(&format!(
            r#"{{{HEAD}, "pricing": {{"kind": "tier_matrix", "tier_rule": {{"by": "long_edge", "thresholds": [{{"tier": "1K"}}, {{"tier": "2K", "max": 5}}]}}}}}}"#
        )),
        "price table is not valid: entry \"m\" at \"p\": tier_rule: tier 1K has no max but is not the last"
    );
}

#[test]
fn float_prices_are_refused_because_they_are_not_exact() {
    let err = table_error(&format!(
        r#"{{{HEAD}, "pricing": {{"kind": "per_image", "prices": [{{"size": "1024x1024", "quality": "low", "price": 0.04}}]}}}}"#
    ));
    assert_eq!(
        err,
        r#"price table is not valid: entries[0].pricing.prices[0].price: amount 0.04 is a JSON float; write amounts as decimal strings such as "0.04" so they stay exact"#
    );
}

#[test]
fn integer_prices_are_read_exactly() {
    let text = format!(
        r#"{{"as_of": "2026-12-01", "source": "s", "entries": [{{{HEAD}, "pricing": {{"kind": "per_image", "prices": [{{"size": "1024x1024", "quality": "low", "price": 3}}]}}}}]}}"#
    );
    let table = PriceTable::from_json(&text).unwrap();
    let Pricing::PerImage(p) = &table.get("p", "m").unwrap().pricing else {
        panic!("not per image: {table:?}");
    };
    assert_eq!(p.prices[0].price, amount("3"));
}

#[test]
fn unknown_fields_in_a_table_are_refused() {
    let err = table_error(&format!(
        r#"{{{HEAD}, "pricing": {{"kind": "per_image", "prices": [], "discount": "0.1"}}}}"#
    ));
    assert_eq!(
        err,
        "price table is not valid: entries[0].pricing: unknown field `discount`, expected `prices`"
    );
}

#[test]
fn table_errors_name_the_path_and_what_was_found() {
    assert_eq!(
        table_error(&format!(
            r#"{{{HEAD}, "pricing": {{"kind": "flat", "prices": []}}}}"#
        )),
        "price table is not valid: entries[0].pricing.kind: unknown variant `flat`, expected one of `token`, `per_image`, `tier_matrix`, `by_returned_size`"
    );
    assert_eq!(
        table_error(
            r#"{"provider": "p", "model": "m", "as_of": "2026-12-01", "source": "s", "currency": "USD"}"#
        ),
        "price table is not valid: entries[0]: missing field `pricing`"
    );
    assert_eq!(
        table_error(&format!(
            r#"{{{HEAD}, "pricing": {{"kind": "token", "text_input_per_million": true, "image_input_per_million": "1", "image_output_per_million": "1", "output_tokens": "gpt_image_2_formula"}}}}"#
        )),
        r#"price table is not valid: entries[0].pricing.text_input_per_million: invalid type: boolean `true`, expected an amount as a decimal string such as "0.04", or a JSON integer"#
    );
    assert_eq!(
        table_error(&format!(
            r#"{{{HEAD}, "pricing": {{"kind": "tier_matrix", "tier_rule": {{"by": "size_table"}}, "prices": {{"8K": {{"low": "1"}}}}}}}}"#
        )),
        r#"price table is not valid: entries[0].pricing.prices.8K: tier "8K" is not one of "1K", "2K", "4K""#
    );
    assert_eq!(
        table_error(&format!(
            r#"{{{HEAD}, "pricing": {{"kind": "tier_matrix", "tier_rule": {{"by": "area"}}}}}}"#
        )),
        "price table is not valid: entries[0].pricing.tier_rule.by: unknown variant `area`, expected one of `long_edge`, `pixels`, `size_table`"
    );
    assert_eq!(
        table_error(&format!(
            r#"{{{HEAD}, "pricing": {{"kind": "by_returned_size", "reservation": "per_image"}}}}"#
        )),
        "price table is not valid: entries[0].pricing.reservation.per_image: invalid type: unit variant, expected newtype variant"
    );
    assert_eq!(
        table_error(&format!(
            r#"{{{HEAD}, "currency": "EUR", "pricing": {{"kind": "per_image", "prices": []}}}}"#
        )),
        r#"price table is not valid: entries[0]: field "currency" is given twice"#
    );
    assert_eq!(
        PriceTable::from_json(r#"{"as_of": "2026-12-01", "#)
            .unwrap_err()
            .to_string(),
        "price table is not valid: EOF while parsing a value at line 1 column 24"
    );
    assert_eq!(
        PriceTable::from_json(r#""x""#).unwrap_err().to_string(),
        "price table is not valid: invalid type: string \"x\", expected a price table (an object)"
    );
    // serde reads a struct from an array too, so an empty one lacks members.
    assert_eq!(
        PriceTable::from_json("[]").unwrap_err().to_string(),
        "price table is not valid: invalid length 0, expected a price table (an object)"
    );
}

#[test]
fn the_builtin_table_round_trips_through_json() {
    let text = serde_json::to_string(PriceTable::builtin()).unwrap();
    assert_eq!(
        &PriceTable::from_json(&text).unwrap(),
        PriceTable::builtin()
    );
}

// ---------------------------------------------------------------- output shape and errors

#[test]
fn an_estimate_serializes_with_amounts_as_strings() {
    let est = openai(&request(
        "dall-e-3",
        Some("1024x1792"),
        Some(Quality::Standard),
    ));
    let json = serde_json::to_value(&est).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "provider": "openai", "model": "dall-e-3", "as_of": "2026-11-21", "currency": "USD",
            "basis": "per_image",
            "total": {"min": "0.08", "max": "0.08"},
            "reservation": "0.08",
            "images": [{
                "count": {"min": 1, "max": 1}, "size": "1024x1792", "quality": "standard",
                "tier": null, "output_image_tokens": null,
                "each": {"min": "0.08", "max": "0.08"}, "cost": {"min": "0.08", "max": "0.08"}
            }],
            "prompt_tokens": null, "prompt_cost": null, "calls": 1, "notes": []
        })
    );
    let back: Estimate = serde_json::from_value(json).unwrap();
    assert_eq!(back, est);
}

#[test]
fn a_reconciliation_serializes_and_reads_back() {
    let req = request("dall-e-2", Some("512x512"), None);
    let returned = Returned {
        images: 1,
        ..Returned::default()
    };
    let rec = reconcile(&req, profile("openai"), PriceTable::builtin(), &returned).unwrap();
    let back: Reconciled = serde_json::from_str(&serde_json::to_string(&rec).unwrap()).unwrap();
    assert_eq!(back, rec);
    assert_eq!(rec.cost, Bounds::exact(amount("0.018")));
}

#[test]
fn n_zero_and_unknown_models_are_errors_not_zero_costs() {
    let mut req = request("gpt-image-2", Some("1024x1024"), None);
    req.n = Some(0);
    assert_eq!(
        estimate_builtin(&req, profile("openai"))
            .unwrap_err()
            .to_string(),
        "n 0: there are no images to price"
    );
    let req = request("gpt-image-9", None, None);
    assert_eq!(
        estimate_builtin(&req, profile("openai"))
            .unwrap_err()
            .to_string(),
        r#"model "gpt-image-9": not served by openai"#
    );
    let req = ImageRequest::default();
    assert_eq!(
        estimate_builtin(&req, profile("openai"))
            .unwrap_err()
            .to_string(),
        "model: missing; \"openai\" needs a model name to price the request"
    );
}

#[test]
fn the_profile_default_model_is_priced_when_none_is_named() {
    let mut req = request("x", Some("1024x1024"), Some(Quality::Low));
    req.model = None;
    let est = estimate(&req, profile("uniall"), &my_table()).unwrap();
    assert_eq!(est.model, "gpt-image-2-origin");
}

#[test]
fn degenerate_sizes_are_reported_not_panicked_on() {
    for size in ["0x0", "0x1024", "4294967295x4294967295"] {
        let req = request("gpt-image-2", Some(size), Some(Quality::High));
        let result = estimate_builtin(&req, profile("openai"));
        if size.starts_with('0') {
            assert_eq!(
                result.unwrap_err().to_string(),
                format!(
                    r#"no published price for "gpt-image-2" at "openai": size "{size}" at quality "high" has no output token count"#
                )
            );
        } else {
            assert!(result.is_ok());
        }
    }
}

#[test]
fn the_largest_n_is_priced_exactly() {
    let mut req = request("dall-e-2", Some("1024x1024"), None);
    req.n = Some(u32::MAX);
    let est = openai(&req);
    assert_eq!(est.total, Bounds::exact(amount("85899345.9")));
}

// ---------------------------------------------------------------- properties

/// The formula written the slow, obvious way: `s` is found by counting up
/// (the largest s with 2*L*s <= 2*q*S + L) and the ceiling by its definition.
fn formula_reference(size: Size, q: u64) -> u64 {
    let (l, s_edge) = (u128::from(size.long_edge()), u128::from(size.short_edge()));
    let q = u128::from(q);
    let mut s = 0u128;
    while 2 * l * (s + 1) <= 2 * q * s_edge + l {
        s += 1;
    }
    let numerator = q * s * (2_000_000 + u128::from(size.pixels()));
    let mut tokens = numerator / 4_000_000;
    if tokens * 4_000_000 < numerator {
        tokens += 1;
    }
    u64::try_from(tokens).unwrap()
}

fn rule_size() -> impl Strategy<Value = Size> {
    (1u32..=240, 1u32..=240)
        .prop_map(|(w, h)| Size::new(w * 16, h * 16))
        .prop_filter("inside the gpt-image-2 rule", |s| {
            SizeRule::GPT_IMAGE_2.allows(*s)
        })
}

fn quality() -> impl Strategy<Value = Quality> {
    prop_oneof![
        Just(Quality::Low),
        Just(Quality::Medium),
        Just(Quality::High)
    ]
}

const ORDER: [Quality; 3] = [Quality::Low, Quality::Medium, Quality::High];

fn any_request() -> impl Strategy<Value = (ImageRequest, usize)> {
    let size = prop_oneof![
        Just(None),
        Just(Some(SizeSpec::Auto)),
        rule_size().prop_map(|s| Some(SizeSpec::Size(s))),
        prop_oneof![
            Just(Size::new(1024, 1024)),
            Just(Size::new(1024, 1536)),
            Just(Size::new(1536, 1024)),
            Just(Size::new(1792, 1024)),
            Just(Size::new(256, 256)),
            Just(Size::new(1920, 1080)),
        ]
        .prop_map(|s| Some(SizeSpec::Size(s))),
    ];
    let quality = prop_oneof![
        Just(None),
        Just(Some(Quality::Auto)),
        Just(Some(Quality::Standard)),
        Just(Some(Quality::Hd)),
        quality().prop_map(Some),
    ];
    let model = prop_oneof![
        Just("gpt-image-2"),
        Just("gpt-image-1"),
        Just("gpt-image-1-mini"),
        Just("dall-e-3"),
        Just("dall-e-2"),
        Just("gpt-image-2-origin"),
        Just("gpt-image-2-auto"),
    ];
    (
        model,
        size,
        quality,
        proptest::option::of(1u32..=10),
        ".{0,200}",
        proptest::option::of(0u32..=3),
        0usize..4,
    )
        .prop_map(|(model, size, quality, n, prompt, partials, which)| {
            let mut req = ImageRequest::new(model, prompt);
            req.size = size;
            if let Some(quality) = quality {
                req.set("quality", quality);
            }
            req.n = n;
            if let Some(partials) = partials {
                req.set("stream", true);
                req.set("partial_images", partials);
            }
            (req, which)
        })
}

fn priced(
    req: &ImageRequest,
    which: usize,
) -> (Result<Estimate, PriceError>, &'static Profile, PriceTable) {
    let table = my_table();
    let (profile, result) = match which {
        0 => (profile("openai"), estimate(req, profile("openai"), &table)),
        1 => (
            profile("openai"),
            table.estimate_as("pixapi", "gpt-image-2", req, profile("openai")),
        ),
        2 => (profile("uniall"), estimate(req, profile("uniall"), &table)),
        _ => (
            profile("enum-sizes"),
            estimate(req, profile("enum-sizes"), &table),
        ),
    };
    (result, profile, table)
}

proptest! {
    #[test]
    fn formula_agrees_with_its_reference(w in 1u32..=8192, h in 1u32..=8192, q in quality()) {
        let size = Size::new(w, h);
        let factor = gpt_image_plan::price::gpt_image_2_quality_factor(q).unwrap();
        prop_assert_eq!(gpt_image_2_output_tokens(size, q), Some(formula_reference(size, factor)));
    }

    #[test]
    fn cost_never_decreases_as_quality_rises(size in rule_size(), n in 1u32..=10) {
        let mut last: Option<(Amount, Amount)> = None;
        for q in ORDER {
            let mut req = request("gpt-image-2", None, Some(q));
            req.size = Some(size.into());
            req.n = Some(n);
            let a = openai(&req).total.max;
            let b = pixapi(&req).total.max;
            if let Some((la, lb)) = last {
                prop_assert!(a >= la && b >= lb, "{q} at {size}");
            }
            last = Some((a, b));
        }
    }

    #[test]
    fn cost_never_decreases_as_n_rises(size in rule_size(), q in quality(), n in 1u32..=9) {
        let mut req = request("gpt-image-2", None, Some(q));
        req.size = Some(size.into());
        req.prompt = Some("a short prompt".into());
        req.n = Some(n);
        let (a, b) = (openai(&req).total, pixapi(&req).total);
        req.n = Some(n + 1);
        let (a2, b2) = (openai(&req).total, pixapi(&req).total);
        prop_assert!(a2.min >= a.min && a2.max >= a.max);
        prop_assert!(b2.min >= b.min && b2.max >= b.max);
    }

    #[test]
    fn min_is_never_above_max((req, which) in any_request()) {
        let (result, _, _) = priced(&req, which);
        if let Ok(est) = result {
            prop_assert!(est.total.min <= est.total.max);
            prop_assert!(est.reservation >= est.total.max);
            for line in &est.images {
                prop_assert!(line.each.min <= line.each.max);
                prop_assert!(line.cost.min <= line.cost.max);
                prop_assert!(line.count.min <= line.count.max);
            }
        }
    }

    #[test]
    fn reconcile_of_a_fully_known_request_equals_its_estimate(
        (req, which) in any_request(),
    ) {
        let (result, profile, table) = priced(&req, which);
        let Ok(est) = result else { return Ok(()) };
        let line = &est.images[0];
        // Fully known: one size, one quality, a fixed count.
        prop_assume!(line.each.is_exact() && line.count.is_exact());
        let size = match line.size {
            Some(SizeSpec::Size(s)) => vec![s],
            _ => vec![],
        };
        let returned = Returned { images: line.count.max, sizes: size, quality: line.quality, usage: None };
        let rec = match which {
            1 => table.reconcile_as("pixapi", "gpt-image-2", &req, profile, &returned),
            _ => reconcile(&req, profile, &table, &returned),
        }.unwrap();
        prop_assert_eq!(rec.cost, est.total);
        prop_assert_eq!(rec.reserved, est.reservation);
    }

    #[test]
    fn estimate_and_reconcile_never_panic(
        w in any::<u32>(), h in any::<u32>(), n in any::<u32>(), q in 0usize..8,
        auto in any::<bool>(), partials in any::<u32>(), which in 0usize..6, model in 0usize..7,
        returned_images in any::<u32>(), sizes in 0usize..3,
    ) {
        let profiles = ["openai", "uniall", "enum-sizes", "infinityblue", "wavespeed", "all-required"];
        let p = profile(profiles[which]);
        let name = p.models[model % p.models.len()].name.clone();
        let mut req = ImageRequest::new(name, "prompt");
        req.size = Some(if auto { SizeSpec::Auto } else { Size::new(w, h).into() });
        req.set("quality", <Quality as strum::VariantArray>::VARIANTS[q]);
        req.n = Some(n);
        req.set("stream", true);
        req.set("partial_images", partials);
        let table = my_table();
        let _ = estimate(&req, p, &table);
        let _ = table.estimate_as("pixapi", "gpt-image-2", &req, p);
        let returned = Returned {
            images: returned_images,
            sizes: vec![Size::new(h, w); sizes],
            quality: Some(Quality::High),
            usage: Some(Usage { input_tokens: u64::from(w), output_tokens: u64::from(h), ..Usage::default() }),
        };
        let _ = reconcile(&req, p, &table, &returned);
    }

    #[test]
    fn amounts_print_and_parse_back(units in any::<i64>(), shift in 0u32..=15) {
        let a = Amount::from_units(i128::from(units) * 10i128.pow(shift));
        let text = a.to_string();
        prop_assert_eq!(text.parse::<Amount>().unwrap(), a);
        prop_assert!(!text.contains('.') || !text.ends_with('0'));
    }

    #[test]
    fn amount_sums_match_integer_sums(a in any::<i64>(), b in any::<i64>()) {
        let sum = Amount::from_units(i128::from(a)).checked_add(Amount::from_units(i128::from(b))).unwrap();
        prop_assert_eq!(sum.units(), i128::from(a) + i128::from(b));
    }
}
