//! The whole path of a lecture: upload, transcode job, review, signed streaming.
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use super::*;
use crate::both_backends;
use crate::helpers::*;

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

    // Submitting (and so publishing) is refused while the lecture is processing.
    let submit = format!("/api/v1/courses/{course_id}/submit");
    let (s, code) = error_code(app.post(&submit, Some(&c.base_admin), json!({})).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::CONFLICT, "lectures_not_ready"));
    let publish = format!("/api/v1/courses/{course_id}/publish");

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
    let (s, code) = error_code(app.post(&submit, Some(&c.base_admin), json!({})).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::CONFLICT, "hours_exceed_length"));
    // The number comes from the policy: at 1 minute per hour, 6 s are needed.
    let mut policy: Value = app.get("/api/v1/policies/2026", Some(&app.admin_token)).await.json().await.unwrap();
    let mut set_minutes = |minutes: u32| {
        policy["minutes_per_credit_hour"] = json!(minutes);
        app.put("/api/v1/admin/policies/2026", Some(&app.admin_token), policy.clone())
    };
    assert_eq!(set_minutes(1).await.status(), StatusCode::OK);
    let r = app.post(&submit, Some(&c.base_admin), json!({})).await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "submitted"}));
    // Publishing checks again under the policy of the day.
    assert_eq!(set_minutes(45).await.status(), StatusCode::OK);
    let (s, code) = error_code(app.post(&publish, Some(&app.admin_token), json!({})).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::CONFLICT, "hours_exceed_length"));
    assert_eq!(set_minutes(1).await.status(), StatusCode::OK);
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
