//! Training plans (培训计划): a base drafts its plan for a year, revises it while it is a
//! draft or returned, and reads it back; reviewers read the plans in their scope.
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, TransactionTrait,
};
use serde::Serialize;

use super::{
    access::{self, Viewer},
    fields,
    plan_input::{self, ClassInput, ValidClass},
};
use crate::{
    archive::policy_store,
    auth::AuthUser,
    entities::{org, training_class, training_plan},
    error::{AppError, AppResult},
    rules::policy::Policy,
};

pub const DRAFT: &str = "draft";
pub const SUBMITTED: &str = "submitted";
pub const APPROVED: &str = "approved";
pub const RETURNED: &str = "returned";

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClassView {
    pub id: i32,
    pub name: String,
    pub field: String,
    pub field_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub days: i32,
    pub hours: f64,
    pub content: String,
    pub schedule: String,
    pub mode: String,
    pub teachers: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub location: Option<String>,
    pub attendance_recorded: bool,
}

impl From<training_class::Model> for ClassView {
    fn from(c: training_class::Model) -> Self {
        Self {
            id: c.id,
            field_name: fields::name_of(&c.field).to_owned(),
            name: c.name,
            field: c.field,
            start_date: c.start_date,
            end_date: c.end_date,
            days: c.days,
            hours: c.hours,
            content: c.content,
            schedule: c.schedule,
            mode: c.mode,
            teachers: c.teachers,
            contact_name: c.contact_name,
            contact_phone: c.contact_phone,
            location: c.location,
            attendance_recorded: c.attendance_recorded_at.is_some(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlanView {
    pub id: i32,
    pub base_org_id: i32,
    pub base_name: String,
    pub year: i32,
    /// draft | submitted | approved | returned
    pub status: String,
    /// The policy's submission deadline for this year (Weihai 2023: 5月15日).
    pub deadline: Option<NaiveDate>,
    pub review_comment: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub classes: Vec<ClassView>,
}

/// The policy that governs a base's plans: its region's, for the plan year.
pub async fn base_policy(db: &impl ConnectionTrait, base_org_id: i32, year: i32) -> AppResult<Policy> {
    let region = policy_store::region_of_org(db, Some(base_org_id)).await?;
    policy_store::policy_for(db, &region, year).await
}

pub fn deadline(policy: &Policy, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, policy.training_plan_deadline.month, policy.training_plan_deadline.day)
}

pub async fn view(db: &impl ConnectionTrait, plan: training_plan::Model) -> AppResult<PlanView> {
    let base_name = org::Entity::find_by_id(plan.base_org_id).one(db).await?.map(|o| o.name).unwrap_or_default();
    let classes = training_class::Entity::find()
        .filter(training_class::Column::PlanId.eq(plan.id))
        .order_by_asc(training_class::Column::Position)
        .all(db)
        .await?;
    let policy = base_policy(db, plan.base_org_id, plan.year).await?;
    Ok(PlanView {
        id: plan.id,
        base_org_id: plan.base_org_id,
        base_name,
        deadline: deadline(&policy, plan.year),
        year: plan.year,
        status: plan.status,
        review_comment: plan.review_comment,
        submitted_at: plan.submitted_at,
        reviewed_at: plan.reviewed_at,
        classes: classes.into_iter().map(ClassView::from).collect(),
    })
}

async fn validated(
    db: &impl ConnectionTrait,
    base: i32,
    year: i32,
    classes: Vec<ClassInput>,
) -> AppResult<Vec<ValidClass>> {
    if !(2000..=2100).contains(&year) {
        return Err(AppError::unprocessable("invalid_year", "年度无效 (year must be between 2000 and 2100)"));
    }
    let policy = base_policy(db, base, year).await?;
    plan_input::validate(year, classes, policy.declaration.daily_hours_cap)
}

/// A new draft plan of the caller's base for `year`; one plan per base and year.
#[tracing::instrument(skip_all, fields(user = user.id))]
pub async fn create(
    db: &DatabaseConnection,
    user: &AuthUser,
    year: i32,
    classes: Vec<ClassInput>,
    now: DateTime<Utc>,
) -> AppResult<PlanView> {
    let base = user.org_id.ok_or(AppError::NotFound)?;
    let classes = validated(db, base, year, classes).await?;
    let txn = db.begin().await?;
    let plan = training_plan::ActiveModel {
        base_org_id: Set(base),
        year: Set(year),
        status: Set(DRAFT.to_owned()),
        created_by: Set(user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::conflict("plan_exists", "本年度培训计划已存在 (this year's plan already exists)")
        }
        _ => AppError::Db(e),
    })?;
    insert_classes(&txn, plan.id, classes).await?;
    txn.commit().await?;
    view(db, plan).await
}

/// Replaces the classes of a draft or returned plan.
#[tracing::instrument(skip_all, fields(plan = id))]
pub async fn replace_classes(
    db: &DatabaseConnection,
    user: &AuthUser,
    id: i32,
    classes: Vec<ClassInput>,
    now: DateTime<Utc>,
) -> AppResult<PlanView> {
    let plan = access::own_plan(db, user, id).await?;
    if plan.status != DRAFT && plan.status != RETURNED {
        return Err(AppError::conflict(
            "invalid_status",
            "培训计划已提交，不能修改 (a submitted plan cannot be edited)",
        ));
    }
    let classes = validated(db, plan.base_org_id, plan.year, classes).await?;
    let txn = db.begin().await?;
    training_class::Entity::delete_many().filter(training_class::Column::PlanId.eq(plan.id)).exec(&txn).await?;
    insert_classes(&txn, plan.id, classes).await?;
    let mut am = plan.into_active_model();
    am.updated_at = Set(now);
    let plan = am.update(&txn).await?;
    txn.commit().await?;
    view(db, plan).await
}

async fn insert_classes(db: &impl ConnectionTrait, plan_id: i32, classes: Vec<ValidClass>) -> AppResult<()> {
    let rows = classes.into_iter().enumerate().map(|(i, v)| {
        let c = v.input;
        training_class::ActiveModel {
            plan_id: Set(plan_id),
            position: Set(i as i32),
            name: Set(c.name.trim().to_owned()),
            field: Set(v.field.to_owned()),
            start_date: Set(c.start_date),
            end_date: Set(c.end_date),
            days: Set(v.days),
            hours: Set(v.hours),
            content: Set(c.content.trim().to_owned()),
            schedule: Set(c.schedule.trim().to_owned()),
            mode: Set(c.mode),
            teachers: Set(c.teachers.trim().to_owned()),
            contact_name: Set(c.contact_name.trim().to_owned()),
            contact_phone: Set(c.contact_phone.trim().to_owned()),
            location: Set(c.location.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty())),
            attendance_recorded_at: Set(None),
            ..Default::default()
        }
    });
    training_class::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// Plans the caller may see, newest year first; optionally one year or status.
#[tracing::instrument(skip_all, fields(user = user.id))]
pub async fn list(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    year: Option<i32>,
    status: Option<&str>,
) -> AppResult<Vec<PlanView>> {
    let viewer = Viewer::of(db, user).await?;
    let mut q = training_plan::Entity::find();
    if let Some(y) = year {
        q = q.filter(training_plan::Column::Year.eq(y));
    }
    if let Some(s) = status {
        q = q.filter(training_plan::Column::Status.eq(s));
    }
    if let Viewer::Base(own) = viewer {
        q = q.filter(training_plan::Column::BaseOrgId.eq(own));
    }
    let plans = q
        .order_by_desc(training_plan::Column::Year)
        .order_by_asc(training_plan::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|p| viewer.can_see(p.base_org_id));
    let mut out = Vec::new();
    for p in plans {
        out.push(view(db, p).await?);
    }
    Ok(out)
}
