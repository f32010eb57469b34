//! Study cycles (学习周期) as the exam sees them: who may sit the exam (every lecture completed
//! in the current cycle), and restudy (申请重新学习), which opens the next cycle once both
//! attempts of the current one failed. Earlier cycles and their attempts are kept.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use super::{grading, records};
use crate::{
    entities::course_cycle,
    error::{AppError, AppResult},
    rules::exam_policy,
};

/// The learner's current cycle of a course (one definition, in `watching::cycles`).
pub(crate) async fn current_cycle(db: &impl ConnectionTrait, learner_id: i32, course_id: i32) -> AppResult<i32> {
    crate::watching::cycles::current_cycle(db, learner_id, course_id).await
}

/// Whether every lecture of the course is completed in `cycle` (see `watching::cycles`).
pub(crate) async fn lectures_completed(
    db: &impl ConnectionTrait,
    learner_id: i32,
    course_id: i32,
    cycle: i32,
) -> AppResult<bool> {
    crate::watching::cycles::lectures_completed(db, learner_id, course_id, cycle).await
}

/// Opens the next study cycle when the exam is locked (both attempts failed); 409 otherwise.
#[tracing::instrument(skip_all, fields(learner = learner_id, course = course_id))]
pub async fn restudy(
    db: &sea_orm::DatabaseConnection,
    learner_id: i32,
    course_id: i32,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    records::published_course(db, course_id).await?;
    let exam = records::exam_of_course(db, course_id).await?.ok_or_else(not_allowed)?;
    let cycle = current_cycle(db, learner_id, course_id).await?;
    let mut attempts = records::cycle_attempts(db, exam.id, learner_id, cycle).await?;
    if let Some(overdue) = attempts.iter().find(|a| records::is_overdue(a, now)) {
        grading::close(db, overdue.id, now).await?;
        attempts = records::cycle_attempts(db, exam.id, learner_id, cycle).await?;
    }
    let passed = records::passed_before(db, exam.id, learner_id).await?;
    let max_attempts = u32::try_from(exam.max_attempts).unwrap_or(0);
    if !exam_policy::can_restudy(max_attempts, &records::summaries(&attempts), passed) {
        return Err(not_allowed());
    }
    let inserted = course_cycle::Entity::insert(course_cycle::ActiveModel {
        learner_id: Set(learner_id),
        course_id: Set(course_id),
        cycle: Set(cycle + 1),
        started_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await
    .map_err(AppError::from);
    match inserted {
        Ok(_) => {}
        // A simultaneous request opened the same next cycle: the outcome is the same.
        Err(e) if records::is_unique_violation(&e) => return current_cycle(db, learner_id, course_id).await,
        Err(e) => return Err(e),
    }
    crate::audit::record(db, Some(learner_id), "course.restudy", "course", &course_id.to_string(), None, now).await?;
    Ok(cycle + 1)
}

fn not_allowed() -> AppError {
    AppError::conflict(
        "restudy_not_allowed",
        "仅在两次考试均未通过后可申请重新学习 (restudy is only possible once every attempt has failed)",
    )
}
