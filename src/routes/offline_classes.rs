//! Offline classes (线下培训班) of approved plans: rosters and hours attended.
use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, post, web};
use futures_util::StreamExt;

use crate::{
    auth::{
        Require,
        role::sets::{BaseAdmins, InstitutionStaff},
    },
    error::{AppError, AppResult},
    institutions::{
        attendance::{self, AttendanceOutcome, AttendanceRequest},
        roster::{self, RosterUploaded, RosterView},
        roster_file::MAX_FILE_BYTES,
    },
    state::AppState,
};

/// The roster of a class, ID numbers masked; outside the caller's scope: 404.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), responses(
    (status = 200, body = RosterView), (status = 401), (status = 403), (status = 404)))]
#[get("/offline-classes/{id}/roster")]
pub async fn get_roster(
    state: web::Data<AppState>,
    user: Require<InstitutionStaff>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(roster::view(&state.db, &state.pii, &user, *id).await?))
}

/// A multipart upload: the `file` part's name and bytes, and the page form's `csrf` field.
pub(crate) struct FilePart {
    pub name: String,
    pub bytes: Vec<u8>,
    pub csrf: String,
}

const MAX_CSRF_BYTES: usize = 128;

/// Reads one field's bytes, refusing more than `limit`.
async fn field_bytes(field: &mut actix_multipart::Field, limit: usize) -> AppResult<Vec<u8>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("malformed multipart body: {e}")))?;
        if bytes.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The `file` part of a multipart body (and a `csrf` field before it), refusing more than `limit`.
pub(crate) async fn file_part(mut payload: Multipart, limit: usize) -> AppResult<FilePart> {
    let mut csrf = String::new();
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(format!("malformed multipart body: {e}")))?;
        match field.name() {
            Some("csrf") => {
                csrf = String::from_utf8_lossy(&field_bytes(&mut field, MAX_CSRF_BYTES).await?).into_owned()
            }
            Some("file") => {
                let name = field.content_disposition().and_then(|d| d.get_filename()).unwrap_or_default().to_owned();
                let bytes = field_bytes(&mut field, limit).await?;
                return Ok(FilePart { name, bytes, csrf });
            }
            _ => continue,
        }
    }
    Err(AppError::unprocessable("file_required", "须上传花名册文件 file (multipart part `file` required)"))
}

/// Upload the roster (multipart `file`: .csv or .xlsx with columns 身份证号 and 姓名).
/// Any bad row: 422 `invalid_roster` with `details: [{row, code, message}]`, nothing stored.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)),
    request_body(content_type = "multipart/form-data", description = "file: the roster (.csv or .xlsx)"),
    responses((status = 200, body = RosterUploaded), (status = 400), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "plan_not_approved | attendance_recorded"), (status = 413),
    (status = 422, description = "invalid_roster with the rows")))]
#[post("/offline-classes/{id}/roster")]
pub async fn upload_roster(
    state: web::Data<AppState>,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    // Check access before reading the upload, so a stranger learns nothing from a 422.
    crate::institutions::access::own_offline_class(&state.db, &user, *id).await?;
    let file = file_part(payload, MAX_FILE_BYTES).await?;
    let done = roster::upload(&state.db, &state.pii, &user, *id, &file.name, &file.bytes, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(done))
}

/// Record hours attended once the class has ended; they are credited to each learner's
/// archive as professional hours, capped per class day, once per learner and class.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), request_body = AttendanceRequest, responses(
    (status = 200, body = AttendanceOutcome), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "plan_not_approved | class_not_ended"),
    (status = 422, description = "invalid_attendance with details")))]
#[post("/offline-classes/{id}/attendance")]
pub async fn record_attendance(
    state: web::Data<AppState>,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    body: web::Json<AttendanceRequest>,
) -> AppResult<HttpResponse> {
    let out = attendance::record(&state.db, &state.pii, &user, *id, body.into_inner(), state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(get_roster).service(upload_roster).service(record_attendance);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(get_roster, upload_roster, record_attendance))]
pub struct Api;
