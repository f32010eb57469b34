//! Reviewer pages (employer, department and HR bureau admins): the queue of declarations at
//! their level, the decision form (plain form POST, works without scripts) and the yearly
//! completion report with its chart and downloads.
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};

use super::{
    decl_kinds,
    declarations::render_detail,
    render::{base_context, check_form_csrf, page, redirect},
};
use crate::{
    archive::ledger::year_of,
    auth::{Require, role::sets::Reviewers},
    declarations::{chain::Decision, review, view},
    error::{AppError, AppResult},
    reports,
    state::AppState,
};

#[derive(Deserialize)]
pub struct Done {
    done: Option<i32>,
    decision: Option<String>,
}

#[get("/reviews")]
pub async fn queue(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Reviewers>,
    q: web::Query<Done>,
) -> AppResult<HttpResponse> {
    let rows = review::pending_for(&state.db, &user).await?;
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("declarations", &view::summaries(&state.db, &rows).await?);
    ctx.insert("kinds", &decl_kinds::labels());
    ctx.insert("done", &q.done.unwrap_or(0));
    ctx.insert("decision", &q.decision.as_deref().unwrap_or(""));
    page(&state, "staff/reviews.html", &ctx)
}

#[derive(Deserialize)]
pub struct ReviewForm {
    decision: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    csrf: String,
}

#[post("/declarations/{id:\\d+}/review")]
pub async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Reviewers>,
    id: web::Path<i32>,
    form: web::Form<ReviewForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    let decision = match form.decision.as_str() {
        "approve" => Decision::Approve,
        "reject" => Decision::Reject,
        _ => return Err(AppError::BadRequest("decision must be approve or reject".into())),
    };
    let comment = Some(form.comment.clone());
    match review::decide(&state, &user, *id, decision, comment).await {
        Ok(_) => Ok(redirect(&format!("/reviews?done={}&decision={}", *id, decision.as_str()))),
        Err(AppError::Unprocessable { code, message, .. }) if code.starts_with("comment_") => {
            let text = if code == "comment_required" {
                "退回时请填写审核意见，说明需要修改的地方。"
            } else {
                &*message
            };
            render_detail(&state, &req, &user, *id, None, Some(text)).await
        }
        Err(AppError::Conflict { .. }) => {
            let text = "该申报已由他人审核或不在您的审核级别，请返回列表刷新。";
            render_detail(&state, &req, &user, *id, Some(text), None).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
}

/// One bar of the completion chart: an employer's share of compliant learners.
#[derive(Serialize)]
struct Bar {
    name: String,
    learners: u32,
    compliant: u32,
    percent: u32,
    /// Bar geometry in the SVG's user units (width out of `BAR_WIDTH`).
    width: f64,
    y: u32,
    text_y: u32,
    shortfall: f64,
}

const ROW_HEIGHT: u32 = 42;
const BAR_WIDTH: f64 = 170.0;

fn bars(report: &reports::CompletionReport) -> Vec<Bar> {
    report
        .employers
        .iter()
        .zip(0u32..)
        .map(|(e, i)| {
            let share = if e.learners == 0 { 0.0 } else { f64::from(e.compliant) / f64::from(e.learners) };
            Bar {
                name: e.name.clone(),
                learners: e.learners,
                compliant: e.compliant,
                percent: (share * 100.0).round() as u32,
                width: (share * BAR_WIDTH).max(0.5),
                y: i * ROW_HEIGHT + 19,
                text_y: i * ROW_HEIGHT + 14,
                shortfall: e.average_shortfall.total,
            }
        })
        .collect()
}

#[get("/reports/completion")]
pub async fn completion(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Reviewers>,
    q: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    let this_year = year_of(state.clock.now());
    let year = q.year.filter(|y| (1990..=2100).contains(y)).unwrap_or(this_year);
    let report = reports::completion(&state.db, &user, year).await?;
    let bars = bars(&report);
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("year", &year);
    ctx.insert("years", &(this_year - 4..=this_year).rev().collect::<Vec<_>>());
    ctx.insert("chart_height", &(u32::try_from(bars.len()).unwrap_or(0) * ROW_HEIGHT + 6));
    ctx.insert("bars", &bars);
    page(&state, "staff/completion.html", &ctx)
}
