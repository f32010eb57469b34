use sea_orm::entity::prelude::*;

/// A course (课程) uploaded by a base (继续教育基地).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub base_org_id: i32,
    pub title: String,
    pub category: String,
    pub year: i32,
    pub hours: f64,
    pub teacher: String,
    pub teacher_user_id: Option<i32>,
    pub description: String,
    pub status: String,
    pub reject_reason: Option<String>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
