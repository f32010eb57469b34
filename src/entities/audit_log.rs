use sea_orm::entity::prelude::*;

/// "Whoever approves is responsible" (谁审核，谁负责): every decision, forever.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub actor_id: Option<i32>,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub reason: Option<String>,
    pub detail: Option<Json>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
