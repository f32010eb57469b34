//! One contract, run against both stores. The Redis cases need Redis at 127.0.0.1:6379
//! (`REDIS_URL` overrides); without it they are skipped loudly, or fail when
//! `XUESHI_REQUIRE_SERVICES=1`. Each Redis test uses its own random key prefix.

use chrono::{TimeZone, Utc};

use super::*;
use crate::rules::watch::{BeatVerdict, WatchState};
use redis_fixture::RedisFixture;

mod redis_fixture;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn session(id: &str, learner_id: i64, lecture_id: i64) -> PlaySession {
    PlaySession {
        session_id: id.to_owned(),
        learner_id,
        lecture_id,
        cycle: 1,
        started_at: Utc.timestamp_millis_opt(1_734_685_200_000).single().unwrap_or_default(),
    }
}

fn policy() -> WatchPolicy {
    WatchPolicy {
        segment_seconds: 30,
        max_playback_rate: 1.25,
        completion_threshold: 0.95,
        tolerance_s: 2.0,
        max_silence_s: 120.0,
    }
}

fn fresh_state(duration_s: f64) -> Result<WatchState, WatchError> {
    WatchState::new(duration_s, policy().segment_seconds)
}

/// A state that differs from the fresh one by its position.
fn state_at(position_s: f64) -> Result<WatchState, WatchError> {
    let mut state = fresh_state(600.0)?;
    state.position_s = position_s;
    Ok(state)
}

async fn start_supersedes(store: &dyn ProgressStore) -> TestResult {
    let (first, second) = (session("s1", 7, 100), session("s2", 7, 200));
    store.start_session(&first).await?;
    assert_eq!(store.load(7, "s1").await?.session, first);
    store.start_session(&second).await?;
    assert!(matches!(store.load(7, "s1").await, Err(StoreError::Superseded)));
    let loaded = store.load(7, "s2").await?;
    assert_eq!((loaded.session, loaded.state, loaded.version), (second, None, 0));
    let late = store.commit(&first, 0, &state_at(10.0)?).await;
    assert!(matches!(late, Err(StoreError::Superseded)));
    Ok(())
}

async fn unknown_session(store: &dyn ProgressStore) -> TestResult {
    assert!(matches!(store.load(7, "nope").await, Err(StoreError::UnknownSession)));
    store.start_session(&session("s1", 7, 100)).await?;
    // Someone else's session is unknown to this learner.
    assert!(matches!(store.load(8, "s1").await, Err(StoreError::UnknownSession)));
    assert!(matches!(store.load(7, "s9").await, Err(StoreError::UnknownSession)));
    Ok(())
}

async fn compare_and_set_conflict(store: &dyn ProgressStore) -> TestResult {
    let active = session("s1", 7, 100);
    store.start_session(&active).await?;
    assert!(store.seed_state(active.watch_key(), &state_at(0.0)?).await?);
    let loaded = store.load(7, "s1").await?;
    let next = store.commit(&active, loaded.version, &state_at(10.0)?).await?;
    assert_eq!(next, loaded.version + 1);
    let stale = store.commit(&active, loaded.version, &state_at(20.0)?).await;
    assert!(matches!(stale, Err(StoreError::Conflict)));
    let reloaded = store.load(7, "s1").await?;
    assert_eq!((reloaded.state, reloaded.version), (Some(state_at(10.0)?), next));
    Ok(())
}

async fn dirty_tracking(store: &dyn ProgressStore) -> TestResult {
    let (a, b) = (session("a", 7, 100), session("b", 8, 100));
    for s in [&a, &b] {
        store.start_session(s).await?;
        store.commit(s, 0, &state_at(10.0)?).await?;
    }
    store.commit(&a, 1, &state_at(20.0)?).await?;
    let mut taken = store.take_dirty(1).await?;
    assert_eq!(taken.len(), 1);
    taken.extend(store.take_dirty(10).await?);
    taken.sort_by_key(|d| d.learner_id);
    let summary: Vec<(i64, i64, i32, f64)> =
        taken.iter().map(|d| (d.learner_id, d.lecture_id, d.cycle, d.state.position_s)).collect();
    assert_eq!(summary, vec![(7, 100, 1, 20.0), (8, 100, 1, 10.0)]);
    assert!(store.take_dirty(10).await?.is_empty());
    store.commit(&b, 1, &state_at(30.0)?).await?;
    let again = store.take_dirty(10).await?;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].state.position_s, 30.0);
    Ok(())
}

