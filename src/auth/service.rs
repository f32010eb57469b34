//! Login, registration, password changes and account creation.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};

use super::{Role, throttle};
use crate::{
    entities::{org, user},
    error::{AppError, AppResult},
    rules::id_number::IdNumber,
    state::AppState,
};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserSummary {
    pub id: i32,
    pub role: Role,
    pub name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoginOutcome {
    pub token: String,
    pub user: UserSummary,
    pub must_change_password: bool,
}

fn invalid_credentials() -> AppError {
    AppError::unauthorized("invalid_credentials", "账号或密码错误 (wrong username or password)")
}

/// The unique login key: learners by the keyed hash of their ID number, staff by username.
pub fn login_key(state: &AppState, username: &str) -> String {
    match IdNumber::parse(username) {
        Ok(id) => format!("id:{}", state.pii.lookup_hash(id.as_str())),
        Err(_) => format!("u:{}", username.trim().to_lowercase()),
    }
}

#[tracing::instrument(skip_all)]
pub async fn login(state: &AppState, username: &str, password: &str, now: DateTime<Utc>) -> AppResult<LoginOutcome> {
    let key = login_key(state, username);
    let throttle_key = state.pii.lookup_hash(&key);
    throttle::check(&state.db, &throttle_key, now).await?;
    let found = user::Entity::find().filter(user::Column::LoginKey.eq(&key)).one(&state.db).await?;
    let ok = state.hasher.verify(password.to_owned(), found.as_ref().map(|u| u.password_hash.clone())).await;
    let user = match found {
        Some(u) if ok && !u.disabled => u,
        _ => {
            throttle::record_failure(&state.db, &throttle_key, now).await?;
            return Err(invalid_credentials());
        }
    };
    throttle::clear(&state.db, &throttle_key).await?;
    let role = Role::parse(&user.role).ok_or_else(|| AppError::Other(anyhow::anyhow!("unknown role")))?;
    let token = state.jwt.issue(user.id, user.token_version, now).map_err(|e| AppError::Other(e.into()))?;
    Ok(LoginOutcome {
        token,
        must_change_password: user.must_change_password,
        user: UserSummary { id: user.id, role, name: user.name },
    })
}

/// Minimum password rules; the old platforms' "last six digits of the ID" is refused outright.
pub fn check_new_password(password: &str, id_number: Option<&str>) -> AppResult<()> {
    let len = password.chars().count();
    if !(8..=128).contains(&len) {
        return Err(AppError::unprocessable(
            "weak_password",
            "密码长度须为 8–128 位 (password must be 8-128 characters)",
        ));
    }
    if let Some(id) = id_number
        && (id.ends_with(password) || password.contains(&id[id.len().saturating_sub(6)..]))
    {
        return Err(AppError::unprocessable(
            "weak_password",
            "密码不能包含身份证号后六位 (password must not contain the ID number's last six digits)",
        ));
    }
    if password.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::unprocessable("weak_password", "密码不能全为数字 (password must not be digits only)"));
    }
    Ok(())
}

fn decrypt_id(state: &AppState, u: &user::Model) -> AppResult<Option<String>> {
    u.id_number_enc.as_deref().map(|enc| state.pii.decrypt(enc).map_err(|e| AppError::Other(e.into()))).transpose()
}

