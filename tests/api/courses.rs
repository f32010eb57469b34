//! Courses, lecture uploads, transcode jobs and signed streaming, through the real HTTP API.
//! Videos are generated with ffmpeg's test sources into each test's temporary directory.
use std::path::{Path, PathBuf};

use reqwest::{StatusCode, header, multipart};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

/// A base with its admin, a second base with its admin, and a learner.
struct Cast {
    base: i64,
    base_admin: String,
    other_admin: String,
    learner: String,
    learner_id: i32,
}

async fn cast(app: &TestApp) -> Cast {
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

fn course_body(title: &str, hours: f64) -> Value {
    json!({"title": title, "category": "public_required", "year": 2026, "hours": hours,
           "teacher": "王老师", "description": "知识产权基础"})
}

async fn create_course(app: &TestApp, token: &str, hours: f64) -> i64 {
    let r = app.post("/api/v1/courses", Some(token), course_body("知识产权保护", hours)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "draft");
    v["id"].as_i64().unwrap()
}

/// A 320x180 test-pattern video with a tone, `seconds` long.
fn test_video(dir: &Path, seconds: u32) -> PathBuf {
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

async fn upload(app: &TestApp, token: &str, course: i64, file_name: &str, bytes: Vec<u8>) -> reqwest::Response {
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

fn uploads_dir(app: &TestApp) -> PathBuf {
    app.app_state.settings.media_dir.join("uploads")
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

async fn course(app: &TestApp, token: &str, id: i64) -> Value {
    let r = app.get(&format!("/api/v1/courses/{id}"), Some(token)).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn job(app: &TestApp, token: &str, id: i64) -> Value {
    let r = app.get(&format!("/api/v1/jobs/{id}"), Some(token)).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

fn no_worker(s: &mut xueshi::config::Settings) {
    s.run_jobs = false;
}

/// Upload -> job -> ready lecture -> review -> signed streaming, with the worker driven by hand.
async fn upload_transcode_publish_and_stream(backend: Backend) {
    let app = spawn_with(backend, no_worker).await;
    let c = cast(&app).await;
    let course_id = create_course(&app, &c.base_admin, 0.1).await;
    let dir = tempfile::tempdir().unwrap();
    let video = std::fs::read(test_video(dir.path(), 10)).unwrap();

    let r = upload(&app, &c.base_admin, course_id, "../../etc/passwd.mp4", video).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["lecture"]["status"], "processing");
    let (lecture_id, job_id) = (v["lecture"]["id"].as_i64().unwrap(), v["job"]["id"].as_i64().unwrap());
    assert_eq!(job(&app, &c.base_admin, job_id).await["status"], "queued");
    let uploads = entries(&uploads_dir(&app));
    assert_eq!(uploads.len(), 1);
    assert!(uploads[0].ends_with(".upload") && !uploads[0].contains("passwd"), "{uploads:?}");

    // Publishing is refused while the lecture is processing.
    let r = app.post(&format!("/api/v1/courses/{course_id}/submit"), Some(&c.base_admin), json!({})).await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "submitted"}));
    let publish = format!("/api/v1/courses/{course_id}/publish");
    let (s, code) = error_code(app.post(&publish, Some(&app.admin_token), json!({})).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::CONFLICT, "lectures_not_ready"));

    // Run the job while watching its progress through the API.
    let state = app.app_state.clone();
    let worker = tokio::spawn(async move { xueshi::jobs::run_once(&state).await.unwrap() });
    let mut seen = Vec::new();
    while !worker.is_finished() {
        seen.push(job(&app, &c.base_admin, job_id).await["progress"].as_f64().unwrap());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(worker.await.unwrap(), Some(job_id));
    assert!(seen.windows(2).all(|w| w[0] <= w[1]) && seen.iter().all(|p| (0.0..=1.0).contains(p)), "{seen:?}");
    let done = job(&app, &c.base_admin, job_id).await;
    assert_eq!((done["status"].as_str(), done["progress"].as_f64()), (Some("done"), Some(1.0)), "{done}");
    assert!(done.get("error").is_none());
    let detail = course(&app, &c.base_admin, course_id).await;
    let lecture = &detail["lectures"][0];
    assert_eq!(lecture["status"], "ready");
    assert!((lecture["duration_s"].as_f64().unwrap() - 10.0).abs() < 0.5, "{lecture}");
    assert_eq!(detail["exam"], Value::Null);
    assert!(entries(&uploads_dir(&app)).is_empty(), "the raw upload is deleted");

    // 0.1 h at the default 45 min per hour needs 270 s of video; 10 s is not enough.
    let (s, code) = error_code(app.post(&publish, Some(&app.admin_token), json!({})).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::CONFLICT, "hours_exceed_length"));
    // The number comes from the policy: at 1 minute per hour, 6 s are needed.
    let mut policy: Value = app.get("/api/v1/policies/2026", Some(&app.admin_token)).await.json().await.unwrap();
    policy["minutes_per_credit_hour"] = json!(1);
    assert_eq!(app.put("/api/v1/admin/policies/2026", Some(&app.admin_token), policy).await.status(), StatusCode::OK);
    let r = app.post(&publish, Some(&app.admin_token), json!({})).await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "published"}));
    let listed: Value = app.get("/api/v1/courses?year=2026", Some(&c.learner)).await.json().await.unwrap();
    assert_eq!(listed["courses"][0]["id"], course_id);

    stream_checks(&app, &c, course_id, lecture_id).await;
}
both_backends!(upload_is_transcoded_published_and_streamed, upload_transcode_publish_and_stream);

