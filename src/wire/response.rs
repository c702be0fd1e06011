//! Reading what a provider sends back, whatever its shape, into one result
//! type or one typed error.
//!
//! Bodies are read as untrusted bytes: anything above [`MAX_BODY_BYTES`] is
//! refused before parsing, JSON nesting is bounded by `serde_json`'s recursion
//! limit (128), provider texts are cut to 500 characters and 1024 bytes, and
//! no input makes the parser panic.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::params::{Background, OutputFormat, Quality};
use crate::profile::Response;
use crate::size::Size;
use crate::text::{excerpt, wire_enum};

use super::spec::{Pointer, TaskSpec};

/// The largest response body read: 64 MiB. A `b64_json` body of ten 4K PNGs
/// (about 8 MiB each, a third more as base64) fits; anything larger is refused
/// as [`ErrorKind::TooLarge`] before parsing.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The longest task id accepted; ids go into poll URLs.
const MAX_TASK_ID_BYTES: usize = 256;

/// How much of a provider's text is kept, in characters...
const MAX_MESSAGE_CHARS: usize = 500;

/// ...and in bytes, `...` included: 500 characters of a three-byte script (or
/// of replacement characters for bytes that are not UTF-8) would be 1500.
const MAX_MESSAGE_BYTES: usize = 1024;

/// Error codes that mean the prompt or image was refused by a safety system.
/// Sources: OpenAI API errors (`content_policy_violation` for DALL-E,
/// `moderation_blocked` for GPT image models); Azure OpenAI (`content_filter`,
/// and `contentFilter` in its image how-to).
const CONTENT_POLICY_CODES: [&str; 4] = [
    "content_policy_violation",
    "moderation_blocked",
    "content_filter",
    "contentfilter",
];

/// Message phrases that mean the same. Sources: OpenAI ("rejected as a result
/// of our safety system"), WaveSpeed seed 000 ("Content blocked due to safety
/// concerns", documented as 503 while the real status is 400).
const CONTENT_POLICY_PHRASES: [&str; 5] = [
    "safety system",
    "safety concern",
    "content policy",
    "content blocked",
    "content_policy_violation",
];

/// Error codes and phrases that mean the account cannot pay. Sources: OpenAI
/// (`insufficient_quota`, sent with status 429; `billing_hard_limit_reached`),
/// WaveSpeed seed 000 (403 "insufficient balance").
const BALANCE_MARKERS: [&str; 4] = [
    "insufficient_quota",
    "billing_hard_limit_reached",
    "insufficient balance",
    "exceeded your current quota",
];

wire_enum! {
    /// What kind of failure a provider reported; callers match on this, never on text.
    ErrorKind, "error_kind" {
        /// 401: the key is missing or wrong.
        Unauthorized = "unauthorized",
        /// 402/403: no permission, or not enough balance or quota.
        Forbidden = "forbidden",
        /// 429: too many requests; retry after the given time.
        RateLimited = "rate_limited",
        /// The prompt or image was refused by a safety system (400; WaveSpeed
        /// documents it as 503).
        ContentPolicy = "content_policy",
        /// The provider refused the request as invalid (400, 404, 422, ...).
        InvalidRequest = "invalid_request",
        /// 5xx: the provider failed; retrying may help.
        ServerError = "server_error",
        /// The body could not be read as the documented shape.
        Malformed = "malformed_response",
        /// The body is larger than the cap.
        TooLarge = "too_large",
        /// Anything else.
        Unknown = "unknown",
    }
}

impl ErrorKind {
    /// Whether sending the same call again may succeed (rate limits and server errors).
    ///
    /// ```
    /// use gpt_image_plan::wire::ErrorKind;
    /// assert!(ErrorKind::RateLimited.is_retryable());
    /// assert!(!ErrorKind::ContentPolicy.is_retryable());
    /// ```
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorKind::RateLimited | ErrorKind::ServerError)
    }

    fn words(self) -> &'static str {
        match self {
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::ContentPolicy => "refused by content policy",
            ErrorKind::InvalidRequest => "invalid request",
            ErrorKind::ServerError => "server error",
            ErrorKind::Malformed => "malformed response",
            ErrorKind::TooLarge => "response too large",
            ErrorKind::Unknown => "unknown error",
        }
    }
}

