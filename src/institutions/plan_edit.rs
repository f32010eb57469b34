//! Editing a plan one class at a time (the pages' add / edit class forms): the plan's other
//! classes are kept as they are and the whole plan is validated and replaced as one.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{
    access,
    plan_input::ClassInput,
    plans::{self, PlanView},
};
use crate::{
    auth::AuthUser,
    entities::training_class,
    error::{AppError, AppResult},
};

impl From<training_class::Model> for ClassInput {
    fn from(c: training_class::Model) -> Self {
        Self {
            name: c.name,
            field: c.field,
            start_date: c.start_date,
            end_date: c.end_date,
            days: Some(c.days),
            hours: c.hours,
            content: c.content,
            schedule: c.schedule,
            mode: c.mode,
            teachers: c.teachers,
            contact_name: c.contact_name,
            contact_phone: c.contact_phone,
            location: c.location,
        }
    }
}

/// One class of the caller's own plan, as a form fills it in (others: 404).
pub async fn own_class(db: &DatabaseConnection, user: &AuthUser, plan_id: i32, class_id: i32) -> AppResult<ClassInput> {
    access::own_plan(db, user, plan_id).await?;
    match training_class::Entity::find_by_id(class_id).one(db).await? {
        Some(c) if c.plan_id == plan_id => Ok(c.into()),
        _ => Err(AppError::NotFound),
    }
}

/// Adds a class (`class_id` None) to a draft or returned plan, or replaces one of its classes.
/// Errors name the class by its position, as [`plans::replace_classes`] does.
#[tracing::instrument(skip_all, fields(plan = plan_id))]
pub async fn put_class(
    db: &DatabaseConnection,
    user: &AuthUser,
    plan_id: i32,
    class_id: Option<i32>,
    input: ClassInput,
    now: DateTime<Utc>,
) -> AppResult<PlanView> {
    access::own_plan(db, user, plan_id).await?;
    let current = training_class::Entity::find()
        .filter(training_class::Column::PlanId.eq(plan_id))
        .order_by_asc(training_class::Column::Position)
        .all(db)
        .await?;
    if class_id.is_some_and(|id| !current.iter().any(|c| c.id == id)) {
        return Err(AppError::NotFound);
    }
    let mut input = Some(input);
    let mut classes: Vec<ClassInput> = current
        .into_iter()
        .map(|c| if Some(c.id) == class_id { input.take().unwrap_or_else(|| c.into()) } else { c.into() })
        .collect();
    classes.extend(input);
    plans::replace_classes(db, user, plan_id, classes, now).await
}
