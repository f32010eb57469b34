//! Production progress store in Redis (single node or Cluster: see `redis_keys` for the
//! hash tags). A beat is two round trips: the load script, then one pipeline holding the
//! compare-and-set script and the dirty mark. Redis is a cache with a TTL: the database,
//! fed by `take_dirty`, is the durable copy.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use redis::aio::ConnectionManager;
use redis::{ServerErrorKind, Value};

use super::MAX_REMEMBERED_SESSIONS;
use super::redis_keys::{self as keys, DirtyShard, KeySpace, RedisKey};
use super::redis_scripts::Scripts;
use super::store::{DirtyProgress, Loaded, PlaySession, ProgressStore, StoreError, WatchKey};
use crate::rules::watch::WatchState;

#[derive(Debug, Clone)]
pub struct RedisStoreConfig {
    /// First part of every key; no braces.
    pub prefix: String,
    /// Keys expire this long after their last write.
    pub ttl: Duration,
    /// Number of dirty-index shards (one Cluster slot each).
    pub dirty_shards: u16,
}

impl Default for RedisStoreConfig {
    fn default() -> Self {
        Self {
            prefix: "xueshi".to_owned(),
            ttl: Duration::from_secs(7 * 24 * 3600),
            dirty_shards: 16,
        }
    }
}

pub struct RedisProgressStore {
    conn: ConnectionManager,
    keys: KeySpace,
    ttl_ms: u64,
    scripts: Scripts,
    /// Where the next take starts, so every shard gets drained in turn.
    next_shard: AtomicUsize,
}

/// A dirty member as the flusher read it, with the state it found.
#[derive(Debug)]
pub(super) struct DirtyEntry {
    member: String,
    score: u64,
    key: Option<WatchKey>,
    state: Option<(WatchState, u64)>,
}

impl RedisProgressStore {
    pub async fn connect(url: &str, config: RedisStoreConfig) -> Result<Self, StoreError> {
        let client = redis::Client::open(url)?;
        let conn = ConnectionManager::new(client).await?;
        Self::new(conn, config)
    }

    pub fn new(conn: ConnectionManager, config: RedisStoreConfig) -> Result<Self, StoreError> {
        Ok(Self {
            conn,
            keys: KeySpace::new(&config.prefix, config.dirty_shards)?,
            ttl_ms: u64::try_from(config.ttl.as_millis()).unwrap_or(u64::MAX),
            scripts: Scripts::default(),
            next_shard: AtomicUsize::new(0),
        })
    }

    pub fn keys(&self) -> &KeySpace {
        &self.keys
    }

