//! The published catalogue of training projects (培训项目目录, Yantai 2020 annex 1): the
//! classes of approved plans, open to every logged-in user.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::{fields, plans::APPROVED};
use crate::{
    entities::{org, training_class, training_plan},
    error::{AppError, AppResult},
};

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct CatalogueQuery {
    pub year: Option<i32>,
    pub region: Option<String>,
    /// Field code or Chinese name.
    pub field: Option<String>,
}

/// One project: the annex's 承办单位, 培训项目名称, 学时, 培训时间, 培训地点, 联系人及电话.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrainingProject {
    pub class_id: i32,
    pub year: i32,
    pub base_org_id: i32,
    pub base_name: String,
    pub region: String,
    pub name: String,
    pub field: String,
    pub field_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub days: i32,
    pub hours: f64,
    pub mode: String,
    pub content: String,
    pub teachers: String,
    pub location: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
}

#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait, q: &CatalogueQuery) -> AppResult<Vec<TrainingProject>> {
    let field = match q.field.as_deref().filter(|f| !f.trim().is_empty()) {
        Some(f) => Some(fields::parse(f).ok_or_else(|| {
            AppError::unprocessable("invalid_field", "未知的知识更新领域 (unknown knowledge-update field)")
        })?),
        None => None,
    };
    let mut plans_q = training_plan::Entity::find().filter(training_plan::Column::Status.eq(APPROVED));
    if let Some(y) = q.year {
        plans_q = plans_q.filter(training_plan::Column::Year.eq(y));
    }
    let plans: HashMap<i32, training_plan::Model> = plans_q.all(db).await?.into_iter().map(|p| (p.id, p)).collect();
    let bases: HashMap<i32, org::Model> = org::Entity::find()
        .filter(org::Column::Id.is_in(plans.values().map(|p| p.base_org_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut classes_q =
        training_class::Entity::find().filter(training_class::Column::PlanId.is_in(plans.keys().copied()));
    if let Some(f) = field {
        classes_q = classes_q.filter(training_class::Column::Field.eq(f));
    }
    let classes = classes_q
        .order_by_asc(training_class::Column::StartDate)
        .order_by_asc(training_class::Column::Id)
        .all(db)
        .await?;
    let region = q.region.as_deref().map(str::trim).filter(|r| !r.is_empty());
    Ok(classes
        .into_iter()
        .filter_map(|c| {
            let plan = plans.get(&c.plan_id)?;
            let base = bases.get(&plan.base_org_id)?;
            if region.is_some_and(|r| r != base.region) {
                return None;
            }
            Some(TrainingProject {
                class_id: c.id,
                year: plan.year,
                base_org_id: base.id,
                base_name: base.name.clone(),
                region: base.region.clone(),
                field_name: fields::name_of(&c.field).to_owned(),
                name: c.name,
                field: c.field,
                start_date: c.start_date,
                end_date: c.end_date,
                days: c.days,
                hours: c.hours,
                mode: c.mode,
                content: c.content,
                teachers: c.teachers,
                location: c.location,
                contact_name: c.contact_name,
                contact_phone: c.contact_phone,
            })
        })
        .collect())
}

/// The regions that have projects in the catalogue, for the page's region filter.
pub async fn regions(db: &impl ConnectionTrait) -> AppResult<Vec<String>> {
    let bases = training_plan::Entity::find()
        .filter(training_plan::Column::Status.eq(APPROVED))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.base_org_id);
    let mut regions: Vec<String> =
        org::Entity::find().filter(org::Column::Id.is_in(bases)).all(db).await?.into_iter().map(|o| o.region).collect();
    regions.sort();
    regions.dedup();
    Ok(regions)
}