async fn stream_checks(app: &TestApp, c: &Cast, course_id: i64, lecture_id: i64) {
    // Staff preview and a learner's URL (as the watch module will hand it out).
    let preview = format!("/api/v1/courses/{course_id}/lectures/{lecture_id}/preview");
    let p: Value = app.get(&preview, Some(&c.base_admin)).await.json().await.unwrap();
    let master = p["stream_url"].as_str().unwrap().to_owned();
    assert!(master.ends_with("/master.m3u8"), "{master}");
    assert_eq!(app.get(&preview, Some(&c.other_admin)).await.status(), StatusCode::NOT_FOUND);
    let now = app.app_state.clock.now();
    let url = xueshi::courses::stream_url(&app.app_state, c.learner_id, lecture_id as i32, now);

    let r = app.anon.get(app.url(&url)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::CONTENT_TYPE], "application/vnd.apple.mpegurl");
    assert!(r.headers()[header::CACHE_CONTROL].to_str().unwrap().starts_with("private"));
    assert!(r.text().await.unwrap().contains("360p/index.m3u8"));

    // A Range request gets exactly those bytes.
    let segment_url = url.replace("master.m3u8", "360p/segment_000.ts");
    let on_disk = app.app_state.settings.media_dir.join(format!("lectures/{lecture_id}/360p/segment_000.ts"));
    let bytes = std::fs::read(on_disk).unwrap();
    let r = app.anon.get(app.url(&segment_url)).header(header::RANGE, "bytes=100-1099").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.headers()[header::CONTENT_TYPE], "video/mp2t");
    assert_eq!(r.headers()[header::CONTENT_RANGE].to_str().unwrap(), format!("bytes 100-1099/{}", bytes.len()));
    assert_eq!(r.bytes().await.unwrap().as_ref(), &bytes[100..1100]);

    // Tampered token, another lecture's URL, an escaping path, then an expired token.
    let token = url.split('/').nth(4).unwrap().to_owned();
    let mut forged: Vec<char> = token.chars().collect();
    forged[3] = if forged[3] == 'A' { 'B' } else { 'A' };
    let forged: String = forged.into_iter().collect();
    let refused =
        [url.replace(&token, &forged), url.replace(&format!("/{lecture_id}/"), &format!("/{}/", lecture_id + 1))];
    for bad in refused {
        let (s, code) = error_code(app.anon.get(app.url(&bad)).send().await.unwrap()).await;
        assert_eq!((s, code.as_str()), (StatusCode::FORBIDDEN, "stream_forbidden"), "{bad}");
    }
    let escape = url.replace("master.m3u8", "..%2F..%2Fuploads%2Fx.upload");
    assert_eq!(app.anon.get(app.url(&escape)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    app.app_state.clock.advance(app.app_state.settings.stream_url_ttl_s + 1);
    let (s, code) = error_code(app.anon.get(app.url(&url)).send().await.unwrap()).await;
    assert_eq!((s, code.as_str()), (StatusCode::FORBIDDEN, "stream_expired"));
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

    // Publishing an empty course is refused; rejecting needs a reason and is shown to the base.
    app.post(&format!("{path}/submit"), Some(&c.base_admin), json!({})).await;
    let r = app.post(&format!("{path}/publish"), Some(&app.admin_token), json!({})).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "no_lectures".into()));
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

