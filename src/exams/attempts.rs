//! Starting (or resuming) an attempt and reading its state. Starting is race-proof through
//! the database: two simultaneous starts both try to insert attempt n, the unique indexes
//! let one through, and the other re-reads and resumes that attempt.
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde::Serialize;
use serde_json::json;

use super::{
    cycle, grading,
    paper::{self, BankQuestion, ClientQuestion, DrawRule, Paper},
    question_cache::QuestionCache,
    records,
};
use crate::{
    entities::{exam, exam_attempt},
    error::{AppError, AppResult},
    rules::exam_policy::{self, StartDecision},
};

/// A paper as handed to the learner: questions without answers, and what they chose so far.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StartedAttempt {
    pub attempt_id: i64,
    pub attempt_no: i32,
    pub cycle: i32,
    pub deadline: DateTime<Utc>,
    pub remaining_s: i64,
    pub questions: Vec<ClientQuestion>,
    /// Options saved so far by question id, in displayed keys (for a resumed attempt).
    #[schema(value_type = Object)]
    pub selected: serde_json::Value,
    /// False for a new attempt (201), true when an open one is handed back (200).
    #[serde(skip)]
    pub resumed: bool,
}

/// Starts the learner's next attempt, or hands back the open one (same paper, same deadline).
#[tracing::instrument(skip_all, fields(learner = learner_id, exam = exam_id))]
pub async fn start(
    db: &DatabaseConnection,
    questions: &QuestionCache,
    learner_id: i32,
    exam_id: i32,
    now: DateTime<Utc>,
) -> AppResult<StartedAttempt> {
    let exam = records::find_exam(db, exam_id).await?;
    records::published_course(db, exam.course_id).await?;
    // A lost insert race or an overdue attempt closed on the way means: look again.
    for _ in 0..5 {
        let cycle = cycle::current_cycle(db, learner_id, exam.course_id).await?;
        let attempts = records::cycle_attempts(db, exam.id, learner_id, cycle).await?;
        if let Some(overdue) = attempts.iter().find(|a| records::is_overdue(a, now)) {
            grading::close(db, overdue.id, now).await?;
            continue;
        }
        let passed = records::passed_before(db, exam.id, learner_id).await?;
        let complete = cycle::lectures_completed(db, learner_id, exam.course_id, cycle).await?;
        let max_attempts = u32::try_from(exam.max_attempts).unwrap_or(0);
        match exam_policy::decide_start(max_attempts, &records::summaries(&attempts), complete, passed) {
            StartDecision::ResumeOpen { .. } => {
                if let Some(open) = attempts.iter().find(|a| a.status == records::OPEN) {
                    return resume(db, questions, &exam, open, now).await;
                }
            }
            StartDecision::StartNew { attempt_no } => {
                match open_attempt(db, questions, &exam, learner_id, cycle, attempt_no, now).await {
                    Err(e) if records::is_unique_violation(&e) => continue,
                    other => return other,
                }
            }
            StartDecision::LecturesIncomplete => return Err(lectures_incomplete()),
            StartDecision::RestudyRequired => return Err(restudy_required()),
            StartDecision::AlreadyPassed => {
                return Err(AppError::conflict("already_passed", "本课程考试已通过 (exam already passed)"));
            }
        }
    }
    Err(AppError::conflict("attempt_busy", "请稍后重试 (busy, retry)"))
}

fn lectures_incomplete() -> AppError {
    AppError::forbidden("lectures_incomplete", "请先学完本课程全部讲次 (complete every lecture first)")
}

fn restudy_required() -> AppError {
    AppError::locked("restudy_required", "两次考试均未通过，请申请重新学习 (both attempts failed: apply to restudy)")
}

