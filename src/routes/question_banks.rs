//! Question-bank import (题库导入) for the platform admin: upload, preview, publish, list.
use actix_multipart::{Field, Multipart};
use actix_web::{HttpResponse, get, post, web};
use futures_util::TryStreamExt;

use crate::{
    auth::{Require, role::sets::PlatformAdmins},
    error::{AppError, AppResult},
    exams::{
        bank_format::MAX_FILE_BYTES,
        banks::{self, BankSummary, ImportedBank, Preview},
    },
    state::AppState,
};

/// Other form fields are small; this bounds what a stray field may make the server read.
const MAX_TEXT_FIELD_BYTES: usize = 4 * 1024;

/// The multipart form of an upload (for the OpenAPI document).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct BankUploadForm {
    /// The bank file: .toml, .json, .csv or .xlsx, at most 10 MiB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The bank's name; uploading under an existing name makes its next version.
    name: String,
}

struct Upload {
    file_name: String,
    bytes: Vec<u8>,
    name: Option<String>,
}

/// Reads the form, refusing a file over the limit as soon as the limit is passed (413).
async fn read_upload(mut form: Multipart) -> AppResult<Upload> {
    let mut file = None;
    let mut name = None;
    while let Some(field) = form.try_next().await.map_err(malformed)? {
        match field.name() {
            Some("file") => {
                let file_name = field.content_disposition().and_then(|d| d.get_filename()).unwrap_or("").to_owned();
                file = Some((file_name, read_limited(field, MAX_FILE_BYTES).await?));
            }
            Some("name") => {
                let bytes = read_limited(field, MAX_TEXT_FIELD_BYTES).await?;
                name = Some(String::from_utf8(bytes).map_err(|_| AppError::BadRequest("name is not UTF-8".into()))?);
            }
            _ => {
                read_limited(field, MAX_TEXT_FIELD_BYTES).await?;
            }
        }
    }
    let (file_name, bytes) = file.ok_or_else(|| {
        AppError::unprocessable("missing_file", "请选择题库文件 (multipart field `file` is required)")
    })?;
    Ok(Upload { file_name, bytes, name })
}

async fn read_limited(mut field: Field, limit: usize) -> AppResult<Vec<u8>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.try_next().await.map_err(malformed)? {
        if bytes.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn malformed(e: actix_multipart::MultipartError) -> AppError {
    AppError::BadRequest(format!("malformed multipart form: {e}"))
}

/// Imports a bank file as a draft (a new version when the name exists). Invalid: 422
/// `invalid_bank` with every problem as `details: [{row | line, message}]`; nothing imported.
#[utoipa::path(context_path = "/api/v1",
    request_body(content = BankUploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = ImportedBank), (status = 400), (status = 401), (status = 403),
        (status = 413, description = "file over 10 MiB"), (status = 422, description = "invalid_bank, invalid_name, missing_file")))]
#[post("/question-banks")]
pub async fn import_bank(
    state: web::Data<AppState>,
    admin: Require<PlatformAdmins>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let upload = read_upload(form).await?;
    let name = banks::check_name(upload.name.as_deref())?;
    let questions = banks::parse_upload(&upload.file_name, upload.bytes).await?;
    let imported = banks::import(&state.db, &name, &questions, admin.id, state.clock.now()).await?;
    Ok(HttpResponse::Created().json(imported))
}

/// Parses a bank file and shows its questions (answers included) or its errors; saves nothing.
#[utoipa::path(context_path = "/api/v1",
    request_body(content = BankUploadForm, content_type = "multipart/form-data"),
    responses((status = 200, body = Preview), (status = 400), (status = 401), (status = 403), (status = 413),
        (status = 422, description = "invalid_bank with details, missing_file")))]
#[post("/question-banks/preview")]
pub async fn preview_bank(_admin: Require<PlatformAdmins>, form: Multipart) -> AppResult<HttpResponse> {
    let upload = read_upload(form).await?;
    let questions = banks::parse_upload(&upload.file_name, upload.bytes).await?;
    Ok(HttpResponse::Ok().json(Preview::of(questions)))
}

/// Publishes a draft bank; from then on it is frozen and exams may use it.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)),
    responses((status = 200, description = "{\"status\": \"published\"}"), (status = 401), (status = 403), (status = 404)))]
#[post("/question-banks/{id}/publish")]
pub async fn publish_bank(
    state: web::Data<AppState>,
    admin: Require<PlatformAdmins>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    banks::publish(&state.db, *id, admin.id, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "published"})))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BankList {
    pub banks: Vec<BankSummary>,
}

/// Every bank version, by name then newest version first.
#[utoipa::path(context_path = "/api/v1", responses((status = 200, body = BankList), (status = 401), (status = 403)))]
#[get("/question-banks")]
pub async fn list_banks(state: web::Data<AppState>, _admin: Require<PlatformAdmins>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(BankList { banks: banks::list(&state.db).await? }))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(import_bank).service(preview_bank).service(publish_bank).service(list_banks);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(import_bank, preview_bank, publish_bank, list_banks))]
pub struct Api;
