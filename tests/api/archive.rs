use chrono::Utc;
use reqwest::StatusCode;
use serde_json::{Value, json};
use xueshi::archive::ledger::{NewCredit, SourceKind, credit};
use xueshi::rules::annual_summary::{Category, PublicSubkind};

use crate::both_backends;
use crate::helpers::*;

async fn learner(app: &TestApp, serial: u32) -> (String, i32) {
    let bureau = app.create_org("人社局", "hr_bureau", None).await;
    let emp = app.create_org("医院", "employer", Some(bureau)).await;
    let token = app.user_token(&id_number(serial), "learner", Some(emp)).await;
    let me: Value = app.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
    (token, me["id"].as_i64().unwrap() as i32)
}

fn course_pass(
    learner_id: i32,
    course: &str,
    category: Category,
    sub: Option<PublicSubkind>,
    hours: f64,
    year: i32,
) -> NewCredit {
    NewCredit {
        learner_id,
        year,
        category,
        public_subkind: sub,
        source: SourceKind::CoursePass { online: true },
        source_id: course.into(),
        title: format!("课程 {course}"),
        hours,
        at: Utc::now(),
    }
}

async fn archive_summarises_with_caps(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, id) = learner(&app, 31).await;
    let db = &app.app_state.db;
    // 20 required public hours, 15 elective (over the 10 minimum), 60 professional.
    assert!(
        credit(db, course_pass(id, "1", Category::Public, Some(PublicSubkind::Required), 20.0, 2026)).await.unwrap()
    );
    credit(db, course_pass(id, "2", Category::Public, Some(PublicSubkind::Elective), 15.0, 2026)).await.unwrap();
    credit(db, course_pass(id, "3", Category::Professional, None, 45.0, 2026)).await.unwrap();
    let v: Value = app.get("/api/v1/me/archive?year=2026", Some(&token)).await.json().await.unwrap();
    // Online public hours are capped at 30 a year (Qingdao 2023).
    assert_eq!(v["public_hours"], 30.0);
    assert_eq!(v["professional_hours"], 45.0);
    assert_eq!(v["total_hours"], 75.0);
    assert_eq!(v["compliant"], false);
    assert_eq!(v["shortfall"]["professional"], 15.0);
    assert_eq!(v["required"], json!({"public": 30.0, "professional": 60.0, "total": 90.0}));
    assert_eq!(v["records"].as_array().unwrap().len(), 3);
    credit(db, course_pass(id, "4", Category::Professional, None, 15.0, 2026)).await.unwrap();
    let v: Value = app.get("/api/v1/me/archive?year=2026", Some(&token)).await.json().await.unwrap();
    assert_eq!(v["compliant"], true);
    assert_eq!(v["total_hours"], 90.0);
    // Another year is separate; 2019 is judged in credits (Binzhou 2024).
    let v: Value = app.get("/api/v1/me/archive?year=2019", Some(&token)).await.json().await.unwrap();
    assert_eq!(v["credit_system"], true);
    assert_eq!(v["compliant"], false);
    let v: Value = app.get("/api/v1/me/archive/five-year?until=2026", Some(&token)).await.json().await.unwrap();
    let years = v["years"].as_array().unwrap();
    assert_eq!(years.len(), 5);
    assert_eq!(
        years.iter().map(|y| y["year"].as_i64().unwrap()).collect::<Vec<_>>(),
        vec![2022, 2023, 2024, 2025, 2026]
    );
    assert_eq!(years[4]["compliant"], true);
    assert_eq!(years[3]["compliant"], false);
}
both_backends!(archive_applies_policy_caps, archive_summarises_with_caps);

async fn concurrent_double_credit_leaves_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, id) = learner(&app, 32).await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let db = app.app_state.db.clone();
        tasks.push(tokio::spawn(async move {
            credit(&db, course_pass(id, "77", Category::Public, Some(PublicSubkind::Required), 5.0, 2026))
                .await
                .unwrap()
        }));
    }
    let mut inserted = 0;
    for t in tasks {
        inserted += usize::from(t.await.unwrap());
    }
    assert_eq!(inserted, 1, "exactly one task wrote the credit");
    let rows = xueshi::archive::ledger::credits_for(&app.app_state.db, id, 2026).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].hours, 5.0);
}
both_backends!(same_source_credited_once_under_race, concurrent_double_credit_leaves_one);

async fn policy_change_changes_the_result(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, id) = learner(&app, 33).await;
    credit(&app.app_state.db, course_pass(id, "1", Category::Public, Some(PublicSubkind::Required), 35.0, 2026))
        .await
        .unwrap();
    let before: Value = app.get("/api/v1/me/archive?year=2026", Some(&token)).await.json().await.unwrap();
    assert_eq!(before["public_hours"], 30.0);
    let mut policy: Value = app.get("/api/v1/policies/2026", Some(&app.admin_token)).await.json().await.unwrap();
    assert_eq!(policy["annual"]["total"], 90.0);
    policy["online_public_cap"] = json!(40.0);
    policy["annual"]["public"] = json!(35.0);
    policy["annual"]["total"] = json!(95.0);
    let r = app.put("/api/v1/admin/policies/2026", Some(&app.admin_token), policy.clone()).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let after: Value = app.get("/api/v1/me/archive?year=2026", Some(&token)).await.json().await.unwrap();
    assert_eq!(after["public_hours"], 35.0);
    assert_eq!(after["required"]["total"], 95.0);
    // The learner sees the new policy too; they may not change it.
    let seen: Value = app.get("/api/v1/policies/2026", Some(&token)).await.json().await.unwrap();
    assert_eq!(seen["online_public_cap"], 40.0);
    let (s, code) = error_code(app.put("/api/v1/admin/policies/2026", Some(&token), policy.clone()).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::FORBIDDEN, "forbidden_role"));
    // Invalid: a negative requirement is refused with the field named.
    policy["annual"]["public"] = json!(-1.0);
    let r = app.put("/api/v1/admin/policies/2026", Some(&app.admin_token), policy).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "invalid_policy");
    assert!(v["error"]["details"].as_array().unwrap().iter().any(|d| d["field"].as_str().unwrap().contains("annual")));
    // A malformed policy body is a 4xx, never a 500.
    let r = app.put("/api/v1/admin/policies/2026", Some(&app.admin_token), json!({"annual": "lots"})).await;
    assert!(r.status().is_client_error());
}
both_backends!(changing_the_policy_changes_the_summary, policy_change_changes_the_result);

async fn archive_is_for_learners_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let (s, _) = error_code(app.get("/api/v1/me/archive?year=2026", Some(&app.admin_token)).await).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = error_code(app.get("/api/v1/me/archive?year=2026", None).await).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (token, _) = learner(&app, 34).await;
    let (s, _) = error_code(app.get("/api/v1/me/archive?year=abc", Some(&token)).await).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
both_backends!(archive_refuses_other_roles, archive_is_for_learners_only);
