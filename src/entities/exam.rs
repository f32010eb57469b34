use sea_orm::entity::prelude::*;

/// A course's exam (考试): which bank version it draws from, how many of each kind, how long.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "exams")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub course_id: i32,
    pub bank_id: i32,
    pub duration_s: i32,
    pub pass_score: f64,
    pub draw: Json,
    pub max_attempts: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
