//! The stream URL handed out with a play session, signed by the media module.
use chrono::{DateTime, Utc};

use crate::{error::AppResult, state::AppState};

/// The lecture's HLS master playlist, signed for this learner until `stream_url_ttl_s` from now.
pub fn stream_url_for(state: &AppState, learner_id: i32, lecture_id: i32, now: DateTime<Utc>) -> AppResult<String> {
    Ok(crate::courses::streaming::stream_url(state, learner_id, lecture_id, now))
}
