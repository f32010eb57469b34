//! The audit log: who did what, to what, when and why. Append-only.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use crate::{entities::audit_log, error::AppResult};

pub async fn record(
    db: &impl ConnectionTrait,
    actor_id: Option<i32>,
    action: &str,
    target_kind: &str,
    target_id: &str,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> AppResult<()> {
    audit_log::ActiveModel {
        actor_id: Set(actor_id),
        action: Set(action.to_owned()),
        target_kind: Set(target_kind.to_owned()),
        target_id: Set(target_id.to_owned()),
        reason: Set(reason.map(str::to_owned)),
        detail: Set(None),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
