use actix_web::{HttpResponse, get, web};

use crate::{db, error::AppError, state::AppState};

/// Liveness: the process answers.
#[utoipa::path(responses((status = 200, description = "alive")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// Readiness: the database and the progress store answer.
#[utoipa::path(responses((status = 200, description = "ready"), (status = 503, description = "a dependency is down")))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    if !db::ping(&state.db).await {
        return Err(AppError::Unavailable("database".into()));
    }
    state.progress.ping().await.map_err(|_| AppError::Unavailable("progress store".into()))?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ready"})))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(healthz).service(readyz);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(healthz, readyz))]
pub struct Api;
