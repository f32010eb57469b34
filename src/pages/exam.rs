//! The learner's exam page (在线考试): what the exam is and whether it can be taken now; the
//! paper itself, the countdown and autosave run in `static/exam.js` against the JSON API.
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::render::{base_context, page};
use crate::{
    auth::{Require, role::sets::Learners},
    error::AppResult,
    exams::overview,
    state::AppState,
};

#[get("/exams/{id}")]
pub async fn exam_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let o = overview::overview(&state.db, user.id, *id, state.clock.now()).await?;
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("minutes", &(o.duration_s / 60).max(1));
    // Tera treats a score of 0 as false: tell the template plainly whether there is one.
    if let Some(score) = o.last_score {
        ctx.insert("last_score", &score);
    }
    ctx.insert("exam", &o);
    page(&state, "learner/exam.html", &ctx)
}
