//! `gpt-image-plan` knows what every provider of OpenAI's GPT Image
//! text-to-image call accepts, and answers before the call is made: is this
//! request valid here, and if not, what is the nearest one that is.
//!
//! The core is pure: no files, network, clock or environment. Facts about
//! models and providers are dated data (`data/models.json`,
//! `data/profiles/*.json`) and every finding carries a stable [`Code`].
//!
//! ```
//! use gpt_image_plan::{builtin_profile, validate_json};
//!
//! let openai = builtin_profile("openai").unwrap();
//! let report = validate_json(
//!     r#"{"model": "gpt-image-2", "prompt": "a lighthouse at dusk", "size": "1920x1080"}"#,
//!     openai,
//! );
//! assert!(!report.is_valid());
//! let finding = &report.diagnostics[0];
//! assert_eq!(finding.code.to_string(), "size.not_multiple_of_16");
//! assert_eq!(finding.fix.as_deref(), Some(r#"use "1920x1088", the nearest valid size"#));
//! ```
//!
//! # Stable codes
//!
//! A code is `field.kind`. The fields are the request's parameter names plus
//! `request` for the body as a whole; the kinds are listed on [`Kind`]. The size
//! rule's codes are `size.malformed`, `size.not_multiple_of_16`,
//! `size.edge_too_long`, `size.aspect_too_extreme`, `size.too_few_pixels`,
//! `size.too_many_pixels` and `size.not_offered`. See `docs/codes.md` for the
//! full table of which codes each field can produce.
//!
//! # Billing
//!
//! [`price`] estimates what a request will cost before the call, as a range
//! with the reasons it is one, and reconciles what came back. Prices are
//! dated data (`data/prices.json`) in exact decimal amounts:
//!
//! ```
//! use gpt_image_plan::{builtin_profile, estimate_builtin, ImageRequest, Quality, Size};
//!
//! let mut req = ImageRequest::new("gpt-image-2", "a lighthouse at dusk");
//! req.size = Some(Size::new(1024, 1024).into());
//! req.set("quality", Quality::Medium);
//! let est = estimate_builtin(&req, builtin_profile("openai").unwrap()).unwrap();
//! assert_eq!(est.images[0].each.max.to_string(), "0.05268"); // 1756 tokens at USD 30 per million
//! assert_eq!(est.total.max.to_string(), "0.05278"); // plus at most 20 prompt tokens at USD 5 per million
//! ```
//!
//! # Prompt length
//!
//! Prompt limits count Unicode scalar values (Rust `char`s), not bytes and not
//! UTF-16 code units: `"é"` is one character, an emoji outside the BMP is one.
//!
//! # Testing code that uses this crate
//!
//! Two optional features help fuzz and property-test harnesses:
//!
//! - `proptest`: `proptest::arbitrary::Arbitrary` for every value type and the
//!   `strategies` module: valid sizes for a policy, sizes that break exactly
//!   one rule, valid requests for a profile, and invalid ones with the code
//!   they must produce.
//! - `arbitrary`: `arbitrary::Arbitrary` for every value type, for cargo-fuzz,
//!   libFuzzer and AFL. Generation leans towards the interesting: sizes on and
//!   just off the multiple-of-16 grid, every size and model name the built-in
//!   data knows, prompts at and around every length limit.
//!
//! ```
//! # #[cfg(feature = "arbitrary")] {
//! use arbitrary::{Arbitrary, Unstructured};
//! use gpt_image_plan::{builtin_profiles, validate, ImageRequest};
//!
//! // What a fuzz target does with the bytes libFuzzer hands it.
//! let bytes = [7u8; 256];
//! let request = ImageRequest::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
//! for profile in builtin_profiles() {
//!     let report = validate(&request, profile); // never panics
//!     assert_eq!(report, validate(&request, profile));
//! }
//! # }
//! ```
//!
//! ```
//! # #[cfg(feature = "proptest")] {
//! use gpt_image_plan::{builtin_profile, strategies, validate};
//! use proptest::test_runner::TestRunner;
//!
//! let openai = builtin_profile("openai").unwrap();
//! let bad = strategies::invalid_request(openai).unwrap();
//! TestRunner::default()
//!     .run(&bad, |case| {
//!         assert!(validate(&case.request, openai).has(&case.code));
//!         Ok(())
//!     })
//!     .unwrap();
//! # }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod body;
mod diag;
mod load;
mod model;
mod params;
pub mod planner;
pub mod price;
mod profile;
mod request;
mod rules;
mod size;
mod text;
mod validate;
pub mod wire;

#[cfg(feature = "http")]
pub mod http;

#[cfg(feature = "arbitrary")]
mod arbitrary_impls;
#[cfg(feature = "proptest")]
mod proptest_impls;
#[cfg(any(feature = "arbitrary", feature = "proptest"))]
mod samples;
#[cfg(feature = "proptest")]
pub mod strategies;

pub use body::{request_from_json, validate_json, validate_json_on};
pub use diag::{Code, Diagnostic, Field, Kind, ParseCodeError, Report, Severity};
pub use load::{LoadError, LoadErrorKind};
pub use model::{
    Catalog, Date, Family, Lifecycle, ModelId, ModelSpec, ModelState, ParseDateError,
    ParseModelIdError, catalog,
};
pub use params::{
    Background, Moderation, OutputFormat, ParamValue, Params, Quality, ResponseFormat, Style, Tier,
};
pub use price::{
    Amount, Currency, Estimate, PriceError, PriceTable, Reconciled, Returned, estimate,
    estimate_builtin, reconcile,
};
pub use profile::{
    Auth, ModelIn, NType, PickModelError, Profile, ProfileError, RefusedModel, Response,
    ResponseShape, ServedModel, UnknownFields, UnknownProvider, builtin_profile, builtin_profiles,
    builtin_profiles_in, profile_by_id,
};
pub use request::ImageRequest;
pub use rules::{
    Constraint, Defaults, Effect, ModelRules, NLimits, Needs, ParamDecl, ParamRule, ParamType,
    Preset, PromptLimits, SizePolicy, Support,
};
pub use size::{
    AspectRatio, Orientation, ParseAspectRatioError, ParseSizeError, RuleBreak, RuleBreaks, Size,
    SizeRule, SizeSpec,
};
pub use text::ParseNameError;
pub use validate::{check_size, validate, validate_on};

/// The README's examples, compiled and run as doctests (they use the
/// `proptest` feature's strategies, so they run with `--all-features`).
#[cfg(all(doctest, feature = "proptest"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
