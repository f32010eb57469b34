//! Redis killed mid-lecture and restarted empty, then flushed after the lecture completed:
//! beats answer 503 while it is down, the app recovers by itself, the watched part that was
//! flushed and every completion survive.
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    app::{AppConfig, AppProcess},
    client::{Answer, Api},
    services::{Services, tools_available},
    world::{connect, course, progress_row},
};

const LECTURE_S: f64 = 24.0;

/// A learner's player: beats its real position (1x, from the server's point of view).
pub struct Player<'a> {
    pub api: &'a Api,
    pub token: &'a str,
    pub session: String,
    origin: Instant,
    from_s: f64,
}

impl<'a> Player<'a> {
    pub async fn play(api: &'a Api, token: &'a str, lecture: i32) -> Player<'a> {
        let r = api.post(&format!("/api/v1/lectures/{lecture}/play"), Some(token), json!({})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{r:?}");
        let session = r.body["session_id"].as_str().unwrap().to_owned();
        let from_s = r.body["resume_s"].as_f64().unwrap_or(0.0);
        Player { api, token, session, origin: Instant::now(), from_s }
    }

    pub fn position(&self) -> f64 {
        (self.from_s + self.origin.elapsed().as_secs_f64()).min(LECTURE_S)
    }

    pub async fn beat(&self) -> Answer {
        let path = format!("/api/v1/play/{}/beat", self.session);
        self.api.post(&path, Some(self.token), json!({"position_s": self.position()})).await
    }

    /// Beats every second until the position reaches `until_s` (or the lecture completes).
    pub async fn watch_until(&self, until_s: f64) -> Value {
        let start = Instant::now();
        loop {
            assert!(start.elapsed() < Duration::from_secs(60), "watching never got to {until_s} s");
            let r = self.beat().await;
            assert_eq!(r.status, StatusCode::OK, "beat at {:.1}: {r:?}", self.position());
            if self.position() >= until_s || r.body["completed"] == true {
                return r.body;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

pub async fn wait_ready(api: &Api, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let r = api.get("/readyz", None).await;
        if r.status == StatusCode::OK {
            return start.elapsed();
        }
        assert!(start.elapsed() < within, "the app did not recover within {within:?}: {r:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_killed_and_flushed_mid_lecture() {
    if !tools_available("redis_killed_and_flushed_mid_lecture") {
        return;
    }
    let mut services = Services::start();
    let config = AppConfig {
        database_url: Some(services.pg.url("postgres")),
        redis_url: Some(services.redis.url()),
        ..AppConfig::default()
    };
    let app = AppProcess::start(services.dir.path(), config);
    let api = Api::new(app.base_url());
    let db = connect(&app.database_url()).await;
    let admin = api.admin().await;
    let employer = api.create_org(&admin, "医院", "employer", None).await;
    let base = api.create_org(&admin, "基地", "base", None).await;
    let (course_id, lectures) = course(&db, base, 1.0, &[LECTURE_S]).await;
    let (token, learner) = api.user(&admin, &xueshi::demo::demo_id_number(801), "learner", Some(employer)).await;

    let player = Player::play(&api, &token, lectures[0]).await;
    player.watch_until(12.0).await;
    tokio::time::sleep(Duration::from_millis(800)).await; // a flush or more
    let flushed = progress_row(&db, learner, lectures[0]).await.expect("flushed progress");
    assert!(flushed.watched_s >= 10.0, "the first segment was flushed: {flushed:?}");

    services.redis.kill();
    let down = player.beat().await;
    down.assert_unavailable("beat while Redis is down");
    api.get("/readyz", None).await.assert_unavailable("readyz while Redis is down");
    let replay = api.post(&format!("/api/v1/lectures/{}/play", lectures[0]), Some(&token), json!({})).await;
    replay.assert_unavailable("play while Redis is down");

    services.redis.restart();
    let recovered = wait_ready(&api, Duration::from_secs(20)).await;
    eprintln!("Redis back empty: app ready again after {recovered:?}");
    // The session lived in Redis only: it is gone (404), and the player starts a new one that
    // resumes from what the database holds.
    let lost = player.beat().await;
    assert!(matches!(lost.status, StatusCode::NOT_FOUND | StatusCode::OK), "{lost:?}");
    let player = Player::play(&api, &token, lectures[0]).await;
    assert!(player.from_s >= 0.0);
    let progress = api.get(&format!("/api/v1/courses/{course_id}/progress"), Some(&token)).await;
    let coverage = progress.body["lectures"][0]["coverage"].as_f64().unwrap();
    assert!(coverage >= flushed.coverage - 1e-9, "flushed watching lost: {progress:?} vs {flushed:?}");
    let done = player.watch_until(LECTURE_S + 1.0).await;
    assert_eq!(done["completed"], true, "{done}");
    let row = progress_row(&db, learner, lectures[0]).await.unwrap();
    assert!(row.completed, "a completion is in the database before it is reported: {row:?}");

    services.redis.flushall().await;
    let progress = api.get(&format!("/api/v1/courses/{course_id}/progress"), Some(&token)).await;
    assert_eq!(progress.status, StatusCode::OK, "{progress:?}");
    assert_eq!(progress.body["lectures"][0]["completed"], true, "completion lost with FLUSHALL: {progress:?}");
    let again = Player::play(&api, &token, lectures[0]).await;
    let beat = again.beat().await;
    assert_eq!((beat.status, beat.body["completed"].clone()), (StatusCode::OK, json!(true)), "{beat:?}");
}
