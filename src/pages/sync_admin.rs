//! The provincial sync for the platform admin: how many records wait, fail or were given up,
//! and the undelivered records with their attempts and last error.
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::render::{base_context, page};
use crate::{
    auth::{Require, role::sets::PlatformAdmins},
    error::AppResult,
    state::AppState,
    sync::status,
};

const SHOWN_RECORDS: u64 = 100;

#[get("/admin/sync")]
pub async fn sync_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: Require<PlatformAdmins>,
) -> AppResult<HttpResponse> {
    let mut ctx = base_context(&state, &req, Some(&admin));
    ctx.insert("status", &status::status(&state.db, state.settings.sync_url.is_some()).await?);
    ctx.insert("records", &status::undelivered(&state.db, SHOWN_RECORDS).await?);
    ctx.insert("shown", &SHOWN_RECORDS);
    page(&state, "inst/sync.html", &ctx)
}
