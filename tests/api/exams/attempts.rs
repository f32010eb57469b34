//! Exam set-up, drawing, resuming, autosave, submitting and the deadline sweeper.
use std::collections::HashSet;

use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use xueshi::entities::exam_attempt;
use xueshi::exams::{exam_summary, sweeper::sweep_once};

use super::world::*;
use crate::both_backends;
use crate::helpers::*;

async fn exam_setup_checks_the_bank(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let base = app.create_org("另一基地", "base", None).await;
    let (course, _) = course_with_lectures(app, base as i32, "public_elective").await;
    let r = import(app, "ethics.json", sample("professional_ethics.json"), "职业道德").await;
    let draft = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let exam = |bank: i64, draw: Value| json!({"course_id": course, "bank_id": bank, "duration_s": 900, "draw": draw});
    let ok_draw = json!({"single": 8, "multiple": 4, "judge": 4});
    let r = app.post("/api/v1/exams", Some(&app.admin_token), exam(draft, ok_draw.clone())).await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "bank_not_published".into()));
    app.post(&format!("/api/v1/question-banks/{draft}/publish"), Some(&app.admin_token), json!({})).await;
    let r = app
        .post("/api/v1/exams", Some(&app.admin_token), exam(draft, json!({"single": 9, "multiple": 4, "judge": 4})))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "not_enough_questions");
    assert_eq!(v["error"]["details"], json!([{"kind": "single", "have": 8, "need": 9}]));
    let r = app.post("/api/v1/exams", Some(&app.admin_token), exam(draft, ok_draw.clone())).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = app.post("/api/v1/exams", Some(&app.admin_token), exam(draft, ok_draw)).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "exam_exists".into()));
    // Attempts and pass mark from the policy (Weihai 2023: two attempts; pass at 60).
    let summary = exam_summary(&app.app_state.db, course).await.unwrap().unwrap();
    assert_eq!((summary.id as i64, summary.duration_s, summary.pass_score, summary.max_attempts), (id, 900, 60.0, 2));
    assert!(exam_summary(&app.app_state.db, course + 1000).await.unwrap().is_none());
}
both_backends!(exam_setup_needs_a_published_big_enough_bank, exam_setup_checks_the_bank);

