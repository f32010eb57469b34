//! The app SIGKILLed mid-exam and restarted: saved answers, the deadline (so the remaining
//! time) and the attempt survive; submits cut off by the kill leave each attempt either open
//! or graded with its credit, never in between.
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    app::{AppConfig, AppProcess},
    client::Api,
    services::{Services, tools_available},
    world::{EXAM_DURATION_S, ExamWorld, attempt, correct_sheet},
};

const SUBMITTERS: usize = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_mid_exam_loses_nothing() {
    if !tools_available("sigkill_mid_exam_loses_nothing") {
        return;
    }
    let services = Services::start();
    let config = AppConfig {
        database_url: Some(services.pg.url("postgres")),
        redis_url: Some(services.redis.url()),
        ..AppConfig::default()
    };
    let mut app = AppProcess::start(services.dir.path(), config);
    let w = ExamWorld::build(Api::new(app.base_url()), &app.database_url(), SUBMITTERS as u32 + 1).await;

    // Learner 0 is mid-exam with half the paper answered.
    let started = w.start(0).await;
    assert_eq!(started.status, StatusCode::CREATED);
    let attempt_id = started.body["attempt_id"].as_i64().unwrap();
    let deadline = started.body["deadline"].as_str().unwrap().to_owned();
    let started_at = Instant::now();
    let half: serde_json::Map<_, _> = correct_sheet(&w.db, attempt_id).await.into_iter().take(5).collect();
    assert_eq!(w.save(0, attempt_id, half.clone()).await, StatusCode::OK);

    // The others submit all at once; the app dies under them.
    let mut attempts = Vec::new();
    for learner in 1..=SUBMITTERS {
        attempts.push(w.ready_to_submit(learner).await);
    }
    let mut submits = Vec::new();
    for (i, id) in attempts.iter().enumerate() {
        let (api, token) = (w.api.clone(), w.learners[i + 1].0.clone());
        let path = format!("/api/v1/attempts/{id}/submit");
        submits.push(tokio::spawn(async move { api.try_post(&path, &token).await }));
    }
    // Killed as soon as the first grade is committed, with the other submits in flight.
    let first_graded = Instant::now();
    while graded_count(&w, &attempts).await == 0 && first_graded.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    app.kill9();
    let mut answered = 0;
    for s in submits {
        answered += usize::from(s.await.unwrap().is_some_and(|a| a.status == StatusCode::OK));
    }
    app.restart();

    let mut graded = 0;
    for (i, id) in attempts.iter().enumerate() {
        graded += usize::from(w.assert_whole(i + 1, *id).await);
    }
    assert!(graded >= answered, "{answered} submits answered 200 but only {graded} attempts are graded");
    eprintln!("SIGKILL during {SUBMITTERS} submits: {answered} answered, {graded} graded before the kill");

    // Learner 0 resumes: same attempt, same paper, same deadline, so the right remaining time.
    let resumed = w.start(0).await;
    assert_eq!(resumed.status, StatusCode::OK, "{resumed:?}");
    assert_eq!(resumed.body["attempt_id"].as_i64(), Some(attempt_id));
    assert_eq!(resumed.body["questions"], started.body["questions"]);
    assert_eq!(resumed.body["deadline"].as_str(), Some(deadline.as_str()));
    let remaining = (deadline.parse::<DateTime<Utc>>().unwrap() - Utc::now()).num_seconds();
    let expected = EXAM_DURATION_S - started_at.elapsed().as_secs() as i64;
    assert!((remaining - expected).abs() <= 3, "remaining {remaining} s, expected about {expected} s");
    let view = w.api.get(&format!("/api/v1/attempts/{attempt_id}"), Some(&w.learners[0].0)).await;
    assert_eq!(view.body["status"], "open", "{view:?}");
    let stored = attempt(&w.db, attempt_id).await.answers;
    for (qid, keys) in &half {
        assert_eq!(&stored[qid], keys, "answer to question {qid} lost in the kill");
    }

    // Everyone finishes: each attempt graded once and credited once.
    assert_eq!(w.save(0, attempt_id, correct_sheet(&w.db, attempt_id).await).await, StatusCode::OK);
    let ids: Vec<i64> = std::iter::once(attempt_id).chain(attempts).collect();
    for (learner, id) in ids.iter().enumerate() {
        let r = w.api.post(&format!("/api/v1/attempts/{id}/submit"), Some(&w.learners[learner].0), json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{r:?}");
        assert_eq!(r.body["passed"], true, "{r:?}");
        assert!(w.assert_whole(learner, *id).await);
    }
}

async fn graded_count(w: &ExamWorld, attempts: &[i64]) -> usize {
    let mut graded = 0;
    for id in attempts {
        graded += usize::from(attempt(&w.db, *id).await.graded_at.is_some());
    }
    graded
}
