//! The provincial sync's state for operators.
use actix_web::{HttpResponse, get, web};

use crate::{
    auth::{Require, role::sets::PlatformAdmins},
    error::AppResult,
    state::AppState,
    sync::status::{self, SyncStatus},
};

/// Counts of pending, failing, failed and delivered records and the latest errors.
#[utoipa::path(context_path = "/api/v1", responses(
    (status = 200, body = SyncStatus), (status = 401), (status = 403)))]
#[get("/admin/sync")]
pub async fn sync_status(state: web::Data<AppState>, _admin: Require<PlatformAdmins>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(status::status(&state.db, state.settings.sync_url.is_some()).await?))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(sync_status);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(sync_status))]
pub struct Api;
