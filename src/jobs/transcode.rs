//! The transcode job: an accepted upload becomes a lecture's HLS renditions. On success the
//! lecture turns ready with its streamed duration, in the transaction that marks the job done,
//! and the raw upload is deleted; when the job gives up, the lecture turns failed.
use std::sync::Arc;

use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{progress::Progress, queue};
use crate::{
    courses::model::lecture_status,
    entities::{job, lecture},
    error::AppResult,
    media::{self, MediaRoot},
    state::AppState,
};

pub const KIND: &str = "transcode";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TranscodePayload {
    pub lecture_id: i32,
    pub upload_id: Uuid,
}

impl TranscodePayload {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({"lecture_id": self.lecture_id, "upload_id": self.upload_id})
    }

    pub fn of(job: &job::Model) -> Result<Self, String> {
        serde_json::from_value(job.payload.clone()).map_err(|e| format!("bad transcode payload: {e}"))
    }
}

/// Probes and transcodes; returns the failure message for the job row on error.
#[tracing::instrument(skip_all, fields(job = job.id))]
pub async fn run(state: &AppState, job: &job::Model, worker: &str, progress: Arc<Progress>) -> Result<(), String> {
    let payload = TranscodePayload::of(job)?;
    let media = MediaRoot::new(&state.settings.media_dir);
    let input = media.upload_path(payload.upload_id);
    let source = media::probe(&input).await.map_err(|e| e.to_string())?;
    let out_dir = media.lecture_dir(payload.lecture_id.into());
    let min_timeout = std::time::Duration::from_secs(state.settings.transcode_min_timeout_s);
    let output = media::transcode_hls_within(&input, &out_dir, &source, min_timeout, move |p| progress.set(p))
        .await
        .map_err(|e| e.to_string())?;
    let stored =
        complete(state, job.id, worker, payload.lecture_id, output.duration_s).await.map_err(|e| e.to_string())?;
    if stored {
        remove_upload(&media, payload.upload_id).await;
    }
    Ok(())
}

async fn complete(state: &AppState, job_id: i64, worker: &str, lecture_id: i32, duration_s: f64) -> AppResult<bool> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    if !queue::mark_done(&txn, job_id, worker, now).await? {
        tracing::warn!(job_id, "lease lost before the result was stored; another worker redoes it");
        return Ok(false);
    }
    set_lecture(&txn, lecture_id, lecture_status::READY, Some(duration_s), None).await?;
    txn.commit().await?;
    Ok(true)
}

/// The job is out of attempts: the lecture is failed with the last error, the upload deleted.
pub async fn gave_up(state: &AppState, job: &job::Model, error: &str) -> AppResult<()> {
    let Ok(payload) = TranscodePayload::of(job) else { return Ok(()) };
    set_lecture(&state.db, payload.lecture_id, lecture_status::FAILED, None, Some(error)).await?;
    remove_upload(&MediaRoot::new(&state.settings.media_dir), payload.upload_id).await;
    Ok(())
}

async fn set_lecture(
    db: &impl ConnectionTrait,
    lecture_id: i32,
    status: &str,
    duration_s: Option<f64>,
    error: Option<&str>,
) -> AppResult<()> {
    let row = lecture::ActiveModel {
        status: Set(status.to_owned()),
        duration_s: Set(duration_s),
        error: Set(error.map(str::to_owned)),
        ..Default::default()
    };
    lecture::Entity::update_many().set(row).filter(lecture::Column::Id.eq(lecture_id)).exec(db).await?;
    Ok(())
}

async fn remove_upload(media: &MediaRoot, upload_id: Uuid) {
    if let Err(e) = media.remove_upload(upload_id).await {
        tracing::warn!(%upload_id, error = %e, "could not delete a raw upload");
    }
}
