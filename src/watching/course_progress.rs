//! A learner's progress through a course in the current cycle: the store's hot copy first,
//! the database's copy where the store has none (or does not answer).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::{catalog, cycles};
use crate::{entities::lecture_progress, error::AppResult, progress::WatchKey, state::AppState};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseProgress {
    pub cycle: i32,
    /// Every ready lecture completed in this cycle.
    pub completed: bool,
    pub lectures: Vec<LectureProgress>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LectureProgress {
    pub id: i32,
    pub coverage: f64,
    pub completed: bool,
}

#[tracing::instrument(skip_all, fields(learner = learner_id, course = course_id))]
pub async fn course_progress(state: &AppState, learner_id: i32, course_id: i32) -> AppResult<CourseProgress> {
    let course = catalog::published_course(&state.db, course_id).await?;
    let cycle = cycles::current_cycle(&state.db, learner_id, course.id).await?;
    let lectures = catalog::ready_lectures(&state.db, course.id).await?;
    let stored: HashMap<i32, lecture_progress::Model> = lecture_progress::Entity::find()
        .filter(lecture_progress::Column::LearnerId.eq(learner_id))
        .filter(lecture_progress::Column::Cycle.eq(cycle))
        .filter(lecture_progress::Column::LectureId.is_in(lectures.iter().map(|l| l.id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|row| (row.lecture_id, row))
        .collect();
    let mut out = Vec::with_capacity(lectures.len());
    for lecture in &lectures {
        let key = WatchKey { learner_id: learner_id.into(), lecture_id: lecture.id.into(), cycle };
        let hot = state
            .progress
            .state(key)
            .await
            .inspect_err(|error| tracing::warn!(%error, "progress store unavailable: showing the database copy"))
            .ok()
            .flatten();
        let row = stored.get(&lecture.id);
        let db_coverage = row.map_or(0.0, |r| r.coverage);
        let db_completed = row.is_some_and(|r| r.completed);
        out.push(LectureProgress {
            id: lecture.id,
            coverage: hot.as_ref().map_or(db_coverage, |s| s.coverage().max(db_coverage)),
            completed: db_completed || hot.is_some_and(|s| s.completed),
        });
    }
    Ok(CourseProgress { cycle, completed: !out.is_empty() && out.iter().all(|l| l.completed), lectures: out })
}
