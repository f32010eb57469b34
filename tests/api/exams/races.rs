//! Simultaneous starts and submits: the database decides, once.
use std::collections::HashSet;

use futures_util::future::join_all;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use xueshi::entities::{audit_log, credit};

use super::world::*;
use crate::both_backends;
use crate::helpers::*;

async fn parallel_starts_make_one_attempt(backend: Backend) {
    let w = world(backend).await;
    let learner = w.ready_learner(91).await;
    let responses = join_all((0..50).map(|_| w.start(&learner))).await;
    let mut created = 0;
    let mut ids = HashSet::new();
    for r in responses {
        match r.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("unexpected {other}: {}", r.text().await.unwrap_or_default()),
        }
        ids.insert(r.json::<Value>().await.unwrap()["attempt_id"].as_i64().unwrap());
    }
    assert_eq!((created, ids.len()), (1, 1));
    assert_eq!(attempts_of(&w.app, &learner).await.len(), 1);
}
both_backends!(fifty_parallel_starts_make_exactly_one_attempt, parallel_starts_make_one_attempt);

async fn parallel_submits_grade_once(backend: Backend) {
    let w = world(backend).await;
    let learner = w.ready_learner(92).await;
    let attempt = w.start_new(&learner).await["attempt_id"].as_i64().unwrap();
    let sheet = correct_sheet(&w.app, attempt).await;
    assert_eq!(w.save(&learner, attempt, sheet).await.status(), StatusCode::OK);
    let responses = join_all((0..20).map(|_| w.submit(&learner, attempt))).await;
    let mut outcomes = HashSet::new();
    for r in responses {
        assert_eq!(r.status(), StatusCode::OK);
        outcomes.insert(r.text().await.unwrap());
    }
    assert_eq!(outcomes.len(), 1, "every submit gives the same answer: {outcomes:?}");
    let db = &w.app.app_state.db;
    let graded = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("exam_attempt.graded"))
        .filter(audit_log::Column::TargetId.eq(attempt.to_string()))
        .count(db)
        .await
        .unwrap();
    assert_eq!(graded, 1, "graded exactly once");
    let credits = credit::Entity::find().filter(credit::Column::LearnerId.eq(learner.id)).count(db).await.unwrap();
    assert_eq!(credits, 1);
    assert_eq!(w.archive(&learner).await, (HOURS, 1));
}
both_backends!(twenty_parallel_submits_grade_and_credit_once, parallel_submits_grade_once);
