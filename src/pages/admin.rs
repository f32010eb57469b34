//! Platform admin pages: question-bank import (题库导入) and the year's policy (政策参数).
//! Upload, preview and the policy edit run in `static/banks.js` / `static/policy.js` against
//! the JSON API; publishing is a plain form so it works without scripts.
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};

use super::{
    auth_pages::CsrfForm,
    render::{base_context, check_form_csrf, page, redirect},
};
use crate::{
    archive::{ledger::year_of, policy_store},
    auth::{Require, role::sets::PlatformAdmins},
    error::AppResult,
    exams::banks,
    state::AppState,
};

/// `?imported=id` / `?published=id`: what was just done, to confirm it on the page.
#[derive(Deserialize)]
pub struct Done {
    imported: Option<i32>,
    published: Option<i32>,
}

#[get("/admin/banks")]
pub async fn banks_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: Require<PlatformAdmins>,
    done: web::Query<Done>,
) -> AppResult<HttpResponse> {
    let mut ctx = base_context(&state, &req, Some(&admin));
    ctx.insert("imported", &done.imported.unwrap_or(0));
    ctx.insert("published", &done.published.unwrap_or(0));
    ctx.insert("banks", &banks::list(&state.db).await?);
    page(&state, "admin/banks.html", &ctx)
}

#[post("/admin/banks/{id}/publish")]
pub async fn publish_bank(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: Require<PlatformAdmins>,
    id: web::Path<i32>,
    form: web::Form<CsrfForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    banks::publish(&state.db, *id, admin.id, state.clock.now()).await?;
    Ok(redirect(&format!("/admin/banks?published={}#bank-{}", *id, *id)))
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
}

/// One editable number of the policy form: its JSON path, label, unit and input step.
#[derive(Serialize)]
struct Field {
    path: &'static str,
    label: &'static str,
    unit: &'static str,
    step: &'static str,
    hint: &'static str,
    value: f64,
}

fn field(path: &'static str, label: &'static str, unit: &'static str, step: &'static str, value: f64) -> Field {
    Field { path, label, unit, step, hint: "", value }
}

fn fields(p: &crate::rules::policy::Policy) -> Vec<Field> {
    vec![
        field("annual.public", "每年公需科目", "学时", "0.1", p.annual.public),
        field("annual.professional", "每年专业科目", "学时", "0.1", p.annual.professional),
        field("annual.total", "每年合计", "学时", "0.1", p.annual.total),
        field("online_public_cap", "在线学习公需科目上限", "学时", "0.1", p.online_public_cap),
        field("exam_attempts", "每轮考试次数", "次", "1", f64::from(p.exam_attempts)),
        field("pass_score", "及格分数", "分", "0.1", p.pass_score),
        field("minutes_per_credit_hour", "每学时视频时长", "分钟", "1", f64::from(p.minutes_per_credit_hour)),
        field("max_playback_rate", "最高播放倍速", "倍", "0.05", p.max_playback_rate),
        Field {
            hint: "如 0.95 表示须看完 95%",
            ..field("completion_threshold", "讲次完成比例", "", "0.01", p.completion_threshold)
        },
    ]
}

#[get("/admin/policy")]
pub async fn policy_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: Require<PlatformAdmins>,
    q: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    let this_year = year_of(state.clock.now());
    let year = q.year.filter(|y| (2000..=2100).contains(y)).unwrap_or(this_year);
    let policy = policy_store::policy_for(&state.db, policy_store::PROVINCE, year).await?;
    let mut ctx = base_context(&state, &req, Some(&admin));
    ctx.insert("year", &year);
    ctx.insert("years", &(this_year - 2..=this_year + 1).rev().collect::<Vec<_>>());
    ctx.insert("region", policy_store::PROVINCE);
    ctx.insert("fields", &fields(&policy));
    ctx.insert("policy_json", &serde_json::to_string(&policy).unwrap_or_default());
    page(&state, "admin/policy.html", &ctx)
}
