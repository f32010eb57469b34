//! Who may see which base's plans and classes. Things outside the caller's scope answer 404.
use std::collections::HashSet;

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    auth::{AuthUser, Role},
    entities::{training_class, training_plan},
    error::{AppError, AppResult},
    orgs::scope,
};

/// The bases a staff member may see.
pub enum Viewer {
    /// A base admin: their own base only.
    Base(i32),
    /// A department or HR bureau: the organisations in their scope (subtree, bureau: region).
    Scoped(HashSet<i32>),
    /// A platform admin.
    All,
}

impl Viewer {
    pub async fn of(db: &impl ConnectionTrait, user: &AuthUser) -> AppResult<Viewer> {
        Ok(match user.role {
            Role::PlatformAdmin => Viewer::All,
            Role::BaseAdmin => Viewer::Base(user.org_id.ok_or(AppError::NotFound)?),
            Role::HrAdmin | Role::DepartmentAdmin => Viewer::Scoped(scope::visible_orgs(db, user).await?),
            _ => return Err(AppError::forbidden("forbidden_role", "无权访问 (your role may not do this)")),
        })
    }

    pub fn can_see(&self, base_org_id: i32) -> bool {
        match self {
            Viewer::Base(own) => *own == base_org_id,
            Viewer::Scoped(orgs) => orgs.contains(&base_org_id),
            Viewer::All => true,
        }
    }
}

/// A plan the caller may see, else 404.
pub async fn visible_plan(db: &impl ConnectionTrait, user: &AuthUser, id: i32) -> AppResult<training_plan::Model> {
    let viewer = Viewer::of(db, user).await?;
    match training_plan::Entity::find_by_id(id).one(db).await? {
        Some(p) if viewer.can_see(p.base_org_id) => Ok(p),
        _ => Err(AppError::NotFound),
    }
}

/// A plan of the caller's own base (base admins only), else 404.
pub async fn own_plan(db: &impl ConnectionTrait, user: &AuthUser, id: i32) -> AppResult<training_plan::Model> {
    match training_plan::Entity::find_by_id(id).one(db).await? {
        Some(p) if user.role == Role::BaseAdmin && user.org_id == Some(p.base_org_id) => Ok(p),
        _ => Err(AppError::NotFound),
    }
}

/// A class and its plan, if the caller may see them, else 404.
pub async fn visible_class(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    id: i32,
) -> AppResult<(training_class::Model, training_plan::Model)> {
    let class = training_class::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let plan = visible_plan(db, user, class.plan_id).await?;
    Ok((class, plan))
}

/// A class of the caller's own base whose plan was approved: the classes a base runs.
pub async fn own_offline_class(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    id: i32,
) -> AppResult<(training_class::Model, training_plan::Model)> {
    let class = training_class::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let plan = own_plan(db, user, class.plan_id).await?;
    if plan.status != super::plans::APPROVED {
        return Err(AppError::conflict(
            "plan_not_approved",
            "培训计划尚未审核通过 (the training plan is not approved)",
        ));
    }
    Ok((class, plan))
}
