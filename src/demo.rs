//! Bootstrap admin and demo data for a fresh embedded install, so `cargo run --release` shows
//! a working platform with logins printed on start.
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    auth::{Role, service},
    entities::{org, user},
    orgs::service::{NewOrg, create as create_org},
    rules::id_number::check_digit,
    state::AppState,
};

pub struct DemoLogin {
    pub role: &'static str,
    pub username: String,
    pub password: &'static str,
}

pub const DEMO_PASSWORD: &str = "Xueshi#2026";

/// ID-number serials of the two demo learners (张三, who must change the first password, and 李小梅).
const DEMO_LEARNER_SERIALS: [u32; 2] = [11, 23];

/// A valid demo resident ID number (Weihai, born 1985-03-15) with its real check digit.
pub fn demo_id_number(serial: u32) -> String {
    let first17 = format!("37100219850315{serial:03}");
    let check = check_digit(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// Loads the demo data into an empty database and prints its logins; on later starts of a
/// demo install, prints them again (a newcomer restarting should not have to dig them up).
pub async fn bootstrap(state: &actix_web::web::Data<AppState>) -> anyhow::Result<()> {
    create_admin_from_env(state).await?;
    if !state.settings.demo {
        return Ok(());
    }
    if org::Entity::find().count(&state.db).await? == 0 {
        let logins = load_demo(state).await?;
        print_logins(&format!("Demo data loaded. Logins (password for all: {DEMO_PASSWORD})"), &logins);
    } else if demo_data_present(state).await? {
        let mut logins = demo_logins();
        if state.settings.admin_password.is_none() {
            logins.push(admin_login());
        }
        let heading = format!("Demo logins (initial password for all: {DEMO_PASSWORD}, unless changed since)");
        print_logins(&heading, &logins);
    }
    Ok(())
}

/// The demo base admin exists (plain username; learners' logins are ID numbers, stored sealed).
async fn demo_data_present(state: &AppState) -> anyhow::Result<bool> {
    Ok(user::Entity::find().filter(user::Column::Username.eq("base1")).count(&state.db).await? > 0)
}

async fn create_admin_from_env(state: &AppState) -> anyhow::Result<()> {
    let Some(password) = state.settings.admin_password.clone() else {
        return Ok(());
    };
    let exists = user::Entity::find().filter(user::Column::Role.eq("platform_admin")).count(&state.db).await? > 0;
    if !exists {
        create_admin(state, "admin", password.expose(), false).await?;
        tracing::info!("created platform admin `admin` from XUESHI_ADMIN_PASSWORD");
    }
    Ok(())
}

pub async fn create_admin(state: &AppState, username: &str, password: &str, must_change: bool) -> anyhow::Result<i32> {
    let new = service::NewUser {
        username: username.into(),
        name: "平台管理员".into(),
        role: Role::PlatformAdmin,
        org_id: None,
        password: password.into(),
        phone: None,
        must_change_password: must_change,
    };
    Ok(service::create_user(state, new, Utc::now()).await.map_err(|e| anyhow::anyhow!("{e}"))?.id)
}

async fn org(state: &AppState, name: &str, kind: &str, parent: Option<i32>) -> anyhow::Result<i32> {
    let new = NewOrg { name: name.into(), kind: kind.into(), parent_id: parent, region: "威海市".into() };
    Ok(create_org(&state.db, new, Utc::now()).await.map_err(|e| anyhow::anyhow!("{e}"))?.id)
}

async fn staff(
    state: &AppState,
    username: &str,
    name: &str,
    role: Role,
    org_id: Option<i32>,
    must_change: bool,
) -> anyhow::Result<i32> {
    let new = service::NewUser {
        username: username.into(),
        name: name.into(),
        role,
        org_id,
        password: DEMO_PASSWORD.into(),
        phone: None,
        must_change_password: must_change,
    };
    Ok(service::create_user(state, new, Utc::now()).await.map_err(|e| anyhow::anyhow!("{e}"))?.id)
}

async fn load_demo(state: &actix_web::web::Data<AppState>) -> anyhow::Result<Vec<DemoLogin>> {
    let bureau = org(state, "威海市人力资源和社会保障局", "hr_bureau", None).await?;
    let health = org(state, "威海市卫生健康委员会", "department", Some(bureau)).await?;
    let hospital = org(state, "威海市立医院", "employer", Some(health)).await?;
    let education = org(state, "威海市教育局", "department", Some(bureau)).await?;
    let _school = org(state, "威海市第一中学", "employer", Some(education)).await?;
    let base = org(state, "威海职业学院继续教育基地", "base", Some(bureau)).await?;

    let has_admin = user::Entity::find().filter(user::Column::Role.eq("platform_admin")).count(&state.db).await? > 0;
    if !has_admin {
        staff(state, "admin", "平台管理员", Role::PlatformAdmin, None, false).await?;
    }
    let base_admin = staff(state, "base1", "基地管理员", Role::BaseAdmin, Some(base), false).await?;
    let course = crate::courses::demo::load(state, base, base_admin).await?;
    crate::exams::demo::load(&state.db, course, Utc::now()).await?;
    let hospital_hr = staff(state, "hospital_hr", "市立医院人事科", Role::EmployerAdmin, Some(hospital), false).await?;
    let health_dept = staff(state, "health_dept", "卫健委继教科", Role::DepartmentAdmin, Some(health), false).await?;
    let weihai_hrss = staff(state, "weihai_hrss", "市人社局专技科", Role::HrAdmin, Some(bureau), false).await?;
    let learner_id = demo_id_number(DEMO_LEARNER_SERIALS[0]);
    staff(state, &learner_id, "张三", Role::Learner, Some(hospital), true).await?;
    let learner2 = demo_id_number(DEMO_LEARNER_SERIALS[1]);
    let learner2_id = staff(state, &learner2, "李小梅", Role::Learner, Some(hospital), false).await?;
    let cast = crate::declarations::demo::Cast {
        learner: learner2_id,
        employer: hospital,
        employer_admin: (hospital_hr, hospital),
        department_admin: (health_dept, health),
        hr_admin: (weihai_hrss, bureau),
    };
    crate::declarations::demo::load(state, &cast).await?;
    let learners = vec![(learner_id, "张三".to_owned()), (learner2, "李小梅".to_owned())];
    let actors =
        crate::institutions::demo::Actors { base_org: base, base_admin, bureau, hr_admin: weihai_hrss, learners };
    crate::institutions::demo::load(state, &actors).await?;

    let mut logins = demo_logins();
    if !has_admin {
        logins.push(admin_login());
    }
    Ok(logins)
}

fn demo_logins() -> Vec<DemoLogin> {
    let [learner, learner2] = DEMO_LEARNER_SERIALS.map(demo_id_number);
    vec![
        DemoLogin { role: "学员 learner (首次登录需改密码)", username: learner, password: DEMO_PASSWORD },
        DemoLogin { role: "学员 learner", username: learner2, password: DEMO_PASSWORD },
        DemoLogin { role: "基地 base admin", username: "base1".into(), password: DEMO_PASSWORD },
        DemoLogin { role: "用人单位 employer admin", username: "hospital_hr".into(), password: DEMO_PASSWORD },
        DemoLogin { role: "主管部门 department admin", username: "health_dept".into(), password: DEMO_PASSWORD },
        DemoLogin { role: "人社局 HR bureau admin", username: "weihai_hrss".into(), password: DEMO_PASSWORD },
    ]
}

fn admin_login() -> DemoLogin {
    DemoLogin { role: "平台 platform admin", username: "admin".into(), password: DEMO_PASSWORD }
}

fn print_logins(heading: &str, logins: &[DemoLogin]) {
    println!("\n{heading}:");
    for l in logins {
        println!("  {:<28} {}  /  {}", l.role, l.username, l.password);
    }
}
