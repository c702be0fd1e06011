//! From a checked request to bytes on the wire and back, without doing any IO.
//!
//! - [`plan`] turns a request and a provider profile into the exact HTTP calls
//!   the provider expects ([`Plan`]): method, URL, headers (the key left as a
//!   placeholder) and the JSON body in the provider's own names and types, with
//!   `n` split across calls where the provider takes fewer per call.
//! - [`parse_response`] reads what comes back, whatever the provider's shape,
//!   into one [`Outcome`] or one typed [`ProviderError`].
//! - [`next_poll`] says what to `GET` next, and when, for providers that answer
//!   with a task to poll (WaveSpeed).
//!
//! Any HTTP client can drive these; the crate's own is behind the `http`
//! feature.
//!
//! ```
//! use gpt_image_plan::{builtin_profile, wire, ImageRequest};
//!
//! let mut req = ImageRequest::new("gpt-image-2", "a lighthouse at dusk");
//! req.n = Some(3);
//! let plan = wire::plan(&req, builtin_profile("infinityblue").unwrap());
//! assert_eq!(plan.calls.len(), 3); // one image per call at this provider
//! assert_eq!(plan.calls[0].url, "{BASE_URL}/v1/images/generations");
//! assert_eq!(
//!     plan.calls[0].body.as_deref(),
//!     Some(r#"{"model":"gpt-image-2","prompt":"a lighthouse at dusk","n":1}"#)
//! );
//! ```

mod encode;
mod plan;
mod poll;
mod response;
pub(crate) mod spec;

pub(crate) use encode::unencodable;
pub use encode::{EncodeError, SizeRequest, WireCall, encode_call, size_request};
pub(crate) use spec::placeholders;
pub use spec::{
    ErrorFields, ImageFields, LegacyShape, Pointer, RatioSize, SizeAs, SizeEncoding, TaskSpec,
    WireRequest,
};

pub use plan::{
    BASE_URL_PLACEHOLDER, Call, Header, MAX_CALLS, Method, Plan, SplitN, Unpriced, UnpricedReason,
    plan, plan_json, plan_json_on, plan_json_with_prices, plan_on, plan_with_prices, returned,
    split_n,
};
pub use poll::{PollPolicy, PollStep, next_poll, poll_call};
#[cfg(feature = "http")]
pub(crate) use response::decode_payload;
pub use response::{
    ErrorKind, GenerationResult, Image, MAX_BODY_BYTES, Outcome, ProviderError, TaskState,
    TaskStatus, Usage, parse_response, parse_retry_after,
};

/// Joins a base URL and a path with exactly one slash between them.
pub(crate) fn join_url(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// Percent-encodes one path segment: everything but RFC 3986 unreserved characters.
pub(crate) fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_url_puts_exactly_one_slash_between_base_and_path() {
        assert_eq!(
            join_url("https://a.example/", "/v1/x"),
            "https://a.example/v1/x"
        );
        assert_eq!(
            join_url("https://a.example", "v1/x"),
            "https://a.example/v1/x"
        );
        assert_eq!(
            join_url("https://a.example//", "/v1/x/"),
            "https://a.example/v1/x/"
        );
    }

    #[test]
    fn encode_segment_escapes_everything_but_unreserved_characters() {
        assert_eq!(encode_segment("gpt-image-1.5_x~"), "gpt-image-1.5_x~");
        assert_eq!(encode_segment("a/b?c d"), "a%2Fb%3Fc%20d");
        assert_eq!(encode_segment("é"), "%C3%A9");
    }
}
