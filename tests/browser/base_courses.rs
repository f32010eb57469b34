//! A base admin on a phone creates a course, uploads a generated video and watches the upload
//! bar and then the transcoding bar reach 100% and the lecture turn 就绪, is refused a text
//! file renamed .mp4, and submits the course; the platform admin previews and publishes it.
use std::path::Path;

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::driver;
use crate::helpers::*;
use crate::steps::{click, fits_the_phone, login, wait_js, wait_text, wait_text_within};

/// A short test-pattern clip with a tone, made by ffmpeg (the same tool that transcodes it).
fn generated_clip(dir: &Path, seconds: u32) -> String {
    let path = dir.join("第一讲.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-f", "lavfi", "-i", &format!("testsrc2=duration={seconds}:size=480x270")])
        .args(["-f", "lavfi", "-i", &format!("sine=frequency=660:duration={seconds}"), "-shortest"])
        .args(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"])
        .arg(&path)
        .status()
        .expect("ffmpeg is installed");
    assert!(status.success(), "ffmpeg could not generate the clip");
    path.display().to_string()
}

/// Reads a `<progress>` element's value.
async fn bar(c: &Client, id: &str) -> f64 {
    let v = c.execute("return document.getElementById(arguments[0]).value;", vec![json!(id)]).await.unwrap();
    v.as_f64().unwrap()
}

async fn fill(c: &Client, id: &str, text: &str) {
    let field = c.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// The policy of `year` with `minutes` of video per credit hour, so a few seconds can back 0.1 h.
async fn short_hours_policy(app: &TestApp, year: i32, minutes: u32) {
    let path = format!("/api/v1/policies/{year}");
    let mut policy: Value = app.get(&path, Some(&app.admin_token)).await.json().await.unwrap();
    policy["minutes_per_credit_hour"] = json!(minutes);
    let r = app.put(&format!("/api/v1/admin/policies/{year}"), Some(&app.admin_token), policy).await;
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn base_admin_uploads_a_lecture_and_the_admin_publishes_it() {
    let Some(browser) = driver::open().await else { return };
    let app = spawn_app(Backend::Embedded).await;
    let year = xueshi::archive::ledger::year_of(app.app_state.clock.now());
    short_hours_policy(&app, year, 1).await;
    let bureau = app.create_org("威海市人社局", "hr_bureau", None).await;
    let base = app.create_org("威海职业学院继续教育基地", "base", Some(bureau)).await;
    app.user_token("jidi_admin", "base_admin", Some(base)).await;
    let dir = tempfile::tempdir().unwrap();
    let clip = generated_clip(dir.path(), 8);
    let not_a_video = dir.path().join("讲座.mp4");
    std::fs::write(&not_a_video, "这是一个文本文件，不是视频。\n".repeat(50)).unwrap();

    let c = &browser.client;
    login(c, &app, "jidi_admin", PASSWORD).await;
    click(c, "a[href='/base/courses']").await;
    click(c, "#new-course").await;
    // A wrong entry is named next to its field, in Chinese.
    fill(c, "f-title", "安全生产法律法规").await;
    fill(c, "f-hours", "0.25").await;
    fill(c, "f-teacher", "刘教授").await;
    fill(c, "f-description", "安全生产法及配套法规的要点与案例。").await;
    click(c, "#save-course").await;
    assert!(wait_text(c, "#e-hours", "学时").await.contains("最多一位小数"));
    fits_the_phone(c).await;
    browser.screenshot("base-01-course-form-error").await;
    fill(c, "f-hours", "0.1").await;
    click(c, "#save-course").await;
    wait_text(c, "#done", "课程已创建").await;
    browser.screenshot("base-02-course-created").await;

    // A text file renamed .mp4: refused, said in Chinese next to the file field.
    fill(c, "f-lecture-title", "第一讲 概述").await;
    c.find(Locator::Id("f-file")).await.unwrap().send_keys(&not_a_video.display().to_string()).await.unwrap();
    click(c, "#upload-button").await;
    assert!(wait_text(c, "#e-file", "不是可播放的视频文件").await.contains("MP4"));
    assert!(!c.find(Locator::Id("upload-progress")).await.unwrap().is_displayed().await.unwrap());
    fits_the_phone(c).await;
    browser.screenshot("base-03-not-a-video").await;

    // The real clip: the upload bar, then the transcoding bar, reach 100% and the lecture is ready.
    fill(c, "f-lecture-title", "第一讲 概述").await;
    let file = c.find(Locator::Id("f-file")).await.unwrap();
    file.clear().await.unwrap();
    file.send_keys(&clip).await.unwrap();
    click(c, "#upload-button").await;
    wait_text(c, "#upload-text", "100% 已上传").await;
    assert_eq!(bar(c, "upload-bar").await, 100.0);
    assert!(c.find(Locator::Id("e-file")).await.unwrap().text().await.unwrap().is_empty());
    browser.screenshot("base-04-uploaded-transcoding").await;
    wait_text_within(c, "#transcode-text", "100% 就绪", 180).await;
    assert_eq!(bar(c, "transcode-bar").await, 100.0);
    let row = wait_text(c, "#lectures li:last-child", "时长 0:08").await;
    assert!(row.contains("第一讲 概述") && row.contains("就绪") && row.contains("预览"), "{row}");
    assert_eq!(c.find(Locator::Id("total-length")).await.unwrap().text().await.unwrap(), "0:08");
    fits_the_phone(c).await;
    browser.screenshot("base-05-transcoded-ready").await;

    // Submit for review.
    click(c, "#submit-button").await;
    wait_text(c, "#done", "已提交审核").await;
    assert!(c.find(Locator::Id("course-status")).await.unwrap().text().await.unwrap().contains("待审核"));
    browser.screenshot("base-06-submitted").await;
    let course_id: i64 = c.current_url().await.unwrap().path().rsplit('/').next().unwrap().parse().unwrap();

    // The platform admin previews the lecture and publishes the course.
    click(c, "header form button[type=submit]").await;
    login(c, &app, "admin", PASSWORD).await;
    click(c, "a[href='/admin/courses']").await;
    let queued = wait_text(c, &format!("#course-{course_id}"), "安全生产法律法规").await;
    assert!(queued.contains("第一讲 概述") && queued.contains("0:08"), "{queued}");
    browser.screenshot("base-07-review-queue").await;
    click(c, &format!("#course-{course_id} a[href*='/preview']")).await;
    let video = c.wait().for_element(Locator::Id("preview-video")).await.unwrap();
    let has_metadata = "const v = document.getElementById('preview-video'); \
                        return v.readyState >= 1 ? v.readyState : null;";
    wait_js(c, has_metadata, 20).await;
    let duration = c.execute("return document.getElementById('preview-video').duration;", vec![]).await.unwrap();
    assert!((duration.as_f64().unwrap() - 8.0).abs() < 1.0, "duration {duration}");
    assert!(video.is_displayed().await.unwrap());
    browser.screenshot("base-08-preview").await;
    c.back().await.unwrap();
    click(c, &format!("#course-{course_id} .publish-button")).await;
    wait_text(c, "#done", "已发布").await;
    fits_the_phone(c).await;
    browser.screenshot("base-09-published").await;
    let course: Value =
        app.get(&format!("/api/v1/courses/{course_id}"), Some(&app.admin_token)).await.json().await.unwrap();
    assert_eq!(course["status"], "published");
    browser.close().await;
}
