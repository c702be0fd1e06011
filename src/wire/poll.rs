//! Polling plans for providers that answer with a task (WaveSpeed, fal's
//! queue, Replicate, kie): what to `GET` next and when, as data any client
//! can act on.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::profile::Profile;

use super::encode::auth_header;
use super::plan::{BASE_URL_PLACEHOLDER, Call, Method};
use super::response::{ErrorKind, GenerationResult, ProviderError, TaskState, TaskStatus};
use super::spec::fill;
use super::{encode_segment, join_url};

/// How often to poll and when to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollPolicy {
    /// The wait before the first poll.
    pub first_delay: Duration,
    /// The wait before the second poll; it doubles after each poll...
    pub interval: Duration,
    /// ...up to this.
    pub max_interval: Duration,
    /// The most polls before giving up.
    pub max_polls: u32,
}

impl Default for PollPolicy {
    /// 1 s, then 1, 2, 4, 5, 5, ... s; at most 120 polls (about ten minutes).
    fn default() -> Self {
        PollPolicy {
            first_delay: Duration::from_secs(1),
            interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(5),
            max_polls: 120,
        }
    }
}

impl PollPolicy {
    /// The wait before the poll after `polls_done` polls.
    ///
    /// ```
    /// use std::time::Duration;
    /// use gpt_image_plan::wire::PollPolicy;
    /// let policy = PollPolicy::default();
    /// let secs: Vec<u64> = (0..6).map(|k| policy.delay(k).as_secs()).collect();
    /// assert_eq!(secs, [1, 1, 2, 4, 5, 5]);
    /// ```
    pub fn delay(&self, polls_done: u32) -> Duration {
        match polls_done {
            0 => self.first_delay,
            k => {
                let doubling = 1u32 << (k - 1).min(20);
                self.interval
                    .saturating_mul(doubling)
                    .min(self.max_interval.max(self.interval))
            }
        }
    }
}

/// What to do next with a task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum PollStep {
    /// Finished: the images.
    Done(GenerationResult),
    /// Finished with a failure, or the task cannot be polled.
    Failed(ProviderError),
    /// Wait `after`, then send `call` and read its answer with
    /// [`parse_response`](super::parse_response).
    Wait {
        /// How long to wait first.
        after: Duration,
        /// The `GET` to send.
        call: Call,
    },
    /// The policy's poll cap is reached and the task is still running.
    GiveUp {
        /// How many polls were made.
        polls: u32,
    },
}

/// The `GET` that asks for a task's state: the profile's
/// `response.task.poll_path` with the id in it when the profile has one
/// (and the task an id), else the URL the task gave (`poll_url`).
///
/// The URL starts with [`BASE_URL_PLACEHOLDER`] when the profile has no base
/// URL. Returns `None` when there is neither.
///
/// ```
/// use gpt_image_plan::{builtin_profile, wire};
/// let wavespeed = builtin_profile("wavespeed").unwrap();
/// let body = br#"{"code": 200, "message": "success", "data": {"id": "abc123", "status": "created", "outputs": [], "urls": {"get": "https://api.wavespeed.ai/api/v3/predictions/abc123/result"}}}"#;
/// let Ok(wire::Outcome::Task(task)) = wire::parse_response(&wavespeed.response, 200, &[], body) else { panic!() };
/// let call = wire::poll_call(wavespeed, &task).unwrap();
/// assert_eq!(call.url, "https://api.wavespeed.ai/api/v3/predictions/abc123");
/// ```
pub fn poll_call(profile: &Profile, task: &TaskStatus) -> Option<Call> {
    let template = profile
        .response
        .task
        .as_ref()
        .and_then(|t| t.poll_path.as_deref())
        .filter(|_| !task.id.is_empty());
    let (url, path) = match template {
        Some(template) => {
            let path = fill(template, &[("id", &encode_segment(&task.id))])?;
            let base = profile.base_url.as_deref().unwrap_or(BASE_URL_PLACEHOLDER);
            (join_url(base, &path), Some(path))
        }
        None => (task.poll_url.clone()?, None),
    };
    Some(get(profile, url, path))
}

fn get(profile: &Profile, url: String, path: Option<String>) -> Call {
    Call {
        method: Method::Get,
        url,
        path,
        headers: vec![auth_header(profile)],
        body: None,
        n: None,
        yields: None,
    }
}

/// The next step for `task` after `polls_done` polls under `policy`.
///
/// ```
/// use std::time::Duration;
/// use gpt_image_plan::{builtin_profile, wire};
/// use gpt_image_plan::wire::{PollPolicy, PollStep};
///
/// let profile = builtin_profile("wavespeed").unwrap();
/// let running = br#"{"code": 200, "data": {"id": "t1", "status": "processing"}}"#;
/// let Ok(wire::Outcome::Task(task)) = wire::parse_response(&profile.response, 200, &[], running) else { panic!() };
/// match wire::next_poll(profile, &task, 2, &PollPolicy::default()) {
///     PollStep::Wait { after, call } => {
///         assert_eq!(after, Duration::from_secs(2));
///         assert_eq!(call.url, "https://api.wavespeed.ai/api/v3/predictions/t1");
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
pub fn next_poll(
    profile: &Profile,
    task: &TaskStatus,
    polls_done: u32,
    policy: &PollPolicy,
) -> PollStep {
    let fetch_result = match task.state {
        TaskState::Done => match &task.result_url {
            // The images are at the result URL (fal's queue).
            Some(url) if task.outputs.is_empty() => Some(url),
            _ => return PollStep::Done(task.result().unwrap_or_default()),
        },
        TaskState::Failed => {
            return PollStep::Failed(task.failure().unwrap_or_else(|| {
                ProviderError::new(ErrorKind::Unknown, None, "the task failed")
            }));
        }
        TaskState::Pending => None,
    };
    if polls_done >= policy.max_polls {
        return PollStep::GiveUp { polls: polls_done };
    }
    if let Some(url) = fetch_result {
        return PollStep::Wait {
            after: Duration::ZERO,
            call: get(profile, url.clone(), None),
        };
    }
    match poll_call(profile, task) {
        Some(call) => PollStep::Wait {
            after: policy.delay(polls_done),
            call,
        },
        None => PollStep::Failed(ProviderError::new(
            ErrorKind::Malformed,
            None,
            format!(
                "task \"{}\" cannot be polled: {} has no poll path and the task no poll URL",
                task.id, profile.id
            ),
        )),
    }
}
