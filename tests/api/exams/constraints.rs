//! The schema alone refuses a third attempt and a second open attempt.
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;
use xueshi::entities::exam_attempt;

use super::world::*;
use crate::both_backends;
use crate::helpers::*;

fn row(
    exam_id: i32,
    learner_id: i32,
    course_id: i32,
    attempt_no: i32,
    max: i32,
    status: &str,
) -> exam_attempt::ActiveModel {
    let now = Utc::now();
    exam_attempt::ActiveModel {
        exam_id: Set(exam_id),
        learner_id: Set(learner_id),
        course_id: Set(course_id),
        cycle: Set(1),
        attempt_no: Set(attempt_no),
        max_attempts: Set(max),
        status: Set(status.into()),
        paper: Set(json!({"items": []})),
        answers: Set(json!({})),
        answers_rev: Set(0),
        answers_saved_at: Set(None),
        started_at: Set(now),
        deadline: Set(now + Duration::seconds(600)),
        submitted_at: Set(None),
        score: Set(Some(0.0)),
        passed: Set(Some(false)),
        graded_at: Set(None),
        ..Default::default()
    }
}

/// The insert fails, and for the expected kind of constraint (SQLite and PostgreSQL both name it).
async fn refused(row: exam_attempt::ActiveModel, db: &sea_orm::DatabaseConnection, constraint: &str, what: &str) {
    match row.insert(db).await {
        Ok(_) => panic!("{what} was accepted"),
        Err(e) => assert!(e.to_string().to_lowercase().contains(constraint), "{what}: {e}"),
    }
}

async fn database_enforces_attempt_rules(backend: Backend) {
    let w = world(backend).await;
    let learner = w.learner(95).await;
    let db = &w.app.app_state.db;
    let (exam, id, course) = (w.exam_id as i32, learner.id, w.course_id);
    row(exam, id, course, 1, 2, "open").insert(db).await.expect("first attempt");
    refused(row(exam, id, course, 2, 2, "open"), db, "unique", "a second open attempt").await;
    row(exam, id, course, 2, 2, "submitted").insert(db).await.expect("second attempt");
    refused(row(exam, id, course, 3, 2, "submitted"), db, "check", "a third attempt").await;
    refused(row(exam, id, course, 3, 3, "submitted"), db, "foreign key", "a third, claiming 3 are allowed").await;
    refused(row(exam, id, course, 2, 2, "expired"), db, "unique", "attempt 2 twice").await;
    refused(row(exam, id, course, 0, 2, "submitted"), db, "check", "attempt 0").await;
    refused(row(exam, id, course, 1, 2, "lost"), db, "check", "an unknown status").await;
}
both_backends!(the_database_alone_forbids_a_third_and_a_second_open_attempt, database_enforces_attempt_rules);
