use sea_orm::entity::prelude::*;

/// One reviewer's decision on a declaration at one level of one round (谁审核，谁负责).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "declaration_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub declaration_id: i32,
    pub round: i32,
    pub level: i32,
    pub level_name: String,
    pub reviewer_id: i32,
    /// `approve` or `reject`.
    pub decision: String,
    pub comment: Option<String>,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
