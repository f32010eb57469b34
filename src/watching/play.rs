//! Starting to watch a lecture (开始播放): a new play session, superseding the learner's other
//! one, resuming where the stored progress left off.

use serde::Serialize;

use super::{catalog, cycles, records, session_id::SessionId, store_error, stream, watch_policy};
use crate::{
    archive::policy_store,
    error::{AppError, AppResult},
    progress::{PlaySession, WatchKey},
    rules::watch::WatchState,
    state::AppState,
};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlayStart {
    pub session_id: String,
    /// Where the player should start: the beginning of the segment it last stopped in.
    pub resume_s: f64,
    pub duration_s: f64,
    /// Signed HLS playlist URL; works without a bearer header until it expires.
    pub stream_url: String,
    /// How often the player must report its position.
    pub beat_interval_s: u32,
}

/// Starts a play session of a ready lecture of a published course.
#[tracing::instrument(skip_all, fields(learner = learner_id, lecture = lecture_id))]
pub async fn play(state: &AppState, learner_id: i32, lecture_id: i32) -> AppResult<PlayStart> {
    let now = state.clock.now();
    let (_, course, duration_s) = catalog::playable_lecture(&state.db, lecture_id).await?;
    let cycle = cycles::ensure_cycle(&state.db, learner_id, course.id, now).await?;
    let policy = watch_policy(&policy_store::policy_for_user(&state.db, learner_id, course.year).await?);
    let key = WatchKey { learner_id: learner_id.into(), lecture_id: lecture_id.into(), cycle };
    let watch = watch_state(state, key, duration_s, policy.segment_seconds).await?;
    let id = SessionId::new(&policy);
    let session = PlaySession {
        session_id: id.as_str().to_owned(),
        learner_id: key.learner_id,
        lecture_id: key.lecture_id,
        cycle,
        started_at: now,
    };
    state.progress.start_session(&session).await.map_err(store_error)?;
    Ok(PlayStart {
        session_id: session.session_id,
        resume_s: watch.resume_position_s(),
        duration_s: watch.duration_s,
        stream_url: stream::stream_url_for(state, learner_id, lecture_id, now)?,
        beat_interval_s: super::BEAT_INTERVAL_S,
    })
}

/// The lecture's watch state in the store, put there from the database (or fresh) if missing.
pub(super) async fn watch_state(
    state: &AppState,
    key: WatchKey,
    duration_s: f64,
    segment_seconds: u32,
) -> AppResult<WatchState> {
    if let Some(found) = state.progress.state(key).await.map_err(store_error)? {
        return Ok(found);
    }
    let watch = match records::load_state(&state.db, key).await? {
        Some(stored) => stored,
        None => WatchState::new(duration_s, segment_seconds).map_err(|e| AppError::Other(e.into()))?,
    };
    // Another node may seed first; either copy came from the same database row.
    state.progress.seed_state(key, &watch).await.map_err(store_error)?;
    Ok(watch)
}
