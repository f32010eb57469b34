//! The review chain at work: each level's reviewer sees what waits at their level within
//! their scope, and decides. A final approval credits the ledger in the same transaction as
//! the status change; every decision is kept and audited (谁审核，谁负责).
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait, sea_query::Expr,
};

use super::{
    chain::{self, APPROVED, Decision, PENDING, REJECTED, Step},
    filing::parse_kind,
    view::find_visible,
};
use crate::{
    archive::ledger::{self, NewCredit, SourceKind},
    audit,
    auth::AuthUser,
    entities::{declaration, declaration_review},
    error::{AppError, AppResult},
    orgs::scope,
    rules::annual_summary::Category,
    state::AppState,
};

const MAX_COMMENT_CHARS: usize = 1000;

/// Declarations waiting at the reviewer's level, from employers inside the reviewer's scope.
#[tracing::instrument(skip_all, fields(reviewer = reviewer.id))]
pub async fn pending_for(db: &impl ConnectionTrait, reviewer: &AuthUser) -> AppResult<Vec<declaration::Model>> {
    let orgs = scope::visible_orgs(db, reviewer).await?;
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let rows = declaration::Entity::find()
        .filter(declaration::Column::Status.eq(PENDING))
        .filter(declaration::Column::OrgId.is_in(orgs.iter().copied()))
        .order_by_asc(declaration::Column::CreatedAt)
        .order_by_asc(declaration::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter(|d| is_my_turn(d, reviewer)).collect())
}

/// Whether the declaration waits at the reviewer's level (scope is checked separately).
pub fn is_my_turn(d: &declaration::Model, reviewer: &AuthUser) -> bool {
    chain::current_level(&d.status, &d.chain, d.level).map(chain::role_for) == Some(reviewer.role)
}

fn already_reviewed() -> AppError {
    AppError::conflict("already_reviewed", "该级已审核 (this level has already decided)")
}

fn clean_comment(comment: Option<String>, decision: Decision) -> AppResult<Option<String>> {
    let comment = comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if comment.as_ref().is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS) {
        return Err(AppError::unprocessable("comment_too_long", "审核意见过长 (comment too long)"));
    }
    if decision == Decision::Reject && comment.is_none() {
        return Err(AppError::unprocessable("comment_required", "退回须说明理由 (a rejection needs a comment)"));
    }
    Ok(comment)
}

/// Records `reviewer`'s decision at the declaration's current level.
#[tracing::instrument(skip_all, fields(reviewer = reviewer.id, declaration = id))]
pub async fn decide(
    state: &AppState,
    reviewer: &AuthUser,
    id: i32,
    decision: Decision,
    comment: Option<String>,
) -> AppResult<declaration::Model> {
    let d = find_visible(&state.db, reviewer, id).await?;
    if d.learner_id == reviewer.id {
        return Err(AppError::forbidden(
            "own_declaration",
            "不能审核本人的申报 (you cannot review your own declaration)",
        ));
    }
    let Some(level) = chain::current_level(&d.status, &d.chain, d.level) else {
        return Err(AppError::conflict("not_pending", "该申报已审结 (the declaration is already decided)"));
    };
    if chain::role_for(level) != reviewer.role {
        return Err(AppError::conflict(
            "not_your_level",
            "当前不在您的审核级别 (the declaration is not at your level)",
        ));
    }
    let comment = clean_comment(comment, decision)?;
    let step = chain::next_step(chain::decode(&d.chain).len(), d.level, decision);
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    // The guarded update comes first: it takes the write lock, and only one decision per
    // level and round can match it.
    advance(&txn, &d, step, now).await?;
    declaration_review::ActiveModel {
        declaration_id: Set(d.id),
        round: Set(d.round),
        level: Set(d.level),
        level_name: Set(chain::level_name(level).to_owned()),
        reviewer_id: Set(reviewer.id),
        decision: Set(decision.as_str().to_owned()),
        comment: Set(comment.clone()),
        decided_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e: DbErr| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => already_reviewed(),
        _ => AppError::Db(e),
    })?;
    if step == Step::Approved {
        credit_ledger(&txn, &d, now).await?;
    }
    let action = format!("declaration.{}.{}", decision.as_str(), chain::level_name(level));
    audit::record(&txn, Some(reviewer.id), &action, "declaration", &d.id.to_string(), comment.as_deref(), now).await?;
    txn.commit().await?;
    declaration::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)
}

/// Moves the declaration on, only from the exact state the decision was made on.
async fn advance(db: &impl ConnectionTrait, d: &declaration::Model, step: Step, now: DateTime<Utc>) -> AppResult<()> {
    let (status, level, decided_at) = match step {
        Step::NextLevel(next) => (PENDING, next, None),
        Step::Approved => (APPROVED, d.level + 1, Some(now)),
        Step::Rejected => (REJECTED, d.level, Some(now)),
    };
    let res = declaration::Entity::update_many()
        .col_expr(declaration::Column::Status, Expr::value(status))
        .col_expr(declaration::Column::Level, Expr::value(level))
        .col_expr(declaration::Column::UpdatedAt, Expr::value(now))
        .col_expr(declaration::Column::DecidedAt, Expr::value(decided_at))
        .filter(declaration::Column::Id.eq(d.id))
        .filter(declaration::Column::Status.eq(PENDING))
        .filter(declaration::Column::Round.eq(d.round))
        .filter(declaration::Column::Level.eq(d.level))
        .exec(db)
        .await?;
    if res.rows_affected == 1 { Ok(()) } else { Err(already_reviewed()) }
}

/// One ledger credit per category the declaration is worth. A pandemic front-line
/// declaration is worth no hours but completes the year; the annual summary recognises it by
/// a ledger row of its kind, so it is credited as one row of 0 hours.
async fn credit_ledger(db: &impl ConnectionTrait, d: &declaration::Model, now: DateTime<Utc>) -> AppResult<()> {
    let kind = parse_kind(&d.kind).ok_or_else(|| AppError::Other(anyhow::anyhow!("unknown kind {}", d.kind)))?;
    let mut parts: Vec<(Category, f64)> =
        [(Category::Public, d.public_hours), (Category::Professional, d.professional_hours)]
            .into_iter()
            .filter(|(_, hours)| *hours > 0.0)
            .collect();
    if parts.is_empty() && d.completes_year {
        parts.push((Category::Professional, 0.0));
    }
    for (category, hours) in parts {
        ledger::credit(
            db,
            NewCredit {
                learner_id: d.learner_id,
                year: d.year,
                category,
                public_subkind: None,
                source: SourceKind::Declaration(kind),
                source_id: d.id.to_string(),
                title: d.title.clone(),
                hours,
                at: now,
            },
        )
        .await?;
    }
    Ok(())
}
