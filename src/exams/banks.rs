//! Importing, publishing and listing question banks (题库). An import is one transaction: a
//! file with any invalid question is refused whole and nothing is stored. Uploading a bank
//! under an existing name makes its next version; exams keep the version they were built on.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use serde::Serialize;
use serde_json::json;

use super::{
    bank_format::{self, BankFileKind, OptionItem, QuestionDraft, QuestionKind},
    paper::BankQuestion,
    records::{PUBLISHED, corrupt, is_unique_violation},
};
use crate::{
    entities::{question, question_bank},
    error::{AppError, AppResult},
};

const DRAFT: &str = "draft";
const MAX_NAME_CHARS: usize = 100;
/// Rows per INSERT: well under SQLite's bound-parameter limit with 8 columns a row.
const INSERT_CHUNK: usize = 200;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportedBank {
    pub id: i32,
    pub version: i32,
    /// How many questions were imported.
    pub questions: usize,
    pub status: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BankSummary {
    pub id: i32,
    pub name: String,
    pub version: i32,
    pub status: String,
    pub question_count: i32,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// Parses an uploaded file (off the async workers: an .xlsx is unzipped and read).
/// Invalid: 422 `invalid_bank` with every problem found as `details`.
pub async fn parse_upload(file_name: &str, bytes: Vec<u8>) -> AppResult<Vec<QuestionDraft>> {
    let Some(kind) = BankFileKind::from_file_name(file_name) else {
        return Err(invalid_bank(json!([{"message": "unsupported file type; use .toml, .json, .csv or .xlsx"}])));
    };
    let parsed = tokio::task::spawn_blocking(move || bank_format::parse_bank(kind, &bytes))
        .await
        .map_err(|e| AppError::Other(e.into()))?;
    parsed.map_err(|errors| invalid_bank(json!(errors)))
}

fn invalid_bank(details: serde_json::Value) -> AppError {
    AppError::invalid("invalid_bank", "题库文件有误，未导入任何试题 (invalid bank: nothing imported)", details)
}

/// A bank's name: trimmed, 1 to 100 characters.
pub fn check_name(name: Option<&str>) -> AppResult<String> {
    let name = name.map(str::trim).unwrap_or_default();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::unprocessable("invalid_name", "题库名称须为1至100个字符 (name: 1 to 100 characters)"));
    }
    Ok(name.to_owned())
}

