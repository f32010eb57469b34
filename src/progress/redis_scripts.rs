//! Lua scripts of the Redis progress store. Each touches the keys of one learner (one hash
//! tag) or one dirty shard only, and declares every key it touches, so each runs in one
//! Redis Cluster slot.

use redis::Script;

/// KEYS: active session, session records. ARGV: session id, record, ttl ms, max records.
/// Too many remembered sessions: forget them all (old beats then get 404 instead of 409).
const START_SESSION: &str = r"
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then redis.call('DEL', KEYS[2]) end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
";

/// KEYS: active session, session records, watch states. ARGV: session id.
/// Returns {status, record, state, version}: 0 unknown, 1 superseded, 2 found.
const LOAD: &str = r"
local record = redis.call('HGET', KEYS[2], ARGV[1])
if not record then return {0, false, false, false} end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {1, false, false, false} end
local field = string.match(record, '^(%-?%d+:%-?%d+):')
if not field then return redis.error_reply('corrupt session record') end
local found = redis.call('HMGET', KEYS[3], field, field .. ':v')
return {2, record, found[1], found[2]}
";

/// KEYS: active session, watch states. ARGV: session id, watch field, expected version,
/// state, ttl ms. Returns the new version, -1 superseded, -2 conflict.
const COMMIT: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local version = tonumber(redis.call('HGET', KEYS[2], ARGV[2] .. ':v') or '0')
if version ~= tonumber(ARGV[3]) then return -2 end
version = version + 1
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4], ARGV[2] .. ':v', version)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return version
";

/// The heartbeat's one round trip: [`COMMIT`] when the session is active and its state still
/// has the expected version, else what [`LOAD`] would answer, so the beat can decide again at
/// once. KEYS: active session, session records, watch states. ARGV: session id, expected
/// version, state, ttl ms, watch field (from the node's copy of the session record: a session
/// id names one lecture and cycle for life, so while it is active the copy is right).
/// Returns {3, false, false, new version} when written, else LOAD's reply.
///
/// The common case costs three commands: GET, HMGET, HSET. The keys' TTLs (a week) are
/// renewed every 16th write rather than on every beat.
const COMMIT_OR_LOAD: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  local found = redis.call('HMGET', KEYS[3], ARGV[5], ARGV[5] .. ':v')
  local version = tonumber(found[2] or '0')
  if version == tonumber(ARGV[2]) then
    version = version + 1
    redis.call('HSET', KEYS[3], ARGV[5], ARGV[3], ARGV[5] .. ':v', version)
    if version % 16 == 1 then
      redis.call('PEXPIRE', KEYS[3], ARGV[4])
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
    end
    return {3, false, false, version}
  end
end
local record = redis.call('HGET', KEYS[2], ARGV[1])
if not record then return {0, false, false, false} end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {1, false, false, false} end
local field = string.match(record, '^(%-?%d+:%-?%d+):')
if not field then return redis.error_reply('corrupt session record') end
local found = redis.call('HMGET', KEYS[3], field, field .. ':v')
return {2, record, found[1], found[2]}
";

/// KEYS: watch states. ARGV: watch field, state, ttl ms. Returns 1 if written.
const SEED: &str = r"
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':v', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
";

/// KEYS: dirty shard. ARGV: member, score, member, score, ... Removes each member whose
/// score is still the one the flusher saw; a newer write keeps it dirty.
const REMOVE_UNCHANGED: &str = r"
local removed = 0
for i = 1, #ARGV, 2 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return removed
";

#[derive(Debug)]
pub struct Scripts {
    pub start_session: Script,
    pub load: Script,
    pub commit: Script,
    pub commit_or_load: Script,
    pub seed: Script,
    pub remove_unchanged: Script,
}

impl Default for Scripts {
    fn default() -> Self {
        Self {
            start_session: Script::new(START_SESSION),
            load: Script::new(LOAD),
            commit: Script::new(COMMIT),
            commit_or_load: Script::new(COMMIT_OR_LOAD),
            seed: Script::new(SEED),
            remove_unchanged: Script::new(REMOVE_UNCHANGED),
        }
    }
}
