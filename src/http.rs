//! The `http` feature: an async client that sends planned calls and returns
//! the images as bytes.
//!
//! It drives the sans-IO [`crate::wire`] module with reqwest (rustls, no
//! OpenSSL) on tokio:
//!
//! - split calls run in parallel, at most [`Config::max_concurrency`] at once;
//! - rate limits (429) and server errors (5xx) are retried with exponential
//!   backoff and jitter, waiting exactly `Retry-After` when the provider sends
//!   it (seconds form, or `retry-after-ms`); 4xx errors such as content-policy
//!   or validation failures are never retried, and neither is a `POST` that
//!   timed out (it may have been billed);
//! - every call has a timeout, and so has the whole generation;
//! - tasks (WaveSpeed) are polled per [`PollPolicy`] up to its cap;
//! - images come back as bytes, base64-decoded or downloaded from the returned
//!   URL (downloads retried like idempotent calls), each at most
//!   [`Config::max_image_bytes`] and all together at most
//!   [`Config::max_total_bytes`], or as files streamed into
//!   [`Config::spool_dir`];
//! - each call keeps at most the images it asked for (the rest are counted in
//!   [`Generation::surplus`]); fewer is an error unless the profile says the
//!   provider may return fewer;
//! - when some calls fail and others bring images, [`HttpError::Partial`]
//!   holds both: paid images are never dropped for another call's failure;
//! - [`Client::generate`] prices what came back ([`Generation::cost`]): the
//!   returned images, their sizes and the usage summed over the calls,
//!   reconciled with the reservation the plan's estimate gave.
//!
//! The key is a [`Secret`]: its `Debug` and `Display` are redacted, it is sent
//! only in the auth header and only to the base URL's origin (never to image
//! hosts), and it is scrubbed from response bodies before they are read and
//! cut into messages, and from every error. Keys shorter than
//! [`MIN_KEY_CHARS`] or holding a control character are refused. Plain `http`
//! is refused except for loopback addresses (`127.0.0.0/8`, `::1`,
//! `localhost`), and so is any URL with credentials (`user:password@`).
//!
//! Jitter needs no random-number crate: it hashes a process-wide counter with
//! the clock's nanoseconds (splitmix64). It only spreads retries apart; it is
//! not meant to be unpredictable.
//!
//! ```no_run
//! # async fn run() -> Result<(), gpt_image_plan::http::HttpError> {
//! use gpt_image_plan::http::{Client, Config};
//! use gpt_image_plan::{builtin_profile, ImageRequest};
//!
//! let profile = builtin_profile("openai").unwrap().clone();
//! let client = Client::from_env(profile, Config::default())?; // reads OPENAI_API_KEY
//! let generation = client.generate(&ImageRequest::new("gpt-image-2", "an otter")).await?;
//! std::fs::write("otter.png", &generation.images[0].bytes).unwrap();
//! # Ok(()) }
//! ```

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderName, HeaderValue};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::diag::Report;
use crate::params::OutputFormat;
use crate::price::{self, PriceError, PriceTable, Reconciled, Returned};
use crate::profile::Profile;
use crate::request::ImageRequest;
use crate::size::Size;
use crate::wire::{
    self, Call, GenerationResult, Method, Outcome, Plan, PollPolicy, PollStep, ProviderError,
    TaskStatus, Unpriced, UnpricedReason, Usage,
};

/// An API key. Its `Debug` and `Display` print `<redacted>`; the client is the
/// only code that reads it.
///
/// ```
/// use gpt_image_plan::http::Secret;
/// let key = Secret::new("sk-live-123");
/// assert_eq!(format!("{key} {key:?}"), "<redacted> Secret(<redacted>)");
/// ```
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a key.
    ///
    /// ```
    /// use gpt_image_plan::http::Secret;
    /// let key = Secret::new(String::from("sk-123"));
    /// assert_eq!(format!("{key:?}"), "Secret(<redacted>)");
    /// ```
    pub fn new(key: impl Into<String>) -> Self {
        Secret(key.into())
    }

    /// Reads a key from the environment variable `var`.
    ///
    /// # Errors
    /// [`HttpError::MissingKey`] when the variable is unset or empty;
    /// [`HttpError::BadKey`] when it is set but not Unicode.
    ///
    /// ```
    /// use gpt_image_plan::http::Secret;
    /// let err = Secret::from_env("GPT_IMAGE_PLAN_DOC_UNSET").unwrap_err();
    /// assert_eq!(err.to_string(), "no API key: set GPT_IMAGE_PLAN_DOC_UNSET or pass a key");
    /// ```
    pub fn from_env(var: &str) -> Result<Self, HttpError> {
        match std::env::var(var) {
            Ok(key) if !key.is_empty() => Ok(Secret(key)),
            Err(std::env::VarError::NotUnicode(_)) => Err(HttpError::BadKey {
                from: format!("in {var}"),
                problem: KeyProblem::NotUnicode,
            }),
            _ => Err(HttpError::MissingKey {
                env: var.to_owned(),
            }),
        }
    }

    fn expose(&self) -> &str {
        &self.0
    }

    /// Why the client refuses this key, if it does: shorter than
    /// [`MIN_KEY_CHARS`], or holding a control character (a header cannot
    /// carry one; it is usually a newline pasted with the key).
    fn problem(&self) -> Option<KeyProblem> {
        let chars = self.0.chars().count();
        if self.0.chars().any(char::is_control) {
            Some(KeyProblem::ControlCharacter)
        } else if chars < MIN_KEY_CHARS {
            Some(KeyProblem::TooShort { chars })
        } else {
            None
        }
    }

    /// Replaces every occurrence of the key in `text`, and a start of the key
    /// of [`MIN_KEY_CHARS`] or more left at the end of a text that was cut
    /// (`...`). Keys shorter than [`MIN_KEY_CHARS`] are never scrubbed: the
    /// client refuses them, as they would redact ordinary words.
    fn scrub(&self, text: &str) -> String {
        if self.0.chars().count() < MIN_KEY_CHARS {
            return text.to_owned();
        }
        let mut out = text.replace(&self.0, "<redacted>");
        if let Some(body) = out.strip_suffix("...") {
            let tail = (MIN_KEY_CHARS..self.0.len())
                .rev()
                .filter(|&len| self.0.is_char_boundary(len))
                .find(|&len| body.ends_with(&self.0[..len]));
            if let Some(len) = tail {
                out = format!("{}<redacted>...", &body[..body.len() - len]);
            }
        }
        out
    }

    /// Replaces every occurrence of the key in a body, before anything reads
    /// (and cuts) it.
    fn scrub_bytes(&self, body: Vec<u8>) -> Vec<u8> {
        let key = self.0.as_bytes();
        if self.0.chars().count() < MIN_KEY_CHARS || body.len() < key.len() {
            return body;
        }
        let Some(first) = body.windows(key.len()).position(|w| w == key) else {
            return body;
        };
        let mut out = Vec::with_capacity(body.len());
        out.extend_from_slice(&body[..first]);
        let mut rest = &body[first..];
        while !rest.is_empty() {
            if rest.starts_with(key) {
                out.extend_from_slice(b"<redacted>");
                rest = &rest[key.len()..];
            } else {
                out.push(rest[0]);
                rest = &rest[1..];
            }
        }
        out
    }
}