/// Stores the questions as the next version of the bank `name`, all or nothing.
#[tracing::instrument(skip_all, fields(name = %name, questions = drafts.len()))]
pub async fn import(
    db: &DatabaseConnection,
    name: &str,
    drafts: &[QuestionDraft],
    by: i32,
    now: DateTime<Utc>,
) -> AppResult<ImportedBank> {
    // Two uploads of the same name may race for a version number; the unique index decides
    // and the loser takes the next one.
    for _ in 0..3 {
        let version = latest_version(db, name).await? + 1;
        match insert_version(db, name, version, drafts, by, now).await {
            Ok(id) => return Ok(ImportedBank { id, version, questions: drafts.len(), status: DRAFT.into() }),
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(AppError::conflict("bank_busy", "题库正在被同时导入，请重试 (concurrent upload, retry)"))
}

async fn latest_version(db: &impl ConnectionTrait, name: &str) -> AppResult<i32> {
    let latest: Option<Option<i32>> = question_bank::Entity::find()
        .select_only()
        .column_as(Expr::col(question_bank::Column::Version).max(), "max")
        .filter(question_bank::Column::Name.eq(name))
        .into_tuple()
        .one(db)
        .await?;
    Ok(latest.flatten().unwrap_or(0))
}

async fn insert_version(
    db: &DatabaseConnection,
    name: &str,
    version: i32,
    drafts: &[QuestionDraft],
    by: i32,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    let count = i32::try_from(drafts.len()).unwrap_or(i32::MAX);
    // The transaction starts with a write, so SQLite takes its write lock at once.
    let txn = db.begin().await?;
    let bank = question_bank::Entity::insert(question_bank::ActiveModel {
        name: Set(name.to_owned()),
        version: Set(version),
        status: Set(DRAFT.into()),
        question_count: Set(count),
        created_by: Set(by),
        created_at: Set(now),
        published_at: Set(None),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let bank_id = bank.last_insert_id;
    for (chunk_no, chunk) in drafts.chunks(INSERT_CHUNK).enumerate() {
        let rows = chunk.iter().enumerate().map(|(i, draft)| question_row(bank_id, chunk_no * INSERT_CHUNK + i, draft));
        question::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    crate::audit::record(&txn, Some(by), "question_bank.import", "question_bank", &bank_id.to_string(), None, now)
        .await?;
    txn.commit().await?;
    Ok(bank_id)
}

fn question_row(bank_id: i32, index: usize, draft: &QuestionDraft) -> question::ActiveModel {
    question::ActiveModel {
        bank_id: Set(bank_id),
        kind: Set(kind_str(draft.kind).into()),
        stem: Set(draft.stem.clone()),
        options: Set(json!(draft.options)),
        answer: Set(json!(draft.answer)),
        knowledge_point: Set(draft.knowledge_point.clone()),
        difficulty: Set(draft.difficulty.as_ref().map(|d| json!(d))),
        position: Set(i32::try_from(index + 1).unwrap_or(i32::MAX)),
        ..Default::default()
    }
}

pub(crate) fn kind_str(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "single",
        QuestionKind::Multiple => "multiple",
        QuestionKind::Judge => "judge",
    }
}

fn parse_kind(kind: &str) -> Option<QuestionKind> {
    [QuestionKind::Single, QuestionKind::Multiple, QuestionKind::Judge].into_iter().find(|k| kind_str(*k) == kind)
}

/// Publishes a draft bank; publishing a published bank again changes nothing.
#[tracing::instrument(skip_all, fields(bank = id))]
pub async fn publish(db: &DatabaseConnection, id: i32, by: i32, now: DateTime<Utc>) -> AppResult<()> {
    question_bank::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let changed = question_bank::Entity::update_many()
        .col_expr(question_bank::Column::Status, Expr::value(PUBLISHED))
        .col_expr(question_bank::Column::PublishedAt, Expr::value(now))
        .filter(question_bank::Column::Id.eq(id))
        .filter(question_bank::Column::Status.eq(DRAFT))
        .exec(db)
        .await?;
    if changed.rows_affected > 0 {
        crate::audit::record(db, Some(by), "question_bank.publish", "question_bank", &id.to_string(), None, now)
            .await?;
    }
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<BankSummary>> {
    let banks = question_bank::Entity::find()
        .order_by_asc(question_bank::Column::Name)
        .order_by_desc(question_bank::Column::Version)
        .all(db)
        .await?;
    Ok(banks
        .into_iter()
        .map(|b| BankSummary {
            id: b.id,
            name: b.name,
            version: b.version,
            status: b.status,
            question_count: b.question_count,
            created_at: b.created_at,
            published_at: b.published_at,
        })
        .collect())
}

pub(crate) async fn find(db: &impl ConnectionTrait, id: i32) -> AppResult<Option<question_bank::Model>> {
    Ok(question_bank::Entity::find_by_id(id).one(db).await?)
}

/// Every question of a bank, in file order.
pub(crate) async fn questions_of_bank(db: &impl ConnectionTrait, bank_id: i32) -> AppResult<Vec<BankQuestion>> {
    let rows = question::Entity::find()
        .filter(question::Column::BankId.eq(bank_id))
        .order_by_asc(question::Column::Position)
        .all(db)
        .await?;
    rows.into_iter().map(to_bank_question).collect()
}

/// The questions with the given ids (those of one paper).
pub(crate) async fn questions_by_id(db: &impl ConnectionTrait, ids: Vec<i64>) -> AppResult<Vec<BankQuestion>> {
    let rows = question::Entity::find().filter(question::Column::Id.is_in(ids)).all(db).await?;
    rows.into_iter().map(to_bank_question).collect()
}

fn to_bank_question(row: question::Model) -> AppResult<BankQuestion> {
    let kind = parse_kind(&row.kind).ok_or_else(|| corrupt("question kind", &row.kind))?;
    let options: Vec<OptionItem> = serde_json::from_value(row.options).map_err(|e| corrupt("options", e))?;
    let answer: Vec<String> = serde_json::from_value(row.answer).map_err(|e| corrupt("answer", e))?;
    Ok(BankQuestion { id: row.id, kind, stem: row.stem, options, answer })
}

/// What the import page shows before saving: the parsed questions, answers included (the
/// caller is the platform admin who wrote them).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = BankPreview)]
pub struct Preview {
    pub count: usize,
    pub single: usize,
    pub multiple: usize,
    pub judge: usize,
    #[schema(value_type = Vec<Object>)]
    pub questions: Vec<QuestionDraft>,
}

impl Preview {
    pub fn of(questions: Vec<QuestionDraft>) -> Self {
        let count_of = |kind| questions.iter().filter(|q| q.kind == kind).count();
        Self {
            count: questions.len(),
            single: count_of(QuestionKind::Single),
            multiple: count_of(QuestionKind::Multiple),
            judge: count_of(QuestionKind::Judge),
            questions,
        }
    }
}