async fn draw_resume_and_secrecy(backend: Backend) {
    let w = world(backend).await;
    let learner = w.ready_learner(71).await;
    let r = w.start(&learner).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let text = r.text().await.unwrap();
    assert!(!text.to_lowercase().contains("answer"), "the paper leaks an answer: {text}");
    let paper: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(paper["attempt_no"], 1);
    let questions = paper["questions"].as_array().unwrap();
    let kinds: Vec<&str> = questions.iter().map(|q| q["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, [vec!["single"; 5], vec!["multiple"; 2], vec!["judge"; 3]].concat());
    let ids: HashSet<i64> = questions.iter().map(|q| q["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 10);
    for q in questions {
        let keys: Vec<&str> = q["options"].as_array().unwrap().iter().map(|o| o["key"].as_str().unwrap()).collect();
        let expected: &[&str] =
            if q["kind"] == "judge" { &["T", "F"] } else { &["A", "B", "C", "D", "E", "F"][..keys.len()] };
        assert_eq!(keys, expected);
    }
    // On another phone: the same attempt, paper and deadline, and what was saved so far.
    let first = questions[0]["id"].as_i64().unwrap();
    let attempt = paper["attempt_id"].as_i64().unwrap();
    assert_eq!(w.save(&learner, attempt, json!({ first.to_string(): ["b"] })).await.status(), StatusCode::OK);
    let r = w.start(&learner).await;
    assert_eq!(r.status(), StatusCode::OK);
    let again: Value = r.json().await.unwrap();
    assert_eq!(again["attempt_id"], paper["attempt_id"]);
    assert_eq!(again["deadline"], paper["deadline"]);
    assert_eq!(again["questions"], paper["questions"]);
    assert_eq!(again["selected"], json!({ first.to_string(): ["B"] }));
    let state: Value =
        w.app.get(&format!("/api/v1/attempts/{attempt}"), Some(&learner.token)).await.json().await.unwrap();
    assert_eq!(state["status"], "open");
    assert!(state["remaining_s"].as_i64().unwrap() > DURATION_S - 60);
    assert!(state.get("score").is_none());
    // Someone else's attempt does not exist for them; nor does an exam for an unready learner.
    let other = w.learner(72).await;
    assert_eq!(
        w.app.get(&format!("/api/v1/attempts/{attempt}"), Some(&other.token)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.save(&other, attempt, json!({})).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(w.submit(&other, attempt).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(w.start(&other).await).await, (StatusCode::FORBIDDEN, "lectures_incomplete".into()));
    let r = w.app.post("/api/v1/exams/9999/attempts", Some(&other.token), json!({})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
both_backends!(papers_follow_the_draw_resume_and_never_show_answers, draw_resume_and_secrecy);

async fn submit_grades_and_credits_once(backend: Backend) {
    let w = world(backend).await;
    let learner = w.ready_learner(73).await;
    let attempt = w.start_new(&learner).await["attempt_id"].as_i64().unwrap();
    let r = w.save(&learner, attempt, json!({"999999": ["A"]})).await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers".into()));
    let sheet = correct_sheet(&w.app, attempt).await;
    let first = sheet.as_object().unwrap().keys().next().unwrap().clone();
    let r = w.save(&learner, attempt, json!({ first: ["Z"] })).await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers".into()));
    let r = w.save(&learner, attempt, sheet).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.json::<Value>().await.unwrap()["saved_at"].is_string());
    let outcome = w.submit_ok(&learner, attempt).await;
    assert_eq!(outcome, json!({"score": 100.0, "passed": true, "hours_credited": HOURS, "attempts_left": 0}));
    assert_eq!(w.submit_ok(&learner, attempt).await, outcome, "a repeat gives the same answer");
    let r = w.save(&learner, attempt, json!({})).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "attempt_closed".into()));
    let state: Value =
        w.app.get(&format!("/api/v1/attempts/{attempt}"), Some(&learner.token)).await.json().await.unwrap();
    assert_eq!(
        (state["status"].clone(), state["score"].clone(), state["passed"].clone()),
        (json!("submitted"), json!(100.0), json!(true))
    );
    assert_eq!(w.archive(&learner).await, (HOURS, 1));
    assert_eq!(error_code(w.start(&learner).await).await, (StatusCode::CONFLICT, "already_passed".into()));
}
both_backends!(a_pass_is_graded_and_credited_once, submit_grades_and_credits_once);

async fn sweeper_grades_at_the_deadline(backend: Backend) {
    let w = world(backend).await;
    let learner = w.ready_learner(74).await;
    let idle = w.ready_learner(75).await;
    let attempt = w.start_new(&learner).await["attempt_id"].as_i64().unwrap();
    let idle_attempt = w.start_new(&idle).await["attempt_id"].as_i64().unwrap();
    let sheet = correct_sheet(&w.app, attempt).await;
    assert_eq!(w.save(&learner, attempt, sheet).await.status(), StatusCode::OK);
    assert_eq!(sweep_once(&w.app.app_state).await.unwrap(), 0, "nothing is due yet");
    w.app.app_state.clock.advance(DURATION_S + 1);
    // Too late to save: refused, and the saved answers stand.
    let r = w.save(&idle, idle_attempt, json!({})).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "attempt_closed".into()));
    // The sweeper (this call, or the background one) graded it without anybody asking.
    assert!(sweep_once(&w.app.app_state).await.unwrap() <= 1, "the idle one was graded on access already");
    let row = exam_attempt::Entity::find_by_id(attempt).one(&w.app.app_state.db).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.score, row.submitted_at), ("expired", Some(100.0), None));
    let state: Value =
        w.app.get(&format!("/api/v1/attempts/{attempt}"), Some(&learner.token)).await.json().await.unwrap();
    assert_eq!((state["status"].clone(), state["passed"].clone()), (json!("expired"), json!(true)));
    assert!(state.get("remaining_s").is_none());
    let idle_state: Value =
        w.app.get(&format!("/api/v1/attempts/{idle_attempt}"), Some(&idle.token)).await.json().await.unwrap();
    assert_eq!((idle_state["status"].clone(), idle_state["score"].clone()), (json!("expired"), json!(0.0)));
    assert_eq!(w.archive(&learner).await, (HOURS, 1));
    assert_eq!(w.archive(&idle).await, (0.0, 0));
    // Submitting an expired attempt gives its result; the next sweep finds nothing.
    let outcome = w.submit_ok(&idle, idle_attempt).await;
    assert_eq!(outcome, json!({"score": 0.0, "passed": false, "hours_credited": 0.0, "attempts_left": 1}));
    assert_eq!(sweep_once(&w.app.app_state).await.unwrap(), 0);
}
both_backends!(the_sweeper_grades_attempts_at_their_deadline, sweeper_grades_at_the_deadline);
