//! Recording the hours each person attended once an offline class has ended. The hours go
//! straight to the learners' archives as professional hours (线下培训, no declaration),
//! capped at the policy's daily cap per class day, each learner credited once per class.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{access, china_today, plans};
use crate::{
    archive::ledger::{self, NewCredit, SourceKind},
    audit,
    auth::AuthUser,
    entities::{class_roster, training_class, training_plan, user},
    error::{AppError, AppResult},
    identity::pii::PiiVault,
    rules::{annual_summary::Category, id_number::IdNumber, policy::round_hours},
};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AttendanceRequest {
    pub attendance: Vec<AttendanceEntry>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AttendanceEntry {
    pub id_number: String,
    /// Hours attended; more than the class allows is capped.
    pub hours: f64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttendanceRecord {
    pub learner_id: i32,
    /// The hours that count, after the cap.
    pub hours: f64,
    pub capped: bool,
    /// False when this class had already credited the learner (a repeated recording).
    pub credited: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttendanceOutcome {
    pub class_id: i32,
    /// Most hours one person can earn in this class: days x the policy's daily cap.
    pub max_hours: f64,
    pub credited: usize,
    pub already_credited: usize,
    pub records: Vec<AttendanceRecord>,
}

/// Roster rows by the lookup hash of the learner's ID number.
async fn roster_by_hash(db: &impl ConnectionTrait, class_id: i32) -> AppResult<HashMap<String, class_roster::Model>> {
    let rows = class_roster::Entity::find().filter(class_roster::Column::ClassId.eq(class_id)).all(db).await?;
    let hashes: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.learner_id)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| Some((u.id, u.id_number_hmac?)))
        .collect();
    Ok(rows.into_iter().filter_map(|r| Some((hashes.get(&r.learner_id)?.clone(), r))).collect())
}

/// Every entry must name a roster member once, with a sensible number of hours.
fn check_entries(
    pii: &PiiVault,
    roster: &HashMap<String, class_roster::Model>,
    entries: Vec<AttendanceEntry>,
) -> AppResult<Vec<(class_roster::Model, f64)>> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut ok = Vec::new();
    for (index, e) in entries.into_iter().enumerate() {
        let Ok(id) = IdNumber::parse(&e.id_number) else {
            problems.push(
                json!({"index": index, "code": "invalid_id_number", "message": "身份证号无效 (invalid ID number)"}),
            );
            continue;
        };
        let Some(row) = roster.get(&pii.lookup_hash(id.as_str())) else {
            problems.push(json!({"index": index, "code": "not_on_roster", "id_number": id.masked(),
                "message": "此人不在本班花名册上 (this person is not on the class roster)"}));
            continue;
        };
        if !e.hours.is_finite() || e.hours < 0.0 {
            problems.push(
                json!({"index": index, "code": "invalid_hours", "message": "学时须为非负数 (hours must be >= 0)"}),
            );
        } else if !seen.insert(row.learner_id) {
            problems.push(json!({"index": index, "code": "duplicate", "message": "同一人重复登记 (listed twice)"}));
        } else {
            ok.push((row.clone(), e.hours));
        }
    }
    entries_or_problems(ok, problems)
}

/// The entries when there is at least one and no problem; otherwise every problem.
fn entries_or_problems(
    ok: Vec<(class_roster::Model, f64)>,
    mut problems: Vec<Value>,
) -> AppResult<Vec<(class_roster::Model, f64)>> {
    if problems.is_empty() && !ok.is_empty() {
        return Ok(ok);
    }
    if problems.is_empty() {
        problems.push(json!({"index": null, "code": "empty", "message": "没有登记任何学时 (no attendance given)"}));
    }
    Err(AppError::invalid(
        "invalid_attendance",
        "学时登记有误，未保存 (attendance has errors; nothing saved)",
        Value::Array(problems),
    ))
}

#[tracing::instrument(skip_all, fields(class = class_id))]
pub async fn record(
    db: &DatabaseConnection,
    pii: &PiiVault,
    user: &AuthUser,
    class_id: i32,
    req: AttendanceRequest,
    now: DateTime<Utc>,
) -> AppResult<AttendanceOutcome> {
    let (class, plan) = ended_class(db, user, class_id, now).await?;
    let roster = roster_by_hash(db, class_id).await?;
    let entries = check_entries(pii, &roster, req.attendance)?;
    credit_all(db, user, class, &plan, entries, now).await
}

