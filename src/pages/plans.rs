//! Training plan pages (培训计划): a base lists, drafts and edits its yearly plan class by class
//! and submits it before the deadline; the managing unit approves or returns it with comments.
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;

use super::{
    plan_form::{ClassForm, FieldErrors, field_options, service_errors},
    render::{base_context, check_form_csrf, page, redirect},
};
use crate::{
    archive::ledger::year_of,
    auth::{
        AuthUser, Require, Role,
        role::sets::{BaseAdmins, InstitutionStaff, PlanReviewers},
    },
    error::{AppError, AppResult},
    institutions::{access, plan_edit, plan_review, plans},
    state::AppState,
};

/// `?done=submitted|approved|returned|saved`: what was just done, confirmed on the page.
#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

#[get("/plans")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<InstitutionStaff>,
) -> AppResult<HttpResponse> {
    let all = plans::list(&state.db, &user, None, None).await?;
    let (waiting, others): (Vec<_>, Vec<_>) = all.into_iter().partition(|p| p.status == plans::SUBMITTED);
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("waiting", &waiting);
    ctx.insert("others", &others);
    ctx.insert("is_base", &(user.role == Role::BaseAdmin));
    ctx.insert("is_reviewer", &matches!(user.role, Role::DepartmentAdmin | Role::HrAdmin));
    page(&state, "plans/list.html", &ctx)
}

/// Renders a plan for `user` (404 outside their scope), with a notice or the review form's error.
async fn render_plan(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    id: i32,
    notice: Option<&str>,
    error: Option<&str>,
) -> AppResult<HttpResponse> {
    let plan = plans::view(&state.db, access::visible_plan(&state.db, user, id).await?).await?;
    let own = user.role == Role::BaseAdmin;
    let mut ctx = base_context(state, req, Some(user));
    ctx.insert("can_edit", &(own && (plan.status == plans::DRAFT || plan.status == plans::RETURNED)));
    ctx.insert(
        "can_review",
        &(matches!(user.role, Role::DepartmentAdmin | Role::HrAdmin) && plan.status == plans::SUBMITTED),
    );
    ctx.insert("runs_classes", &(own && plan.status == plans::APPROVED));
    ctx.insert("plan", &plan);
    ctx.insert("notice", &notice);
    ctx.insert("error", &error);
    page(state, "plans/detail.html", &ctx)
}

#[get("/plans/{id:\\d+}")]
pub async fn detail(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<InstitutionStaff>,
    id: web::Path<i32>,
    q: web::Query<Done>,
) -> AppResult<HttpResponse> {
    let notice = match q.done.as_deref() {
        Some("saved") => Some("培训班已保存。"),
        Some("submitted") => Some("培训计划已报送管理单位，等待审核。"),
        Some("approved") => Some("已审核通过，培训班已列入培训项目目录。"),
        Some("returned") => Some("已退回基地修改。"),
        _ => None,
    };
    render_plan(&state, &req, &user, *id, notice, None).await
}

/// The class form: a new plan (with its year), a new class or an edited one.
fn render_form(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    action: &str,
    form: &ClassForm,
    errors: &FieldErrors,
) -> AppResult<HttpResponse> {
    let this_year = year_of(state.clock.now());
    let mut ctx = base_context(state, req, Some(user));
    ctx.insert("action", action);
    ctx.insert("new_plan", &(action == "/plans"));
    ctx.insert("years", &[this_year, this_year + 1]);
    ctx.insert("form", form);
    ctx.insert("errors", errors);
    ctx.insert("fields", &field_options());
    page(state, "plans/class_form.html", &ctx)
}

#[get("/plans/new")]
pub async fn new_plan(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
) -> AppResult<HttpResponse> {
    let form = ClassForm { mode: "onsite".into(), ..ClassForm::default() };
    render_form(&state, &req, &user, "/plans", &form, &FieldErrors::new())
}

#[get("/plans/{id:\\d+}/classes/new")]
pub async fn new_class(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    access::own_plan(&state.db, &user, *id).await?;
    let form = ClassForm { mode: "onsite".into(), ..ClassForm::default() };
    render_form(&state, &req, &user, &format!("/plans/{}/classes", *id), &form, &FieldErrors::new())
}

