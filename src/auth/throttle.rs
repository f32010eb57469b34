//! Failed-login throttling keyed by the login name's hash, whether or not the account
//! exists: an attacker learns nothing about which ID numbers are registered.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};

use crate::entities::login_throttle as throttle;
use crate::error::{AppError, AppResult};

pub const MAX_FAILURES: i32 = 5;
pub const WINDOW_MINUTES: i64 = 15;
pub const LOCK_MINUTES: i64 = 15;

/// Refuses while the key is locked.
pub async fn check(db: &impl ConnectionTrait, key_hash: &str, now: DateTime<Utc>) -> AppResult<()> {
    let row = throttle::Entity::find_by_id(key_hash.to_owned()).one(db).await?;
    match row.and_then(|r| r.locked_until) {
        Some(until) if until > now => Err(AppError::TooManyAttempts),
        _ => Ok(()),
    }
}

pub async fn record_failure(db: &impl ConnectionTrait, key_hash: &str, now: DateTime<Utc>) -> AppResult<()> {
    let existing = throttle::Entity::find_by_id(key_hash.to_owned()).one(db).await?;
    let (failures, window_start) = match existing {
        Some(r) if now - r.window_start < Duration::minutes(WINDOW_MINUTES) => (r.failures + 1, r.window_start),
        _ => (1, now),
    };
    let locked_until = (failures >= MAX_FAILURES).then(|| now + Duration::minutes(LOCK_MINUTES));
    let row = throttle::ActiveModel {
        key_hash: Set(key_hash.to_owned()),
        failures: Set(if locked_until.is_some() { 0 } else { failures }),
        window_start: Set(window_start),
        locked_until: Set(locked_until),
    };
    throttle::Entity::insert(row)
        .on_conflict(
            OnConflict::column(throttle::Column::KeyHash)
                .update_columns([
                    throttle::Column::Failures,
                    throttle::Column::WindowStart,
                    throttle::Column::LockedUntil,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

pub async fn clear(db: &impl ConnectionTrait, key_hash: &str) -> AppResult<()> {
    throttle::Entity::delete_by_id(key_hash.to_owned()).exec(db).await?;
    Ok(())
}
