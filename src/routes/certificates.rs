//! Certificates: issue (learner), print (owner or reviewer in scope), revoke (HR admin), and
//! the public verification page outside /api/v1 that QR codes point to.
use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::{
        AuthUser, Require,
        role::sets::{HrAdmins, Learners},
    },
    certificates::{self, Verification, page},
    error::{AppError, AppResult},
    state::AppState,
    users,
};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CertificateRequest {
    pub year: i32,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CertificateIssued {
    pub code: String,
    /// The printable certificate page.
    pub url: String,
    pub verify_url: String,
    pub status: String,
}

fn base_url(state: &AppState, req: &HttpRequest) -> String {
    state.settings.public_url.clone().unwrap_or_else(|| {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    })
}

/// The certificate of a compliant year (learner). Asking again returns the same valid one (200).
#[utoipa::path(context_path = "/api/v1", request_body = CertificateRequest, responses(
    (status = 201, body = CertificateIssued), (status = 200, body = CertificateIssued, description = "already issued"),
    (status = 400), (status = 401), (status = 403),
    (status = 409, description = "not_compliant, details: the shortfall {public, professional, total}"),
    (status = 422)))]
#[post("/me/certificates")]
pub async fn request_certificate(
    state: web::Data<AppState>,
    user: Require<Learners>,
    req: HttpRequest,
    body: web::Json<CertificateRequest>,
) -> AppResult<HttpResponse> {
    if !(1990..=2100).contains(&body.year) {
        return Err(AppError::BadRequest("year out of range".into()));
    }
    let (cert, created) = certificates::issue(&state, &user, body.year).await?;
    let out = CertificateIssued {
        url: format!("/certificates/{}", cert.code),
        verify_url: page::verify_url(&base_url(&state, &req), &cert.code),
        code: cert.code,
        status: cert.status,
    };
    Ok(if created { HttpResponse::Created().json(out) } else { HttpResponse::Ok().json(out) })
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RevokeRequest {
    pub reason: String,
}

/// Revoke a certificate (HR admin whose scope holds the learner; audited with the reason).
#[utoipa::path(context_path = "/api/v1", params(("code" = String, Path,)), request_body = RevokeRequest, responses(
    (status = 200, body = Verification), (status = 401), (status = 403), (status = 404),
    (status = 409, description = "already_revoked"), (status = 422, description = "reason_required")))]
#[post("/certificates/{code}/revoke")]
pub async fn revoke_certificate(
    state: web::Data<AppState>,
    admin: Require<HrAdmins>,
    code: web::Path<String>,
    body: web::Json<RevokeRequest>,
) -> AppResult<HttpResponse> {
    let cert = certificates::revoke(&state, &admin, &code, &body.reason).await?;
    Ok(HttpResponse::Ok().json(Verification::from(&cert)))
}

fn html(body: String) -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(body)
}

/// The printable A4 certificate with its verification QR code (owner, or reviewer in scope).
#[utoipa::path(params(("code" = String, Path,)), responses(
    (status = 200, description = "text/html"), (status = 401), (status = 404)))]
#[get("/certificates/{code}")]
pub async fn certificate_page(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    code: web::Path<String>,
) -> AppResult<HttpResponse> {
    let cert = certificates::by_code(&state.db, &code).await?;
    if !certificates::may_print(&state.db, &user, &cert).await? {
        return Err(AppError::NotFound);
    }
    let holder = users::find(&state.db, cert.learner_id).await?;
    let url = page::verify_url(&base_url(&state, &req), &cert.code);
    Ok(html(page::certificate_html(&state.tera, &cert, &holder.name, &url)?))
}

fn wants_json(req: &HttpRequest) -> bool {
    req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("application/json"))
}

/// Public verification by code: masked name and ID number, year, hours, issue time, status.
/// HTML, or JSON with `Accept: application/json`.
#[utoipa::path(params(("code" = String, Path,)), responses(
    (status = 200, body = Verification, description = "JSON with Accept: application/json, else text/html"),
    (status = 404)))]
#[get("/verify/{code}")]
pub async fn verify(state: web::Data<AppState>, req: HttpRequest, code: web::Path<String>) -> AppResult<HttpResponse> {
    let found = match certificates::by_code(&state.db, &code).await {
        Ok(cert) => Some(Verification::from(&cert)),
        Err(AppError::NotFound) => None,
        Err(e) => return Err(e),
    };
    match (found, wants_json(&req)) {
        (Some(v), true) => Ok(HttpResponse::Ok().json(v)),
        (None, true) => Err(AppError::NotFound),
        (found, false) => {
            let body = page::verify_html(&state.tera, found.as_ref())?;
            let status = if found.is_some() { 200 } else { 404 };
            Ok(HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default())
                .content_type("text/html; charset=utf-8")
                .body(body))
        }
    }
}

/// The API routes (under /api/v1).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(request_certificate).service(revoke_certificate);
}

/// The pages outside /api/v1.
pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(certificate_page).service(verify);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(request_certificate, revoke_certificate, certificate_page, verify))]
pub struct Api;