/// A failure reported by a provider (or a body that could not be read), with
/// the provider's own `message`, `type`, `param` and `code` kept.
///
/// ```
/// use gpt_image_plan::wire::{parse_response, ErrorKind};
/// use gpt_image_plan::{builtin_profile, Response};
///
/// let body = br#"{"error": {"message": "Rate limit reached", "type": "requests", "param": null, "code": null}}"#;
/// let err = parse_response(&Response::openai(), 429, &[("Retry-After", "2")], body).unwrap_err();
/// assert_eq!(err.kind, ErrorKind::RateLimited);
/// assert_eq!(err.to_string(), r#"rate limited (HTTP 429, retry after 2s): "Rate limit reached""#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProviderError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The HTTP status, or the status inside the body when the provider puts
    /// one there (WaveSpeed's `code`).
    pub status: Option<u16>,
    /// The provider's message, cut to 500 characters and 1024 bytes.
    pub message: String,
    /// The provider's error `type`.
    pub error_type: Option<String>,
    /// The parameter the provider blames.
    pub param: Option<String>,
    /// The provider's error `code`.
    pub code: Option<String>,
    /// How long to wait before retrying (`Retry-After`, `retry-after-ms`).
    pub retry_after: Option<Duration>,
}

impl ProviderError {
    /// An error of `kind` with a message and nothing else.
    ///
    /// ```
    /// use gpt_image_plan::wire::{ErrorKind, ProviderError};
    /// let e = ProviderError::new(ErrorKind::ServerError, Some(500), "boom");
    /// assert_eq!(e.to_string(), r#"server error (HTTP 500): "boom""#);
    /// ```
    pub fn new(kind: ErrorKind, status: Option<u16>, message: impl Into<String>) -> Self {
        ProviderError {
            kind,
            status,
            message: message.into(),
            error_type: None,
            param: None,
            code: None,
            retry_after: None,
        }
    }

    /// Whether sending the same call again may succeed.
    ///
    /// ```
    /// use gpt_image_plan::wire::{ErrorKind, ProviderError};
    /// assert!(ProviderError::new(ErrorKind::ServerError, Some(503), "").is_retryable());
    /// assert!(!ProviderError::new(ErrorKind::Unauthorized, Some(401), "").is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.words())?;
        let mut extras = Vec::new();
        if let Some(status) = self.status {
            extras.push(format!("HTTP {status}"));
        }
        if let Some(param) = &self.param {
            extras.push(format!("param \"{param}\""));
        }
        if let Some(code) = &self.code {
            extras.push(format!("code \"{code}\""));
        }
        if let Some(wait) = self.retry_after {
            extras.push(format!("retry after {}", show_duration(wait)));
        }
        if !extras.is_empty() {
            write!(f, " ({})", extras.join(", "))?;
        }
        if !self.message.is_empty() {
            write!(f, ": \"{}\"", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}

fn show_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// One generated image as the provider returned it: a URL, base64 data, or both.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Image {
    /// A temporary URL to download the image from.
    pub url: Option<String>,
    /// The image as base64 (possibly a `data:` URL).
    pub b64_json: Option<String>,
    /// The prompt the model actually used.
    pub revised_prompt: Option<String>,
}

impl Image {
    /// The base64 payload without any `data:...;base64,` prefix.
    ///
    /// ```
    /// use gpt_image_plan::wire::{parse_response, Outcome};
    /// use gpt_image_plan::{builtin_profile, Response};
    /// let body = br#"{"data": [{"b64_json": "data:image/png;base64,aGk="}]}"#;
    /// let Ok(Outcome::Images(result)) = parse_response(&Response::openai(), 200, &[], body) else { panic!() };
    /// assert_eq!(result.images[0].base64_payload(), Some("aGk="));
    /// ```
    pub fn base64_payload(&self) -> Option<&str> {
        let b64 = self.b64_json.as_deref()?;
        Some(match b64.strip_prefix("data:") {
            Some(rest) => rest.split_once(',').map_or(rest, |(_, data)| data),
            None => b64,
        })
    }