#[tracing::instrument(skip_all, fields(user_id))]
pub async fn change_password(state: &AppState, user_id: i32, old: &str, new: &str) -> AppResult<()> {
    let u = user::Entity::find_by_id(user_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    if !state.hasher.verify(old.to_owned(), Some(u.password_hash.clone())).await {
        return Err(invalid_credentials());
    }
    if old == new {
        return Err(AppError::unprocessable("weak_password", "新密码不能与旧密码相同 (new password must differ)"));
    }
    check_new_password(new, decrypt_id(state, &u)?.as_deref())?;
    let hash = state.hasher.hash(new.to_owned()).await.map_err(|e| AppError::Other(e.into()))?;
    let version = u.token_version;
    let mut am = u.into_active_model();
    am.password_hash = Set(hash);
    am.must_change_password = Set(false);
    am.token_version = Set(version + 1);
    am.update(&state.db).await?;
    Ok(())
}

/// Logging out invalidates every token issued so far.
pub async fn logout(state: &AppState, user_id: i32) -> AppResult<()> {
    user::Entity::update_many()
        .col_expr(user::Column::TokenVersion, Expr::col(user::Column::TokenVersion).add(1))
        .filter(user::Column::Id.eq(user_id))
        .exec(&state.db)
        .await?;
    Ok(())
}

pub struct NewUser {
    pub username: String,
    pub name: String,
    pub role: Role,
    pub org_id: Option<i32>,
    pub password: String,
    pub phone: Option<String>,
    pub must_change_password: bool,
}

/// Creates an account. For learners the username is the resident ID number (validated).
#[tracing::instrument(skip_all, fields(role = ?new.role))]
pub async fn create_user(state: &AppState, new: NewUser, now: DateTime<Utc>) -> AppResult<user::Model> {
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(AppError::unprocessable(
            "invalid_name",
            "姓名不能为空且不超过 64 字 (name required, at most 64 characters)",
        ));
    }
    let (login_key, username, id_enc, id_hmac) = if new.role == Role::Learner {
        let id = IdNumber::parse(&new.username).map_err(|e| {
            AppError::unprocessable("invalid_id_number", format!("身份证号无效 (invalid resident ID number): {e}"))
        })?;
        check_new_password(&new.password, Some(id.as_str()))?;
        let h = state.pii.lookup_hash(id.as_str());
        (format!("id:{h}"), None, Some(state.pii.encrypt(id.as_str())), Some(h))
    } else {
        let u = new.username.trim().to_lowercase();
        if u.is_empty() || u.len() > 64 || !u.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
            return Err(AppError::unprocessable(
                "invalid_username",
                "用户名只能包含字母、数字和 _.- (invalid username)",
            ));
        }
        check_new_password(&new.password, None)?;
        (format!("u:{u}"), Some(u), None, None)
    };
    check_org_for_role(state, new.role, new.org_id).await?;
    let hash = state.hasher.hash(new.password).await.map_err(|e| AppError::Other(e.into()))?;
    let am = user::ActiveModel {
        login_key: Set(login_key),
        username: Set(username),
        id_number_enc: Set(id_enc),
        id_number_hmac: Set(id_hmac),
        name: Set(name),
        phone: Set(new.phone),
        role: Set(new.role.as_str().to_owned()),
        org_id: Set(new.org_id),
        password_hash: Set(hash),
        must_change_password: Set(new.must_change_password),
        token_version: Set(0),
        disabled: Set(false),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    let txn = state.db.begin().await?;
    let created = am.insert(&txn).await.map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::conflict("already_registered", "该账号已注册 (already registered)")
        }
        _ => AppError::Db(e),
    })?;
    if new.role == Role::Learner {
        let payload = serde_json::json!({
            "learner_id": created.id, "employer_id": created.org_id, "registered_at": created.created_at,
        });
        let key = format!("registration:{}", created.id);
        crate::sync::enqueue(&txn, crate::sync::OutboxKind::Registration, &key, payload, now).await?;
    }
    txn.commit().await?;
    Ok(created)
}

async fn check_org_for_role(state: &AppState, role: Role, org_id: Option<i32>) -> AppResult<()> {
    let Some(kind) = role.org_kind() else {
        return Ok(());
    };
    let org_id = org_id.ok_or_else(|| AppError::unprocessable("invalid_org", "须指定所属单位 (org_id required)"))?;
    let org = org::Entity::find_by_id(org_id).one(&state.db).await?;
    match org {
        Some(o) if o.kind == kind => Ok(()),
        _ => Err(AppError::unprocessable(
            "invalid_org",
            format!("所属单位须为 {kind} 类型 (org must be an existing {kind})"),
        )),
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RegisterRequest {
    pub id_number: String,
    pub name: String,
    pub password: String,
    pub phone: Option<String>,
    pub employer_id: i32,
}

/// Self-registration: the learner chose this password, so no forced change.
pub async fn register(state: &AppState, req: RegisterRequest, now: DateTime<Utc>) -> AppResult<user::Model> {
    if let Some(p) = &req.phone
        && (p.len() > 20 || !p.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+'))
    {
        return Err(AppError::unprocessable("invalid_phone", "手机号格式错误 (invalid phone number)"));
    }
    let new = NewUser {
        username: req.id_number,
        name: req.name,
        role: Role::Learner,
        org_id: Some(req.employer_id),
        password: req.password,
        phone: req.phone,
        must_change_password: false,
    };
    create_user(state, new, now).await
}

/// What a user may see of themselves (their own ID number unmasked).
pub async fn id_number_of(state: &AppState, u: &user::Model) -> AppResult<Option<String>> {
    decrypt_id(state, u)
}

/// A fresh token for a user who just proved who they are (e.g. right after a password change).
pub async fn login_by_id(state: &AppState, user_id: i32, now: DateTime<Utc>) -> AppResult<String> {
    let u = user::Entity::find_by_id(user_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    state.jwt.issue(u.id, u.token_version, now).map_err(|e| AppError::Other(e.into()))
}
