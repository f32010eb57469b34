use sea_orm::entity::prelude::*;

/// A yearly completion certificate (电子证书). Personal data is kept masked only.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub learner_id: i32,
    pub year: i32,
    pub public_hours: f64,
    pub professional_hours: f64,
    pub total_hours: f64,
    pub name_masked: String,
    pub id_number_masked: String,
    pub issuer: String,
    /// `valid` or `revoked`.
    pub status: String,
    pub issued_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<i32>,
    pub revoke_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
