//! The excellent online public course selection (优质在线公需课): bases nominate with the IP
//! pledge, the platform admin scores as the expert, sets the voting window and publishes the
//! selection, learners vote once per course while voting is open. One page, by role.
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use serde::Deserialize;

use super::render::{base_context, check_form_csrf, page, redirect};
use crate::{
    archive::ledger::year_of,
    auth::{
        AuthUser, Require, Role,
        role::sets::{BaseAdmins, Learners, PlatformAdmins},
    },
    error::{AppError, AppResult},
    institutions::{
        china_today,
        excellent::{ballots, nominations, rounds, selection},
    },
    state::AppState,
};

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
    done: Option<String>,
}

/// What the last action did or why it was refused.
#[derive(Default)]
struct Feedback {
    notice: Option<&'static str>,
    error: Option<String>,
    pledge_error: Option<String>,
}

fn done_notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "nominated" => Some("推荐已提交。"),
        "scored" => Some("评分已保存。"),
        "voted" => Some("投票成功，感谢参与。"),
        "round" => Some("评选设置已保存。"),
        "published" => Some("评选结果已公布，入选课程的主讲教师已按规定计入学时。"),
        _ => None,
    }
}

async fn render(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    year: i32,
    f: Feedback,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let round = rounds::find(&state.db, year).await?;
    let mut ctx = base_context(state, req, Some(user));
    ctx.insert("year", &year);
    ctx.insert("voting_open", &rounds::voting_open(round.as_ref(), now));
    ctx.insert("published", &round.as_ref().is_some_and(|r| r.published_at.is_some()));
    // The window as China dates: from the opening day to the last day votes are taken.
    let window =
        round.as_ref().map(|r| (china_today(r.vote_opens_at), china_today(r.vote_closes_at - Duration::seconds(1))));
    ctx.insert("vote_from", &window.map(|w| w.0.to_string()));
    ctx.insert("vote_until", &window.map(|w| w.1.to_string()));
    ctx.insert("round", &round.map(rounds::RoundView::from));
    ctx.insert("nominations", &nominations::list(&state.db, user, year).await?);
    ctx.insert("courses", &nominable_courses(state, user, year).await?);
    ctx.insert("today", &china_today(now).to_string());
    ctx.insert("in_two_weeks", &(china_today(now) + Duration::days(14)).to_string());
    ctx.insert("notice", &f.notice);
    ctx.insert("error", &f.error);
    ctx.insert("pledge_error", &f.pledge_error);
    page(state, "inst/excellent.html", &ctx)
}

/// `(id, title, hours)` of the courses a base admin may still nominate.
async fn nominable_courses(state: &AppState, user: &AuthUser, year: i32) -> AppResult<Vec<(i32, String, f64)>> {
    if user.role != Role::BaseAdmin {
        return Ok(Vec::new());
    }
    let courses = nominations::nominable(&state.db, user, year).await?;
    Ok(courses.into_iter().map(|c| (c.id, c.title, c.hours)).collect())
}

fn checked_year(year: Option<i32>, state: &AppState) -> i32 {
    year.filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| year_of(state.clock.now()))
}

#[get("/excellent")]
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    q: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    let year = checked_year(q.year, &state);
    render(&state, &req, &user, year, Feedback { notice: done_notice(q.done.as_deref()), ..Feedback::default() }).await
}

/// A refused action shows the page again with the service's reason; anything else propagates.
async fn after(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    year: i32,
    result: AppResult<()>,
    done: &str,
) -> AppResult<HttpResponse> {
    match result {
        Ok(()) => Ok(redirect(&format!("/excellent?year={year}&done={done}"))),
        Err(AppError::Unprocessable { code: "ip_pledge_required", message, .. }) => {
            render(state, req, user, year, Feedback { pledge_error: Some(message), ..Feedback::default() }).await
        }
        Err(AppError::Conflict { message, .. } | AppError::Unprocessable { message, .. }) => {
            render(state, req, user, year, Feedback { error: Some(message), ..Feedback::default() }).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct NominateForm {
    #[serde(default)]
    course_id: i32,
    #[serde(default)]
    introduction: String,
    /// A checkbox: present ("on") only when ticked.
    ip_pledge: Option<String>,
    year: Option<i32>,
    #[serde(default)]
    csrf: String,
}

#[post("/excellent/nominations")]
pub async fn nominate(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    form: web::Form<NominateForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    let year = checked_year(form.year, &state);
    let input = nominations::NominationInput {
        course_id: form.course_id,
        year: Some(year),
        ip_pledge: form.ip_pledge.is_some(),
        introduction: Some(form.introduction.clone()),
    };
    let result = nominations::nominate(&state.db, &user, input, state.clock.now()).await.map(|_| ());
    after(&state, &req, &user, year, result, "nominated").await
}

#[derive(Deserialize)]
pub struct ScoreForm {
    #[serde(default)]
    score: String,
    #[serde(default)]
    comment: String,
    year: Option<i32>,
    #[serde(default)]
    csrf: String,
}

#[post("/excellent/nominations/{id:\\d+}/score")]
pub async fn score(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<PlatformAdmins>,
    id: web::Path<i32>,
    form: web::Form<ScoreForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    let year = checked_year(form.year, &state);
    let input = ballots::ScoreInput {
        score: form.score.trim().parse().unwrap_or(f64::NAN),
        comment: Some(form.comment.clone()),
    };
    let result = ballots::score(&state.db, &user, *id, input, state.clock.now()).await;
    after(&state, &req, &user, year, result, "scored").await
}

#[derive(Deserialize)]
pub struct YearForm {
    year: Option<i32>,
    #[serde(default)]
    csrf: String,
}

#[post("/excellent/nominations/{id:\\d+}/vote")]
pub async fn vote(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
    id: web::Path<i32>,
    form: web::Form<YearForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    let year = checked_year(form.year, &state);
    let result = ballots::vote(&state.db, &user, *id, state.clock.now()).await;
    after(&state, &req, &user, year, result, "voted").await
}

#[derive(Deserialize)]
pub struct RoundForm {
    year: Option<i32>,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
    #[serde(default)]
    top_n: i32,
    #[serde(default)]
    csrf: String,
}

/// 00:00 China time (UTC+8) of a `YYYY-MM-DD` date.
fn china_midnight(date: &str) -> Option<chrono::DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    Some(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?) - Duration::hours(8))
}

#[post("/excellent/round")]
pub async fn put_round(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<PlatformAdmins>,
    form: web::Form<RoundForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    let year = checked_year(form.year, &state);
    // Voting closes at the end of the day the admin picked.
    let window = china_midnight(&form.opens).zip(china_midnight(&form.closes).map(|c| c + Duration::days(1)));
    let result = match window {
        Some((vote_opens_at, vote_closes_at)) => {
            let input = rounds::RoundInput { vote_opens_at, vote_closes_at, top_n: form.top_n };
            rounds::put(&state.db, &user, year, input, state.clock.now()).await.map(|_| ())
        }
        None => Err(AppError::unprocessable("invalid_window", "请填写投票开始和截止日期")),
    };
    after(&state, &req, &user, year, result, "round").await
}

#[post("/excellent/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<PlatformAdmins>,
    form: web::Form<YearForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    let year = checked_year(form.year, &state);
    let result = selection::publish(&state.db, &user, year, state.clock.now()).await.map(|_| ());
    after(&state, &req, &user, year, result, "published").await
}
