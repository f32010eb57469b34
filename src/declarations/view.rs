//! What owners and reviewers see of declarations, and who may see them: the owner, and
//! reviewers whose scope holds the learner's employer. Anyone else gets 404.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use super::{chain, evidence};
use crate::{
    auth::AuthUser,
    entities::{declaration, declaration_evidence, declaration_review, user},
    error::{AppError, AppResult},
    orgs::scope,
    state::AppState,
};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Computed {
    pub public: f64,
    pub professional: f64,
    /// The year counts as complete once approved (pandemic front line).
    pub completes_year: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeclarationSummary {
    pub id: i32,
    pub learner_id: i32,
    pub learner_name: String,
    pub kind: String,
    pub year: i32,
    pub title: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// The level deciding now (`employer`, `department`, `hr_bureau`); null once decided.
    pub level: Option<String>,
    pub round: i32,
    pub computed: Computed,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One reviewer's decision (谁审核，谁负责): who, at which level, what, why and when.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DecisionView {
    pub reviewer_id: i32,
    pub reviewer_name: String,
    pub round: i32,
    pub level: String,
    pub decision: String,
    pub comment: Option<String>,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvidenceView {
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub url: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeclarationView {
    #[serde(flatten)]
    pub summary: DeclarationSummary,
    /// The declaration as filed (kind-specific fields).
    #[schema(value_type = Object)]
    pub input: serde_json::Value,
    /// Why the valuation is less than claimed (caps, pro rata): a list of notes.
    #[schema(value_type = Vec<Object>)]
    pub notes: serde_json::Value,
    pub chain: Vec<String>,
    pub evidence: Vec<EvidenceView>,
    pub decisions: Vec<DecisionView>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// May `user` see declarations of a learner employed by `org_id`?
pub async fn may_see(db: &impl ConnectionTrait, user: &AuthUser, d: &declaration::Model) -> AppResult<bool> {
    if d.learner_id == user.id {
        return Ok(true);
    }
    Ok(user.role.is_reviewer() && scope::can_see_org(db, user, d.org_id).await?)
}

/// The declaration if `user` may see it, else 404 (existence is not revealed).
pub async fn find_visible(db: &impl ConnectionTrait, user: &AuthUser, id: i32) -> AppResult<declaration::Model> {
    let d = declaration::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if may_see(db, user, &d).await? { Ok(d) } else { Err(AppError::NotFound) }
}

async fn names(db: &impl ConnectionTrait, ids: impl IntoIterator<Item = i32>) -> AppResult<HashMap<i32, String>> {
    let ids: Vec<i32> = ids.into_iter().collect();
    let rows: Vec<(i32, String)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Name])
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

fn summary_of(d: &declaration::Model, learner_name: String) -> DeclarationSummary {
    DeclarationSummary {
        id: d.id,
        learner_id: d.learner_id,
        learner_name,
        kind: d.kind.clone(),
        year: d.year,
        title: d.title.clone(),
        status: d.status.clone(),
        level: chain::current_level(&d.status, &d.chain, d.level).map(|l| chain::level_name(l).to_owned()),
        round: d.round,
        computed: Computed {
            public: d.public_hours,
            professional: d.professional_hours,
            completes_year: d.completes_year,
        },
        created_at: d.created_at,
        updated_at: d.updated_at,
    }
}

pub async fn summaries(db: &impl ConnectionTrait, rows: &[declaration::Model]) -> AppResult<Vec<DeclarationSummary>> {
    let names = names(db, rows.iter().map(|d| d.learner_id)).await?;
    Ok(rows.iter().map(|d| summary_of(d, names.get(&d.learner_id).cloned().unwrap_or_default())).collect())
}

/// The learner's own declarations, newest first.
pub async fn mine(db: &impl ConnectionTrait, learner_id: i32) -> AppResult<Vec<DeclarationSummary>> {
    let rows = declaration::Entity::find()
        .filter(declaration::Column::LearnerId.eq(learner_id))
        .order_by_desc(declaration::Column::CreatedAt)
        .order_by_desc(declaration::Column::Id)
        .all(db)
        .await?;
    summaries(db, &rows).await
}

/// Everything about one declaration, with every decision of every round.
pub async fn detail(db: &impl ConnectionTrait, d: declaration::Model) -> AppResult<DeclarationView> {
    let files = declaration_evidence::Entity::find()
        .filter(declaration_evidence::Column::DeclarationId.eq(d.id))
        .order_by_asc(declaration_evidence::Column::Id)
        .all(db)
        .await?;
    let reviews = declaration_review::Entity::find()
        .filter(declaration_review::Column::DeclarationId.eq(d.id))
        .order_by_asc(declaration_review::Column::Id)
        .all(db)
        .await?;
    let names = names(db, reviews.iter().map(|r| r.reviewer_id).chain([d.learner_id])).await?;
    let name = |id: i32| names.get(&id).cloned().unwrap_or_default();
    let evidence = files
        .into_iter()
        .map(|f| EvidenceView {
            url: format!("/api/v1/declarations/{}/evidence/{}", d.id, f.file_key),
            id: f.file_key,
            name: f.original_name,
            content_type: f.content_type,
            size: f.size,
        })
        .collect();
    let decisions = reviews
        .into_iter()
        .map(|r| DecisionView {
            reviewer_name: name(r.reviewer_id),
            reviewer_id: r.reviewer_id,
            round: r.round,
            level: r.level_name,
            decision: r.decision,
            comment: r.comment,
            decided_at: r.decided_at,
        })
        .collect();
    let notes = d.valuation.get("notes").cloned().unwrap_or(serde_json::Value::Array(Vec::new()));
    Ok(DeclarationView {
        summary: summary_of(&d, name(d.learner_id)),
        input: d.input.clone(),
        notes,
        chain: chain::decode(&d.chain).into_iter().map(|l| chain::level_name(l).to_owned()).collect(),
        evidence,
        decisions,
        decided_at: d.decided_at,
    })
}

/// An evidence file's content type and bytes, for the owner and reviewers in scope only.
#[tracing::instrument(skip_all, fields(declaration = id))]
pub async fn evidence_file(state: &AppState, user: &AuthUser, id: i32, key: &str) -> AppResult<(String, Vec<u8>)> {
    let d = find_visible(&state.db, user, id).await?;
    let file = declaration_evidence::Entity::find()
        .filter(declaration_evidence::Column::DeclarationId.eq(d.id))
        .filter(declaration_evidence::Column::FileKey.eq(key))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let path = evidence::path_of(&state.settings.data_dir, &file.file_key).ok_or(AppError::NotFound)?;
    let bytes = tokio::fs::read(&path).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => AppError::NotFound,
        _ => AppError::Other(anyhow::anyhow!("evidence unreadable: {e}")),
    })?;
    Ok((file.content_type, bytes))
}
