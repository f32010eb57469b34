//! Setting up a course's exam (考试设置) from a published bank version, and the summary shown
//! on the course's page. The number of attempts and the default pass mark come from the
//! policy of the year and region of the course's base.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    bank_format::QuestionKind,
    banks,
    paper::{BankQuestion, DrawRule},
    records,
};
use crate::{
    archive::policy_store,
    entities::{course, exam},
    error::{AppError, AppResult},
};

/// Shortest and longest exam: a minute, and a working day.
const DURATION_RANGE_S: std::ops::RangeInclusive<i32> = 60..=8 * 3600;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewExam {
    pub course_id: i32,
    pub bank_id: i32,
    pub duration_s: i32,
    /// Out of 100; the policy's pass mark when omitted.
    pub pass_score: Option<f64>,
    pub draw: DrawRule,
}

/// The exam as shown with its course (`exam` of `GET /courses/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ExamSummary {
    pub id: i32,
    pub duration_s: i32,
    pub pass_score: f64,
    pub max_attempts: i32,
}

/// Creates the course's exam. Unknown course or bank, unpublished bank, a bank too small for
/// the draw, or numbers out of range: 422. The course has an exam already: 409.
#[tracing::instrument(skip_all, fields(course = new.course_id, bank = new.bank_id))]
pub async fn create(db: &DatabaseConnection, new: NewExam, by: i32, now: DateTime<Utc>) -> AppResult<i32> {
    let course = course::Entity::find_by_id(new.course_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::unprocessable("unknown_course", "课程不存在 (course not found)"))?;
    check_bank(db, new.bank_id, new.draw).await?;
    if !DURATION_RANGE_S.contains(&new.duration_s) {
        return Err(AppError::unprocessable("invalid_duration", "考试时长须在60秒至8小时之间 (duration: 60 s to 8 h)"));
    }
    let region = policy_store::region_of_org(db, Some(course.base_org_id)).await?;
    let policy = policy_store::policy_for(db, &region, course.year).await?;
    let pass_score = new.pass_score.unwrap_or(policy.pass_score);
    if !(pass_score > 0.0 && pass_score <= 100.0) {
        return Err(AppError::unprocessable("invalid_pass_score", "及格分须在0至100之间 (pass_score: 0 to 100)"));
    }
    let row = exam::ActiveModel {
        course_id: Set(course.id),
        bank_id: Set(new.bank_id),
        duration_s: Set(new.duration_s),
        pass_score: Set(pass_score),
        draw: Set(json!(new.draw)),
        max_attempts: Set(i32::try_from(policy.exam_attempts).unwrap_or(i32::MAX)),
        created_at: Set(now),
        ..Default::default()
    };
    let id = match exam::Entity::insert(row).exec(db).await.map_err(AppError::from) {
        Ok(inserted) => inserted.last_insert_id,
        Err(e) if records::is_unique_violation(&e) => {
            return Err(AppError::conflict("exam_exists", "该课程已设置考试 (the course has an exam already)"));
        }
        Err(e) => return Err(e),
    };
    crate::audit::record(db, Some(by), "exam.create", "exam", &id.to_string(), None, now).await?;
    Ok(id)
}

async fn check_bank(db: &impl ConnectionTrait, bank_id: i32, draw: DrawRule) -> AppResult<()> {
    let bank = banks::find(db, bank_id)
        .await?
        .ok_or_else(|| AppError::unprocessable("unknown_bank", "题库不存在 (question bank not found)"))?;
    if bank.status != records::PUBLISHED {
        return Err(AppError::unprocessable("bank_not_published", "题库尚未发布 (the bank is not published)"));
    }
    if draw.total() == 0 {
        return Err(AppError::unprocessable("invalid_draw", "抽题数量不能为零 (the draw asks for no questions)"));
    }
    let questions = banks::questions_of_bank(db, bank_id).await?;
    let short = shortfalls(&questions, draw);
    if !short.is_empty() {
        return Err(AppError::invalid(
            "not_enough_questions",
            "题库中某类试题数量不足 (too few questions of a kind)",
            serde_json::Value::Array(short),
        ));
    }
    Ok(())
}

fn shortfalls(questions: &[BankQuestion], draw: DrawRule) -> Vec<serde_json::Value> {
    [QuestionKind::Single, QuestionKind::Multiple, QuestionKind::Judge]
        .into_iter()
        .filter_map(|kind| {
            let have = questions.iter().filter(|q| q.kind == kind).count();
            let need = draw.count(kind) as usize;
            (have < need).then(|| json!({"kind": banks::kind_str(kind), "have": have, "need": need}))
        })
        .collect()
}

/// The course's exam, for the course details (`null` when it has none).
#[tracing::instrument(skip_all, fields(course = course_id))]
pub async fn exam_summary(db: &impl ConnectionTrait, course_id: i32) -> AppResult<Option<ExamSummary>> {
    Ok(records::exam_of_course(db, course_id).await?.map(|e| ExamSummary {
        id: e.id,
        duration_s: e.duration_s,
        pass_score: e.pass_score,
        max_attempts: e.max_attempts,
    }))
}
