//! The worker: claim a job, run it with a heartbeat that writes progress and renews the lease,
//! then record the outcome. `run_once` is one such step, for tests and for the loop.
use std::{sync::Arc, sync::OnceLock, time::Duration};

use super::{
    progress::Progress,
    queue::{self, AfterFailure},
    transcode,
};
use crate::{entities::job, state::AppState};

/// Progress is written at most this often (ffmpeg reports many times a second).
const PROGRESS_EVERY: Duration = Duration::from_millis(500);
/// The lease is renewed at least this often, even while ffmpeg reports nothing.
const RENEW_EVERY: Duration = Duration::from_secs(queue::LEASE_S as u64 / 4);
/// How long an idle worker waits before looking again.
const IDLE_POLL: Duration = Duration::from_millis(500);
const ERROR_PAUSE: Duration = Duration::from_secs(5);

/// This process's name in `jobs.locked_by`.
pub fn worker_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| format!("pid{}-{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8]))
}

/// Runs at most one job to its outcome; returns its id, or `None` when nothing was due.
#[tracing::instrument(skip_all)]
pub async fn run_once(state: &AppState) -> anyhow::Result<Option<i64>> {
    let worker = worker_id();
    let Some(job) = queue::claim_next(&state.db, worker, state.clock.now()).await? else {
        return Ok(None);
    };
    tracing::info!(job = job.id, kind = %job.kind, attempt = job.attempts, "job claimed");
    let result = if job.attempts > job.max_attempts {
        // Reclaimed after its worker died on the last attempt: do not start it again.
        Err("处理进程中断次数过多 (the worker died on every attempt)".to_owned())
    } else {
        run_with_heartbeat(state, &job, worker).await
    };
    if let Err(error) = result {
        tracing::warn!(job = job.id, %error, "job attempt failed");
        let now = state.clock.now();
        if queue::record_failure(&state.db, &job, worker, &error, now).await? == AfterFailure::GaveUp {
            gave_up(state, &job, &error).await?;
        }
    }
    Ok(Some(job.id))
}

async fn run_with_heartbeat(state: &AppState, job: &job::Model, worker: &'static str) -> Result<(), String> {
    let progress = Arc::new(Progress::default());
    let beat =
        AbortOnDrop(tokio::spawn(heartbeat(state.db.clone(), state.clock.clone(), job.id, worker, progress.clone())));
    let result = match job.kind.as_str() {
        transcode::KIND => transcode::run(state, job, worker, progress).await,
        other => Err(format!("unknown job kind {other:?}")),
    };
    drop(beat);
    result
}

async fn gave_up(state: &AppState, job: &job::Model, error: &str) -> anyhow::Result<()> {
    if job.kind == transcode::KIND {
        transcode::gave_up(state, job, error).await?;
    }
    Ok(())
}

async fn heartbeat(
    db: sea_orm::DatabaseConnection,
    clock: crate::state::Clock,
    id: i64,
    worker: &'static str,
    progress: Arc<Progress>,
) {
    let mut tick = tokio::time::interval(PROGRESS_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let (mut written, mut renewed) = (0.0, tokio::time::Instant::now());
    loop {
        tick.tick().await;
        let current = progress.get();
        if current == written && renewed.elapsed() < RENEW_EVERY {
            continue;
        }
        match queue::heartbeat(&db, id, worker, current, clock.now()).await {
            Ok(true) => (written, renewed) = (current, tokio::time::Instant::now()),
            Ok(false) => {
                tracing::warn!(job = id, "lease lost to another worker");
                return;
            }
            Err(e) => tracing::warn!(job = id, error = %e, "heartbeat failed"),
        }
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs jobs until the process ends: used by `serve` (in process) and by `xueshi worker`.
pub async fn run_forever(state: actix_web::web::Data<AppState>) {
    tracing::info!(worker = worker_id(), "job worker started");
    loop {
        match run_once(&state).await {
            Ok(Some(_)) => {}
            Ok(None) => tokio::time::sleep(IDLE_POLL).await,
            Err(e) => {
                tracing::error!(error = %e, "job worker step failed");
                tokio::time::sleep(ERROR_PAUSE).await;
            }
        }
    }
}
