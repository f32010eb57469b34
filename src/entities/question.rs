use sea_orm::entity::prelude::*;

/// One question (试题) of a bank; `options` and `answer` hold the bank's keys.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bank_id: i32,
    pub kind: String,
    pub stem: String,
    pub options: Json,
    pub answer: Json,
    pub knowledge_point: Option<String>,
    pub difficulty: Option<Json>,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
