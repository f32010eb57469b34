use sea_orm::entity::prelude::*;

/// Durable copy of watch progress per (learner, lecture, cycle); Redis holds the hot copy.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lecture_progress")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub learner_id: i32,
    pub lecture_id: i32,
    pub cycle: i32,
    pub state: String,
    pub watched_s: f64,
    pub coverage: f64,
    pub completed: bool,
    pub completed_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
