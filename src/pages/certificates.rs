//! The learner's certificates (电子证书): one button per compliant year, the shortfall in words
//! otherwise. Issuing is a plain form POST calling the same service as the JSON API.
use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};

use super::{
    decl_kinds,
    render::{base_context, check_form_csrf, page, redirect},
};
use crate::{
    archive::{ledger::year_of, policy_store, summary},
    auth::{AuthUser, Require, role::sets::Learners},
    certificates,
    declarations::{self, chain},
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
    /// Where the policy asks for an annual review (年度学时审验): its state.
    review: Option<ReviewState>,
}

/// The year's annual review as the page shows it.
#[derive(Serialize)]
struct ReviewState {
    /// `none`, `pending`, `approved` or `rejected`.
    status: String,
    declaration_id: Option<i32>,
    /// The level deciding now, in Chinese.
    waiting_for: Option<&'static str>,
}

async fn review_state(state: &AppState, learner_id: i32, year: i32) -> AppResult<Option<ReviewState>> {
    let policy = policy_store::policy_for_user(&state.db, learner_id, year).await?;
    if !policy.certificate_requires_review {
        return Ok(None);
    }
    let latest = declarations::annual_review::latest(&state.db, learner_id, year).await?;
    let levels = decl_kinds::level_labels();
    Ok(Some(match latest {
        None => ReviewState { status: "none".into(), declaration_id: None, waiting_for: None },
        Some(d) => ReviewState {
            waiting_for: chain::current_level(&d.status, &d.chain, d.level)
                .and_then(|l| levels.get(chain::level_name(l)).copied()),
            status: d.status,
            declaration_id: Some(d.id),
        },
    }))
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
            review: review_state(state, user.id, year).await?,
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

impl IssueForm {
    /// The form came from our page, for a year that can exist.
    fn check(&self, state: &AppState, req: &HttpRequest) -> AppResult<()> {
        check_form_csrf(state, req, &self.csrf)?;
        if !(1990..=2100).contains(&self.year) {
            return Err(AppError::BadRequest("year out of range".into()));
        }
        Ok(())
    }
}

#[post("/certificates")]
pub async fn issue(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
    form: web::Form<IssueForm>,
) -> AppResult<HttpResponse> {
    form.check(&state, &req)?;
    match certificates::issue(&state, &user, form.year).await {
        Ok((cert, _)) => Ok(redirect(&format!("/certificates/{}", cert.code))),
        Err(AppError::Conflict { code: "not_compliant", .. }) => {
            render(&state, &req, &user, Some((form.year, "该年度学时未达标，暂不能申请证书。"))).await
        }
        Err(AppError::Conflict { code: "review_required", .. }) => {
            render(&state, &req, &user, Some((form.year, "该年度学时尚未审验通过，审验通过后才能申请证书。"))).await
        }
        Err(e) => Err(e),
    }
}

/// 申请年度学时审验: puts a compliant year up for the review chain.
#[post("/certificates/review")]
pub async fn request_review(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
    form: web::Form<IssueForm>,
) -> AppResult<HttpResponse> {
    form.check(&state, &req)?;
    let refused = match declarations::annual_review::request(&state, &user, form.year).await {
        Ok(_) => return Ok(redirect(&format!("/certificates#year-{}", form.year))),
        Err(AppError::Conflict { code: "not_compliant", .. }) => "该年度学时未达标，暂不能申请审验。",
        Err(AppError::Unprocessable { code: "already_requested", .. }) => "该年度已申请审验，请等待审核结果。",
        Err(AppError::Unprocessable { code: "no_employer", .. }) => "您的账号尚未关联工作单位，无法申请审验。",
        Err(e) => return Err(e),
    };
    render(&state, &req, &user, Some((form.year, refused))).await
}
