//! In-process progress store for the embedded (single node) mode. Same semantics as the
//! Redis store; every operation runs under one lock, so takes and commits never interleave.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use chrono::SubsecRound;

use super::MAX_REMEMBERED_SESSIONS;
use super::store::{DirtyProgress, Loaded, PlaySession, ProgressStore, StoreError, WatchKey};
use crate::rules::watch::WatchState;

#[derive(Debug, Default)]
pub struct MemoryProgressStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    learners: HashMap<i64, LearnerSessions>,
    states: HashMap<WatchKey, Versioned>,
    /// Keys written since the last take, with the version written.
    dirty: HashMap<WatchKey, u64>,
}

#[derive(Debug, Default)]
struct LearnerSessions {
    active: String,
    /// Recent sessions, so a superseded one answers `Superseded` rather than `UnknownSession`.
    known: HashMap<String, PlaySession>,
}

#[derive(Debug)]
struct Versioned {
    state: WatchState,
    version: u64,
}

impl MemoryProgressStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// A panic in another thread cannot leave the maps half-updated (each operation writes
    /// after all its checks), so a poisoned lock is still safe to use.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl ProgressStore for MemoryProgressStore {
    async fn start_session(&self, session: &PlaySession) -> Result<(), StoreError> {
        let mut inner = self.lock();
        let sessions = inner.learners.entry(session.learner_id).or_default();
        if sessions.known.len() >= MAX_REMEMBERED_SESSIONS {
            sessions.known.clear();
        }
        // Millisecond precision, as the Redis store keeps it.
        let started_at = session.started_at.trunc_subsecs(3);
        let remembered = PlaySession { started_at, ..session.clone() };
        sessions.known.insert(session.session_id.clone(), remembered);
        sessions.active = session.session_id.clone();
        Ok(())
    }

    async fn load(&self, learner_id: i64, session_id: &str) -> Result<Loaded, StoreError> {
        let inner = self.lock();
        let sessions = inner.learners.get(&learner_id).ok_or(StoreError::UnknownSession)?;
        let session = sessions.known.get(session_id).ok_or(StoreError::UnknownSession)?;
        if sessions.active != session_id {
            return Err(StoreError::Superseded);
        }
        let stored = inner.states.get(&session.watch_key());
        Ok(Loaded {
            session: session.clone(),
            state: stored.map(|s| s.state.clone()),
            version: stored.map_or(0, |s| s.version),
        })
    }

    async fn commit(
        &self,
        session: &PlaySession,
        expected_version: u64,
        state: &WatchState,
    ) -> Result<u64, StoreError> {
        let mut inner = self.lock();
        let is_active = inner.learners.get(&session.learner_id).is_some_and(|s| s.active == session.session_id);
        if !is_active {
            return Err(StoreError::Superseded);
        }
        let key = session.watch_key();
        let current = inner.states.get(&key).map_or(0, |s| s.version);
        if current != expected_version {
            return Err(StoreError::Conflict);
        }
        let version = current + 1;
        let state = state.clone();
        inner.states.insert(key, Versioned { state, version });
        inner.dirty.insert(key, version);
        Ok(version)
    }

    async fn seed_state(&self, key: WatchKey, state: &WatchState) -> Result<bool, StoreError> {
        let mut inner = self.lock();
        if inner.states.contains_key(&key) {
            return Ok(false);
        }
        let state = state.clone();
        inner.states.insert(key, Versioned { state, version: 1 });
        Ok(true)
    }

    async fn state(&self, key: WatchKey) -> Result<Option<WatchState>, StoreError> {
        Ok(self.lock().states.get(&key).map(|s| s.state.clone()))
    }

    async fn take_dirty(&self, max: usize) -> Result<Vec<DirtyProgress>, StoreError> {
        let mut inner = self.lock();
        let keys: Vec<WatchKey> = inner.dirty.keys().take(max).copied().collect();
        let mut taken = Vec::with_capacity(keys.len());
        for key in keys {
            inner.dirty.remove(&key);
            if let Some(stored) = inner.states.get(&key) {
                taken.push(DirtyProgress {
                    learner_id: key.learner_id,
                    lecture_id: key.lecture_id,
                    cycle: key.cycle,
                    state: stored.state.clone(),
                });
            }
        }
        Ok(taken)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
