//! A learner on a phone goes catalog -> course -> player -> exam -> dashboard. The lecture is a
//! real 6-second video uploaded and transcoded to HLS by the app, and it plays to completion in
//! the page's own video element: the test never posts a heartbeat itself.
use std::time::Duration;

use chrono::Datelike;
use fantoccini::{Client, Locator};
use reqwest::{StatusCode, multipart};
use serde_json::{Value, json};

use crate::driver::{self, Browser};
use crate::helpers::*;
use crate::steps::{click, fits_the_phone, login, wait_text};
use crate::world;

const CLIP_S: u32 = 6;
const TITLE: &str = "数字经济概论";

struct Setup {
    app: TestApp,
    employer: i64,
    course_id: i64,
    lecture_id: i64,
}

/// A policy for quick tests: 2-second watch segments, and 1 minute of video per credit hour
/// so a 6-second lecture can back a 0.1-hour course.
async fn quick_policy(app: &TestApp, year: i32) {
    let path = format!("/api/v1/policies/{year}");
    let mut policy: Value = app.get(&path, Some(&app.admin_token)).await.json().await.unwrap();
    policy["segment_seconds"] = json!(2);
    policy["minutes_per_credit_hour"] = json!(1);
    let r = app.put(&format!("/api/v1/admin/policies/{year}"), Some(&app.admin_token), policy).await;
    assert_eq!(r.status(), StatusCode::OK);
}

