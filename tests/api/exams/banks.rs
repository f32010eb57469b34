//! Bank import: every sample imports, every bad fixture is refused with where and why, and a
//! refused file leaves nothing behind.
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use xueshi::entities::{question, question_bank};

use super::world::*;
use crate::both_backends;
use crate::helpers::*;

async fn samples_import_as_versions(backend: Backend) {
    let app = spawn_app(backend).await;
    for file in [
        "intellectual_property.json",
        "network_security.json",
        "emergency_management.json",
        "emergency_management.csv",
        "professional_ethics.json",
        "professional_ethics.xlsx",
    ] {
        let r = import(&app, file, sample(file), file).await;
        assert_eq!(r.status(), StatusCode::CREATED, "{file}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            (v["version"].clone(), v["questions"].clone(), v["status"].clone()),
            (json!(1), json!(16), json!("draft"))
        );
    }
    // The same name again is the next version; the TOML holds the same 16 questions.
    let r = import(&app, "network_security.toml", sample("network_security.toml"), "network_security.json").await;
    let v: Value = r.json().await.unwrap();
    assert_eq!((v["version"].clone(), v["questions"].clone()), (json!(2), json!(16)));
    let list: Value = app.get("/api/v1/question-banks", Some(&app.admin_token)).await.json().await.unwrap();
    let banks = list["banks"].as_array().unwrap();
    assert_eq!(banks.len(), 7);
    assert!(banks.iter().all(|b| b["status"] == "draft" && b["question_count"] == 16));
    let id = v["id"].as_i64().unwrap();
    let r = app.post(&format!("/api/v1/question-banks/{id}/publish"), Some(&app.admin_token), json!({})).await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "published"}));
    // Publishing again changes nothing; an unknown bank is 404.
    let r = app.post(&format!("/api/v1/question-banks/{id}/publish"), Some(&app.admin_token), json!({})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.post("/api/v1/question-banks/9999/publish", Some(&app.admin_token), json!({})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(question::Entity::find().count(&app.app_state.db).await.unwrap(), 7 * 16);
}
both_backends!(sample_banks_import_as_versions, samples_import_as_versions);

/// Uploads a bad file and returns its error details (after checking the 422 and code).
async fn refused(app: &TestApp, file: &str) -> Vec<Value> {
    let r = import(app, file, fixture(file), "坏题库").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{file}");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "invalid_bank", "{file}");
    v["error"]["details"].as_array().unwrap().clone()
}

fn lines(details: &[Value]) -> Vec<i64> {
    details.iter().map(|d| d["line"].as_i64().unwrap_or(-1)).collect()
}

async fn bad_banks_import_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let all = refused(&app, "all_errors.csv").await;
    assert_eq!(lines(&all), [3, 5, 6, 7, 8, 9, 11, 12, 13, 13]);
    assert!(all.iter().any(|d| d["message"] == "difficulty 9 must be between 1 and 5"));
    assert_eq!(refused(&app, "missing_answer.csv").await, [json!({"line": 2, "message": "missing answer (答案)"})]);
    assert_eq!(refused(&app, "empty_stem.csv").await, [json!({"line": 2, "message": "empty stem (题干)"})]);
    let dup = refused(&app, "duplicate.toml").await;
    assert_eq!(dup, [json!({"line": 6, "message": "question 2: duplicate question: same stem as question 1"})]);
    let wrong = refused(&app, "answer_not_in_options.json").await;
    assert_eq!(wrong, [json!({"message": "question 1: answer E is not among the options"})]);
    assert!(refused(&app, "wrong_kind.json").await[0]["message"].as_str().unwrap().contains("unknown kind 'essay'"));
    let formula = refused(&app, "formula.xlsx").await;
    let rows: Vec<i64> = formula.iter().map(|d| d["row"].as_i64().unwrap()).collect();
    assert_eq!(rows, [3, 3]);
    assert!(formula[0]["message"].as_str().unwrap().starts_with("cell E3 contains a formula"));
    let huge = refused(&app, "huge_dimension.xlsx").await;
    assert!(huge[0]["message"].as_str().unwrap().starts_with("the sheet spans 1048576 rows"));
    let lying = refused(&app, "lying_dimension.xlsx").await;
    assert!(lying[0]["message"].as_str().unwrap().starts_with("cell XFD1048576 lies outside"));
    assert!(refused(&app, "zip_bomb.xlsx").await[0]["message"].as_str().unwrap().contains("more than 100:1"));
    assert!(refused(&app, "zip_bomb_lying_sizes.xlsx").await[0]["message"].as_str().unwrap().starts_with("corrupt"));
    // The empty template has the right layout but no questions.
    let r = import(&app, "template.xlsx", sample("template.xlsx"), "空模板").await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_bank".into()));
    let r = import(&app, "bank.xls", sample("intellectual_property.json"), "旧格式").await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_bank".into()));
    // All or nothing: not one bank or question was stored by any of the refusals.
    let db = &app.app_state.db;
    assert_eq!(question_bank::Entity::find().count(db).await.unwrap(), 0);
    assert_eq!(question::Entity::find().count(db).await.unwrap(), 0);
}
both_backends!(bad_banks_are_refused_with_rows_and_import_nothing, bad_banks_import_nothing);

async fn upload_limits_and_permissions(backend: Backend) {
    let app = spawn_app(backend).await;
    let big = vec![b' '; 10 * 1024 * 1024 + 1024];
    assert_eq!(import(&app, "big.json", big, "大文件").await.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let r = import(&app, "ip.json", sample("intellectual_property.json"), "  ").await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_name".into()));
    let bureau = app.create_org("人社局", "hr_bureau", None).await;
    let employer = app.create_org("医院", "employer", Some(bureau)).await;
    let learner = app.user_token(&id_number(61), "learner", Some(employer)).await;
    let r =
        upload(&app, "/api/v1/question-banks", &learner, "ip.json", sample("intellectual_property.json"), "x").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/question-banks", Some(&learner)).await.status(), StatusCode::FORBIDDEN);
    // The preview parses and shows, answers included, and saves nothing.
    let r = upload(
        &app,
        "/api/v1/question-banks/preview",
        &app.admin_token,
        "e.csv",
        sample("emergency_management.csv"),
        "",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["count"].clone(), v["single"].clone(), v["multiple"].clone(), v["judge"].clone()),
        (json!(16), json!(8), json!(4), json!(4))
    );
    assert!(v["questions"][0]["answer"].is_array());
    let r =
        upload(&app, "/api/v1/question-banks/preview", &app.admin_token, "m.csv", fixture("missing_answer.csv"), "")
            .await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_bank".into()));
    assert_eq!(question_bank::Entity::find().count(&app.app_state.db).await.unwrap(), 0);
    let spec: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
    for (path, method) in [
        ("/api/v1/question-banks", "post"),
        ("/api/v1/question-banks/{id}/publish", "post"),
        ("/api/v1/exams/{id}/attempts", "post"),
        ("/api/v1/attempts/{id}/answers", "put"),
        ("/api/v1/courses/{id}/restudy", "post"),
    ] {
        assert!(spec["paths"][path][method].is_object(), "{method} {path} missing from the spec");
    }
}
both_backends!(bank_uploads_are_limited_and_admin_only, upload_limits_and_permissions);
