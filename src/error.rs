//! The one error type of the HTTP layer, mapped to `{"error": {"code", "message", "details"?}}`
//! in one place. Services return [`AppError`] directly; 500s are logged and opaque.
use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{message}")]
    Unauthorized { code: &'static str, message: String },
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    /// Also used for things the caller may not see, so their existence is not revealed.
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: String, details: Option<Value> },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String, details: Option<Value> },
    #[error("{message}")]
    Locked { code: &'static str, message: String },
    #[error("too many attempts, try again later")]
    TooManyAttempts,
    #[error("service temporarily unavailable")]
    Unavailable(String),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unauthorized { code, message: message.into() }
    }
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::Forbidden { code, message: message.into() }
    }
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict { code, message: message.into(), details: None }
    }
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unprocessable { code, message: message.into(), details: None }
    }
    pub fn invalid(code: &'static str, message: impl Into<String>, details: Value) -> Self {
        Self::Unprocessable { code, message: message.into(), details: Some(details) }
    }
    pub fn locked(code: &'static str, message: impl Into<String>) -> Self {
        Self::Locked { code, message: message.into() }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Conflict { code, .. }
            | Self::Unprocessable { code, .. }
            | Self::Locked { code, .. } => code,
            Self::NotFound => "not_found",
            Self::PayloadTooLarge => "payload_too_large",
            Self::TooManyAttempts => "too_many_attempts",
            Self::Unavailable(_) => "unavailable",
            _ if self.is_unavailable() => "unavailable",
            Self::Db(_) | Self::Other(_) => "internal",
        }
    }

    fn details(&self) -> Option<&Value> {
        match self {
            Self::Conflict { details, .. } | Self::Unprocessable { details, .. } => details.as_ref(),
            _ => None,
        }
    }
}

impl AppError {
    /// A database that does not answer (also one wrapped in `Other`) is a 503 to retry.
    fn is_unavailable(&self) -> bool {
        match self {
            Self::Unavailable(_) => true,
            Self::Db(e) => is_connection_error(e),
            Self::Other(e) => e.downcast_ref::<sea_orm::DbErr>().is_some_and(is_connection_error),
            _ => false,
        }
    }
}

/// A database that does not answer is a 503 the client may retry, not a bug: no connection
/// to be had, or the server went away in the middle of a statement.
fn is_connection_error(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => is_lost_connection(e),
        _ => false,
    }
}

/// I/O on a dropped connection, a pool that gave up, or PostgreSQL's shutdown and
/// connection-exception SQLSTATEs (57P01 admin_shutdown, 57P03 cannot_connect_now, 08xxx).
fn is_lost_connection(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error as E;
    match e {
        E::Io(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed => true,
        E::Database(db) => db.code().is_some_and(|c| c.starts_with("57P") || c.starts_with("08")),
        _ => false,
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorPayload<'a>,
}

#[derive(Serialize)]
struct ErrorPayload<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a Value>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Locked { .. } => StatusCode::LOCKED,
            Self::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ if self.is_unavailable() => StatusCode::SERVICE_UNAVAILABLE,
            Self::Db(_) | Self::Other(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let message = if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
            match status {
                StatusCode::SERVICE_UNAVAILABLE => {
                    "服务暂时不可用，请稍后重试 (service temporarily unavailable)".to_string()
                }
                _ => "内部错误 (internal error)".to_string(),
            }
        } else {
            self.to_string()
        };
        let mut resp = HttpResponse::build(status);
        if status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::TOO_MANY_REQUESTS {
            resp.insert_header(("Retry-After", "5"));
        }
        resp.json(ErrorBody { error: ErrorPayload { code: self.code(), message, details: self.details() } })
    }
}

/// JSON, path and query extractor failures become 400/422 in the same shape.
pub fn json_error_handler(err: actix_web::error::JsonPayloadError, _: &actix_web::HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    match err {
        J::Deserialize(e) => AppError::unprocessable("invalid_body", format!("invalid request body: {e}")).into(),
        J::Overflow { .. } | J::OverflowKnownLength { .. } => AppError::PayloadTooLarge.into(),
        J::ContentType => AppError::BadRequest("expected Content-Type: application/json".into()).into(),
        other => AppError::BadRequest(format!("malformed JSON: {other}")).into(),
    }
}

pub fn path_error_handler(err: actix_web::error::PathError, _: &actix_web::HttpRequest) -> actix_web::Error {
    let _ = err;
    AppError::NotFound.into()
}

pub fn query_error_handler(err: actix_web::error::QueryPayloadError, _: &actix_web::HttpRequest) -> actix_web::Error {
    AppError::BadRequest(format!("invalid query: {err}")).into()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sea_orm::{DbErr, RuntimeErr, sqlx};

    use super::*;

    fn sqlx_err(e: sqlx::Error) -> DbErr {
        DbErr::Query(RuntimeErr::SqlxError(Arc::new(e)))
    }

    #[test]
    fn a_database_gone_away_is_503_unavailable() {
        let cut = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        for e in [sqlx_err(sqlx::Error::Io(cut)), sqlx_err(sqlx::Error::PoolTimedOut)] {
            let e = AppError::Db(e);
            assert_eq!((e.status_code(), e.code()), (StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
        }
        let wrapped = AppError::Other(anyhow::Error::new(sqlx_err(sqlx::Error::PoolClosed)));
        assert_eq!(wrapped.status_code(), StatusCode::SERVICE_UNAVAILABLE);
    }

    #[test]
    fn other_database_errors_stay_500() {
        let e = AppError::Db(DbErr::Custom("bad row".into()));
        assert_eq!((e.status_code(), e.code()), (StatusCode::INTERNAL_SERVER_ERROR, "internal"));
        let e = AppError::Db(sqlx_err(sqlx::Error::RowNotFound));
        assert_eq!(e.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