/// The shortest key the client accepts, in characters. Real keys are 20 or
/// more; a key of a few characters cannot be scrubbed from messages without
/// redacting ordinary words, so it is refused ([`HttpError::BadKey`]).
pub const MIN_KEY_CHARS: usize = 8;

/// What is wrong with a key ([`HttpError::BadKey`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyProblem {
    /// A control character, such as a newline pasted with the key.
    ControlCharacter,
    /// Not Unicode (an environment variable of raw bytes).
    NotUnicode,
    /// Shorter than [`MIN_KEY_CHARS`].
    TooShort {
        /// Its length in characters.
        chars: usize,
    },
}

impl fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyProblem::ControlCharacter => {
                f.write_str("contains a control character (a newline pasted with it?); remove it")
            }
            KeyProblem::NotUnicode => f.write_str("is set but is not valid UTF-8"),
            KeyProblem::TooShort { chars } => write!(
                f,
                "is {chars} characters long; keys under {MIN_KEY_CHARS} are refused, as they \
                 cannot be scrubbed from error messages"
            ),
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How the client behaves. The defaults suit real providers; tests shorten them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Overrides the profile's base URL (needed when the profile has none).
    pub base_url: Option<String>,
    /// The most calls of one split request in flight at once (0 is read as 1).
    pub max_concurrency: usize,
    /// Retries per call after the first try, on 429, 5xx and failed connections.
    pub max_retries: u32,
    /// The first backoff; it doubles per retry (with jitter)...
    pub backoff_base: Duration,
    /// ...up to this.
    pub backoff_max: Duration,
    /// A `Retry-After` longer than this is not waited for: the error is returned.
    pub max_retry_after: Duration,
    /// Each try of each call, body included.
    pub call_timeout: Duration,
    /// Everything: calls, retries, polls and downloads.
    pub overall_timeout: Duration,
    /// Polling of tasks.
    pub poll: PollPolicy,
    /// The largest API response body read.
    pub max_body_bytes: usize,
    /// The largest image, decoded or downloaded.
    pub max_image_bytes: usize,
    /// The most image bytes one generation keeps, all calls together.
    pub max_total_bytes: usize,
    /// When set, each image is written to a new file in this directory as
    /// it arrives (downloads are streamed, never held whole in memory), and
    /// [`GeneratedImage::path`] names it; its `bytes` are then empty. The
    /// files are named `.gpt-image-plan-PID-CALL-IMAGE.part`, created new
    /// (an existing file or link of that name is an error, never followed);
    /// rename them where they belong.
    pub spool_dir: Option<std::path::PathBuf>,
    /// The prices for plans' estimates and generations' costs; `None` is the
    /// built-in table ([`PriceTable::builtin`]).
    pub prices: Option<Arc<PriceTable>>,
}

impl Default for Config {
    /// 4 calls at once; 3 retries from 500 ms up to 30 s; Retry-After up to
    /// 120 s; 180 s per call and 600 s overall; 64 MiB bodies and images,
    /// 512 MiB of images per generation, kept in memory; the built-in prices.
    fn default() -> Self {
        Config {
            base_url: None,
            max_concurrency: 4,
            max_retries: 3,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            call_timeout: Duration::from_secs(180),
            overall_timeout: Duration::from_secs(600),
            poll: PollPolicy::default(),
            max_body_bytes: wire::MAX_BODY_BYTES,
            max_image_bytes: 64 * 1024 * 1024,
            max_total_bytes: 512 * 1024 * 1024,
            spool_dir: None,
            prices: None,
        }
    }
}

/// Why a generation did not complete. The key never appears in any of these.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The plan has errors; nothing was sent.
    #[error("the request is not valid here: {}", first_error(.0))]
    Invalid(Report),
    /// Neither the profile nor the config gives a base URL.
    #[error("profile {profile:?} has no base URL; set Config::base_url")]
    NoBaseUrl {
        /// The profile id.
        profile: String,
    },
    /// A URL the client will not use.
    #[error("url \"{url}\": {reason}")]
    RefusedUrl {
        /// The URL (cut to 200 characters).
        url: String,
        /// Why.
        reason: &'static str,
    },
    /// No key was given and the profile's environment variable is not set.
    #[error("no API key: set {env} or pass a key")]
    MissingKey {
        /// The variable named by the profile.
        env: String,
    },
    /// The key cannot be used ([`Secret`], [`MIN_KEY_CHARS`]).
    #[error("the API key {from} {problem}")]
    BadKey {
        /// Where it came from: `in OPENAI_API_KEY`, or `given`.
        from: String,
        /// What is wrong with it.
        problem: KeyProblem,
    },
    /// The provider refused or failed (after any retries).
    #[error("{0}")]
    Provider(ProviderError),
    /// A call returned fewer images than it asked for, at a provider whose
    /// profile does not say it may (`response.may_return_fewer`).
    #[error("the provider returned {got} of the {asked} images the call asked for")]
    TooFew {
        /// What the call asked for.
        asked: u32,
        /// What came back.
        got: usize,
    },
    /// Some calls or downloads failed and others succeeded: what succeeded
    /// is in [`Partial::generation`], what failed in [`Partial::failures`].
    #[error("{0}")]
    Partial(Box<Partial>),
    /// A call, a download or the whole generation took too long.
    #[error("{what} timed out after {}ms", .after.as_millis())]
    Timeout {
        /// `call`, `download` or `generation`.
        what: &'static str,
        /// The limit.
        after: Duration,
    },
    /// A body or an image above its cap.
    #[error("{what} is above the limit of {limit} bytes")]
    TooLarge {
        /// `response body`, `image` or `the generation's images`.
        what: &'static str,
        /// The cap.
        limit: usize,
    },
    /// A task was still running when the poll cap was reached.
    #[error("task \"{task}\" is still running after {polls} polls")]
    PollCap {
        /// The task id.
        task: String,
        /// Polls made.
        polls: u32,
    },
    /// A `b64_json` image is not base64.
    #[error("image {index}: b64_json is not base64 ({source})")]
    BadImage {
        /// The image's place in the result.
        index: usize,
        /// The decoding error.
        source: base64::DecodeError,
    },
    /// An image download answered with an error status.
    #[error("image download from \"{url}\" failed with HTTP {status}")]
    Download {
        /// The URL.
        url: String,
        /// The status.
        status: u16,
    },
    /// The request asks for streaming, which this client does not read.
    #[error("stream: true is not supported by this client; leave stream out or false")]
    StreamUnsupported,
    /// The connection failed, or the HTTP library failed.
    #[error("transport: {0}")]
    Transport(String),
    /// An image could not be written to [`Config::spool_dir`].
    #[error("{0}")]
    Spool(String),
}

