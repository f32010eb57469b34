//! Courses: create, list, read, submit, publish, reject. Thin: the rules live in `courses`.
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};

use crate::{
    audit,
    auth::{
        AuthUser, Require,
        role::sets::{BaseAdmins, PlatformAdmins},
    },
    courses::{
        model::{CourseStatus, NewCourse},
        review,
        service::{self, CourseDetail, CourseFilter, CourseSummary},
    },
    error::AppResult,
    state::AppState,
};

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedCourse {
    pub id: i32,
    /// Always `draft`.
    pub status: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StatusBody {
    pub status: String,
}

fn status_body(s: CourseStatus) -> HttpResponse {
    HttpResponse::Ok().json(StatusBody { status: s.as_str().to_owned() })
}

/// Create a draft course owned by the caller's base (base admin).
#[utoipa::path(context_path = "/api/v1", request_body = NewCourse, responses(
    (status = 201, body = CreatedCourse), (status = 401), (status = 403), (status = 422)))]
#[post("/courses")]
pub async fn create_course(
    state: web::Data<AppState>,
    user: Require<BaseAdmins>,
    body: web::Json<NewCourse>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let course = service::create(&state.db, &user, body.into_inner(), now).await?;
    audit::record(&state.db, Some(user.id), "course.create", "course", &course.id.to_string(), None, now).await?;
    Ok(HttpResponse::Created().json(CreatedCourse { id: course.id, status: course.status }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CourseList {
    pub courses: Vec<CourseSummary>,
}

/// Courses the caller may see: published ones, plus a base admin's own, plus all for the platform admin.
#[utoipa::path(context_path = "/api/v1", params(CourseFilter), responses(
    (status = 200, body = CourseList), (status = 400), (status = 401)))]
#[get("/courses")]
pub async fn list_courses(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<CourseFilter>,
) -> AppResult<HttpResponse> {
    let courses = service::list(&state.db, &user, filter.into_inner()).await?;
    Ok(HttpResponse::Ok().json(CourseList { courses }))
}

/// One course with its lectures and its exam (null when none is attached).
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), responses(
    (status = 200, body = CourseDetail), (status = 401), (status = 404)))]
#[get("/courses/{id}")]
pub async fn get_course(state: web::Data<AppState>, user: AuthUser, id: web::Path<i32>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::detail(&state.db, &user, id.into_inner()).await?))
}

/// Submit a draft or rejected course for review (its base admin).
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), responses(
    (status = 200, body = StatusBody), (status = 401), (status = 403), (status = 404), (status = 409)))]
#[post("/courses/{id}/submit")]
pub async fn submit_course(
    state: web::Data<AppState>,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    Ok(status_body(review::submit(&state.db, &user, id.into_inner(), state.clock.now()).await?))
}

/// Publish a submitted course (platform admin). 409 when a lecture is not ready, there are no
/// lectures, or the lectures are too short for the hours under the year's policy.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), responses(
    (status = 200, body = StatusBody), (status = 401), (status = 403), (status = 404), (status = 409)))]
#[post("/courses/{id}/publish")]
pub async fn publish_course(
    state: web::Data<AppState>,
    user: Require<PlatformAdmins>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    Ok(status_body(review::publish(&state.db, &user, id.into_inner(), state.clock.now()).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RejectBody {
    pub reason: String,
}

/// Send a submitted course back to its base with a reason (platform admin).
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), request_body = RejectBody, responses(
    (status = 200, body = StatusBody), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
#[post("/courses/{id}/reject")]
pub async fn reject_course(
    state: web::Data<AppState>,
    user: Require<PlatformAdmins>,
    id: web::Path<i32>,
    body: web::Json<RejectBody>,
) -> AppResult<HttpResponse> {
    let status = review::reject(&state.db, &user, id.into_inner(), &body.reason, state.clock.now()).await?;
    Ok(status_body(status))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(create_course)
        .service(list_courses)
        .service(get_course)
        .service(submit_course)
        .service(publish_course)
        .service(reject_course);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(create_course, list_courses, get_course, submit_course, publish_course, reject_course))]
pub struct Api;
