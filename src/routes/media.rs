//! Serves lecture HLS files to players (outside /api/v1: a video element sends no bearer
//! header). Authorised by the signed token in the path alone — no database or Redis round
//! trip per segment — then served by actix-files with Range (206) and conditional requests.
use actix_files::NamedFile;
use actix_web::{
    HttpRequest, HttpResponse, get,
    http::header::{CACHE_CONTROL, HeaderValue},
    mime::Mime,
    web,
};

use crate::{
    courses::streaming::stream_secret,
    error::{AppError, AppResult},
    media::{self, MediaRoot, StreamAuthError},
    state::AppState,
};

/// Files below this size are read on the event loop (they come from the page cache in
/// practice: segments are re-read by every viewer), larger ones on the blocking pool. HLS
/// segments of our renditions are well under it; see README "Streaming benchmark".
const SYNC_READ_BELOW_BYTES: u64 = 4 * 1024 * 1024;
/// Private: the URL carries one learner's token. A player re-fetching within the hour (seeking
/// back) need not ask again.
const CACHE_CONTROL_VALUE: &str = "private, max-age=3600";

fn refused(e: StreamAuthError) -> AppError {
    match e {
        StreamAuthError::Expired => {
            AppError::forbidden("stream_expired", "播放地址已过期，请重新进入课程 (stream link expired)")
        }
        _ => AppError::forbidden("stream_forbidden", "播放地址无效 (invalid stream link)"),
    }
}

/// One file of a lecture's HLS output: playlist, segment or poster.
#[utoipa::path(params(("lecture_id" = i64, Path,), ("token" = String, Path,), ("rel" = String, Path,)),
    responses((status = 200, description = "the file"), (status = 206, description = "the requested range"),
        (status = 304), (status = 403), (status = 404), (status = 416)))]
#[get("/media/lectures/{lecture_id}/{token}/{rel:.*}")]
pub async fn lecture_file(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i64, String, String)>,
) -> AppResult<HttpResponse> {
    let (lecture_id, token, rel) = path.into_inner();
    let now = state.clock.now().timestamp();
    media::verify(&stream_secret(&state), &token, lecture_id, now).map_err(refused)?;
    let file = MediaRoot::new(&state.settings.media_dir).lecture_file(lecture_id, &rel).ok_or(AppError::NotFound)?;
    let content_type: Mime = media::content_type_for(&file)
        .ok_or(AppError::NotFound)?
        .parse()
        .map_err(|e| AppError::Other(anyhow::anyhow!("content type: {e}")))?;
    // Opening is a cached metadata lookup; a missing file (unknown lecture, bad name) is a 404.
    let named = NamedFile::open(&file).map_err(|_| AppError::NotFound)?;
    let mut response = named
        .set_content_type(content_type)
        .disable_content_disposition()
        .read_mode_threshold(SYNC_READ_BELOW_BYTES)
        .into_response(&req);
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL_VALUE));
    Ok(response)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(lecture_file);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(lecture_file))]
pub struct Api;
