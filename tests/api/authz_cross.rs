//! The authorisation matrix's "another learner's id" and "another organisation's id" columns,
//! with REAL objects: everything a route with a path id can name is created as learner A or
//! organisation A (Weihai), then called as another learner of A's employer, a learner of
//! another organisation, and every staff role of organisation B (Yantai). Each cell is refused
//! (403/404) unless the row names the written rule that allows it. A route with a path id and
//! no row here fails the test.
use std::collections::HashMap;

use chrono::Utc;
use reqwest::{Method, StatusCode, multipart};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};
use xueshi::{
    archive::ledger::{self, NewCredit, SourceKind},
    entities::lecture,
    rules::annual_summary::{Category, PublicSubkind},
};

use crate::exams::world::{correct_sheet, course_with_lectures, mark_watched, published_bank};
use crate::helpers::*;
use crate::institutions::fixtures::class;

/// The object of organisation A (or learner A) a route's path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Obj {
    Declaration,
    Certificate,
    Bank,
    Exam,
    Attempt,
    DraftCourse,
    PublishedCourse,
    Job,
    Session,
    StreamUrl,
    Plan,
    Class,
    Nomination,
    Year,
}

/// What B may do with A's object.
#[derive(Clone, Copy, Debug)]
enum Cross {
    /// Every caller of B is refused (403/404).
    Refused(Obj),
    /// Allowed by the written rule given (the call must then not fail with a 5xx).
    Allowed(Obj, &'static str),
}

const OPEN_LECTURES: &str = "published courses, their lectures and exams are open to every learner (DESIGN §1)";
const YEAR: &str = "a year is not an object: each caller reads or changes only its own region's data for it";

fn cross_rules() -> Vec<(&'static str, &'static str, Cross)> {
    use Cross::*;
    use Obj::*;
    vec![
        ("GET", "/api/v1/policies/{year}", Allowed(Year, YEAR)),
        ("PUT", "/api/v1/admin/policies/{year}", Refused(Year)),
        ("GET", "/api/v1/declarations/{id}", Refused(Declaration)),
        ("PUT", "/api/v1/declarations/{id}", Refused(Declaration)),
        ("GET", "/api/v1/declarations/{id}/evidence/{file_id}", Refused(Declaration)),
        ("POST", "/api/v1/declarations/{id}/review", Refused(Declaration)),
        ("GET", "/certificates/{code}", Refused(Certificate)),
        ("POST", "/api/v1/certificates/{code}/revoke", Refused(Certificate)),
        ("GET", "/verify/{code}", Allowed(Certificate, "anyone verifies a certificate and sees masked data only")),
        ("POST", "/api/v1/question-banks/{id}/publish", Refused(Bank)),
        ("POST", "/api/v1/exams/{id}/attempts", Allowed(Exam, OPEN_LECTURES)),
        ("GET", "/api/v1/attempts/{id}", Refused(Attempt)),
        ("PUT", "/api/v1/attempts/{id}/answers", Refused(Attempt)),
        ("POST", "/api/v1/attempts/{id}/submit", Refused(Attempt)),
        ("POST", "/api/v1/courses/{id}/restudy", Refused(DraftCourse)),
        ("GET", "/api/v1/courses/{id}", Refused(DraftCourse)),
        ("POST", "/api/v1/courses/{id}/lectures", Refused(DraftCourse)),
        ("GET", "/api/v1/courses/{id}/lectures/{lecture_id}/preview", Refused(DraftCourse)),
        ("POST", "/api/v1/courses/{id}/submit", Refused(DraftCourse)),
        ("POST", "/api/v1/courses/{id}/publish", Refused(DraftCourse)),
        ("POST", "/api/v1/courses/{id}/reject", Refused(DraftCourse)),
        ("GET", "/api/v1/courses/{id}/progress", Refused(DraftCourse)),
        ("GET", "/api/v1/jobs/{id}", Refused(Job)),
        (
            "GET",
            "/media/lectures/{lecture_id}/{token}/{rel}",
            Allowed(StreamUrl, "a signed stream URL is a bearer capability: it names its learner and expires (API.md)"),
        ),
        ("POST", "/api/v1/lectures/{id}/play", Allowed(PublishedCourse, OPEN_LECTURES)),
        ("POST", "/api/v1/play/{session_id}/beat", Refused(Session)),
        ("GET", "/api/v1/training-plans/{id}", Refused(Plan)),
        ("PUT", "/api/v1/training-plans/{id}", Refused(Plan)),
        ("POST", "/api/v1/training-plans/{id}/submit", Refused(Plan)),
        ("POST", "/api/v1/training-plans/{id}/review", Refused(Plan)),
        ("GET", "/api/v1/offline-classes/{id}/roster", Refused(Class)),
        ("POST", "/api/v1/offline-classes/{id}/roster", Refused(Class)),
        ("POST", "/api/v1/offline-classes/{id}/attendance", Refused(Class)),
        ("POST", "/api/v1/excellent/nominations/{id}/scores", Refused(Nomination)),
        (
            "POST",
            "/api/v1/excellent/nominations/{id}/votes",
            Allowed(Nomination, "every learner votes on every nomination (Province 2022, one vote each)"),
        ),
        ("PUT", "/api/v1/admin/excellent/{year}", Refused(Year)),
        ("POST", "/api/v1/admin/excellent/{year}/publish", Refused(Year)),
    ]
}

/// A's objects, by what fills a path.
struct Owned {
    values: HashMap<Obj, String>,
    evidence: String,
    lecture: i64,
    stream_url: String,
    year: i32,
}

impl Owned {
    fn concrete(&self, path: &str, obj: Obj) -> String {
        if obj == Obj::StreamUrl {
            return self.stream_url.clone();
        }
        let value = &self.values[&obj];
        path.replace("{id}", value)
            .replace("{code}", value)
            .replace("{session_id}", value)
            .replace("{year}", &self.year.to_string())
            .replace("{file_id}", &self.evidence)
            .replace("{lecture_id}", &self.lecture.to_string())
    }
}

async fn org(app: &TestApp, name: &str, kind: &str, parent: Option<i64>, region: &str) -> i64 {
    let body = json!({"name": name, "kind": kind, "parent_id": parent, "region": region});
    let r = app.post("/api/v1/admin/orgs", Some(&app.admin_token), body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// One organisation tree: bureau > department > employer, and a base under the bureau.
struct Tree {
    employer: i64,
    base: i64,
    tokens: Vec<(&'static str, String)>,
}

async fn tree(app: &TestApp, tag: &str, region: &str) -> Tree {
    let bureau = org(app, &format!("{region}人社局"), "hr_bureau", None, region).await;
    let dept = org(app, &format!("{region}卫健委"), "department", Some(bureau), region).await;
    let employer = org(app, &format!("{region}医院"), "employer", Some(dept), region).await;
    let base = org(app, &format!("{region}基地"), "base", Some(bureau), region).await;
    let mut tokens = Vec::new();
    for (role, org) in
        [("employer_admin", employer), ("department_admin", dept), ("hr_admin", bureau), ("base_admin", base)]
    {
        tokens.push((role, app.user_token(&format!("{tag}_{role}"), role, Some(org)).await));
    }
    Tree { employer, base, tokens }
}

impl Tree {
    fn token(&self, role: &str) -> &str {
        &self.tokens.iter().find(|(r, _)| *r == role).unwrap().1
    }
}

async fn created(r: reqwest::Response) -> Value {
    let (status, url) = (r.status(), r.url().path().to_owned());
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{url}: {status}: {v}");
    v
}

/// Credits learner A with a compliant year, so a certificate can be issued.
async fn compliant(app: &TestApp, learner: i32, year: i32) {
    let online = SourceKind::CoursePass { online: true };
    let rows = [
        (Category::Public, Some(PublicSubkind::Required), online.clone(), 20.0),
        (Category::Public, Some(PublicSubkind::Elective), online, 10.0),
        (Category::Professional, None, SourceKind::OfflineClass, 60.0),
    ];
    for (category, public_subkind, source, hours) in rows {
        let c = NewCredit {
            learner_id: learner,
            year,
            category,
            public_subkind,
            source,
            source_id: format!("{category:?}{hours}"),
            title: "课程".into(),
            hours,
            at: app.app_state.clock.now(),
        };
        assert!(ledger::credit(&app.app_state.db, c).await.unwrap());
    }
}

/// Everything of A's that a path can name.
async fn owned_by_a(app: &TestApp, a: &Tree, learner: &str, learner_id: i32) -> Owned {
    let year = ledger::year_of(app.app_state.clock.now());
    let mut values = HashMap::new();
    values.insert(Obj::Year, year.to_string());

    // A declaration with an evidence file, and a certificate.
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let data = json!({"kind": "conference", "year": year, "title": "学术年会", "days": 1, "hours": 6});
    let part = multipart::Part::bytes(PNG).file_name("证书.png").mime_str("image/png").unwrap();
    let form = multipart::Form::new().text("data", data.to_string()).part("evidence", part);
    let r = app.anon.post(app.url("/api/v1/declarations")).bearer_auth(learner).multipart(form).send().await.unwrap();
    let decl = created(r).await["id"].as_i64().unwrap();
    let view = created(app.get(&format!("/api/v1/declarations/{decl}"), Some(learner)).await).await;
    let evidence = view["evidence"][0]["id"].as_str().unwrap().to_owned();
    values.insert(Obj::Declaration, decl.to_string());
    compliant(app, learner_id, year).await;
    let cert = created(app.post("/api/v1/me/certificates", Some(learner), json!({"year": year})).await).await;
    values.insert(Obj::Certificate, cert["code"].as_str().unwrap().to_owned());

    // A draft course of base A with a lecture and its transcode job.
    let base_a = a.token("base_admin");
    let body = json!({"title": "草稿课程", "category": "public_required", "year": year, "hours": 1.0,
                      "teacher": "王老师", "description": ""});
    let draft = created(app.post("/api/v1/courses", Some(base_a), body).await).await["id"].as_i64().unwrap();
    let lecture = lecture::ActiveModel {
        course_id: Set(draft as i32),
        position: Set(1),
        title: Set("第一讲".into()),
        status: Set("processing".into()),
        duration_s: Set(None),
        error: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.app_state.db)
    .await
    .unwrap();
    let payload = xueshi::jobs::transcode::TranscodePayload { lecture_id: lecture.id, upload_id: uuid::Uuid::new_v4() };
    let job =
        xueshi::jobs::queue::enqueue(&app.app_state.db, "transcode", payload.to_json(), Utc::now()).await.unwrap();
    values.insert(Obj::DraftCourse, draft.to_string());
    values.insert(Obj::Job, job.id.to_string());

    // A published course of base A with an exam, an open attempt and a play session of A.
    let (course, lectures) = course_with_lectures(app, a.base as i32, "public_required").await;
    let bank = published_bank(app, "intellectual_property.json").await;
    values.insert(Obj::Bank, bank.to_string());
    let body = json!({"course_id": course, "bank_id": bank, "duration_s": 600, "draw": {"single": 5, "multiple": 2, "judge": 3}});
    let exam = created(app.post("/api/v1/exams", Some(&app.admin_token), body).await).await["id"].as_i64().unwrap();
    values.insert(Obj::Exam, exam.to_string());
    mark_watched(app, learner_id, &lectures, 1).await;
    let attempt = created(app.post(&format!("/api/v1/exams/{exam}/attempts"), Some(learner), json!({})).await).await;
    let attempt = attempt["attempt_id"].as_i64().unwrap();
    assert!(correct_sheet(app, attempt).await.is_object());
    values.insert(Obj::Attempt, attempt.to_string());
    // (The exam's lectures carry a stand-in watch state: play another published course.)
    let (_, to_watch) = course_with_lectures(app, a.base as i32, "professional").await;
    values.insert(Obj::PublishedCourse, to_watch[0].to_string());
    let play =
        created(app.post(&format!("/api/v1/lectures/{}/play", to_watch[0]), Some(learner), json!({})).await).await;
    values.insert(Obj::Session, play["session_id"].as_str().unwrap().to_owned());
    let stream_url = play["stream_url"].as_str().unwrap().to_owned();
    let stream_url = stream_url.strip_prefix(&app.address).unwrap_or(&stream_url).to_owned();

    // A training plan with a class, and an excellent-course nomination, of base A.
    let plan_year = year + 1;
    let body = json!({"year": plan_year, "classes": [class(plan_year, "能力提升班", "装备制造")]});
    let plan = created(app.post("/api/v1/training-plans", Some(base_a), body).await).await;
    values.insert(Obj::Plan, plan["id"].as_i64().unwrap().to_string());
    values.insert(Obj::Class, plan["classes"][0]["id"].as_i64().unwrap().to_string());
    let body = json!({"course_id": course, "ip_pledge": true});
    let nomination = created(app.post("/api/v1/excellent/nominations", Some(base_a), body).await).await;
    values.insert(Obj::Nomination, nomination["id"].as_i64().unwrap().to_string());

    Owned { values, evidence, lecture: i64::from(lecture.id), stream_url, year }
}

/// A request body good enough to get past parsing, so the answer is about authorisation.
fn request(app: &TestApp, method: &Method, path: &str, template: &str, owned: &Owned) -> reqwest::RequestBuilder {
    let rb = app.anon.request(method.clone(), app.url(path));
    let file = |name: &str| multipart::Part::bytes(b"id_number,name\n".to_vec()).file_name(name.to_owned());
    let body = match (method.as_str(), template) {
        ("POST", "/api/v1/courses/{id}/lectures") => {
            return rb.multipart(multipart::Form::new().text("title", "第二讲").part("file", file("a.mp4")));
        }
        ("POST", "/api/v1/offline-classes/{id}/roster") => {
            return rb.multipart(multipart::Form::new().part("file", file("roster.csv")));
        }
        ("PUT", "/api/v1/declarations/{id}") => {
            json!({"kind": "conference", "year": owned.year, "title": "改", "days": 1, "hours": 6})
        }
        ("POST", "/api/v1/declarations/{id}/review" | "/api/v1/training-plans/{id}/review") => {
            json!({"decision": "approve", "comment": "属实"})
        }
        ("PUT", "/api/v1/attempts/{id}/answers") => json!({"answers": {}}),
        ("POST", "/api/v1/certificates/{code}/revoke") => json!({"reason": "伪造材料"}),
        ("POST", "/api/v1/play/{session_id}/beat") => json!({"position_s": 1.0}),
        ("PUT", "/api/v1/training-plans/{id}") => {
            json!({"year": owned.year + 1, "classes": [class(owned.year + 1, "改名班", "装备制造")]})
        }
        ("POST", "/api/v1/offline-classes/{id}/attendance") => json!({"attendance": []}),
        _ => json!({}),
    };
    rb.json(&body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_learners_and_organisations_are_refused_real_objects() {
    let app = spawn_app(Backend::Embedded).await;
    let spec: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
    let table = cross_rules();
    let mut missing = Vec::new();
    for (path, ops) in spec["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let m = method.to_uppercase();
            if path.contains('{') && !table.iter().any(|(tm, tp, _)| *tm == m && tp == path) {
                missing.push(format!("{m} {path}"));
            }
        }
    }
    assert!(missing.is_empty(), "routes with a path id but no cross-owner row: {missing:#?}");
    for (m, p, _) in &table {
        assert!(
            spec["paths"][p][m.to_lowercase()].is_object(),
            "cross-owner row for a route that does not exist: {m} {p}"
        );
    }

    let a = tree(&app, "a", "威海市").await;
    let b = tree(&app, "b", "烟台市").await;
    let learner_a = app.user_token(&id_number(501), "learner", Some(a.employer)).await;
    let me: Value = app.get("/api/v1/me", Some(&learner_a)).await.json().await.unwrap();
    let owned = owned_by_a(&app, &a, &learner_a, me["id"].as_i64().unwrap() as i32).await;
    let mut callers: Vec<(String, String)> = vec![
        ("another learner of A's employer".into(), app.user_token(&id_number(502), "learner", Some(a.employer)).await),
        ("a learner of organisation B".into(), app.user_token(&id_number(503), "learner", Some(b.employer)).await),
    ];
    callers.extend(b.tokens.iter().map(|(role, t)| (format!("{role} of organisation B"), t.clone())));

    let mut failures = Vec::new();
    let mut cells = 0;
    for (m, template, cross) in &table {
        let method = Method::from_bytes(m.as_bytes()).unwrap();
        let (obj, rule) = match cross {
            Cross::Refused(obj) => (*obj, None),
            Cross::Allowed(obj, why) => (*obj, Some(*why)),
        };
        let path = owned.concrete(template, obj);
        for (who, token) in &callers {
            let status =
                request(&app, &method, &path, template, &owned).bearer_auth(token).send().await.unwrap().status();
            cells += 1;
            let ok = match rule {
                None => matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                Some(_) => !status.is_server_error(),
            };
            if !ok {
                failures
                    .push(format!("{m} {path} ({template}) as {who}: {status} (rule: {})", rule.unwrap_or("refused")));
            }
        }
    }
    assert!(failures.is_empty(), "cross-owner violations:\n{}", failures.join("\n"));
    eprintln!("cross-owner matrix: {} routes x {} callers = {cells} cells hold", table.len(), callers.len());

    // The objects are real: their owners still reach them.
    let decl = owned.concrete("/api/v1/declarations/{id}", Obj::Declaration);
    assert_eq!(app.get(&decl, Some(&learner_a)).await.status(), StatusCode::OK);
    let attempt = owned.concrete("/api/v1/attempts/{id}", Obj::Attempt);
    assert_eq!(app.get(&attempt, Some(&learner_a)).await.status(), StatusCode::OK);
    let course = owned.concrete("/api/v1/courses/{id}", Obj::DraftCourse);
    assert_eq!(app.get(&course, Some(a.token("base_admin"))).await.status(), StatusCode::OK);
    let plan = owned.concrete("/api/v1/training-plans/{id}", Obj::Plan);
    assert_eq!(app.get(&plan, Some(a.token("base_admin"))).await.status(), StatusCode::OK);
    let job = owned.concrete("/api/v1/jobs/{id}", Obj::Job);
    assert_eq!(app.get(&job, Some(a.token("base_admin"))).await.status(), StatusCode::OK);
}
