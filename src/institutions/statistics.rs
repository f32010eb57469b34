//! Knowledge-update statistics by field (知识更新工程实施情况统计, Yantai 2020 annexes 3 and 4),
//! computed from the offline classes of approved plans and their rosters.
use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::{access::Viewer, fields, plans::APPROVED};
use crate::{
    auth::AuthUser,
    entities::{class_roster, org, training_class, training_plan},
    error::AppResult,
    rules::policy::round_hours,
};

#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldRow {
    pub field: String,
    pub name: String,
    /// Classes in approved plans.
    pub planned_classes: u64,
    /// Classes held: their attendance was recorded.
    pub classes: u64,
    /// Different people who attended (hours > 0).
    pub persons: u64,
    /// Attendances (one person in two classes counts twice).
    pub person_times: u64,
    pub hours: f64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KnowledgeUpdateStats {
    pub year: i32,
    /// Who the figures cover (填报单位).
    pub unit: String,
    pub fields: Vec<FieldRow>,
    pub total: FieldRow,
}

/// The figures of every field for the bases the caller may see, all fields listed.
#[tracing::instrument(skip_all, fields(year))]
pub async fn compute(db: &impl ConnectionTrait, user: &AuthUser, year: i32) -> AppResult<KnowledgeUpdateStats> {
    let viewer = Viewer::of(db, user).await?;
    let unit = match user.org_id {
        Some(id) => org::Entity::find_by_id(id).one(db).await?.map(|o| o.name).unwrap_or_default(),
        None => "全省 (province)".to_owned(),
    };
    let plan_ids: Vec<i32> = training_plan::Entity::find()
        .filter(training_plan::Column::Year.eq(year))
        .filter(training_plan::Column::Status.eq(APPROVED))
        .all(db)
        .await?
        .into_iter()
        .filter(|p| viewer.can_see(p.base_org_id))
        .map(|p| p.id)
        .collect();
    let classes = training_class::Entity::find().filter(training_class::Column::PlanId.is_in(plan_ids)).all(db).await?;
    let held: Vec<i32> = classes.iter().filter(|c| c.attendance_recorded_at.is_some()).map(|c| c.id).collect();
    let attended = class_roster::Entity::find()
        .filter(class_roster::Column::ClassId.is_in(held))
        .filter(class_roster::Column::Hours.gt(0.0))
        .all(db)
        .await?;
    Ok(KnowledgeUpdateStats { year, unit, ..tally(&classes, &attended) })
}

/// Sums classes and attendances per field (pure).
fn tally(classes: &[training_class::Model], attended: &[class_roster::Model]) -> KnowledgeUpdateStats {
    let field_of: HashMap<i32, &str> = classes.iter().map(|c| (c.id, c.field.as_str())).collect();
    let mut rows: Vec<FieldRow> = fields::FIELDS
        .iter()
        .map(|(code, name)| FieldRow { field: (*code).into(), name: (*name).into(), ..FieldRow::default() })
        .collect();
    let index: HashMap<&str, usize> = fields::FIELDS.iter().enumerate().map(|(i, (c, _))| (*c, i)).collect();
    for c in classes {
        if let Some(&i) = index.get(c.field.as_str()) {
            rows[i].planned_classes += 1;
            rows[i].classes += u64::from(c.attendance_recorded_at.is_some());
        }
    }
    let mut people: Vec<HashSet<i32>> = vec![HashSet::new(); rows.len()];
    for a in attended {
        if let Some(&i) = field_of.get(&a.class_id).and_then(|f| index.get(f)) {
            people[i].insert(a.learner_id);
            rows[i].person_times += 1;
            rows[i].hours += a.hours.unwrap_or(0.0);
        }
    }
    let mut total = FieldRow { field: "total".into(), name: "合计".into(), ..FieldRow::default() };
    let everyone: HashSet<i32> = people.iter().flatten().copied().collect();
    for (row, persons) in rows.iter_mut().zip(&people) {
        row.persons = persons.len() as u64;
        row.hours = round_hours(row.hours);
        total.planned_classes += row.planned_classes;
        total.classes += row.classes;
        total.person_times += row.person_times;
        total.hours += row.hours;
    }
    total.persons = everyone.len() as u64;
    total.hours = round_hours(total.hours);
    KnowledgeUpdateStats { year: 0, unit: String::new(), fields: rows, total }
}
