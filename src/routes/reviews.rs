//! The review chain for reviewers (employer, department, HR bureau admins), and their reports.
use actix_web::{HttpResponse, get, http::header, post, web};
use serde::{Deserialize, Serialize};

use crate::{
    archive::ledger::year_of,
    auth::{Require, role::sets::Reviewers},
    declarations::{chain::Decision, review, view},
    error::{AppError, AppResult},
    reports::{self, export},
    state::AppState,
};

#[derive(Serialize, utoipa::ToSchema)]
pub struct PendingList {
    pub declarations: Vec<view::DeclarationSummary>,
}

/// Declarations waiting at the caller's level, from employers inside the caller's scope.
#[utoipa::path(context_path = "/api/v1", responses(
    (status = 200, body = PendingList), (status = 401), (status = 403)))]
#[get("/reviews/pending")]
pub async fn pending(state: web::Data<AppState>, user: Require<Reviewers>) -> AppResult<HttpResponse> {
    let rows = review::pending_for(&state.db, &user).await?;
    Ok(HttpResponse::Ok().json(PendingList { declarations: view::summaries(&state.db, &rows).await? }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewRequest {
    pub decision: Decision,
    /// Why; required when rejecting.
    pub comment: Option<String>,
}

/// Decide at the declaration's current level: approve moves it to the next level or, at the
/// last one, approves it and credits the archive; reject returns it to the learner.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), request_body = ReviewRequest, responses(
    (status = 200, body = view::DeclarationView), (status = 401),
    (status = 403, description = "forbidden_role, own_declaration"),
    (status = 404, description = "unknown or outside the caller's scope"),
    (status = 409, description = "not_your_level, not_pending, already_reviewed"),
    (status = 422, description = "invalid_body, comment_required, comment_too_long")))]
#[post("/declarations/{id}/review")]
pub async fn review_declaration(
    state: web::Data<AppState>,
    user: Require<Reviewers>,
    id: web::Path<i32>,
    body: web::Json<ReviewRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let d = review::decide(&state, &user, *id, body.decision, body.comment).await?;
    Ok(HttpResponse::Ok().json(view::detail(&state.db, d).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    pub year: Option<i32>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
}

/// Yearly completion per employer in the caller's scope: learners, compliant, average shortfall.
#[utoipa::path(context_path = "/api/v1", params(ReportQuery), responses(
    (status = 200, body = reports::CompletionReport, description = "JSON, or a text/csv or .xlsx download"),
    (status = 400), (status = 401), (status = 403)))]
#[get("/reports/completion")]
pub async fn completion_report(
    state: web::Data<AppState>,
    user: Require<Reviewers>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let year = q.year.unwrap_or_else(|| year_of(state.clock.now()));
    if !(1990..=2100).contains(&year) {
        return Err(AppError::BadRequest("year out of range".into()));
    }
    let format = q.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "csv" | "xlsx") {
        return Err(AppError::BadRequest("format must be json, csv or xlsx".into()));
    }
    let report = reports::completion(&state.db, &user, year).await?;
    let (content_type, bytes) = match format {
        "csv" => ("text/csv; charset=utf-8", export::to_csv(&report)?),
        "xlsx" => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export::to_xlsx(&report)?),
        _ => return Ok(HttpResponse::Ok().json(report)),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"completion-{year}.{format}\"")))
        .body(bytes))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(pending).service(review_declaration).service(completion_report);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(pending, review_declaration, completion_report))]
pub struct Api;
