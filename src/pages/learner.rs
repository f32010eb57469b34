//! The learner's dashboard and archive pages.
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};

use super::render::{base_context, page};
use crate::{
    archive::{ledger::year_of, summary},
    auth::{Require, role::sets::Learners},
    error::AppResult,
    state::AppState,
};

/// One progress bar: "公需科目 12 / 30 学时".
#[derive(Serialize)]
struct Meter {
    label: &'static str,
    have: f64,
    need: f64,
    percent: u32,
}

fn meter(label: &'static str, have: f64, need: f64) -> Meter {
    let percent = if need <= 0.0 { 100 } else { ((have / need) * 100.0).clamp(0.0, 100.0).round() as u32 };
    Meter { label, have, need, percent }
}

/// What is still missing, in plain words.
fn missing_in_words(a: &summary::YearArchive) -> String {
    if a.compliant {
        return format!("{} 年度学时已达标，可以申请电子证书。", a.year);
    }
    let mut parts = Vec::new();
    if a.shortfall.public > 0.0 {
        parts.push(format!("公需科目 {} 学时", a.shortfall.public));
    }
    if a.shortfall.professional > 0.0 {
        parts.push(format!("专业科目 {} 学时", a.shortfall.professional));
    }
    if parts.is_empty() && a.shortfall.total > 0.0 {
        parts.push(format!("合计 {} 学时", a.shortfall.total));
    }
    format!("{} 年度还差{}。请在 12 月 31 日前完成。", a.year, parts.join("、"))
}

#[get("/dashboard")]
pub async fn dashboard(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
) -> AppResult<HttpResponse> {
    let year = year_of(state.clock.now());
    let a = summary::year_archive(&state.db, user.id, year).await?;
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("year", &year);
    ctx.insert(
        "meters",
        &[
            meter("公需科目", a.public_hours, a.required.public),
            meter("专业科目", a.professional_hours, a.required.professional),
            meter("合计", a.total_hours, a.required.total),
        ],
    );
    ctx.insert("missing", &missing_in_words(&a));
    ctx.insert("compliant", &a.compliant);
    ctx.insert("required_public", &a.required_public_hours);
    ctx.insert("elective_public", &a.elective_public_hours);
    page(&state, "learner/dashboard.html", &ctx)
}

#[derive(Deserialize)]
pub struct ArchiveQuery {
    year: Option<i32>,
}

#[derive(Serialize)]
struct ChartBar {
    year: i32,
    total: f64,
    compliant: bool,
    /// Bar height in the 0..100 SVG box.
    height: f64,
    y: f64,
    x: f64,
}

#[get("/archive")]
pub async fn archive(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
    q: web::Query<ArchiveQuery>,
) -> AppResult<HttpResponse> {
    let this_year = year_of(state.clock.now());
    let year = q.year.filter(|y| (1990..=2100).contains(y)).unwrap_or(this_year);
    let a = summary::year_archive(&state.db, user.id, year).await?;
    let window = summary::five_year(&state.db, user.id, year).await?;
    let max = window.years.iter().map(|y| y.total_hours).fold(a.required.total, f64::max).max(1.0);
    let bars: Vec<ChartBar> = window
        .years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let height = (y.total_hours / max * 90.0).max(1.0);
            ChartBar {
                year: y.year,
                total: y.total_hours,
                compliant: y.compliant,
                height,
                y: 100.0 - height,
                x: i as f64 * 60.0 + 10.0,
            }
        })
        .collect();
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("year", &year);
    ctx.insert("years", &(year - 4..=this_year.max(year)).rev().collect::<Vec<_>>());
    ctx.insert("archive", &a);
    ctx.insert("bars", &bars);
    ctx.insert("missing", &missing_in_words(&a));
    page(&state, "learner/archive.html", &ctx)
}
