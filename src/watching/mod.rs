//! Watching lectures (观看学习): play sessions, honest heartbeats and the write-behind of watch
//! progress to the database.
//!
//! Wiring of the progress store (see `progress`): play seeds the lecture's watch state (store,
//! else database, else fresh) and starts a session, superseding the learner's other one; a
//! beat is applied atomically in the store, and a completion is written to the database
//! before the beat is answered; the [`flusher`] saves everything else behind.

pub mod beat;
mod catalog;
pub mod course_progress;
pub mod cycles;
pub mod flusher;
pub mod play;
mod records;
mod session_id;
mod stream;

use crate::{
    error::AppError,
    progress::{BeatError, StoreError},
    rules::{policy::Policy, watch::WatchError, watch::WatchPolicy},
};

pub use cycles::{current_cycle, lectures_completed, start_new_cycle};
pub use flusher::flush_once;
pub use stream::stream_url_for;

/// How often the player reports its position. Well inside [`MAX_SILENCE_S`], so a few lost
/// beats do not break a run.
pub const BEAT_INTERVAL_S: u32 = 10;
/// Seconds of advance forgiven beyond the policy's rate per run (timer and network jitter;
/// a beat that arrives late is forgiven, a steady faster rate is not).
pub const TOLERANCE_S: f64 = 2.0;
/// A beat after a longer silence (a paused or backgrounded player, a lost connection) starts
/// a new run: six missed beats.
pub const MAX_SILENCE_S: f64 = 60.0;

/// Course and lecture states (set by the courses and media modules).
pub(crate) const COURSE_PUBLISHED: &str = "published";
pub(crate) const LECTURE_READY: &str = "ready";

/// The numbers the watch rule reads, from the learner's yearly policy.
pub fn watch_policy(policy: &Policy) -> WatchPolicy {
    WatchPolicy {
        segment_seconds: policy.segment_seconds,
        max_playback_rate: policy.max_playback_rate,
        completion_threshold: policy.completion_threshold,
        tolerance_s: TOLERANCE_S,
        max_silence_s: MAX_SILENCE_S,
    }
}

fn store_error(error: StoreError) -> AppError {
    match error {
        StoreError::Superseded => {
            AppError::conflict("superseded", "已在其他设备开始播放 (this play session was replaced by a newer one)")
        }
        StoreError::UnknownSession => AppError::NotFound,
        // Beats of one session kept racing each other (a client retrying in a loop): retry later.
        StoreError::Conflict => AppError::Unavailable("progress store busy".into()),
        StoreError::Redis(e) => {
            tracing::warn!(error = %e, "progress store unavailable");
            AppError::Unavailable("progress store".into())
        }
        other => AppError::Other(other.into()),
    }
}

fn beat_error(error: BeatError) -> AppError {
    match error {
        BeatError::Store(e) => store_error(e),
        BeatError::Rule(WatchError::InvalidPosition(_)) => invalid_position(),
        BeatError::Rule(e) => AppError::Other(e.into()),
        BeatError::StateMissing(s) => AppError::Other(anyhow::anyhow!("watch state still missing for {s:?}")),
    }
}

fn invalid_position() -> AppError {
    AppError::unprocessable("invalid_position", "播放位置无效 (position_s must be a non-negative number of seconds)")
}
