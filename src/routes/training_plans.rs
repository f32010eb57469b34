//! Training plans (培训计划) of bases, their review, and the catalogue of training projects.
use actix_web::{HttpResponse, get, post, put, web};
use serde::Deserialize;

use crate::{
    auth::{
        AuthUser, Require,
        role::sets::{BaseAdmins, InstitutionStaff, PlanReviewers},
    },
    error::AppResult,
    institutions::{
        catalogue::{self, CatalogueQuery, TrainingProject},
        plan_input::{ClassesInput, PlanInput},
        plan_review::{self, ReviewRequest},
        plans::{self, PlanView},
    },
    state::AppState,
};

/// A base drafts its plan for a year (one per year) with its classes.
#[utoipa::path(context_path = "/api/v1", request_body = PlanInput, responses(
    (status = 201, body = PlanView), (status = 401), (status = 403), (status = 409, description = "plan_exists"),
    (status = 422, description = "invalid_plan with details per class")))]
#[post("/training-plans")]
pub async fn create_plan(
    state: web::Data<AppState>,
    user: Require<BaseAdmins>,
    body: web::Json<PlanInput>,
) -> AppResult<HttpResponse> {
    let PlanInput { year, classes } = body.into_inner();
    let plan = plans::create(&state.db, &user, year, classes, state.clock.now()).await?;
    Ok(HttpResponse::Created().json(plan))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PlansQuery {
    pub year: Option<i32>,
    /// draft | submitted | approved | returned
    pub status: Option<String>,
}

/// Plans in the caller's scope: a base its own, a bureau or department those of its bases.
#[utoipa::path(context_path = "/api/v1", params(PlansQuery), responses(
    (status = 200, description = "{plans: [PlanView]}"), (status = 401), (status = 403)))]
#[get("/training-plans")]
pub async fn list_plans(
    state: web::Data<AppState>,
    user: Require<InstitutionStaff>,
    q: web::Query<PlansQuery>,
) -> AppResult<HttpResponse> {
    let list = plans::list(&state.db, &user, q.year, q.status.as_deref()).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"plans": list})))
}

/// One plan with its classes; outside the caller's scope: 404.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), responses(
    (status = 200, body = PlanView), (status = 401), (status = 403), (status = 404)))]
#[get("/training-plans/{id}")]
pub async fn get_plan(
    state: web::Data<AppState>,
    user: Require<InstitutionStaff>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let plan = crate::institutions::access::visible_plan(&state.db, &user, *id).await?;
    Ok(HttpResponse::Ok().json(plans::view(&state.db, plan).await?))
}

/// Replace the classes of a draft or returned plan.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), request_body = ClassesInput, responses(
    (status = 200, body = PlanView), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "invalid_status"), (status = 422, description = "invalid_plan")))]
#[put("/training-plans/{id}")]
pub async fn replace_classes(
    state: web::Data<AppState>,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    body: web::Json<ClassesInput>,
) -> AppResult<HttpResponse> {
    let plan = plans::replace_classes(&state.db, &user, *id, body.into_inner().classes, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(plan))
}

/// Submit the plan to the managing unit, by the policy's `training_plan_deadline`.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), responses(
    (status = 200, body = PlanView), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "deadline_passed | invalid_status")))]
#[post("/training-plans/{id}/submit")]
pub async fn submit_plan(
    state: web::Data<AppState>,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(plan_review::submit(&state.db, &user, *id, state.clock.now()).await?))
}

/// The managing unit approves or returns (with a comment) a submitted plan in its scope.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), request_body = ReviewRequest, responses(
    (status = 200, body = PlanView), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "invalid_status"), (status = 422, description = "comment_required | invalid_decision")))]
#[post("/training-plans/{id}/review")]
pub async fn review_plan(
    state: web::Data<AppState>,
    user: Require<PlanReviewers>,
    id: web::Path<i32>,
    body: web::Json<ReviewRequest>,
) -> AppResult<HttpResponse> {
    let plan = plan_review::review(&state.db, &user, *id, body.into_inner(), state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(plan))
}

/// The catalogue of training projects (培训项目目录): classes of approved plans.
#[utoipa::path(context_path = "/api/v1", params(CatalogueQuery), responses(
    (status = 200, description = "the catalogue of training projects", body = ProjectList),
    (status = 401), (status = 422, description = "invalid_field")))]
#[get("/training-projects")]
pub async fn training_projects(
    state: web::Data<AppState>,
    _user: AuthUser,
    q: web::Query<CatalogueQuery>,
) -> AppResult<HttpResponse> {
    let projects = catalogue::list(&state.db, &q).await?;
    Ok(HttpResponse::Ok().json(ProjectList { projects }))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(create_plan)
        .service(list_plans)
        .service(get_plan)
        .service(replace_classes)
        .service(submit_plan)
        .service(review_plan)
        .service(training_projects);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(create_plan, list_plans, get_plan, replace_classes, submit_plan, review_plan, training_projects))]
pub struct Api;

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ProjectList {
    pub projects: Vec<TrainingProject>,
}