/// A transcode job whose upload is gone: each attempt fails, retries wait out the backoff,
/// the last one fails the job and the lecture. No video is needed.
async fn failing_job_is_retried_then_failed(backend: Backend) {
    let app = spawn_with(backend, no_worker).await;
    let c = cast(&app).await;
    let course_id = create_course(&app, &c.base_admin, 1.0).await;
    let now = app.app_state.clock.now();
    let (lecture, job_row) =
        xueshi::courses::upload::register(&app.app_state.db, course_id as i32, "第二讲", uuid::Uuid::new_v4(), now)
            .await
            .unwrap();
    let state = &app.app_state;
    for attempt in 1..=3 {
        assert_eq!(xueshi::jobs::run_once(state).await.unwrap(), Some(job_row.id), "attempt {attempt}");
        let v = job(&app, &c.base_admin, job_row.id).await;
        assert_eq!(v["attempts"], attempt);
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}");
        if attempt < 3 {
            assert_eq!(v["status"], "queued");
            assert_eq!(xueshi::jobs::run_once(state).await.unwrap(), None, "waits for the backoff");
            state.clock.advance(xueshi::jobs::queue::backoff(attempt).num_seconds() + 1);
        } else {
            assert_eq!(v["status"], "failed");
        }
    }
    let detail = course(&app, &c.base_admin, course_id).await;
    assert_eq!(detail["lectures"][0]["id"], lecture.id);
    assert_eq!(detail["lectures"][0]["status"], "failed");
    assert!(detail["lectures"][0]["error"].is_string());
    // Jobs are visible to their course's managers only.
    for token in [&c.other_admin, &c.learner] {
        let r = app.get(&format!("/api/v1/jobs/{}", job_row.id), Some(token)).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}
both_backends!(a_failing_job_is_retried_with_backoff_then_failed, failing_job_is_retried_then_failed);

/// A worker that died holding a job: once its lease expires, the next worker takes the job.
async fn expired_lease_is_reclaimed(backend: Backend) {
    let app = spawn_with(backend, no_worker).await;
    let c = cast(&app).await;
    let course_id = create_course(&app, &c.base_admin, 1.0).await;
    let state = &app.app_state;
    let now = state.clock.now();
    let (_, job_row) =
        xueshi::courses::upload::register(&state.db, course_id as i32, "第三讲", uuid::Uuid::new_v4(), now)
            .await
            .unwrap();
    let claimed = xueshi::jobs::queue::claim_next(&state.db, "dead-worker", now).await.unwrap().unwrap();
    assert_eq!((claimed.id, claimed.attempts), (job_row.id, 1));
    assert_eq!(job(&app, &c.base_admin, job_row.id).await["status"], "running");
    assert_eq!(xueshi::jobs::run_once(state).await.unwrap(), None, "the lease still holds");
    state.clock.advance(xueshi::jobs::queue::LEASE_S + 1);
    assert_eq!(xueshi::jobs::run_once(state).await.unwrap(), Some(job_row.id));
    assert_eq!(job(&app, &c.base_admin, job_row.id).await["attempts"], 2);
}
both_backends!(a_dead_workers_job_is_reclaimed_after_its_lease, expired_lease_is_reclaimed);

/// `serve` runs a worker in process: a queued job is picked up without anyone calling it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_in_process_worker_picks_up_jobs() {
    let app = spawn_app(Backend::Embedded).await;
    let c = cast(&app).await;
    let course_id = create_course(&app, &c.base_admin, 1.0).await;
    let now = app.app_state.clock.now();
    let (_, job_row) =
        xueshi::courses::upload::register(&app.app_state.db, course_id as i32, "第四讲", uuid::Uuid::new_v4(), now)
            .await
            .unwrap();
    for _ in 0..100 {
        if job(&app, &c.base_admin, job_row.id).await["attempts"] == 1 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the worker did not pick the job up within 10 s");
}
