//! Training plans: draft, submit before the deadline, review, catalogue, scope.
use chrono::NaiveDate;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use xueshi::entities::audit_log;

use super::fixtures::*;
use crate::both_backends;
use crate::helpers::*;

async fn plan_review_and_catalogue(backend: Backend) {
    let app = spawn_app(backend).await;
    let w = world(&app).await;
    let year = plan_year(&app);
    let mut bad = class(year, "", "炼金术");
    bad["hours"] = json!(30.0);
    let r = app.post("/api/v1/training-plans", Some(&w.base_token), json!({"year": year, "classes": [bad]})).await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_plan");
    let problems: Vec<_> = body["error"]["details"].as_array().unwrap().iter().map(|d| d["field"].clone()).collect();
    assert_eq!(problems, vec![json!("name"), json!("field"), json!("hours")]);

    let body = json!({"year": year, "classes": [class(year, "经济专业技术人员能力提升班", "金融")]});
    let r = app.post("/api/v1/training-plans", Some(&w.base_token), body.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let plan: Value = r.json().await.unwrap();
    assert_eq!((plan["status"].as_str(), plan["classes"][0]["days"].as_i64()), (Some("draft"), Some(3)));
    assert_eq!(plan["deadline"], format!("{year}-05-15"));
    let id = plan["id"].as_i64().unwrap();
    let r = app.post("/api/v1/training-plans", Some(&w.base_token), body).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "plan_exists".into()));
    // A hr_admin cannot draft plans; a learner cannot read them.
    let r = app.post("/api/v1/training-plans", Some(&w.hr_token), json!({"year": year, "classes": []})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let path = format!("/api/v1/training-plans/{id}");
    let r = app.post(&format!("{path}/review"), Some(&w.hr_token), json!({"decision": "approve"})).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "invalid_status".into()), "a draft is not reviewable");
    assert_eq!(app.post(&format!("{path}/submit"), Some(&w.base_token), json!({})).await.status(), StatusCode::OK);
    let r = app.put(&path, Some(&w.base_token), json!({"classes": [class(year, "改", "金融")]})).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "invalid_status".into()));
    let r = app.post(&format!("{path}/review"), Some(&w.hr_token), json!({"decision": "return"})).await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "comment_required".into()));
    let r = app
        .post(&format!("{path}/review"), Some(&w.hr_token), json!({"decision": "return", "comment": "补充日程"}))
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!((v["status"].as_str(), v["review_comment"].as_str()), (Some("returned"), Some("补充日程")));

    // Revised and resubmitted, then approved.
    let classes =
        json!({"classes": [class(year, "经济专业技术人员能力提升班", "金融"), class(year, "海洋班", "marine")]});
    assert_eq!(app.put(&path, Some(&w.base_token), classes).await.status(), StatusCode::OK);
    let projects = |q: String| {
        let app = &app;
        async move {
            app.get(&format!("/api/v1/training-projects?{q}"), Some(&app.admin_token))
                .await
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(projects(format!("year={year}")).await["projects"].as_array().unwrap().len(), 0, "not yet approved");
    assert_eq!(app.post(&format!("{path}/submit"), Some(&w.base_token), json!({})).await.status(), StatusCode::OK);
    let r =
        app.post(&format!("{path}/review"), Some(&w.hr_token), json!({"decision": "approve", "comment": "同意"})).await;
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "approved");

    let all = projects(format!("year={year}")).await;
    assert_eq!(all["projects"].as_array().unwrap().len(), 2);
    assert_eq!(all["projects"][0]["base_name"], "威海职业学院");
    let marine = projects(format!("year={year}&field=海洋&region=威海市")).await;
    assert_eq!(marine["projects"].as_array().unwrap().len(), 1);
    assert_eq!(marine["projects"][0]["field_name"], "海洋");
    assert_eq!(projects(format!("year={year}&region=烟台市")).await["projects"].as_array().unwrap().len(), 0);
    let learner = app.user_token(&id_number(601), "learner", Some(w.employer)).await;
    let r = app.get(&format!("/api/v1/training-projects?year={year}"), Some(&learner)).await;
    assert_eq!(r.json::<Value>().await.unwrap()["projects"].as_array().unwrap().len(), 2, "open to every login");
    assert_eq!(app.get("/api/v1/training-projects", None).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/training-plans", Some(&learner)).await.status(), StatusCode::FORBIDDEN);

    // Every decision is in the audit log, with the reviewer's comment.
    let decisions = audit_log::Entity::find()
        .filter(audit_log::Column::TargetKind.eq("training_plan"))
        .filter(audit_log::Column::TargetId.eq(id.to_string()))
        .all(&app.app_state.db)
        .await
        .unwrap();
    let actions: Vec<_> = decisions.iter().map(|d| (d.action.as_str(), d.reason.as_deref())).collect();
    assert_eq!(
        actions,
        vec![
            ("training_plan.submit", None),
            ("training_plan.return", Some("补充日程")),
            ("training_plan.submit", None),
            ("training_plan.approve", Some("同意"))
        ]
    );
}
both_backends!(plan_is_reviewed_then_catalogued, plan_review_and_catalogue);

async fn deadline_passes(backend: Backend) {
    let app = spawn_app(backend).await;
    let w = world(&app).await;
    let year = plan_year(&app);
    let body = json!({"year": year, "classes": [class(year, "能力提升班", "信息")]});
    let plan: Value = app.post("/api/v1/training-plans", Some(&w.base_token), body).await.json().await.unwrap();
    move_clock_to(&app, NaiveDate::from_ymd_opt(year, 5, 16).unwrap());
    let r = app.post(&format!("/api/v1/training-plans/{}/submit", plan["id"]), Some(&w.base_token), json!({})).await;
    let (status, body): (_, Value) = (r.status(), r.json().await.unwrap());
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("deadline_passed")));
    assert_eq!(body["error"]["details"]["deadline"], format!("{year}-05-15"));
}
both_backends!(submission_after_deadline_is_refused, deadline_passes);

