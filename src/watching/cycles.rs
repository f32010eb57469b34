//! Study cycles (学习周期): watch progress counts per cycle; applying to study again
//! (申请重新学习) after a locked exam starts the next one with nothing watched.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::catalog;
use crate::{
    entities::{course_cycle, lecture_progress},
    error::AppResult,
};

/// The learner's current cycle of a course: the latest started, or 1 when none was started
/// yet (the cycle the first play will start).
#[tracing::instrument(skip_all)]
pub async fn current_cycle(db: &impl ConnectionTrait, learner_id: i32, course_id: i32) -> AppResult<i32> {
    Ok(latest(db, learner_id, course_id).await?.unwrap_or(1))
}

async fn latest(db: &impl ConnectionTrait, learner_id: i32, course_id: i32) -> AppResult<Option<i32>> {
    let row = course_cycle::Entity::find()
        .filter(course_cycle::Column::LearnerId.eq(learner_id))
        .filter(course_cycle::Column::CourseId.eq(course_id))
        .order_by_desc(course_cycle::Column::Cycle)
        .one(db)
        .await?;
    Ok(row.map(|r| r.cycle))
}

/// The current cycle, starting cycle 1 on the learner's first play of the course.
pub(super) async fn ensure_cycle(
    db: &impl ConnectionTrait,
    learner_id: i32,
    course_id: i32,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    match latest(db, learner_id, course_id).await? {
        Some(cycle) => Ok(cycle),
        None => insert_cycle(db, learner_id, course_id, 1, now).await,
    }
}

/// Starts the next cycle (restudy). Call it in the transaction that unlocks the exam; two
/// racing calls start the same cycle once (the unique key makes the second a no-op).
#[tracing::instrument(skip_all)]
pub async fn start_new_cycle(
    txn: &impl ConnectionTrait,
    learner_id: i32,
    course_id: i32,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    let next = latest(txn, learner_id, course_id).await?.unwrap_or(1) + 1;
    insert_cycle(txn, learner_id, course_id, next, now).await
}

async fn insert_cycle(
    db: &impl ConnectionTrait,
    learner_id: i32,
    course_id: i32,
    cycle: i32,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    let row = course_cycle::ActiveModel {
        learner_id: Set(learner_id),
        course_id: Set(course_id),
        cycle: Set(cycle),
        started_at: Set(now),
        ..Default::default()
    };
    let unique = [course_cycle::Column::LearnerId, course_cycle::Column::CourseId, course_cycle::Column::Cycle];
    course_cycle::Entity::insert(row).on_conflict_do_nothing_on(unique).exec_without_returning(db).await?;
    Ok(cycle)
}

/// Whether every ready lecture of the course is completed in `cycle`, from the database
/// (authoritative: a completion is written there before the beat that made it is answered).
/// A course without ready lectures is not completed.
#[tracing::instrument(skip_all)]
pub async fn lectures_completed(
    db: &impl ConnectionTrait,
    learner_id: i32,
    course_id: i32,
    cycle: i32,
) -> AppResult<bool> {
    let lecture_ids: Vec<i32> = catalog::ready_lectures(db, course_id).await?.into_iter().map(|l| l.id).collect();
    if lecture_ids.is_empty() {
        return Ok(false);
    }
    let completed = lecture_progress::Entity::find()
        .filter(lecture_progress::Column::LearnerId.eq(learner_id))
        .filter(lecture_progress::Column::Cycle.eq(cycle))
        .filter(lecture_progress::Column::Completed.eq(true))
        .filter(lecture_progress::Column::LectureId.is_in(lecture_ids.iter().copied()))
        .count(db)
        .await?;
    Ok(completed == lecture_ids.len() as u64)
}
