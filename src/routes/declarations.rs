//! Hour declarations (学时申报): filing (JSON or multipart with evidence), preview, viewing,
//! correcting a rejected one, and the evidence files.
use actix_web::{HttpRequest, HttpResponse, get, http::header, post, put, web};
use serde::Serialize;

use crate::{
    auth::{AuthUser, Require, role::sets::Learners},
    declarations::{evidence, filing, input, view},
    error::AppResult,
    state::AppState,
};

/// The filing body (documentation of the JSON, also the `data` part of a multipart filing).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct DeclarationForm {
    /// training, conference, study_visit, self_study, achievement, expert_service, aid_assignment,
    /// qualification_exam, long_leave, foreign_language_exam, computer_exam, pandemic_frontline, contest
    kind: String,
    year: i32,
    title: String,
    days: Option<u32>,
    hours: Option<f64>,
    months: Option<u32>,
    /// Foreign-language exam level: A, B or C.
    level: Option<String>,
    score: Option<f64>,
    modules: Option<u32>,
    subjects: Option<u32>,
    /// Achievement identifier (patent number, DOI, ISBN): never declared twice.
    reference: Option<String>,
    /// `public` or `professional` for kinds that may be either.
    category: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Filed {
    pub id: i32,
    pub status: String,
    pub computed: view::Computed,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = DeclarationPreview)]
pub struct Preview {
    pub computed: view::Computed,
    /// Why the value is less than claimed (daily or yearly caps, pro rata months): a list of notes.
    #[schema(value_type = Vec<Object>)]
    pub notes: serde_json::Value,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DeclarationList {
    pub declarations: Vec<view::DeclarationSummary>,
}

/// File a declaration (learner): JSON, or multipart/form-data with `data` (the JSON) and up to
/// 5 `evidence` files (PDF, JPEG or PNG by content, 10 MiB each). Valued at once by the policy.
#[utoipa::path(context_path = "/api/v1", request_body(content = DeclarationForm,
    description = "application/json, or multipart/form-data with `data` and `evidence` parts"),
    responses((status = 201, body = Filed), (status = 400), (status = 401), (status = 403),
    (status = 413, description = "an evidence file over 10 MiB"),
    (status = 422, description = "invalid_body, invalid_value, missing_field, invalid_year, duplicate_reference, yearly_cap_reached, score_below_minimum, invalid_evidence, too_many_files")))]
#[post("/declarations")]
pub async fn file_declaration(
    state: web::Data<AppState>,
    user: Require<Learners>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let dir = evidence::dir(&state.settings.data_dir);
    let filed = input::read(&req, payload, Some(&dir)).await?;
    let d = filing::submit(&state, &user, filed).await?;
    let computed =
        view::Computed { public: d.public_hours, professional: d.professional_hours, completes_year: d.completes_year };
    Ok(HttpResponse::Created().json(Filed { id: d.id, status: d.status, computed }))
}

/// What a declaration would be worth if filed now (nothing is saved; evidence is ignored).
#[utoipa::path(context_path = "/api/v1", request_body = DeclarationForm, responses(
    (status = 200, body = Preview), (status = 400), (status = 401), (status = 403), (status = 413), (status = 422)))]
#[post("/declarations/preview")]
pub async fn preview_declaration(
    state: web::Data<AppState>,
    user: Require<Learners>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let filed = input::read(&req, payload, None).await?;
    let (v, _) = filing::preview(&state.db, user.id, &filed.input, None, state.clock.now()).await?;
    let notes = serde_json::to_value(&v.notes).unwrap_or_default();
    let computed = view::Computed { public: v.public, professional: v.professional, completes_year: v.completes_year };
    Ok(HttpResponse::Ok().json(Preview { computed, notes }))
}

/// One declaration with its evidence and every decision (owner, or a reviewer in scope; else 404).
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), responses(
    (status = 200, body = view::DeclarationView), (status = 401), (status = 404)))]
#[get("/declarations/{id}")]
pub async fn get_declaration(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let d = view::find_visible(&state.db, &user, *id).await?;
    Ok(HttpResponse::Ok().json(view::detail(&state.db, d).await?))
}

/// Correct a rejected declaration and file it again (owner): revalued, back to the first
/// level, next round. Same body as filing; new evidence files are added to the earlier ones.
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,)), request_body = DeclarationForm, responses(
    (status = 200, body = view::DeclarationView), (status = 400), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "not_rejected"), (status = 413), (status = 422)))]
#[put("/declarations/{id}")]
pub async fn correct_declaration(
    state: web::Data<AppState>,
    user: Require<Learners>,
    id: web::Path<i32>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let dir = evidence::dir(&state.settings.data_dir);
    let filed = input::read(&req, payload, Some(&dir)).await?;
    let d = filing::resubmit(&state, &user, *id, filed).await?;
    Ok(HttpResponse::Ok().json(view::detail(&state.db, d).await?))
}

/// The learner's own declarations, newest first.
#[utoipa::path(context_path = "/api/v1", responses(
    (status = 200, body = DeclarationList), (status = 401), (status = 403)))]
#[get("/me/declarations")]
pub async fn my_declarations(state: web::Data<AppState>, user: Require<Learners>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(DeclarationList { declarations: view::mine(&state.db, user.id).await? }))
}

/// An evidence file, inline with its real content type (owner or reviewer in scope; else 404).
#[utoipa::path(context_path = "/api/v1", params(("id" = i32, Path,), ("file_id" = String, Path,)), responses(
    (status = 200, description = "the file (application/pdf, image/jpeg or image/png)"),
    (status = 401), (status = 404)))]
#[get("/declarations/{id}/evidence/{file_id}")]
pub async fn get_evidence(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(i32, String)>,
) -> AppResult<HttpResponse> {
    let (id, key) = path.into_inner();
    let (content_type, bytes) = view::evidence_file(&state, &user, id, &key).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CONTENT_DISPOSITION, "inline"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(file_declaration)
        .service(preview_declaration)
        .service(get_declaration)
        .service(correct_declaration)
        .service(my_declarations)
        .service(get_evidence);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    file_declaration,
    preview_declaration,
    get_declaration,
    correct_declaration,
    my_declarations,
    get_evidence
))]
pub struct Api;
