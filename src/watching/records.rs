//! The durable copy of watch progress (`lecture_progress`): loaded when the store has no
//! state, upserted by the flusher in batches and by a completing beat before it answers.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};

use crate::{
    entities::lecture_progress::{self, Column},
    error::{AppError, AppResult},
    progress::{DirtyProgress, WatchKey},
    rules::watch::WatchState,
};

/// A newer copy replaces the stored one only if it has watched at least as much: watching
/// only adds segments, so this keeps a late flush of an older copy (another node's flusher,
/// a retried batch) from winning.
const NEWER: &str = "excluded.watched_s >= lecture_progress.watched_s";

/// The stored state of one lecture, with the stored completion folded in.
#[tracing::instrument(skip_all)]
pub(super) async fn load_state(db: &impl ConnectionTrait, key: WatchKey) -> AppResult<Option<WatchState>> {
    let row = lecture_progress::Entity::find()
        .filter(Column::LearnerId.eq(to_i32(key.learner_id)?))
        .filter(Column::LectureId.eq(to_i32(key.lecture_id)?))
        .filter(Column::Cycle.eq(key.cycle))
        .one(db)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut state: WatchState = serde_json::from_str(&row.state)
        .map_err(|e| AppError::Other(anyhow::anyhow!("stored watch state {} unreadable: {e}", row.id)))?;
    state.completed |= row.completed;
    Ok(Some(state))
}

/// Saves states in one statement: a completion is never undone, its first time is kept.
#[tracing::instrument(skip_all, fields(rows = states.len()))]
pub(super) async fn save(db: &impl ConnectionTrait, states: &[DirtyProgress], now: DateTime<Utc>) -> AppResult<()> {
    // One row per key: PostgreSQL refuses to update a row twice in one statement.
    let mut newest: HashMap<(i64, i64, i32), &DirtyProgress> = HashMap::new();
    for s in states {
        let slot = newest.entry((s.learner_id, s.lecture_id, s.cycle)).or_insert(s);
        if s.state.watched_s() > slot.state.watched_s() {
            *slot = s;
        }
    }
    let rows = newest.into_values().map(|s| row(s, now)).collect::<AppResult<Vec<_>>>()?;
    if rows.is_empty() {
        return Ok(());
    }
    lecture_progress::Entity::insert_many(rows).on_conflict(upsert()).exec_without_returning(db).await?;
    Ok(())
}

fn row(p: &DirtyProgress, now: DateTime<Utc>) -> AppResult<lecture_progress::ActiveModel> {
    let json = serde_json::to_string(&p.state).map_err(|e| AppError::Other(e.into()))?;
    Ok(lecture_progress::ActiveModel {
        learner_id: Set(to_i32(p.learner_id)?),
        lecture_id: Set(to_i32(p.lecture_id)?),
        cycle: Set(p.cycle),
        state: Set(json),
        watched_s: Set(p.state.watched_s()),
        coverage: Set(p.state.coverage()),
        completed: Set(p.state.completed),
        completed_at: Set(p.state.completed.then_some(now)),
        updated_at: Set(now),
        ..Default::default()
    })
}

fn upsert() -> OnConflict {
    let newer =
        |col: &str| Expr::cust(format!("CASE WHEN {NEWER} THEN excluded.{col} ELSE lecture_progress.{col} END"));
    OnConflict::columns([Column::LearnerId, Column::LectureId, Column::Cycle])
        .values([
            (Column::State, newer("state")),
            (Column::WatchedS, newer("watched_s")),
            (Column::Coverage, newer("coverage")),
            (Column::Completed, Expr::cust("lecture_progress.completed OR excluded.completed")),
            (Column::CompletedAt, Expr::cust("COALESCE(lecture_progress.completed_at, excluded.completed_at)")),
            (Column::UpdatedAt, Expr::cust("excluded.updated_at")),
        ])
        .to_owned()
}

/// Store ids are i64; database ids are i32. An id that does not fit was never ours.
pub(super) fn to_i32(id: i64) -> AppResult<i32> {
    i32::try_from(id).map_err(|_| AppError::Other(anyhow::anyhow!("id {id} out of range")))
}
