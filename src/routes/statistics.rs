//! Knowledge-update statistics by field (Yantai 2020 annexes 3 and 4), JSON or .xlsx.
use actix_web::{HttpResponse, get, http::header, web};
use serde::Deserialize;

use crate::{
    archive::ledger::year_of,
    auth::{Require, role::sets::InstitutionStaff},
    error::{AppError, AppResult},
    institutions::{
        statistics::{self, KnowledgeUpdateStats},
        statistics_xlsx,
    },
    state::AppState,
};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    pub year: Option<i32>,
    /// `json` (default) or `xlsx` (the annex's layout).
    pub format: Option<String>,
}

/// Per field: planned and held classes, persons trained, attendances and hours, for the
/// bases in the caller's scope.
#[utoipa::path(context_path = "/api/v1", params(StatsQuery), responses(
    (status = 200, body = KnowledgeUpdateStats, description = "JSON, or the .xlsx with ?format=xlsx"),
    (status = 400), (status = 401), (status = 403)))]
#[get("/statistics/knowledge-update")]
pub async fn knowledge_update(
    state: web::Data<AppState>,
    user: Require<InstitutionStaff>,
    q: web::Query<StatsQuery>,
) -> AppResult<HttpResponse> {
    let year = q.year.unwrap_or_else(|| year_of(state.clock.now()));
    if !(2000..=2100).contains(&year) {
        return Err(AppError::BadRequest("year out of range".into()));
    }
    let stats = statistics::compute(&state.db, &user, year).await?;
    match q.format.as_deref() {
        None | Some("json") => Ok(HttpResponse::Ok().json(stats)),
        Some("xlsx") => {
            let bytes = statistics_xlsx::render(&stats)?;
            Ok(HttpResponse::Ok()
                .content_type(XLSX)
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"knowledge-update-{year}.xlsx\""),
                ))
                .body(bytes))
        }
        Some(_) => Err(AppError::BadRequest("format must be json or xlsx".into())),
    }
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(knowledge_update);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(knowledge_update))]
pub struct Api;
