//! What `GET /jobs/{id}` shows, and to whom: a transcode job to the admins who manage its
//! course, any job to platform admins; to everyone else it does not exist (404).
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::{
    queue,
    transcode::{self, TranscodePayload},
};
use crate::{
    auth::{AuthUser, Role},
    courses::access,
    entities::{course, job, lecture},
    error::{AppError, AppResult},
};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobView {
    pub id: i64,
    pub kind: String,
    /// queued | running | done | failed
    pub status: String,
    /// 0.0 ..= 1.0; 1.0 once done.
    pub progress: f64,
    pub attempts: i32,
    /// The last attempt's failure (also while a retry is queued).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl From<job::Model> for JobView {
    fn from(j: job::Model) -> Self {
        Self { id: j.id, kind: j.kind, status: j.status, progress: j.progress, attempts: j.attempts, error: j.error }
    }
}

#[tracing::instrument(skip_all, fields(user = user.id, job = id))]
pub async fn visible(db: &impl ConnectionTrait, user: &AuthUser, id: i64) -> AppResult<JobView> {
    let job = job::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if user.role == Role::PlatformAdmin || manages_course_of(db, user, &job).await? {
        Ok(job.into())
    } else {
        Err(AppError::NotFound)
    }
}

/// The unfinished (queued or running) transcode job of each of `lecture_ids` that has one, so
/// a page can follow a processing lecture's progress. Only the active queue is read.
pub async fn active_transcodes(db: &impl ConnectionTrait, lecture_ids: &[i32]) -> AppResult<HashMap<i32, JobView>> {
    if lecture_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let active = job::Entity::find()
        .filter(job::Column::Kind.eq(transcode::KIND))
        .filter(job::Column::Status.is_in([queue::status::QUEUED, queue::status::RUNNING]))
        .all(db)
        .await?;
    Ok(active
        .into_iter()
        .filter_map(|j| {
            let lecture_id = TranscodePayload::of(&j).ok()?.lecture_id;
            lecture_ids.contains(&lecture_id).then(|| (lecture_id, JobView::from(j)))
        })
        .collect())
}

async fn manages_course_of(db: &impl ConnectionTrait, user: &AuthUser, job: &job::Model) -> AppResult<bool> {
    if job.kind != transcode::KIND {
        return Ok(false);
    }
    let Ok(payload) = TranscodePayload::of(job) else { return Ok(false) };
    let Some(lecture) = lecture::Entity::find_by_id(payload.lecture_id).one(db).await? else { return Ok(false) };
    let course = course::Entity::find_by_id(lecture.course_id).one(db).await?;
    Ok(course.is_some_and(|c| access::manages(user, &c)))
}
