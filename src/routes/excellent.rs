//! The excellent online public course selection (优质在线公需课评选).
use actix_web::{HttpResponse, get, post, put, web};
use serde::Deserialize;

use crate::{
    archive::ledger::year_of,
    auth::{
        AuthUser, Require,
        role::sets::{BaseAdmins, Learners, PlatformAdmins},
    },
    error::AppResult,
    institutions::excellent::{
        ballots::{self, ScoreInput},
        nominations::{self, NominationInput, NominationView},
        rounds::{self, RoundInput, RoundView},
        selection::{self, Selection},
    },
    state::AppState,
};

/// A base nominates one of its published public courses, with the IP pledge (must be true).
#[utoipa::path(context_path = "/api/v1", request_body = NominationInput, responses(
    (status = 201, description = "{id, status}"), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "course_not_published | already_nominated | selection_published"),
    (status = 422, description = "ip_pledge_required | not_public_course")))]
#[post("/excellent/nominations")]
pub async fn nominate(
    state: web::Data<AppState>,
    user: Require<BaseAdmins>,
    body: web::Json<NominationInput>,
) -> AppResult<HttpResponse> {
    let n = nominations::nominate(&state.db, &user, body.into_inner(), state.clock.now()).await?;
    Ok(HttpResponse::Created().json(serde_json::json!({"id": n.id, "status": n.status, "year": n.year})))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    pub year: Option<i32>,
}

/// The year's nominations (this year when omitted); counts appear once published.
#[utoipa::path(context_path = "/api/v1", params(YearQuery), responses(
    (status = 200, description = "the year and its nominations", body = NominationList), (status = 401)))]
#[get("/excellent/nominations")]
pub async fn list_nominations(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    let year = q.year.unwrap_or_else(|| year_of(state.clock.now()));
    let list = nominations::list(&state.db, &user, year).await?;
    Ok(HttpResponse::Ok().json(NominationList { year, nominations: list }))
}

/// A platform admin, acting as an expert (专家), scores a nomination 0–100, once.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), request_body = ScoreInput, responses(
    (status = 201), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "already_scored | selection_published"), (status = 422, description = "invalid_score")))]
#[post("/excellent/nominations/{id}/scores")]
pub async fn score(
    state: web::Data<AppState>,
    user: Require<PlatformAdmins>,
    id: web::Path<i32>,
    body: web::Json<ScoreInput>,
) -> AppResult<HttpResponse> {
    ballots::score(&state.db, &user, *id, body.into_inner(), state.clock.now()).await?;
    Ok(HttpResponse::Created().json(serde_json::json!({"nomination_id": *id})))
}

/// A learner votes for a nomination: once, while the year's voting window is open.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), responses(
    (status = 201), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "already_voted | voting_closed")))]
#[post("/excellent/nominations/{id}/votes")]
pub async fn vote(state: web::Data<AppState>, user: Require<Learners>, id: web::Path<i32>) -> AppResult<HttpResponse> {
    ballots::vote(&state.db, &user, *id, state.clock.now()).await?;
    Ok(HttpResponse::Created().json(serde_json::json!({"nomination_id": *id})))
}

/// Set the year's voting window and how many courses are selected (platform admin).
#[utoipa::path(context_path = "/api/v1", params(("year" = i32, Path,)), request_body = RoundInput, responses(
    (status = 200, body = RoundView), (status = 401), (status = 403),
    (status = 409, description = "selection_published"), (status = 422)))]
#[put("/admin/excellent/{year}")]
pub async fn put_round(
    state: web::Data<AppState>,
    admin: Require<PlatformAdmins>,
    year: web::Path<i32>,
    body: web::Json<RoundInput>,
) -> AppResult<HttpResponse> {
    let round = rounds::put(&state.db, &admin, *year, body.into_inner(), state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(round))
}

/// Publish the year's selection after voting closed; credits the selected courses' teachers.
#[utoipa::path(context_path = "/api/v1", params(("year" = i32, Path,)), responses(
    (status = 200, body = Selection), (status = 401), (status = 403),
    (status = 409, description = "no_round | voting_open | selection_published")))]
#[post("/admin/excellent/{year}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    admin: Require<PlatformAdmins>,
    year: web::Path<i32>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(selection::publish(&state.db, &admin, *year, state.clock.now()).await?))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(nominate).service(list_nominations).service(score).service(vote).service(put_round).service(publish);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(nominate, list_nominations, score, vote, put_round, publish))]
pub struct Api;

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct NominationList {
    pub year: i32,
    pub nominations: Vec<NominationView>,
}
