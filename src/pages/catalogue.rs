//! The published catalogue of training projects (培训项目目录) for everyone logged in,
//! filtered by region and knowledge-update field.
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::{
    plan_form::field_options,
    render::{base_context, page},
};
use crate::{
    auth::AuthUser,
    error::{AppError, AppResult},
    institutions::catalogue::{self, CatalogueQuery},
    state::AppState,
};

#[get("/training-projects")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    q: web::Query<CatalogueQuery>,
) -> AppResult<HttpResponse> {
    let (projects, error) = match catalogue::list(&state.db, &q).await {
        Ok(projects) => (projects, None),
        Err(AppError::Unprocessable { message, .. }) => (Vec::new(), Some(message)),
        Err(e) => return Err(e),
    };
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("projects", &projects);
    ctx.insert("error", &error);
    ctx.insert("regions", &catalogue::regions(&state.db).await?);
    ctx.insert("fields", &field_options());
    ctx.insert("region", q.region.as_deref().unwrap_or(""));
    ctx.insert("field", q.field.as_deref().unwrap_or(""));
    page(&state, "inst/catalogue.html", &ctx)
}
