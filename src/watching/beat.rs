//! The heartbeat (心跳): the player's position, judged against the server's clock. The hot
//! path touches only the progress store, except when a beat completes the lecture.

use serde::{Deserialize, Serialize};

use super::{beat_error, catalog, invalid_position, play::watch_state, records, session_id::SessionId};
use crate::{
    error::{AppError, AppResult},
    progress::{AppliedBeat, BeatError, DirtyProgress, PlaySession, apply_beat_atomically},
    rules::watch::WatchPolicy,
    state::AppState,
};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BeatRequest {
    /// The player's current position in seconds.
    pub position_s: f64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BeatReport {
    /// Seconds of the lecture really watched (credited segments).
    pub watched_s: f64,
    pub duration_s: f64,
    /// Share of segments watched, 0.0..=1.0.
    pub coverage: f64,
    pub completed: bool,
}

/// Applies one beat of the learner's session. A beat that completes the lecture is written
/// to the database before it is answered.
#[tracing::instrument(skip_all, fields(learner = learner_id))]
pub async fn beat(state: &AppState, learner_id: i32, session_id: &str, position_s: f64) -> AppResult<BeatReport> {
    let id = SessionId::parse(session_id).ok_or(AppError::NotFound)?;
    if !(position_s.is_finite() && position_s >= 0.0) {
        return Err(invalid_position());
    }
    let now = state.clock.now();
    let learner = i64::from(learner_id);
    let store = state.progress.as_ref();
    let applied = match apply_beat_atomically(store, id.policy(), learner, id.as_str(), position_s, now).await {
        Err(BeatError::StateMissing(session)) => {
            reseed(state, &session, id.policy()).await?;
            apply_beat_atomically(store, id.policy(), learner, id.as_str(), position_s, now).await
        }
        other => other,
    }
    .map_err(beat_error)?;
    let AppliedBeat { session, outcome } = applied;
    if outcome.newly_completed {
        let completed = DirtyProgress {
            learner_id: session.learner_id,
            lecture_id: session.lecture_id,
            cycle: session.cycle,
            state: outcome.state.clone(),
        };
        records::save(&state.db, &[completed], now).await?;
        tracing::info!(lecture = session.lecture_id, cycle = session.cycle, "lecture completed");
    }
    Ok(BeatReport {
        watched_s: outcome.watched_s,
        duration_s: outcome.state.duration_s,
        coverage: outcome.coverage,
        completed: outcome.completed,
    })
}

/// The store lost the lecture's state (Redis restarted or evicted it): put back the copy in
/// the database. At most the beats since the last flush are lost, never a completion.
async fn reseed(state: &AppState, session: &PlaySession, policy: &WatchPolicy) -> AppResult<()> {
    let lecture_id = records::to_i32(session.lecture_id)?;
    let (_, _, duration_s) = catalog::playable_lecture(&state.db, lecture_id).await?;
    watch_state(state, session.watch_key(), duration_s, policy.segment_seconds).await.map(|_| ())
}
