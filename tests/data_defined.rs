//! A model, a parameter and a value this crate has never seen, learnt from
//! JSON alone: a newer catalog, a profile over it and a price table. No Rust
//! type knows `gpt-image-3`, `sharpness` or quality `"ultra"`; the data
//! decides, with codes, plans and prices like any built-in fact.

use gpt_image_plan::price::{self, PriceTable, formula_output_tokens};
use gpt_image_plan::{
    Catalog, ImageRequest, ModelState, Profile, Size, catalog, validate_json, wire,
};

/// The example of docs/catalog.md, so the document stays true.
fn newer_catalog() -> &'static str {
    let doc = include_str!("../docs/catalog.md");
    let example = &doc[doc.find("## Example").expect("an Example section")..];
    let start = example.find("```json\n").expect("a json block") + "```json\n".len();
    let end = start + example[start..].find("```").expect("the block's end");
    &example[start..end]
}

const PROFILE: &str = r#"{
  "id": "gw3", "name": "A gateway", "source": "their docs", "as_of": "2027-02-01",
  "base_url": "https://images.example.com", "path": "/v1/images/generations",
  "auth": {"header": "Authorization", "scheme": "Bearer", "env": "GW3_API_KEY"},
  "response": {"shape": "openai"},
  "unknown_fields": "reject",
  "models": [
    {"name": "gpt-image-3", "model": "gpt-image-3"},
    {"name": "gpt-image-3-lite", "model": "gpt-image-3",
     "rules": {"params": {"sharpness": {"support": "no_effect", "min": 0, "max": 5}}}},
    {"name": "gpt-image-2", "model": "gpt-image-2"}
  ]
}"#;

const PRICES: &str = r#"{"as_of": "2027-02-01", "source": "a caller's invoice", "entries": [
  {"provider": "gw3", "model": "gpt-image-3", "as_of": "2027-02-01", "source": "a caller's invoice",
   "currency": "USD", "pricing": {"kind": "token", "text_input_per_million": "5",
   "image_input_per_million": "8", "image_output_per_million": "30",
   "output_tokens": {"formula": "gpt_image_2", "quality_factors": {"low": 16, "medium": 32, "high": 64, "ultra": 128}}}}
]}"#;

fn newer() -> Catalog {
    catalog().layered(newer_catalog()).unwrap()
}

fn profile() -> Profile {
    Profile::from_json_in(PROFILE, &newer()).unwrap()
}

fn codes(report: &gpt_image_plan::Report) -> Vec<String> {
    report.codes().iter().map(ToString::to_string).collect()
}

#[test]
fn the_built_in_catalog_knows_none_of_it() {
    assert!(catalog().get("gpt-image-3").is_none());
    assert!(!catalog().parameters.contains_key("sharpness"));
    // Without the newer catalog the profile does not load: its model is unknown.
    assert!(Profile::from_json(PROFILE).is_err());
}

#[test]
fn a_new_parameter_is_validated_with_its_own_codes() {
    let p = profile();
    let ok = r#"{"model": "gpt-image-3", "prompt": "x", "size": "1024x1024", "sharpness": 3, "quality": "ultra"}"#;
    let report = validate_json(ok, &p);
    assert!(report.is_valid(), "{report:?}");
    assert!(report.diagnostics.is_empty(), "{report:?}");

    let too_sharp = r#"{"model": "gpt-image-3", "prompt": "x", "sharpness": 7}"#;
    let report = validate_json(too_sharp, &p);
    assert_eq!(codes(&report), ["sharpness.out_of_range"]);
    let d = &report.diagnostics[0];
    assert_eq!(
        d.message,
        r#"sharpness 7: above the maximum of 5 for "gpt-image-3" at "gw3""#
    );
    assert_eq!(d.replacement.as_deref(), Some("5"));

    let text = r#"{"model": "gpt-image-3", "prompt": "x", "sharpness": "3"}"#;
    let report = validate_json(text, &p);
    assert_eq!(codes(&report), ["sharpness.invalid_type"]);
    assert_eq!(report.diagnostics[0].replacement.as_deref(), Some("3"));

    let big = r#"{"model": "gpt-image-3", "prompt": "x", "size": "1536x1024", "sharpness": 2}"#;
    let report = validate_json(big, &p);
    assert!(report.is_valid());
    assert_eq!(codes(&report), ["sharpness.no_effect"]);
    assert_eq!(
        report.diagnostics[0].message,
        "sharpness 2: has no effect unless size is at most 1,048,576 pixels"
    );

    // The parameter belongs to gpt-image-3 only: gpt-image-2 refuses it, and a
    // value only gpt-image-3 lists is not one of gpt-image-2's.
    let old = r#"{"model": "gpt-image-2", "prompt": "x", "sharpness": 2, "quality": "ultra"}"#;
    let report = validate_json(old, &p);
    assert_eq!(
        codes(&report),
        [
            "model.deprecated",
            "sharpness.not_supported",
            "quality.unsupported_value"
        ]
    );
}

