//! Requests to xueshi, each named by its operation so goose aggregates them per operation.

use goose::prelude::*;
use serde_json::Value;

pub type Failure = Box<TransactionError>;

pub fn fail(message: impl Into<String>) -> Failure {
    Box::new(TransactionError::Custom(message.into()))
}

/// Sends one request and returns its status and JSON body (`Null` when there is none).
/// A non-2xx answer is counted as a failure by goose and returned here as an error.
pub async fn call(
    user: &mut GooseUser,
    method: GooseMethod,
    path: &str,
    name: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Result<Value, Failure> {
    let mut builder = user.get_request_builder(&method, path)?;
    if let Some(token) = token {
        builder = builder.bearer_auth(token);
    }
    if let Some(body) = body {
        builder = builder.header("content-type", "application/json").body(body.to_string());
    }
    let request = GooseRequest::builder().method(method).path(path).name(name).set_request_builder(builder).build();
    let goose = user.request(request).await?;
    let response = goose.response.map_err(|e| fail(format!("{name}: {e}")))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| fail(format!("{name}: {e}")))?;
    if !status.is_success() {
        return Err(fail(format!("{name}: {status} {text}")));
    }
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A field of a JSON answer, or a failure naming it.
pub fn field<'a>(value: &'a Value, name: &str) -> Result<&'a Value, Failure> {
    value.get(name).ok_or_else(|| fail(format!("answer without {name}: {value}")))
}

pub fn str_field(value: &Value, name: &str) -> Result<String, Failure> {
    field(value, name)?.as_str().map(str::to_owned).ok_or_else(|| fail(format!("{name} is not a string")))
}

pub fn num_field(value: &Value, name: &str) -> Result<f64, Failure> {
    field(value, name)?.as_f64().ok_or_else(|| fail(format!("{name} is not a number")))
}