    /// The CAS script and the dirty mark in one pipeline. The mark is sent even when the CAS
    /// fails (it cannot wait for the answer without a third round trip); a spurious mark
    /// only makes the flusher save an unchanged state again.
    async fn commit_pipeline(
        &self,
        session: &PlaySession,
        expected_version: u64,
        state_json: &str,
    ) -> Result<Vec<Value>, StoreError> {
        let learner = session.learner_id;
        let mut cas = self.scripts.commit.prepare_invoke();
        cas.key(self.keys.active_session(learner).name())
            .key(self.keys.watch_states(learner).name())
            .arg(&session.session_id)
            .arg(keys::watch_field(session.lecture_id, session.cycle))
            .arg(expected_version)
            .arg(state_json)
            .arg(self.ttl_ms);
        let shard = self.keys.dirty_shard_of(learner);
        let mut pipe = redis::pipe();
        pipe.ignore_errors()
            .invoke_script(&cas)
            .cmd("ZADD")
            .arg(shard.name())
            .arg("GT")
            .arg(expected_version + 1)
            .arg(keys::dirty_member(session.watch_key()))
            .cmd("PEXPIRE")
            .arg(shard.name())
            .arg(self.ttl_ms);
        let mut conn = self.conn.clone();
        let mut replies: Vec<Value> = pipe.query_async(&mut conn).await?;
        if is_no_script(replies.first()) {
            // Redis restarted or failed over and forgot the script: load it, send again.
            cas.load_async(&mut conn).await?;
            replies = pipe.query_async(&mut conn).await?;
        }
        Ok(replies)
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
        let mut conn = self.conn.clone();
        let stop = isize::try_from(limit).unwrap_or(isize::MAX) - 1;
        let members: Vec<(String, u64)> = redis::cmd("ZRANGE")
            .arg(shard.name())
            .arg(0)
            .arg(stop)
            .arg("WITHSCORES")
            .query_async(&mut conn)
            .await?;
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let watch_keys: Vec<Option<WatchKey>> = members
            .iter()
            .map(|(member, _)| keys::parse_dirty_member(member).ok())
            .collect();
        let mut pipe = redis::pipe();
        for key in &watch_keys {
            // An unparsable member (never written by this code) reads nothing and is dropped.
            let key = key.unwrap_or(WatchKey {
                learner_id: 0,
                lecture_id: 0,
                cycle: 0,
            });
            pipe.cmd("HMGET")
                .arg(self.keys.watch_states(key.learner_id).name())
                .arg(keys::watch_field(key.lecture_id, key.cycle))
                .arg(keys::version_field(key.lecture_id, key.cycle));
        }
        let found: Vec<(Option<String>, Option<u64>)> = pipe.query_async(&mut conn).await?;
        let mut entries = Vec::with_capacity(members.len());
        for (((member, score), key), (json, version)) in
            members.into_iter().zip(watch_keys).zip(found)
        {
            let state = match (key, json) {
                (Some(_), Some(json)) => {
                    parse_state(&member, &json).map(|s| (s, version.unwrap_or(0)))
                }
                _ => None,
            };
            entries.push(DirtyEntry {
                member,
                score,
                key,
                state,
            });
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
            let _removed: i64 = remove.invoke_async(&mut self.conn.clone()).await?;
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

fn is_no_script(reply: Option<&Value>) -> bool {
    matches!(reply, Some(Value::ServerError(e)) if e.kind() == Some(ServerErrorKind::NoScript))
}

/// Turns a pipeline reply into a result, surfacing a server error.
fn reply_value(reply: Option<Value>) -> Result<Value, StoreError> {
    match reply {
        Some(Value::ServerError(error)) => Err(redis::RedisError::from(error).into()),
        Some(value) => Ok(value),
        None => Err(StoreError::Corrupt("missing pipeline reply".to_owned())),
    }
}

#[async_trait]
impl ProgressStore for RedisProgressStore {
    async fn start_session(&self, session: &PlaySession) -> Result<(), StoreError> {
        let learner = session.learner_id;
        let mut start = self.scripts.start_session.prepare_invoke();
        start
            .key(self.keys.active_session(learner).name())
            .key(self.keys.session_records(learner).name())
            .arg(&session.session_id)
            .arg(keys::encode_session_record(session))
            .arg(self.ttl_ms)
            .arg(MAX_REMEMBERED_SESSIONS);
        let _: i64 = start.invoke_async(&mut self.conn.clone()).await?;
        Ok(())
    }

    async fn load(&self, learner_id: i64, session_id: &str) -> Result<Loaded, StoreError> {
        let mut load = self.scripts.load.prepare_invoke();
        load.key(self.keys.active_session(learner_id).name())
            .key(self.keys.session_records(learner_id).name())
            .key(self.keys.watch_states(learner_id).name())
            .arg(session_id);
        type Reply = (i64, Option<String>, Option<String>, Option<u64>);
        let (status, record, state, version): Reply =
            load.invoke_async(&mut self.conn.clone()).await?;
        match (status, record) {
            (0, _) => Err(StoreError::UnknownSession),
            (1, _) => Err(StoreError::Superseded),
            (2, Some(record)) => Ok(Loaded {
                session: keys::decode_session_record(learner_id, session_id, &record)?,
                state: state.map(|json| serde_json::from_str(&json)).transpose()?,
                version: version.unwrap_or(0),
            }),
            _ => Err(StoreError::Corrupt(format!("load status {status}"))),
        }
    }

    async fn commit(
        &self,
        session: &PlaySession,
        expected_version: u64,
        state: &WatchState,
    ) -> Result<u64, StoreError> {
        let state_json = serde_json::to_string(state)?;
        let mut replies = self
            .commit_pipeline(session, expected_version, &state_json)
            .await?
            .into_iter();
        let cas = reply_value(replies.next())?;
        for mark in replies {
            reply_value(Some(mark))?;
        }
        let cas: i64 =
            redis::from_redis_value(cas).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        match cas {
            -1 => Err(StoreError::Superseded),
            -2 => Err(StoreError::Conflict),
            version => u64::try_from(version)
                .map_err(|_| StoreError::Corrupt(format!("commit version {version}"))),
        }
    }

    async fn seed_state(&self, key: WatchKey, state: &WatchState) -> Result<bool, StoreError> {
        let mut seed = self.scripts.seed.prepare_invoke();
        seed.key(self.keys.watch_states(key.learner_id).name())
            .arg(keys::watch_field(key.lecture_id, key.cycle))
            .arg(serde_json::to_string(state)?)
            .arg(self.ttl_ms);
        let written: i64 = seed.invoke_async(&mut self.conn.clone()).await?;
        Ok(written == 1)
    }

    async fn state(&self, key: WatchKey) -> Result<Option<WatchState>, StoreError> {
        let json: Option<String> = redis::cmd("HGET")
            .arg(self.keys.watch_states(key.learner_id).name())
            .arg(keys::watch_field(key.lecture_id, key.cycle))
            .query_async(&mut self.conn.clone())
            .await?;
        Ok(json.map(|json| serde_json::from_str(&json)).transpose()?)
    }

    async fn take_dirty(&self, max: usize) -> Result<Vec<DirtyProgress>, StoreError> {
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
                Some(DirtyProgress {
                    learner_id: key.learner_id,
                    lecture_id: key.lecture_id,
                    cycle: key.cycle,
                    state,
                })
            }));
        }
        Ok(taken)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let _: String = redis::cmd("PING")
            .query_async(&mut self.conn.clone())
            .await?;
        Ok(())
    }
}