/// Commits race with takes; whatever the interleaving, the last state taken is the last
/// state written.
async fn dirty_survives_concurrent_take(store: &dyn ProgressStore) -> TestResult {
    let active = session("s1", 7, 100);
    store.start_session(&active).await?;
    let writer = async {
        for step in 0..100u32 {
            store.commit(&active, u64::from(step), &state_at(f64::from(step))?).await?;
            tokio::task::yield_now().await;
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    };
    let reader = async {
        let mut last_seen = None;
        for _ in 0..100 {
            if let Some(d) = store.take_dirty(10).await?.pop() {
                last_seen = Some(d.state.position_s);
            }
            tokio::task::yield_now().await;
        }
        Ok::<_, Box<dyn std::error::Error>>(last_seen)
    };
    let (written, read) = tokio::join!(writer, reader);
    written?;
    let mut last_seen = read?;
    if let Some(d) = store.take_dirty(10).await?.pop() {
        last_seen = Some(d.state.position_s);
    }
    assert_eq!(last_seen, Some(99.0));
    Ok(())
}

async fn seed_is_put_if_absent(store: &dyn ProgressStore) -> TestResult {
    let active = session("s1", 7, 100);
    store.start_session(&active).await?;
    assert!(store.seed_state(active.watch_key(), &state_at(40.0)?).await?);
    assert!(!store.seed_state(active.watch_key(), &state_at(50.0)?).await?);
    assert_eq!(store.state(active.watch_key()).await?, Some(state_at(40.0)?));
    // The database already has a seeded state: nothing to flush.
    assert!(store.take_dirty(10).await?.is_empty());
    let loaded = store.load(7, "s1").await?;
    assert!(loaded.version > 0);
    store.commit(&active, loaded.version, &state_at(45.0)?).await?;
    Ok(())
}

async fn ping(store: &dyn ProgressStore) -> TestResult {
    store.ping().await?;
    Ok(())
}

async fn beats_apply_atomically(store: &dyn ProgressStore) -> TestResult {
    let active = session("s1", 7, 100);
    store.start_session(&active).await?;
    let t0 = Utc.with_ymd_and_hms(2024, 12, 20, 9, 0, 0).single().unwrap_or_default();
    let policy = policy();
    let beat = |position: f64, wall_s: i64| {
        let at = t0 + chrono::Duration::seconds(wall_s);
        apply_beat_atomically(store, &policy, 7, "s1", position, at)
    };
    assert!(matches!(beat(0.0, 0).await, Err(BeatError::StateMissing(s)) if s == active));
    store.seed_state(active.watch_key(), &fresh_state(60.0)?).await?;
    assert_eq!(beat(0.0, 0).await?.outcome.verdict, BeatVerdict::SessionStart);
    // A retried request racing the original: both are stored, neither is lost.
    let (first, second) = tokio::join!(beat(15.0, 15), beat(15.0, 15));
    first?;
    second?;
    let done = beat(30.0, 30).await?;
    assert_eq!(done.outcome.watched_s, 30.0);
    assert!(!done.outcome.completed);
    assert!(beat(60.0, 60).await?.outcome.newly_completed);
    assert!(matches!(beat(-1.0, 61).await, Err(BeatError::Rule(_))));
    store.start_session(&session("s2", 7, 100)).await?;
    assert!(matches!(beat(60.0, 75).await, Err(BeatError::Store(StoreError::Superseded))));
    Ok(())
}

async fn commit_or_reload_hands_back_the_current_state(store: &dyn ProgressStore) -> TestResult {
    let active = session("s1", 7, 100);
    store.start_session(&active).await?;
    store.seed_state(active.watch_key(), &state_at(0.0)?).await?;
    let loaded = store.load(7, "s1").await?;
    let done = store.commit_or_reload(&active, loaded.version, &state_at(10.0)?).await?;
    assert_eq!(done, Commit::Done(loaded.version + 1));
    let stale = store.commit_or_reload(&active, loaded.version, &state_at(20.0)?).await?;
    let current = Loaded { session: active.clone(), state: Some(state_at(10.0)?), version: loaded.version + 1 };
    assert_eq!(stale, Commit::Stale(current));
    let remembered = store.remembered(7, "s1");
    let at_ten = Some(state_at(10.0)?);
    assert!(remembered.is_none_or(|r| r.version == loaded.version + 1 && r.state == at_ten));
    assert!(store.remembered(7, "other").is_none());
    store.start_session(&session("s2", 7, 100)).await?;
    let late = store.commit_or_reload(&active, loaded.version + 1, &state_at(30.0)?).await;
    assert!(matches!(late, Err(StoreError::Superseded)));
    let foreign = store.commit_or_reload(&session("s2", 8, 100), 0, &state_at(30.0)?).await;
    assert!(matches!(foreign, Err(StoreError::UnknownSession)));
    Ok(())
}

/// Two nodes sharing one Redis, beats alternating between them: each node's remembered copy
/// is stale every other beat, and the result is that of one node.
async fn redis_two_nodes_alternate(node_a: &RedisProgressStore, node_b: &RedisProgressStore) -> TestResult {
    let active = session("s1", 7, 100);
    node_a.start_session(&active).await?;
    node_a.seed_state(active.watch_key(), &fresh_state(60.0)?).await?;
    let t0 = Utc.with_ymd_and_hms(2024, 12, 20, 9, 0, 0).single().unwrap_or_default();
    let policy = policy();
    let mut last = None;
    for step in 0..=6i64 {
        let node: &dyn ProgressStore = if step % 2 == 0 { node_a } else { node_b };
        let at = t0 + chrono::Duration::seconds(step * 10);
        let position = (step * 10) as f64;
        last = Some(apply_beat_atomically(node, &policy, 7, "s1", position, at).await?.outcome);
    }
    let last = last.ok_or("no beat")?;
    assert_eq!((last.watched_s, last.completed), (60.0, true));
    let stored = node_b.state(active.watch_key()).await?.ok_or("no state")?;
    assert_eq!(stored, last.state);
    assert_eq!(node_a.load(7, "s1").await?.version, 1 + 7, "seed, then one version per beat");
    Ok(())
}

/// The Redis flusher's two phases with a commit in between: the member stays dirty.
async fn redis_take_keeps_update_made_during_it(store: &RedisProgressStore) -> TestResult {
    let active = session("s1", 7, 100);
    store.start_session(&active).await?;
    store.commit(&active, 0, &state_at(10.0)?).await?;
    let shard = store.keys().dirty_shard_of(7);
    let entries = store.read_dirty(&shard, 10).await?;
    assert_eq!(entries.len(), 1);
    store.commit(&active, 1, &state_at(20.0)?).await?;
    store.settle_dirty(&shard, &entries).await?;
    let taken = store.take_dirty(10).await?;
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].state.position_s, 20.0);
    assert!(store.take_dirty(10).await?.is_empty());
    Ok(())
}

