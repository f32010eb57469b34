//! Publishing the year's selection (确定入选名单) and crediting the selected courses' teachers.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::Expr,
};
use serde::Serialize;

use super::{
    ballots,
    nominations::{NOT_SELECTED, SELECTED},
    ranking::{self, Entry},
    rounds,
};
use crate::{
    archive::ledger::{self, NewCredit, SourceKind},
    audit,
    auth::AuthUser,
    entities::{course, excellent_nomination, excellent_round},
    error::{AppError, AppResult},
    rules::annual_summary::Category,
};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RankedNomination {
    pub nomination_id: i32,
    pub course_id: i32,
    pub title: String,
    pub expert_average: Option<f64>,
    pub votes: u64,
    pub vote_score: f64,
    pub final_score: Option<f64>,
    pub selected: bool,
    /// The teacher's account the hours went to; none when the course names no teacher account.
    pub teacher_user_id: Option<i32>,
    pub teacher_credited: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Selection {
    pub year: i32,
    pub published_at: DateTime<Utc>,
    /// How the score is computed.
    pub formula: String,
    pub ranking: Vec<RankedNomination>,
}

/// Ranks the year's nominations, marks the top `top_n` selected and credits their teachers
/// the course's own hours (the policy's multiplier is applied when the archive is read).
/// Only after voting closed, and once.
#[tracing::instrument(skip_all, fields(year))]
pub async fn publish(db: &DatabaseConnection, admin: &AuthUser, year: i32, now: DateTime<Utc>) -> AppResult<Selection> {
    let round = rounds::find(db, year).await?.ok_or_else(|| {
        AppError::conflict("no_round", "本年度尚未设置评选 (no selection round is set for this year)")
    })?;
    rounds::ensure_unpublished(Some(&round))?;
    if now < round.vote_closes_at {
        return Err(AppError::conflict("voting_open", "投票尚未结束 (voting has not closed yet)"));
    }
    let txn = db.begin().await?;
    // Claim the publication first: a concurrent publish finds the row taken and stops.
    let claimed = excellent_round::Entity::update_many()
        .col_expr(excellent_round::Column::PublishedAt, Expr::value(Some(now)))
        .col_expr(excellent_round::Column::PublishedBy, Expr::value(Some(admin.id)))
        .filter(excellent_round::Column::Year.eq(year))
        .filter(excellent_round::Column::PublishedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(AppError::conflict(
            "selection_published",
            "本年度评选结果已公布 (this year's selection is published)",
        ));
    }
    let noms =
        excellent_nomination::Entity::find().filter(excellent_nomination::Column::Year.eq(year)).all(&txn).await?;
    let ids: Vec<i32> = noms.iter().map(|n| n.id).collect();
    let votes = ballots::vote_counts(&txn, &ids).await?;
    let mut scores = ballots::scores_of(&txn, &ids).await?;
    let entries: Vec<Entry> = noms
        .iter()
        .map(|n| Entry {
            nomination_id: n.id,
            expert_scores: scores.remove(&n.id).unwrap_or_default(),
            votes: votes.get(&n.id).copied().unwrap_or(0),
        })
        .collect();
    let ranked = ranking::rank(&entries, round.top_n.max(0) as usize);
    let by_id: HashMap<i32, &excellent_nomination::Model> = noms.iter().map(|n| (n.id, n)).collect();
    let mut out = Vec::new();
    for r in ranked {
        let Some(n) = by_id.get(&r.nomination_id) else { continue };
        out.push(settle(&txn, n, r, year, now).await?);
    }
    audit::record(&txn, Some(admin.id), "excellent.publish", "excellent_round", &year.to_string(), None, now).await?;
    txn.commit().await?;
    Ok(Selection { year, published_at: now, formula: formula(), ranking: out })
}

fn formula() -> String {
    format!(
        "final = {}*expert_average + {}*(100*votes/max_votes); top_n by final, ties by expert_average then nomination order",
        ranking::EXPERT_WEIGHT,
        ranking::VOTE_WEIGHT
    )
}

/// Stores one nomination's result and credits the teacher of a selected course.
async fn settle(
    db: &impl ConnectionTrait,
    n: &excellent_nomination::Model,
    r: ranking::Ranked,
    year: i32,
    now: DateTime<Utc>,
) -> AppResult<RankedNomination> {
    excellent_nomination::Entity::update(excellent_nomination::ActiveModel {
        id: Set(n.id),
        status: Set((if r.selected { SELECTED } else { NOT_SELECTED }).to_owned()),
        final_score: Set(r.final_score),
        ..Default::default()
    })
    .exec(db)
    .await?;
    let course = course::Entity::find_by_id(n.course_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mut teacher_credited = false;
    if r.selected
        && let Some(teacher) = course.teacher_user_id
    {
        let credit = NewCredit {
            learner_id: teacher,
            year,
            category: Category::Public,
            public_subkind: None,
            source: SourceKind::ExcellentCourse,
            source_id: course.id.to_string(),
            title: format!("优质在线公需课授课：{}", course.title),
            hours: course.hours,
            at: now,
        };
        teacher_credited = ledger::credit(db, credit).await?;
    }
    Ok(RankedNomination {
        nomination_id: n.id,
        course_id: course.id,
        title: course.title,
        expert_average: r.expert_average,
        votes: r.votes,
        vote_score: r.vote_score,
        final_score: r.final_score,
        selected: r.selected,
        teacher_user_id: if r.selected { course.teacher_user_id } else { None },
        teacher_credited,
    })
}
