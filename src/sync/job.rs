//! The background loop running [`super::sync_once`] every `sync_interval_ms`.
use actix_web::web;

use crate::state::AppState;

/// Starts the loop when a sync URL is configured (nothing to deliver to otherwise). Errors
/// are logged and the next round retries: the outbox keeps every record until delivered.
pub fn spawn(state: web::Data<AppState>) {
    if state.settings.sync_url.is_none() {
        return;
    }
    let every = std::time::Duration::from_millis(state.settings.sync_interval_ms.max(100));
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match super::sync_once(&state).await {
                Ok(report) if report.claimed > 0 => tracing::info!(?report, "provincial sync round"),
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "provincial sync round failed"),
            }
        }
    });
}
