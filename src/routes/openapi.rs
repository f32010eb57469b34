//! The machine-readable contract, generated from the handlers' annotations.
use actix_web::{HttpResponse, get};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(info(title = "xueshi API", description = "Continuing-education hours (学时) platform"))]
pub struct ApiDoc;

/// The whole API: every routes module's paths merged.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for part in [
        super::health::Api::openapi(),
        super::auth::Api::openapi(),
        super::admin::Api::openapi(),
        super::archive::Api::openapi(),
        super::training_plans::Api::openapi(),
        super::offline_classes::Api::openapi(),
        super::excellent::Api::openapi(),
        super::statistics::Api::openapi(),
        super::sync_admin::Api::openapi(),
    ] {
        doc.merge(part);
    }
    doc
}

#[get("/api/openapi.json")]
pub async fn spec() -> HttpResponse {
    HttpResponse::Ok().json(document())
}
