//! `AuthUser` from a Bearer token (API) or the HttpOnly session cookie (pages), checked
//! against the user's current token version; `Require<Set>` adds the role check so the
//! permission is visible in each handler's signature.
use std::{future::Future, marker::PhantomData, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
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
    matches!(
        path,
        "/api/v1/auth/password" | "/api/v1/auth/logout" | "/api/v1/me" | "/password" | "/logout"
    )
}

pub fn token_from_request(req: &HttpRequest) -> Option<String> {
    if let Some(h) = req.headers().get(actix_web::http::header::AUTHORIZATION) {
        return h
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")
            .map(|t| t.trim().to_owned());
    }
    req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned())
}

async fn authenticate(req: HttpRequest) -> Result<AuthUser, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Other(anyhow::anyhow!("app state missing")))?;
    let token = token_from_request(&req)
        .ok_or_else(|| AppError::unauthorized("unauthenticated", "请先登录 (login required)"))?;
    let (id, version) = state.jwt.verify(&token).map_err(|_| {
        AppError::unauthorized(
            "invalid_token",
            "登录已失效，请重新登录 (invalid or expired token)",
        )
    })?;
    let user = user::Entity::find_by_id(id).one(&state.db).await?;
    let user = match user {
        Some(u) if u.token_version == version && !u.disabled => u,
        _ => {
            return Err(AppError::unauthorized(
                "invalid_token",
                "登录已失效，请重新登录 (invalid or expired token)",
            ));
        }
    };
    let role = Role::parse(&user.role)
        .ok_or_else(|| AppError::Other(anyhow::anyhow!("unknown role in database")))?;
    if user.must_change_password && !allowed_before_password_change(req.path()) {
        return Err(AppError::forbidden(
            "password_change_required",
            "请先修改初始密码 (change your initial password first)",
        ));
    }
    Ok(AuthUser {
        id: user.id,
        role,
        org_id: user.org_id,
        name: user.name,
        must_change_password: user.must_change_password,
    })
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req.clone()))
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
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = authenticate(req).await?;
            if S::ROLES.contains(&user.role) {
                Ok(Require(user, PhantomData))
            } else {
                Err(AppError::forbidden(
                    "forbidden_role",
                    "无权访问 (your role may not do this)",
                ))
            }
        })
    }
}

/// For pages that look different when logged in, without refusing anonymous visitors.
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl FromRequest for MaybeAuthUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeAuthUser(authenticate(req).await.ok())) })
    }
}
