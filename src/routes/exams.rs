//! Exams (考试): set-up by the platform admin; attempts, autosave, submit and restudy by learners.
use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, post, put, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::{
        Require,
        role::sets::{Learners, PlatformAdmins},
    },
    error::AppResult,
    exams::{
        answers,
        attempts::{self, AttemptView, StartedAttempt},
        cycle,
        grading::{self, Outcome},
        setup::{self, NewExam},
    },
    state::AppState,
};

/// Sets up a course's exam on a published bank version. Attempts and the default pass mark
/// come from the policy.
#[utoipa::path(context_path = "/api/v1", request_body = NewExam, responses(
    (status = 201, description = "{\"id\"}"), (status = 401), (status = 403),
    (status = 409, description = "exam_exists"),
    (status = 422, description = "unknown_course, unknown_bank, bank_not_published, not_enough_questions, invalid_draw, invalid_duration, invalid_pass_score")))]
#[post("/exams")]
pub async fn create_exam(
    state: web::Data<AppState>,
    admin: Require<PlatformAdmins>,
    body: web::Json<NewExam>,
) -> AppResult<HttpResponse> {
    let id = setup::create(&state.db, body.into_inner(), admin.id, state.clock.now()).await?;
    Ok(HttpResponse::Created().json(serde_json::json!({"id": id})))
}

/// Starts the next attempt (201), or hands back the open one with the same paper and
/// deadline (200). The paper never carries answers.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), responses(
    (status = 201, body = StartedAttempt), (status = 200, body = StartedAttempt, description = "the open attempt, resumed"),
    (status = 401), (status = 403, description = "lectures_incomplete"), (status = 404),
    (status = 409, description = "already_passed"), (status = 423, description = "restudy_required")))]
#[post("/exams/{id}/attempts")]
pub async fn start_attempt(
    state: web::Data<AppState>,
    learner: Require<Learners>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let started = attempts::start(&state.db, &state.questions, learner.id, *id, state.clock.now()).await?;
    Ok(if started.resumed { HttpResponse::Ok() } else { HttpResponse::Created() }.json(started))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AnswerSheet {
    /// Question id -> chosen displayed keys, e.g. `{"17": ["A", "C"]}`. Replaces what was saved.
    pub answers: BTreeMap<String, Vec<String>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Saved {
    pub saved_at: chrono::DateTime<chrono::Utc>,
}

/// Autosave: the whole answer sheet, replacing the saved one.
#[utoipa::path(context_path = "/api/v1", params(("id" = i64, Path,)), request_body = AnswerSheet, responses(
    (status = 200, body = Saved), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "attempt_closed"), (status = 422, description = "invalid_answers")))]
#[put("/attempts/{id}/answers")]
pub async fn save_answers(
    state: web::Data<AppState>,
    learner: Require<Learners>,
    id: web::Path<i64>,
    body: web::Json<AnswerSheet>,
) -> AppResult<HttpResponse> {
    let saved_at = answers::save(&state.db, learner.id, *id, body.into_inner().answers, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(Saved { saved_at }))
}

/// Hands in the paper; graded once, a pass credited once. Repeats give the same answer.
#[utoipa::path(context_path = "/api/v1", params(("id" = i64, Path,)), responses(
    (status = 200, body = Outcome), (status = 401), (status = 403), (status = 404)))]
#[post("/attempts/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    learner: Require<Learners>,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(grading::submit(&state.db, learner.id, *id, state.clock.now()).await?))
}

/// The attempt's state; past its deadline it reads as closed (graded on the spot if needed).
#[utoipa::path(context_path = "/api/v1", params(("id" = i64, Path,)), responses(
    (status = 200, body = AttemptView), (status = 401), (status = 403), (status = 404)))]
#[get("/attempts/{id}")]
pub async fn get_attempt(
    state: web::Data<AppState>,
    learner: Require<Learners>,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(attempts::view(&state.db, learner.id, *id, state.clock.now()).await?))
}

/// Applies to study the course again (申请重新学习) once every attempt of the cycle failed:
/// a new cycle, lectures to watch again, fresh attempts.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), responses(
    (status = 200, description = "{\"cycle\"}"), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "restudy_not_allowed")))]
#[post("/courses/{id}/restudy")]
pub async fn restudy(
    state: web::Data<AppState>,
    learner: Require<Learners>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let cycle = cycle::restudy(&state.db, learner.id, *id, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"cycle": cycle})))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(create_exam)
        .service(start_attempt)
        .service(save_answers)
        .service(submit)
        .service(get_attempt)
        .service(restudy);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(create_exam, start_attempt, save_answers, submit, get_attempt, restudy))]
pub struct Api;
