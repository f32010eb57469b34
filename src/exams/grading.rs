//! Closing an attempt (交卷): grading exactly once, whoever closes it (the learner's submit, a
//! read after the deadline, or the sweeper), and crediting a pass in the same transaction.
//!
//! Exactly once: the grade is written by `UPDATE … WHERE status = 'open' AND answers_rev = ?`.
//! Only one closer sees a row change; the others find the attempt closed and read its result.
//! The revision check means the grade is always on the latest saved answers.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
    sea_query::Expr,
};
use serde::Serialize;

use super::{banks, paper, records};
use crate::{
    archive::ledger::{self, NewCredit, SourceKind},
    entities::{course, credit, exam_attempt},
    error::{AppError, AppResult},
    rules::{
        annual_summary::{Category, PublicSubkind},
        exam_policy,
    },
};

/// What a closed attempt came to; the same on every repeat of a submit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Outcome {
    pub score: f64,
    pub passed: bool,
    /// Hours in the learner's archive from this course (0 unless passed).
    pub hours_credited: f64,
    /// Attempts still available in this study cycle (0 once passed).
    pub attempts_left: u32,
}

/// The learner hands in their paper. After the deadline it is graded as expired, on what was
/// saved by then. Repeats answer the same.
#[tracing::instrument(skip_all, fields(attempt = id))]
pub async fn submit(db: &DatabaseConnection, learner_id: i32, id: i64, now: DateTime<Utc>) -> AppResult<Outcome> {
    let attempt = records::owned_attempt(db, learner_id, id).await?;
    if attempt.status == records::OPEN {
        close(db, id, now).await?;
    }
    outcome(db, &records::find_attempt(db, id).await?).await
}

/// Grades and closes an open attempt: `submitted` before its deadline, `expired` from then
/// on. Returns whether this call was the one that closed it.
#[tracing::instrument(skip_all, fields(attempt = id))]
pub(crate) async fn close(db: &DatabaseConnection, id: i64, now: DateTime<Utc>) -> AppResult<bool> {
    // Each retry means an answer was saved between reading and grading; saves stop at the
    // deadline, so this ends quickly.
    for _ in 0..10 {
        let attempt = records::find_attempt(db, id).await?;
        if attempt.status != records::OPEN {
            return Ok(false);
        }
        let grade = grade(db, &attempt).await?;
        let exam = records::find_exam(db, attempt.exam_id).await?;
        let passed = exam_policy::passes(exam.pass_score, grade.score);
        if write_grade(db, &attempt, grade.score, passed, now).await? {
            return Ok(true);
        }
    }
    Err(AppError::conflict("attempt_busy", "答卷正在保存，请稍后重试 (answers are being saved, retry)"))
}

async fn grade(db: &impl ConnectionTrait, attempt: &exam_attempt::Model) -> AppResult<paper::Grade> {
    let paper = records::paper_of(attempt)?;
    let answers: HashMap<i64, Vec<String>> = records::answers_of(attempt)?;
    let ids = paper.items.iter().map(|item| item.question_id).collect();
    let questions = banks::questions_by_id(db, ids).await?;
    paper::grade(&paper, &questions, &answers).map_err(|e| records::corrupt("paper", e))
}

/// The conditional update and, for a pass, the credit, in one transaction. False when the
/// attempt changed since it was read (closed by another caller, or answers saved).
async fn write_grade(
    db: &DatabaseConnection,
    attempt: &exam_attempt::Model,
    score: f64,
    passed: bool,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let expired = now >= attempt.deadline;
    let course = course::Entity::find_by_id(attempt.course_id).one(db).await?.ok_or(AppError::NotFound)?;
    // The transaction starts with its write, so SQLite takes the write lock at once.
    let txn = db.begin().await?;
    let changed = exam_attempt::Entity::update_many()
        .col_expr(
            exam_attempt::Column::Status,
            Expr::value(if expired { records::EXPIRED } else { records::SUBMITTED }),
        )
        .col_expr(exam_attempt::Column::Score, Expr::value(score))
        .col_expr(exam_attempt::Column::Passed, Expr::value(passed))
        .col_expr(exam_attempt::Column::GradedAt, Expr::value(now))
        .col_expr(exam_attempt::Column::SubmittedAt, Expr::value(if expired { None } else { Some(now) }))
        .filter(exam_attempt::Column::Id.eq(attempt.id))
        .filter(exam_attempt::Column::Status.eq(records::OPEN))
        .filter(exam_attempt::Column::AnswersRev.eq(attempt.answers_rev))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    if passed {
        // An attempt that ran out counts on its deadline's day (it matters on 31 December).
        let at = if expired { attempt.deadline } else { now };
        ledger::credit(&txn, course_credit(&course, attempt.learner_id, at)?).await?;
    }
    let reason = format!("score {score}, {}", if passed { "passed" } else { "failed" });
    let target = attempt.id.to_string();
    crate::audit::record(
        &txn,
        Some(attempt.learner_id),
        "exam_attempt.graded",
        "exam_attempt",
        &target,
        Some(&reason),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// The credit a passed course earns: its hours, in its category, for the year it was passed.
fn course_credit(course: &course::Model, learner_id: i32, at: DateTime<Utc>) -> AppResult<NewCredit> {
    let (category, public_subkind) = match course.category.as_str() {
        "public_required" => (Category::Public, Some(PublicSubkind::Required)),
        "public_elective" => (Category::Public, Some(PublicSubkind::Elective)),
        "professional" => (Category::Professional, None),
        other => return Err(records::corrupt("course category", other)),
    };
    Ok(NewCredit {
        learner_id,
        year: ledger::year_of(at),
        category,
        public_subkind,
        source: SourceKind::CoursePass { online: true },
        source_id: course.id.to_string(),
        title: course.title.clone(),
        hours: course.hours,
        at,
    })
}

/// The result of a closed attempt, read back from what is stored.
pub(crate) async fn outcome(db: &impl ConnectionTrait, attempt: &exam_attempt::Model) -> AppResult<Outcome> {
    let passed = attempt.passed.unwrap_or(false);
    let hours_credited = if passed { credited_hours(db, attempt.learner_id, attempt.course_id).await? } else { 0.0 };
    let attempts_left = if passed {
        0
    } else {
        let cycle = records::cycle_attempts(db, attempt.exam_id, attempt.learner_id, attempt.cycle).await?;
        exam_policy::attempts_left(u32::try_from(attempt.max_attempts).unwrap_or(0), &records::summaries(&cycle))
    };
    Ok(Outcome { score: attempt.score.unwrap_or(0.0), passed, hours_credited, attempts_left })
}

async fn credited_hours(db: &impl ConnectionTrait, learner_id: i32, course_id: i32) -> AppResult<f64> {
    let hours: Vec<f64> = credit::Entity::find()
        .select_only()
        .column(credit::Column::Hours)
        .filter(credit::Column::LearnerId.eq(learner_id))
        .filter(credit::Column::SourceKind.eq("course_pass"))
        .filter(credit::Column::SourceId.eq(course_id.to_string()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(hours.iter().sum())
}
