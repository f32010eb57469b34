//! Writing to the outbox. Call [`enqueue`] with the transaction that writes the event.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};
use serde_json::Value;

use crate::{entities::outbox, error::AppResult};

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
/// Given up after `backoff::MAX_ATTEMPTS`; shown on `GET /admin/sync` for an operator.
pub const FAILED: &str = "failed";

/// What the province receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxKind {
    /// A new line in a learner's archive (学时).
    Credit,
    /// An issued e-certificate (电子证书).
    Certificate,
    /// A learner registered here (the province asks for registration on both platforms).
    Registration,
}

impl OutboxKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxKind::Credit => "credit",
            OutboxKind::Certificate => "certificate",
            OutboxKind::Registration => "registration",
        }
    }
}

/// Queues `payload` for the province under `key`. The same key twice is one record (the
/// first payload stays), so retries of the caller's event never send twice. `at` is the
/// event's time: the record may be delivered from then on.
///
/// Personal data: put `learner_id` in the payload, never the ID number; the sync job adds
/// the decrypted ID number and name at delivery, so the outbox holds no plaintext PII.
#[tracing::instrument(skip(db, payload))]
pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: OutboxKind,
    key: &str,
    payload: Value,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let row = outbox::ActiveModel {
        kind: Set(kind.as_str().to_owned()),
        payload: Set(payload),
        idempotency_key: Set(key.to_owned()),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(at),
        lease_until: Set(None),
        lease_token: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        delivered_at: Set(None),
        ..Default::default()
    };
    outbox::Entity::insert(row)
        .on_conflict(OnConflict::column(outbox::Column::IdempotencyKey).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}
