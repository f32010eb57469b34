use actix_web::{HttpResponse, cookie::Cookie, get, post, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::{AuthUser, Role, extractor::SESSION_COOKIE, service},
    error::AppResult,
    rules::id_number::IdNumber,
    state::AppState,
};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    /// Learners: the 18-character resident ID number.
    pub username: String,
    pub password: String,
}

pub fn session_cookie(token: &str, max_age_s: i64) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.to_owned())
        .path("/")
        .http_only(true)
        .same_site(actix_web::cookie::SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::seconds(max_age_s))
        .finish()
}

/// Log in; also sets the HttpOnly session cookie used by the pages.
#[utoipa::path(context_path = "/api/v1", request_body = LoginRequest, responses(
    (status = 200, body = service::LoginOutcome),
    (status = 401, description = "invalid_credentials"),
    (status = 429, description = "too_many_attempts")))]
#[post("/auth/login")]
pub async fn login(state: web::Data<AppState>, body: web::Json<LoginRequest>) -> AppResult<HttpResponse> {
    let outcome = service::login(&state, &body.username, &body.password, state.clock.now()).await?;
    let cookie = session_cookie(&outcome.token, state.jwt.ttl().num_seconds());
    Ok(HttpResponse::Ok().cookie(cookie).json(outcome))
}

/// Log out everywhere: every earlier token stops working.
#[utoipa::path(context_path = "/api/v1", responses((status = 204), (status = 401)))]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, user: AuthUser) -> AppResult<HttpResponse> {
    service::logout(&state, user.id).await?;
    let mut gone = session_cookie("", 0);
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    pub old_password: String,
    pub new_password: String,
}

/// Change the password (required after the first login with an initial password).
#[utoipa::path(context_path = "/api/v1", request_body = PasswordChange, responses((status = 204), (status = 401), (status = 422)))]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<PasswordChange>,
) -> AppResult<HttpResponse> {
    service::change_password(&state, user.id, &body.old_password, &body.new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Registered {
    pub user: service::UserSummary,
}

/// Learner self-registration with a resident ID number.
#[utoipa::path(context_path = "/api/v1", request_body = service::RegisterRequest, responses(
    (status = 201, body = Registered), (status = 409, description = "already_registered"),
    (status = 422, description = "invalid_id_number")))]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    body: web::Json<service::RegisterRequest>,
) -> AppResult<HttpResponse> {
    let u = service::register(&state, body.into_inner(), state.clock.now()).await?;
    let user = service::UserSummary { id: u.id, role: Role::Learner, name: u.name };
    Ok(HttpResponse::Created().json(Registered { user }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i32,
    pub role: Role,
    pub name: String,
    pub org_id: Option<i32>,
    /// The caller's own ID number (unmasked only to its owner).
    pub id_number: Option<String>,
    pub id_number_masked: Option<String>,
    pub must_change_password: bool,
}

#[utoipa::path(context_path = "/api/v1", responses((status = 200, body = Me), (status = 401)))]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, user: AuthUser) -> AppResult<HttpResponse> {
    let row = crate::users::find(&state.db, user.id).await?;
    let id_number = service::id_number_of(&state, &row).await?;
    let id_number_masked = id_number.as_deref().and_then(|n| IdNumber::parse(n).ok()).map(|n| n.masked());
    Ok(HttpResponse::Ok().json(Me {
        id: user.id,
        role: user.role,
        name: user.name,
        org_id: user.org_id,
        id_number,
        id_number_masked,
        must_change_password: user.must_change_password,
    }))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(login).service(logout).service(change_password).service(register).service(me);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(login, logout, change_password, register, me))]
pub struct Api;