/// A 320x180 H.264/AAC test pattern of [`CLIP_S`] seconds.
fn clip(dir: &std::path::Path) -> Vec<u8> {
    let path = dir.join("clip.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("testsrc2=duration={CLIP_S}:size=320x180:rate=25"))
        .args(["-f", "lavfi", "-i"])
        .arg(format!("sine=frequency=660:duration={CLIP_S}"))
        .args(["-shortest", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"])
        .arg(&path)
        .status()
        .expect("ffmpeg is installed (apt-get install ffmpeg)");
    assert!(status.success());
    std::fs::read(path).unwrap()
}

async fn wait_for_job(app: &TestApp, token: &str, job: i64) {
    for _ in 0..600 {
        let v: Value = app.get(&format!("/api/v1/jobs/{job}"), Some(token)).await.json().await.unwrap();
        match v["status"].as_str() {
            Some("done") => return,
            Some("failed") => panic!("transcode failed: {v}"),
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    panic!("the transcode did not finish within 120 s");
}

/// A published public required course of one real lecture, with an exam from a published bank.
async fn setup() -> Setup {
    let app = spawn_app(Backend::Embedded).await;
    let year = app.app_state.clock.now().year();
    quick_policy(&app, year).await;
    let bureau = app.create_org("威海市人社局", "hr_bureau", None).await;
    let employer = app.create_org("威海市立医院", "employer", Some(bureau)).await;
    let base = app.create_org("职业学院继续教育基地", "base", Some(bureau)).await;
    let base_admin = app.user_token("base_admin_s", "base_admin", Some(base)).await;
    let body = json!({"title": TITLE, "category": "public_required", "year": year, "hours": 0.1,
                      "teacher": "王老师", "description": "数字经济的基本概念与发展趋势。"});
    let r = app.post("/api/v1/courses", Some(&base_admin), body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let course_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let dir = tempfile::tempdir().unwrap();
    let part = multipart::Part::bytes(clip(dir.path())).file_name("clip.mp4").mime_str("video/mp4").unwrap();
    let form = multipart::Form::new().text("title", "第一讲 数字经济是什么").part("file", part);
    let url = app.url(&format!("/api/v1/courses/{course_id}/lectures"));
    let r = app.anon.post(url).bearer_auth(&base_admin).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let v: Value = r.json().await.unwrap();
    let lecture_id = v["lecture"]["id"].as_i64().unwrap();
    wait_for_job(&app, &base_admin, v["job"]["id"].as_i64().unwrap()).await;
    let r = app.post(&format!("/api/v1/courses/{course_id}/submit"), Some(&base_admin), json!({})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.post(&format!("/api/v1/courses/{course_id}/publish"), Some(&app.admin_token), json!({})).await;
    assert_eq!(r.status(), StatusCode::OK, "publish: {}", r.text().await.unwrap());

    let bank = world::published_bank(&app, "intellectual_property.json").await;
    let exam = json!({"course_id": course_id, "bank_id": bank, "duration_s": 600,
                      "draw": {"single": 3, "multiple": 1, "judge": 2}});
    assert_eq!(app.post("/api/v1/exams", Some(&app.admin_token), exam).await.status(), StatusCode::CREATED);
    Setup { app, employer, course_id, lecture_id }
}

/// Waits (up to `secs`) until the player says the lecture is completed; returns what the
/// page reports about its playback.
async fn wait_until_completed(c: &Client, secs: u64) -> Value {
    let probe = "const v = document.getElementById('video'), p = document.getElementById('player'); \
        return {completed: p.getAttribute('data-completed'), engine: p.getAttribute('data-engine'), \
        time: v.currentTime, ended: v.ended, error: v.error ? v.error.code : null, \
        message: document.getElementById('player-error').textContent};";
    let mut last = Value::Null;
    for _ in 0..secs * 5 {
        last = c.execute(probe, vec![]).await.unwrap();
        if last["completed"] == "true" {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the lecture never completed in the player: {last}");
}

/// Starts the exam, answers every question right (worked out from the database) and hands in.
async fn pass_the_exam(c: &Client, app: &TestApp, learner_id: i32) {
    click(c, "#start").await;
    wait_text(c, "#timer", "剩余").await;
    let attempt = world::attempts_of(app, &world::Learner { token: String::new(), id: learner_id }).await[0].id;
    let sheet = world::correct_sheet(app, attempt).await;
    for i in 0..sheet.as_object().unwrap().len() {
        let question = c.find(Locator::Id(&format!("question-{i}"))).await.unwrap();
        let name = question.find(Locator::Css("input")).await.unwrap().attr("name").await.unwrap().unwrap();
        for key in sheet[name.trim_start_matches('q')].as_array().unwrap() {
            click(c, &format!("#question-{i} input[value='{}']", key.as_str().unwrap())).await;
        }
        click(c, "#next").await;
    }
    wait_text(c, "#confirm-text", "全部").await;
    click(c, "#confirm-yes").await;
    wait_text(c, "#result", "考试通过").await;
}

async fn shot(browser: &Browser, name: &str) {
    fits_the_phone(&browser.client).await;
    browser.screenshot(name).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learner_watches_a_real_lecture_passes_the_exam_and_sees_the_hours() {
    let Some(browser) = driver::open().await else { return };
    let s = setup().await;
    let token = s.app.user_token(&id_number(91), "learner", Some(s.employer)).await;
    let me: Value = s.app.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
    let c = &browser.client;
    login(c, &s.app, &id_number(91), PASSWORD).await;

    // Catalog, reached from the dashboard.
    click(c, "main a[href='/courses']").await;
    let required = wait_text(c, "#required", TITLE).await;
    assert!(required.contains("未开始") && required.contains("0.1 学时"), "{required}");
    assert!(wait_text(c, "#electives", "公需选修").await.contains("还需再选 10 学时"));
    shot(&browser, "learn-01-catalog").await;

    // The course: the exam waits for the lectures.
    click(c, &format!("#course-{} a", s.course_id)).await;
    assert!(wait_text(c, "#exam-state", "请先学完全部讲次").await.contains("0 / 1"));
    assert!(wait_text(c, "#lectures", "时长 6 秒").await.contains("未观看"));
    shot(&browser, "learn-02-course").await;

    // The player: the real video element plays the HLS stream to the end.
    click(c, &format!("#lecture-{} a", s.lecture_id)).await;
    let played = wait_until_completed(c, 60).await;
    assert!(played["ended"] == true && played["time"].as_f64().unwrap() >= f64::from(CLIP_S) - 0.5, "{played}");
    eprintln!("player: {played}");
    assert_eq!(wait_text(c, "#coverage", "%").await, "100%");
    wait_text(c, "#watch-state", "本讲已完成").await;
    shot(&browser, "learn-03-player-completed").await;
    let progress: Value =
        s.app.get(&format!("/api/v1/courses/{}/progress", s.course_id), Some(&token)).await.json().await.unwrap();
    assert_eq!(progress["completed"], true, "{progress}");

    // Another device takes over: this page's next beat is refused, and the page says so.
    let r = s.app.post(&format!("/api/v1/lectures/{}/play", s.lecture_id), Some(&token), json!({})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    c.execute("document.getElementById('video').play(); return true;", vec![]).await.unwrap();
    wait_text(c, "#player-error", "已在其他设备上播放").await;
    let paused = c.execute("return document.getElementById('video').paused;", vec![]).await.unwrap();
    assert_eq!(paused, json!(true), "the superseded player stops");
    shot(&browser, "learn-03b-player-superseded").await;

    // Back on the course page the exam is open; pass it.
    click(c, "#back-to-course").await;
    wait_text(c, "#exam-state", "可以参加考试").await;
    assert!(wait_text(c, "#lectures", "已完成").await.contains("已观看 100%"));
    shot(&browser, "learn-04-course-done").await;
    click(c, "#exam-link").await;
    pass_the_exam(c, &s.app, me["id"].as_i64().unwrap() as i32).await;

    // The dashboard shows the hours, and the catalog the course as passed.
    click(c, "#result-actions a").await;
    let body = wait_text(c, "main", "公需科目").await;
    assert!(body.contains("0.1 / 30 学时"), "{body}");
    shot(&browser, "learn-05-dashboard").await;
    c.goto(&s.app.url("/courses")).await.unwrap();
    wait_text(c, &format!("#course-{}", s.course_id), "已通过").await;
    browser.close().await;
}
