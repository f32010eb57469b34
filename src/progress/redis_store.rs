//! Production progress store in Redis (single node or Cluster: see `redis_keys` for the
//! hash tags). A beat is one round trip: a pipeline holding the compare-and-set script (which
//! answers with the current state when the node's remembered copy was stale) and the dirty
//! mark; a node that has no copy of the session yet loads it first. Redis is a cache with a TTL: the database,
//! fed by `take_dirty`, is the durable copy.

use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use async_trait::async_trait;
use redis::{ServerErrorKind, Value};

use super::MAX_REMEMBERED_SESSIONS;
use super::memo::BeatMemo;
use super::redis_conn::Connections;
use super::redis_keys::{self as keys, KeySpace};
use super::redis_scripts::Scripts;
use super::store::{Commit, DirtyProgress, Loaded, PlaySession, ProgressStore, StoreError, WatchKey};
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
        Self { prefix: "xueshi".to_owned(), ttl: Duration::from_secs(7 * 24 * 3600), dirty_shards: 16 }
    }
}

pub struct RedisProgressStore {
    pub(super) conns: Connections,
    pub(super) keys: KeySpace,
    pub(super) ttl_ms: u64,
    pub(super) scripts: Scripts,
    /// Where the next take starts, so every shard gets drained in turn.
    pub(super) next_shard: AtomicUsize,
    /// This node's last copy of each learner's beat state (see [`BeatMemo`]).
    memo: BeatMemo,
}

impl RedisProgressStore {
    pub async fn connect(url: &str, config: RedisStoreConfig) -> Result<Self, StoreError> {
        Ok(Self {
            conns: Connections::connect(url).await?,
            keys: KeySpace::new(&config.prefix, config.dirty_shards)?,
            ttl_ms: u64::try_from(config.ttl.as_millis()).unwrap_or(u64::MAX),
            scripts: Scripts::default(),
            next_shard: AtomicUsize::new(0),
            memo: BeatMemo::default(),
        })
    }

    pub fn keys(&self) -> &KeySpace {
        &self.keys
    }

    /// A compare-and-set script and the dirty mark in one pipeline. The dirty shards carry
    /// no TTL: the flushers drain them, and a member outlives its state only until the next
    /// take (which drops members whose state is gone). The mark is sent even
    /// when the CAS fails (it cannot wait for the answer without a second round trip); a
    /// spurious mark only makes the flusher save an unchanged state again.
    async fn marked_pipeline(
        &self,
        cas: &redis::ScriptInvocation<'_>,
        session: &PlaySession,
        expected_version: u64,
    ) -> Result<Vec<Value>, StoreError> {
        let shard = self.keys.dirty_shard_of(session.learner_id);
        let mut pipe = redis::pipe();
        pipe.ignore_errors()
            .invoke_script(cas)
            .cmd("ZADD")
            .arg(shard.name())
            .arg("GT")
            .arg(expected_version + 1)
            .arg(keys::dirty_member(session.watch_key()));
        let mut conn = self.conns.get()?;
        let mut replies: Vec<Value> = pipe.query_async(&mut conn).await?;
        if is_no_script(replies.first()) {
            // Redis restarted or failed over and forgot the script: load it, send again.
            cas.load_async(&mut conn).await?;
            replies = pipe.query_async(&mut conn).await?;
        }
        Ok(replies)
    }

    /// The pipeline's first reply (the script's), after checking the marks succeeded.
    async fn cas_reply(
        &self,
        cas: &redis::ScriptInvocation<'_>,
        session: &PlaySession,
        expected_version: u64,
    ) -> Result<Value, StoreError> {
        let mut replies = self.marked_pipeline(cas, session, expected_version).await?.into_iter();
        let cas = reply_value(replies.next())?;
        for mark in replies {
            reply_value(Some(mark))?;
        }
        Ok(cas)
    }

    /// Decodes a LOAD-shaped reply; remembers what it found, forgets the learner otherwise.
    fn loaded(&self, learner_id: i64, session_id: &str, reply: LoadReply) -> Result<Loaded, StoreError> {
        let found = match reply {
            (0, ..) => Err(StoreError::UnknownSession),
            (1, ..) => Err(StoreError::Superseded),
            (2, Some(record), state, version) => Ok(Loaded {
                session: keys::decode_session_record(learner_id, session_id, &record)?,
                state: state.map(|json| serde_json::from_str(&json)).transpose()?,
                version: version.unwrap_or(0),
            }),
            (status, ..) => Err(StoreError::Corrupt(format!("load status {status}"))),
        };
        match &found {
            Ok(loaded) => self.memo.put(loaded.clone()),
            Err(_) => self.memo.forget(learner_id),
        }
        found
    }
}

