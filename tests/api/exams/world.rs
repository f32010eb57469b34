//! A course with lectures, a published bank, an exam and learners, built directly in the
//! database where another team's endpoints would be needed (courses, watching).
use reqwest::{
    Response, StatusCode,
    multipart::{Form, Part},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use xueshi::entities::{exam_attempt, question};

use crate::helpers::*;

pub const HOURS: f64 = 6.0;
pub const DURATION_S: i64 = 600;

pub fn sample(file: &str) -> Vec<u8> {
    let path = format!("{}/question_banks/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn fixture(file: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/banks/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub async fn upload(app: &TestApp, path: &str, token: &str, file_name: &str, bytes: Vec<u8>, name: &str) -> Response {
    let form =
        Form::new().text("name", name.to_owned()).part("file", Part::bytes(bytes).file_name(file_name.to_owned()));
    app.anon.post(app.url(path)).bearer_auth(token).multipart(form).send().await.expect("upload")
}

pub async fn import(app: &TestApp, file_name: &str, bytes: Vec<u8>, name: &str) -> Response {
    upload(app, "/api/v1/question-banks", &app.admin_token, file_name, bytes, name).await
}

/// Imports and publishes a sample bank; returns its id.
pub async fn published_bank(app: &TestApp, file: &str) -> i64 {
    let r = import(app, file, sample(file), file).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = app.post(&format!("/api/v1/question-banks/{id}/publish"), Some(&app.admin_token), json!({})).await;
    assert_eq!(r.status(), StatusCode::OK);
    id
}

pub struct Learner {
    pub token: String,
    pub id: i32,
}

pub struct World {
    pub app: TestApp,
    pub employer: i64,
    pub course_id: i32,
    pub lectures: Vec<i32>,
    pub exam_id: i64,
}

/// A published professional course of two lectures with an exam of 5 single, 2 multiple and
/// 3 judge questions from the intellectual-property bank, 600 s long.
pub async fn world(backend: Backend) -> World {
    world_with_bank(backend, "intellectual_property.json").await
}

/// The same world with the exam drawn from another sample bank of `question_banks/`.
pub async fn world_with_bank(backend: Backend, bank_file: &str) -> World {
    let app = spawn_app(backend).await;
    let bureau = app.create_org("人社局", "hr_bureau", None).await;
    let employer = app.create_org("医院", "employer", Some(bureau)).await;
    let base = app.create_org("继续教育基地", "base", None).await;
    let (course_id, lectures) = course_with_lectures(&app, base as i32, "professional").await;
    let bank = published_bank(&app, bank_file).await;
    let r = app
        .post(
            "/api/v1/exams",
            Some(&app.admin_token),
            json!({"course_id": course_id, "bank_id": bank, "duration_s": DURATION_S,
                   "draw": {"single": 5, "multiple": 2, "judge": 3}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let exam_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    World { app, employer, course_id, lectures, exam_id }
}

pub async fn course_with_lectures(app: &TestApp, base: i32, category: &str) -> (i32, Vec<i32>) {
    crate::rows::published_course(&app.app_state.db, base, category, HOURS, &[1800.0, 1800.0]).await
}

impl World {
    pub async fn learner(&self, serial: u32) -> Learner {
        let token = self.app.user_token(&id_number(serial), "learner", Some(self.employer)).await;
        let me: Value = self.app.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        Learner { token, id: me["id"].as_i64().unwrap() as i32 }
    }

    /// A learner who has watched every lecture in cycle 1.
    pub async fn ready_learner(&self, serial: u32) -> Learner {
        let learner = self.learner(serial).await;
        self.complete_lectures(&learner, 1).await;
        learner
    }

    pub async fn complete_lectures(&self, learner: &Learner, cycle: i32) {
        mark_watched(&self.app, learner.id, &self.lectures, cycle).await;
    }

    pub async fn start(&self, learner: &Learner) -> Response {
        self.app.post(&format!("/api/v1/exams/{}/attempts", self.exam_id), Some(&learner.token), json!({})).await
    }

    /// Starts an attempt, expecting a new one; returns the response body.
    pub async fn start_new(&self, learner: &Learner) -> Value {
        let r = self.start(learner).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json().await.unwrap()
    }

    pub async fn save(&self, learner: &Learner, attempt: i64, answers: Value) -> Response {
        let path = format!("/api/v1/attempts/{attempt}/answers");
        self.app.put(&path, Some(&learner.token), json!({ "answers": answers })).await
    }

    pub async fn submit(&self, learner: &Learner, attempt: i64) -> Response {
        self.app.post(&format!("/api/v1/attempts/{attempt}/submit"), Some(&learner.token), json!({})).await
    }

    /// Submits and returns the outcome.
    pub async fn submit_ok(&self, learner: &Learner, attempt: i64) -> Value {
        let r = self.submit(learner, attempt).await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }

    /// Starts, answers everything right (or nothing) and submits; returns the outcome.
    pub async fn sit(&self, learner: &Learner, pass: bool) -> Value {
        let started = self.start_new(learner).await;
        let attempt = started["attempt_id"].as_i64().unwrap();
        if pass {
            let sheet = correct_sheet(&self.app, attempt).await;
            assert_eq!(self.save(learner, attempt, sheet).await.status(), StatusCode::OK);
        }
        self.submit_ok(learner, attempt).await
    }

    /// The learner's credited hours for the current year, and how many records this course made.
    pub async fn archive(&self, learner: &Learner) -> (f64, usize) {
        let year = xueshi::archive::ledger::year_of(self.app.app_state.clock.now());
        let r = self.app.get(&format!("/api/v1/me/archive?year={year}"), Some(&learner.token)).await;
        let v: Value = r.json().await.unwrap();
        let records = v["records"].as_array().unwrap();
        let mine = records.iter().filter(|r| r["source_id"] == json!(self.course_id.to_string())).count();
        (v["professional_hours"].as_f64().unwrap(), mine)
    }
}

/// Records every lecture as watched to the end in `cycle`, as the watching module would.
pub async fn mark_watched(app: &TestApp, learner_id: i32, lectures: &[i32], cycle: i32) {
    crate::rows::mark_watched(&app.app_state.db, learner_id, lectures, cycle).await;
}

/// The right answers of an attempt's paper in displayed keys, worked out from the database
/// (the API never tells).
pub async fn correct_sheet(app: &TestApp, attempt_id: i64) -> Value {
    let db = &app.app_state.db;
    let attempt = exam_attempt::Entity::find_by_id(attempt_id).one(db).await.unwrap().unwrap();
    let mut sheet = serde_json::Map::new();
    for item in attempt.paper["items"].as_array().unwrap() {
        let qid = item["question_id"].as_i64().unwrap();
        let q = question::Entity::find().filter(question::Column::Id.eq(qid)).one(db).await.unwrap().unwrap();
        let order: Vec<&str> = item["option_order"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
        let keys: Vec<String> = q
            .answer
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                let k = k.as_str().unwrap();
                if q.kind == "judge" {
                    k.to_owned()
                } else {
                    let pos = order.iter().position(|o| *o == k).unwrap();
                    char::from(b'A' + pos as u8).to_string()
                }
            })
            .collect();
        sheet.insert(qid.to_string(), json!(keys));
    }
    Value::Object(sheet)
}

pub async fn attempts_of(app: &TestApp, learner: &Learner) -> Vec<exam_attempt::Model> {
    exam_attempt::Entity::find()
        .filter(exam_attempt::Column::LearnerId.eq(learner.id))
        .all(&app.app_state.db)
        .await
        .unwrap()
}
