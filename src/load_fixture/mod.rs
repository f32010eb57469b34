//! Fixtures of the load scripts (hidden `xueshi load-fixture`): learners of one employer, a
//! published course with one ready lecture, and per mode what the script drives. Every
//! learner shares one password (`LOAD_PASSWORD`, printed in the files): never run this against
//! a real deployment's database.
//!
//! Output lines, one per learner:
//! - `heartbeat` (scripts/load_heartbeat.sh): `<token> <session_id>`, a play session in the
//!   progress store for a 4-hour lecture;
//! - `exams` (scripts/load_exams.sh): `<token> <exam_id>`, the lecture already completed
//!   (watched through the real heartbeat path, on a shifted clock), an exam on a published bank;
//! - `december` (scripts/december.sh): `<username> <password> <lecture_id> <exam_id>`, nothing
//!   watched yet, a lecture of `lecture_s` seconds and an exam of `exam_s` seconds.

mod exams;

use std::io::Write;

use chrono::Datelike;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};

use crate::{
    entities::{course, lecture, user},
    orgs::service::{NewOrg, create as create_org},
    state::AppState,
    watching::{self, play},
};

/// The password of every load-test learner (they are throwaway accounts of a test database).
pub const LOAD_PASSWORD: &str = "Load-test-2026!";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    Heartbeat,
    Exams,
    December,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    pub learners: u32,
    /// Lecture length; the heartbeat mode always uses 4 hours (a run never reaches the end).
    pub lecture_s: f64,
    pub exam_s: i32,
    /// Out of 100.
    pub pass_score: f64,
}

/// The course everything hangs on.
pub(crate) struct Fixture {
    pub course_id: i32,
    pub lecture_id: i32,
    pub learners: Vec<(i32, String)>,
}

pub async fn write(state: &AppState, options: &Options, out: &mut impl Write) -> anyhow::Result<()> {
    let lecture_s = if options.mode == Mode::Heartbeat { 4.0 * 3600.0 } else { options.lecture_s };
    let fixture = setup(state, options.learners, lecture_s).await?;
    let now = state.clock.now();
    match options.mode {
        Mode::Heartbeat => {
            for (id, _) in &fixture.learners {
                let session =
                    play::play(state, *id, fixture.lecture_id).await.map_err(|e| anyhow::anyhow!("play: {e}"))?;
                writeln!(out, "{} {}", state.jwt.issue(*id, 0, now)?, session.session_id)?;
            }
        }
        Mode::Exams => {
            let exam_id = exams::exam(state, &fixture, options).await?;
            exams::complete_lecture(state, &fixture).await?;
            // The fixture's clock ran ahead while watching: mint the tokens on the real one.
            let now = chrono::Utc::now();
            for (id, _) in &fixture.learners {
                writeln!(out, "{} {exam_id}", state.jwt.issue(*id, 0, now)?)?;
            }
        }
        Mode::December => {
            let exam_id = exams::exam(state, &fixture, options).await?;
            for (_, username) in &fixture.learners {
                writeln!(out, "{username} {LOAD_PASSWORD} {} {exam_id}", fixture.lecture_id)?;
            }
        }
    }
    Ok(())
}

async fn setup(state: &AppState, learners: u32, lecture_s: f64) -> anyhow::Result<Fixture> {
    let now = state.clock.now();
    let org = |name: &str, kind: &str| NewOrg {
        name: name.into(),
        kind: kind.into(),
        parent_id: None,
        region: "威海市".into(),
    };
    let employer = create_org(&state.db, org("压测单位", "employer"), now).await?.id;
    let base = create_org(&state.db, org("压测基地", "base"), now).await?.id;
    let (course_id, lecture_id) = lecture_row(state, base, lecture_s).await?;
    let learners = learner_rows(state, employer, learners).await?;
    Ok(Fixture { course_id, lecture_id, learners })
}

async fn learner_rows(state: &AppState, employer: i32, count: u32) -> anyhow::Result<Vec<(i32, String)>> {
    let now = state.clock.now();
    let hash = state.hasher.hash(LOAD_PASSWORD.to_owned()).await?;
    let txn = state.db.begin().await?;
    let mut learners = Vec::with_capacity(count as usize);
    for i in 0..count {
        let username = format!("loadtest-{}-{i}", now.timestamp());
        let row = user::ActiveModel {
            login_key: Set(format!("u:{username}")),
            username: Set(Some(username.clone())),
            name: Set(format!("压测学员{i}")),
            role: Set("learner".into()),
            org_id: Set(Some(employer)),
            password_hash: Set(hash.clone()),
            must_change_password: Set(false),
            token_version: Set(0),
            disabled: Set(false),
            failed_logins: Set(0),
            created_at: Set(now),
            ..Default::default()
        };
        learners.push((row.insert(&txn).await?.id, username));
    }
    txn.commit().await?;
    Ok(learners)
}

async fn lecture_row(state: &AppState, base: i32, lecture_s: f64) -> anyhow::Result<(i32, i32)> {
    let now = state.clock.now();
    let course = course::ActiveModel {
        base_org_id: Set(base),
        title: Set("压测课程".into()),
        category: Set("professional".into()),
        year: Set(now.year()),
        hours: Set(1.0),
        teacher: Set("压测".into()),
        description: Set(String::new()),
        status: Set(watching::COURSE_PUBLISHED.into()),
        created_by: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    let lecture = lecture::ActiveModel {
        course_id: Set(course.id),
        position: Set(0),
        title: Set("压测讲".into()),
        status: Set(watching::LECTURE_READY.into()),
        duration_s: Set(Some(lecture_s)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok((course.id, lecture.id))
}