fn first_error(report: &Report) -> String {
    report
        .errors()
        .next()
        .map_or_else(|| "the plan has no calls".to_owned(), |d| d.message.clone())
}

impl HttpError {
    fn scrubbed(self, key: &Secret) -> HttpError {
        match self {
            HttpError::Provider(mut e) => {
                e.message = key.scrub(&e.message);
                e.error_type = e.error_type.map(|t| key.scrub(&t));
                e.param = e.param.map(|t| key.scrub(&t));
                e.code = e.code.map(|t| key.scrub(&t));
                HttpError::Provider(e)
            }
            HttpError::Transport(text) => HttpError::Transport(key.scrub(&text)),
            HttpError::RefusedUrl { url, reason } => HttpError::RefusedUrl {
                url: key.scrub(&url),
                reason,
            },
            HttpError::Download { url, status } => HttpError::Download {
                url: key.scrub(&url),
                status,
            },
            HttpError::PollCap { task, polls } => HttpError::PollCap {
                task: key.scrub(&task),
                polls,
            },
            HttpError::Partial(mut partial) => {
                for failure in &mut partial.failures {
                    let error = std::mem::replace(&mut failure.error, HttpError::StreamUnsupported);
                    failure.error = error.scrubbed(key);
                }
                HttpError::Partial(partial)
            }
            other => other,
        }
    }

    /// The generation that came back despite the error: `Some` only for
    /// [`HttpError::Partial`].
    ///
    /// ```
    /// use gpt_image_plan::http::HttpError;
    /// assert!(HttpError::StreamUnsupported.into_partial().is_none());
    /// ```
    pub fn into_partial(self) -> Option<Box<Partial>> {
        match self {
            HttpError::Partial(partial) => Some(partial),
            _ => None,
        }
    }
}

/// A generation of which some calls or downloads failed.
#[derive(Debug)]
#[non_exhaustive]
pub struct Partial {
    /// What succeeded: its images are paid for; keep them.
    pub generation: Generation,
    /// What failed, in call order.
    pub failures: Vec<CallFailure>,
}

impl fmt::Display for Partial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let got = self.generation.images.len();
        write!(f, "partial: {got} image{} came back", plural(got))?;
        if let Some(asked) = self.generation.requested {
            write!(f, " of {asked} asked for")?;
        }
        let failed = self.failures.len();
        write!(f, "; {failed} failure{}", plural(failed))?;
        if let Some(first) = self.failures.first() {
            write!(f, ", first: call {}: {}", first.call + 1, first.error)?;
        }
        Ok(())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// One call's failure in a [`Partial`] generation.
#[derive(Debug)]
#[non_exhaustive]
pub struct CallFailure {
    /// The call's place in the plan, from 0.
    pub call: usize,
    /// What went wrong.
    pub error: HttpError,
}

/// Where an image's bytes came from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageSource {
    /// Decoded from `b64_json`.
    Base64,
    /// Downloaded from this URL.
    Url(String),
}

/// One finished image.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GeneratedImage {
    /// The file's bytes; empty when the image was written to
    /// [`path`](GeneratedImage::path).
    pub bytes: Vec<u8>,
    /// The file the image was written to, with [`Config::spool_dir`].
    pub path: Option<std::path::PathBuf>,
    /// Its length in bytes.
    pub len: usize,
    /// Where they came from.
    pub source: ImageSource,
    /// The prompt the model used, when the provider says.
    pub revised_prompt: Option<String>,
    /// The size, when the provider says (it may break the request rule).
    pub size: Option<Size>,
    /// The file format, when the provider says.
    pub output_format: Option<OutputFormat>,
}

impl fmt::Debug for GeneratedImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedImage")
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("path", &self.path)
            .field("len", &self.len)
            .field("source", &self.source)
            .field("revised_prompt", &self.revised_prompt)
            .field("size", &self.size)
            .field("output_format", &self.output_format)
            .finish()
    }
}

/// What a generation produced.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Generation {
    /// The images, in call order: at most what each call asked for. There
    /// may be fewer only at a provider whose profile says so
    /// (`response.may_return_fewer`, seed 001); otherwise a short answer is
    /// an error ([`HttpError::TooFew`], in a [`Partial`] when other images came).
    pub images: Vec<GeneratedImage>,
    /// Images returned beyond what their call asked for: neither downloaded
    /// nor decoded, only counted.
    pub surplus: u32,
    /// How many images the plan asked for, when it said.
    pub requested: Option<u32>,
    /// Token usage summed over the calls, when any call reported it.
    pub usage: Option<Usage>,
    /// The calls sent (first tries).
    pub calls: u32,
    /// Retries sent after failed tries.
    pub retries: u32,
    /// Polls sent.
    pub polls: u32,
    /// The plan's warnings.
    pub report: Report,
    /// What came back, as billing sees it ([`wire::returned`] of the calls'
    /// results): the images, their sizes, the quality, and the usage summed
    /// over the calls when every call reported one.
    pub returned: Returned,
    /// What the generation cost ([`price::reconcile`] of `returned`), with
    /// the reservation the plan's estimate gave (`reserved`) and
    /// `reserved - cost` (`difference`). `None` when it cannot be priced, and
    /// then [`unpriced`](Generation::unpriced) says why.
    pub cost: Option<Reconciled>,
    /// Why there is no cost; `None` when there is one.
    pub unpriced: Option<Unpriced>,
}

/// An async client for one provider profile.
///
/// ```no_run
/// # async fn run() -> Result<(), gpt_image_plan::http::HttpError> {
/// use gpt_image_plan::http::{Client, Config, Secret};
/// use gpt_image_plan::{builtin_profile, ImageRequest};
///
/// let profile = builtin_profile("uniall").unwrap().clone();
/// let config = Config { base_url: Some("https://uniall.example".into()), ..Config::default() };
/// let client = Client::new(profile, Secret::new("sk-..."), config)?;
/// let mut req = ImageRequest::new("gpt-image-2-origin", "an otter");
/// req.size = Some("1024x1024".parse().unwrap());
/// let generation = client.generate(&req).await?;
/// println!("{} images", generation.images.len());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("profile", &self.inner.profile.id)
            .field("base", &self.inner.base.as_str())
            .field("key", &self.inner.key)
            .field("config", &self.inner.config)
            .finish()
    }
}

struct Inner {
    http: reqwest::Client,
    profile: Profile,
    base: Url,
    key: Secret,
    config: Config,
}

