//! The write-behind index of the Redis store: which watch states changed since the flusher
//! last took them. Members are scored by the version written; a take removes a member only
//! if its score is unchanged (and the state it read has caught up with it), so a beat that
//! races with the take keeps its member for the next take.

use std::sync::atomic::Ordering;

use super::redis_keys::{self as keys, DirtyShard, RedisKey};
use super::redis_store::RedisProgressStore;
use super::store::{DirtyProgress, StoreError, WatchKey};
use crate::rules::watch::WatchState;

/// A dirty member as the flusher read it, with the state it found.
#[derive(Debug)]
pub(super) struct DirtyEntry {
    member: String,
    score: u64,
    key: Option<WatchKey>,
    state: Option<(WatchState, u64)>,
}

impl RedisProgressStore {
    pub(super) async fn take_dirty_from_shards(&self, max: usize) -> Result<Vec<DirtyProgress>, StoreError> {
        let shard_count = usize::from(self.keys.dirty_shard_count());
        let first = self.next_shard.fetch_add(1, Ordering::Relaxed);
        let mut taken = Vec::new();
        for offset in 0..shard_count {
            if taken.len() >= max {
                break;
            }
            let index = u16::try_from((first + offset) % shard_count).unwrap_or(0);
            let shard = self.keys.dirty_shard(index);
            let entries = self.read_dirty(&shard, max - taken.len()).await?;
            self.settle_dirty(&shard, &entries).await?;
            taken.extend(entries.into_iter().filter_map(|entry| {
                let (key, (state, _)) = (entry.key?, entry.state?);
                Some(DirtyProgress { learner_id: key.learner_id, lecture_id: key.lecture_id, cycle: key.cycle, state })
            }));
        }
        Ok(taken)
    }

    /// Reads up to `limit` members of a dirty shard and the states they point at.
    pub(super) async fn read_dirty(
        &self,
        shard: &RedisKey<DirtyShard>,
        limit: usize,
    ) -> Result<Vec<DirtyEntry>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut conn = self.conns.get()?;
        let stop = isize::try_from(limit).unwrap_or(isize::MAX) - 1;
        let members: Vec<(String, u64)> =
            redis::cmd("ZRANGE").arg(shard.name()).arg(0).arg(stop).arg("WITHSCORES").query_async(&mut conn).await?;
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let watch_keys: Vec<Option<WatchKey>> =
            members.iter().map(|(member, _)| keys::parse_dirty_member(member).ok()).collect();
        let mut pipe = redis::pipe();
        for key in &watch_keys {
            // An unparsable member (never written by this code) reads nothing and is dropped.
            let key = key.unwrap_or(WatchKey { learner_id: 0, lecture_id: 0, cycle: 0 });
            pipe.cmd("HMGET")
                .arg(self.keys.watch_states(key.learner_id).name())
                .arg(keys::watch_field(key.lecture_id, key.cycle))
                .arg(keys::version_field(key.lecture_id, key.cycle));
        }
        let found: Vec<(Option<String>, Option<u64>)> = pipe.query_async(&mut conn).await?;
        let mut entries = Vec::with_capacity(members.len());
        for (((member, score), key), (json, version)) in members.into_iter().zip(watch_keys).zip(found) {
            let state = match (key, json) {
                (Some(_), Some(json)) => parse_state(&member, &json).map(|s| (s, version.unwrap_or(0))),
                _ => None,
            };
            entries.push(DirtyEntry { member, score, key, state });
        }
        Ok(entries)
    }

    /// Clears the entries whose state was read at or after the marked version, unless they
    /// were marked again since. An entry whose state has not caught up with its mark yet (on
    /// Cluster the mark may land first) stays dirty.
    pub(super) async fn settle_dirty(
        &self,
        shard: &RedisKey<DirtyShard>,
        entries: &[DirtyEntry],
    ) -> Result<(), StoreError> {
        let mut remove = self.scripts.remove_unchanged.prepare_invoke();
        remove.key(shard.name());
        let mut any = false;
        for entry in entries {
            let caught_up = entry.state.as_ref().is_none_or(|(_, v)| *v >= entry.score);
            if caught_up {
                remove.arg(&entry.member).arg(entry.score);
                any = true;
            }
        }
        if any {
            let _removed: i64 = remove.invoke_async(&mut self.conns.get()?).await?;
        }
        Ok(())
    }
}

/// A corrupt state is dropped from the flush (the database keeps the last good copy) rather
/// than failing every later take.
fn parse_state(member: &str, json: &str) -> Option<WatchState> {
    serde_json::from_str(json)
        .inspect_err(|error| tracing::warn!(member, %error, "corrupt watch state not flushed"))
        .ok()
}
