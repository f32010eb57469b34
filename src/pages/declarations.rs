//! Hour declarations (学时申报): the learner's list and filing form, and the detail page shared
//! by the owner and the reviewers in scope (who decide there, see `reviews`).
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;

use super::{
    decl_kinds,
    render::{base_context, page},
};
use crate::{
    archive::ledger::year_of,
    auth::{AuthUser, Require, role::sets::Learners},
    declarations::{chain, review, view},
    error::{AppError, AppResult},
    state::AppState,
};

#[derive(Deserialize)]
pub struct Filed {
    filed: Option<i32>,
}

#[get("/declarations")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
    q: web::Query<Filed>,
) -> AppResult<HttpResponse> {
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("declarations", &view::mine(&state.db, user.id).await?);
    ctx.insert("kinds", &decl_kinds::labels());
    ctx.insert("levels", &decl_kinds::level_labels());
    ctx.insert("filed", &q.filed.unwrap_or(0));
    page(&state, "learner/declarations.html", &ctx)
}

/// The filing form; with `correcting`, prefilled from a rejected declaration that it files again.
fn render_form(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    correcting: Option<&view::DeclarationView>,
) -> AppResult<HttpResponse> {
    let year = year_of(state.clock.now());
    let mut ctx = base_context(state, req, Some(user));
    ctx.insert("kinds", &decl_kinds::KINDS);
    ctx.insert("fields", &decl_kinds::FIELDS);
    ctx.insert("years", &(year - 4..=year).rev().collect::<Vec<_>>());
    ctx.insert("correcting", &correcting);
    page(state, "learner/declaration_new.html", &ctx)
}

#[get("/declarations/new")]
pub async fn new_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
) -> AppResult<HttpResponse> {
    render_form(&state, &req, &user, None)
}

/// 修改后重新提交: the owner's rejected declaration in the filing form (anything else: 404).
#[get("/declarations/{id:\\d+}/edit")]
pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<Learners>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let d = view::find_visible(&state.db, &user, *id).await?;
    if d.learner_id != user.id || d.status != chain::REJECTED || d.kind == "annual_review" {
        return Err(AppError::NotFound);
    }
    let shown = view::detail(&state.db, d).await?;
    render_form(&state, &req, &user, Some(&shown))
}

/// Renders one declaration for `user` (owner or reviewer in scope; anyone else 404), with the
/// review form when it waits at the user's level. `error` / `comment_error`: a refused decision.
pub async fn render_detail(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    id: i32,
    error: Option<&str>,
    comment_error: Option<&str>,
) -> AppResult<HttpResponse> {
    let d = view::find_visible(&state.db, user, id).await?;
    let my_turn = user.role.is_reviewer() && d.learner_id != user.id && review::is_my_turn(&d, user);
    let shown = view::detail(&state.db, d).await?;
    let mut ctx = base_context(state, req, Some(user));
    ctx.insert("d", &shown);
    ctx.insert("my_turn", &my_turn);
    ctx.insert("kinds", &decl_kinds::labels());
    ctx.insert("levels", &decl_kinds::level_labels());
    ctx.insert("fields", &decl_kinds::FIELDS);
    ctx.insert("error", &error);
    ctx.insert("comment_error", &comment_error);
    page(state, "declaration.html", &ctx)
}

#[get("/declarations/{id:\\d+}")]
pub async fn detail(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    render_detail(&state, &req, &user, *id, None, None).await
}
