use actix_web::{HttpResponse, get, put, web};
use serde::Deserialize;

use crate::{
    archive::{ledger::year_of, policy_store, summary},
    auth::{
        AuthUser, Require,
        role::sets::{Learners, PlatformAdmins},
    },
    error::{AppError, AppResult},
    rules::policy::Policy,
    state::AppState,
};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    pub year: Option<i32>,
}

fn check_year(y: i32) -> AppResult<i32> {
    if (1990..=2100).contains(&y) { Ok(y) } else { Err(AppError::BadRequest("year out of range".into())) }
}

/// The learner's archive for one year: hours by category with the policy's caps, compliance,
/// shortfall, and every ledger record.
#[utoipa::path(context_path = "/api/v1", params(YearQuery), responses(
    (status = 200, body = summary::YearArchive), (status = 400), (status = 401), (status = 403)))]
#[get("/me/archive")]
pub async fn my_archive(
    state: web::Data<AppState>,
    user: Require<Learners>,
    q: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    let year = check_year(q.year.unwrap_or_else(|| year_of(state.clock.now())))?;
    Ok(HttpResponse::Ok().json(summary::year_archive(&state.db, user.id, year).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct UntilQuery {
    pub until: Option<i32>,
}

/// The five-year window used for title applications (the year and the four before it).
#[utoipa::path(context_path = "/api/v1", params(UntilQuery), responses(
    (status = 200, description = "{years: [{year, public_hours, professional_hours, total_hours, compliant}], all_compliant}"),
    (status = 400), (status = 401), (status = 403)))]
#[get("/me/archive/five-year")]
pub async fn my_five_year(
    state: web::Data<AppState>,
    user: Require<Learners>,
    q: web::Query<UntilQuery>,
) -> AppResult<HttpResponse> {
    let until = check_year(q.until.unwrap_or_else(|| year_of(state.clock.now())))?;
    Ok(HttpResponse::Ok().json(summary::five_year(&state.db, user.id, until).await?))
}

/// The year's policy for the caller's region (defaults where none was set).
#[utoipa::path(context_path = "/api/v1", params(("year" = i32, Path,)), responses(
    (status = 200, description = "the policy"), (status = 400), (status = 401)))]
#[get("/policies/{year}")]
pub async fn get_policy(state: web::Data<AppState>, user: AuthUser, year: web::Path<i32>) -> AppResult<HttpResponse> {
    let year = check_year(*year)?;
    let region = policy_store::region_of_org(&state.db, user.org_id).await?;
    Ok(HttpResponse::Ok().json(policy_store::policy_for(&state.db, &region, year).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RegionQuery {
    /// Region the policy applies to; the province-wide policy when omitted.
    pub region: Option<String>,
}

/// Replace the year's policy (platform admin). Invalid: 422 with every violation.
#[utoipa::path(context_path = "/api/v1", params(("year" = i32, Path,), RegionQuery), request_body(content = serde_json::Value, description = "the full policy"), responses(
    (status = 200, description = "the stored policy"), (status = 400), (status = 401), (status = 403), (status = 422)))]
#[put("/admin/policies/{year}")]
pub async fn put_policy(
    state: web::Data<AppState>,
    admin: Require<PlatformAdmins>,
    year: web::Path<i32>,
    q: web::Query<RegionQuery>,
    body: web::Json<Policy>,
) -> AppResult<HttpResponse> {
    let region = q.region.clone().unwrap_or_else(|| policy_store::PROVINCE.to_owned());
    let now = state.clock.now();
    let stored = policy_store::put(&state.db, &region, *year, body.into_inner(), admin.id, now).await?;
    crate::audit::record(&state.db, Some(admin.id), "policy.put", "policy", &format!("{region}/{}", *year), None, now)
        .await?;
    Ok(HttpResponse::Ok().json(stored))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(my_archive).service(my_five_year).service(get_policy).service(put_policy);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(my_archive, my_five_year, get_policy, put_policy))]
pub struct Api;
