//! Autosave of a learner's answers (作答保存). The body is the whole answer sheet and replaces
//! the saved one: a single conditional write, so two phones saving at once cannot interleave
//! into a sheet neither sent. Saving stops at the deadline and once the paper is handed in.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use serde_json::{Value, json};

use super::{
    bank_format::QuestionKind,
    grading,
    paper::{Paper, PaperItem},
    records,
};
use crate::{
    entities::exam_attempt,
    error::{AppError, AppResult},
};

/// Replaces the saved answers (question id -> displayed option keys). Returns when it was saved.
#[tracing::instrument(skip_all, fields(attempt = id))]
pub async fn save(
    db: &DatabaseConnection,
    learner_id: i32,
    id: i64,
    sheet: BTreeMap<String, Vec<String>>,
    now: DateTime<Utc>,
) -> AppResult<DateTime<Utc>> {
    let attempt = records::owned_attempt(db, learner_id, id).await?;
    if records::is_overdue(&attempt, now) {
        grading::close(db, id, now).await?;
        return Err(closed());
    }
    if attempt.status != records::OPEN {
        return Err(closed());
    }
    let answers = normalise(&records::paper_of(&attempt)?, sheet)?;
    let changed = exam_attempt::Entity::update_many()
        .col_expr(exam_attempt::Column::Answers, Expr::value(answers))
        .col_expr(exam_attempt::Column::AnswersRev, Expr::col(exam_attempt::Column::AnswersRev).add(1))
        .col_expr(exam_attempt::Column::AnswersSavedAt, Expr::value(now))
        .filter(exam_attempt::Column::Id.eq(id))
        .filter(exam_attempt::Column::Status.eq(records::OPEN))
        .exec(db)
        .await?;
    if changed.rows_affected == 0 {
        return Err(closed());
    }
    Ok(now)
}

fn closed() -> AppError {
    AppError::conflict("attempt_closed", "本次考试已交卷或已超时 (attempt closed: submitted or past its deadline)")
}

/// Checks the sheet against the paper: known questions, displayed keys of that question, no
/// key twice. Keys are stored upper-case; a question with no keys is left out.
fn normalise(paper: &Paper, sheet: BTreeMap<String, Vec<String>>) -> AppResult<Value> {
    let items: HashMap<i64, &PaperItem> = paper.items.iter().map(|item| (item.question_id, item)).collect();
    let mut problems = Vec::new();
    let mut clean = BTreeMap::new();
    for (key, chosen) in sheet {
        let item = key.trim().parse::<i64>().ok().and_then(|id| items.get(&id).copied());
        let Some(item) = item else {
            problems.push(json!({"question_id": key, "message": "not a question of this paper"}));
            continue;
        };
        match clean_keys(item, &chosen) {
            Ok(keys) if keys.is_empty() => {}
            Ok(keys) => {
                clean.insert(item.question_id.to_string(), keys);
            }
            Err(message) => problems.push(json!({"question_id": key, "message": message})),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::invalid("invalid_answers", "答案无效 (invalid answers)", Value::Array(problems)));
    }
    Ok(json!(clean))
}

fn clean_keys(item: &PaperItem, chosen: &[String]) -> Result<Vec<String>, String> {
    let allowed = displayed_keys(item);
    let mut keys: Vec<String> = Vec::with_capacity(chosen.len());
    for key in chosen {
        let key = key.trim().to_ascii_uppercase();
        if !allowed.contains(&key) {
            return Err(format!("'{key}' is not an option; options are {}", allowed.join(", ")));
        }
        if keys.contains(&key) {
            return Err(format!("'{key}' is given twice"));
        }
        keys.push(key);
    }
    if item.kind != QuestionKind::Multiple && keys.len() > 1 {
        return Err("only one option may be chosen".into());
    }
    Ok(keys)
}

/// Keys as the learner sees them: A, B, C… for choice questions, T and F for judge questions.
fn displayed_keys(item: &PaperItem) -> Vec<String> {
    match item.kind {
        QuestionKind::Judge => item.option_order.clone(),
        _ => (b'A'..).take(item.option_order.len()).map(|letter| char::from(letter).to_string()).collect(),
    }
}
