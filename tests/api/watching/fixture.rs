//! A published course with ready 60-second lectures (rows written directly: uploads are not
//! part of these tests), learners, and clients for play, beat and progress.
use chrono::Datelike;
use reqwest::{Response, StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use xueshi::entities::{course, lecture, lecture_progress};

use crate::helpers::*;

pub const DURATION_S: f64 = 60.0;

pub struct Course {
    pub id: i32,
    pub lectures: Vec<i32>,
}

pub struct Learner {
    pub token: String,
    pub id: i32,
}

pub async fn employer(app: &TestApp) -> i64 {
    let bureau = app.create_org("人社局", "hr_bureau", None).await;
    app.create_org("医院", "employer", Some(bureau)).await
}

pub async fn learner(app: &TestApp, employer: i64, serial: u32) -> Learner {
    let token = app.user_token(&id_number(serial), "learner", Some(employer)).await;
    let me: Value = app.get("/api/v1/me", Some(&token)).await.json().await.expect("me");
    Learner { token, id: me["id"].as_i64().expect("id") as i32 }
}

/// A course with `statuses.len()` lectures of [`DURATION_S`] in the given states.
pub async fn course(app: &TestApp, course_status: &str, statuses: &[&str]) -> Course {
    let db = &app.app_state.db;
    let base = app.create_org("继续教育基地", "base", None).await as i32;
    let now = app.app_state.clock.now();
    let row = course::ActiveModel {
        base_org_id: Set(base),
        title: Set("医疗质量安全".into()),
        category: Set("professional".into()),
        year: Set(now.year()),
        hours: Set(2.0),
        teacher: Set("李老师".into()),
        teacher_user_id: Set(None),
        description: Set(String::new()),
        status: Set(course_status.into()),
        reject_reason: Set(None),
        created_by: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let id = row.insert(db).await.expect("course").id;
    let mut lectures = Vec::new();
    for (position, status) in statuses.iter().enumerate() {
        let row = lecture::ActiveModel {
            course_id: Set(id),
            position: Set(position as i32),
            title: Set(format!("第{}讲", position + 1)),
            status: Set((*status).into()),
            duration_s: Set((*status == "ready").then_some(DURATION_S)),
            error: Set(None),
            created_at: Set(now),
            ..Default::default()
        };
        lectures.push(row.insert(db).await.expect("lecture").id);
    }
    Course { id, lectures }
}

pub async fn play(app: &TestApp, who: &Learner, lecture: i32) -> Response {
    app.post(&format!("/api/v1/lectures/{lecture}/play"), Some(&who.token), json!({})).await
}

/// Starts a session; returns its id and the whole answer.
pub async fn play_ok(app: &TestApp, who: &Learner, lecture: i32) -> (String, Value) {
    let r = play(app, who, lecture).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.expect("json");
    (v["session_id"].as_str().expect("session_id").to_owned(), v)
}

pub async fn beat(app: &TestApp, who: &Learner, session: &str, position_s: f64) -> Response {
    app.post(&format!("/api/v1/play/{session}/beat"), Some(&who.token), json!({"position_s": position_s})).await
}

pub async fn beat_ok(app: &TestApp, who: &Learner, session: &str, position_s: f64) -> Value {
    let r = beat(app, who, session, position_s).await;
    assert_eq!(r.status(), StatusCode::OK, "beat at {position_s}");
    r.json().await.expect("json")
}

/// Beats at each position, `step_s` seconds of server time apart; returns the last answer.
pub async fn watch(app: &TestApp, who: &Learner, session: &str, positions: &[f64], step_s: i64) -> Value {
    let mut last = Value::Null;
    for (i, p) in positions.iter().enumerate() {
        if i > 0 {
            app.app_state.clock.advance(step_s);
        }
        last = beat_ok(app, who, session, *p).await;
    }
    last
}

/// 0, 10, ..., 60: the whole lecture at normal speed, one beat every 10 s.
pub fn whole_lecture_from(start_s: f64) -> Vec<f64> {
    (0..=6).map(|i| f64::from(i) * 10.0).filter(|p| *p >= start_s).collect()
}

pub async fn progress(app: &TestApp, who: &Learner, course_id: i32) -> Value {
    let r = app.get(&format!("/api/v1/courses/{course_id}/progress"), Some(&who.token)).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("json")
}

pub async fn stored(app: &TestApp, who: &Learner, lecture: i32) -> Option<lecture_progress::Model> {
    lecture_progress::Entity::find()
        .filter(lecture_progress::Column::LearnerId.eq(who.id))
        .filter(lecture_progress::Column::LectureId.eq(lecture))
        .one(&app.app_state.db)
        .await
        .expect("query")
}

/// The app with its background flusher effectively off, so tests decide when to flush.
pub async fn app_without_flusher(backend: Backend) -> TestApp {
    spawn_with(backend, |s| s.progress_flush_ms = 3_600_000).await
}

pub fn num(v: &Value, field: &str) -> f64 {
    v[field].as_f64().unwrap_or_else(|| panic!("{field} in {v}"))
}
