//! The demo course's exam (演示考试): the sample intellectual-property bank (compiled in from
//! `question_banks/`) imported and published by the platform admin, and an exam of 10 questions
//! attached to the demo course, so the demo learner can go catalog -> course -> play -> exam.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{banks, paper::DrawRule, setup};
use crate::{entities::user, error::AppResult};

const BANK_FILE: &str = "intellectual_property.json";
const BANK_NAME: &str = "知识产权保护（演示题库）";
const BANK: &str = include_str!("../../question_banks/intellectual_property.json");
const DURATION_S: i32 = 20 * 60;
const DRAW: DrawRule = DrawRule { single: 5, multiple: 2, judge: 3 };

/// Imports and publishes the sample bank as `admin_id`, and gives `course_id` its exam.
/// Returns the exam's id.
pub async fn attach_exam(db: &DatabaseConnection, course_id: i32, admin_id: i32, now: DateTime<Utc>) -> AppResult<i32> {
    let drafts = banks::parse_upload(BANK_FILE, BANK.as_bytes().to_vec()).await?;
    let bank = banks::import(db, BANK_NAME, &drafts, admin_id, now).await?;
    banks::publish(db, bank.id, admin_id, now).await?;
    let exam = setup::NewExam { course_id, bank_id: bank.id, duration_s: DURATION_S, pass_score: None, draw: DRAW };
    setup::create(db, exam, admin_id, now).await
}

/// The demo's exam for `course_id`, set up by the first platform admin (the demo creates one).
pub async fn load(db: &DatabaseConnection, course_id: i32, now: DateTime<Utc>) -> anyhow::Result<()> {
    let admin = user::Entity::find()
        .filter(user::Column::Role.eq("platform_admin"))
        .order_by_asc(user::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo needs a platform admin to publish its question bank"))?;
    attach_exam(db, course_id, admin.id, now).await.map_err(|e| anyhow::anyhow!("demo exam: {e}"))?;
    Ok(())
}
