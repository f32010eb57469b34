//! The stream URL handed out with a play session. The only place that knows how the media
//! module signs links (its ids are changing from UUIDs to integers: swap the body at merge).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    error::{AppError, AppResult},
    media::signed_url::{StreamSecret, sign, stream_path},
    state::AppState,
};

/// The lecture's HLS master playlist, signed for this learner until `stream_url_ttl_s` from now.
pub fn stream_url_for(state: &AppState, learner_id: i32, lecture_id: i32, now: DateTime<Utc>) -> AppResult<String> {
    let secret = StreamSecret::new(&state.stream_secret).map_err(|e| AppError::Other(e.into()))?;
    let expires_at = now.timestamp() + state.settings.stream_url_ttl_s;
    let (learner, lecture) = (id_as_uuid(learner_id), id_as_uuid(lecture_id));
    let token = sign(&secret, learner, lecture, expires_at);
    Ok(stream_path(lecture, &token, "master.m3u8"))
}

/// Integer ids in the UUID-shaped claims of the current signer.
fn id_as_uuid(id: i32) -> Uuid {
    Uuid::from_u128(u128::from(id.unsigned_abs()))
}
