//! Fixture for `scripts/load_heartbeat.sh` (hidden `xueshi load-fixture`): learners, one
//! published course with one ready lecture, and a play session per learner, written as
//! `<token> <session_id>` lines for wrk. Never run against a real deployment's database.

use std::io::Write;

use chrono::Datelike;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};

use super::{COURSE_PUBLISHED, LECTURE_READY, play};
use crate::{
    entities::{course, lecture, user},
    orgs::service::{NewOrg, create as create_org},
    state::AppState,
};

/// A lecture long enough that a load run never reaches its end.
const LECTURE_S: f64 = 4.0 * 3600.0;

pub async fn write(state: &AppState, learners: u32, out: &mut impl Write) -> anyhow::Result<()> {
    let now = state.clock.now();
    let org = |name: &str, kind: &str| NewOrg {
        name: name.into(),
        kind: kind.into(),
        parent_id: None,
        region: "威海市".into(),
    };
    let employer = create_org(&state.db, org("压测单位", "employer"), now).await?.id;
    let base = create_org(&state.db, org("压测基地", "base"), now).await?.id;
    let lecture_id = lecture_row(state, base).await?;
    // One hash for everyone: these accounts log in with minted tokens, never a password.
    let hash = state.hasher.hash(uuid::Uuid::new_v4().to_string()).await?;
    let txn = state.db.begin().await?;
    let mut ids = Vec::with_capacity(learners as usize);
    for i in 0..learners {
        let row = user::ActiveModel {
            login_key: Set(format!("u:loadtest-{}-{i}", now.timestamp())),
            username: Set(Some(format!("loadtest-{}-{i}", now.timestamp()))),
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
        ids.push(row.insert(&txn).await?.id);
    }
    txn.commit().await?;
    for id in ids {
        let token = state.jwt.issue(id, 0, now)?;
        let session = play::play(state, id, lecture_id).await.map_err(|e| anyhow::anyhow!("play: {e}"))?;
        writeln!(out, "{token} {}", session.session_id)?;
    }
    Ok(())
}

async fn lecture_row(state: &AppState, base: i32) -> anyhow::Result<i32> {
    let now = state.clock.now();
    let course = course::ActiveModel {
        base_org_id: Set(base),
        title: Set("压测课程".into()),
        category: Set("professional".into()),
        year: Set(now.year()),
        hours: Set(1.0),
        teacher: Set("压测".into()),
        description: Set(String::new()),
        status: Set(COURSE_PUBLISHED.into()),
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
        status: Set(LECTURE_READY.into()),
        duration_s: Set(Some(LECTURE_S)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok(lecture.id)
}
