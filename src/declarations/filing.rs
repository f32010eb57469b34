//! Filing a declaration (学时申报): valued by the policy against what the learner already has
//! that year (approved and pending declarations count), stored with its evidence in one
//! transaction. A rejected declaration can be corrected and filed again as a new round.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryTrait, TransactionTrait,
};

use super::{
    chain::{self, APPROVED, PENDING, REJECTED},
    evidence::{MAX_FILES, StagedFile},
    input::Filing,
};
use crate::{
    archive::{ledger::year_of, policy_store},
    audit,
    auth::AuthUser,
    entities::{declaration, declaration_evidence},
    error::{AppError, AppResult},
    rules::{
        declaration_value::{self, DeclarationInput, DeclarationKind, Valuation, ValuationNote, YearToDate},
        policy::round_hours,
    },
    state::AppState,
};

const FIRST_YEAR: i32 = 2000;
const MAX_TEXT_CHARS: usize = 200;
const MONTHS_PER_YEAR: u32 = 12;

pub fn parse_kind(stored: &str) -> Option<DeclarationKind> {
    serde_json::from_value(serde_json::Value::String(stored.to_owned())).ok()
}

/// Months of a year an aid or leave declaration took: its pro-rata months, else all twelve.
fn credited_months(valuation: &serde_json::Value) -> u32 {
    let Ok(v) = serde_json::from_value::<Valuation>(valuation.clone()) else { return 0 };
    v.notes
        .iter()
        .find_map(|n| match n {
            ValuationNote::ProRata { months } => Some(*months),
            _ => None,
        })
        .unwrap_or(MONTHS_PER_YEAR)
}

/// What the learner already has in `year` from approved and pending declarations (all years
/// for achievement references), leaving out `except` (the declaration being corrected).
#[tracing::instrument(skip_all, fields(learner = learner_id, year))]
pub async fn year_to_date(
    db: &impl ConnectionTrait,
    learner_id: i32,
    year: i32,
    except: Option<i32>,
) -> AppResult<YearToDate> {
    let rows = declaration::Entity::find()
        .filter(declaration::Column::LearnerId.eq(learner_id))
        .filter(declaration::Column::Status.is_in([PENDING, APPROVED]))
        .apply_if(except, |q, id| q.filter(declaration::Column::Id.ne(id)))
        .all(db)
        .await?;
    let mut ytd = YearToDate::default();
    for d in &rows {
        let kind = parse_kind(&d.kind);
        if kind == Some(DeclarationKind::Achievement) {
            ytd.achievement_references.extend(d.reference_norm.clone());
        }
        if d.year != year {
            continue;
        }
        let hours = d.public_hours + d.professional_hours;
        match kind {
            Some(DeclarationKind::SelfStudy) => ytd.self_study_hours = round_hours(ytd.self_study_hours + hours),
            Some(DeclarationKind::Achievement) => ytd.achievement_hours = round_hours(ytd.achievement_hours + hours),
            Some(DeclarationKind::Contest) => {
                ytd.contest_offsets.public = round_hours(ytd.contest_offsets.public + d.public_hours);
                ytd.contest_offsets.professional = round_hours(ytd.contest_offsets.professional + d.professional_hours);
            }
            Some(DeclarationKind::AidAssignment | DeclarationKind::LongLeave) => {
                ytd.absence_months += credited_months(&d.valuation);
            }
            Some(DeclarationKind::AnnualReview) => ytd.annual_review_requested = true,
            _ => {}
        }
    }
    Ok(ytd)
}

fn invalid(field: &str, message: String) -> AppError {
    AppError::invalid("invalid_value", message, serde_json::json!([{ "field": field }]))
}

/// Checks the rules leave to us: a year that has begun, and texts that fit their columns.
fn check_basics(input: &DeclarationInput, now: DateTime<Utc>) -> AppResult<()> {
    let current = year_of(now);
    if !(FIRST_YEAR..=current).contains(&input.year) {
        return Err(AppError::invalid(
            "invalid_year",
            format!("申报年度无效 (year must be between {FIRST_YEAR} and {current})"),
            serde_json::json!([{ "field": "year" }]),
        ));
    }
    if input.title.chars().count() > MAX_TEXT_CHARS {
        return Err(invalid("title", format!("标题过长 (title longer than {MAX_TEXT_CHARS} characters)")));
    }
    if input.reference.as_deref().is_some_and(|r| r.chars().count() > MAX_TEXT_CHARS) {
        return Err(invalid("reference", format!("编号过长 (reference longer than {MAX_TEXT_CHARS} characters)")));
    }
    Ok(())
}

/// Values `input` for the learner as it would be valued if filed now.
#[tracing::instrument(skip_all, fields(learner = learner_id))]
pub async fn preview(
    db: &impl ConnectionTrait,
    learner_id: i32,
    input: &DeclarationInput,
    except: Option<i32>,
    now: DateTime<Utc>,
) -> AppResult<(Valuation, Vec<crate::rules::policy::ReviewLevel>)> {
    check_basics(input, now)?;
    let policy = policy_store::policy_for_user(db, learner_id, input.year).await?;
    if policy.review_levels.is_empty() {
        return Err(AppError::Other(anyhow::anyhow!("policy of {} has no review levels", input.year)));
    }
    if input.kind == DeclarationKind::AnnualReview {
        // Only a compliant year is put up for review (审核合格后下载证书).
        crate::archive::summary::ensure_compliant(db, learner_id, input.year).await?;
    }
    let ytd = year_to_date(db, learner_id, input.year, except).await?;
    let valuation = declaration_value::value(&policy, input, &ytd).map_err(|e| {
        let message = format!("申报不符合规定 ({e})");
        match e.field() {
            Some(field) => AppError::invalid(e.code(), message, serde_json::json!([{ "field": field }])),
            None => AppError::unprocessable(e.code(), message),
        }
    })?;
    Ok((valuation, policy.review_levels))
}

