//! The annual review (年度学时审验, Binzhou 2024: 逐级审核，审核合格后下载证书). Where the policy
//! sets `certificate_requires_review`, a compliant year goes up the same review chain as a
//! declaration before its certificate is issued. It is filed as a declaration of kind
//! `annual_review`, worth no hours, so scope, the queue, decisions and the audit are shared.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{chain::APPROVED, evidence::Staged, filing, input::Filing};
use crate::{
    auth::AuthUser,
    entities::declaration,
    error::AppResult,
    rules::declaration_value::{DeclarationInput, DeclarationKind},
    state::AppState,
};

const KIND: &str = "annual_review";

/// The learner's latest annual review of `year` (a rejected one may be followed by a new one).
pub async fn latest(db: &impl ConnectionTrait, learner_id: i32, year: i32) -> AppResult<Option<declaration::Model>> {
    Ok(declaration::Entity::find()
        .filter(declaration::Column::LearnerId.eq(learner_id))
        .filter(declaration::Column::Year.eq(year))
        .filter(declaration::Column::Kind.eq(KIND))
        .order_by_desc(declaration::Column::Id)
        .one(db)
        .await?)
}

/// Whether the review chain approved the learner's `year`.
pub async fn approved(db: &impl ConnectionTrait, learner_id: i32, year: i32) -> AppResult<bool> {
    Ok(latest(db, learner_id, year).await?.is_some_and(|d| d.status == APPROVED))
}

/// Puts the learner's compliant `year` up for review: 409 `not_compliant` (with the
/// shortfall) before the hours are there, 422 `already_requested` while one is pending or
/// approved. The title carries the hours the reviewers are asked to confirm.
pub async fn request(state: &AppState, user: &AuthUser, year: i32) -> AppResult<declaration::Model> {
    let summary = crate::archive::summary::ensure_compliant(&state.db, user.id, year).await?;
    let title = format!(
        "{year} 年度学时审验（公需 {} + 专业 {} = {} 学时）",
        summary.public_hours, summary.professional_hours, summary.total_hours
    );
    let input = DeclarationInput::new(DeclarationKind::AnnualReview, year, title);
    filing::submit(state, user, Filing { input, evidence: Staged::default() }).await
}
