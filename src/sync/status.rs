//! What `GET /admin/sync` shows: how much waits, how much fails, and the latest errors.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use super::outbox::{DELIVERED, FAILED, PENDING};
use crate::{entities::outbox, error::AppResult};

const SHOWN_ERRORS: u64 = 20;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SyncStatus {
    /// Whether a provincial endpoint is configured (`XUESHI_SYNC_URL`).
    pub configured: bool,
    /// Waiting for delivery, including those being retried.
    pub pending: u64,
    /// Pending records that have failed at least once.
    pub failing: u64,
    /// Given up after the maximum number of attempts.
    pub failed: u64,
    pub delivered: u64,
    pub last_errors: Vec<SyncError>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SyncError {
    pub id: i64,
    pub kind: String,
    pub idempotency_key: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: String,
    pub next_attempt_at: DateTime<Utc>,
}

pub async fn status(db: &impl ConnectionTrait, configured: bool) -> AppResult<SyncStatus> {
    let count = |status: &'static str| outbox::Entity::find().filter(outbox::Column::Status.eq(status)).count(db);
    let failing = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(PENDING))
        .filter(outbox::Column::LastError.is_not_null())
        .count(db)
        .await?;
    let errors = outbox::Entity::find()
        .filter(outbox::Column::Status.ne(DELIVERED))
        .filter(outbox::Column::LastError.is_not_null())
        .order_by_desc(outbox::Column::NextAttemptAt)
        .limit(SHOWN_ERRORS)
        .all(db)
        .await?;
    Ok(SyncStatus {
        configured,
        pending: count(PENDING).await?,
        failing,
        failed: count(FAILED).await?,
        delivered: count(DELIVERED).await?,
        last_errors: errors.into_iter().map(SyncError::from).collect(),
    })
}

/// Records not delivered yet (waiting, being retried or given up), oldest first.
pub async fn undelivered(db: &impl ConnectionTrait, limit: u64) -> AppResult<Vec<SyncError>> {
    let rows = outbox::Entity::find()
        .filter(outbox::Column::Status.ne(DELIVERED))
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(SyncError::from).collect())
}

impl From<outbox::Model> for SyncError {
    fn from(r: outbox::Model) -> Self {
        Self {
            id: r.id,
            kind: r.kind,
            idempotency_key: r.idempotency_key,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error.unwrap_or_default(),
            next_attempt_at: r.next_attempt_at,
        }
    }
}
