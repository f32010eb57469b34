//! Creating, listing and reading courses (课程), always within the caller's scope.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};

use super::{
    access,
    model::{Category, CourseStatus, NewCourse},
};
use crate::{
    auth::{AuthUser, Role},
    entities::{course, lecture},
    error::{AppError, AppResult},
};

/// A base admin creates a draft course owned by their base.
#[tracing::instrument(skip_all, fields(user = user.id))]
pub async fn create(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    new: NewCourse,
    now: DateTime<Utc>,
) -> AppResult<course::Model> {
    let new = new.checked()?;
    let base_org_id = user
        .org_id
        .ok_or_else(|| AppError::forbidden("no_base", "账号未关联继续教育基地 (your account has no base)"))?;
    let row = course::ActiveModel {
        base_org_id: Set(base_org_id),
        title: Set(new.title),
        category: Set(new.category.as_str().to_owned()),
        year: Set(new.year),
        hours: Set(new.hours),
        teacher: Set(new.teacher),
        teacher_user_id: Set(None),
        description: Set(new.description),
        status: Set(CourseStatus::Draft.as_str().to_owned()),
        reject_reason: Set(None),
        created_by: Set(user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct CourseFilter {
    pub year: Option<i32>,
    pub category: Option<Category>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseSummary {
    pub id: i32,
    pub title: String,
    pub category: String,
    pub year: i32,
    pub hours: f64,
    pub status: String,
    pub teacher: String,
    pub base_org_id: i32,
}

impl From<course::Model> for CourseSummary {
    fn from(c: course::Model) -> Self {
        Self {
            id: c.id,
            title: c.title,
            category: c.category,
            year: c.year,
            hours: c.hours,
            status: c.status,
            teacher: c.teacher,
            base_org_id: c.base_org_id,
        }
    }
}

/// Learners and reviewers see published courses; a base admin also their own base's; the
/// platform admin all of them.
#[tracing::instrument(skip_all, fields(user = user.id))]
pub async fn list(db: &impl ConnectionTrait, user: &AuthUser, filter: CourseFilter) -> AppResult<Vec<CourseSummary>> {
    let published = course::Column::Status.eq(CourseStatus::Published.as_str());
    let scope = match (user.role, user.org_id) {
        (Role::PlatformAdmin, _) => Condition::all(),
        (Role::BaseAdmin, Some(base)) => Condition::any().add(published).add(course::Column::BaseOrgId.eq(base)),
        _ => Condition::all().add(published),
    };
    let mut query = course::Entity::find().filter(scope);
    if let Some(year) = filter.year {
        query = query.filter(course::Column::Year.eq(year));
    }
    if let Some(category) = filter.category {
        query = query.filter(course::Column::Category.eq(category.as_str()));
    }
    let rows = query.order_by_desc(course::Column::Year).order_by_asc(course::Column::Id).all(db).await?;
    Ok(rows.into_iter().map(CourseSummary::from).collect())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LectureView {
    pub id: i32,
    pub position: i32,
    pub title: String,
    /// Known once transcoded (status `ready`).
    pub duration_s: Option<f64>,
    /// processing | ready | failed
    pub status: String,
    /// Why transcoding failed; shown to the course's managers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseDetail {
    #[serde(flatten)]
    pub summary: CourseSummary,
    pub description: String,
    /// Why the platform admin sent it back; shown to the course's managers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<String>,
    pub lectures: Vec<LectureView>,
    /// The course's exam, or null when none is attached yet.
    pub exam: Option<crate::exams::setup::ExamSummary>,
}

/// One course with its lectures in order, as the caller may see it.
#[tracing::instrument(skip_all, fields(user = user.id, course = id))]
pub async fn detail(db: &impl ConnectionTrait, user: &AuthUser, id: i32) -> AppResult<CourseDetail> {
    let course = access::visible(db, user, id).await?;
    let manager = access::manages(user, &course);
    detail_of(db, course, manager).await
}

/// One of the caller's base's own courses (its admin's pages); any other course is a 404.
#[tracing::instrument(skip_all, fields(user = user.id, course = id))]
pub async fn owned_detail(db: &impl ConnectionTrait, user: &AuthUser, id: i32) -> AppResult<CourseDetail> {
    let course = access::owned(db, user, id).await?;
    detail_of(db, course, true).await
}

/// `manager`: the caller manages the course, so failures and the reject reason are shown.
pub async fn detail_of(db: &impl ConnectionTrait, course: course::Model, manager: bool) -> AppResult<CourseDetail> {
    let lectures = lectures_of(db, course.id).await?;
    let lectures = lectures
        .into_iter()
        .map(|l| LectureView {
            id: l.id,
            position: l.position,
            title: l.title,
            duration_s: l.duration_s,
            status: l.status,
            error: l.error.filter(|_| manager),
        })
        .collect();
    let reject_reason = course.reject_reason.clone().filter(|_| manager);
    let description = course.description.clone();
    let exam = crate::exams::setup::exam_summary(db, course.id).await?;
    Ok(CourseDetail { summary: course.into(), description, reject_reason, lectures, exam })
}

/// A base's own course in its admin's list: the summary and why it was sent back, if it was.
#[derive(Debug, Serialize)]
pub struct OwnCourse {
    #[serde(flatten)]
    pub summary: CourseSummary,
    pub reject_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// The caller's base's courses (all statuses), newest year first.
#[tracing::instrument(skip_all, fields(user = user.id))]
pub async fn own_courses(db: &impl ConnectionTrait, user: &AuthUser) -> AppResult<Vec<OwnCourse>> {
    let Some(base) = user.org_id.filter(|_| user.role == Role::BaseAdmin) else { return Ok(vec![]) };
    let rows = course::Entity::find()
        .filter(course::Column::BaseOrgId.eq(base))
        .order_by_desc(course::Column::Year)
        .order_by_desc(course::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| OwnCourse { reject_reason: c.reject_reason.clone(), updated_at: c.updated_at, summary: c.into() })
        .collect())
}

/// The base admin changes a draft or rejected course; the same checks as on creation.
#[tracing::instrument(skip_all, fields(user = user.id, course = id))]
pub async fn update(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    id: i32,
    new: NewCourse,
    now: DateTime<Utc>,
) -> AppResult<course::Model> {
    let course = access::owned(db, user, id).await?;
    access::ensure_editable(&course)?;
    let new = new.checked()?;
    let mut row = course.into_active_model();
    row.title = Set(new.title);
    row.category = Set(new.category.as_str().to_owned());
    row.year = Set(new.year);
    row.hours = Set(new.hours);
    row.teacher = Set(new.teacher);
    row.description = Set(new.description);
    row.updated_at = Set(now);
    Ok(row.update(db).await?)
}

pub async fn lectures_of(db: &impl ConnectionTrait, course_id: i32) -> AppResult<Vec<lecture::Model>> {
    Ok(lecture::Entity::find()
        .filter(lecture::Column::CourseId.eq(course_id))
        .order_by_asc(lecture::Column::Position)
        .order_by_asc(lecture::Column::Id)
        .all(db)
        .await?)
}
