use sea_orm::entity::prelude::*;

/// A base's yearly training plan (继续教育基地年度培训计划), reviewed by its managing unit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub base_org_id: i32,
    pub year: i32,
    pub status: String,
    pub review_comment: Option<String>,
    pub reviewed_by: Option<i32>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