#[test]
fn a_new_value_survives_reading_and_writing_back() {
    let req: ImageRequest = serde_json::from_str(
        r#"{"model": "gpt-image-3", "prompt": "x", "quality": "ultra", "sharpness": 4}"#,
    )
    .unwrap();
    assert_eq!(
        req.param("quality").and_then(|v| v.as_text()),
        Some("ultra")
    );
    assert_eq!(
        serde_json::to_string(&req).unwrap(),
        r#"{"model":"gpt-image-3","prompt":"x","quality":"ultra","sharpness":4}"#
    );
}

#[test]
fn plans_carry_the_new_parameter_or_drop_it_where_it_does_nothing() {
    let p = profile();
    let plan = wire::plan_json(
        r#"{"model": "gpt-image-3", "prompt": "x", "size": "1024x1024", "quality": "ultra", "sharpness": 3}"#,
        &p,
    );
    assert!(plan.is_ready(), "{:?}", plan.report);
    assert_eq!(
        plan.calls[0].body.as_deref(),
        Some(
            r#"{"model":"gpt-image-3","prompt":"x","size":"1024x1024","quality":"ultra","sharpness":3}"#
        )
    );

    let lite = wire::plan_json(
        r#"{"model": "gpt-image-3-lite", "prompt": "x", "sharpness": 3}"#,
        &p,
    );
    assert_eq!(codes(&lite.report), ["sharpness.dropped"]);
    assert_eq!(
        lite.calls[0].body.as_deref(),
        Some(r#"{"model":"gpt-image-3-lite","prompt":"x"}"#)
    );
}

#[test]
fn a_new_quality_is_priced_from_its_factor_in_the_data() {
    let p = profile();
    let prices = PriceTable::builtin_with(PRICES).unwrap();
    let square = Size::new(1024, 1024);
    for (quality, factor) in [("ultra", 128), ("medium", 32)] {
        let req = ImageRequest::new("gpt-image-3", "x")
            .with("size", "1024x1024")
            .with("quality", quality);
        let estimate = price::estimate(&req, &p, &prices).unwrap();
        let tokens = estimate.images[0].output_image_tokens.unwrap();
        let want = formula_output_tokens(square, factor).unwrap();
        assert_eq!((tokens.min, tokens.max), (want, want), "{quality}");
    }
    // The factor 128 is beyond any built-in model's: the formula, not a table.
    assert_eq!(formula_output_tokens(square, 128), Some(12_487));
    // auto ranges over every quality the data lists for the model.
    let auto = ImageRequest::new("gpt-image-3", "x").with("size", "1024x1024");
    let estimate = price::estimate(&auto, &p, &prices).unwrap();
    let tokens = estimate.images[0].output_image_tokens.unwrap();
    assert_eq!((tokens.min, tokens.max), (196, 12_487));
}

#[test]
fn lifecycles_come_from_the_newer_catalog_and_the_date_given() {
    let c = newer();
    let life = &c.get("gpt-image-2").unwrap().lifecycle;
    assert_eq!(
        life.state_on("2027-02-01".parse().unwrap()),
        ModelState::Deprecated
    );
    let p = profile();
    let req = ImageRequest::new("gpt-image-2", "x");
    let late = gpt_image_plan::validate_on(&req, &p, "2027-06-01".parse().unwrap());
    assert_eq!(codes(&late), ["model.retired"]);
    assert_eq!(
        late.diagnostics[0].replacement.as_deref(),
        Some("gpt-image-3")
    );
}

#[test]
fn text_output_tokens_use_their_own_price_when_the_data_has_one() {
    use gpt_image_plan::price::{OutputTokensDetails, Returned, Usage, reconcile};
    let p = profile();
    let with_text = PRICES.replace(
        r#""image_output_per_million": "30","#,
        r#""image_output_per_million": "30", "text_output_per_million": "10","#,
    );
    let req = ImageRequest::new("gpt-image-3", "x")
        .with("size", "1024x1024")
        .with("quality", "low");
    let returned = Returned {
        images: 1,
        usage: Some(Usage {
            input_tokens: 0,
            output_tokens: 1_000,
            output_tokens_details: Some(OutputTokensDetails {
                text_tokens: 200,
                image_tokens: 800,
            }),
            ..Usage::default()
        }),
        ..Returned::default()
    };
    // 800 image tokens at 30 and 200 text tokens at 10 per million.
    let priced = reconcile(
        &req,
        &p,
        &PriceTable::builtin_with(&with_text).unwrap(),
        &returned,
    )
    .unwrap();
    assert_eq!(priced.cost.min.to_string(), "0.026");
    // Without a text price every output token is an image token.
    let plain = reconcile(
        &req,
        &p,
        &PriceTable::builtin_with(PRICES).unwrap(),
        &returned,
    )
    .unwrap();
    assert_eq!(plain.cost.min.to_string(), "0.03");
}
