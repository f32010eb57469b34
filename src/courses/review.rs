//! The review of a course (课程审核): the base submits, the platform admin publishes or rejects.
//! Every decision is written to the audit log in the same transaction as the status change.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, TransactionTrait,
};

use super::{
    access,
    model::{CourseStatus, lecture_status},
    publish_rule::{self, LectureFacts},
    service::{CourseDetail, detail_of, lectures_of},
};
use crate::{
    archive::policy_store,
    audit,
    auth::AuthUser,
    entities::course,
    error::{AppError, AppResult},
};

const MAX_REASON_CHARS: usize = 500;

/// The base admin hands a draft (or a rejected course, once fixed) to the platform for review.
/// Refused (409, as publishing would be) while a lecture is not ready or the lectures are too
/// short for the hours: the reviewer is not handed a course that cannot be published.
#[tracing::instrument(skip_all, fields(user = user.id, course = id))]
pub async fn submit(db: &DatabaseConnection, user: &AuthUser, id: i32, now: DateTime<Utc>) -> AppResult<CourseStatus> {
    let txn = db.begin().await?;
    let course = access::owned(&txn, user, id).await?;
    access::ensure_editable(&course)?;
    ensure_publishable(&txn, &course).await?;
    set_status(&txn, course, CourseStatus::Submitted, None, now).await?;
    audit::record(&txn, Some(user.id), "course.submit", "course", &id.to_string(), None, now).await?;
    txn.commit().await?;
    Ok(CourseStatus::Submitted)
}

/// Publishes a submitted course whose lectures are all ready and long enough for its hours
/// under the policy of the base's region and the course's year.
#[tracing::instrument(skip_all, fields(user = user.id, course = id))]
pub async fn publish(db: &DatabaseConnection, user: &AuthUser, id: i32, now: DateTime<Utc>) -> AppResult<CourseStatus> {
    let txn = db.begin().await?;
    let course = access::managed(&txn, user, id).await?;
    ensure_submitted(&course)?;
    ensure_publishable(&txn, &course).await?;
    set_status(&txn, course, CourseStatus::Published, None, now).await?;
    audit::record(&txn, Some(user.id), "course.publish", "course", &id.to_string(), None, now).await?;
    txn.commit().await?;
    Ok(CourseStatus::Published)
}

/// Sends a submitted course back to its base with the reason, which the base admin sees.
#[tracing::instrument(skip_all, fields(user = user.id, course = id))]
pub async fn reject(
    db: &DatabaseConnection,
    user: &AuthUser,
    id: i32,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<CourseStatus> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::unprocessable(
            "invalid_reason",
            format!("请填写退回原因（不超过 {MAX_REASON_CHARS} 字） (a reason is required)"),
        ));
    }
    let txn = db.begin().await?;
    let course = access::managed(&txn, user, id).await?;
    ensure_submitted(&course)?;
    set_status(&txn, course, CourseStatus::Rejected, Some(reason), now).await?;
    audit::record(&txn, Some(user.id), "course.reject", "course", &id.to_string(), Some(reason), now).await?;
    txn.commit().await?;
    Ok(CourseStatus::Rejected)
}

/// The publish rule under the policy of the base's region and the course's year.
async fn ensure_publishable(db: &impl ConnectionTrait, course: &course::Model) -> AppResult<()> {
    let region = policy_store::region_of_org(db, Some(course.base_org_id)).await?;
    let policy = policy_store::policy_for(db, &region, course.year).await?;
    let facts: Vec<LectureFacts> = lectures_of(db, course.id)
        .await?
        .iter()
        .map(|l| LectureFacts { ready: l.status == lecture_status::READY, duration_s: l.duration_s })
        .collect();
    Ok(publish_rule::check(course.hours, policy.minutes_per_credit_hour, &facts)?)
}

/// The review queue (待审核课程): submitted courses, longest waiting first, with their lectures.
#[tracing::instrument(skip_all)]
pub async fn pending(db: &DatabaseConnection) -> AppResult<Vec<CourseDetail>> {
    let submitted = course::Entity::find()
        .filter(course::Column::Status.eq(CourseStatus::Submitted.as_str()))
        .order_by_asc(course::Column::UpdatedAt)
        .order_by_asc(course::Column::Id)
        .all(db)
        .await?;
    let mut queue = Vec::with_capacity(submitted.len());
    for course in submitted {
        queue.push(detail_of(db, course, true).await?);
    }
    Ok(queue)
}

fn ensure_submitted(course: &course::Model) -> AppResult<()> {
    match access::status_of(course) {
        Some(CourseStatus::Submitted) => Ok(()),
        _ => Err(AppError::conflict("not_submitted", "课程未处于待审核状态 (the course is not awaiting review)")),
    }
}

async fn set_status(
    db: &impl ConnectionTrait,
    course: course::Model,
    status: CourseStatus,
    reject_reason: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<course::Model> {
    let mut row = course.into_active_model();
    row.status = Set(status.as_str().to_owned());
    row.reject_reason = Set(reject_reason.map(str::to_owned));
    row.updated_at = Set(now);
    Ok(row.update(db).await?)
}
