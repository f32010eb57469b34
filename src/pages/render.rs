//! Rendering helpers: every page gets the user, the CSRF token and the CSP header.
use actix_web::{HttpRequest, HttpResponse, http::header};
use tera::Context;

use super::{CSP, csrf};
use crate::{auth::AuthUser, auth::extractor::SESSION_COOKIE, error::AppError, state::AppState};

pub fn base_context(state: &AppState, req: &HttpRequest, user: Option<&AuthUser>) -> Context {
    let mut ctx = Context::new();
    let session = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    ctx.insert("csrf", &csrf::token_for(&state.stream_secret, &session));
    if let Some(u) = user {
        ctx.insert("user_name", &u.name);
        ctx.insert("user_role", u.role.as_str());
    }
    ctx
}

pub fn page(state: &AppState, template: &str, ctx: &Context) -> Result<HttpResponse, AppError> {
    let html =
        state.tera.render(template, ctx).map_err(|e| AppError::Other(anyhow::anyhow!("template {template}: {e:?}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("Referrer-Policy", "same-origin"))
        .content_type("text/html; charset=utf-8")
        .body(html))
}

pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, to)).finish()
}

/// Checks a form's CSRF field against the session cookie.
pub fn check_form_csrf(state: &AppState, req: &HttpRequest, presented: &str) -> Result<(), AppError> {
    let session = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if csrf::verify(&state.stream_secret, &session, presented) {
        Ok(())
    } else {
        Err(AppError::forbidden("csrf_failed", "页面已过期，请刷新后重试 (form expired, reload the page)"))
    }
}
