//! Excellent online public course selection: nomination rules, one score per expert, one vote
//! per learner inside the window, publication credits the teacher twice the course's hours.
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};
use xueshi::{archive::ledger::year_of, entities::course};

use super::fixtures::*;
use crate::both_backends;
use crate::helpers::*;

async fn course_row(app: &TestApp, base: i64, category: &str, status: &str, teacher: Option<i32>) -> i64 {
    let now = Utc::now();
    let c = course::ActiveModel {
        base_org_id: Set(base as i32),
        title: Set(format!("{category} 课程")),
        category: Set(category.into()),
        year: Set(year_of(app.app_state.clock.now())),
        hours: Set(5.0),
        teacher: Set("王老师".into()),
        teacher_user_id: Set(teacher),
        description: Set("原创课程".into()),
        status: Set(status.into()),
        reject_reason: Set(None),
        created_by: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.app_state.db)
    .await
    .unwrap();
    i64::from(c.id)
}

async fn vote(app: &TestApp, nomination: i64, token: &str) -> reqwest::Response {
    app.post(&format!("/api/v1/excellent/nominations/{nomination}/votes"), Some(token), json!({})).await
}

async fn score(app: &TestApp, nomination: i64, score: f64) -> reqwest::Response {
    let path = format!("/api/v1/excellent/nominations/{nomination}/scores");
    app.post(&path, Some(&app.admin_token), json!({"score": score})).await
}

async fn publish(app: &TestApp, year: i32) -> reqwest::Response {
    app.post(&format!("/api/v1/admin/excellent/{year}/publish"), Some(&app.admin_token), json!({})).await
}

async fn selection(backend: Backend) {
    let app = spawn_app(backend).await;
    let w = world(&app).await;
    let year = year_of(app.app_state.clock.now());
    let teacher_token = app.user_token(&id_number(801), "learner", Some(w.employer)).await;
    let teacher = learner_id(&app, &teacher_token).await;
    let voters = [
        app.user_token(&id_number(802), "learner", Some(w.employer)).await,
        app.user_token(&id_number(803), "learner", Some(w.employer)).await,
    ];
    let good = course_row(&app, w.base, "public_required", "published", Some(teacher)).await;
    let second = course_row(&app, w.base, "public_elective", "published", None).await;
    let professional = course_row(&app, w.base, "professional", "published", None).await;
    let draft = course_row(&app, w.base, "public_elective", "draft", None).await;

    let nominate = |course_id: i64, pledge: bool| {
        let app = &app;
        let token = w.base_token.clone();
        async move {
            app.post(
                "/api/v1/excellent/nominations",
                Some(&token),
                json!({"course_id": course_id, "ip_pledge": pledge}),
            )
            .await
        }
    };
    let code = |r| error_code(r);
    assert_eq!(
        code(nominate(good, false).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "ip_pledge_required".into())
    );
    assert_eq!(
        code(nominate(professional, true).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "not_public_course".into())
    );
    assert_eq!(code(nominate(draft, true).await).await, (StatusCode::CONFLICT, "course_not_published".into()));
    let r = app
        .post("/api/v1/excellent/nominations", Some(&w.other_base_token), json!({"course_id": good, "ip_pledge": true}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "another base's course");
    let first: Value = nominate(good, true).await.json().await.unwrap();
    let nom = first["id"].as_i64().unwrap();
    assert_eq!(code(nominate(good, true).await).await, (StatusCode::CONFLICT, "already_nominated".into()));
    let nom2 = nominate(second, true).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    // Voting before any window, then a window that opens later: 409 both times.
    assert_eq!(code(vote(&app, nom, &voters[0]).await).await, (StatusCode::CONFLICT, "voting_closed".into()));
    let now = app.app_state.clock.now();
    let window = |opens: chrono::DateTime<Utc>| json!({"vote_opens_at": opens, "vote_closes_at": opens + Duration::days(1), "top_n": 1});
    let r = app
        .put(&format!("/api/v1/admin/excellent/{year}"), Some(&app.admin_token), window(now + Duration::hours(1)))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(code(vote(&app, nom, &voters[0]).await).await, (StatusCode::CONFLICT, "voting_closed".into()));
    app.put(&format!("/api/v1/admin/excellent/{year}"), Some(&app.admin_token), window(now - Duration::hours(1))).await;
    for v in &voters {
        assert_eq!(vote(&app, nom, v).await.status(), StatusCode::CREATED);
    }
    assert_eq!(code(vote(&app, nom, &voters[0]).await).await, (StatusCode::CONFLICT, "already_voted".into()));
    assert_eq!(vote(&app, nom, &w.base_token).await.status(), StatusCode::FORBIDDEN, "only learners vote");
    let listed: Value = app.get("/api/v1/excellent/nominations", Some(&voters[0])).await.json().await.unwrap();
    assert_eq!(
        (listed["nominations"][0]["voted"].as_bool(), listed["nominations"][0]["votes"].clone()),
        (Some(true), Value::Null)
    );

    assert_eq!(code(score(&app, nom, 101.0).await).await, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_score".into()));
    assert_eq!(score(&app, nom, 80.0).await.status(), StatusCode::CREATED);
    assert_eq!(code(score(&app, nom, 90.0).await).await, (StatusCode::CONFLICT, "already_scored".into()));
    assert_eq!(score(&app, nom2, 90.0).await.status(), StatusCode::CREATED);

    assert_eq!(code(publish(&app, year).await).await, (StatusCode::CONFLICT, "voting_open".into()));
    app.app_state.clock.advance(2 * 86_400);
    assert_eq!(code(vote(&app, nom2, &voters[0]).await).await, (StatusCode::CONFLICT, "voting_closed".into()));
    let result: Value = publish(&app, year).await.json().await.unwrap();
    // nom: 0.7*80 + 0.3*100 = 86; nom2: 0.7*90 + 0 = 63. Top 1: nom.
    let ranking = result["ranking"].as_array().unwrap();
    assert_eq!((ranking[0]["nomination_id"].as_i64(), ranking[0]["final_score"].as_f64()), (Some(nom), Some(86.0)));
    assert_eq!((ranking[0]["selected"].as_bool(), ranking[0]["teacher_credited"].as_bool()), (Some(true), Some(true)));
    assert_eq!((ranking[1]["final_score"].as_f64(), ranking[1]["selected"].as_bool()), (Some(63.0), Some(false)));
    assert_eq!(code(publish(&app, year).await).await, (StatusCode::CONFLICT, "selection_published".into()));

    // The teacher's archive counts twice the course's 5 hours (policy multiplier, read time).
    let archive: Value =
        app.get(&format!("/api/v1/me/archive?year={year}"), Some(&teacher_token)).await.json().await.unwrap();
    assert_eq!(archive["public_hours"], 10.0);
    assert_eq!(archive["records"][0]["source"], "excellent_course");
    assert_eq!(archive["records"][0]["hours"], 5.0);
    let listed: Value =
        app.get(&format!("/api/v1/excellent/nominations?year={year}"), Some(&voters[1])).await.json().await.unwrap();
    assert_eq!(
        (listed["nominations"][0]["status"].as_str(), listed["nominations"][0]["votes"].as_u64()),
        (Some("selected"), Some(2))
    );
}
both_backends!(excellent_course_selection, selection);