async fn open_attempt(
    db: &DatabaseConnection,
    questions: &QuestionCache,
    exam: &exam::Model,
    learner_id: i32,
    cycle: i32,
    attempt_no: u32,
    now: DateTime<Utc>,
) -> AppResult<StartedAttempt> {
    let rule: DrawRule = serde_json::from_value(exam.draw.clone()).map_err(|e| records::corrupt("draw rule", e))?;
    let bank = questions.of_bank(db, exam.bank_id).await?;
    let paper = draw(&bank, rule)?;
    let deadline = now.trunc_subsecs(0) + Duration::seconds(i64::from(exam.duration_s));
    let row = exam_attempt::ActiveModel {
        exam_id: Set(exam.id),
        learner_id: Set(learner_id),
        course_id: Set(exam.course_id),
        cycle: Set(cycle),
        attempt_no: Set(i32::try_from(attempt_no).unwrap_or(i32::MAX)),
        max_attempts: Set(exam.max_attempts),
        status: Set(records::OPEN.into()),
        paper: Set(json!(paper)),
        answers: Set(json!({})),
        answers_rev: Set(0),
        answers_saved_at: Set(None),
        started_at: Set(now),
        deadline: Set(deadline),
        submitted_at: Set(None),
        score: Set(None),
        passed: Set(None),
        graded_at: Set(None),
        ..Default::default()
    };
    let attempt = exam_attempt::Entity::insert(row).exec_with_returning(db).await?;
    view_paper(&attempt, &paper, &bank, now, false)
}

/// Draws with the thread's generator, kept out of any `.await` (it is not `Send`).
fn draw(bank: &[BankQuestion], rule: DrawRule) -> AppResult<Paper> {
    paper::draw_paper(&mut rand::rng(), bank, rule)
        .map_err(|e| AppError::unprocessable("bank_too_small", format!("题库试题不足 (bank too small): {e}")))
}

/// The paper's questions all come from the exam's bank version (an exam keeps the version it
/// was built on), so the cached bank serves a resume too.
async fn resume(
    db: &DatabaseConnection,
    questions: &QuestionCache,
    exam: &exam::Model,
    attempt: &exam_attempt::Model,
    now: DateTime<Utc>,
) -> AppResult<StartedAttempt> {
    let paper = records::paper_of(attempt)?;
    let bank = questions.of_bank(db, exam.bank_id).await?;
    view_paper(attempt, &paper, &bank, now, true)
}

fn view_paper(
    attempt: &exam_attempt::Model,
    paper: &Paper,
    questions: &[BankQuestion],
    now: DateTime<Utc>,
    resumed: bool,
) -> AppResult<StartedAttempt> {
    let client = paper::client_view(paper, questions).map_err(|e| records::corrupt("paper", e))?;
    let selected: BTreeMap<String, Vec<String>> =
        records::answers_of(attempt)?.into_iter().map(|(id, keys)| (id.to_string(), keys)).collect();
    Ok(StartedAttempt {
        attempt_id: attempt.id,
        attempt_no: attempt.attempt_no,
        cycle: attempt.cycle,
        deadline: attempt.deadline,
        remaining_s: remaining_s(attempt, now),
        questions: client,
        selected: json!(selected),
        resumed,
    })
}

fn remaining_s(attempt: &exam_attempt::Model, now: DateTime<Utc>) -> i64 {
    (attempt.deadline - now).num_seconds().max(0)
}

/// An attempt's state. No answer key: that is never sent.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttemptView {
    pub id: i64,
    pub exam_id: i32,
    pub cycle: i32,
    pub attempt_no: i32,
    /// `open`, `submitted` or `expired`.
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_s: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
}

/// The learner's attempt; one past its deadline is graded first, so it reads as closed.
#[tracing::instrument(skip_all, fields(attempt = id))]
pub async fn view(db: &DatabaseConnection, learner_id: i32, id: i64, now: DateTime<Utc>) -> AppResult<AttemptView> {
    let mut attempt = records::owned_attempt(db, learner_id, id).await?;
    if records::is_overdue(&attempt, now) {
        grading::close(db, id, now).await?;
        attempt = records::find_attempt(db, id).await?;
    }
    let open = attempt.status == records::OPEN;
    Ok(AttemptView {
        id: attempt.id,
        exam_id: attempt.exam_id,
        cycle: attempt.cycle,
        attempt_no: attempt.attempt_no,
        remaining_s: open.then(|| remaining_s(&attempt, now)),
        status: attempt.status,
        started_at: attempt.started_at,
        deadline: attempt.deadline,
        score: attempt.score,
        passed: attempt.passed,
    })
}