impl Client {
    /// A client for `profile` with `key`.
    ///
    /// # Errors
    /// [`HttpError::NoBaseUrl`] when neither the config nor the profile gives a
    /// base URL; [`HttpError::RefusedUrl`] when it is not `https` (or `http` to
    /// a loopback address) or carries credentials (`user:password@`);
    /// [`HttpError::BadKey`] when the key is shorter than [`MIN_KEY_CHARS`] or
    /// holds a control character; [`HttpError::Transport`] when the TLS stack
    /// cannot start.
    ///
    /// ```
    /// use gpt_image_plan::http::{Client, Config, Secret, HttpError};
    /// use gpt_image_plan::builtin_profile;
    /// let profile = builtin_profile("openai").unwrap().clone();
    /// let config = Config { base_url: Some("http://api.example".into()), ..Config::default() };
    /// let err = Client::new(profile, Secret::new("sk-12345678"), config).unwrap_err();
    /// assert!(matches!(err, HttpError::RefusedUrl { .. }));
    /// ```
    pub fn new(profile: Profile, key: Secret, config: Config) -> Result<Client, HttpError> {
        Client::with_key_from(profile, key, config, "given")
    }

    fn with_key_from(
        mut profile: Profile,
        key: Secret,
        config: Config,
        from: &str,
    ) -> Result<Client, HttpError> {
        if let Some(problem) = key.problem() {
            return Err(HttpError::BadKey {
                from: from.to_owned(),
                problem,
            });
        }
        let base_text = config
            .base_url
            .clone()
            .or_else(|| profile.base_url.clone())
            .ok_or_else(|| HttpError::NoBaseUrl {
                profile: profile.id.clone(),
            })?;
        let base = check_url(&base_text)?;
        profile.base_url = Some(base_text);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.call_timeout)
            .build()
            .map_err(|e| HttpError::Transport(error_chain(&e)))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                profile,
                base,
                key,
                config,
            }),
        })
    }

    /// A client whose key comes from the environment variable the profile
    /// names (`profile.auth.env`, such as `OPENAI_API_KEY`).
    ///
    /// # Errors
    /// [`HttpError::MissingKey`] when the variable is not set, and the errors
    /// of [`Secret::from_env`] and [`Client::new`].
    ///
    /// ```
    /// use gpt_image_plan::http::{Client, Config};
    /// let mut profile = gpt_image_plan::builtin_profile("openai").unwrap().clone();
    /// profile.auth.env = "GPT_IMAGE_PLAN_DOC_KEY_UNSET".into();
    /// let err = Client::from_env(profile, Config::default()).unwrap_err();
    /// assert_eq!(err.to_string(), "no API key: set GPT_IMAGE_PLAN_DOC_KEY_UNSET or pass a key");
    /// ```
    pub fn from_env(profile: Profile, config: Config) -> Result<Client, HttpError> {
        let key = Secret::from_env(&profile.auth.env)?;
        let from = format!("in {}", profile.auth.env);
        Client::with_key_from(profile, key, config, &from)
    }

    /// The profile, with the base URL in use.
    ///
    /// ```
    /// use gpt_image_plan::http::{Client, Config, Secret};
    /// let profile = gpt_image_plan::builtin_profile("enum-sizes").unwrap().clone();
    /// let config = Config { base_url: Some("https://gateway.example".into()), ..Config::default() };
    /// let client = Client::new(profile, Secret::new("sk-12345678"), config).unwrap();
    /// assert_eq!(client.profile().base_url.as_deref(), Some("https://gateway.example"));
    /// ```
    pub fn profile(&self) -> &Profile {
        &self.inner.profile
    }

    /// Plans `request` against this client's profile and base URL.
    ///
    /// ```
    /// use gpt_image_plan::http::{Client, Config, Secret};
    /// let profile = gpt_image_plan::builtin_profile("enum-sizes").unwrap().clone();
    /// let config = Config { base_url: Some("https://gateway.example".into()), ..Config::default() };
    /// let client = Client::new(profile, Secret::new("sk-12345678"), config).unwrap();
    /// let plan = client.plan(&gpt_image_plan::ImageRequest::new("gpt-image-2", "an otter"));
    /// assert_eq!(plan.calls[0].url, "https://gateway.example/v1/images/generations");
    /// ```
    pub fn plan(&self, request: &ImageRequest) -> Plan {
        wire::plan_with_prices(request, &self.inner.profile, self.inner.prices())
    }

    /// Prices what a generation returned for `request`, with this client's
    /// profile and prices: [`price::reconcile`] of [`Generation::returned`].
    /// [`Client::generate`] does this itself; a generation from
    /// [`Client::execute`] needs it.
    ///
    /// # Errors
    /// As [`price::reconcile`]: no price for the provider and model, or a
    /// request that does not resolve.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use gpt_image_plan::http::{Client, Config};
    /// use gpt_image_plan::ImageRequest;
    /// let client = Client::from_env(gpt_image_plan::builtin_profile("openai").unwrap().clone(), Config::default())?;
    /// let request = ImageRequest::new("gpt-image-2", "an otter");
    /// let plan = client.plan(&request);
    /// let generation = client.execute(&plan).await?;
    /// let cost = client.reconcile(&request, &generation)?;
    /// println!("{} {} ({} released)", cost.cost.max, cost.currency, cost.difference.min);
    /// # Ok(()) }
    /// ```
    pub fn reconcile(
        &self,
        request: &ImageRequest,
        generation: &Generation,
    ) -> Result<Reconciled, PriceError> {
        price::reconcile(
            request,
            &self.inner.profile,
            self.inner.prices(),
            &generation.returned,
        )
    }

    /// Plans and executes `request`, and prices what came back
    /// ([`Generation::cost`]).
    ///
    /// # Errors
    /// See [`Client::execute`].
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), gpt_image_plan::http::HttpError> {
    /// use gpt_image_plan::http::{Client, Config};
    /// let client = Client::from_env(gpt_image_plan::builtin_profile("openai").unwrap().clone(), Config::default())?;
    /// let generation = client.generate(&gpt_image_plan::ImageRequest::new("gpt-image-2", "an otter")).await?;
    /// assert!(!generation.images.is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn generate(&self, request: &ImageRequest) -> Result<Generation, HttpError> {
        if request.param("stream") == Some(&crate::ParamValue::Bool(true)) {
            return Err(HttpError::StreamUnsupported);
        }
        let plan = self.plan(request);
        match self.execute(&plan).await {
            Ok(mut generation) => {
                self.price(request, &mut generation);
                Ok(generation)
            }
            Err(HttpError::Partial(mut partial)) => {
                self.price(request, &mut partial.generation);
                Err(HttpError::Partial(partial))
            }
            Err(e) => Err(e),
        }
    }

    fn price(&self, request: &ImageRequest, generation: &mut Generation) {
        match self.reconcile(request, generation) {
            Ok(cost) => {
                generation.cost = Some(cost);
                generation.unpriced = None;
            }
            Err(e) => {
                generation.cost = None;
                generation.unpriced = Some(Unpriced::from_error(&e));
            }
        }
    }

    /// Sends a plan's calls (in parallel, bounded), polls tasks, and returns
    /// the images as bytes (or files, with [`Config::spool_dir`]).
    ///
    /// Calls go to this client's base URL whatever base the plan was made with.
    /// Each call keeps at most the images it asked for (the rest are counted in
    /// [`Generation::surplus`], not fetched); all images together are capped by
    /// [`Config::max_total_bytes`]. Downloads are retried like the calls.
    ///
    /// A plan does not hold its request, so the generation is not priced:
    /// its [`unpriced`](Generation::unpriced) is the plan's own reason when
    /// it has one, otherwise [`UnpricedReason::NoRequest`]; price it with
    /// [`Client::reconcile`] (or use [`Client::generate`]).
    ///
    /// # Errors
    /// [`HttpError::Invalid`] when the plan has errors (nothing is sent).
    /// Every call runs to its end; when some failed and images came back
    /// anyway, [`HttpError::Partial`] holds both. When nothing came back, the
    /// first failure: [`HttpError::Provider`] after retries,
    /// [`HttpError::Timeout`], [`HttpError::TooLarge`], [`HttpError::TooFew`],
    /// [`HttpError::PollCap`], [`HttpError::BadImage`], [`HttpError::Download`],
    /// [`HttpError::RefusedUrl`], [`HttpError::Transport`].
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), gpt_image_plan::http::HttpError> {
    /// use gpt_image_plan::http::{Client, Config};
    /// let client = Client::from_env(gpt_image_plan::builtin_profile("openai").unwrap().clone(), Config::default())?;
    /// let plan = client.plan(&gpt_image_plan::ImageRequest::new("gpt-image-2", "an otter"));
    /// for warning in plan.report.warnings() {
    ///     eprintln!("{warning}");
    /// }
    /// let generation = client.execute(&plan).await?;
    /// println!("{} images, {} retries", generation.images.len(), generation.retries);
    /// # Ok(()) }
    /// ```
    pub async fn execute(&self, plan: &Plan) -> Result<Generation, HttpError> {
        if !plan.is_ready() {
            return Err(HttpError::Invalid(plan.report.clone()));
        }
        if plan.calls.iter().any(asks_to_stream) {
            return Err(HttpError::StreamUnsupported);
        }
        self.run_all(plan)
            .await
            .map_err(|e| e.scrubbed(&self.inner.key))
    }

    async fn run_all(&self, plan: &Plan) -> Result<Generation, HttpError> {
        let overall = self.inner.config.overall_timeout;
        let deadline = tokio::time::Instant::now() + overall;
        let permits = self
            .inner
            .config
            .max_concurrency
            .clamp(1, plan.calls.len().max(1));
        let limit = Arc::new(Semaphore::new(permits));
        let run = Arc::new(RunState {
            bytes: AtomicUsize::new(0),
            split: plan.calls.len() > 1,
        });
        let mut set = JoinSet::new();
        for (index, call) in plan.calls.iter().cloned().enumerate() {
            let inner = Arc::clone(&self.inner);
            let limit = Arc::clone(&limit);
            let run = Arc::clone(&run);
            set.spawn(async move {
                let Ok(_permit) = limit.acquire_owned().await else {
                    return (
                        index,
                        Err(HttpError::Transport("the call queue closed".into())),
                    );
                };
                (index, inner.run_call(index, call, &run).await)
            });
        }
        let mut outputs: Vec<Option<CallOutput>> = plan.calls.iter().map(|_| None).collect();
        let mut failures = Vec::new();
        loop {
            let joined = match tokio::time::timeout_at(deadline, set.join_next()).await {
                Ok(Some(joined)) => joined,
                Ok(None) => break,
                Err(_) => {
                    // Keep what finished; every call still running failed.
                    set.abort_all();
                    for (index, slot) in outputs.iter().enumerate() {
                        let failed = failures.iter().any(|f: &CallFailure| f.call == index);
                        if slot.is_none() && !failed {
                            failures.push(CallFailure {
                                call: index,
                                error: HttpError::Timeout {
                                    what: "generation",
                                    after: overall,
                                },
                            });
                        }
                    }
                    break;
                }
            };
            let (index, output) = match joined {
                Ok(pair) => pair,
                Err(e) => {
                    return Err(HttpError::Transport(format!("a call task failed: {e}")));
                }
            };
            match output {
                Ok(mut output) => {
                    if let Some(error) = output.failure.take() {
                        failures.push(CallFailure { call: index, error });
                    }
                    if let Some(slot) = outputs.get_mut(index) {
                        *slot = Some(output);
                    }
                }
                Err(error) => failures.push(CallFailure { call: index, error }),
            }
        }
        failures.sort_by_key(|f| f.call);
        let mut generation = Generation {
            images: Vec::new(),
            surplus: 0,
            requested: plan.images(),
            usage: None,
            calls: u32::try_from(plan.calls.len()).unwrap_or(u32::MAX),
            retries: 0,
            polls: 0,
            report: plan.report.clone(),
            returned: Returned::default(),
            cost: None,
            unpriced: Some(plan.unpriced.clone().unwrap_or_else(|| {
                Unpriced::new(
                    UnpricedReason::NoRequest,
                    "a plan does not hold its request: price the generation with Client::reconcile",
                )
            })),
        };
        let mut results = Vec::with_capacity(outputs.len());
        for output in outputs.into_iter().flatten() {
            results.push(output.result);
            generation.images.extend(output.images);
            generation.surplus = generation.surplus.saturating_add(output.surplus);
            generation.retries = generation.retries.saturating_add(output.retries);
            generation.polls = generation.polls.saturating_add(output.polls);
            generation.usage = match (generation.usage, output.usage) {
                (Some(a), Some(b)) => Some(a.add(&b)),
                (a, b) => a.or(b),
            };
        }
        generation.returned = wire::returned(&results);
        if failures.is_empty() {
            Ok(generation)
        } else if generation.images.is_empty() {
            Err(failures.swap_remove(0).error)
        } else {
            Err(HttpError::Partial(Box::new(Partial {
                generation,
                failures,
            })))
        }
    }
}

