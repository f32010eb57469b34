//! Expert scores (专家评审) and learners' votes (网络投票): one each per person and nomination,
//! enforced by unique indexes so concurrent requests cannot count twice.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
};
use serde::Deserialize;

use super::rounds;
use crate::{
    auth::AuthUser,
    entities::{excellent_nomination, excellent_score, excellent_vote},
    error::{AppError, AppResult},
};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ScoreInput {
    /// 0 to 100.
    pub score: f64,
    pub comment: Option<String>,
}

fn duplicate_as(code: &'static str, message: &'static str) -> impl FnOnce(DbErr) -> AppError {
    move |e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::conflict(code, message),
        _ => AppError::Db(e),
    }
}

async fn nomination(db: &impl ConnectionTrait, id: i32) -> AppResult<excellent_nomination::Model> {
    excellent_nomination::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// A platform admin, acting as an expert, scores a nomination once (until published).
#[tracing::instrument(skip_all, fields(nomination = id))]
pub async fn score(
    db: &impl ConnectionTrait,
    expert: &AuthUser,
    id: i32,
    input: ScoreInput,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if !input.score.is_finite() || !(0.0..=100.0).contains(&input.score) {
        return Err(AppError::unprocessable("invalid_score", "评分须在 0 至 100 之间 (score must be 0 to 100)"));
    }
    let n = nomination(db, id).await?;
    rounds::ensure_unpublished(rounds::find(db, n.year).await?.as_ref())?;
    let comment = input.comment.map(|c| c.trim().chars().take(2000).collect::<String>()).filter(|c| !c.is_empty());
    excellent_score::ActiveModel {
        nomination_id: Set(id),
        expert_id: Set(expert.id),
        score: Set(input.score),
        comment: Set(comment),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(duplicate_as("already_scored", "您已评过此课程 (you have scored this nomination)"))?;
    Ok(())
}

/// A learner votes for a nomination once, only while the year's voting window is open.
#[tracing::instrument(skip_all, fields(nomination = id))]
pub async fn vote(db: &impl ConnectionTrait, learner: &AuthUser, id: i32, now: DateTime<Utc>) -> AppResult<()> {
    let n = nomination(db, id).await?;
    if !rounds::voting_open(rounds::find(db, n.year).await?.as_ref(), now) {
        return Err(AppError::conflict("voting_closed", "不在投票时间内 (voting is not open)"));
    }
    excellent_vote::ActiveModel {
        nomination_id: Set(id),
        learner_id: Set(learner.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(duplicate_as("already_voted", "您已为此课程投过票 (you have voted for this course)"))?;
    Ok(())
}

/// Votes per nomination, counted by the database.
pub async fn vote_counts(db: &impl ConnectionTrait, ids: &[i32]) -> AppResult<HashMap<i32, u64>> {
    let rows: Vec<(i32, i64)> = excellent_vote::Entity::find()
        .select_only()
        .column(excellent_vote::Column::NominationId)
        .column_as(excellent_vote::Column::Id.count(), "votes")
        .filter(excellent_vote::Column::NominationId.is_in(ids.iter().copied()))
        .group_by(excellent_vote::Column::NominationId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, n)| (id, n.max(0) as u64)).collect())
}

/// Expert scores per nomination.
pub async fn scores_of(db: &impl ConnectionTrait, ids: &[i32]) -> AppResult<HashMap<i32, Vec<f64>>> {
    let rows: Vec<(i32, f64)> = excellent_score::Entity::find()
        .select_only()
        .column(excellent_score::Column::NominationId)
        .column(excellent_score::Column::Score)
        .filter(excellent_score::Column::NominationId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<i32, Vec<f64>> = HashMap::new();
    for (id, s) in rows {
        out.entry(id).or_default().push(s);
    }
    Ok(out)
}