macro_rules! contract_tests {
    ($($case:ident),* $(,)?) => {
        mod memory_store {
            $(
                #[tokio::test]
                async fn $case() -> super::TestResult {
                    super::$case(&super::MemoryProgressStore::new()).await
                }
            )*
        }
        mod redis_store {
            $(
                #[tokio::test]
                async fn $case() -> super::TestResult {
                    let Some(fixture) = super::RedisFixture::connect().await? else {
                        return Ok(());
                    };
                    let result = super::$case(&fixture.store).await;
                    fixture.cleanup().await?;
                    result
                }
            )*
        }
    };
}

contract_tests!(
    start_supersedes,
    unknown_session,
    compare_and_set_conflict,
    dirty_tracking,
    dirty_survives_concurrent_take,
    seed_is_put_if_absent,
    ping,
    beats_apply_atomically,
    commit_or_reload_hands_back_the_current_state,
);

#[tokio::test]
async fn redis_two_nodes_alternating_beats() -> TestResult {
    let Some(fixture) = RedisFixture::connect().await? else {
        return Ok(());
    };
    let second = fixture.second_node().await?;
    let result = redis_two_nodes_alternate(&fixture.store, &second).await;
    fixture.cleanup().await?;
    result
}

#[tokio::test]
async fn redis_take_keeps_concurrent_update() -> TestResult {
    let Some(fixture) = RedisFixture::connect().await? else {
        return Ok(());
    };
    let result = redis_take_keeps_update_made_during_it(&fixture.store).await;
    fixture.cleanup().await?;
    result
}
