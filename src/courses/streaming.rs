//! Stream URLs for lectures (视频播放地址): signed, expiring, and checked by the media route
//! without a database or Redis round trip.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::{access, model::lecture_status};
use crate::{
    auth::AuthUser,
    entities::lecture,
    error::{AppError, AppResult},
    media::{self, StreamSecret},
    state::AppState,
};

/// The HLS master playlist every stream starts from.
const ENTRY_FILE: &str = "master.m3u8";

/// The server's stream-signing key (derived from the JWT secret at start-up).
pub fn stream_secret(state: &AppState) -> StreamSecret {
    StreamSecret::from_key(&state.stream_secret)
}

/// A path (relative to the server) of the lecture's master playlist that lets `learner_id`
/// stream it until `now + settings.stream_url_ttl_s`. The caller decides who may watch.
pub fn stream_url(state: &AppState, learner_id: i32, lecture_id: i32, now: DateTime<Utc>) -> String {
    signed_path(state, learner_id, lecture_id, ENTRY_FILE, now)
}

/// The same for any file of the lecture's output (`rel` as in the lecture directory).
pub fn signed_path(state: &AppState, learner_id: i32, lecture_id: i32, rel: &str, now: DateTime<Utc>) -> String {
    let expires_at = now.timestamp() + state.settings.stream_url_ttl_s;
    let token = media::sign(&stream_secret(state), learner_id.into(), lecture_id.into(), expires_at);
    media::stream_path(lecture_id.into(), &token, rel)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = StreamPreview)]
pub struct Preview {
    pub stream_url: String,
    pub expires_at: DateTime<Utc>,
}

/// Staff preview of a ready lecture, for the course's base admins and platform admins.
#[tracing::instrument(skip_all, fields(user = user.id, course = course_id, lecture = lecture_id))]
pub async fn preview(state: &AppState, user: &AuthUser, course_id: i32, lecture_id: i32) -> AppResult<Preview> {
    let course = access::managed(&state.db, user, course_id).await?;
    let lecture = lecture_in(&state.db, course.id, lecture_id).await?;
    if lecture.status != lecture_status::READY {
        return Err(AppError::conflict("lecture_not_ready", "课时视频尚未处理完成 (the lecture is not ready)"));
    }
    let now = state.clock.now();
    Ok(Preview {
        stream_url: stream_url(state, user.id, lecture.id, now),
        expires_at: now + chrono::Duration::seconds(state.settings.stream_url_ttl_s),
    })
}

async fn lecture_in(db: &impl ConnectionTrait, course_id: i32, lecture_id: i32) -> AppResult<lecture::Model> {
    lecture::Entity::find_by_id(lecture_id)
        .filter(lecture::Column::CourseId.eq(course_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}
