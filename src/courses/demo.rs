//! The demo course (演示课程) for a fresh install: "知识产权保护" with two short generated
//! lectures that go through the real pipeline (registered upload, transcode job). Start-up does
//! not wait for the transcodes: a background task publishes the course once both are ready.
//! Without ffmpeg the course stays a draft without lectures, and a hint says why.
use std::{path::Path, time::Duration};

use actix_web::web::Data;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};

use super::{
    model::{Category, CourseStatus, NewCourse, lecture_status},
    service, upload,
};
use crate::{
    archive::ledger::year_of,
    auth::{AuthUser, Role},
    entities::course,
    jobs,
    media::MediaRoot,
    state::AppState,
};

const LECTURES: [(&str, &str); 2] =
    [("第一讲 知识产权概述", "testsrc"), ("第二讲 专利、商标与著作权的保护", "testsrc2")];
/// Short clips keep the demo light; they stand in for full-length lectures.
const CLIP_SECONDS: u32 = 20;
const GENERATE_TIMEOUT: Duration = Duration::from_secs(60);
const READY_POLL: Duration = Duration::from_secs(1);
const READY_WAIT_MAX: Duration = Duration::from_secs(30 * 60);

/// Creates the demo course owned by `base_org_id`, created by its admin `base_admin_id`;
/// returns its id.
pub async fn load(state: &Data<AppState>, base_org_id: i32, base_admin_id: i32) -> anyhow::Result<i32> {
    let now = state.clock.now();
    let admin = AuthUser {
        id: base_admin_id,
        role: Role::BaseAdmin,
        org_id: Some(base_org_id),
        name: String::new(),
        must_change_password: false,
    };
    let course = service::create(&state.db, &admin, demo_course(now), now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if !ffmpeg_available().await {
        println!("  demo: ffmpeg not found, so the demo course has no lectures (install it: apt-get install ffmpeg)");
        return Ok(course.id);
    }
    let media = MediaRoot::new(&state.settings.media_dir);
    for (title, source) in LECTURES {
        let (upload_id, path) = media.new_upload();
        generate_clip(&path, source).await?;
        upload::register(&state.db, course.id, title, upload_id, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    println!("  demo: transcoding 2 lectures of 《{}》; it is published when they are ready", course.title);
    let id = course.id;
    tokio::spawn(publish_when_ready(state.clone(), course));
    Ok(id)
}

/// Helps the worker with one job (so both clips transcode at once), then waits for both
/// lectures and publishes the course.
async fn publish_when_ready(state: Data<AppState>, course: course::Model) {
    if let Err(e) = jobs::run_once(&state).await {
        tracing::warn!(error = %e, "demo transcode");
    }
    if !lectures_become_ready(&state, course.id).await {
        tracing::warn!("the demo lectures did not transcode; the demo course stays a draft");
        return;
    }
    // A demo shortcut: published directly, as the clips are far shorter than the hours
    // claim; a real course goes through submit and publish, which check the lengths.
    let mut row = course.into_active_model();
    row.status = Set(CourseStatus::Published.as_str().to_owned());
    match row.update(&state.db).await {
        Ok(c) => tracing::info!(course = c.id, "demo course published"),
        Err(e) => tracing::warn!(error = %e, "demo: publishing the course"),
    }
}

async fn lectures_become_ready(state: &AppState, course_id: i32) -> bool {
    let deadline = tokio::time::Instant::now() + READY_WAIT_MAX;
    while tokio::time::Instant::now() < deadline {
        match service::lectures_of(&state.db, course_id).await {
            Ok(lectures) if lectures.iter().all(|l| l.status == lecture_status::READY) => return true,
            Ok(lectures) if lectures.iter().any(|l| l.status == lecture_status::FAILED) => return false,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "demo: reading lectures"),
        }
        tokio::time::sleep(READY_POLL).await;
    }
    false
}

fn demo_course(now: DateTime<Utc>) -> NewCourse {
    NewCourse {
        title: "知识产权保护".into(),
        category: Category::PublicRequired,
        year: year_of(now),
        hours: 2.0,
        teacher: "王建国 教授".into(),
        description: "面向专业技术人员的知识产权基础：专利、商标、著作权的取得与保护。".into(),
    }
}

async fn ffmpeg_available() -> bool {
    tokio::process::Command::new("ffmpeg")
        .arg("-version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .await
        .is_ok_and(|s| s.success())
}

/// A test-pattern clip with a tone, written as MP4 to `path` (an upload path we generated).
async fn generate_clip(path: &Path, source: &str) -> anyhow::Result<()> {
    let video = format!("{source}=duration={CLIP_SECONDS}:size=640x360:rate=25");
    let audio = format!("sine=frequency=440:duration={CLIP_SECONDS}");
    let child = tokio::process::Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", &video, "-f", "lavfi", "-i", &audio])
        .args(["-shortest", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"])
        .args(["-f", "mp4"])
        .arg(path)
        .kill_on_drop(true)
        .status();
    let status = tokio::time::timeout(GENERATE_TIMEOUT, child).await??;
    anyhow::ensure!(status.success(), "ffmpeg could not generate a demo clip ({status})");
    Ok(())
}