/// The page's form: hours keyed by the roster member's learner id instead of the ID number
/// (the page shows ID numbers masked). Same checks and crediting as [`record`].
#[tracing::instrument(skip_all, fields(class = class_id))]
pub async fn record_for_roster(
    db: &DatabaseConnection,
    user: &AuthUser,
    class_id: i32,
    hours: Vec<(i32, f64)>,
    now: DateTime<Utc>,
) -> AppResult<AttendanceOutcome> {
    let (class, plan) = ended_class(db, user, class_id, now).await?;
    let rows = class_roster::Entity::find().filter(class_roster::Column::ClassId.eq(class_id)).all(db).await?;
    let roster: HashMap<i32, class_roster::Model> = rows.into_iter().map(|r| (r.learner_id, r)).collect();
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for (index, (learner_id, given)) in hours.into_iter().enumerate() {
        match roster.get(&learner_id) {
            None => problems.push(json!({"index": index, "learner_id": learner_id, "code": "not_on_roster",
                "message": "此人不在本班花名册上 (this person is not on the class roster)"})),
            Some(_) if !given.is_finite() || given < 0.0 => problems.push(json!({"index": index,
                "learner_id": learner_id, "code": "invalid_hours", "message": "学时须为非负数 (hours must be >= 0)"})),
            Some(row) => entries.push((row.clone(), given)),
        }
    }
    let entries = entries_or_problems(entries, problems)?;
    credit_all(db, user, class, &plan, entries, now).await
}

/// One of the caller's approved classes that has ended.
async fn ended_class(
    db: &DatabaseConnection,
    user: &AuthUser,
    class_id: i32,
    now: DateTime<Utc>,
) -> AppResult<(training_class::Model, training_plan::Model)> {
    let (class, plan) = access::own_offline_class(db, user, class_id).await?;
    if china_today(now) < class.end_date {
        return Err(AppError::conflict("class_not_ended", "培训班尚未结束 (the class has not ended yet)"));
    }
    Ok((class, plan))
}

/// Credits each entry (capped) and marks the class's attendance recorded, in one transaction.
async fn credit_all(
    db: &DatabaseConnection,
    user: &AuthUser,
    class: training_class::Model,
    plan: &training_plan::Model,
    entries: Vec<(class_roster::Model, f64)>,
    now: DateTime<Utc>,
) -> AppResult<AttendanceOutcome> {
    let class_id = class.id;
    let policy = plans::base_policy(db, plan.base_org_id, plan.year).await?;
    let max_hours = round_hours(f64::from(class.days) * policy.declaration.daily_hours_cap);
    let txn = db.begin().await?;
    let mut records = Vec::new();
    for (row, given) in entries {
        let hours = round_hours(given).min(max_hours);
        let credited =
            hours > 0.0 && ledger::credit(&txn, credit_of(&class, plan.year, row.learner_id, hours, now)).await?;
        // A repeated recording changes nothing already credited; the first hours stand.
        let stored = match row.hours {
            Some(first) if !credited => first,
            _ => {
                let learner_id = row.learner_id;
                let mut am = row.into_active_model();
                am.hours = Set(Some(hours));
                am.update(&txn).await?;
                records.push(AttendanceRecord { learner_id, hours, capped: given > max_hours, credited });
                continue;
            }
        };
        records.push(AttendanceRecord { learner_id: row.learner_id, hours: stored, capped: false, credited });
    }
    if class.attendance_recorded_at.is_none() {
        let mut am = class.clone().into_active_model();
        am.attendance_recorded_at = Set(Some(now));
        am.update(&txn).await?;
    }
    let credited = records.iter().filter(|r| r.credited).count();
    let already_credited = records.iter().filter(|r| !r.credited && r.hours > 0.0).count();
    let reason = format!("{credited} credited");
    audit::record(
        &txn,
        Some(user.id),
        "offline_class.attendance",
        "training_class",
        &class_id.to_string(),
        Some(&reason),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(AttendanceOutcome { class_id, max_hours, credited, already_credited, records })
}

fn credit_of(class: &training_class::Model, year: i32, learner_id: i32, hours: f64, now: DateTime<Utc>) -> NewCredit {
    NewCredit {
        learner_id,
        year,
        category: Category::Professional,
        public_subkind: None,
        source: SourceKind::OfflineClass,
        source_id: class.id.to_string(),
        title: class.name.clone(),
        hours,
        at: now,
    }
}