    /// Decodes the base64 data, when there is some: the standard alphabet,
    /// with or without `=` padding; ASCII whitespace (wrapped lines) is
    /// skipped, and unused low bits of the last character are ignored.
    ///
    /// # Errors
    /// [`base64::DecodeError`] when the data is not base64; its offset counts
    /// the payload's bytes without whitespace.
    ///
    /// ```
    /// use gpt_image_plan::wire::{parse_response, Outcome};
    /// use gpt_image_plan::{builtin_profile, Response};
    /// let body = br#"{"created": 1, "data": [{"b64_json": "iVBORw=="}, {"b64_json": "iVBORw"}, {"b64_json": "iVB*Rw=="}]}"#;
    /// let Ok(Outcome::Images(result)) = parse_response(&Response::openai(), 200, &[], body) else { panic!() };
    /// assert_eq!(result.images[0].decode().unwrap().unwrap(), [0x89, b'P', b'N', b'G']);
    /// assert_eq!(result.images[1].decode().unwrap().unwrap(), [0x89, b'P', b'N', b'G']);
    /// assert_eq!(result.images[2].decode().unwrap().unwrap_err().to_string(), "Invalid symbol 42, offset 3.");
    /// ```
    pub fn decode(&self) -> Option<Result<Vec<u8>, base64::DecodeError>> {
        self.base64_payload().map(decode_payload)
    }
}

/// Standard base64 as providers send images: `=` padding optional, unused
/// low bits of the last character ignored.
const IMAGE_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes an image's base64 payload (see [`Image::decode`]).
pub(crate) fn decode_payload(payload: &str) -> Result<Vec<u8>, base64::DecodeError> {
    IMAGE_BASE64.decode(payload).or_else(|e| {
        // Rare: lines wrapped inside the JSON string. Only then is the
        // payload scanned and copied without its whitespace.
        if !payload.bytes().any(|b| b.is_ascii_whitespace()) {
            return Err(e);
        }
        let data: Vec<u8> = payload
            .bytes()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        IMAGE_BASE64.decode(data)
    })
}

/// Token counts as the provider reports them; absent counts are `None`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Usage {
    /// All input tokens.
    pub input_tokens: Option<u64>,
    /// Input text tokens.
    pub input_text_tokens: Option<u64>,
    /// Input image tokens.
    pub input_image_tokens: Option<u64>,
    /// All output tokens.
    pub output_tokens: Option<u64>,
    /// Output image tokens.
    pub output_image_tokens: Option<u64>,
    /// Output text tokens.
    pub output_text_tokens: Option<u64>,
    /// The total.
    pub total_tokens: Option<u64>,
}

impl Usage {
    /// The sum of two usages (split calls): a count is present when either has it.
    ///
    /// ```
    /// use gpt_image_plan::wire::Usage;
    /// let mut a = Usage::default();
    /// a.output_tokens = Some(196);
    /// let sum = a.add(&a);
    /// assert_eq!(sum.output_tokens, Some(392));
    /// assert_eq!(sum.input_tokens, None);
    /// ```
    pub fn add(&self, other: &Usage) -> Usage {
        let sum = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
        };
        Usage {
            input_tokens: sum(self.input_tokens, other.input_tokens),
            input_text_tokens: sum(self.input_text_tokens, other.input_text_tokens),
            input_image_tokens: sum(self.input_image_tokens, other.input_image_tokens),
            output_tokens: sum(self.output_tokens, other.output_tokens),
            output_image_tokens: sum(self.output_image_tokens, other.output_image_tokens),
            output_text_tokens: sum(self.output_text_tokens, other.output_text_tokens),
            total_tokens: sum(self.total_tokens, other.total_tokens),
        }
    }
}

/// Finished images in OpenAI's shape: `created`, `data[]`, `usage`, and the
/// `size`, `quality`, `output_format` and `background` actually used when the
/// provider says.
///
/// The size is taken as returned, even when it breaks the request rule
/// (`size: "auto"` has returned 1254x1254).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GenerationResult {
    /// Unix seconds.
    pub created: Option<i64>,
    /// The images, possibly fewer than asked for.
    pub images: Vec<Image>,
    /// Token usage.
    pub usage: Option<Usage>,
    /// The size of the images.
    pub size: Option<Size>,
    /// The quality used.
    pub quality: Option<Quality>,
    /// The file format.
    pub output_format: Option<OutputFormat>,
    /// The background used.
    pub background: Option<Background>,
}

wire_enum! {
    /// Where an asynchronous task is, whatever the provider calls it: the
    /// profile's `response.task` lists which statuses mean which.
    TaskState, "task_state" {
        /// Accepted or running.
        Pending = "pending",
        /// Done: the images are in its outputs, or at its result URL.
        Done = "done",
        /// Failed: `error` says why.
        Failed = "failed",
    }
}

/// An asynchronous task as the provider described it, read by the
/// profile's `response.task` pointers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TaskStatus {
    /// The task id (empty when the answer does not repeat it; see [`TaskStatus::after`]).
    pub id: String,
    /// The provider's own status text (`IN_QUEUE`, `processing`, `fail`).
    pub status: String,
    /// What it means.
    pub state: TaskState,
    /// Image URLs (or base64 data), once done.
    pub outputs: Vec<String>,
    /// The provider's ready-made URL to poll (WaveSpeed's `data.urls.get`).
    pub poll_url: Option<String>,
    /// The URL whose answer holds the images once done (fal's `response_url`).
    pub result_url: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

