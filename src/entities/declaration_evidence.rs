use sea_orm::entity::prelude::*;

/// An evidence file of a declaration, stored as `<data_dir>/evidence/<file_key>`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "declaration_evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub declaration_id: i32,
    pub file_key: String,
    pub content_type: String,
    pub size: i64,
    pub original_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
