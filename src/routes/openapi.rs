//! The machine-readable contract, generated from the handlers' annotations, plus the error
//! responses every operation can give (documented once here instead of on every handler).
use actix_web::{HttpResponse, get};
use serde_json::{Value, json};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(info(title = "xueshi API", description = "Continuing-education hours (学时) platform"))]
pub struct ApiDoc;

/// Operations callable without a token; every other one may also answer 401 and 403.
const PUBLIC: [&str; 5] = ["/healthz", "/readyz", "/api/v1/auth/login", "/api/v1/auth/register", "/verify/{code}"];

/// The whole API: every routes module's paths merged.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for part in [
        super::health::Api::openapi(),
        super::auth::Api::openapi(),
        super::admin::Api::openapi(),
        super::archive::Api::openapi(),
        super::declarations::Api::openapi(),
        super::reviews::Api::openapi(),
        super::certificates::Api::openapi(),
        super::question_banks::Api::openapi(),
        super::exams::Api::openapi(),
        super::courses::Api::openapi(),
        super::lectures::Api::openapi(),
        super::media::Api::openapi(),
        super::watching::Api::openapi(),
        super::training_plans::Api::openapi(),
        super::offline_classes::Api::openapi(),
        super::excellent::Api::openapi(),
        super::statistics::Api::openapi(),
        super::sync_admin::Api::openapi(),
    ] {
        doc.merge(part);
    }
    doc
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "stable snake_case code"},
                "message": {"type": "string"},
                "details": {"type": "array"}
            }
        }}
    })
}

/// Adds the shared error responses: 400 malformed, 404 unknown (also path values out of
/// range), 413 body too large, 422 invalid, 503 a dependency down; 401/403 for non-public ones.
pub fn with_error_responses(mut doc: Value) -> Value {
    let error_ref = json!({"$ref": "#/components/schemas/Error"});
    doc["components"]["schemas"]["Error"] = error_schema();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return doc };
    for (path, item) in paths.iter_mut() {
        let Some(ops) = item.as_object_mut() else { continue };
        for op in ops.values_mut() {
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else { continue };
            let mut codes = vec!["400", "404", "413", "422", "503"];
            if !PUBLIC.contains(&path.as_str()) {
                codes.extend(["401", "403"]);
            }
            for code in codes {
                let entry = responses.entry(code).or_insert_with(|| json!({"description": "error"}));
                entry["content"] = json!({"application/json": {"schema": error_ref}});
            }
        }
    }
    doc
}

#[get("/api/openapi.json")]
pub async fn spec() -> HttpResponse {
    let doc = serde_json::to_value(document()).unwrap_or(Value::Null);
    HttpResponse::Ok().json(with_error_responses(doc))
}
