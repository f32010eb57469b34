//! One round of the sync job: claim due records with a lease, POST them, book the outcome.
use chrono::{DateTime, Duration, Utc};
use rand::RngExt;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde::Serialize;

use super::{
    backoff, envelope,
    outbox::{DELIVERED, FAILED, PENDING},
};
use crate::{entities::outbox, error::AppResult, state::AppState};

/// Records claimed per round.
const BATCH: u64 = 50;
/// Shortest claim. A claim lasts longer than a request may take (twice the timeout), so a
/// live worker keeps its record; a crashed worker's record is taken over once it expires.
const LEASE_SECONDS: i64 = 120;
/// Longest stored error text.
const MAX_ERROR_CHARS: usize = 500;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub claimed: usize,
    pub delivered: usize,
    pub failed: usize,
}

/// Delivers what is due. Without `sync_url` nothing is sent and records stay pending.
/// Safe to run on several nodes at once: a record is delivered by whoever holds its lease.
#[tracing::instrument(skip_all)]
pub async fn sync_once(state: &AppState) -> AppResult<SyncReport> {
    let Some(url) = state.settings.sync_url.clone() else {
        return Ok(SyncReport::default());
    };
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(state.settings.sync_timeout_ms))
        .build()
        .map_err(|e| anyhow::anyhow!("http client: {e}"))?;
    let mut report = SyncReport::default();
    let lease = Duration::milliseconds(2 * state.settings.sync_timeout_ms as i64).max(Duration::seconds(LEASE_SECONDS));
    for id in due(&state.db, state.clock.now()).await? {
        // Claimed one at a time, just before sending: a lease never runs out while its
        // record waits behind slow deliveries of the same round.
        let Some((record, token)) = claim(&state.db, id, state.clock.now(), lease).await? else { continue };
        report.claimed += 1;
        match post(state, &client, &url, &record).await {
            Ok(()) => {
                mark_delivered(&state.db, record.id, &token, state.clock.now()).await?;
                report.delivered += 1;
            }
            Err(error) => {
                tracing::warn!(id = record.id, attempts = record.attempts, %error, "sync delivery failed");
                mark_failed(&state.db, &record, &token, &error, state.clock.now()).await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(outbox::Column::Status.eq(PENDING))
        .add(outbox::Column::NextAttemptAt.lte(now))
        .add(Condition::any().add(outbox::Column::LeaseUntil.is_null()).add(outbox::Column::LeaseUntil.lt(now)))
}

/// Ids of records due for delivery, oldest due first.
async fn due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<Vec<i64>> {
    Ok(outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .filter(claimable(now))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .order_by_asc(outbox::Column::Id)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await?)
}

/// Takes a lease on a record by a conditional update: of several workers racing for it
/// exactly one sees its update match. The attempt is counted at claim time, so a worker that
/// dies mid-delivery still uses up an attempt.
async fn claim(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
    lease: Duration,
) -> AppResult<Option<(outbox::Model, String)>> {
    let token = uuid::Uuid::new_v4().to_string();
    let taken = outbox::Entity::update_many()
        .col_expr(outbox::Column::LeaseUntil, Expr::value(now + lease))
        .col_expr(outbox::Column::LeaseToken, Expr::value(token.clone()))
        .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1))
        .filter(outbox::Column::Id.eq(id))
        .filter(claimable(now))
        .exec(db)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(None);
    }
    Ok(outbox::Entity::find_by_id(id).one(db).await?.map(|record| (record, token)))
}

async fn post(state: &AppState, client: &reqwest::Client, url: &str, record: &outbox::Model) -> Result<(), String> {
    let body = envelope::build(&state.db, &state.pii, record).await.map_err(|e| format!("building the record: {e}"))?;
    let response = client
        .post(url)
        .header("Idempotency-Key", &record.idempotency_key)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let text = response.text().await.unwrap_or_default();
    Err(format!("HTTP {status}: {text}"))
}

/// Only the lease holder books the outcome; a worker whose lease ran out changes nothing.
fn held_by(id: i64, token: &str) -> Condition {
    Condition::all().add(outbox::Column::Id.eq(id)).add(outbox::Column::LeaseToken.eq(token))
}

async fn mark_delivered(db: &impl ConnectionTrait, id: i64, token: &str, now: DateTime<Utc>) -> AppResult<()> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(DELIVERED))
        .col_expr(outbox::Column::DeliveredAt, Expr::value(Some(now)))
        .col_expr(outbox::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::LastError, Expr::value(Option::<String>::None))
        .filter(held_by(id, token))
        .exec(db)
        .await?;
    Ok(())
}

async fn mark_failed(
    db: &impl ConnectionTrait,
    record: &outbox::Model,
    token: &str,
    error: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let attempts = record.attempts;
    let status = if attempts >= backoff::MAX_ATTEMPTS { FAILED } else { PENDING };
    let next = now + backoff::delay(attempts, rand::rng().random::<f64>());
    let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(next))
        .col_expr(outbox::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::LastError, Expr::value(Some(error)))
        .filter(held_by(record.id, token))
        .exec(db)
        .await?;
    Ok(())
}