/// A second filing of the same achievement, caught by the partial unique index under a race.
fn reference_taken(e: DbErr) -> AppError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::unprocessable("duplicate_reference", "该成果已申报过 (this achievement was already declared)")
        }
        _ => AppError::Db(e),
    }
}

fn json_of<T: serde::Serialize>(value: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| AppError::Other(e.into()))
}

/// The columns a (re)filing sets from the input and its valuation.
fn valued_columns(
    input: &DeclarationInput,
    v: &Valuation,
    levels: &[crate::rules::policy::ReviewLevel],
    org_id: Option<i32>,
    now: DateTime<Utc>,
) -> AppResult<declaration::ActiveModel> {
    let reference_norm = match input.kind {
        DeclarationKind::Achievement => input.reference.as_deref().map(declaration_value::normalize_reference),
        _ => None,
    };
    Ok(declaration::ActiveModel {
        org_id: Set(org_id),
        kind: Set(input.kind.as_str().to_owned()),
        year: Set(input.year),
        title: Set(input.title.trim().to_owned()),
        input: Set(json_of(input)?),
        valuation: Set(json_of(v)?),
        public_hours: Set(v.public),
        professional_hours: Set(v.professional),
        completes_year: Set(v.completes_year),
        reference_norm: Set(reference_norm),
        status: Set(PENDING.to_owned()),
        chain: Set(chain::encode(levels)),
        level: Set(0),
        updated_at: Set(now),
        decided_at: Set(None),
        ..Default::default()
    })
}

async fn insert_evidence(
    db: &impl ConnectionTrait,
    declaration_id: i32,
    files: &[StagedFile],
    now: DateTime<Utc>,
) -> AppResult<()> {
    for f in files {
        declaration_evidence::ActiveModel {
            declaration_id: Set(declaration_id),
            file_key: Set(f.key.hyphenated().to_string()),
            content_type: Set(f.content_type.to_owned()),
            size: Set(i64::try_from(f.size).unwrap_or(i64::MAX)),
            original_name: Set(f.original_name.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn employer_of(user: &AuthUser) -> AppResult<i32> {
    user.org_id.ok_or_else(|| {
        AppError::unprocessable("no_employer", "请先关联工作单位 (your account has no employer to review it)")
    })
}

/// Files a new declaration at the first level of the policy's review chain.
#[tracing::instrument(skip_all, fields(learner = user.id))]
pub async fn submit(state: &AppState, user: &AuthUser, filing: Filing) -> AppResult<declaration::Model> {
    let org_id = employer_of(user)?;
    let now = state.clock.now();
    let (v, levels) = preview(&state.db, user.id, &filing.input, None, now).await?;
    let mut row = valued_columns(&filing.input, &v, &levels, Some(org_id), now)?;
    row.learner_id = Set(user.id);
    row.round = Set(1);
    row.created_at = Set(now);
    let txn = state.db.begin().await?;
    let model = row.insert(&txn).await.map_err(reference_taken)?;
    insert_evidence(&txn, model.id, &filing.evidence.files, now).await?;
    audit::record(&txn, Some(user.id), "declaration.submit", "declaration", &model.id.to_string(), None, now).await?;
    txn.commit().await?;
    filing.evidence.keep();
    Ok(model)
}

/// Corrects a rejected declaration and files it again: revalued, back to the first level,
/// as the next round (earlier rounds' decisions stay on record).
#[tracing::instrument(skip_all, fields(learner = user.id, declaration = id))]
pub async fn resubmit(state: &AppState, user: &AuthUser, id: i32, filing: Filing) -> AppResult<declaration::Model> {
    let org_id = employer_of(user)?;
    let current = declaration::Entity::find_by_id(id).one(&state.db).await?;
    let current = current.filter(|d| d.learner_id == user.id).ok_or(AppError::NotFound)?;
    if current.status != REJECTED {
        return Err(AppError::conflict(
            "not_rejected",
            "只有被退回的申报可以修改 (only a rejected declaration can be corrected)",
        ));
    }
    let existing = declaration_evidence::Entity::find()
        .filter(declaration_evidence::Column::DeclarationId.eq(id))
        .count(&state.db)
        .await?;
    if existing as usize + filing.evidence.files.len() > MAX_FILES {
        return Err(AppError::unprocessable(
            "too_many_files",
            format!("证明材料最多 {MAX_FILES} 个 (at most {MAX_FILES} evidence files)"),
        ));
    }
    let now = state.clock.now();
    let (v, levels) = preview(&state.db, user.id, &filing.input, Some(id), now).await?;
    let mut row = valued_columns(&filing.input, &v, &levels, Some(org_id), now)?;
    row.round = Set(current.round + 1);
    let txn = state.db.begin().await?;
    // Conditional on the state we read, so two resubmissions cannot both start a round.
    let updated = declaration::Entity::update_many()
        .set(row)
        .filter(declaration::Column::Id.eq(id))
        .filter(declaration::Column::Status.eq(REJECTED))
        .filter(declaration::Column::Round.eq(current.round))
        .exec(&txn)
        .await
        .map_err(reference_taken)?;
    if updated.rows_affected != 1 {
        return Err(AppError::conflict("not_rejected", "申报已被修改 (the declaration changed meanwhile)"));
    }
    insert_evidence(&txn, id, &filing.evidence.files, now).await?;
    audit::record(&txn, Some(user.id), "declaration.resubmit", "declaration", &id.to_string(), None, now).await?;
    txn.commit().await?;
    filing.evidence.keep();
    declaration::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)
}