impl TaskStatus {
    /// Whether the task has finished, either way.
    ///
    /// ```
    /// use gpt_image_plan::wire::{parse_response, Outcome};
    /// use gpt_image_plan::{builtin_profile, Response};
    /// let body = br#"{"code": 200, "data": {"id": "t1", "status": "processing", "outputs": []}}"#;
    /// let Ok(Outcome::Task(task)) = parse_response(&builtin_profile("wavespeed").unwrap().response, 200, &[], body) else { panic!() };
    /// assert!(!task.is_done());
    /// ```
    pub fn is_done(&self) -> bool {
        matches!(self.state, TaskState::Done | TaskState::Failed)
    }

    /// This answer to a poll, with what it leaves out (the id, the poll
    /// and result URLs) taken from the answer before: fal's status answers
    /// repeat neither the id nor the status URL.
    ///
    /// ```
    /// use gpt_image_plan::{builtin_profile, wire};
    /// let fal = &builtin_profile("fal").unwrap().response;
    /// let submitted = br#"{"request_id": "r1", "status": "IN_QUEUE", "status_url": "https://queue.fal.run/openai/gpt-image-2/requests/r1/status", "response_url": "https://queue.fal.run/openai/gpt-image-2/requests/r1"}"#;
    /// let Ok(wire::Outcome::Task(first)) = wire::parse_response(fal, 202, &[], submitted) else { panic!() };
    /// let Ok(wire::Outcome::Task(next)) = wire::parse_response(fal, 200, &[], br#"{"status": "COMPLETED"}"#) else { panic!() };
    /// let next = next.after(&first);
    /// assert_eq!(next.id, "r1");
    /// assert_eq!(next.result_url.as_deref(), Some("https://queue.fal.run/openai/gpt-image-2/requests/r1"));
    /// ```
    pub fn after(mut self, previous: &TaskStatus) -> TaskStatus {
        if self.id.is_empty() {
            self.id.clone_from(&previous.id);
        }
        if self.poll_url.is_none() {
            self.poll_url.clone_from(&previous.poll_url);
        }
        if self.result_url.is_none() {
            self.result_url.clone_from(&previous.result_url);
        }
        self
    }

    /// The images, when completed. An output is a URL when it starts with
    /// `http://` or `https://`, base64 otherwise (`data:` URLs included).
    ///
    /// ```
    /// use gpt_image_plan::wire::{parse_response, Outcome};
    /// use gpt_image_plan::{builtin_profile, Response};
    /// let body = br#"{"code": 200, "data": {"id": "t1", "status": "completed", "outputs": ["https://cdn.example/1.png"]}}"#;
    /// let Ok(Outcome::Task(task)) = parse_response(&builtin_profile("wavespeed").unwrap().response, 200, &[], body) else { panic!() };
    /// let result = task.result().unwrap();
    /// assert_eq!(result.images[0].url.as_deref(), Some("https://cdn.example/1.png"));
    /// ```
    pub fn result(&self) -> Option<GenerationResult> {
        if self.state != TaskState::Done {
            return None;
        }
        let images = self.outputs.iter().cloned().map(output_image).collect();
        Some(GenerationResult {
            images,
            ..GenerationResult::default()
        })
    }

    /// The failure, when failed: content policy when the reason says so, unknown otherwise.
    ///
    /// ```
    /// use gpt_image_plan::wire::{parse_response, Outcome};
    /// use gpt_image_plan::{builtin_profile, Response};
    /// let body = br#"{"code": 200, "data": {"id": "t1", "status": "failed", "error": "out of memory"}}"#;
    /// let Ok(Outcome::Task(task)) = parse_response(&builtin_profile("wavespeed").unwrap().response, 200, &[], body) else { panic!() };
    /// assert_eq!(task.failure().unwrap().to_string(), r#"unknown error: "out of memory""#);
    /// ```
    pub fn failure(&self) -> Option<ProviderError> {
        if self.state != TaskState::Failed {
            return None;
        }
        let message = self
            .error
            .clone()
            .unwrap_or_else(|| "the task failed without a reason".to_owned());
        Some(classify(
            None,
            None,
            Fields {
                message,
                ..Fields::default()
            },
            None,
        ))
    }
}

/// What a successful response held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Outcome {
    /// Finished images (OpenAI's shape).
    Images(GenerationResult),
    /// A task to poll, or one that finished (WaveSpeed's shape).
    Task(TaskStatus),
}

