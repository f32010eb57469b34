//! Uploading and reading an offline class's roster. A roster is taken whole or not at all:
//! every bad row (an invalid or unknown ID number, a duplicate, a name that does not match)
//! is reported with its row, and nothing is stored until the file is clean.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::Serialize;
use serde_json::{Value, json};

use super::{access, roster_file};
use crate::{
    audit,
    auth::AuthUser,
    entities::{class_roster, user},
    error::{AppError, AppResult},
    identity::pii::PiiVault,
    rules::id_number::IdNumber,
};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RosterUploaded {
    pub class_id: i32,
    pub people: usize,
}

/// A learner found for a roster row.
struct Matched {
    row: usize,
    learner_id: i32,
}

fn problem(row: usize, code: &str, message: String) -> Value {
    json!({"row": row, "code": code, "message": message})
}

/// Learners by the lookup hash of their ID number.
async fn learners_by_hash(db: &impl ConnectionTrait, hashes: Vec<String>) -> AppResult<HashMap<String, user::Model>> {
    let mut found = HashMap::new();
    for chunk in hashes.chunks(500) {
        let users = user::Entity::find()
            .filter(user::Column::IdNumberHmac.is_in(chunk.iter().cloned()))
            .filter(user::Column::Role.eq("learner"))
            .all(db)
            .await?;
        found.extend(users.into_iter().filter_map(|u| Some((u.id_number_hmac.clone()?, u))));
    }
    Ok(found)
}

/// Checks each row; returns the matched learners or every problem found.
async fn match_rows(
    db: &impl ConnectionTrait,
    pii: &PiiVault,
    rows: Vec<roster_file::RosterRow>,
) -> Result<Vec<Matched>, AppError> {
    let mut problems = Vec::new();
    let mut first_row_of: HashMap<String, usize> = HashMap::new();
    let mut parsed = Vec::new();
    for r in rows {
        let id = match IdNumber::parse(&r.id_number) {
            Ok(id) => id,
            Err(e) => {
                problems.push(problem(r.row, "invalid_id_number", format!("身份证号无效 (invalid ID number): {e}")));
                continue;
            }
        };
        if r.name.is_empty() {
            problems.push(problem(r.row, "missing_name", "姓名为空 (name missing)".into()));
        }
        if let Some(first) = first_row_of.insert(id.as_str().to_owned(), r.row) {
            problems.push(problem(r.row, "duplicate", format!("与第 {first} 行重复 (same person as row {first})")));
            continue;
        }
        parsed.push((r, pii.lookup_hash(id.as_str()), id.masked()));
    }
    let learners = learners_by_hash(db, parsed.iter().map(|(_, h, _)| h.clone()).collect()).await?;
    let mut matched = Vec::new();
    for (r, hash, masked) in parsed {
        match learners.get(&hash) {
            None => problems.push(json!({"row": r.row, "code": "unknown_id_number", "id_number": masked,
                "message": "该身份证号没有注册学员 (no learner is registered with this ID number)"})),
            Some(u) if !r.name.is_empty() && u.name.trim() != r.name => problems.push(problem(
                r.row,
                "name_mismatch",
                "姓名与身份证号登记的姓名不符 (the name differs from the registered one)".into(),
            )),
            Some(u) => matched.push(Matched { row: r.row, learner_id: u.id }),
        }
    }
    if problems.is_empty() {
        return Ok(matched);
    }
    problems.sort_by_key(|p| p["row"].as_u64());
    Err(AppError::invalid(
        "invalid_roster",
        "花名册有误，未导入 (the roster has errors; nothing imported)",
        Value::Array(problems),
    ))
}

/// Replaces the roster of one of the caller's approved classes, before hours are recorded.
#[tracing::instrument(skip_all, fields(class = class_id))]
pub async fn upload(
    db: &DatabaseConnection,
    pii: &PiiVault,
    user: &AuthUser,
    class_id: i32,
    file_name: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> AppResult<RosterUploaded> {
    let (class, _) = access::own_offline_class(db, user, class_id).await?;
    if class.attendance_recorded_at.is_some() {
        return Err(AppError::conflict(
            "attendance_recorded",
            "已登记学时，花名册不能再改 (hours were recorded already)",
        ));
    }
    let rows = roster_file::read(file_name, bytes)
        .map_err(|m| AppError::invalid("invalid_roster", m.clone(), json!([{"row": null, "message": m}])))?;
    let matched = match_rows(db, pii, rows).await?;
    let people = matched.len();
    let txn = db.begin().await?;
    class_roster::Entity::delete_many().filter(class_roster::Column::ClassId.eq(class_id)).exec(&txn).await?;
    for chunk in matched.chunks(500) {
        let rows = chunk.iter().map(|m| class_roster::ActiveModel {
            class_id: Set(class_id),
            learner_id: Set(m.learner_id),
            row_no: Set(m.row as i32),
            hours: Set(None),
            created_at: Set(now),
            ..Default::default()
        });
        class_roster::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    let reason = format!("{people} people");
    audit::record(
        &txn,
        Some(user.id),
        "offline_class.roster",
        "training_class",
        &class_id.to_string(),
        Some(&reason),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(RosterUploaded { class_id, people })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RosterEntry {
    pub row: i32,
    pub learner_id: i32,
    pub name: String,
    /// Masked: the roster is read by staff, never the learners' own page.
    pub id_number: Option<String>,
    pub hours: Option<f64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RosterView {
    pub class: super::plans::ClassView,
    pub people: Vec<RosterEntry>,
}

#[tracing::instrument(skip_all, fields(class = class_id))]
pub async fn view(db: &impl ConnectionTrait, pii: &PiiVault, user: &AuthUser, class_id: i32) -> AppResult<RosterView> {
    let (class, _) = access::visible_class(db, user, class_id).await?;
    let rows = class_roster::Entity::find()
        .filter(class_roster::Column::ClassId.eq(class_id))
        .order_by_asc(class_roster::Column::RowNo)
        .all(db)
        .await?;
    let users: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.learner_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let people = rows
        .into_iter()
        .map(|r| {
            let u = users.get(&r.learner_id);
            let id_number = u
                .and_then(|u| u.id_number_enc.as_deref())
                .and_then(|enc| pii.decrypt(enc).ok())
                .and_then(|plain| IdNumber::parse(&plain).ok())
                .map(|id| id.masked());
            RosterEntry {
                row: r.row_no,
                learner_id: r.learner_id,
                name: u.map(|u| u.name.clone()).unwrap_or_default(),
                id_number,
                hours: r.hours,
            }
        })
        .collect();
    Ok(RosterView { class: class.into(), people })
}
