//! What the scenarios need, built through the API where it is cheap and in the database
//! where the API would need a real upload (published courses with ready lectures).
use reqwest::{
    StatusCode,
    multipart::{Form, Part},
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use xueshi::entities::{credit, exam_attempt, lecture_progress, question};

use crate::client::Api;

pub async fn connect(url: &str) -> DatabaseConnection {
    sea_orm::Database::connect(url).await.expect("connect to the app's database")
}

/// A published professional course of `hours` with ready lectures of `duration_s` each.
pub async fn course(db: &DatabaseConnection, base_org: i64, hours: f64, durations: &[f64]) -> (i32, Vec<i32>) {
    crate::rows::published_course(db, base_org as i32, "professional", hours, durations).await
}

pub async fn progress_row(db: &DatabaseConnection, learner: i32, lecture: i32) -> Option<lecture_progress::Model> {
    lecture_progress::Entity::find()
        .filter(lecture_progress::Column::LearnerId.eq(learner))
        .filter(lecture_progress::Column::LectureId.eq(lecture))
        .one(db)
        .await
        .expect("query progress")
}

/// A published bank and an exam of `duration_s` on the course; returns the exam id.
pub async fn exam(api: &Api, admin: &str, course_id: i32, duration_s: i64) -> i64 {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/question_banks/intellectual_property.json");
    let bytes = std::fs::read(path).expect("sample bank");
    let form = Form::new().text("name", "知识产权").part("file", Part::bytes(bytes).file_name("bank.json"));
    let bank = api.multipart("/api/v1/question-banks", admin, form).await;
    assert_eq!(bank.status, StatusCode::CREATED, "{bank:?}");
    let published = api.post(&format!("/api/v1/question-banks/{}/publish", bank.id()), Some(admin), json!({})).await;
    assert_eq!(published.status, StatusCode::OK, "{published:?}");
    let body = json!({"course_id": course_id, "bank_id": bank.id(), "duration_s": duration_s,
                      "draw": {"single": 5, "multiple": 2, "judge": 3}});
    let exam = api.post("/api/v1/exams", Some(admin), body).await;
    assert_eq!(exam.status, StatusCode::CREATED, "{exam:?}");
    exam.id()
}

pub async fn attempt(db: &DatabaseConnection, id: i64) -> exam_attempt::Model {
    exam_attempt::Entity::find_by_id(id).one(db).await.expect("query attempt").expect("attempt")
}

/// The right answers of an attempt's paper in displayed keys, from the database.
pub async fn correct_sheet(db: &DatabaseConnection, attempt_id: i64) -> serde_json::Map<String, Value> {
    let attempt = attempt(db, attempt_id).await;
    let mut sheet = serde_json::Map::new();
    for item in attempt.paper["items"].as_array().expect("items") {
        let qid = item["question_id"].as_i64().expect("question_id");
        let q = question::Entity::find_by_id(qid).one(db).await.expect("query").expect("question");
        let order: Vec<&str> =
            item["option_order"].as_array().expect("order").iter().filter_map(Value::as_str).collect();
        let keys: Vec<String> = q
            .answer
            .as_array()
            .expect("answer")
            .iter()
            .filter_map(Value::as_str)
            .map(|k| match order.iter().position(|o| *o == k) {
                Some(pos) if q.kind != "judge" => char::from(b'A' + pos as u8).to_string(),
                _ => k.to_owned(),
            })
            .collect();
        sheet.insert(qid.to_string(), json!(keys));
    }
    sheet
}

/// Credits of the learner from this course (exactly one once passed, whatever happened).
pub async fn course_credits(db: &DatabaseConnection, learner: i32, course_id: i32) -> usize {
    credit::Entity::find()
        .filter(credit::Column::LearnerId.eq(learner))
        .filter(credit::Column::SourceId.eq(course_id.to_string()))
        .all(db)
        .await
        .expect("query credits")
        .len()
}

/// An employer with ready learners and a published course with an exam.
pub struct ExamWorld {
    pub api: Api,
    pub db: DatabaseConnection,
    pub course_id: i32,
    pub exam_id: i64,
    pub learners: Vec<(String, i32)>,
}

pub const EXAM_DURATION_S: i64 = 600;

impl ExamWorld {
    pub async fn build(api: Api, database_url: &str, learners: u32) -> Self {
        let db = connect(database_url).await;
        let admin = api.admin().await;
        let bureau = api.create_org(&admin, "人社局", "hr_bureau", None).await;
        let employer = api.create_org(&admin, "医院", "employer", Some(bureau)).await;
        let base = api.create_org(&admin, "继续教育基地", "base", None).await;
        let (course_id, lectures) = course(&db, base, 6.0, &[1800.0, 1800.0]).await;
        let exam_id = exam(&api, &admin, course_id, EXAM_DURATION_S).await;
        let mut people = Vec::new();
        for serial in 0..learners {
            let (token, id) =
                api.user(&admin, &xueshi::demo::demo_id_number(700 + serial), "learner", Some(employer)).await;
            crate::rows::mark_watched(&db, id, &lectures, 1).await;
            people.push((token, id));
        }
        Self { api, db, course_id, exam_id, learners: people }
    }

    /// Starts (or resumes) the learner's attempt; returns the answer.
    pub async fn start(&self, learner: usize) -> crate::client::Answer {
        let token = &self.learners[learner].0;
        self.api.post(&format!("/api/v1/exams/{}/attempts", self.exam_id), Some(token), json!({})).await
    }

    pub async fn save(&self, learner: usize, attempt: i64, answers: serde_json::Map<String, Value>) -> StatusCode {
        let token = &self.learners[learner].0;
        let path = format!("/api/v1/attempts/{attempt}/answers");
        self.api.put(&path, Some(token), json!({ "answers": answers })).await.status
    }

    /// Starts an attempt and saves all the right answers; returns its id.
    pub async fn ready_to_submit(&self, learner: usize) -> i64 {
        let started = self.start(learner).await;
        assert_eq!(started.status, StatusCode::CREATED, "{started:?}");
        let attempt = started.body["attempt_id"].as_i64().expect("attempt_id");
        let sheet = correct_sheet(&self.db, attempt).await;
        assert_eq!(self.save(learner, attempt, sheet).await, StatusCode::OK);
        attempt
    }

    /// Graded attempts carry a score and, when passed, exactly one credit; open ones neither.
    pub async fn assert_whole(&self, learner: usize, attempt_id: i64) -> bool {
        let a = attempt(&self.db, attempt_id).await;
        let credits = course_credits(&self.db, self.learners[learner].1, self.course_id).await;
        match a.status.as_str() {
            "open" => {
                assert!(a.score.is_none() && a.graded_at.is_none(), "open yet graded: {a:?}");
                assert_eq!(credits, 0, "credit without a graded attempt: {a:?}");
                false
            }
            "submitted" => {
                assert_eq!((a.score, a.passed), (Some(100.0), Some(true)), "{a:?}");
                assert_eq!(credits, 1, "passed attempt must credit exactly once: {a:?}");
                true
            }
            other => panic!("unexpected attempt status {other}: {a:?}"),
        }
    }
}
