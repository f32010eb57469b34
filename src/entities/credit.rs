use sea_orm::entity::prelude::*;

/// One line of the credit ledger (学时记录). Unique per (learner, source, category).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "credits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub learner_id: i32,
    pub year: i32,
    pub category: String,
    pub public_subkind: Option<String>,
    pub source_kind: String,
    pub source_id: String,
    pub declaration_kind: Option<String>,
    pub online: bool,
    pub title: String,
    pub hours: f64,
    pub credited_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