#[get("/plans/{id:\\d+}/classes/{class:\\d+}")]
pub async fn edit_class(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, class) = path.into_inner();
    let form = ClassForm::from(plan_edit::own_class(&state.db, &user, id, class).await?);
    render_form(&state, &req, &user, &format!("/plans/{id}/classes/{class}"), &form, &FieldErrors::new())
}

/// Saves the form through `save`; a refusal re-renders the form with the errors by field.
async fn save_form<F, Fut>(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    action: &str,
    form: ClassForm,
    save: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(crate::institutions::plan_input::ClassInput) -> Fut,
    Fut: std::future::Future<Output = AppResult<plans::PlanView>>,
{
    check_form_csrf(state, req, &form.csrf)?;
    let input = match form.to_input() {
        Ok(input) => input,
        Err(errors) => return render_form(state, req, user, action, &form, &errors),
    };
    match save(input).await {
        Ok(plan) => Ok(redirect(&format!("/plans/{}?done=saved", plan.id))),
        Err(AppError::Unprocessable { details, message, .. }) => {
            let mut errors = service_errors(details.as_ref());
            if errors.is_empty() {
                errors.insert("form".into(), message);
            }
            render_form(state, req, user, action, &form, &errors)
        }
        Err(AppError::Conflict { message, .. }) => {
            render_form(state, req, user, action, &form, &FieldErrors::from([("form".to_owned(), message)]))
        }
        Err(e) => Err(e),
    }
}

#[post("/plans")]
pub async fn create_plan(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    form: web::Form<ClassForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let year = form.year.trim().parse().unwrap_or(0);
    let (db, now) = (&state.db, state.clock.now());
    save_form(&state, &req, &user, "/plans", form, |c| plans::create(db, &user, year, vec![c], now)).await
}

#[post("/plans/{id:\\d+}/classes")]
pub async fn add_class(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    form: web::Form<ClassForm>,
) -> AppResult<HttpResponse> {
    let (db, now, id) = (&state.db, state.clock.now(), *id);
    let action = format!("/plans/{id}/classes");
    save_form(&state, &req, &user, &action, form.into_inner(), |c| plan_edit::put_class(db, &user, id, None, c, now))
        .await
}

#[post("/plans/{id:\\d+}/classes/{class:\\d+}")]
pub async fn update_class(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    path: web::Path<(i32, i32)>,
    form: web::Form<ClassForm>,
) -> AppResult<HttpResponse> {
    let ((id, class), db, now) = (path.into_inner(), &state.db, state.clock.now());
    let action = format!("/plans/{id}/classes/{class}");
    let save = |c| plan_edit::put_class(db, &user, id, Some(class), c, now);
    save_form(&state, &req, &user, &action, form.into_inner(), save).await
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    csrf: String,
}

#[post("/plans/{id:\\d+}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    form: web::Form<super::auth_pages::CsrfForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    match plan_review::submit(&state.db, &user, *id, state.clock.now()).await {
        Ok(_) => Ok(redirect(&format!("/plans/{}?done=submitted", *id))),
        Err(AppError::Conflict { message, .. }) => render_plan(&state, &req, &user, *id, None, Some(&message)).await,
        Err(e) => Err(e),
    }
}

#[post("/plans/{id:\\d+}/review")]
pub async fn review(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<PlanReviewers>,
    id: web::Path<i32>,
    form: web::Form<ReviewForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    let ReviewForm { decision, comment, .. } = form.into_inner();
    let request = plan_review::ReviewRequest { decision, comment: Some(comment) };
    match plan_review::review(&state.db, &user, *id, request, state.clock.now()).await {
        Ok(plan) => Ok(redirect(&format!("/plans/{}?done={}", plan.id, plan.status))),
        Err(AppError::Conflict { message, .. } | AppError::Unprocessable { message, .. }) => {
            render_plan(&state, &req, &user, *id, None, Some(&message)).await
        }
        Err(e) => Err(e),
    }
}
