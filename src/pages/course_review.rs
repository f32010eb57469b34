//! Course review (课程审核) by the platform admin: the queue of submitted courses with their
//! lectures and a preview of each, publish or reject with a reason (plain forms, no scripts
//! needed). The lecture preview page is shared with the course's base admins.
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};

use super::{
    course_form::{self, chinese, minutes_seconds},
    render::{base_context, check_form_csrf, page, redirect},
};
use crate::{
    auth::{
        AuthUser, Require,
        role::sets::{CourseEditors, PlatformAdmins},
    },
    courses::{
        review,
        service::{self, CourseDetail},
        streaming,
    },
    error::{AppError, AppResult},
    state::AppState,
};

/// A refused decision, shown under the course it concerns.
#[derive(Serialize)]
struct Problem {
    course_id: i32,
    /// `reason` (next to the reason field) or `publish`.
    field: &'static str,
    text: String,
}

/// A course in the queue with its lectures' total length as text.
#[derive(Serialize)]
struct Waiting {
    #[serde(flatten)]
    course: CourseDetail,
    length: String,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<i32>,
    decision: Option<String>,
}

async fn render(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    q: &Done,
    problem: Option<Problem>,
) -> AppResult<HttpResponse> {
    let waiting: Vec<Waiting> = review::pending(&state.db)
        .await?
        .into_iter()
        .map(|course| Waiting {
            length: minutes_seconds(course.lectures.iter().filter_map(|l| l.duration_s).sum()),
            course,
        })
        .collect();
    let mut ctx = base_context(state, req, Some(user));
    ctx.insert("queue", &waiting);
    ctx.insert("labels", &course_form::labels());
    let none = Problem { course_id: 0, field: "", text: String::new() };
    ctx.insert("problem", &problem.unwrap_or(none));
    ctx.insert("done", &q.done.unwrap_or(0));
    ctx.insert("decision", q.decision.as_deref().unwrap_or(""));
    page(state, "admin/course_review.html", &ctx)
}

#[get("/admin/courses")]
pub async fn queue(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: Require<PlatformAdmins>,
    q: web::Query<Done>,
) -> AppResult<HttpResponse> {
    render(&state, &req, &admin, &q, None).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf: String,
}

/// Publish (`/publish`) or reject with a reason (`/reject`) one submitted course.
#[post("/admin/courses/{id:\\d+}/{decision:publish|reject}")]
pub async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    admin: Require<PlatformAdmins>,
    path: web::Path<(i32, String)>,
    form: web::Form<DecisionForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    let (id, decision) = path.into_inner();
    let now = state.clock.now();
    let outcome = if decision == "publish" {
        review::publish(&state.db, &admin, id, now).await
    } else {
        review::reject(&state.db, &admin, id, &form.reason, now).await
    };
    decided(&state, &req, &admin, id, &decision, outcome).await
}

/// Back to the queue with the decision confirmed, or the queue with the refusal under the course.
async fn decided<T>(
    state: &AppState,
    req: &HttpRequest,
    admin: &AuthUser,
    id: i32,
    decision: &str,
    outcome: AppResult<T>,
) -> AppResult<HttpResponse> {
    let problem = match outcome {
        Ok(_) => return Ok(redirect(&format!("/admin/courses?done={id}&decision={decision}"))),
        Err(AppError::Unprocessable { message, .. }) => {
            Problem { course_id: id, field: "reason", text: chinese(&message) }
        }
        Err(AppError::Conflict { message, .. }) => Problem { course_id: id, field: "publish", text: chinese(&message) },
        Err(e) => return Err(e),
    };
    render(state, req, admin, &Done { done: None, decision: None }, Some(problem)).await
}

/// A ready lecture played in the page (HLS natively or with the vendored hls.js).
#[get("/staff/courses/{id:\\d+}/lectures/{lecture_id:\\d+}/preview")]
pub async fn preview(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<CourseEditors>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (course_id, lecture_id) = path.into_inner();
    let course = service::detail(&state.db, &user, course_id).await?;
    let lecture = course.lectures.iter().find(|l| l.id == lecture_id).ok_or(AppError::NotFound)?;
    let stream = streaming::preview(&state, &user, course_id, lecture_id).await?;
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("course", &course);
    ctx.insert("lecture", lecture);
    ctx.insert("length", &minutes_seconds(lecture.duration_s.unwrap_or(0.0)));
    ctx.insert("stream_url", &stream.stream_url);
    page(&state, "staff/lecture_preview.html", &ctx)
}
