//! The `jobs` table as a durable queue. A worker claims a job with one conditional UPDATE (so
//! two workers never both win), holds it under a lease it renews while working, and a job
//! whose lease ran out (its worker died) is claimed again by the next worker.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde_json::Value;

use crate::{entities::job, error::AppResult};

pub mod status {
    pub const QUEUED: &str = "queued";
    pub const RUNNING: &str = "running";
    pub const DONE: &str = "done";
    pub const FAILED: &str = "failed";
}

/// How long a claim holds without a heartbeat; workers renew it well within this.
pub const LEASE_S: i64 = 60;
pub const DEFAULT_MAX_ATTEMPTS: i32 = 3;
/// First retry after 30 s, then 60 s, 120 s, ... at most an hour.
const BACKOFF_BASE_S: i64 = 30;
const BACKOFF_MAX_S: i64 = 3600;
/// Enough of an error to explain it; the rest is in the logs.
const MAX_ERROR_CHARS: usize = 2000;
/// Candidates looked at per claim; losing a race on one moves on to the next.
const CLAIM_CANDIDATES: u64 = 8;

/// Adds a job; call inside the transaction that creates what the job works on.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: &str,
    payload: Value,
    now: DateTime<Utc>,
) -> AppResult<job::Model> {
    let row = job::ActiveModel {
        kind: Set(kind.to_owned()),
        payload: Set(payload),
        status: Set(status::QUEUED.to_owned()),
        progress: Set(0.0),
        attempts: Set(0),
        max_attempts: Set(DEFAULT_MAX_ATTEMPTS),
        error: Set(None),
        run_after: Set(now),
        locked_by: Set(None),
        locked_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// Due queued jobs, and running jobs whose lease expired.
fn claimable(now: DateTime<Utc>) -> Condition {
    let lease_cutoff = now - Duration::seconds(LEASE_S);
    Condition::any()
        .add(Condition::all().add(job::Column::Status.eq(status::QUEUED)).add(job::Column::RunAfter.lte(now)))
        .add(Condition::all().add(job::Column::Status.eq(status::RUNNING)).add(job::Column::LockedAt.lt(lease_cutoff)))
}

/// Claims the oldest claimable job for `worker`, counting the attempt; `None` when idle.
#[tracing::instrument(skip(db))]
pub async fn claim_next(db: &impl ConnectionTrait, worker: &str, now: DateTime<Utc>) -> AppResult<Option<job::Model>> {
    let candidates: Vec<i64> = job::Entity::find()
        .select_only()
        .column(job::Column::Id)
        .filter(claimable(now))
        .order_by_asc(job::Column::Id)
        .limit(CLAIM_CANDIDATES)
        .into_tuple()
        .all(db)
        .await?;
    for id in candidates {
        // The same condition again: only one of several racing workers still matches it.
        let claimed = job::Entity::update_many()
            .col_expr(job::Column::Status, Expr::value(status::RUNNING))
            .col_expr(job::Column::LockedBy, Expr::value(worker))
            .col_expr(job::Column::LockedAt, Expr::value(now))
            .col_expr(job::Column::Attempts, Expr::col(job::Column::Attempts).add(1))
            .col_expr(job::Column::UpdatedAt, Expr::value(now))
            .filter(job::Column::Id.eq(id))
            .filter(claimable(now))
            .exec(db)
            .await?;
        if claimed.rows_affected == 1 {
            return Ok(job::Entity::find_by_id(id).one(db).await?);
        }
    }
    Ok(None)
}

fn held_by(id: i64, worker: &str) -> Condition {
    Condition::all()
        .add(job::Column::Id.eq(id))
        .add(job::Column::Status.eq(status::RUNNING))
        .add(job::Column::LockedBy.eq(worker))
}

/// Writes progress and renews the lease; `false` when another worker has taken the job over.
pub async fn heartbeat(
    db: &impl ConnectionTrait,
    id: i64,
    worker: &str,
    progress: f64,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let res = job::Entity::update_many()
        .col_expr(job::Column::Progress, Expr::value(progress.clamp(0.0, 1.0)))
        .col_expr(job::Column::LockedAt, Expr::value(now))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(held_by(id, worker))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Marks the job done; call in the transaction that stores its result. `false` (roll back)
/// when the lease was lost, so a result is stored once.
pub async fn mark_done(db: &impl ConnectionTrait, id: i64, worker: &str, now: DateTime<Utc>) -> AppResult<bool> {
    let res = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(status::DONE))
        .col_expr(job::Column::Progress, Expr::value(1.0))
        .col_expr(job::Column::Error, Expr::value(Option::<String>::None))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(job::Column::LockedAt, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(held_by(id, worker))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Queued again, to run at the given time.
    Retrying(DateTime<Utc>),
    /// Out of attempts: the job is failed for good.
    GaveUp,
    /// Someone else holds the job now; nothing was written.
    LeaseLost,
}

/// Delay before the retry that follows attempt number `attempts` (1-based).
pub fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 16) as u32;
    Duration::seconds(std::cmp::min(BACKOFF_BASE_S << doublings, BACKOFF_MAX_S))
}

/// Records a failed attempt: retried later with backoff, or failed for good once the job has
/// used its attempts.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    job: &job::Model,
    worker: &str,
    error: &str,
    now: DateTime<Utc>,
) -> AppResult<AfterFailure> {
    let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
    let outcome = if job.attempts >= job.max_attempts {
        AfterFailure::GaveUp
    } else {
        AfterFailure::Retrying(now + backoff(job.attempts))
    };
    let (next_status, run_after) = match outcome {
        AfterFailure::Retrying(at) => (status::QUEUED, at),
        _ => (status::FAILED, job.run_after),
    };
    let res = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(next_status))
        .col_expr(job::Column::Error, Expr::value(error))
        .col_expr(job::Column::RunAfter, Expr::value(run_after))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(job::Column::LockedAt, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(held_by(job.id, worker))
        .exec(db)
        .await?;
    Ok(if res.rows_affected == 1 { outcome } else { AfterFailure::LeaseLost })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(3), Duration::seconds(120));
        assert_eq!(backoff(20), Duration::seconds(3600));
        assert_eq!(backoff(0), Duration::seconds(30));
    }
}
