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
//! req.quality = Some(Quality::Medium);
//! let est = estimate_builtin(&req, builtin_profile("openai").unwrap()).unwrap();
//! assert_eq!(est.images[0].each.max.to_string(), "0.05268"); // 1756 tokens at USD 30 per million
//! assert_eq!(est.total.max.to_string(), "0.05278"); // plus at most 20 prompt tokens at USD 5 per million
//! ```
//!
//! # Prompt length
//!
//! Prompt limits count Unicode scalar values (Rust `char`s), not bytes and not
//! UTF-16 code units: `"é"` is one character, an emoji outside the BMP is one.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod diag;
mod json;
mod merge;
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

pub use diag::{Code, Diagnostic, Field, Kind, ParseCodeError, Report, Severity};
pub use json::{request_from_json, validate_json};
pub use model::{Catalog, Date, Family, Lifecycle, ModelId, ModelSpec, ParseDateError, catalog};
pub use params::{Background, Moderation, OutputFormat, Quality, ResponseFormat, Style, Tier};
pub use price::{
    Amount, Currency, Estimate, PriceError, PriceTable, Reconciled, Returned, estimate,
    estimate_builtin, reconcile,
};
pub use profile::{
    Auth, ModelIn, NType, Profile, ProfileError, RefusedModel, Response, ResponseShape,
    ServedModel, UnknownFields, builtin_profile, builtin_profiles,
};
pub use request::ImageRequest;
pub use rules::{
    CompressionElsewhere, CompressionRule, Defaults, FlagRule, IntRule, ModelRules, NLimits,
    ParamRule, Params, Preset, PromptLimits, SizePolicy, Support,
};
pub use size::{
    AspectRatio, Orientation, ParseAspectRatioError, ParseSizeError, RuleBreak, RuleBreaks, Size,
    SizeRule, SizeSpec,
};
pub use text::ParseNameError;
pub use validate::{check_size, validate};
