//! The courses and lectures a learner may watch: published courses, ready lectures.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{COURSE_PUBLISHED, LECTURE_READY};
use crate::{
    entities::{course, lecture},
    error::{AppError, AppResult},
};

/// A published course; anything else is not found.
pub(super) async fn published_course(db: &impl ConnectionTrait, course_id: i32) -> AppResult<course::Model> {
    course::Entity::find_by_id(course_id)
        .one(db)
        .await?
        .filter(|c| c.status == COURSE_PUBLISHED)
        .ok_or(AppError::NotFound)
}

/// A ready lecture of a published course, with its duration in seconds.
/// Not in a published course: 404. Not ready (still transcoding, failed): 409 `lecture_not_ready`.
pub(super) async fn playable_lecture(
    db: &impl ConnectionTrait,
    lecture_id: i32,
) -> AppResult<(lecture::Model, course::Model, f64)> {
    let lecture = lecture::Entity::find_by_id(lecture_id).one(db).await?.ok_or(AppError::NotFound)?;
    let course = published_course(db, lecture.course_id).await?;
    let duration = lecture.duration_s.filter(|d| d.is_finite() && *d > 0.0);
    match duration {
        Some(duration) if lecture.status == LECTURE_READY => Ok((lecture, course, duration)),
        _ => Err(AppError::conflict("lecture_not_ready", "视频尚未就绪 (the lecture video is not ready yet)")),
    }
}

/// The lectures that count for a course: the ready ones, in their order.
pub(super) async fn ready_lectures(db: &impl ConnectionTrait, course_id: i32) -> AppResult<Vec<lecture::Model>> {
    Ok(lecture::Entity::find()
        .filter(lecture::Column::CourseId.eq(course_id))
        .filter(lecture::Column::Status.eq(LECTURE_READY))
        .order_by_asc(lecture::Column::Position)
        .order_by_asc(lecture::Column::Id)
        .all(db)
        .await?)
}
