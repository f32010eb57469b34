//! Login, forced first password change, logout.
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;

use super::render::{base_context, check_form_csrf, page, redirect};
use crate::{
    auth::{Role, extractor::MaybeAuthUser, service},
    error::{AppError, AppResult},
    routes::auth::session_cookie,
    state::AppState,
};

#[get("/")]
pub async fn home(user: MaybeAuthUser) -> HttpResponse {
    match user.0 {
        None => redirect("/login"),
        Some(u) if u.must_change_password => redirect("/password"),
        Some(u) if u.role == Role::Learner => redirect("/dashboard"),
        Some(_) => redirect("/staff"),
    }
}

#[get("/login")]
pub async fn login_form(state: web::Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let ctx = base_context(&state, &req, None);
    page(&state, "login.html", &ctx)
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

#[post("/login")]
pub async fn login_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    let mut ctx = base_context(&state, &req, None);
    ctx.insert("username", &form.username);
    match service::login(&state, form.username.trim(), &form.password, state.clock.now()).await {
        Ok(outcome) => {
            let to = if outcome.must_change_password { "/password" } else { "/" };
            let mut resp = redirect(to);
            resp.add_cookie(&session_cookie(&outcome.token, state.jwt.ttl().num_seconds()))
                .map_err(|e| AppError::Other(anyhow::anyhow!("{e}")))?;
            Ok(resp)
        }
        Err(AppError::TooManyAttempts) => {
            ctx.insert("error", "登录失败次数过多，请 15 分钟后再试。");
            page(&state, "login.html", &ctx)
        }
        Err(AppError::Unauthorized { .. }) => {
            ctx.insert("error", "身份证号（或用户名）或密码不正确。");
            page(&state, "login.html", &ctx)
        }
        Err(e) => Err(e),
    }
}

#[get("/password")]
pub async fn password_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeAuthUser,
) -> AppResult<HttpResponse> {
    let Some(u) = user.0 else { return Ok(redirect("/login")) };
    let mut ctx = base_context(&state, &req, Some(&u));
    ctx.insert("forced", &u.must_change_password);
    page(&state, "password.html", &ctx)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    old_password: String,
    new_password: String,
    confirm_password: String,
    #[serde(default)]
    csrf: String,
}

#[post("/password")]
pub async fn password_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeAuthUser,
    form: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let Some(u) = user.0 else { return Ok(redirect("/login")) };
    check_form_csrf(&state, &req, &form.csrf)?;
    let mut ctx = base_context(&state, &req, Some(&u));
    ctx.insert("forced", &u.must_change_password);
    if form.new_password != form.confirm_password {
        ctx.insert("confirm_error", "两次输入的新密码不一致。");
        return page(&state, "password.html", &ctx);
    }
    match service::change_password(&state, u.id, &form.old_password, &form.new_password).await {
        Ok(()) => {
            // The change invalidated the old token: log in again with the new password.
            let outcome = service::login_by_id(&state, u.id, state.clock.now()).await?;
            let mut resp = redirect("/");
            resp.add_cookie(&session_cookie(&outcome, state.jwt.ttl().num_seconds()))
                .map_err(|e| AppError::Other(anyhow::anyhow!("{e}")))?;
            Ok(resp)
        }
        Err(AppError::Unauthorized { .. }) => {
            ctx.insert("old_error", "原密码不正确。");
            page(&state, "password.html", &ctx)
        }
        Err(AppError::Unprocessable { message, .. }) => {
            ctx.insert("new_error", &message);
            page(&state, "password.html", &ctx)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

#[post("/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeAuthUser,
    form: web::Form<CsrfForm>,
) -> AppResult<HttpResponse> {
    if let Some(u) = user.0 {
        check_form_csrf(&state, &req, &form.csrf)?;
        service::logout(&state, u.id).await?;
    }
    let mut gone = session_cookie("", 0);
    gone.make_removal();
    let mut resp = redirect("/login");
    resp.add_cookie(&gone).map_err(|e| AppError::Other(anyhow::anyhow!("{e}")))?;
    Ok(resp)
}
