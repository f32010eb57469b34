//! PostgreSQL restarted (immediate shutdown: connections cut as in a crash) during exam
//! submits and during progress flushes: while it is down the app answers 503 in the JSON
//! error shape within a bound, recovers by itself, and nothing is lost or graded twice.
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::{
    app::{AppConfig, AppProcess},
    client::{Answer, Api},
    redis_loss::{Player, wait_ready},
    services::{Services, tools_available},
    world::{ExamWorld, attempt, connect, correct_sheet, course, progress_row},
};

const LEARNERS: usize = 8;

fn app_on(services: &Services) -> AppProcess {
    let config = AppConfig {
        database_url: Some(services.pg.url("postgres")),
        redis_url: Some(services.redis.url()),
        ..AppConfig::default()
    };
    AppProcess::start(services.dir.path(), config)
}

/// Submits until graded, accepting only 200 or a well-formed 503 on the way.
async fn submit_until_graded(api: Api, token: String, attempt_id: i64) -> (Answer, usize) {
    let start = Instant::now();
    let mut unavailable = 0;
    loop {
        let r = api.post(&format!("/api/v1/attempts/{attempt_id}/submit"), Some(&token), json!({})).await;
        if r.status == StatusCode::OK {
            return (r, unavailable);
        }
        r.assert_unavailable("submit while PostgreSQL restarts");
        unavailable += 1;
        assert!(start.elapsed() < Duration::from_secs(60), "submit never recovered");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_restart_during_submits() {
    if !tools_available("postgres_restart_during_submits") {
        return;
    }
    let mut services = Services::start();
    let app = app_on(&services);
    let w = ExamWorld::build(Api::new(app.base_url()), &app.database_url(), LEARNERS as u32).await;
    let mut attempts = Vec::new();
    for learner in 0..LEARNERS {
        attempts.push(w.ready_to_submit(learner).await);
    }
    let sheets = futures_util::future::join_all(attempts.iter().map(|id| correct_sheet(&w.db, *id))).await;
    let submit = |learner: usize| {
        tokio::spawn(submit_until_graded(w.api.clone(), w.learners[learner].0.clone(), attempts[learner]))
    };
    // Half submit as the database goes down, half while it is down.
    let mut tasks: Vec<_> = (0..LEARNERS / 2).map(submit).collect();
    services.pg.stop();
    tasks.extend((LEARNERS / 2..LEARNERS).map(submit));
    w.api.get("/api/v1/me/archive?year=2026", Some(&w.learners[0].0)).await.assert_unavailable("archive, db down");
    w.api.get("/readyz", None).await.assert_unavailable("readyz, db down");
    tokio::time::sleep(Duration::from_secs(2)).await;
    services.pg.restart();
    let recovered = wait_ready(&w.api, Duration::from_secs(30)).await;

    let mut refused = 0;
    for (learner, task) in tasks.into_iter().enumerate() {
        let (graded, unavailable) = task.await.unwrap();
        refused += unavailable;
        assert_eq!((graded.body["passed"].clone(), graded.body["score"].as_f64()), (json!(true), Some(100.0)));
        assert!(w.assert_whole(learner, attempts[learner]).await);
        let stored = attempt(&w.db, attempts[learner]).await.answers;
        assert_eq!(stored, serde_json::Value::Object(sheets[learner].clone()), "saved answers changed");
    }
    assert!(refused > 0, "no submit met the outage: the scenario proved nothing");
    eprintln!(
        "PostgreSQL restart during {LEARNERS} submits: {refused} answers of 503, ready {recovered:?} after restart"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_restart_during_progress_flush() {
    if !tools_available("postgres_restart_during_progress_flush") {
        return;
    }
    let mut services = Services::start();
    let app = app_on(&services);
    let api = Api::new(app.base_url());
    let db = connect(&app.database_url()).await;
    let admin = api.admin().await;
    let employer = api.create_org(&admin, "医院", "employer", None).await;
    let base = api.create_org(&admin, "基地", "base", None).await;
    let (_, lectures) = course(&db, base, 1.0, &[24.0]).await;
    let (token, learner) = api.user(&admin, &xueshi::demo::demo_id_number(802), "learner", Some(employer)).await;

    let player = Player::play(&api, &token, lectures[0]).await;
    player.watch_until(4.0).await;
    services.pg.stop();
    // Beats live in Redis: watching goes on while every flush fails.
    let during = player.watch_until(11.0).await;
    assert!(during["watched_s"].as_f64().unwrap() >= 10.0, "{during}");
    api.get("/api/v1/me", Some(&token)).await.assert_unavailable("me, db down");
    services.pg.restart();
    wait_ready(&api, Duration::from_secs(30)).await;
    // The flusher catches up by itself (the beats keep marking the state dirty).
    let since = Instant::now();
    loop {
        let beat = player.beat().await;
        assert_eq!(beat.status, StatusCode::OK, "{beat:?}");
        let row = progress_row(&db, learner, lectures[0]).await;
        if row.as_ref().is_some_and(|r| r.watched_s >= 10.0) {
            eprintln!("progress flushed {:?} after PostgreSQL was ready again", since.elapsed());
            break;
        }
        let late = since.elapsed() > Duration::from_secs(8);
        assert!(!late, "watching during the outage never reached the database: {row:?}\n{}", app.log());
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let done = player.watch_until(25.0).await;
    assert_eq!(done["completed"], true, "{done}");
    assert!(progress_row(&db, learner, lectures[0]).await.unwrap().completed);
}
