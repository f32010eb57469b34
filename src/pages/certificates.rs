//! The learner's certificates (电子证书): one button per compliant year, the shortfall in words
//! otherwise. Issuing is a plain form POST calling the same service as the JSON API.
use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};

use super::render::{base_context, check_form_csrf, page, redirect};
use crate::{
    archive::{ledger::year_of, summary},
    auth::{AuthUser, Require, role::sets::Learners},
    certificates,
    error::{AppError, AppResult},
    state::AppState,
};

#[derive(Serialize)]
struct YearRow {
    year: i32,
    total: f64,
    compliant: bool,
    /// The valid certificate's code, when one was issued.
    code: Option<String>,
    missing: String,
}

fn shortfall_in_words(a: &summary::YearArchive) -> String {
    let mut parts = Vec::new();
    if a.shortfall.public > 0.0 {
        parts.push(format!("公需科目 {} 学时", a.shortfall.public));
    }
    if a.shortfall.professional > 0.0 {
        parts.push(format!("专业科目 {} 学时", a.shortfall.professional));
    }
    if parts.is_empty() {
        parts.push(format!("合计 {} 学时", a.shortfall.total));
    }
    format!("还差{}，达标后才能申请证书。", parts.join("、"))
}

async fn render(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    error: Option<(i32, &str)>,
) -> AppResult<HttpResponse> {
    let this_year = year_of(state.clock.now());
    let issued: HashMap<i32, String> =
        certificates::valid_of_learner(&state.db, user.id).await?.into_iter().map(|c| (c.year, c.code)).collect();
    let mut rows = Vec::new();
    for year in (this_year - 4..=this_year).rev() {
        let a = summary::year_archive(&state.db, user.id, year).await?;
        rows.push(YearRow {
            year,
            total: a.total_hours,
            compliant: a.compliant,
            code: issued.get(&year).cloned(),
            missing: shortfall_in_words(&a),
        });
    }
    let mut ctx = base_context(state, req, Some(user));
    ctx.insert("rows", &rows);
    ctx.insert("error_year", &error.map(|e| e.0).unwrap_or(0));
    ctx.insert("error", &error.map(|e| e.1));
    page(state, "learner/certificates.html", &ctx)
}

#[get("/certificates")]
pub async fn list(state: web::Data<AppState>, req: HttpRequest, user: Require<Learners>) -> AppResult<HttpResponse> {
    render(&state, &req, &user, None).await
}

#[derive(Deserialize)]
pub struct IssueForm {
    year: i32,
    #[serde(default)]
    csrf: String,
}

#[post("/certificates")]
pub async fn issue(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
    form: web::Form<IssueForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    if !(1990..=2100).contains(&form.year) {
        return Err(AppError::BadRequest("year out of range".into()));
    }
    match certificates::issue(&state, &user, form.year).await {
        Ok((cert, _)) => Ok(redirect(&format!("/certificates/{}", cert.code))),
        Err(AppError::Conflict { code: "not_compliant", .. }) => {
            render(&state, &req, &user, Some((form.year, "该年度学时未达标，暂不能申请证书。"))).await
        }
        Err(e) => Err(e),
    }
}
