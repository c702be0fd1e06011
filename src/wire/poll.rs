//! Polling plans for providers that answer with a task (WaveSpeed): what to
//! `GET` next and when, as data any client can act on.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::profile::Profile;

use super::plan::{BASE_URL_PLACEHOLDER, Call, Method, auth_header};
use super::response::{ErrorKind, GenerationResult, ProviderError, TaskState, TaskStatus};
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

/// The `GET` that asks for a task's state: the profile's `poll_path` with the
/// id in it when the profile has one, else the task's own `urls.get`.
///
/// The URL starts with [`BASE_URL_PLACEHOLDER`] when the profile has no base
/// URL. Returns `None` when there is neither a poll path nor a `urls.get`.
///
/// ```
/// use gpt_image_plan::{builtin_profile, wire};
/// use gpt_image_plan::ResponseShape;
/// let body = br#"{"code": 200, "message": "success", "data": {"id": "abc123", "status": "created", "outputs": [], "urls": {"get": "https://api.wavespeed.ai/api/v3/predictions/abc123/result"}}}"#;
/// let Ok(wire::Outcome::Task(task)) = wire::parse_response(ResponseShape::WavespeedTask, 200, &[], body) else { panic!() };
/// let call = wire::poll_call(builtin_profile("wavespeed").unwrap(), &task).unwrap();
/// assert_eq!(call.url, "https://api.wavespeed.ai/api/v3/predictions/abc123");
/// ```
pub fn poll_call(profile: &Profile, task: &TaskStatus) -> Option<Call> {
    let (url, path) = match &profile.response.poll_path {
        Some(template) => {
            let path = template.replace("{id}", &encode_segment(&task.id));
            let base = profile.base_url.as_deref().unwrap_or(BASE_URL_PLACEHOLDER);
            (join_url(base, &path), Some(path))
        }
        None => (task.poll_url.clone()?, None),
    };
    Some(Call {
        method: Method::Get,
        url,
        path,
        headers: vec![auth_header(profile)],
        body: None,
        n: None,
    })
}

/// The next step for `task` after `polls_done` polls under `policy`.
///
/// ```
/// use std::time::Duration;
/// use gpt_image_plan::{builtin_profile, wire, ResponseShape};
/// use gpt_image_plan::wire::{PollPolicy, PollStep};
///
/// let profile = builtin_profile("wavespeed").unwrap();
/// let running = br#"{"code": 200, "data": {"id": "t1", "status": "processing"}}"#;
/// let Ok(wire::Outcome::Task(task)) = wire::parse_response(ResponseShape::WavespeedTask, 200, &[], running) else { panic!() };
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
    match task.state {
        TaskState::Completed => {
            return PollStep::Done(task.result().unwrap_or_default());
        }
        TaskState::Failed => {
            return PollStep::Failed(task.failure().unwrap_or_else(|| {
                ProviderError::new(ErrorKind::Unknown, None, "the task failed")
            }));
        }
        TaskState::Created | TaskState::Processing => {}
    }
    if polls_done >= policy.max_polls {
        return PollStep::GiveUp { polls: polls_done };
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
                "task \"{}\" cannot be polled: {} has no poll path and the task no urls.get",
                task.id, profile.id
            ),
        )),
    }
}
