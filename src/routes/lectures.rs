//! Lecture uploads, staff previews and job status.
use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use serde::Serialize;

use crate::{
    auth::{
        AuthUser, Require,
        role::sets::{BaseAdmins, CourseEditors},
    },
    courses::{streaming, upload},
    error::AppResult,
    jobs::view,
    state::AppState,
};

/// The upload form, for the OpenAPI document only (the handler streams the body).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct LectureUploadForm {
    pub title: String,
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LectureRef {
    pub id: i32,
    pub status: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct JobRef {
    pub id: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UploadAccepted {
    pub lecture: LectureRef,
    pub job: JobRef,
}

/// Upload a lecture video (base admin of the course). Accepted for transcoding: follow the job.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)),
    request_body(content = LectureUploadForm, content_type = "multipart/form-data"),
    responses((status = 202, body = UploadAccepted), (status = 400), (status = 401), (status = 403),
        (status = 404), (status = 409), (status = 413), (status = 422), (status = 503)))]
#[post("/courses/{id}/lectures")]
pub async fn upload_lecture(
    state: web::Data<AppState>,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    req: HttpRequest,
    mut multipart: Multipart,
) -> AppResult<HttpResponse> {
    let length = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok());
    let (lecture, job) = upload::receive(&state, &user, id.into_inner(), length, &mut multipart).await?;
    Ok(HttpResponse::Accepted().json(UploadAccepted {
        lecture: LectureRef { id: lecture.id, status: lecture.status },
        job: JobRef { id: job.id },
    }))
}

/// A short-lived stream URL for a ready lecture, for the course's base admins and platform admins.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,), ("lecture_id" = i32, Path,)), responses(
    (status = 200, body = streaming::Preview), (status = 401), (status = 403), (status = 404), (status = 409)))]
#[get("/courses/{id}/lectures/{lecture_id}/preview")]
pub async fn preview_lecture(
    state: web::Data<AppState>,
    user: Require<CourseEditors>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (course_id, lecture_id) = path.into_inner();
    Ok(HttpResponse::Ok().json(streaming::preview(&state, &user, course_id, lecture_id).await?))
}

/// A background job's status and progress (the admins of its course, platform admins).
#[utoipa::path(context_path = "/api/v1", params(("id" = i64, Path,)), responses(
    (status = 200, body = view::JobView), (status = 401), (status = 404)))]
#[get("/jobs/{id}")]
pub async fn get_job(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(view::visible(&state.db, &user, id.into_inner()).await?))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(upload_lecture).service(preview_lecture).service(get_job);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(upload_lecture, preview_lecture, get_job))]
pub struct Api;
