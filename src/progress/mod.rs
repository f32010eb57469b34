//! Watch progress on the heartbeat hot path: play sessions and watched-segment states, kept
//! in Redis (production) or in process (embedded), written behind to the database by a
//! flusher that calls [`ProgressStore::take_dirty`].

mod memo;
pub mod memory;
mod redis_conn;
mod redis_dirty;
mod redis_keys;
mod redis_scripts;
pub mod redis_store;
pub mod store;

#[cfg(test)]
mod contract_tests;

use chrono::{DateTime, Utc};

use crate::rules::watch::{Beat, BeatOutcome, WatchError, WatchPolicy, apply_beat};

pub use memory::MemoryProgressStore;
pub use redis_store::{RedisProgressStore, RedisStoreConfig};
pub use store::{Commit, DirtyProgress, Loaded, PlaySession, ProgressStore, StoreError, WatchKey};

/// Sessions remembered per learner so that a superseded one answers 409 rather than 404;
/// past this many, the memory is cleared.
pub const MAX_REMEMBERED_SESSIONS: usize = 64;
/// Concurrent beats of one session (a retried request racing the original) are rare: a few
/// attempts are enough.
const MAX_COMMIT_ATTEMPTS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum BeatError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Rule(#[from] WatchError),
    /// The store has no state for the session's lecture (Redis lost it): load it from the
    /// database, [`ProgressStore::seed_state`] it, and apply the beat again.
    #[error("no watch state for lecture {} in the progress store", .0.lecture_id)]
    StateMissing(PlaySession),
}

/// A beat applied and stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedBeat {
    pub session: PlaySession,
    pub outcome: BeatOutcome,
}

/// Applies one heartbeat atomically: decide with [`apply_beat`] from the store's remembered
/// copy (else a load), then compare-and-set; when another beat won the race, the commit hands
/// back the current state and the beat is decided again.
pub async fn apply_beat_atomically(
    store: &dyn ProgressStore,
    policy: &WatchPolicy,
    learner_id: i64,
    session_id: &str,
    position_s: f64,
    at: DateTime<Utc>,
) -> Result<AppliedBeat, BeatError> {
    let beat = Beat { session_id: session_id.to_owned(), position_s, at };
    // A remembered copy without state (seen before a reseed) is no use: load.
    let remembered = store.remembered(learner_id, session_id).filter(|l| l.state.is_some());
    let mut loaded = match remembered {
        Some(remembered) => remembered,
        None => store.load(learner_id, session_id).await?,
    };
    for _ in 0..MAX_COMMIT_ATTEMPTS {
        let Loaded { session, state, version } = loaded;
        let Some(state) = state else {
            return Err(BeatError::StateMissing(session));
        };
        let outcome = apply_beat(policy, &state, &beat)?;
        match store.commit_or_reload(&session, version, &outcome.state).await? {
            Commit::Done(_) => return Ok(AppliedBeat { session, outcome }),
            Commit::Stale(current) => loaded = current,
        }
    }
    Err(StoreError::Conflict.into())
}
