use sea_orm::entity::prelude::*;

/// A durable background job (transcoding, ...): survives restarts, retried with backoff.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub payload: Json,
    pub status: String,
    pub progress: f64,
    pub attempts: i32,
    pub max_attempts: i32,
    pub error: Option<String>,
    pub run_after: DateTimeUtc,
    pub locked_by: Option<String>,
    pub locked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