/// Reads one response: its status, headers (for `Retry-After` and
/// `retry-after-ms`) and body.
///
/// Success bodies are read by content: a `data` array is images, a `data`
/// object with `id` and `status` is a task; `shape` is what the profile
/// expects and names the shape in errors. Error bodies may be OpenAI's
/// `{"error": {message, type, param, code}}`, WaveSpeed's `{code, message, data}`,
/// `{"error": "..."}`, `{"message"|"detail": "..."}` or not JSON at all; a
/// 200 whose body is an error envelope is an error too.
///
/// # Errors
/// A [`ProviderError`] for an error status or envelope, a body above
/// [`MAX_BODY_BYTES`] ([`ErrorKind::TooLarge`]), or a success body that is
/// not the documented shape ([`ErrorKind::Malformed`]).
///
/// ```
/// use gpt_image_plan::wire::{parse_response, Outcome, ErrorKind};
/// use gpt_image_plan::{builtin_profile, Response};
///
/// let body = br#"{"created": 1780000000, "data": [{"url": "https://img.example/1.png"}], "size": "1254x1254"}"#;
/// let Ok(Outcome::Images(result)) = parse_response(&Response::openai(), 200, &[], body) else { panic!() };
/// assert_eq!(result.images[0].url.as_deref(), Some("https://img.example/1.png"));
/// assert_eq!(result.size.unwrap().to_string(), "1254x1254");
///
/// let refused = br#"{"code": 400, "message": "Content blocked due to safety concerns", "data": null}"#;
/// let err = parse_response(&builtin_profile("wavespeed").unwrap().response, 400, &[], refused).unwrap_err();
/// assert_eq!(err.kind, ErrorKind::ContentPolicy);
/// ```
pub fn parse_response(
    response: &Response,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Outcome, ProviderError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(ProviderError::new(
            ErrorKind::TooLarge,
            Some(status),
            format!(
                "body of {} bytes is above the limit of {MAX_BODY_BYTES}",
                body.len()
            ),
        ));
    }
    let retry_after = header(headers, "retry-after-ms")
        .and_then(parse_retry_after_ms)
        .or_else(|| header(headers, "retry-after").and_then(parse_retry_after));
    let parsed = serde_json::from_slice::<Value>(body);
    if !(200..300).contains(&status) {
        let fields = match &parsed {
            Ok(value) => error_fields(value, response),
            Err(_) => Fields {
                message: text_excerpt(body),
                ..Fields::default()
            },
        };
        return Err(classify(Some(status), Some(status), fields, retry_after));
    }
    let shape = shape_name(response);
    let mut value = parsed
        .map_err(|e| malformed(status, format!("the {shape} body is not valid JSON: {e}")))?;
    if let Some(err) = embedded_error(&value, status, retry_after, response) {
        return Err(err);
    }
    if !value.is_object() {
        return Err(malformed(
            status,
            format!("the {shape} body is not a JSON object"),
        ));
    }
    // A task is an answer with a status or an id (kie's first answer holds
    // only `data.taskId`); anything else holds images.
    let is_task = response.task.as_ref().filter(|task| {
        matches!(task.status.find(&value).as_deref(), Some(Value::String(_)))
            || task.id.text(&value).is_some()
    });
    // Members are moved out, not copied: a `b64_json` image is megabytes.
    match is_task {
        Some(task) => read_task(value, task).map(Outcome::Task),
        None => match response.images.take(&mut value) {
            Some(Value::Array(items)) => read_images(value, items, response).map(Outcome::Images),
            _ => Err(malformed(status, no_images(response))),
        },
    }
    .map_err(|mut e| {
        e.status = Some(status);
        e
    })
}

/// What a success body without images or a task lacks, in the profile's terms.
fn no_images(response: &Response) -> String {
    let images = pointer_name(&response.images);
    match &response.task {
        None => format!("the body has no \"{images}\" array of images"),
        Some(task) => format!(
            "the body has neither a task status at \"{}\" nor an array of images at \"{images}\"",
            pointer_name(&task.status)
        ),
    }
}

/// A pointer as messages name it: its first alternative without the
/// leading slash (`data`, `data/status`).
fn pointer_name(pointer: &Pointer) -> String {
    pointer
        .alternatives()
        .first()
        .map(|p| p.trim_start_matches('/').to_owned())
        .unwrap_or_default()
}

