use sea_orm::entity::prelude::*;

/// One exam attempt (考试记录) of a learner in a study cycle; `status` is open, submitted or
/// expired. Never deleted: the attempt history stays.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub exam_id: i32,
    pub learner_id: i32,
    pub course_id: i32,
    pub cycle: i32,
    pub attempt_no: i32,
    pub max_attempts: i32,
    pub status: String,
    pub paper: Json,
    pub answers: Json,
    pub answers_rev: i32,
    pub answers_saved_at: Option<DateTimeUtc>,
    pub started_at: DateTimeUtc,
    pub deadline: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub score: Option<f64>,
    pub passed: Option<bool>,
    pub graded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
