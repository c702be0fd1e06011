//! The request: OpenAI's `images/generations` body, typed.

use serde::{Deserialize, Serialize};

use crate::params::{Background, Moderation, OutputFormat, Quality, ResponseFormat, Style};
use crate::size::SizeSpec;

/// A text-to-image request, in OpenAI's field names and types.
///
/// Every field but `prompt` is optional; an absent field takes the provider's
/// default. Provider-specific wire details (a model name in the path, `n` as a
/// string) are applied when a call is planned, not here. Numbers are kept wide
/// (`u32`) so out-of-range values can be represented and reported.
///
/// ```
/// use gpt_image_plan::{ImageRequest, Quality};
/// let req: ImageRequest = serde_json::from_str(
///     r#"{"model": "gpt-image-2", "prompt": "an otter", "size": "1536x1024", "quality": "high"}"#,
/// ).unwrap();
/// assert_eq!(req.quality, Some(Quality::High));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageRequest {
    /// The model name as the provider spells it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// How many images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// `auto` or `WxH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<SizeSpec>,
    /// Quality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Quality>,
    /// Background.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<Background>,
    /// Output format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_format: Option<OutputFormat>,
    /// Output compression, 0-100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_compression: Option<u32>,
    /// Moderation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation: Option<Moderation>,
    /// Response format (dall-e and some resellers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    /// Style (dall-e-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Style>,
    /// Stream partial images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    /// Partial images when streaming, 0-3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_images: Option<u32>,
    /// An end-user id for abuse monitoring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// WaveSpeed's synchronous mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_sync_mode: Option<bool>,
}

impl ImageRequest {
    /// A request with just a model and a prompt.
    pub fn new(model: impl Into<String>, prompt: impl Into<String>) -> Self {
        ImageRequest {
            model: Some(model.into()),
            prompt: Some(prompt.into()),
            ..ImageRequest::default()
        }
    }
}
