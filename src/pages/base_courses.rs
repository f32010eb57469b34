//! The base admin's course pages (课程管理): the list of the base's courses with their review
//! status, and the create / edit form with each field's error next to it. The course page with
//! its lectures, uploads and submission is in `base_course_page`.
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use super::{
    course_form::{self, CourseForm, FieldErrors},
    render::{base_context, check_form_csrf, page, redirect},
};
use crate::{
    archive::ledger::year_of,
    audit,
    auth::{AuthUser, Require, role::sets::BaseAdmins},
    courses::service,
    error::{AppError, AppResult},
    state::AppState,
};

#[get("/base/courses")]
pub async fn list(state: web::Data<AppState>, req: HttpRequest, user: Require<BaseAdmins>) -> AppResult<HttpResponse> {
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("courses", &service::own_courses(&state.db, &user).await?);
    ctx.insert("labels", &course_form::labels());
    page(&state, "base_admin/courses.html", &ctx)
}

/// Renders the form, for a new course (`course_id` None) or an existing one.
fn render_form(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    course_id: Option<i32>,
    form: &CourseForm,
    errors: &FieldErrors,
) -> AppResult<HttpResponse> {
    let year = year_of(state.clock.now());
    let mut ctx = base_context(state, req, Some(user));
    ctx.insert("course_id", &course_id);
    ctx.insert("form", form);
    ctx.insert("errors", errors);
    let mut years: Vec<i32> = (year - 1..=year + 1).rev().collect();
    if let Ok(y) = form.year.parse::<i32>()
        && !years.contains(&y)
    {
        years.push(y);
    }
    ctx.insert("years", &years);
    ctx.insert("labels", &course_form::labels());
    page(state, "base_admin/course_form.html", &ctx)
}

#[get("/base/courses/new")]
pub async fn new_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
) -> AppResult<HttpResponse> {
    let form = CourseForm::blank(year_of(state.clock.now()));
    render_form(&state, &req, &user, None, &form, &FieldErrors::new())
}

/// The service's refusal of the form, shown next to the fields; any other error passes on.
fn refused(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    course_id: Option<i32>,
    form: &CourseForm,
    e: AppError,
) -> AppResult<HttpResponse> {
    let errors = match (course_form::field_errors(&e), &e) {
        (Some(errors), _) => errors,
        (None, AppError::Conflict { message, .. }) => FieldErrors::from([("form", course_form::chinese(message))]),
        _ => return Err(e),
    };
    render_form(state, req, user, course_id, form, &errors)
}

#[post("/base/courses")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    form: web::Form<CourseForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    let new = match form.to_new() {
        Ok(new) => new,
        Err(errors) => return render_form(&state, &req, &user, None, &form, &errors),
    };
    let now = state.clock.now();
    match service::create(&state.db, &user, new, now).await {
        Ok(course) => {
            audit::record(&state.db, Some(user.id), "course.create", "course", &course.id.to_string(), None, now)
                .await?;
            Ok(redirect(&format!("/base/courses/{}?done=created", course.id)))
        }
        Err(e) => refused(&state, &req, &user, None, &form, e),
    }
}

#[get("/base/courses/{id:\\d+}/edit")]
pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let course = service::owned_detail(&state.db, &user, *id).await?;
    render_form(&state, &req, &user, Some(*id), &CourseForm::of(&course), &FieldErrors::new())
}

#[post("/base/courses/{id:\\d+}/edit")]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    form: web::Form<CourseForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    let new = match form.to_new() {
        Ok(new) => new,
        Err(errors) => return render_form(&state, &req, &user, Some(*id), &form, &errors),
    };
    let now = state.clock.now();
    match service::update(&state.db, &user, *id, new, now).await {
        Ok(_) => {
            audit::record(&state.db, Some(user.id), "course.update", "course", &id.to_string(), None, now).await?;
            Ok(redirect(&format!("/base/courses/{}?done=updated", *id)))
        }
        Err(e) => refused(&state, &req, &user, Some(*id), &form, e),
    }
}
