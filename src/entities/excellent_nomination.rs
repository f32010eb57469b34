use sea_orm::entity::prelude::*;

/// A public course a base nominated (推荐) for the excellent course selection.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "excellent_nominations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    pub course_id: i32,
    pub base_org_id: i32,
    pub ip_pledge: bool,
    pub introduction: String,
    pub status: String,
    pub final_score: Option<f64>,
    pub nominated_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
