//! The machine-readable contract, generated from the handlers' annotations.
use actix_web::{HttpResponse, get};
use utoipa::OpenApi;

use super::{admin, auth, health};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "xueshi API",
        description = "Continuing-education hours (学时) platform"
    ),
    paths(
        health::healthz,
        health::readyz,
        auth::login,
        auth::logout,
        auth::change_password,
        auth::register,
        auth::me,
        admin::create_org,
        admin::create_user,
    )
)]
pub struct ApiDoc;

#[get("/api/openapi.json")]
pub async fn spec() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
