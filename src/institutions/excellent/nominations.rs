//! Bases nominate (推荐) their published public courses; everyone logged in sees the list.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use super::rounds;
use crate::{
    audit,
    auth::{AuthUser, Role},
    entities::{course, excellent_nomination, excellent_score, excellent_vote, org},
    error::{AppError, AppResult},
};

pub const NOMINATED: &str = "nominated";
pub const SELECTED: &str = "selected";
pub const NOT_SELECTED: &str = "not_selected";
const PUBLIC_CATEGORIES: [&str; 2] = ["public_required", "public_elective"];
const MAX_INTRO: usize = 2000;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NominationInput {
    pub course_id: i32,
    /// The selection year; the course's year when omitted.
    pub year: Option<i32>,
    /// The IP pledge (知识产权保护承诺书): the base owns all rights to the course. Must be true.
    pub ip_pledge: bool,
    /// Course and teacher introduction (课程及师资简介).
    pub introduction: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NominationView {
    pub id: i32,
    pub year: i32,
    pub course_id: i32,
    pub course_title: String,
    pub category: String,
    pub hours: f64,
    pub teacher: String,
    pub base_org_id: i32,
    pub base_name: String,
    pub introduction: String,
    /// nominated | selected | not_selected
    pub status: String,
    /// Votes so far: shown once the selection is published (and always to platform admins).
    pub votes: Option<u64>,
    pub expert_scores: Option<usize>,
    pub final_score: Option<f64>,
    /// Whether the caller has voted for it.
    pub voted: bool,
}

#[tracing::instrument(skip_all, fields(user = user.id))]
pub async fn nominate(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    input: NominationInput,
    now: DateTime<Utc>,
) -> AppResult<excellent_nomination::Model> {
    if !input.ip_pledge {
        return Err(AppError::unprocessable(
            "ip_pledge_required",
            "须承诺拥有课程完整知识产权 (the IP pledge must be given)",
        ));
    }
    let introduction = input.introduction.unwrap_or_default().trim().to_owned();
    if introduction.chars().count() > MAX_INTRO {
        return Err(AppError::unprocessable("invalid_introduction", "简介过长 (introduction too long)"));
    }
    let course = match course::Entity::find_by_id(input.course_id).one(db).await? {
        Some(c) if Some(c.base_org_id) == user.org_id => c,
        _ => return Err(AppError::NotFound),
    };
    if !PUBLIC_CATEGORIES.contains(&course.category.as_str()) {
        return Err(AppError::unprocessable(
            "not_public_course",
            "只能推荐公需课 (only public courses can be nominated)",
        ));
    }
    if course.status != "published" {
        return Err(AppError::conflict("course_not_published", "课程尚未上线 (the course is not published)"));
    }
    let year = input.year.unwrap_or(course.year);
    rounds::ensure_unpublished(rounds::find(db, year).await?.as_ref())?;
    let n = excellent_nomination::ActiveModel {
        year: Set(year),
        course_id: Set(course.id),
        base_org_id: Set(course.base_org_id),
        ip_pledge: Set(true),
        introduction: Set(introduction),
        status: Set(NOMINATED.to_owned()),
        final_score: Set(None),
        nominated_by: Set(user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::conflict("already_nominated", "该课程本年度已推荐 (already nominated this year)")
        }
        _ => AppError::Db(e),
    })?;
    audit::record(db, Some(user.id), "excellent.nominate", "excellent_nomination", &n.id.to_string(), None, now)
        .await?;
    Ok(n)
}

/// The year's nominations, best first once published, otherwise in nomination order.
pub async fn list(db: &impl ConnectionTrait, user: &AuthUser, year: i32) -> AppResult<Vec<NominationView>> {
    let published = rounds::find(db, year).await?.is_some_and(|r| r.published_at.is_some());
    let show_counts = published || user.role == Role::PlatformAdmin;
    let noms = excellent_nomination::Entity::find()
        .filter(excellent_nomination::Column::Year.eq(year))
        .order_by_asc(excellent_nomination::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = noms.iter().map(|n| n.id).collect();
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(noms.iter().map(|n| n.course_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let bases: HashMap<i32, String> = org::Entity::find()
        .filter(org::Column::Id.is_in(noms.iter().map(|n| n.base_org_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let votes = super::ballots::vote_counts(db, &ids).await?;
    let mine: Vec<i32> = excellent_vote::Entity::find()
        .select_only()
        .column(excellent_vote::Column::NominationId)
        .filter(excellent_vote::Column::LearnerId.eq(user.id))
        .filter(excellent_vote::Column::NominationId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let scores =
        excellent_score::Entity::find().filter(excellent_score::Column::NominationId.is_in(ids)).all(db).await?;
    let mut out: Vec<NominationView> = noms
        .into_iter()
        .map(|n| {
            let c = courses.get(&n.course_id);
            let vote_count = votes.get(&n.id).copied().unwrap_or(0);
            NominationView {
                id: n.id,
                year: n.year,
                course_id: n.course_id,
                course_title: c.map(|c| c.title.clone()).unwrap_or_default(),
                category: c.map(|c| c.category.clone()).unwrap_or_default(),
                hours: c.map_or(0.0, |c| c.hours),
                teacher: c.map(|c| c.teacher.clone()).unwrap_or_default(),
                base_org_id: n.base_org_id,
                base_name: bases.get(&n.base_org_id).cloned().unwrap_or_default(),
                introduction: n.introduction,
                status: n.status,
                votes: show_counts.then_some(vote_count),
                expert_scores: show_counts.then(|| scores.iter().filter(|s| s.nomination_id == n.id).count()),
                final_score: n.final_score,
                voted: mine.contains(&n.id),
            }
        })
        .collect();
    if published {
        out.sort_by(|a, b| b.final_score.unwrap_or(-1.0).total_cmp(&a.final_score.unwrap_or(-1.0)));
    }
    Ok(out)
}

/// The caller's base's published public courses not yet nominated for `year`: what its
/// nomination form offers.
pub async fn nominable(db: &impl ConnectionTrait, user: &AuthUser, year: i32) -> AppResult<Vec<course::Model>> {
    let Some(base) = user.org_id else { return Ok(Vec::new()) };
    let taken: Vec<i32> = excellent_nomination::Entity::find()
        .select_only()
        .column(excellent_nomination::Column::CourseId)
        .filter(excellent_nomination::Column::Year.eq(year))
        .into_tuple()
        .all(db)
        .await?;
    Ok(course::Entity::find()
        .filter(course::Column::BaseOrgId.eq(base))
        .filter(course::Column::Status.eq("published"))
        .filter(course::Column::Category.is_in(PUBLIC_CATEGORIES))
        .filter(course::Column::Id.is_not_in(taken))
        .order_by_asc(course::Column::Id)
        .all(db)
        .await?)
}
