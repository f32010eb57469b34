//! Yearly summaries and the five-year window, read from the raw ledger with the policy's caps.
use sea_orm::ConnectionTrait;
use serde::Serialize;

use super::{ledger, policy_store};
use crate::{
    entities::credit,
    error::{AppError, AppResult},
    rules::{
        annual_summary::{self, AnnualSummary, TitleWindow},
        policy::AnnualRequirement,
    },
};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArchiveRecord {
    pub source: String,
    pub source_id: String,
    pub title: String,
    pub category: String,
    pub hours: f64,
    pub credited_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Requirement {
    pub public: f64,
    pub professional: f64,
    pub total: f64,
}

impl From<AnnualRequirement> for Requirement {
    fn from(r: AnnualRequirement) -> Self {
        Self { public: r.public, professional: r.professional, total: r.total }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct YearArchive {
    pub year: i32,
    pub public_hours: f64,
    pub professional_hours: f64,
    pub total_hours: f64,
    pub required_public_hours: f64,
    pub elective_public_hours: f64,
    pub required: Requirement,
    pub compliant: bool,
    pub shortfall: Requirement,
    /// Years up to 2019 were judged in credits (学分), not hours.
    pub credit_system: bool,
    pub records: Vec<ArchiveRecord>,
}

fn summarize(policy: &crate::rules::policy::Policy, year: i32, rows: &[credit::Model]) -> AnnualSummary {
    let credits: Vec<_> = rows.iter().filter(|r| r.year == year).filter_map(ledger::to_rule_credit).collect();
    annual_summary::summarize(policy, year, &credits)
}

pub async fn year_summary(db: &impl ConnectionTrait, learner_id: i32, year: i32) -> AppResult<AnnualSummary> {
    let policy = policy_store::policy_for_user(db, learner_id, year).await?;
    let rows = ledger::credits_for(db, learner_id, year).await?;
    Ok(summarize(&policy, year, &rows))
}

/// The year's summary when it is compliant; otherwise 409 `not_compliant` with the shortfall,
/// the answer shared by certificates and annual reviews.
pub async fn ensure_compliant(db: &impl ConnectionTrait, learner_id: i32, year: i32) -> AppResult<AnnualSummary> {
    let s = year_summary(db, learner_id, year).await?;
    if s.compliant {
        return Ok(s);
    }
    Err(AppError::Conflict {
        code: "not_compliant",
        message: "本年度学时未达标 (the year's hours are not yet compliant)".into(),
        details: Some(serde_json::json!({
            "public": s.shortfall.public, "professional": s.shortfall.professional, "total": s.shortfall.total
        })),
    })
}

pub async fn year_archive(db: &impl ConnectionTrait, learner_id: i32, year: i32) -> AppResult<YearArchive> {
    let policy = policy_store::policy_for_user(db, learner_id, year).await?;
    let rows = ledger::credits_for(db, learner_id, year).await?;
    let s = summarize(&policy, year, &rows);
    let records = rows
        .into_iter()
        .map(|r| ArchiveRecord {
            source: r.source_kind,
            source_id: r.source_id,
            title: r.title,
            category: r.category,
            hours: r.hours,
            credited_at: r.credited_at,
        })
        .collect();
    Ok(YearArchive {
        year,
        public_hours: s.public_hours,
        professional_hours: s.professional_hours,
        total_hours: s.total_hours,
        required_public_hours: s.required_public_hours,
        elective_public_hours: s.elective_public_hours,
        required: s.required.into(),
        compliant: s.compliant,
        shortfall: Requirement {
            public: s.shortfall.public,
            professional: s.shortfall.professional,
            total: s.shortfall.total,
        },
        credit_system: s.credit_system,
        records,
    })
}

/// The title-application window (Qingdao 2023): the year and the four before it.
pub async fn five_year(db: &impl ConnectionTrait, learner_id: i32, until: i32) -> AppResult<TitleWindow> {
    let region = policy_store::region_of_user(db, learner_id).await?;
    let policy = policy_store::policy_for(db, &region, until).await?;
    let years = annual_summary::window_years(&policy, until, None);
    let rows = ledger::credits_between(db, learner_id, *years.start(), *years.end()).await?;
    let mut summaries = Vec::new();
    for y in years {
        let p = policy_store::policy_for(db, &region, y).await?;
        summaries.push(summarize(&p, y, &rows));
    }
    Ok(annual_summary::five_year_window(&policy, until, None, &summaries))
}
