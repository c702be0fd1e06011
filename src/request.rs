//! The request: OpenAI's `images/generations` body, typed.

use serde::{Deserialize, Serialize};

use crate::params::{ParamValue, Params};
use crate::size::SizeSpec;

/// A text-to-image request, in OpenAI's field names.
///
/// `model`, `prompt`, `n` and `size` are typed; every other parameter is in
/// [`params`](Self::params), by wire name, so that a parameter or a value
/// only the data knows (`quality: "xhigh"`, `frame_count`) is read,
/// validated, planned and written back like any other. Every field is
/// optional; an absent field takes the provider's default. Provider-specific
/// wire details (a model name in the path, `n` as a string) are applied when
/// a call is planned, not here.
///
/// ```
/// use gpt_image_plan::{ImageRequest, Quality};
/// let req: ImageRequest = serde_json::from_str(
///     r#"{"model": "gpt-image-2", "prompt": "an otter", "size": "1536x1024", "quality": "high"}"#,
/// ).unwrap();
/// assert_eq!(req.get::<Quality>("quality"), Some(Quality::High));
/// let same = ImageRequest::new("gpt-image-2", "an otter")
///     .with("size", "1536x1024")
///     .with("quality", Quality::High);
/// assert_eq!(req, same);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Every other parameter, in the order given.
    #[serde(flatten)]
    pub params: Params,
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

    /// The request with one field set: `n` and `size` (a number and a
    /// `WxH` text) go to their typed fields, every other name to
    /// [`params`](Self::params). A `size` or `n` of the wrong form is kept as
    /// a parameter, where validation reports it.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<ParamValue>) -> Self {
        self.set(name, value);
        self
    }

    /// Sets one field, as [`with`](Self::with) does.
    pub fn set(&mut self, name: &str, value: impl Into<ParamValue>) {
        let value = value.into();
        match (name, &value) {
            ("model", ParamValue::Text(s)) => self.model = Some(s.clone()),
            ("prompt", ParamValue::Text(s)) => self.prompt = Some(s.clone()),
            ("n", ParamValue::Int(n)) => self.n = Some(*n),
            ("size", ParamValue::Text(s)) if s.parse::<SizeSpec>().is_ok() => {
                self.size = s.parse().ok();
            }
            _ => self.params.set(name, value),
        }
    }

    /// A parameter's value, if given.
    pub fn param(&self, name: &str) -> Option<&ParamValue> {
        self.params.get(name)
    }

    /// A text parameter read as a typed value (`get::<Quality>("quality")`);
    /// `None` when absent or when the text is not one the type knows.
    pub fn get<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.params.get(name)?.as_text()?.parse().ok()
    }
}