/// `{status, session record, state JSON, version}` of the LOAD and COMMIT_OR_LOAD scripts.
type LoadReply = (i64, Option<String>, Option<String>, Option<u64>);

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
        let _: i64 = start.invoke_async(&mut self.conns.get()?).await?;
        self.memo.forget(learner);
        Ok(())
    }

    async fn load(&self, learner_id: i64, session_id: &str) -> Result<Loaded, StoreError> {
        let mut load = self.scripts.load.prepare_invoke();
        load.key(self.keys.active_session(learner_id).name())
            .key(self.keys.session_records(learner_id).name())
            .key(self.keys.watch_states(learner_id).name())
            .arg(session_id);
        let reply: LoadReply = load.invoke_async(&mut self.conns.get()?).await?;
        self.loaded(learner_id, session_id, reply)
    }

    async fn commit(
        &self,
        session: &PlaySession,
        expected_version: u64,
        state: &WatchState,
    ) -> Result<u64, StoreError> {
        let learner = session.learner_id;
        let mut cas = self.scripts.commit.prepare_invoke();
        cas.key(self.keys.active_session(learner).name())
            .key(self.keys.watch_states(learner).name())
            .arg(&session.session_id)
            .arg(keys::watch_field(session.lecture_id, session.cycle))
            .arg(expected_version)
            .arg(serde_json::to_string(state)?)
            .arg(self.ttl_ms);
        let reply = self.cas_reply(&cas, session, expected_version).await?;
        let cas: i64 = redis::from_redis_value(reply).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        match cas {
            -1 => Err(StoreError::Superseded),
            -2 => Err(StoreError::Conflict),
            version => u64::try_from(version).map_err(|_| StoreError::Corrupt(format!("commit version {version}"))),
        }
    }

    async fn commit_or_reload(
        &self,
        session: &PlaySession,
        expected_version: u64,
        state: &WatchState,
    ) -> Result<Commit, StoreError> {
        let learner = session.learner_id;
        let mut cas = self.scripts.commit_or_load.prepare_invoke();
        cas.key(self.keys.active_session(learner).name())
            .key(self.keys.session_records(learner).name())
            .key(self.keys.watch_states(learner).name())
            .arg(&session.session_id)
            .arg(expected_version)
            .arg(serde_json::to_string(state)?)
            .arg(self.ttl_ms)
            .arg(keys::watch_field(session.lecture_id, session.cycle));
        let reply = self.cas_reply(&cas, session, expected_version).await?;
        let reply: LoadReply = redis::from_redis_value(reply).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        match reply {
            (3, _, _, Some(version)) => {
                let loaded = Loaded { session: session.clone(), state: Some(state.clone()), version };
                self.memo.put(loaded);
                Ok(Commit::Done(version))
            }
            other => self.loaded(learner, &session.session_id, other).map(Commit::Stale),
        }
    }

    fn remembered(&self, learner_id: i64, session_id: &str) -> Option<Loaded> {
        self.memo.get(learner_id, session_id)
    }

    async fn seed_state(&self, key: WatchKey, state: &WatchState) -> Result<bool, StoreError> {
        let mut seed = self.scripts.seed.prepare_invoke();
        seed.key(self.keys.watch_states(key.learner_id).name())
            .arg(keys::watch_field(key.lecture_id, key.cycle))
            .arg(serde_json::to_string(state)?)
            .arg(self.ttl_ms);
        let written: i64 = seed.invoke_async(&mut self.conns.get()?).await?;
        Ok(written == 1)
    }

    async fn state(&self, key: WatchKey) -> Result<Option<WatchState>, StoreError> {
        let json: Option<String> = redis::cmd("HGET")
            .arg(self.keys.watch_states(key.learner_id).name())
            .arg(keys::watch_field(key.lecture_id, key.cycle))
            .query_async(&mut self.conns.get()?)
            .await?;
        Ok(json.map(|json| serde_json::from_str(&json)).transpose()?)
    }

    async fn take_dirty(&self, max: usize) -> Result<Vec<DirtyProgress>, StoreError> {
        self.take_dirty_from_shards(max).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let _: String = redis::cmd("PING").query_async(&mut self.conns.get()?).await?;
        Ok(())
    }
}
