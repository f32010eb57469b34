//! Policies per (region, year): a stored row for the region, else the province-wide row
//! (region `山东省`), else Shandong's built-in defaults.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::OnConflict};
use serde_json::json;

use crate::{
    entities::{org, policy, user},
    error::{AppError, AppResult},
    rules::policy::Policy,
};

pub const PROVINCE: &str = "山东省";

pub async fn policy_for(db: &impl ConnectionTrait, region: &str, year: i32) -> AppResult<Policy> {
    for r in [region, PROVINCE] {
        let row = policy::Entity::find()
            .filter(policy::Column::Region.eq(r))
            .filter(policy::Column::Year.eq(year))
            .one(db)
            .await?;
        if let Some(row) = row {
            return serde_json::from_value(row.body)
                .map_err(|e| AppError::Other(anyhow::anyhow!("stored policy unreadable: {e}")));
        }
    }
    Ok(Policy::shandong_default(year))
}

/// The region whose policy applies to a user: their organisation's region, else the province.
pub async fn region_of_user(db: &impl ConnectionTrait, user_id: i32) -> AppResult<String> {
    let Some(u) = user::Entity::find_by_id(user_id).one(db).await? else { return Ok(PROVINCE.into()) };
    region_of_org(db, u.org_id).await
}

pub async fn region_of_org(db: &impl ConnectionTrait, org_id: Option<i32>) -> AppResult<String> {
    let Some(id) = org_id else { return Ok(PROVINCE.into()) };
    Ok(org::Entity::find_by_id(id).one(db).await?.map(|o| o.region).unwrap_or_else(|| PROVINCE.into()))
}

pub async fn policy_for_user(db: &impl ConnectionTrait, user_id: i32, year: i32) -> AppResult<Policy> {
    let region = region_of_user(db, user_id).await?;
    policy_for(db, &region, year).await
}

/// Validates and stores the full policy for (region, year).
pub async fn put(
    db: &impl ConnectionTrait,
    region: &str,
    year: i32,
    mut p: Policy,
    by: i32,
    now: DateTime<Utc>,
) -> AppResult<Policy> {
    if !(2000..=2100).contains(&year) {
        return Err(AppError::unprocessable("invalid_year", "year must be between 2000 and 2100"));
    }
    p.year = year;
    if let Err(violations) = p.validate() {
        let details = violations.iter().map(|v| json!({"field": v.field, "message": v.message})).collect();
        return Err(AppError::invalid(
            "invalid_policy",
            "政策参数无效 (invalid policy)",
            serde_json::Value::Array(details),
        ));
    }
    let body = serde_json::to_value(&p).map_err(|e| AppError::Other(e.into()))?;
    let row = policy::ActiveModel {
        region: Set(region.to_owned()),
        year: Set(year),
        body: Set(body),
        updated_by: Set(Some(by)),
        updated_at: Set(now),
        ..Default::default()
    };
    policy::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([policy::Column::Region, policy::Column::Year])
                .update_columns([policy::Column::Body, policy::Column::UpdatedBy, policy::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(p)
}
