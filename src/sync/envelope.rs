//! The JSON body the province receives for one outbox record.
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::{Value, json};

use crate::{
    entities::{outbox, user},
    error::{AppError, AppResult},
    identity::pii::PiiVault,
};

/// `{"kind", "idempotency_key", "created_at", "data", "person"?}`. When the payload names a
/// `learner_id`, `person` carries that learner's ID number and name, decrypted only now, so
/// the outbox table itself never holds them in plaintext.
pub async fn build(db: &impl ConnectionTrait, pii: &PiiVault, record: &outbox::Model) -> AppResult<Value> {
    let mut body = json!({
        "kind": record.kind,
        "idempotency_key": record.idempotency_key,
        "created_at": record.created_at,
        "data": record.payload,
    });
    if let Some(learner_id) = record.payload.get("learner_id").and_then(Value::as_i64) {
        body["person"] = person(db, pii, learner_id).await?;
    }
    Ok(body)
}

async fn person(db: &impl ConnectionTrait, pii: &PiiVault, learner_id: i64) -> AppResult<Value> {
    let id = i32::try_from(learner_id).map_err(|_| AppError::NotFound)?;
    let u = user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let id_number = match u.id_number_enc.as_deref() {
        Some(enc) => Some(pii.decrypt(enc).map_err(|e| AppError::Other(e.into()))?),
        None => None,
    };
    Ok(json!({"id_number": id_number, "name": u.name}))
}
