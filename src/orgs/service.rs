use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::Deserialize;

use crate::{
    entities::org,
    error::{AppError, AppResult},
};

pub const KINDS: [&str; 4] = ["employer", "department", "hr_bureau", "base"];

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewOrg {
    pub name: String,
    /// employer | department | hr_bureau | base
    pub kind: String,
    pub parent_id: Option<i32>,
    pub region: String,
}

pub async fn create(db: &impl ConnectionTrait, new: NewOrg, now: DateTime<Utc>) -> AppResult<org::Model> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::unprocessable("invalid_name", "单位名称不能为空且不超过 100 字 (name required)"));
    }
    if !KINDS.contains(&new.kind.as_str()) {
        return Err(AppError::unprocessable("invalid_kind", "kind must be employer, department, hr_bureau or base"));
    }
    let region = new.region.trim();
    if region.is_empty() || region.chars().count() > 32 {
        return Err(AppError::unprocessable("invalid_region", "地区不能为空 (region required)"));
    }
    if let Some(p) = new.parent_id
        && org::Entity::find_by_id(p).one(db).await?.is_none()
    {
        return Err(AppError::unprocessable("invalid_parent", "上级单位不存在 (parent organisation not found)"));
    }
    let am = org::ActiveModel {
        name: Set(name.to_owned()),
        kind: Set(new.kind),
        parent_id: Set(new.parent_id),
        region: Set(region.to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(am.insert(db).await?)
}
