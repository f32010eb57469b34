use sea_orm::entity::prelude::*;

/// An hour declaration (学时申报) and where it stands in its review chain.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "declarations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub learner_id: i32,
    pub org_id: Option<i32>,
    pub kind: String,
    pub year: i32,
    pub title: String,
    pub input: Json,
    pub valuation: Json,
    pub public_hours: f64,
    pub professional_hours: f64,
    pub completes_year: bool,
    pub reference_norm: Option<String>,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub chain: String,
    pub level: i32,
    pub round: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