/// What the calls of one generation share.
struct RunState {
    /// Image bytes kept so far, against [`Config::max_total_bytes`].
    bytes: AtomicUsize,
    /// Whether the plan has more than one call: then `Retry-After` waits get
    /// jitter, so the calls do not all retry at the same instant.
    split: bool,
}

fn asks_to_stream(call: &Call) -> bool {
    call.body
        .as_deref()
        .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
        .is_some_and(|v| v.get("stream") == Some(&serde_json::Value::Bool(true)))
}

struct CallOutput {
    images: Vec<GeneratedImage>,
    /// The call's result without the image data, for billing.
    result: GenerationResult,
    usage: Option<Usage>,
    surplus: u32,
    retries: u32,
    polls: u32,
    /// What failed after the call itself succeeded: a short answer, or an
    /// image that could not be fetched (the others are kept).
    failure: Option<HttpError>,
}

/// A response read off the wire, body capped.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Inner {
    fn prices(&self) -> &PriceTable {
        self.config
            .prices
            .as_deref()
            .unwrap_or_else(|| PriceTable::builtin())
    }

    async fn run_call(
        &self,
        index: usize,
        call: Call,
        run: &RunState,
    ) -> Result<CallOutput, HttpError> {
        let mut retries = 0;
        let mut polls = 0;
        let outcome = self
            .send_with_retries(&call, false, run, &mut retries)
            .await?;
        let mut result = match outcome {
            Outcome::Images(result) => result,
            Outcome::Task(task) => self.poll(task, run, &mut retries, &mut polls).await?,
        };
        // A call with no `n` asks for the provider's default, one image.
        let asked = call.n.unwrap_or(1);
        let keep = usize::try_from(asked).unwrap_or(usize::MAX);
        let surplus = result.images.len().saturating_sub(keep);
        result.images.truncate(keep);
        let mut failure = None;
        if result.images.len() < keep && !self.profile.response.may_return_fewer {
            failure = Some(HttpError::TooFew {
                asked,
                got: result.images.len(),
            });
        }
        let (images, image_failure) = self.materialize(index, &result, run, &mut retries).await;
        if failure.is_none() {
            failure = image_failure;
        }
        if images.is_empty() {
            if let Some(error) = failure {
                return Err(error);
            }
        }
        let usage = result.usage;
        for image in &mut result.images {
            image.b64_json = None;
        }
        Ok(CallOutput {
            images,
            result,
            usage,
            surplus: u32::try_from(surplus).unwrap_or(u32::MAX),
            retries,
            polls,
            failure,
        })
    }

    async fn poll(
        &self,
        mut task: TaskStatus,
        run: &RunState,
        retries: &mut u32,
        polls: &mut u32,
    ) -> Result<GenerationResult, HttpError> {
        loop {
            match wire::next_poll(&self.profile, &task, *polls, &self.config.poll) {
                PollStep::Done(result) => return Ok(result),
                PollStep::Failed(e) => return Err(HttpError::Provider(e)),
                PollStep::GiveUp { polls } => {
                    return Err(HttpError::PollCap {
                        task: task.id.clone(),
                        polls,
                    });
                }
                PollStep::Wait { after, call } => {
                    tokio::time::sleep(after).await;
                    *polls = polls.saturating_add(1);
                    match self.send_with_retries(&call, true, run, retries).await? {
                        Outcome::Task(next) => task = next.after(&task),
                        Outcome::Images(result) => return Ok(result),
                    }
                }
            }
        }
    }

    /// Sends one call, retrying rate limits, server errors and failed
    /// connections (and, for idempotent calls, timeouts).
    async fn send_with_retries(
        &self,
        call: &Call,
        idempotent: bool,
        run: &RunState,
        retries: &mut u32,
    ) -> Result<Outcome, HttpError> {
        let mut attempt: u32 = 0;
        loop {
            let wait = match self.send(call).await {
                Ok(raw) => {
                    let headers: Vec<(&str, &str)> = raw
                        .headers
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    match wire::parse_response(
                        &self.profile.response,
                        raw.status,
                        &headers,
                        &raw.body,
                    ) {
                        Ok(outcome) => return Ok(outcome),
                        Err(e) if e.is_retryable() && attempt < self.config.max_retries => {
                            match e.retry_after {
                                Some(after) if after > self.config.max_retry_after => {
                                    return Err(HttpError::Provider(e));
                                }
                                Some(after) if run.split => after.saturating_add(spread(after)),
                                Some(after) => after,
                                None => self.backoff(attempt),
                            }
                        }
                        Err(e) => return Err(HttpError::Provider(e)),
                    }
                }
                Err(SendError::Connect(_)) if attempt < self.config.max_retries => {
                    self.backoff(attempt)
                }
                Err(SendError::Timeout) if idempotent && attempt < self.config.max_retries => {
                    self.backoff(attempt)
                }
                Err(e) => return Err(e.into_http(self.config.call_timeout)),
            };
            tokio::time::sleep(wait).await;
            attempt += 1;
            *retries = retries.saturating_add(1);
        }
    }

    /// Exponential backoff with equal jitter: half the step, plus up to another half.
    fn backoff(&self, attempt: u32) -> Duration {
        let step = self
            .config
            .backoff_base
            .saturating_mul(1u32 << attempt.min(20))
            .min(self.config.backoff_max);
        let half = step / 2;
        let extra = Duration::try_from_secs_f64(half.as_secs_f64() * jitter()).unwrap_or(half);
        half.saturating_add(extra.min(half))
    }

    /// A URL refused, shown scrubbed of the key and of any credentials
    /// before it is cut.
    fn refused(&self, url: &str, reason: &'static str) -> HttpError {
        refused(&self.key.scrub(url), reason)
    }

    fn check_url(&self, text: &str) -> Result<Url, HttpError> {
        check_url(text).map_err(|e| match e {
            HttpError::RefusedUrl { reason, .. } => self.refused(text, reason),
            other => other,
        })
    }

    fn url_for(&self, call: &Call) -> Result<Url, HttpError> {
        match &call.path {
            Some(path) => {
                let url = wire::join_url(self.base.as_str(), path);
                Url::parse(&url).map_err(|_| self.refused(&url, "not a valid URL"))
            }
            None => {
                let url = self.check_url(&call.url)?;
                if url.origin() != self.base.origin() {
                    return Err(self.refused(
                        &call.url,
                        "not on the base URL's origin; the key is sent nowhere else",
                    ));
                }
                Ok(url)
            }
        }
    }

    async fn send(&self, call: &Call) -> Result<Raw, SendError> {
        let url = self.url_for(call).map_err(SendError::Other)?;
        let method = match call.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut builder = self.http.request(method, url);
        for header in &call.headers {
            let value = if header.secret {
                match &self.profile.auth.scheme {
                    Some(scheme) => format!("{scheme} {}", self.key.expose()),
                    None => self.key.expose().to_owned(),
                }
            } else {
                header.value.clone()
            };
            let name = HeaderName::from_bytes(header.name.as_bytes()).map_err(|_| {
                SendError::Other(HttpError::Transport(format!(
                    "header name {:?} is not valid",
                    header.name
                )))
            })?;
            let mut value = HeaderValue::from_str(&value).map_err(|_| {
                SendError::Other(HttpError::Transport(format!(
                    "the value of header {:?} is not valid",
                    header.name
                )))
            })?;
            value.set_sensitive(header.secret);
            builder = builder.header(name, value);
        }
        if let Some(body) = &call.body {
            builder = builder.body(body.clone());
        }
        let timeout = self.config.call_timeout;
        let cap = self.config.max_body_bytes;
        let exchange = async {
            let response = builder.send().await.map_err(SendError::from_reqwest)?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .filter_map(|(k, v)| {
                    Some((k.as_str().to_owned(), self.key.scrub(v.to_str().ok()?)))
                })
                .collect();
            let body = read_capped(response, cap, "response body").await?;
            // Before the body is read and cut into messages, so no part of
            // the key survives a cut.
            let body = self.key.scrub_bytes(body);
            Ok(Raw {
                status,
                headers,
                body,
            })
        };
        match tokio::time::timeout(timeout, exchange).await {
            Ok(result) => result,
            Err(_) => Err(SendError::Timeout),
        }
    }

    /// Turns a result's images into bytes or files; an image that fails
    /// stops the rest of this call's images, and the ones done are kept.
    async fn materialize(
        &self,
        call: usize,
        result: &GenerationResult,
        run: &RunState,
        retries: &mut u32,
    ) -> (Vec<GeneratedImage>, Option<HttpError>) {
        let mut out = Vec::with_capacity(result.images.len());
        for (index, image) in result.images.iter().enumerate() {
            let fetched = if let Some(b64) = image.base64_payload() {
                self.decode(index, b64, run, self.spool_path(call, index))
                    .map(|data| (data, ImageSource::Base64))
            } else if let Some(url) = &image.url {
                self.download(url, run, self.spool_path(call, index), retries)
                    .await
                    .map(|data| (data, ImageSource::Url(url.clone())))
            } else {
                continue;
            };
            let ((bytes, path, len), source) = match fetched {
                Ok(done) => done,
                Err(e) => return (out, Some(e)),
            };
            out.push(GeneratedImage {
                bytes,
                path,
                len,
                source,
                revised_prompt: image.revised_prompt.clone(),
                size: result.size,
                output_format: result.output_format,
            });
        }
        (out, None)
    }

    fn spool_path(&self, call: usize, index: usize) -> Option<PathBuf> {
        let dir = self.config.spool_dir.as_ref()?;
        Some(dir.join(format!(
            ".gpt-image-plan-{}-{}-{}.part",
            std::process::id(),
            call + 1,
            index + 1
        )))
    }

    /// Counts `len` more bytes against the generation's cap.
    fn take_bytes(&self, run: &RunState, len: usize) -> Result<(), HttpError> {
        let limit = self.config.max_total_bytes;
        let before = run.bytes.fetch_add(len, Ordering::SeqCst);
        if before.saturating_add(len) > limit {
            return Err(HttpError::TooLarge {
                what: "the generation's images",
                limit,
            });
        }
        Ok(())
    }

    fn decode(
        &self,
        index: usize,
        b64: &str,
        run: &RunState,
        spool: Option<PathBuf>,
    ) -> Result<ImageData, HttpError> {
        // Four base64 characters carry three bytes.
        if b64.len() / 4 * 3 > self.config.max_image_bytes {
            return Err(HttpError::TooLarge {
                what: "image",
                limit: self.config.max_image_bytes,
            });
        }
        let bytes =
            wire::decode_payload(b64).map_err(|source| HttpError::BadImage { index, source })?;
        self.take_bytes(run, bytes.len())?;
        let len = bytes.len();
        match spool {
            Some(path) => {
                let mut file = Spool::create(&path)?;
                file.write(&bytes)?;
                Ok((Vec::new(), Some(file.finish()), len))
            }
            None => Ok((bytes, None, len)),
        }
    }

    /// Downloads an image without the key, capped and timed, retrying like an
    /// idempotent call (429, 5xx, failed connections, timeouts).
    async fn download(
        &self,
        url: &str,
        run: &RunState,
        spool: Option<PathBuf>,
        retries: &mut u32,
    ) -> Result<ImageData, HttpError> {
        let parsed = self.check_url(url)?;
        let mut attempt: u32 = 0;
        loop {
            let error = match self
                .download_once(&parsed, url, run, spool.as_deref())
                .await
            {
                Ok(data) => return Ok(data),
                Err(e) => e,
            };
            let retryable = match &error {
                DownloadError::Status(status) => *status == 429 || *status >= 500,
                DownloadError::Connect | DownloadError::Timeout => true,
                DownloadError::Other(_) => false,
            };
            if !retryable || attempt >= self.config.max_retries {
                return Err(match error {
                    DownloadError::Status(status) => HttpError::Download {
                        url: shorten(&self.key.scrub(url)),
                        status,
                    },
                    DownloadError::Connect => HttpError::Transport(format!(
                        "image download from \"{}\": the connection failed",
                        shorten(&self.key.scrub(url))
                    )),
                    DownloadError::Timeout => HttpError::Timeout {
                        what: "download",
                        after: self.config.call_timeout,
                    },
                    DownloadError::Other(e) => e,
                });
            }
            tokio::time::sleep(self.backoff(attempt)).await;
            attempt += 1;
            *retries = retries.saturating_add(1);
        }
    }

    async fn download_once(
        &self,
        parsed: &Url,
        url: &str,
        run: &RunState,
        spool: Option<&std::path::Path>,
    ) -> Result<ImageData, DownloadError> {
        let _ = url;
        let timeout = self.config.call_timeout;
        let cap = self.config.max_image_bytes;
        let fetch = async {
            let mut response = self
                .http
                .get(parsed.clone())
                .send()
                .await
                .map_err(DownloadError::from_reqwest)?;
            let status = response.status().as_u16();
            if !(200..300).contains(&status) {
                return Err(DownloadError::Status(status));
            }
            let too_large = || {
                DownloadError::Other(HttpError::TooLarge {
                    what: "image",
                    limit: cap,
                })
            };
            if response
                .content_length()
                .is_some_and(|len| len > u64::try_from(cap).unwrap_or(u64::MAX))
            {
                return Err(too_large());
            }
            let mut file = match spool {
                Some(path) => Some(Spool::create(path).map_err(DownloadError::Other)?),
                None => None,
            };
            let mut bytes = Vec::new();
            let mut len = 0usize;
            let mut counted = 0usize;
            let result = async {
                while let Some(chunk) = response
                    .chunk()
                    .await
                    .map_err(DownloadError::from_reqwest)?
                {
                    len = len.saturating_add(chunk.len());
                    if len > cap {
                        return Err(too_large());
                    }
                    self.take_bytes(run, chunk.len())
                        .map_err(DownloadError::Other)?;
                    counted += chunk.len();
                    match &mut file {
                        Some(file) => file.write(&chunk).map_err(DownloadError::Other)?,
                        None => bytes.extend_from_slice(&chunk),
                    }
                }
                Ok(())
            }
            .await;
            if let Err(e) = result {
                // A failed try gives its bytes back to the cap and leaves no file.
                run.bytes.fetch_sub(counted, Ordering::SeqCst);
                drop(file);
                return Err(e);
            }
            Ok((bytes, file.map(Spool::finish), len))
        };
        match tokio::time::timeout(timeout, fetch).await {
            Ok(result) => result,
            Err(_) => Err(DownloadError::Timeout),
        }
    }
}

