//! Courses, lecture uploads, transcode jobs and signed streaming, through the real HTTP API.
//! Videos are generated with ffmpeg's test sources into each test's temporary directory.
mod flow;
mod jobs;

use std::path::{Path, PathBuf};

use reqwest::{StatusCode, multipart};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

/// A base with its admin, a second base with its admin, and a learner.
pub(super) struct Cast {
    pub base: i64,
    pub base_admin: String,
    pub other_admin: String,
    pub learner: String,
    pub learner_id: i32,
}

pub(super) async fn cast(app: &TestApp) -> Cast {
    let bureau = app.create_org("威海市人社局", "hr_bureau", None).await;
    let base = app.create_org("职业学院继续教育基地", "base", Some(bureau)).await;
    let other = app.create_org("另一个基地", "base", Some(bureau)).await;
    let employer = app.create_org("市立医院", "employer", Some(bureau)).await;
    let base_admin = app.user_token("base_admin_1", "base_admin", Some(base)).await;
    let other_admin = app.user_token("base_admin_2", "base_admin", Some(other)).await;
    let learner = app.user_token(&id_number(101), "learner", Some(employer)).await;
    let me: Value = app.get("/api/v1/me", Some(&learner)).await.json().await.unwrap();
    let learner_id = me["id"].as_i64().unwrap() as i32;
    Cast { base, base_admin, other_admin, learner, learner_id }
}

pub(super) fn course_body(title: &str, hours: f64) -> Value {
    json!({"title": title, "category": "public_required", "year": 2026, "hours": hours,
           "teacher": "王老师", "description": "知识产权基础"})
}

pub(super) async fn create_course(app: &TestApp, token: &str, hours: f64) -> i64 {
    let r = app.post("/api/v1/courses", Some(token), course_body("知识产权保护", hours)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "draft");
    v["id"].as_i64().unwrap()
}

