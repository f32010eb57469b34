//! A node's last copy of each learner's beat state (session, watch state, version), so that a
//! beat usually costs one Redis round trip: decide from the copy, then compare-and-set. The
//! copy is only a guess: the version check of the commit refuses a stale one and hands back
//! the current state. Nothing here is needed by the next request (another node, or a
//! restarted one, simply starts with a load).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::store::Loaded;

/// Past this many learners the copies are dropped (they are only a shortcut).
const MAX_ENTRIES: usize = 100_000;
/// Independent locks, so the workers of a busy node rarely wait for each other.
const SHARDS: usize = 16;

#[derive(Debug)]
pub(super) struct BeatMemo {
    shards: Vec<Mutex<HashMap<i64, Loaded>>>,
}

impl Default for BeatMemo {
    fn default() -> Self {
        Self { shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect() }
    }
}

impl BeatMemo {
    fn shard(&self, learner_id: i64) -> &Mutex<HashMap<i64, Loaded>> {
        // rem_euclid of SHARDS is below SHARDS.
        &self.shards[usize::try_from(learner_id.rem_euclid(SHARDS as i64)).unwrap_or(0)]
    }

    pub(super) fn get(&self, learner_id: i64, session_id: &str) -> Option<Loaded> {
        let shard = self.shard(learner_id).lock().unwrap_or_else(PoisonError::into_inner);
        shard.get(&learner_id).filter(|l| l.session.session_id == session_id).cloned()
    }

    pub(super) fn put(&self, loaded: Loaded) {
        let mut shard = self.shard(loaded.session.learner_id).lock().unwrap_or_else(PoisonError::into_inner);
        if shard.len() >= MAX_ENTRIES / SHARDS {
            shard.clear();
        }
        shard.insert(loaded.session.learner_id, loaded);
    }

    pub(super) fn forget(&self, learner_id: i64) {
        self.shard(learner_id).lock().unwrap_or_else(PoisonError::into_inner).remove(&learner_id);
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::progress::PlaySession;

    fn loaded(learner_id: i64, session_id: &str, version: u64) -> Loaded {
        let started_at = DateTime::UNIX_EPOCH;
        let session = PlaySession { session_id: session_id.into(), learner_id, lecture_id: 3, cycle: 1, started_at };
        Loaded { session, state: None, version }
    }

    #[test]
    fn keeps_one_copy_per_learner_for_its_session_only() {
        let memo = BeatMemo::default();
        memo.put(loaded(7, "a", 1));
        assert_eq!(memo.get(7, "a").map(|l| l.version), Some(1));
        assert!(memo.get(7, "b").is_none(), "another session of the learner is not served");
        memo.put(loaded(7, "b", 5));
        assert!(memo.get(7, "a").is_none(), "a newer session replaces the copy");
        assert_eq!(memo.get(7, "b").map(|l| l.version), Some(5));
        memo.forget(7);
        assert!(memo.get(7, "b").is_none());
        assert!(memo.get(-3, "b").is_none(), "negative ids map to a shard too");
    }
}
