//! The learner's course pages: the catalog (课程目录), one course with its lectures and exam
//! (课程学习), and the player (视频学习). The read models come from `learning`; the player's
//! session and heartbeats run in `static/player.js` against the JSON API.
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::render::{base_context, check_form_csrf, page, redirect};
use crate::{
    archive::ledger::year_of,
    auth::{AuthUser, Require, role::sets::Learners},
    error::{AppError, AppResult},
    exams::cycle,
    learning::{
        catalog::{self, ElectiveChoice},
        course_page::{self, LectureLine},
    },
    state::AppState,
};

/// 公需必修 / 公需选修 / 专业科目.
fn category_label(category: &str) -> &'static str {
    match category {
        "public_required" => "公需必修",
        "public_elective" => "公需选修",
        _ => "专业科目",
    }
}

/// "12 分 05 秒" (or "45 秒").
fn duration_label(seconds: Option<f64>) -> String {
    let Some(total) = seconds.filter(|s| s.is_finite() && *s >= 0.0).map(|s| s.round() as u64) else {
        return "处理中".into();
    };
    match (total / 60, total % 60) {
        (0, s) => format!("{s} 秒"),
        (m, s) => format!("{m} 分 {s:02} 秒"),
    }
}

fn percent(share: f64) -> u32 {
    (share * 100.0).clamp(0.0, 100.0).floor() as u32
}

/// The elective hours chosen so far, in plain words.
fn electives_in_words(e: &ElectiveChoice) -> String {
    let chosen = if e.chosen_topics == 0 {
        "您还没有选学公需选修专题".to_owned()
    } else {
        format!("您已选学 {} 个公需选修专题，共 {} 学时", e.chosen_topics, e.chosen_hours)
    };
    if e.min_hours <= 0.0 {
        return format!("{chosen}。");
    }
    if e.still_to_choose > 0.0 {
        format!(
            "{chosen}；每年至少需选 {} 学时，还需再选 {} 学时。开始学习一个专题即为选定。",
            e.min_hours, e.still_to_choose
        )
    } else {
        format!("{chosen}，已达到每年至少 {} 学时的要求。", e.min_hours)
    }
}

#[get("/courses")]
pub async fn catalog_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
) -> AppResult<HttpResponse> {
    let year = year_of(state.clock.now());
    let c = catalog::catalog(&state.db, &user, year).await?;
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("electives_words", &electives_in_words(&c.electives));
    ctx.insert("catalog", &c);
    page(&state, "learner/catalog.html", &ctx)
}

/// A lecture row as the templates show it.
#[derive(Serialize)]
struct LectureRow<'a> {
    #[serde(flatten)]
    line: &'a LectureLine,
    duration: String,
    percent: u32,
}

fn rows(lectures: &[LectureLine]) -> Vec<LectureRow<'_>> {
    lectures
        .iter()
        .map(|l| LectureRow { line: l, duration: duration_label(l.duration_s), percent: percent(l.coverage) })
        .collect()
}

async fn render_course(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    id: i32,
    error: Option<&str>,
) -> AppResult<HttpResponse> {
    let c = course_page::course_page(state, user, id).await?;
    let mut ctx: Context = base_context(state, req, Some(user));
    ctx.insert("category_label", category_label(&c.category));
    ctx.insert("lectures", &rows(&c.lectures));
    if let Some(exam) = &c.exam {
        ctx.insert("exam_minutes", &(exam.duration_s / 60).max(1));
    }
    ctx.insert("course", &c);
    ctx.insert("error", &error);
    page(state, "learner/course.html", &ctx)
}

#[get("/courses/{id}")]
pub async fn course(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    render_course(&state, &req, &user, *id, None).await
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// 申请重新学习: a plain form POST calling the same service as the JSON API.
#[post("/courses/{id}/restudy")]
pub async fn restudy(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
    id: web::Path<i32>,
    form: web::Form<CsrfForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    match cycle::restudy(&state.db, user.id, *id, state.clock.now()).await {
        Ok(_) => Ok(redirect(&format!("/courses/{}", *id))),
        Err(AppError::Conflict { code: "restudy_not_allowed", .. }) => {
            let message = "只有本轮考试机会全部用完且未通过时，才能申请重新学习。";
            render_course(&state, &req, &user, *id, Some(message)).await
        }
        Err(e) => Err(e),
    }
}

#[get("/lectures/{id}/play")]
pub async fn player(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let p = course_page::player_page(&state, &user, *id).await?;
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("duration", &duration_label(p.lecture.duration_s));
    ctx.insert("percent", &percent(p.lecture.coverage));
    ctx.insert("player", &p);
    page(&state, "learner/player.html", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_minutes_and_seconds() {
        assert_eq!(duration_label(Some(6.04)), "6 秒");
        assert_eq!(duration_label(Some(725.0)), "12 分 05 秒");
        assert_eq!(duration_label(None), "处理中");
    }

    #[test]
    fn electives_in_plain_words() {
        let e = |topics, chosen, still| ElectiveChoice {
            chosen_topics: topics,
            chosen_hours: chosen,
            min_hours: 10.0,
            still_to_choose: still,
        };
        assert!(electives_in_words(&e(0, 0.0, 10.0)).contains("还没有选学"));
        assert!(electives_in_words(&e(1, 5.0, 5.0)).contains("还需再选 5 学时"));
        assert!(electives_in_words(&e(2, 10.0, 0.0)).contains("已达到每年至少 10 学时的要求"));
    }
}
