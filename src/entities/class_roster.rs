use sea_orm::entity::prelude::*;

/// One person on an offline class's roster (花名册) and the hours they attended.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "class_roster")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub class_id: i32,
    pub learner_id: i32,
    pub row_no: i32,
    pub hours: Option<f64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