/// Reads a `Retry-After` value in its seconds form (`"2"`, or `"1.5"` as some
/// providers send); the HTTP-date form is not read and gives `None`.
///
/// ```
/// use std::time::Duration;
/// use gpt_image_plan::wire::parse_retry_after;
/// assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
/// assert_eq!(parse_retry_after(" 0.5 "), Some(Duration::from_millis(500)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), None);
/// ```
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let secs = value.parse::<f64>().ok()?;
    Duration::try_from_secs_f64(secs).ok()
}

fn parse_retry_after_ms(value: &str) -> Option<Duration> {
    let value = value.trim();
    if !value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    if let Ok(ms) = value.parse::<u64>() {
        return Some(Duration::from_millis(ms));
    }
    let ms = value.parse::<f64>().ok()?;
    Duration::try_from_secs_f64(ms / 1000.0).ok()
}

fn header<'a>(headers: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

fn shape_name(response: &Response) -> &'static str {
    if response.task.is_some() {
        "task"
    } else {
        "images"
    }
}

fn malformed(status: u16, message: impl Into<String>) -> ProviderError {
    ProviderError::new(ErrorKind::Malformed, Some(status), message)
}

/// A short, printable excerpt of a body that is not JSON (an HTML error page).
fn text_excerpt(body: &[u8]) -> String {
    let head = body.get(..2048).unwrap_or(body);
    let text = String::from_utf8_lossy(head);
    let flat: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if flat.is_empty() {
        "the body is empty".to_owned()
    } else {
        short(&flat)
    }
}

/// An error's fields as the provider wrote them.
#[derive(Default)]
struct Fields {
    message: String,
    error_type: Option<String>,
    param: Option<String>,
    code: Option<String>,
}

/// The text, or its first characters and `...` when it is longer than
/// [`MAX_MESSAGE_CHARS`] characters or [`MAX_MESSAGE_BYTES`] bytes.
fn short(text: &str) -> String {
    if text.len() <= MAX_MESSAGE_BYTES && text.chars().nth(MAX_MESSAGE_CHARS).is_none() {
        return text.to_owned();
    }
    const ELLIPSIS: &str = "...";
    let room = MAX_MESSAGE_BYTES - ELLIPSIS.len();
    let end = text
        .char_indices()
        .take(MAX_MESSAGE_CHARS)
        .map(|(i, c)| i + c.len_utf8())
        .take_while(|&end| end <= room)
        .last()
        .unwrap_or(0);
    format!("{}{ELLIPSIS}", text.get(..end).unwrap_or_default())
}

/// How many bytes of a value's JSON text are written to quote it: enough for
/// [`short`] to cut it exactly as it would cut the whole text.
const QUOTED_BYTES: usize = 2 * MAX_MESSAGE_BYTES;

/// A value's JSON text as [`short`] quotes it, keys sorted as `serde_json`
/// writes a `Value`. Writing stops when [`QUOTED_BYTES`] are written, so
/// quoting a huge value costs no more than quoting a small one.
fn quoted(value: &Value) -> String {
    let mut buf = vec![0u8; QUOTED_BYTES];
    let mut room = buf.as_mut_slice();
    // A full buffer ends the writing with an error: the text is cut there.
    serde_json::to_writer(&mut room, value).ok();
    let written = QUOTED_BYTES - room.len();
    let head = buf.get(..written).unwrap_or_default();
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // Cut inside a character: keep the characters before it.
        Err(e) => {
            std::str::from_utf8(head.get(..e.valid_up_to()).unwrap_or_default()).unwrap_or_default()
        }
    };
    short(text)
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(short(s)),
        Value::Number(n) => Some(short(&n.to_string())),
        _ => None,
    }
}

fn error_fields(value: &Value, response: &Response) -> Fields {
    let declared = &response.error;
    if let Some(message) = declared.message.as_ref().and_then(|p| p.text(value)) {
        return Fields {
            message: short(&message),
            code: declared
                .code
                .as_ref()
                .and_then(|p| p.text(value))
                .map(|c| short(&c)),
            ..Fields::default()
        };
    }
    let Some(obj) = value.as_object() else {
        return Fields {
            message: quoted(value),
            ..Fields::default()
        };
    };
    if let Some(Value::Object(err)) = obj.get("error") {
        return Fields {
            message: text_of(err.get("message")).unwrap_or_default(),
            error_type: text_of(err.get("type")),
            param: text_of(err.get("param")),
            code: text_of(err.get("code")),
        };
    }
    if let Some(message) = text_of(obj.get("error")) {
        return Fields {
            message,
            ..Fields::default()
        };
    }
    let inner = obj
        .get("data")
        .and_then(Value::as_object)
        .and_then(|d| text_of(d.get("error")));
    let message = match (
        text_of(obj.get("message")).or_else(|| text_of(obj.get("detail"))),
        inner,
    ) {
        (Some(m), Some(i)) if m != i => short(&format!("{m}: {i}")),
        (Some(m), _) => m,
        (None, Some(i)) => i,
        (None, None) => quoted(value),
    };
    // WaveSpeed's numeric `code` is a status, not an error code.
    let code = match obj.get("code") {
        Some(Value::String(s)) if !s.is_empty() => Some(short(s)),
        _ => None,
    };
    Fields {
        message,
        code,
        ..Fields::default()
    }
}