/// An image's bytes (empty when spooled), its file, and its length.
type ImageData = (Vec<u8>, Option<PathBuf>, usize);

/// A file being written with an image, created new (never an existing file
/// or link); removed when dropped unfinished (a failed or aborted download).
struct Spool {
    file: std::fs::File,
    path: PathBuf,
    done: bool,
}

impl Spool {
    fn create(path: &std::path::Path) -> Result<Spool, HttpError> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| spool_error(path, &e))?;
        Ok(Spool {
            file,
            path: path.to_owned(),
            done: false,
        })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), HttpError> {
        use std::io::Write as _;
        self.file
            .write_all(bytes)
            .map_err(|e| spool_error(&self.path, &e))
    }

    fn finish(mut self) -> PathBuf {
        self.done = true;
        self.path.clone()
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn spool_error(path: &std::path::Path, e: &std::io::Error) -> HttpError {
    HttpError::Spool(format!("cannot write {}: {e}", path.display()))
}

enum DownloadError {
    Status(u16),
    Connect,
    Timeout,
    Other(HttpError),
}

impl DownloadError {
    fn from_reqwest(e: reqwest::Error) -> DownloadError {
        if e.is_timeout() {
            DownloadError::Timeout
        } else if e.is_connect() {
            DownloadError::Connect
        } else {
            DownloadError::Other(HttpError::Transport(error_chain(&e)))
        }
    }
}

enum SendError {
    Connect(String),
    Timeout,
    Other(HttpError),
}

impl SendError {
    fn from_reqwest(e: reqwest::Error) -> SendError {
        if e.is_timeout() {
            SendError::Timeout
        } else if e.is_connect() {
            SendError::Connect(error_chain(&e))
        } else {
            SendError::Other(HttpError::Transport(error_chain(&e)))
        }
    }

    fn into_http(self, timeout: Duration) -> HttpError {
        match self {
            SendError::Connect(text) => HttpError::Transport(text),
            SendError::Timeout => HttpError::Timeout {
                what: "call",
                after: timeout,
            },
            SendError::Other(e) => e,
        }
    }
}

/// Reads a body chunk by chunk, refusing it as soon as it passes `cap`.
async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
    what: &'static str,
) -> Result<Vec<u8>, SendError> {
    let too_large = || SendError::Other(HttpError::TooLarge { what, limit: cap });
    if response
        .content_length()
        .is_some_and(|len| len > u64::try_from(cap).unwrap_or(u64::MAX))
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(SendError::from_reqwest)? {
        if body.len().saturating_add(chunk.len()) > cap {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The error and its causes, joined; reqwest's own message alone is vague.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A URL for a message: any `user:password@` replaced, then cut to 200
/// characters.
fn shorten(url: &str) -> String {
    let shown = match Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            let text = parsed.to_string();
            match text.split_once("://") {
                Some((scheme, rest)) => format!("{scheme}://<credentials>@{rest}"),
                None => text,
            }
        }
        _ => url.to_owned(),
    };
    crate::text::excerpt(&shown, 200)
}

/// Jitter added to a `Retry-After` wait of split calls: up to a quarter of
/// it, at most 5 s, so calls told to wait the same time do not all come back
/// at the same instant.
fn spread(after: Duration) -> Duration {
    let most = (after / 4).min(Duration::from_secs(5));
    Duration::try_from_secs_f64(most.as_secs_f64() * jitter()).unwrap_or(most)
}

fn refused(url: &str, reason: &'static str) -> HttpError {
    HttpError::RefusedUrl {
        url: shorten(url),
        reason,
    }
}

/// Parses a URL and allows `https`, or `http` to a loopback address, and
/// no credentials (`user:password@`): reqwest would send them as a Basic
/// header beside the key.
fn check_url(text: &str) -> Result<Url, HttpError> {
    let url = Url::parse(text).map_err(|_| refused(text, "not a valid URL"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refused(
            text,
            "credentials in a URL are refused; the key goes in the profile's auth header",
        ));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(refused(
            text,
            "plain http is allowed only to loopback addresses; use https",
        )),
        _ => Err(refused(text, "only https (or http to loopback) is allowed")),
    }
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A number in `[0, 1)` from a counter and the clock (splitmix64); see the module docs.
fn jitter() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut z = count
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(u64::from(nanos));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_is_allowed() {
        for ok in [
            "https://api.openai.com",
            "http://127.0.0.1:8080",
            "http://127.8.9.10",
            "http://localhost:1",
            "http://LOCALHOST",
            "http://[::1]:9",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.openai.com",
            "http://10.0.0.1",
            "http://localhost.evil.example",
            "ftp://127.0.0.1",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_never_overflows() {
        let config = Config {
            base_url: Some("https://api.example".into()),
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(1000),
            ..Config::default()
        };
        let client = Client::new(
            crate::builtin_profile("openai").unwrap().clone(),
            Secret::new("sk-test-key"),
            config,
        )
        .unwrap();
        for (attempt, step) in [
            (0, 100),
            (1, 200),
            (2, 400),
            (3, 800),
            (4, 1000),
            (30, 1000),
        ] {
            let wait = client.inner.backoff(attempt).as_millis();
            assert!(
                wait >= step / 2 && wait <= step,
                "attempt {attempt}: {wait}ms"
            );
        }
        let extreme = Config {
            base_url: Some("https://api.example".into()),
            backoff_base: Duration::MAX,
            backoff_max: Duration::MAX,
            ..Config::default()
        };
        let client = Client::new(
            crate::builtin_profile("openai").unwrap().clone(),
            Secret::new("sk-test-key"),
            extreme,
        )
        .unwrap();
        assert!(client.inner.backoff(u32::MAX) >= Duration::MAX / 2);
    }

    #[test]
    fn jitter_stays_in_the_unit_interval() {
        for _ in 0..10_000 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
    }

    #[test]
    fn secrets_are_scrubbed_from_text() {
        let key = Secret::new("sk-abcdefgh");
        assert_eq!(
            key.scrub("bad key sk-abcdefgh, sk-abcdefgh"),
            "bad key <redacted>, <redacted>"
        );
        // A start of the key left at a cut is scrubbed too...
        assert_eq!(key.scrub("bad key sk-abcdef..."), "bad key <redacted>...");
        // ...but not a short one, which could be any word.
        assert_eq!(key.scrub("bad key sk-a..."), "bad key sk-a...");
        assert_eq!(
            key.scrub_bytes(b"x sk-abcdefgh y sk-abcdefg".to_vec()),
            b"x <redacted> y sk-abcdefg"
        );
        // Keys under MIN_KEY_CHARS are never scrubbed (the client refuses them).
        assert_eq!(Secret::new("").scrub("text"), "text");
        assert_eq!(Secret::new("e").scrub("the text"), "the text");
    }
}
