use sea_orm::entity::prelude::*;

/// One class (培训班) of a training plan; once the plan is approved, an offline class.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "training_classes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub plan_id: i32,
    pub position: i32,
    pub name: String,
    pub field: String,
    pub start_date: Date,
    pub end_date: Date,
    pub days: i32,
    pub hours: f64,
    pub content: String,
    pub schedule: String,
    pub mode: String,
    pub teachers: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub location: Option<String>,
    pub attendance_recorded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