async fn plans_stay_in_scope(backend: Backend) {
    let app = spawn_app(backend).await;
    let w = world(&app).await;
    let year = plan_year(&app);
    let (plan, class_id) = approved_plan(&app, &w, year).await;
    let path = format!("/api/v1/training-plans/{plan}");
    assert_eq!(app.get(&path, Some(&w.hr_token)).await.status(), StatusCode::OK);
    assert_eq!(app.get(&path, Some(&app.admin_token)).await.status(), StatusCode::OK);
    for token in [&w.other_base_token, &w.other_hr_token] {
        assert_eq!(app.get(&path, Some(token)).await.status(), StatusCode::NOT_FOUND);
        let list: Value = app.get("/api/v1/training-plans", Some(token)).await.json().await.unwrap();
        assert_eq!(list["plans"], json!([]));
        let roster = format!("/api/v1/offline-classes/{class_id}/roster");
        assert_eq!(app.get(&roster, Some(token)).await.status(), StatusCode::NOT_FOUND);
    }
    let r = app.post(&format!("{path}/review"), Some(&w.other_hr_token), json!({"decision": "approve"})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app.post(&format!("{path}/submit"), Some(&w.other_base_token), json!({})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .post(
            &format!("/api/v1/offline-classes/{class_id}/attendance"),
            Some(&w.other_base_token),
            json!({"attendance": []}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let mine: Value = app.get("/api/v1/training-plans", Some(&w.hr_token)).await.json().await.unwrap();
    assert_eq!(mine["plans"].as_array().unwrap().len(), 1);
    let own: Value =
        app.get(&format!("/api/v1/training-plans?year={year}"), Some(&w.base_token)).await.json().await.unwrap();
    assert_eq!(own["plans"][0]["id"].as_i64(), Some(plan));
}
both_backends!(bases_and_bureaus_see_only_their_scope, plans_stay_in_scope);
