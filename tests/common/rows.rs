//! Rows written straight to the database by tests of more than one test binary (included
//! with `#[path]`), where the API would need a real upload or hours of watching.
use chrono::{Datelike, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};
use xueshi::entities::{course, lecture, lecture_progress};

/// A published course of base `base_org` with ready lectures of the given lengths.
pub async fn published_course(
    db: &DatabaseConnection,
    base_org: i32,
    category: &str,
    hours: f64,
    durations: &[f64],
) -> (i32, Vec<i32>) {
    let now = Utc::now();
    let row = course::ActiveModel {
        base_org_id: Set(base_org),
        title: Set("专利法实务".into()),
        category: Set(category.into()),
        year: Set(now.year()),
        hours: Set(hours),
        teacher: Set("张老师".into()),
        teacher_user_id: Set(None),
        description: Set(String::new()),
        status: Set("published".into()),
        reject_reason: Set(None),
        created_by: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let id = row.insert(db).await.expect("course").id;
    let mut lectures = Vec::new();
    for (position, duration) in (1..).zip(durations) {
        let row = lecture::ActiveModel {
            course_id: Set(id),
            position: Set(position),
            title: Set(format!("第{position}讲")),
            status: Set("ready".into()),
            duration_s: Set(Some(*duration)),
            error: Set(None),
            created_at: Set(now),
            ..Default::default()
        };
        lectures.push(row.insert(db).await.expect("lecture").id);
    }
    (id, lectures)
}

/// Records every lecture as watched to the end in `cycle` (with a stand-in watch state, so
/// these lectures are for exams, not for playing).
pub async fn mark_watched(db: &DatabaseConnection, learner_id: i32, lectures: &[i32], cycle: i32) {
    for lecture_id in lectures {
        lecture_progress::ActiveModel {
            learner_id: Set(learner_id),
            lecture_id: Set(*lecture_id),
            cycle: Set(cycle),
            state: Set("{}".into()),
            watched_s: Set(1800.0),
            coverage: Set(1.0),
            completed: Set(true),
            completed_at: Set(Some(Utc::now())),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("progress");
    }
}
