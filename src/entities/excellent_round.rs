use sea_orm::entity::prelude::*;

/// A year's excellent online public course selection (优质在线公需课评选): voting window and size.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "excellent_rounds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub vote_opens_at: DateTimeUtc,
    pub vote_closes_at: DateTimeUtc,
    pub top_n: i32,
    pub published_at: Option<DateTimeUtc>,
    pub published_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