/// A success status whose body is an error envelope: OpenAI's `error` object
/// with no `data`, or WaveSpeed's `code` of 400 or more.
fn embedded_error(
    value: &Value,
    status: u16,
    retry_after: Option<Duration>,
    response: &Response,
) -> Option<ProviderError> {
    let obj = value.as_object()?;
    let inner_status = obj
        .get("code")
        .and_then(Value::as_u64)
        .filter(|c| (400..600).contains(c))
        .and_then(|c| u16::try_from(c).ok());
    let has_error = matches!(obj.get("error"), Some(Value::Object(_)))
        && !matches!(obj.get("data"), Some(Value::Array(_)));
    if inner_status.is_none() && !has_error {
        return None;
    }
    let fields = error_fields(value, response);
    Some(classify(
        inner_status,
        Some(inner_status.unwrap_or(status)),
        fields,
        retry_after,
    ))
}

/// Picks the kind from the status (when it means one) and the provider's
/// code, type and message.
fn classify(
    by_status: Option<u16>,
    shown_status: Option<u16>,
    fields: Fields,
    retry_after: Option<Duration>,
) -> ProviderError {
    let lower = |s: &Option<String>| s.as_deref().unwrap_or("").to_ascii_lowercase();
    let (code, kind_type, message) = (
        lower(&fields.code),
        lower(&fields.error_type),
        fields.message.to_lowercase(),
    );
    let content = CONTENT_POLICY_CODES.contains(&code.as_str())
        || CONTENT_POLICY_PHRASES.iter().any(|p| message.contains(p));
    let balance = BALANCE_MARKERS
        .iter()
        .any(|m| code == *m || kind_type == *m || message.contains(m));
    let kind = match by_status {
        Some(401) => ErrorKind::Unauthorized,
        _ if balance => ErrorKind::Forbidden,
        Some(402 | 403) => ErrorKind::Forbidden,
        Some(429) => ErrorKind::RateLimited,
        Some(400 | 422 | 451 | 503) | None if content => ErrorKind::ContentPolicy,
        Some(400 | 404 | 405 | 409 | 413 | 415 | 422) => ErrorKind::InvalidRequest,
        Some(500..=599) => ErrorKind::ServerError,
        Some(_) => ErrorKind::Unknown,
        None => match kind_type.as_str() {
            "invalid_request_error" => ErrorKind::InvalidRequest,
            "authentication_error" => ErrorKind::Unauthorized,
            "permission_error" => ErrorKind::Forbidden,
            "rate_limit_error" | "requests" | "tokens" => ErrorKind::RateLimited,
            "server_error" | "api_error" => ErrorKind::ServerError,
            _ => ErrorKind::Unknown,
        },
    };
    ProviderError {
        kind,
        status: shown_status,
        message: fields.message,
        error_type: fields.error_type,
        param: fields.param,
        code: fields.code,
        retry_after: if kind.is_retryable() {
            retry_after
        } else {
            None
        },
    }
}

/// Takes the member `key` out of an object when it is a non-empty string.
fn string_at(obj: &mut Map<String, Value>, key: &str) -> Option<String> {
    match obj.remove(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        _ => None,
    }
}

/// An image item's text where it is a string: `None` for anything else.
fn take_text(item: &mut Value, pointer: &Pointer) -> Option<String> {
    match pointer.take(item)? {
        Value::String(s) if !s.is_empty() => Some(s),
        _ => None,
    }
}

