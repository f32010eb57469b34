//! Redis key names, one builder per key, each typed by what the key holds.
//!
//! Every key of a learner carries the hash tag `{l:<learner_id>}`, so all of them live in one
//! Redis Cluster slot and a Lua script may touch them together. The dirty index cannot share
//! a slot with every learner, so it is split into shards `{prefix}:{dirty:<n>}`, each its own
//! slot; a learner's updates always go to shard `learner_id mod shards`.

use std::marker::PhantomData;

use chrono::{DateTime, Utc};

use super::store::{PlaySession, StoreError, WatchKey};

/// A key name that can only be built for the value type `V` it holds.
#[derive(Debug)]
pub struct RedisKey<V> {
    name: String,
    value: PhantomData<fn() -> V>,
}

impl<V> RedisKey<V> {
    fn new(name: String) -> Self {
        Self { name, value: PhantomData }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// STRING: the learner's active session id.
#[derive(Debug)]
pub struct ActiveSessionId;
/// HASH: session id -> [`encode_session_record`] of the learner's recent sessions.
#[derive(Debug)]
pub struct SessionRecords;
/// HASH: [`watch_field`] -> `WatchState` JSON, and [`version_field`] -> its version.
#[derive(Debug)]
pub struct WatchStates;
/// ZSET: [`dirty_member`] scored by the version last written.
#[derive(Debug)]
pub struct DirtyShard;

/// The key names under one prefix (e.g. `xueshi`, or a random one per test).
#[derive(Debug, Clone)]
pub struct KeySpace {
    prefix: String,
    dirty_shards: u16,
}

impl KeySpace {
    pub fn new(prefix: &str, dirty_shards: u16) -> Result<Self, StoreError> {
        if prefix.is_empty() || prefix.contains(['{', '}']) {
            return Err(StoreError::Config("key prefix must be non-empty, without braces"));
        }
        if dirty_shards == 0 {
            return Err(StoreError::Config("at least one dirty shard"));
        }
        Ok(Self { prefix: prefix.to_owned(), dirty_shards })
    }

    pub fn active_session(&self, learner_id: i64) -> RedisKey<ActiveSessionId> {
        RedisKey::new(format!("{}:{{l:{learner_id}}}:session", self.prefix))
    }

    pub fn session_records(&self, learner_id: i64) -> RedisKey<SessionRecords> {
        RedisKey::new(format!("{}:{{l:{learner_id}}}:sessions", self.prefix))
    }

    pub fn watch_states(&self, learner_id: i64) -> RedisKey<WatchStates> {
        RedisKey::new(format!("{}:{{l:{learner_id}}}:w", self.prefix))
    }

    pub fn dirty_shard(&self, shard: u16) -> RedisKey<DirtyShard> {
        RedisKey::new(format!("{}:{{dirty:{shard}}}", self.prefix))
    }

    pub fn dirty_shard_count(&self) -> u16 {
        self.dirty_shards
    }

    pub fn dirty_shard_of(&self, learner_id: i64) -> RedisKey<DirtyShard> {
        let shard = learner_id.rem_euclid(i64::from(self.dirty_shards));
        // rem_euclid of a u16 modulus is below u16::MAX.
        self.dirty_shard(u16::try_from(shard).unwrap_or(0))
    }

    /// Every key name starts with this (for test cleanup).
    pub fn pattern(&self) -> String {
        format!("{}:*", self.prefix)
    }
}

pub fn watch_field(lecture_id: i64, cycle: i32) -> String {
    format!("{lecture_id}:{cycle}")
}

pub fn version_field(lecture_id: i64, cycle: i32) -> String {
    format!("{lecture_id}:{cycle}:v")
}

pub fn dirty_member(key: WatchKey) -> String {
    format!("{}:{}:{}", key.learner_id, key.lecture_id, key.cycle)
}

pub fn parse_dirty_member(member: &str) -> Result<WatchKey, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("dirty member {member:?}"));
    let mut parts = member.split(':');
    let (Some(learner), Some(lecture), Some(cycle), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(corrupt());
    };
    Ok(WatchKey {
        learner_id: learner.parse().map_err(|_| corrupt())?,
        lecture_id: lecture.parse().map_err(|_| corrupt())?,
        cycle: cycle.parse().map_err(|_| corrupt())?,
    })
}

/// `<lecture>:<cycle>:<started_at ms>`: begins with the session's [`watch_field`], which the
/// load script cuts off to find the state without decoding JSON in Lua.
pub fn encode_session_record(session: &PlaySession) -> String {
    let field = watch_field(session.lecture_id, session.cycle);
    format!("{field}:{}", session.started_at.timestamp_millis())
}

pub fn decode_session_record(learner_id: i64, session_id: &str, record: &str) -> Result<PlaySession, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("session record {record:?}"));
    let mut parts = record.split(':');
    let (Some(lecture), Some(cycle), Some(started_ms), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(corrupt());
    };
    let started_ms: i64 = started_ms.parse().map_err(|_| corrupt())?;
    Ok(PlaySession {
        session_id: session_id.to_owned(),
        learner_id,
        lecture_id: lecture.parse().map_err(|_| corrupt())?,
        cycle: cycle.parse().map_err(|_| corrupt())?,
        started_at: DateTime::<Utc>::from_timestamp_millis(started_ms).ok_or_else(corrupt)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learner_keys_share_one_hash_tag() -> Result<(), StoreError> {
        let keys = KeySpace::new("xs", 16)?;
        assert_eq!(keys.active_session(42).name(), "xs:{l:42}:session");
        assert_eq!(keys.session_records(42).name(), "xs:{l:42}:sessions");
        assert_eq!(keys.watch_states(42).name(), "xs:{l:42}:w");
        assert_eq!(keys.dirty_shard_of(-1).name(), "xs:{dirty:15}");
        assert!(KeySpace::new("a{b", 16).is_err());
        assert!(KeySpace::new("xs", 0).is_err());
        Ok(())
    }

    #[test]
    fn records_and_members_round_trip() -> Result<(), StoreError> {
        let session = PlaySession {
            session_id: "abc".into(),
            learner_id: 7,
            lecture_id: -3,
            cycle: 2,
            started_at: DateTime::<Utc>::from_timestamp_millis(1_700_000_000_123).ok_or(StoreError::Config("clock"))?,
        };
        let record = encode_session_record(&session);
        assert_eq!(decode_session_record(7, "abc", &record)?, session);
        let key = session.watch_key();
        assert_eq!(parse_dirty_member(&dirty_member(key))?, key);
        assert!(parse_dirty_member("1:2").is_err());
        assert!(decode_session_record(7, "abc", "x:1:2").is_err());
        Ok(())
    }
}
