//! Write-behind (回写): saves the watch states beats changed in the progress store to the
//! database, a batch per statement. Every node runs one; takes never hand the same update
//! to two flushers, and a late save of an older copy cannot overwrite a newer one.

use std::time::Duration;

use actix_web::web;

use super::records;
use crate::{error::AppResult, state::AppState};

/// States per statement: well under SQLite's and PostgreSQL's bind-parameter limits.
pub const BATCH: usize = 500;
/// One run stops after this many batches even while beats keep coming, so it never starves.
const MAX_BATCHES_PER_RUN: usize = 200;

/// Saves what is dirty now; returns how many states were saved. A batch that fails to save
/// is re-marked by the next beat of each of its lectures (see `ProgressStore::take_dirty`).
#[tracing::instrument(skip_all)]
pub async fn flush_once(state: &AppState) -> AppResult<usize> {
    let mut saved = 0;
    for _ in 0..MAX_BATCHES_PER_RUN {
        let batch = state.progress.take_dirty(BATCH).await.map_err(super::store_error)?;
        if batch.is_empty() {
            break;
        }
        records::save(&state.db, &batch, state.clock.now()).await?;
        saved += batch.len();
        if batch.len() < BATCH {
            break;
        }
    }
    Ok(saved)
}

/// Runs [`flush_once`] every `progress_flush_ms` for as long as the runtime lives.
pub fn spawn(state: web::Data<AppState>) -> tokio::task::JoinHandle<()> {
    let period = Duration::from_millis(state.settings.progress_flush_ms.max(10));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = flush_once(&state).await {
                tracing::warn!(%error, "progress flush failed; retrying on the next tick");
            }
        }
    })
}
