//! Shared setup: a Weihai bureau with a base, a Yantai bureau with another, plan helpers.
#![allow(dead_code)]
use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use xueshi::archive::ledger::year_of;

use crate::helpers::*;

pub struct World {
    pub bureau: i64,
    pub base: i64,
    pub employer: i64,
    pub base_token: String,
    pub hr_token: String,
    pub other_base_token: String,
    pub other_hr_token: String,
}

pub async fn org_in(app: &TestApp, name: &str, kind: &str, parent: Option<i64>, region: &str) -> i64 {
    let body = json!({"name": name, "kind": kind, "parent_id": parent, "region": region});
    let r = app.post("/api/v1/admin/orgs", Some(&app.admin_token), body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

pub async fn world(app: &TestApp) -> World {
    let bureau = org_in(app, "威海市人社局", "hr_bureau", None, "威海市").await;
    let base = org_in(app, "威海职业学院", "base", Some(bureau), "威海市").await;
    let employer = org_in(app, "威海医院", "employer", Some(bureau), "威海市").await;
    let other_bureau = org_in(app, "烟台市人社局", "hr_bureau", None, "烟台市").await;
    let other_base = org_in(app, "鲁东大学", "base", Some(other_bureau), "烟台市").await;
    World {
        bureau,
        base,
        employer,
        base_token: app.user_token("wh_base", "base_admin", Some(base)).await,
        hr_token: app.user_token("wh_hr", "hr_admin", Some(bureau)).await,
        other_base_token: app.user_token("yt_base", "base_admin", Some(other_base)).await,
        other_hr_token: app.user_token("yt_hr", "hr_admin", Some(other_bureau)).await,
    }
}

/// Next year: its plans are still before the 15 May deadline whatever today is.
pub fn plan_year(app: &TestApp) -> i32 {
    year_of(app.app_state.clock.now()) + 1
}

pub fn class(year: i32, name: &str, field: &str) -> Value {
    json!({
        "name": name, "field": field,
        "start_date": format!("{year}-03-01"), "end_date": format!("{year}-03-03"),
        "hours": 24.0, "content": "围绕建筑施工、工程造价培训专业技术人员能力",
        "schedule": "第一天：施工\n第二天：造价\n第三天：考核", "mode": "onsite",
        "teachers": "邀请山东大学专家授课", "contact_name": "李四", "contact_phone": "15100000000"
    })
}

/// Creates, submits and approves a plan with one 3-day class; returns (plan id, class id).
pub async fn approved_plan(app: &TestApp, w: &World, year: i32) -> (i64, i64) {
    let body = json!({"year": year, "classes": [class(year, "建设工程专业技术人员能力提升班", "装备制造")]});
    let r = app.post("/api/v1/training-plans", Some(&w.base_token), body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let plan: Value = r.json().await.unwrap();
    let id = plan["id"].as_i64().unwrap();
    let r = app.post(&format!("/api/v1/training-plans/{id}/submit"), Some(&w.base_token), json!({})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .post(&format!("/api/v1/training-plans/{id}/review"), Some(&w.hr_token), json!({"decision": "approve"}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    (id, plan["classes"][0]["id"].as_i64().unwrap())
}

/// Moves the app's clock to 00:00 China time of `date` (never backwards).
pub fn move_clock_to(app: &TestApp, date: NaiveDate) {
    let target = Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap()) - chrono::Duration::hours(8);
    let now = app.app_state.clock.now();
    assert!(target > now, "clock moves forward only");
    app.app_state.clock.advance((target - now).num_seconds() + 1);
    assert_eq!((app.app_state.clock.now() + chrono::Duration::hours(8)).date_naive().year(), date.year());
}

pub async fn learner_id(app: &TestApp, token: &str) -> i32 {
    let me: Value = app.get("/api/v1/me", Some(token)).await.json().await.unwrap();
    me["id"].as_i64().unwrap() as i32
}
