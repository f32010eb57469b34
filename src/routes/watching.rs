//! Watching lectures: play sessions, heartbeats, course progress (learners).
use actix_web::{HttpResponse, get, post, web};

use crate::{
    auth::{Require, role::sets::Learners},
    error::AppResult,
    state::AppState,
    watching::{
        beat::{self, BeatReport, BeatRequest},
        course_progress::{self, CourseProgress},
        play::{self, PlayStart},
    },
};

/// Start watching a lecture; ends the learner's other play session (one stream per learner).
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path, description = "lecture id")), responses(
    (status = 201, body = PlayStart), (status = 401), (status = 403),
    (status = 404, description = "no such lecture in a published course"),
    (status = 409, description = "`lecture_not_ready`"), (status = 503)))]
#[post("/lectures/{id}/play")]
pub async fn start_play(
    state: web::Data<AppState>,
    learner: Require<Learners>,
    lecture_id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(play::play(&state, learner.id, *lecture_id).await?))
}

/// Report the player's position. Skipped ranges, playing faster than the policy allows and
/// positions past the end earn nothing.
#[utoipa::path(context_path = "/api/v1", params(("session_id" = String, Path,)), request_body = BeatRequest, responses(
    (status = 200, body = BeatReport), (status = 401), (status = 403),
    (status = 404, description = "unknown session, or another learner's"),
    (status = 409, description = "`superseded`: another play session replaced this one"),
    (status = 422, description = "`invalid_position`"), (status = 503)))]
#[post("/play/{session_id}/beat")]
pub async fn post_beat(
    state: web::Data<AppState>,
    learner: Require<Learners>,
    session_id: web::Path<String>,
    body: web::Json<BeatRequest>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(beat::beat(&state, learner.id, &session_id, body.position_s).await?))
}

/// The learner's progress through a course in the current study cycle.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path, description = "course id")), responses(
    (status = 200, body = CourseProgress), (status = 401), (status = 403),
    (status = 404, description = "no such published course")))]
#[get("/courses/{id}/progress")]
pub async fn get_course_progress(
    state: web::Data<AppState>,
    learner: Require<Learners>,
    course_id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(course_progress::course_progress(&state, learner.id, *course_id).await?))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(post_beat).service(start_play).service(get_course_progress);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(start_play, post_beat, get_course_progress))]
pub struct Api;