fn read_images(
    mut root: Value,
    items: Vec<Value>,
    response: &Response,
) -> Result<GenerationResult, ProviderError> {
    let list = pointer_name(&response.images);
    let fields = &response.image;
    let mut images = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let image = match item {
            Value::String(text) if !text.is_empty() => output_image(text),
            mut item @ Value::Object(_) => {
                let mut image = Image {
                    url: take_text(&mut item, &fields.url),
                    b64_json: take_text(&mut item, &fields.b64),
                    revised_prompt: take_text(&mut item, &fields.revised_prompt),
                };
                // A `data:` URL (OpenRouter's) is the image itself.
                if image.b64_json.is_none()
                    && image.url.as_deref().is_some_and(|u| u.starts_with("data:"))
                {
                    image.b64_json = image.url.take();
                }
                image
            }
            _ => {
                return Err(malformed(0, format!("{list}[{i}] is not an image object")));
            }
        };
        if image.url.is_none() && image.b64_json.is_none() {
            return Err(malformed(
                0,
                format!("{list}[{i}] has neither url nor b64_json"),
            ));
        }
        images.push(image);
    }
    let usage = response
        .usage
        .find(&root)
        .and_then(|u| u.as_object().map(read_usage));
    let Some(obj) = root.as_object_mut() else {
        return Ok(GenerationResult {
            images,
            usage,
            ..GenerationResult::default()
        });
    };
    let mut name = |key: &str| string_at(obj, key);
    let (size, quality, output_format, background) = (
        name("size"),
        name("quality"),
        name("output_format"),
        name("background"),
    );
    Ok(GenerationResult {
        created: obj.get("created").and_then(Value::as_i64),
        images,
        usage,
        size: size.and_then(|s| s.parse().ok()),
        quality: quality.and_then(|s| Quality::parse_name(&s).ok()),
        output_format: output_format.and_then(|s| OutputFormat::parse_name(&s).ok()),
        background: background.and_then(|s| Background::parse_name(&s).ok()),
    })
}

/// An image given as a bare string: a URL when it starts with `http://` or
/// `https://`, base64 otherwise (`data:` URLs included).
fn output_image(text: String) -> Image {
    if text.starts_with("https://") || text.starts_with("http://") {
        Image {
            url: Some(text),
            ..Image::default()
        }
    } else {
        Image {
            b64_json: Some(text),
            ..Image::default()
        }
    }
}

fn read_usage(o: &Map<String, Value>) -> Usage {
    let count = |o: &Map<String, Value>, key: &str| o.get(key).and_then(Value::as_u64);
    let details = |key: &str| o.get(key).and_then(Value::as_object);
    let input = details("input_tokens_details");
    let output = details("output_tokens_details");
    Usage {
        input_tokens: count(o, "input_tokens"),
        input_text_tokens: input.and_then(|d| count(d, "text_tokens")),
        input_image_tokens: input.and_then(|d| count(d, "image_tokens")),
        output_tokens: count(o, "output_tokens"),
        output_image_tokens: output.and_then(|d| count(d, "image_tokens")),
        output_text_tokens: output.and_then(|d| count(d, "text_tokens")),
        total_tokens: count(o, "total_tokens"),
    }
}

fn read_task(mut root: Value, spec: &TaskSpec) -> Result<TaskStatus, ProviderError> {
    let id = spec.id.text(&root).unwrap_or_default();
    let status = spec.status.text(&root).unwrap_or_default();
    if id.len() > MAX_TASK_ID_BYTES {
        return Err(malformed(
            0,
            format!("the task id is longer than {MAX_TASK_ID_BYTES} bytes"),
        ));
    }
    let listed = |list: &[String]| list.contains(&status);
    let state = if status.is_empty() {
        // Accepted, with no status yet.
        TaskState::Pending
    } else if listed(&spec.done) {
        TaskState::Done
    } else if listed(&spec.failed) {
        TaskState::Failed
    } else if listed(&spec.pending) {
        TaskState::Pending
    } else {
        let known: Vec<String> = spec
            .pending
            .iter()
            .chain(&spec.done)
            .chain(&spec.failed)
            .map(|s| format!("\"{s}\""))
            .collect();
        return Err(malformed(
            0,
            format!(
                "task status \"{}\" is not one of {}",
                excerpt(&status, 32),
                known.join(", ")
            ),
        ));
    };
    let outputs = match spec.outputs.as_ref().and_then(|p| p.take(&mut root)) {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    Value::String(s) => out.push(s),
                    _ => return Err(malformed(0, format!("outputs[{i}] is not a string"))),
                }
            }
            out
        }
        Some(_) => return Err(malformed(0, "the task's outputs is not an array")),
    };
    let text = |pointer: &Option<Pointer>| pointer.as_ref().and_then(|p| p.text(&root));
    Ok(TaskStatus {
        id,
        status,
        state,
        outputs,
        poll_url: text(&spec.poll_url),
        result_url: text(&spec.result_url),
        error: text(&spec.error).map(|e| short(&e)),
    })
}
