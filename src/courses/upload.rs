//! Accepting a lecture video (上传课时视频): stream it to `uploads/<uuid>.upload`, make sure it
//! is a playable video, then create the lecture and its transcode job in one transaction.
//! Nothing is left behind when the upload is refused: no file, no row.
use std::path::PathBuf;

use actix_multipart::Multipart;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::{
    access,
    model::{checked_lecture_title, lecture_status},
    upload_form,
};
use crate::{
    audit,
    auth::AuthUser,
    entities::{job, lecture},
    error::{AppError, AppResult},
    jobs::{
        queue,
        transcode::{self, TranscodePayload},
    },
    media::{self, MediaError, MediaRoot},
    state::AppState,
};

/// Room for the form's boundaries, headers and title around the file itself.
const FORM_OVERHEAD_BYTES: u64 = 64 * 1024;

/// Deletes a partial or refused upload however the request ends (error, disconnect, panic),
/// unless it was kept because its lecture row now points at it.
struct UploadFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for UploadFile {
    fn drop(&mut self) {
        if !self.keep {
            // Already gone (never created) is the normal case for an early refusal.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Receives an upload for a course the caller's base owns; returns the new lecture and job.
#[tracing::instrument(skip_all, fields(user = user.id, course = course_id))]
pub async fn receive(
    state: &AppState,
    user: &AuthUser,
    course_id: i32,
    content_length: Option<u64>,
    multipart: &mut Multipart,
) -> AppResult<(lecture::Model, job::Model)> {
    let course = access::owned(&state.db, user, course_id).await?;
    access::ensure_editable(&course)?;
    let limit = state.settings.max_upload_mb.saturating_mul(1024 * 1024);
    if content_length.is_some_and(|n| n > limit.saturating_add(FORM_OVERHEAD_BYTES)) {
        upload_form::drain(multipart).await;
        return Err(AppError::PayloadTooLarge);
    }
    let (upload_id, path) = MediaRoot::new(&state.settings.media_dir).new_upload();
    let mut file = UploadFile { path, keep: false };
    let form = match upload_form::read(multipart, &file.path, limit).await {
        Err(AppError::PayloadTooLarge) => {
            upload_form::drain(multipart).await;
            return Err(AppError::PayloadTooLarge);
        }
        other => other?,
    };
    let title = checked_lecture_title(&form.title)?;
    let source = media::probe(&file.path).await.map_err(refusal)?;
    tracing::info!(bytes = form.file_bytes, duration_s = source.duration_s, "upload accepted");
    let now = state.clock.now();
    let created = register(&state.db, course.id, &title, upload_id, now).await?;
    file.keep = true;
    audit::record(&state.db, Some(user.id), "lecture.upload", "lecture", &created.0.id.to_string(), None, now).await?;
    Ok(created)
}

/// Maps a probe failure: the uploader's fault is a 422, ours a 5xx.
fn refusal(e: MediaError) -> AppError {
    match e {
        MediaError::NotAVideo(_) | MediaError::Timeout(_) => {
            tracing::info!(reason = %e, "upload refused");
            AppError::unprocessable("invalid_media", "文件不是可播放的视频 (the file is not a playable video)")
        }
        MediaError::ToolMissing(hint) => AppError::Unavailable(hint),
        other => AppError::Other(other.into()),
    }
}

/// Creates the lecture (status processing, last in the course) and its transcode job, in one
/// transaction, for an upload already stored under `upload_id`.
pub async fn register(
    db: &DatabaseConnection,
    course_id: i32,
    title: &str,
    upload_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<(lecture::Model, job::Model)> {
    let txn = db.begin().await?;
    let lecture = lecture::ActiveModel {
        course_id: Set(course_id),
        position: Set(next_position(&txn, course_id).await?),
        title: Set(title.to_owned()),
        status: Set(lecture_status::PROCESSING.to_owned()),
        duration_s: Set(None),
        error: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let payload = TranscodePayload { lecture_id: lecture.id, upload_id };
    let job = queue::enqueue(&txn, transcode::KIND, payload.to_json(), now).await?;
    txn.commit().await?;
    Ok((lecture, job))
}

async fn next_position(db: &impl ConnectionTrait, course_id: i32) -> AppResult<i32> {
    let last: Option<Option<i32>> = lecture::Entity::find()
        .select_only()
        .column_as(lecture::Column::Position.max(), "last")
        .filter(lecture::Column::CourseId.eq(course_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0) + 1)
}
