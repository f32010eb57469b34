//! `AuthUser` from a Bearer token (API) or the HttpOnly session cookie (pages), checked
//! against the user's current token version; `Require<Set>` adds the role check so the
//! permission is visible in each handler's signature.
use std::marker::PhantomData;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use sea_orm::EntityTrait;

use super::role::{Role, sets::RoleSet};
use crate::{entities::user, error::AppError, state::AppState};

pub const SESSION_COOKIE: &str = "xueshi_session";

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: i32,
    pub role: Role,
    pub org_id: Option<i32>,
    pub name: String,
    pub must_change_password: bool,
}

/// Paths a user with an initial password may still reach (to change it).
fn allowed_before_password_change(path: &str) -> bool {
    matches!(path, "/" | "/api/v1/auth/password" | "/api/v1/auth/logout" | "/api/v1/me" | "/password" | "/logout")
}

pub fn token_from_request(req: &HttpRequest) -> Option<String> {
    bearer_token(req).or_else(|| req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()))
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let h = req.headers().get(actix_web::http::header::AUTHORIZATION)?;
    h.to_str().ok()?.strip_prefix("Bearer ").map(|t| t.trim().to_owned())
}

/// A cookie-authenticated API call that changes state must carry the page's CSRF token
/// (`X-CSRF-Token`); Bearer calls cannot be forged by another site and need none.
fn csrf_ok(state: &AppState, req: &HttpRequest, token: &str) -> bool {
    let unsafe_method = !matches!(*req.method(), actix_web::http::Method::GET | actix_web::http::Method::HEAD);
    if !unsafe_method || bearer_token(req).is_some() || !req.path().starts_with("/api/") {
        return true;
    }
    let presented = req.headers().get(crate::pages::csrf::HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    crate::pages::csrf::verify(&state.stream_secret, token, presented)
}

/// Why authentication failed, kept in the request extensions by [`authenticate_middleware`].
#[derive(Debug, Clone, Copy)]
enum AuthFailure {
    InvalidToken,
    PasswordChangeRequired,
    Unavailable,
    CsrfFailed,
}

impl From<AuthFailure> for AppError {
    fn from(f: AuthFailure) -> Self {
        match f {
            AuthFailure::InvalidToken => {
                AppError::unauthorized("invalid_token", "登录已失效，请重新登录 (invalid or expired token)")
            }
            AuthFailure::PasswordChangeRequired => {
                AppError::forbidden("password_change_required", "请先修改初始密码 (change your initial password first)")
            }
            AuthFailure::Unavailable => AppError::Unavailable("database".into()),
            AuthFailure::CsrfFailed => {
                AppError::forbidden("csrf_failed", "页面已过期，请刷新后重试 (missing or wrong CSRF token)")
            }
        }
    }
}

type AuthOutcome = Result<AuthUser, AuthFailure>;

async fn authenticate(state: &AppState, token: &str, path: &str) -> AuthOutcome {
    let cacheable = state.auth_cache.serves(path);
    // jsonwebtoken checks `exp` against the system clock: so does the cache.
    if let Some(user) = cacheable.then(|| state.auth_cache.get(token, chrono::Utc::now().timestamp())).flatten() {
        return Ok(user);
    }
    let verified = state.jwt.verify(token).map_err(|_| AuthFailure::InvalidToken)?;
    let (id, version) = (verified.user_id, verified.version);
    let user = user::Entity::find_by_id(id).one(&state.db).await.map_err(|_| AuthFailure::Unavailable)?;
    let user = match user {
        Some(u) if u.token_version == version && !u.disabled => u,
        _ => return Err(AuthFailure::InvalidToken),
    };
    let role = Role::parse(&user.role).ok_or(AuthFailure::InvalidToken)?;
    if user.must_change_password && !allowed_before_password_change(path) {
        return Err(AuthFailure::PasswordChangeRequired);
    }
    let user = AuthUser {
        id: user.id,
        role,
        org_id: user.org_id,
        name: user.name,
        must_change_password: user.must_change_password,
    };
    if cacheable {
        state.auth_cache.put(token, verified.expires_at, &user);
    }
    Ok(user)
}

/// Authenticates before any extractor runs, so a refused caller is told 401/403 rather than
/// learning from a 422 what the body of an endpoint they may not use should look like.
pub async fn authenticate_middleware(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    // Media files authorise themselves by their signed URL: no user lookup per segment.
    let signed_media = req.path().starts_with("/media/");
    if let Some(token) = token_from_request(req.request()).filter(|_| !signed_media)
        && let Some(state) = req.app_data::<web::Data<AppState>>().cloned()
    {
        let outcome = if csrf_ok(&state, req.request(), &token) {
            authenticate(&state, &token, req.path()).await
        } else {
            Err(AuthFailure::CsrfFailed)
        };
        req.extensions_mut().insert(outcome);
    }
    next.call(req).await
}

fn current_user(req: &HttpRequest) -> Result<AuthUser, AppError> {
    match req.extensions().get::<AuthOutcome>() {
        Some(Ok(u)) => Ok(u.clone()),
        Some(Err(f)) => Err((*f).into()),
        None => Err(AppError::unauthorized("unauthenticated", "请先登录 (login required)")),
    }
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(current_user(req))
    }
}

/// An authenticated user whose role is in `S`; anyone else gets 403 `forbidden_role`.
pub struct Require<S: RoleSet>(pub AuthUser, PhantomData<S>);

impl<S: RoleSet> std::ops::Deref for Require<S> {
    type Target = AuthUser;
    fn deref(&self) -> &AuthUser {
        &self.0
    }
}

impl<S: RoleSet + 'static> FromRequest for Require<S> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(current_user(req).and_then(|user| {
            if S::ROLES.contains(&user.role) {
                Ok(Require(user, PhantomData))
            } else {
                Err(AppError::forbidden("forbidden_role", "无权访问 (your role may not do this)"))
            }
        }))
    }
}

/// For pages that look different when logged in, without refusing anonymous visitors.
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl FromRequest for MaybeAuthUser {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(MaybeAuthUser(current_user(req).ok())))
    }
}
