//! The progress store is a cache: losing it loses at most the unflushed partial watching,
//! never a completion; app nodes sharing one store and one database behave as one.
use reqwest::StatusCode;
use serde_json::Value;

use super::fixture::*;
use crate::both_backends;
use crate::helpers::*;

/// Loses the store's contents (Redis: deletes the app's keys, like FLUSHALL; in-process: a
/// new node with an empty store). Returns the app to continue on.
async fn lose_store(app: TestApp, backend: Backend) -> (TestApp, Option<TestApp>) {
    match backend {
        Backend::Services => {
            let settings = &app.app_state.settings;
            let client = redis::Client::open(settings.redis_url.clone().expect("redis url")).expect("redis");
            let mut conn = client.get_multiplexed_async_connection().await.expect("redis");
            let keys: Vec<String> = redis::cmd("KEYS")
                .arg(format!("{}:*", settings.redis_prefix))
                .query_async(&mut conn)
                .await
                .expect("keys");
            assert!(!keys.is_empty());
            let _: i64 = redis::cmd("DEL").arg(&keys).query_async(&mut conn).await.expect("del");
            (app, None)
        }
        Backend::Embedded => {
            let fresh = spawn_app_sharing(&app).await;
            (fresh, Some(app))
        }
    }
}

async fn losing_the_store_keeps_completions(backend: Backend) {
    let app = app_without_flusher(backend).await;
    let emp = employer(&app).await;
    let who = learner(&app, emp, 21).await;
    let course = course(&app, "published", &["ready", "ready"]).await;
    let (first, _) = play_ok(&app, &who, course.lectures[0]).await;
    let done = watch(&app, &who, &first, &whole_lecture_from(0.0), 10).await;
    assert_eq!(done["completed"].as_bool(), Some(true));

    let (second, _) = play_ok(&app, &who, course.lectures[1]).await;
    app.app_state.clock.advance(10);
    watch(&app, &who, &second, &[0.0, 10.0, 20.0], 10).await;
    assert!(xueshi::watching::flush_once(&app.app_state).await.expect("flush") >= 1);
    let flushed = stored(&app, &who, course.lectures[1]).await.expect("flushed row");
    assert_eq!(flushed.watched_s, 20.0);
    app.app_state.clock.advance(10);
    assert_eq!(num(&beat_ok(&app, &who, &second, 30.0).await, "watched_s"), 30.0);

    let (app, old_node) = lose_store(app, backend).await;
    let p = progress(&app, &who, course.id).await;
    assert_eq!(p["lectures"][0]["completed"].as_bool(), Some(true), "{p}");
    let coverage = num(&p["lectures"][1], "coverage");
    assert!((2.0 / 6.0 - 1e-9..=3.0 / 6.0 + 1e-9).contains(&coverage), "{p}");
    // The session went with the store: the player starts again, where the database left off.
    let (status, _) = error_code(beat(&app, &who, &second, 40.0).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (again, started) = play_ok(&app, &who, course.lectures[1]).await;
    assert_eq!(num(&started, "resume_s"), 20.0);
    app.app_state.clock.advance(10);
    let done = watch(&app, &who, &again, &whole_lecture_from(20.0), 10).await;
    assert_eq!(done["completed"].as_bool(), Some(true));
    let p = progress(&app, &who, course.id).await;
    assert_eq!(p["completed"].as_bool(), Some(true));
    let db = &app.app_state.db;
    assert_eq!(xueshi::watching::lectures_completed(db, who.id, course.id, 1).await.ok(), Some(true));
    // A node that lost touch flushes its older copy late: the newer, completed one stays.
    if let Some(old) = old_node {
        assert_eq!(xueshi::watching::flush_once(&old.app_state).await.expect("late flush"), 1);
        let row = stored(&app, &who, course.lectures[1]).await.expect("row");
        assert!(row.completed && row.watched_s == DURATION_S, "{row:?}");
    }
}
both_backends!(losing_the_store_loses_no_completion, losing_the_store_keeps_completions);

/// A state the store lost while its session lived (eviction) is reloaded from the database.
/// (Redis only: the in-process store never drops a state on its own.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_evicted_state_is_reloaded_from_the_database() {
    if !services_available().await {
        return;
    }
    let app = app_without_flusher(Backend::Services).await;
    let emp = employer(&app).await;
    let who = learner(&app, emp, 22).await;
    let course = course(&app, "published", &["ready"]).await;
    let (session, _) = play_ok(&app, &who, course.lectures[0]).await;
    watch(&app, &who, &session, &[0.0, 10.0, 20.0], 10).await;
    xueshi::watching::flush_once(&app.app_state).await.expect("flush");
    let settings = &app.app_state.settings;
    let client = redis::Client::open(settings.redis_url.clone().expect("redis url")).expect("redis");
    let mut conn = client.get_multiplexed_async_connection().await.expect("redis");
    let states = format!("{}:{{l:{}}}:w", settings.redis_prefix, who.id);
    let _: i64 = redis::cmd("DEL").arg(&states).query_async(&mut conn).await.expect("del");
    app.app_state.clock.advance(10);
    let after = beat_ok(&app, &who, &session, 30.0).await;
    assert_eq!(num(&after, "watched_s"), 30.0, "{after}");
}

/// One learner beats on one node; another, on the same schedule, alternates between two
/// nodes sharing the Redis and the database: their answers are the same.
/// (Redis only: in-process stores are per node by design.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_sharing_redis_and_database_behave_as_one() {
    if !services_available().await {
        return;
    }
    let a = spawn_app(Backend::Services).await;
    let b = spawn_app_sharing(&a).await;
    let emp = employer(&a).await;
    let (alone, roaming) = (learner(&a, emp, 23).await, learner(&a, emp, 24).await);
    let course = course(&a, "published", &["ready"]).await;
    let (s1, _) = play_ok(&a, &alone, course.lectures[0]).await;
    let (s2, _) = play_ok(&b, &roaming, course.lectures[0]).await;
    let schedule = [0.0, 10.0, 20.0, 20.0, 45.0, 50.0, 30.0, 40.0, 50.0, 60.0, 60.0];
    let mut answers: Vec<(Value, Value)> = Vec::new();
    for (i, p) in schedule.iter().enumerate() {
        let node = if i % 2 == 0 { &a } else { &b };
        answers.push((beat_ok(&a, &alone, &s1, *p).await, beat_ok(node, &roaming, &s2, *p).await));
        a.app_state.clock.advance(10);
        b.app_state.clock.advance(10);
    }
    for (i, (one, two)) in answers.iter().enumerate() {
        assert_eq!(one, two, "beat {i} at {}", schedule[i]);
    }
    let last = &answers[answers.len() - 1].0;
    assert!(num(last, "watched_s") > 0.0 && num(last, "watched_s") < 60.0, "{last}");
    // Both nodes report the same progress.
    assert_eq!(progress(&a, &roaming, course.id).await, progress(&b, &roaming, course.id).await);
}
