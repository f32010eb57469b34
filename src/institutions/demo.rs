//! Demo data for the institution pages, through the same services as the pages: this year's
//! plan of the demo base, submitted, approved and so in the catalogue; one of its classes held
//! with a roster and hours credited; next year's plan waiting for review; a nominated public
//! course with the voting window open. Past steps carry dates early in the year.
use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

use super::{
    attendance::{self, AttendanceEntry, AttendanceRequest},
    excellent::{nominations, rounds},
    plan_input::ClassInput,
    plan_review, plans, roster,
};
use crate::{
    archive::ledger::year_of,
    auth::{AuthUser, Role},
    courses::{self, model::Category},
    entities::user,
    state::AppState,
};

/// The accounts the demo acts as.
pub struct Actors {
    pub base_org: i32,
    pub base_admin: i32,
    pub bureau: i32,
    pub hr_admin: i32,
    /// `(ID number, name)` of the learners on the held class's roster.
    pub learners: Vec<(String, String)>,
}

fn as_user(id: i32, role: Role, org_id: Option<i32>) -> AuthUser {
    AuthUser { id, role, org_id, name: String::new(), must_change_password: false }
}

/// 10:00 China time on a day of `year`.
fn day(year: i32, month: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, d, 2, 0, 0).single().unwrap_or_else(Utc::now)
}

fn class(year: i32, name: &str, field: &str, (start, end): ((u32, u32), (u32, u32)), hours: f64) -> ClassInput {
    let date = |(m, d): (u32, u32)| chrono::NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
    ClassInput {
        name: name.into(),
        field: field.into(),
        start_date: date(start),
        end_date: date(end),
        days: None,
        hours,
        content: format!("{name}：政策解读、前沿技术专题讲座、案例研讨与实操训练。"),
        schedule: "第一天：开班、专题讲座\n第二天：案例研讨、实操训练\n第三天：考核、结业".into(),
        mode: "onsite".into(),
        teachers: "山东大学、哈尔滨工业大学（威海）教授及行业专家".into(),
        contact_name: "王老师".into(),
        contact_phone: "0631-5200000".into(),
        location: Some("威海职业学院继续教育中心".into()),
    }
}

fn err(e: crate::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("institution demo: {e}")
}

pub async fn load(state: &AppState, a: &Actors) -> anyhow::Result<()> {
    let year = year_of(state.clock.now());
    let base = as_user(a.base_admin, Role::BaseAdmin, Some(a.base_org));
    let hr = as_user(a.hr_admin, Role::HrAdmin, Some(a.bureau));
    let classes = vec![
        class(year, "医疗卫生专业技术人员急救能力提升班", "卫生", ((3, 10), (3, 12)), 24.0),
        class(year, "智能制造与工业互联网应用培训班", "装备制造", ((12, 14), (12, 16)), 24.0),
        class(year, "海洋生物技术前沿研修班", "海洋", ((10, 20), (10, 21)), 16.0),
    ];
    let plan = plans::create(&state.db, &base, year, classes, day(year, 1, 5)).await.map_err(err)?;
    plan_review::submit(&state.db, &base, plan.id, day(year, 1, 10)).await.map_err(err)?;
    let approve = plan_review::ReviewRequest { decision: "approve".into(), comment: Some("同意".into()) };
    plan_review::review(&state.db, &hr, plan.id, approve, day(year, 1, 20)).await.map_err(err)?;
    held_class(state, &base, plan.classes[0].id, year, &a.learners).await?;

    let next = vec![class(year + 1, "新时代专业技术人员创新能力提升班", "信息", ((4, 8), (4, 10)), 24.0)];
    let next = plans::create(&state.db, &base, year + 1, next, state.clock.now()).await.map_err(err)?;
    plan_review::submit(&state.db, &base, next.id, state.clock.now()).await.map_err(err)?;
    nomination(state, &base, year).await
}

/// The first class's roster (uploaded as a CSV) and its hours, credited to the archives.
async fn held_class(
    state: &AppState,
    base: &AuthUser,
    class_id: i32,
    year: i32,
    learners: &[(String, String)],
) -> anyhow::Result<()> {
    let csv: String = learners.iter().map(|(id, name)| format!("{id},{name}\n")).collect();
    let csv = format!("身份证号,姓名\n{csv}");
    roster::upload(&state.db, &state.pii, base, class_id, "花名册.csv", csv.as_bytes(), day(year, 3, 1))
        .await
        .map_err(err)?;
    let attendance = learners
        .iter()
        .zip([24.0, 20.0].into_iter().cycle())
        .map(|((id, _), hours)| AttendanceEntry { id_number: id.clone(), hours })
        .collect();
    let req = AttendanceRequest { attendance };
    attendance::record(&state.db, &state.pii, base, class_id, req, day(year, 3, 13)).await.map_err(err)?;
    Ok(())
}

/// A published public course of the base, nominated, with voting open for two weeks.
async fn nomination(state: &AppState, base: &AuthUser, year: i32) -> anyhow::Result<()> {
    let now = state.clock.now();
    let new = courses::model::NewCourse {
        title: "数字经济与创新发展".into(),
        category: Category::PublicElective,
        year,
        hours: 5.0,
        teacher: "刘敏 副教授".into(),
        description: "数字经济的政策、产业与案例（演示课程：无讲次，仅用于优质课评选演示）。".into(),
    };
    let created = courses::service::create(&state.db, base, new, now).await.map_err(err)?;
    // A demo shortcut, as in courses::demo: published directly.
    let mut row = created.into_active_model();
    row.status = Set("published".to_owned());
    let published = row.update(&state.db).await?;
    let input = nominations::NominationInput {
        course_id: published.id,
        year: Some(year),
        ip_pledge: true,
        introduction: Some("刘敏，副教授，长期从事数字经济研究。课程结合山东案例讲解数字化转型。".into()),
    };
    nominations::nominate(&state.db, base, input, now).await.map_err(err)?;
    let admin = user::Entity::find().filter(user::Column::Role.eq("platform_admin")).one(&state.db).await?;
    if let Some(admin) = admin {
        let admin = as_user(admin.id, Role::PlatformAdmin, None);
        let round = rounds::RoundInput {
            vote_opens_at: now - Duration::days(1),
            vote_closes_at: now + Duration::days(14),
            top_n: 3,
        };
        rounds::put(&state.db, &admin, year, round, now).await.map_err(err)?;
    }
    Ok(())
}
