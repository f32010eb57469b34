//! Queries on users shared by several services.
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    entities::user,
    error::{AppError, AppResult},
};

pub async fn find(db: &impl ConnectionTrait, id: i32) -> AppResult<user::Model> {
    user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}
