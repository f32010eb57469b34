use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};

use crate::{
    audit,
    auth::{Require, Role, role::sets::PlatformAdmins, service},
    error::{AppError, AppResult},
    orgs,
    state::AppState,
};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i32,
}

/// Create an organisation (platform admin).
#[utoipa::path(context_path = "/api/v1", request_body = orgs::service::NewOrg, responses(
    (status = 201, body = Created), (status = 401), (status = 403), (status = 422)))]
#[post("/admin/orgs")]
pub async fn create_org(
    state: web::Data<AppState>,
    admin: Require<PlatformAdmins>,
    body: web::Json<orgs::service::NewOrg>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let org = orgs::service::create(&state.db, body.into_inner(), now).await?;
    audit::record(&state.db, Some(admin.id), "org.create", "org", &org.id.to_string(), None, now).await?;
    Ok(HttpResponse::Created().json(Created { id: org.id }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewUserRequest {
    /// For a learner: the resident ID number.
    pub username: String,
    pub name: String,
    pub role: String,
    pub org_id: Option<i32>,
    /// Initial password; the user must change it at first login.
    pub password: String,
    pub phone: Option<String>,
}

/// Create a user account with an initial password (platform admin).
#[utoipa::path(context_path = "/api/v1", request_body = NewUserRequest, responses(
    (status = 201, body = Created), (status = 401), (status = 403), (status = 409), (status = 422)))]
#[post("/admin/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    admin: Require<PlatformAdmins>,
    body: web::Json<NewUserRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let role = Role::parse(&body.role).ok_or_else(|| AppError::unprocessable("invalid_role", "unknown role"))?;
    let now = state.clock.now();
    let new = service::NewUser {
        username: body.username,
        name: body.name,
        role,
        org_id: body.org_id,
        password: body.password,
        phone: body.phone,
        must_change_password: true,
    };
    let user = service::create_user(&state, new, now).await?;
    audit::record(&state.db, Some(admin.id), "user.create", "user", &user.id.to_string(), None, now).await?;
    Ok(HttpResponse::Created().json(Created { id: user.id }))
}

/// This module's routes and their OpenAPI entries, registered in `routes::configure`.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(create_org).service(create_user);
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(create_org, create_user))]
pub struct Api;
