//! The two-attempt rule across study cycles: fail twice, locked, restudy, watch again, pass.
use reqwest::StatusCode;
use serde_json::json;

use super::world::*;
use crate::both_backends;
use crate::helpers::*;

async fn fail_twice_restudy_then_pass(backend: Backend) {
    fail_twice_restudy_then_pass_on(world(backend).await).await;
}

/// The whole story: the exam is drawn from the Excel bank an administrator filled in
/// (imported over HTTP and published by `world_with_bank`).
async fn excel_bank_fail_twice_restudy_then_pass(backend: Backend) {
    fail_twice_restudy_then_pass_on(world_with_bank(backend, "professional_ethics.xlsx").await).await;
}

async fn fail_twice_restudy_then_pass_on(w: World) {
    let learner = w.ready_learner(81).await;
    let restudy = format!("/api/v1/courses/{}/restudy", w.course_id);
    // Not locked yet: restudy is refused.
    let r = w.app.post(&restudy, Some(&learner.token), json!({})).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "restudy_not_allowed".into()));
    let first = w.sit(&learner, false).await;
    assert_eq!(first, json!({"score": 0.0, "passed": false, "hours_credited": 0.0, "attempts_left": 1}));
    let r = w.app.post(&restudy, Some(&learner.token), json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "one attempt left: no restudy yet");
    let second = w.sit(&learner, false).await;
    assert_eq!(second["attempts_left"], 0);
    assert_eq!(error_code(w.start(&learner).await).await, (StatusCode::LOCKED, "restudy_required".into()));
    let r = w.app.post(&restudy, Some(&learner.token), json!({})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap(), json!({"cycle": 2}));
    // A second application finds the exam no longer locked.
    let r = w.app.post(&restudy, Some(&learner.token), json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // Cycle 2: the lectures must be watched again first.
    assert_eq!(error_code(w.start(&learner).await).await, (StatusCode::FORBIDDEN, "lectures_incomplete".into()));
    w.complete_lectures(&learner, 2).await;
    let started = w.start_new(&learner).await;
    assert_eq!((started["attempt_no"].clone(), started["cycle"].clone()), (json!(1), json!(2)));
    let attempt = started["attempt_id"].as_i64().unwrap();
    assert_eq!(w.submit_ok(&learner, attempt).await["attempts_left"], 1);
    let pass = w.sit(&learner, true).await;
    assert_eq!(pass, json!({"score": 100.0, "passed": true, "hours_credited": HOURS, "attempts_left": 0}));
    assert_eq!(w.archive(&learner).await, (HOURS, 1), "the hours are in the archive exactly once");
    // History is kept: four attempts, numbered per cycle.
    let mut seen: Vec<(i32, i32, Option<bool>)> =
        attempts_of(&w.app, &learner).await.iter().map(|a| (a.cycle, a.attempt_no, a.passed)).collect();
    seen.sort();
    assert_eq!(seen, [(1, 1, Some(false)), (1, 2, Some(false)), (2, 1, Some(false)), (2, 2, Some(true))]);
    assert_eq!(error_code(w.start(&learner).await).await, (StatusCode::CONFLICT, "already_passed".into()));
    let r = w.app.post(&restudy, Some(&learner.token), json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}
both_backends!(two_failures_lock_until_restudy_then_a_pass_credits_once, fail_twice_restudy_then_pass);
both_backends!(an_excel_bank_exam_fails_twice_restudies_and_credits_once, excel_bank_fail_twice_restudy_then_pass);
