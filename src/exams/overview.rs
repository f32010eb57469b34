//! What the exam page shows before any attempt is started (考试须知): the exam's numbers and
//! what would happen on "start" — the same decision `attempts::start` takes, without opening
//! an attempt, so a page can say "学完全部讲次后才能考试" or offer restudy up front.
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use super::{cycle, grading, records};
use crate::{
    error::AppResult,
    rules::exam_policy::{self, StartDecision},
};

/// The learner's standing with one exam.
#[derive(Debug, Serialize)]
pub struct ExamOverview {
    pub exam_id: i32,
    pub course_id: i32,
    pub course_title: String,
    pub course_hours: f64,
    pub duration_s: i32,
    pub pass_score: f64,
    pub max_attempts: i32,
    pub cycle: i32,
    /// `start`, `resume`, `lectures_incomplete`, `restudy_required` or `passed`.
    pub state: &'static str,
    /// The attempt that `start` would open or resume (0 when none can be started).
    pub attempt_no: u32,
    pub attempts_left: u32,
    /// The most recent graded attempt of this cycle, if any.
    pub last_score: Option<f64>,
}

/// The learner's standing with exam `exam_id` (404 for an unknown exam or unpublished course).
/// An attempt past its deadline is graded first, as every other read does.
#[tracing::instrument(skip_all, fields(learner = learner_id, exam = exam_id))]
pub async fn overview(
    db: &DatabaseConnection,
    learner_id: i32,
    exam_id: i32,
    now: DateTime<Utc>,
) -> AppResult<ExamOverview> {
    let exam = records::find_exam(db, exam_id).await?;
    let course = records::published_course(db, exam.course_id).await?;
    let cycle = cycle::current_cycle(db, learner_id, exam.course_id).await?;
    let mut attempts = records::cycle_attempts(db, exam.id, learner_id, cycle).await?;
    if let Some(overdue) = attempts.iter().find(|a| records::is_overdue(a, now)) {
        grading::close(db, overdue.id, now).await?;
        attempts = records::cycle_attempts(db, exam.id, learner_id, cycle).await?;
    }
    let passed = records::passed_before(db, exam.id, learner_id).await?;
    let complete = cycle::lectures_completed(db, learner_id, exam.course_id, cycle).await?;
    let max_attempts = u32::try_from(exam.max_attempts).unwrap_or(0);
    let summaries = records::summaries(&attempts);
    let (state, attempt_no) = match exam_policy::decide_start(max_attempts, &summaries, complete, passed) {
        StartDecision::ResumeOpen { attempt_no } => ("resume", attempt_no),
        StartDecision::StartNew { attempt_no } => ("start", attempt_no),
        StartDecision::LecturesIncomplete => ("lectures_incomplete", 0),
        StartDecision::RestudyRequired => ("restudy_required", 0),
        StartDecision::AlreadyPassed => ("passed", 0),
    };
    let last_score = attempts.iter().rev().find_map(|a| a.score);
    Ok(ExamOverview {
        exam_id: exam.id,
        course_id: course.id,
        course_title: course.title,
        course_hours: course.hours,
        duration_s: exam.duration_s,
        pass_score: exam.pass_score,
        max_attempts: exam.max_attempts,
        cycle,
        state,
        attempt_no,
        attempts_left: if passed { 0 } else { exam_policy::attempts_left(max_attempts, &summaries) },
        last_score,
    })
}
