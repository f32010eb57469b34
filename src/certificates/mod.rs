//! Yearly certificates (电子证书): issued once a year is compliant, verifiable by anyone with
//! the code or its QR code, showing only masked personal data, and revocable by the HR bureau.
pub mod code;
pub mod page;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::Expr,
};
use serde::Serialize;

use crate::{
    archive::{policy_store, summary},
    audit,
    auth::{AuthUser, service::id_number_of},
    entities::certificate,
    error::{AppError, AppResult},
    orgs::scope,
    rules::{id_number::IdNumber, masking::mask_name},
    state::AppState,
    users,
};

pub const VALID: &str = "valid";
pub const REVOKED: &str = "revoked";
const CODE_ATTEMPTS: usize = 3;

/// What the public verification shows — and nothing more.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Verification {
    pub name_masked: String,
    pub id_number_masked: String,
    pub year: i32,
    pub public_hours: f64,
    pub professional_hours: f64,
    pub total_hours: f64,
    pub issued_at: chrono::DateTime<chrono::Utc>,
    /// `valid` or `revoked`.
    pub status: String,
}

impl From<&certificate::Model> for Verification {
    fn from(c: &certificate::Model) -> Self {
        Self {
            name_masked: c.name_masked.clone(),
            id_number_masked: c.id_number_masked.clone(),
            year: c.year,
            public_hours: c.public_hours,
            professional_hours: c.professional_hours,
            total_hours: c.total_hours,
            issued_at: c.issued_at,
            status: c.status.clone(),
        }
    }
}

pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> AppResult<certificate::Model> {
    if !code::is_well_formed(code) {
        return Err(AppError::NotFound);
    }
    certificate::Entity::find().filter(certificate::Column::Code.eq(code)).one(db).await?.ok_or(AppError::NotFound)
}

async fn valid_for(db: &impl ConnectionTrait, learner_id: i32, year: i32) -> AppResult<Option<certificate::Model>> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::LearnerId.eq(learner_id))
        .filter(certificate::Column::Year.eq(year))
        .filter(certificate::Column::Status.eq(VALID))
        .one(db)
        .await?)
}

/// The learner's valid certificates, one per year at most.
pub async fn valid_of_learner(db: &impl ConnectionTrait, learner_id: i32) -> AppResult<Vec<certificate::Model>> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::LearnerId.eq(learner_id))
        .filter(certificate::Column::Status.eq(VALID))
        .all(db)
        .await?)
}

/// The year's valid certificate, issued now if the year is compliant; `bool`: newly issued.
#[tracing::instrument(skip_all, fields(learner = learner.id, year))]
pub async fn issue(state: &AppState, learner: &AuthUser, year: i32) -> AppResult<(certificate::Model, bool)> {
    let db = &state.db;
    if let Some(existing) = valid_for(db, learner.id, year).await? {
        return Ok((existing, false));
    }
    let s = summary::ensure_compliant(db, learner.id, year).await?;
    let policy = policy_store::policy_for_user(db, learner.id, year).await?;
    if policy.certificate_requires_review && !crate::declarations::annual_review_approved(db, learner.id, year).await? {
        return Err(AppError::conflict(
            "review_required",
            "本年度学时尚未审验通过，审验通过后才能出具证书 (the year must pass its annual review first)",
        ));
    }
    let user = users::find(db, learner.id).await?;
    let id_number_masked = id_number_of(state, &user)
        .await?
        .and_then(|n| IdNumber::parse(&n).ok())
        .map(|n| n.masked())
        .unwrap_or_default();
    let region = policy_store::region_of_user(db, learner.id).await?;
    let now = state.clock.now();
    for _ in 0..CODE_ATTEMPTS {
        let row = certificate::ActiveModel {
            code: Set(code::generate()),
            learner_id: Set(learner.id),
            year: Set(year),
            public_hours: Set(s.public_hours),
            professional_hours: Set(s.professional_hours),
            total_hours: Set(s.total_hours),
            name_masked: Set(mask_name(&user.name)),
            id_number_masked: Set(id_number_masked.clone()),
            issuer: Set(format!("{region}人力资源和社会保障局")),
            status: Set(VALID.to_owned()),
            issued_at: Set(now),
            ..Default::default()
        };
        let txn = db.begin().await?;
        match row.insert(&txn).await {
            Ok(cert) => {
                audit::record(&txn, Some(learner.id), "certificate.issue", "certificate", &cert.code, None, now)
                    .await?;
                // The province learns of the certificate through the outbox, in the same transaction.
                let payload = serde_json::json!({
                    "learner_id": cert.learner_id, "year": cert.year, "code": cert.code,
                    "public_hours": cert.public_hours, "professional_hours": cert.professional_hours,
                    "total_hours": cert.total_hours,
                });
                crate::sync::enqueue(
                    &txn,
                    crate::sync::OutboxKind::Certificate,
                    &format!("certificate:{}", cert.code),
                    payload,
                    now,
                )
                .await?;
                txn.commit().await?;
                return Ok((cert, true));
            }
            Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
                txn.rollback().await?;
                // A concurrent request issued it first, or (astronomically rarely) the code existed.
                if let Some(existing) = valid_for(db, learner.id, year).await? {
                    return Ok((existing, false));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Other(anyhow::anyhow!("no free certificate code after {CODE_ATTEMPTS} attempts")))
}

/// May `user` open the printable certificate: its owner, or a reviewer whose scope holds them.
pub async fn may_print(db: &impl ConnectionTrait, user: &AuthUser, cert: &certificate::Model) -> AppResult<bool> {
    if cert.learner_id == user.id {
        return Ok(true);
    }
    let learner = users::find(db, cert.learner_id).await?;
    Ok(user.role.is_reviewer() && scope::can_see_org(db, user, learner.org_id).await?)
}

/// Revokes a certificate (HR admin whose scope holds the learner); the reason is audited.
#[tracing::instrument(skip_all, fields(admin = admin.id))]
pub async fn revoke(state: &AppState, admin: &AuthUser, code: &str, reason: &str) -> AppResult<certificate::Model> {
    let db = &state.db;
    let cert = by_code(db, code).await?;
    let learner = users::find(db, cert.learner_id).await?;
    if !scope::can_see_org(db, admin, learner.org_id).await? {
        return Err(AppError::NotFound);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::unprocessable("reason_required", "请说明撤销理由 (a reason is required)"));
    }
    if cert.status != VALID {
        return Err(AppError::conflict("already_revoked", "证书已撤销 (certificate already revoked)"));
    }
    let now = state.clock.now();
    let txn = db.begin().await?;
    let res = certificate::Entity::update_many()
        .col_expr(certificate::Column::Status, Expr::value(REVOKED))
        .col_expr(certificate::Column::RevokedAt, Expr::value(now))
        .col_expr(certificate::Column::RevokedBy, Expr::value(admin.id))
        .col_expr(certificate::Column::RevokeReason, Expr::value(reason))
        .filter(certificate::Column::Id.eq(cert.id))
        .filter(certificate::Column::Status.eq(VALID))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict("already_revoked", "证书已撤销 (certificate already revoked)"));
    }
    audit::record(&txn, Some(admin.id), "certificate.revoke", "certificate", &cert.code, Some(reason), now).await?;
    txn.commit().await?;
    by_code(db, code).await
}
