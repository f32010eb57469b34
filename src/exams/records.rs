//! Loading exams, courses and attempts for the exam services, with the visibility rules in one
//! place: a learner reaches only their own attempts and published courses; anything else is 404.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::paper::Paper;
use crate::{
    entities::{course, exam, exam_attempt},
    error::{AppError, AppResult},
    rules::exam_policy::{AttemptStatus, AttemptSummary},
};

pub(crate) const OPEN: &str = "open";
pub(crate) const SUBMITTED: &str = "submitted";
pub(crate) const EXPIRED: &str = "expired";
pub(crate) const PUBLISHED: &str = "published";

/// A stored value that no longer reads back is a bug or a corrupt row, never the client's fault.
pub(crate) fn corrupt(what: &str, error: impl std::fmt::Display) -> AppError {
    AppError::Other(anyhow::anyhow!("stored {what} unreadable: {error}"))
}

/// A unique index refused the write: someone else got there first.
pub(crate) fn is_unique_violation(error: &AppError) -> bool {
    matches!(error, AppError::Db(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))))
}

pub(crate) async fn find_exam(db: &impl ConnectionTrait, id: i32) -> AppResult<exam::Model> {
    exam::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

pub(crate) async fn exam_of_course(db: &impl ConnectionTrait, course_id: i32) -> AppResult<Option<exam::Model>> {
    Ok(exam::Entity::find().filter(exam::Column::CourseId.eq(course_id)).one(db).await?)
}

/// A course a learner may study: published ones only (others are not revealed).
pub(crate) async fn published_course(db: &impl ConnectionTrait, id: i32) -> AppResult<course::Model> {
    match course::Entity::find_by_id(id).one(db).await? {
        Some(c) if c.status == PUBLISHED => Ok(c),
        _ => Err(AppError::NotFound),
    }
}

/// The learner's own attempt; another learner's attempt is 404, as if it did not exist.
pub(crate) async fn owned_attempt(
    db: &impl ConnectionTrait,
    learner_id: i32,
    id: i64,
) -> AppResult<exam_attempt::Model> {
    match exam_attempt::Entity::find_by_id(id).one(db).await? {
        Some(a) if a.learner_id == learner_id => Ok(a),
        _ => Err(AppError::NotFound),
    }
}

pub(crate) async fn find_attempt(db: &impl ConnectionTrait, id: i64) -> AppResult<exam_attempt::Model> {
    exam_attempt::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

pub(crate) async fn cycle_attempts(
    db: &impl ConnectionTrait,
    exam_id: i32,
    learner_id: i32,
    cycle: i32,
) -> AppResult<Vec<exam_attempt::Model>> {
    Ok(exam_attempt::Entity::find()
        .filter(exam_attempt::Column::ExamId.eq(exam_id))
        .filter(exam_attempt::Column::LearnerId.eq(learner_id))
        .filter(exam_attempt::Column::Cycle.eq(cycle))
        .order_by_asc(exam_attempt::Column::AttemptNo)
        .all(db)
        .await?)
}

/// Whether any attempt of any cycle passed: the course's hours are then credited already.
pub(crate) async fn passed_before(db: &impl ConnectionTrait, exam_id: i32, learner_id: i32) -> AppResult<bool> {
    let passed = exam_attempt::Entity::find()
        .filter(exam_attempt::Column::ExamId.eq(exam_id))
        .filter(exam_attempt::Column::LearnerId.eq(learner_id))
        .filter(exam_attempt::Column::Passed.eq(true))
        .count(db)
        .await?;
    Ok(passed > 0)
}

/// The rule's view of the cycle's attempts.
pub(crate) fn summaries(attempts: &[exam_attempt::Model]) -> Vec<AttemptSummary> {
    attempts
        .iter()
        .map(|a| AttemptSummary {
            attempt_no: u32::try_from(a.attempt_no).unwrap_or(0),
            status: match (a.status.as_str(), a.passed) {
                (OPEN, _) => AttemptStatus::Open,
                (_, Some(true)) => AttemptStatus::Passed,
                _ => AttemptStatus::Failed,
            },
        })
        .collect()
}

pub(crate) fn paper_of(attempt: &exam_attempt::Model) -> AppResult<Paper> {
    serde_json::from_value(attempt.paper.clone()).map_err(|e| corrupt("paper", e))
}

/// Saved answers by question id, in displayed keys.
pub(crate) fn answers_of(attempt: &exam_attempt::Model) -> AppResult<HashMap<i64, Vec<String>>> {
    let by_key: HashMap<String, Vec<String>> =
        serde_json::from_value(attempt.answers.clone()).map_err(|e| corrupt("answers", e))?;
    by_key
        .into_iter()
        .map(|(key, keys)| key.parse::<i64>().map(|id| (id, keys)).map_err(|e| corrupt("answers", e)))
        .collect()
}

/// An open attempt whose time is up: it must be graded before anything else happens to it.
pub(crate) fn is_overdue(attempt: &exam_attempt::Model, now: chrono::DateTime<chrono::Utc>) -> bool {
    attempt.status == OPEN && now >= attempt.deadline
}
