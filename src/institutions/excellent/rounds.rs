//! A year's selection round: the voting window and how many courses are selected.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};
use serde::{Deserialize, Serialize};

use crate::{
    audit,
    auth::AuthUser,
    entities::excellent_round,
    error::{AppError, AppResult},
};

pub const MAX_SELECTED: i32 = 100;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RoundInput {
    pub vote_opens_at: DateTime<Utc>,
    pub vote_closes_at: DateTime<Utc>,
    /// How many courses are selected.
    pub top_n: i32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoundView {
    pub year: i32,
    pub vote_opens_at: DateTime<Utc>,
    pub vote_closes_at: DateTime<Utc>,
    pub top_n: i32,
    pub published_at: Option<DateTime<Utc>>,
}

impl From<excellent_round::Model> for RoundView {
    fn from(r: excellent_round::Model) -> Self {
        Self {
            year: r.year,
            vote_opens_at: r.vote_opens_at,
            vote_closes_at: r.vote_closes_at,
            top_n: r.top_n,
            published_at: r.published_at,
        }
    }
}

pub async fn find(db: &impl ConnectionTrait, year: i32) -> AppResult<Option<excellent_round::Model>> {
    Ok(excellent_round::Entity::find_by_id(year).one(db).await?)
}

/// Nothing about a published year changes any more.
pub fn ensure_unpublished(round: Option<&excellent_round::Model>) -> AppResult<()> {
    match round {
        Some(r) if r.published_at.is_some() => {
            Err(AppError::conflict("selection_published", "本年度评选结果已公布 (this year's selection is published)"))
        }
        _ => Ok(()),
    }
}

/// Whether learners may vote now: the window is open and the selection not yet published.
pub fn voting_open(round: Option<&excellent_round::Model>, now: DateTime<Utc>) -> bool {
    round.is_some_and(|r| r.published_at.is_none() && r.vote_opens_at <= now && now < r.vote_closes_at)
}

/// Sets (or moves) the year's voting window and size, until the selection is published.
pub async fn put(
    db: &impl ConnectionTrait,
    admin: &AuthUser,
    year: i32,
    input: RoundInput,
    now: DateTime<Utc>,
) -> AppResult<RoundView> {
    if !(2000..=2100).contains(&year) {
        return Err(AppError::unprocessable("invalid_year", "年度无效 (year must be between 2000 and 2100)"));
    }
    if input.vote_closes_at <= input.vote_opens_at {
        return Err(AppError::unprocessable("invalid_window", "投票截止须晚于开始 (voting must close after it opens)"));
    }
    if !(1..=MAX_SELECTED).contains(&input.top_n) {
        return Err(AppError::unprocessable("invalid_top_n", format!("top_n must be 1 to {MAX_SELECTED}")));
    }
    ensure_unpublished(find(db, year).await?.as_ref())?;
    let row = excellent_round::ActiveModel {
        year: Set(year),
        vote_opens_at: Set(input.vote_opens_at),
        vote_closes_at: Set(input.vote_closes_at),
        top_n: Set(input.top_n),
        published_at: Set(None),
        published_by: Set(None),
    };
    excellent_round::Entity::insert(row)
        .on_conflict(
            OnConflict::column(excellent_round::Column::Year)
                .update_columns([
                    excellent_round::Column::VoteOpensAt,
                    excellent_round::Column::VoteClosesAt,
                    excellent_round::Column::TopN,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    audit::record(db, Some(admin.id), "excellent.round", "excellent_round", &year.to_string(), None, now).await?;
    find(db, year).await?.map(RoundView::from).ok_or(AppError::NotFound)
}
