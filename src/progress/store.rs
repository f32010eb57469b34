//! The progress store contract: play sessions and versioned watch states, shared by the
//! Redis store (production) and the in-process store (embedded mode).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::rules::watch::WatchState;

/// One play session (播放会话): a learner watching one lecture in one study cycle.
/// A learner has at most one active session; starting another supersedes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaySession {
    pub session_id: String,
    pub learner_id: i64,
    pub lecture_id: i64,
    /// Study cycle: a new one starts when the learner applies to study again (申请重新学习).
    pub cycle: i32,
    pub started_at: DateTime<Utc>,
}

/// What a watch state belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WatchKey {
    pub learner_id: i64,
    pub lecture_id: i64,
    pub cycle: i32,
}

impl PlaySession {
    pub fn watch_key(&self) -> WatchKey {
        WatchKey { learner_id: self.learner_id, lecture_id: self.lecture_id, cycle: self.cycle }
    }
}

/// The session of a beat with its lecture's state, read in one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub session: PlaySession,
    /// `None` when the store has no state for the lecture (never seeded, or Redis lost it).
    pub state: Option<WatchState>,
    /// Compare-and-set token for [`ProgressStore::commit`]; 0 when there is no state.
    pub version: u64,
}

/// A watch state written since the flusher's last take, to be saved to the database.
#[derive(Debug, Clone, PartialEq)]
pub struct DirtyProgress {
    pub learner_id: i64,
    pub lecture_id: i64,
    pub cycle: i32,
    pub state: WatchState,
}

/// What [`ProgressStore::commit_or_reload`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Commit {
    /// Written; the new version.
    Done(u64),
    /// Another beat moved the state on first: what the store holds now, to decide again.
    Stale(Loaded),
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The session was replaced by a newer one of the same learner (HTTP 409 `superseded`).
    #[error("play session superseded by a newer one")]
    Superseded,
    /// No such session for this learner (HTTP 404): never started, someone else's, or expired.
    #[error("unknown play session")]
    UnknownSession,
    /// The state changed since it was loaded; load again and retry.
    #[error("watch state changed concurrently")]
    Conflict,
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("corrupt progress data: {0}")]
    Corrupt(String),
    #[error("invalid progress store configuration: {0}")]
    Config(&'static str),
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        Self::Corrupt(error.to_string())
    }
}

/// Where heartbeats keep watch state. A beat is a version-checked
/// [`commit_or_reload`](Self::commit_or_reload) of a state decided from the
/// [`remembered`](Self::remembered) copy, or from [`load`](Self::load) when there is none;
/// see `progress::apply_beat_atomically`.
#[async_trait]
pub trait ProgressStore: Send + Sync {
    /// Makes `session` the learner's active session, superseding any other.
    async fn start_session(&self, session: &PlaySession) -> Result<(), StoreError>;

    /// The learner's session `session_id` with its watch state and version.
    /// Errors: `UnknownSession`, `Superseded`.
    async fn load(&self, learner_id: i64, session_id: &str) -> Result<Loaded, StoreError>;

    /// Writes `state` if `session` is still the learner's active session and the state's
    /// version is still `expected_version`; marks it dirty; returns the new version.
    /// Errors: `Superseded`, `Conflict`.
    async fn commit(&self, session: &PlaySession, expected_version: u64, state: &WatchState)
    -> Result<u64, StoreError>;

    /// Like [`commit`](Self::commit), but when the version moved on it answers with what
    /// [`load`](Self::load) would return now instead of `Conflict`, so a beat that lost a race
    /// (or started from a stale [`remembered`](Self::remembered) copy) decides again without a
    /// separate load. The Redis store does both in one round trip.
    /// Errors: `UnknownSession`, `Superseded`.
    async fn commit_or_reload(
        &self,
        session: &PlaySession,
        expected_version: u64,
        state: &WatchState,
    ) -> Result<Commit, StoreError> {
        match self.commit(session, expected_version, state).await {
            Ok(version) => Ok(Commit::Done(version)),
            Err(StoreError::Conflict) => Ok(Commit::Stale(self.load(session.learner_id, &session.session_id).await?)),
            // `commit` does not tell an unknown session from a superseded one; `load` does.
            Err(StoreError::Superseded) => match self.load(session.learner_id, &session.session_id).await {
                Err(StoreError::UnknownSession) => Err(StoreError::UnknownSession),
                _ => Err(StoreError::Superseded),
            },
            Err(other) => Err(other),
        }
    }

    /// This node's last copy of what `load` returned or `commit_or_reload` wrote for the
    /// session, with no I/O; possibly stale (the version check of the commit catches that).
    /// `None` when the store keeps no such copy.
    fn remembered(&self, _learner_id: i64, _session_id: &str) -> Option<Loaded> {
        None
    }

    /// Puts a state loaded from the database, unless the store already has one.
    /// Returns whether it was written. Not marked dirty (the database has it).
    async fn seed_state(&self, key: WatchKey, state: &WatchState) -> Result<bool, StoreError>;

    /// The current state of one lecture, if the store has it.
    async fn state(&self, key: WatchKey) -> Result<Option<WatchState>, StoreError>;

    /// Up to `max` states written since they were last taken. An update that races with the
    /// take is never lost: it is returned by this take or stays dirty for the next one.
    /// A taken state is the caller's to save; if saving fails, the next beat re-marks it.
    async fn take_dirty(&self, max: usize) -> Result<Vec<DirtyProgress>, StoreError>;

    /// Readiness check (`/readyz`).
    async fn ping(&self) -> Result<(), StoreError>;
}
