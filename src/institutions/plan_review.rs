//! Submitting a plan to its managing unit (管理单位) before the policy's deadline, and the
//! managing unit's decision. Every step is audit logged (谁审核，谁负责).
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use serde::Deserialize;

use super::{
    access, china_today,
    plans::{self, APPROVED, DRAFT, PlanView, RETURNED, SUBMITTED},
};
use crate::{
    audit,
    auth::AuthUser,
    entities::training_plan,
    error::{AppError, AppResult},
};

const MAX_COMMENT: usize = 2000;

/// Moves a plan from `from` statuses to `to`, only if it is still in one of them: two
/// concurrent decisions cannot both succeed.
async fn transition(
    db: &impl ConnectionTrait,
    id: i32,
    from: &[&str],
    to: training_plan::ActiveModel,
) -> AppResult<training_plan::Model> {
    let res = training_plan::Entity::update_many()
        .set(to)
        .filter(training_plan::Column::Id.eq(id))
        .filter(training_plan::Column::Status.is_in(from.iter().copied()))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(AppError::conflict(
            "invalid_status",
            "培训计划状态已变化 (the plan is not in a state that allows this)",
        ));
    }
    training_plan::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// The base submits its draft (or returned) plan; after the deadline: 409 `deadline_passed`.
#[tracing::instrument(skip_all, fields(plan = id))]
pub async fn submit(db: &DatabaseConnection, user: &AuthUser, id: i32, now: DateTime<Utc>) -> AppResult<PlanView> {
    let plan = access::own_plan(db, user, id).await?;
    let policy = plans::base_policy(db, plan.base_org_id, plan.year).await?;
    let deadline = plans::deadline(&policy, plan.year)
        .ok_or_else(|| AppError::Other(anyhow::anyhow!("policy deadline is not a date")))?;
    if china_today(now) > deadline {
        return Err(AppError::Conflict {
            code: "deadline_passed",
            message: format!("培训计划须于 {deadline} 前报送 (the plan was due by {deadline})"),
            details: Some(serde_json::json!({"deadline": deadline})),
        });
    }
    let to = training_plan::ActiveModel {
        status: sea_orm::Set(SUBMITTED.to_owned()),
        submitted_at: sea_orm::Set(Some(now)),
        updated_at: sea_orm::Set(now),
        ..Default::default()
    };
    let txn = db.begin().await?;
    let plan = transition(&txn, id, &[DRAFT, RETURNED], to).await?;
    audit::record(&txn, Some(user.id), "training_plan.submit", "training_plan", &id.to_string(), None, now).await?;
    txn.commit().await?;
    plans::view(db, plan).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = PlanReviewRequest)]
pub struct ReviewRequest {
    /// `approve` or `return` (退回修改).
    pub decision: String,
    /// Required when returning: what to change.
    pub comment: Option<String>,
}

/// The managing unit approves or returns a submitted plan in its scope (others: 404).
#[tracing::instrument(skip_all, fields(plan = id))]
pub async fn review(
    db: &DatabaseConnection,
    user: &AuthUser,
    id: i32,
    req: ReviewRequest,
    now: DateTime<Utc>,
) -> AppResult<PlanView> {
    access::visible_plan(db, user, id).await?;
    let comment = req.comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if comment.as_ref().is_some_and(|c| c.chars().count() > MAX_COMMENT) {
        return Err(AppError::unprocessable("invalid_comment", "审核意见过长 (comment too long)"));
    }
    let status = match req.decision.as_str() {
        "approve" => APPROVED,
        "return" if comment.is_some() => RETURNED,
        "return" => {
            return Err(AppError::unprocessable("comment_required", "退回须填写审核意见 (a return needs a comment)"));
        }
        _ => return Err(AppError::unprocessable("invalid_decision", "decision must be approve or return")),
    };
    let to = training_plan::ActiveModel {
        status: sea_orm::Set(status.to_owned()),
        review_comment: sea_orm::Set(comment.clone()),
        reviewed_by: sea_orm::Set(Some(user.id)),
        reviewed_at: sea_orm::Set(Some(now)),
        updated_at: sea_orm::Set(now),
        ..Default::default()
    };
    let action = if status == APPROVED { "training_plan.approve" } else { "training_plan.return" };
    let txn = db.begin().await?;
    let plan = transition(&txn, id, &[SUBMITTED], to).await?;
    audit::record(&txn, Some(user.id), action, "training_plan", &id.to_string(), comment.as_deref(), now).await?;
    txn.commit().await?;
    plans::view(db, plan).await
}
