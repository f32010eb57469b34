//! The staff home: each role's tools in one place.
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;

use super::render::{base_context, page};
use crate::{
    auth::{Require, Role, role::sets::Staff},
    error::AppResult,
    state::AppState,
};

#[derive(Serialize)]
struct Tool {
    href: &'static str,
    label: &'static str,
    hint: &'static str,
}

/// Tools per role; a link is listed only when its page exists.
fn tools(role: Role) -> Vec<Tool> {
    match role {
        Role::PlatformAdmin => {
            vec![Tool {
                href: "/api/openapi.json", label: "接口文档 (OpenAPI)", hint: "供其他系统对接使用"
            }]
        }
        _ => vec![],
    }
}

#[get("/staff")]
pub async fn staff_home(state: web::Data<AppState>, req: HttpRequest, user: Require<Staff>) -> AppResult<HttpResponse> {
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("tools", &tools(user.role));
    page(&state, "staff/home.html", &ctx)
}
