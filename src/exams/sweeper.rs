//! The deadline sweeper (到时自动交卷): grades attempts whose time ran out although nobody
//! submitted them, on what was saved by the deadline. Safe on several nodes at once: closing
//! is a conditional update, so each attempt is graded once whoever gets there first.
use std::time::Duration;

use actix_web::web;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::grading;
use crate::{entities::exam_attempt, error::AppResult, state::AppState};

/// How often the sweeper looks; reads of an overdue attempt grade it at once anyway.
const SWEEP_EVERY: Duration = Duration::from_secs(15);
/// Attempts closed per pass, so one pass stays short after a long outage.
const BATCH: u64 = 500;

/// One pass: closes every overdue open attempt (up to a batch). Returns how many it closed.
#[tracing::instrument(skip_all)]
pub async fn sweep_once(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now();
    let overdue: Vec<i64> = exam_attempt::Entity::find()
        .select_only()
        .column(exam_attempt::Column::Id)
        .filter(exam_attempt::Column::Status.eq(super::records::OPEN))
        .filter(exam_attempt::Column::Deadline.lte(now))
        .order_by_asc(exam_attempt::Column::Deadline)
        .limit(BATCH)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut closed = 0;
    for id in overdue {
        match grading::close(&state.db, id, now).await {
            Ok(true) => closed += 1,
            Ok(false) => {}
            // One bad attempt must not stop the others from being graded.
            Err(e) => tracing::warn!(attempt = id, error = %e, "could not close an overdue attempt"),
        }
    }
    Ok(closed)
}

/// Runs [`sweep_once`] forever in the background.
pub fn spawn(state: web::Data<AppState>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match sweep_once(&state).await {
                Ok(0) => {}
                Ok(closed) => tracing::info!(closed, "closed overdue exam attempts"),
                Err(e) => tracing::warn!(error = %e, "exam deadline sweep failed"),
            }
        }
    });
}
