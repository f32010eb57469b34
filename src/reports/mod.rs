//! Reports for reviewers (统计报表): yearly completion per employer inside the caller's scope.
pub mod export;

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use crate::{
    archive::{ledger, policy_store},
    auth::AuthUser,
    entities::{credit, user},
    error::AppResult,
    orgs::scope,
    rules::{annual_summary, policy::round_hours},
};

/// Bounds the size of `IN (...)` lists sent to the database.
const CHUNK: usize = 500;

#[derive(Debug, Default, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct AverageShortfall {
    pub public: f64,
    pub professional: f64,
    pub total: f64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EmployerCompletion {
    pub org_id: i32,
    pub name: String,
    pub learners: u32,
    pub compliant: u32,
    /// Mean hours missing per learner (compliant learners count as 0).
    pub average_shortfall: AverageShortfall,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CompletionReport {
    pub year: i32,
    pub employers: Vec<EmployerCompletion>,
}

async fn credits_of(db: &impl ConnectionTrait, learners: &[i32], year: i32) -> AppResult<Vec<credit::Model>> {
    let mut rows = Vec::new();
    for chunk in learners.chunks(CHUNK) {
        rows.extend(
            credit::Entity::find()
                .filter(credit::Column::Year.eq(year))
                .filter(credit::Column::LearnerId.is_in(chunk.iter().copied()))
                .order_by_asc(credit::Column::CreditedAt)
                .order_by_asc(credit::Column::Id)
                .all(db)
                .await?,
        );
    }
    Ok(rows)
}

/// Completion of `year` per employer the caller may see, with the policy of each employer's region.
#[tracing::instrument(skip_all, fields(user = caller.id, year))]
pub async fn completion(db: &impl ConnectionTrait, caller: &AuthUser, year: i32) -> AppResult<CompletionReport> {
    let mut employers = scope::employers_in(db, &scope::visible_orgs(db, caller).await?).await?;
    employers.sort_by_key(|o| o.id);
    let org_ids: Vec<i32> = employers.iter().map(|o| o.id).collect();
    let mut learners: Vec<(i32, Option<i32>)> = Vec::new();
    for chunk in org_ids.chunks(CHUNK) {
        let rows: Vec<(i32, Option<i32>)> = user::Entity::find()
            .select_only()
            .columns([user::Column::Id, user::Column::OrgId])
            .filter(user::Column::Role.eq("learner"))
            .filter(user::Column::OrgId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        learners.extend(rows);
    }
    let ids: Vec<i32> = learners.iter().map(|(id, _)| *id).collect();
    let mut by_learner: HashMap<i32, Vec<annual_summary::Credit>> = HashMap::new();
    for row in credits_of(db, &ids, year).await? {
        if let Some(c) = ledger::to_rule_credit(&row) {
            by_learner.entry(row.learner_id).or_default().push(c);
        }
    }
    let mut policies = HashMap::new();
    let mut report = Vec::with_capacity(employers.len());
    for org in employers {
        if !policies.contains_key(&org.region) {
            policies.insert(org.region.clone(), policy_store::policy_for(db, &org.region, year).await?);
        }
        let policy = &policies[&org.region];
        let mut row = EmployerCompletion {
            org_id: org.id,
            name: org.name,
            learners: 0,
            compliant: 0,
            average_shortfall: AverageShortfall::default(),
        };
        let mut sum = AverageShortfall::default();
        for (id, _) in learners.iter().filter(|(_, o)| *o == Some(org.id)) {
            let s = annual_summary::summarize(policy, year, by_learner.get(id).map(Vec::as_slice).unwrap_or(&[]));
            row.learners += 1;
            row.compliant += u32::from(s.compliant);
            sum.public += s.shortfall.public;
            sum.professional += s.shortfall.professional;
            sum.total += s.shortfall.total;
        }
        if row.learners > 0 {
            let n = f64::from(row.learners);
            row.average_shortfall = AverageShortfall {
                public: round_hours(sum.public / n),
                professional: round_hours(sum.professional / n),
                total: round_hours(sum.total / n),
            };
        }
        report.push(row);
    }
    Ok(CompletionReport { year, employers: report })
}