/// A 320x180 test-pattern video with a tone, `seconds` long.
pub(super) fn test_video(dir: &Path, seconds: u32) -> PathBuf {
    let path = dir.join("lecture.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("testsrc=duration={seconds}:size=320x180:rate=25"))
        .args(["-f", "lavfi", "-i"])
        .arg(format!("sine=duration={seconds}"))
        .args(["-shortest", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast"])
        .arg(&path)
        .status()
        .expect("ffmpeg is installed");
    assert!(status.success());
    path
}

/// A lecture that is ready with `seconds` of video, as if its transcode had run (for tests
/// about review and access, not about media; the worker must be off).
pub(crate) async fn ready_lecture(app: &TestApp, course: i64, seconds: f64) -> i64 {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
    let state = &app.app_state;
    let now = state.clock.now();
    let (lecture, _) =
        xueshi::courses::upload::register(&state.db, course as i32, "第一讲 概述", uuid::Uuid::new_v4(), now)
            .await
            .unwrap();
    let id = lecture.id;
    let mut row = lecture.into_active_model();
    row.status = Set("ready".into());
    row.duration_s = Set(Some(seconds));
    row.update(&state.db).await.unwrap();
    i64::from(id)
}

pub(super) async fn upload(
    app: &TestApp,
    token: &str,
    course: i64,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let part = multipart::Part::bytes(bytes).file_name(file_name.to_owned()).mime_str("video/mp4").unwrap();
    let form = multipart::Form::new().text("title", "第一讲 概述").part("file", part);
    app.anon
        .post(app.url(&format!("/api/v1/courses/{course}/lectures")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("request")
}

pub(super) fn uploads_dir(app: &TestApp) -> PathBuf {
    app.app_state.settings.media_dir.join("uploads")
}

pub(super) fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

pub(super) async fn course(app: &TestApp, token: &str, id: i64) -> Value {
    let r = app.get(&format!("/api/v1/courses/{id}"), Some(token)).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

pub(super) async fn job(app: &TestApp, token: &str, id: i64) -> Value {
    let r = app.get(&format!("/api/v1/jobs/{id}"), Some(token)).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

pub(super) fn no_worker(s: &mut xueshi::config::Settings) {
    s.run_jobs = false;
}

async fn not_a_video_is_refused_and_nothing_is_kept(backend: Backend) {
    let app = spawn_with(backend, no_worker).await;
    let c = cast(&app).await;
    let course_id = create_course(&app, &c.base_admin, 1.0).await;
    let text = "这不是视频 (this is not a video)\n".repeat(100).into_bytes();
    let (s, code) = error_code(upload(&app, &c.base_admin, course_id, "lecture.mp4", text).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_media"));
    assert!(entries(&uploads_dir(&app)).is_empty());
    assert_eq!(course(&app, &c.base_admin, course_id).await["lectures"], json!([]));
    assert_eq!(xueshi::jobs::run_once(&app.app_state).await.unwrap(), None, "no job was queued");
}
both_backends!(a_text_file_named_mp4_is_invalid_media, not_a_video_is_refused_and_nothing_is_kept);

async fn oversize_uploads_get_413(backend: Backend) {
    let app = spawn_with(backend, |s| {
        s.run_jobs = false;
        s.max_upload_mb = 1;
    })
    .await;
    let c = cast(&app).await;
    let course_id = create_course(&app, &c.base_admin, 1.0).await;
    // Just over the limit: refused while streaming, the partial file deleted. Far over: refused
    // from Content-Length before anything is written.
    for size in [1024 * 1024 + 10 * 1024, 3 * 1024 * 1024] {
        let r = upload(&app, &c.base_admin, course_id, "big.mp4", vec![0u8; size]).await;
        assert_eq!(error_code(r).await, (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large".into()), "{size}");
        assert!(entries(&uploads_dir(&app)).is_empty(), "{size}");
    }
    assert_eq!(course(&app, &c.base_admin, course_id).await["lectures"], json!([]));
}
both_backends!(uploads_over_the_limit_get_413, oversize_uploads_get_413);

async fn courses_are_scoped_to_their_base(backend: Backend) {
    let app = spawn_with(backend, no_worker).await;
    let c = cast(&app).await;
    let (s, code) = error_code(app.post("/api/v1/courses", Some(&c.learner), course_body("课", 1.0)).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::FORBIDDEN, "forbidden_role"));
    let (s, code) = error_code(app.post("/api/v1/courses", Some(&c.base_admin), course_body("课", 1.25)).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_hours"));
    let mut bad = course_body("课", 1.0);
    bad["category"] = json!("sports");
    assert_eq!(app.post("/api/v1/courses", Some(&c.base_admin), bad).await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let id = create_course(&app, &c.base_admin, 1.0).await;
    let path = format!("/api/v1/courses/{id}");
    for token in [&c.other_admin, &c.learner] {
        assert_eq!(app.get(&path, Some(token)).await.status(), StatusCode::NOT_FOUND);
    }
    let r = app.post(&format!("{path}/submit"), Some(&c.other_admin), json!({})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = upload(&app, &c.other_admin, id, "x.mp4", b"whatever".to_vec()).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&path, Some(&app.admin_token)).await.status(), StatusCode::OK);

    let list = |token: String| {
        let app = &app;
        async move {
            let v: Value = app.get("/api/v1/courses", Some(&token)).await.json().await.unwrap();
            v["courses"].as_array().unwrap().len()
        }
    };
    assert_eq!(list(c.base_admin.clone()).await, 1);
    assert_eq!(list(c.other_admin.clone()).await, 0);
    assert_eq!(list(c.learner.clone()).await, 0);
    assert_eq!(list(app.admin_token.clone()).await, 1);

    // Submitting an empty course is refused; rejecting needs a reason and is shown to the base.
    let r = app.post(&format!("{path}/submit"), Some(&c.base_admin), json!({})).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "no_lectures".into()));
    ready_lecture(&app, id, 2700.0).await;
    let r = app.post(&format!("{path}/submit"), Some(&c.base_admin), json!({})).await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "submitted"}));
    let r = app.post(&format!("{path}/publish"), Some(&c.base_admin), json!({})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.post(&format!("{path}/reject"), Some(&app.admin_token), json!({"reason": " "})).await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_reason".into()));
    let r = app.post(&format!("{path}/reject"), Some(&app.admin_token), json!({"reason": "缺少课件"})).await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "rejected"}));
    let detail = course(&app, &c.base_admin, id).await;
    assert_eq!((detail["status"].as_str(), detail["reject_reason"].as_str()), (Some("rejected"), Some("缺少课件")));
    let _ = c.base;
}
both_backends!(a_base_sees_and_changes_only_its_own_courses, courses_are_scoped_to_their_base);
