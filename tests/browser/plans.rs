//! A base fills in its yearly training plan and submits it, the HR bureau approves it, and a
//! learner finds the class in the catalogue of training projects, on a phone. Then the
//! knowledge-update statistics chart in a 1280-px office window.
use chrono::NaiveDate;
use fantoccini::{Client, Locator};
use reqwest::multipart;
use serde_json::json;
use xueshi::archive::ledger::year_of;

use crate::driver;
use crate::fixtures::{approved_plan, move_clock_to, world};
use crate::helpers::*;
use crate::steps::{click, fits_the_phone, login, wait_text};

async fn type_into(c: &Client, id: &str, text: &str) {
    c.find(Locator::Id(id)).await.unwrap().send_keys(text).await.unwrap();
}

/// Date inputs take typed text in the browser's locale format; setting the value is exact.
async fn set_value(c: &Client, id: &str, value: &str) {
    c.execute("document.getElementById(arguments[0]).value = arguments[1];", vec![json!(id), json!(value)])
        .await
        .unwrap();
}

async fn logout(c: &Client) {
    click(c, "header form button").await;
    c.wait().for_element(Locator::Id("username")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_submitted_approved_and_in_the_catalogue() {
    let Some(browser) = driver::open().await else { return };
    let app = spawn_app(Backend::Embedded).await;
    let bureau = app.create_org("威海市人社局", "hr_bureau", None).await;
    let base = app.create_org("威海职业学院继续教育基地", "base", Some(bureau)).await;
    let employer = app.create_org("威海市立医院", "employer", Some(bureau)).await;
    app.user_token("base_admin", "base_admin", Some(base)).await;
    app.user_token("hr_admin", "hr_admin", Some(bureau)).await;
    app.user_token(&id_number(95), "learner", Some(employer)).await;
    let year = year_of(app.app_state.clock.now()) + 1;
    let c = &browser.client;

    login(c, &app, "base_admin", PASSWORD).await;
    click(c, "a[href='/plans']").await;
    click(c, "#new-plan").await;
    click(c, &format!("#f-year option[value='{year}']")).await;
    type_into(c, "f-name", "智能制造专业技术人员能力提升班").await;
    click(c, "#f-field option[value='equipment_manufacturing']").await;
    set_value(c, "f-start_date", &format!("{year}-03-10")).await;
    set_value(c, "f-end_date", &format!("{year}-03-12")).await;
    type_into(c, "f-hours", "30").await;
    type_into(c, "f-content", "工业互联网、智能产线").await;
    type_into(c, "f-schedule", "第一天：讲座\n第二天：实训\n第三天：考核").await;
    type_into(c, "f-teachers", "哈尔滨工业大学（威海）教授").await;
    type_into(c, "f-contact_name", "王老师").await;
    type_into(c, "f-contact_phone", "0631-5200000").await;
    click(c, "#save-class").await;
    // 30 hours in 3 days is more than 8 a day: the error is next to the hours.
    assert!(wait_text(c, "#e-hours", "学时").await.contains("每天不超过 8"));
    fits_the_phone(c).await;
    browser.screenshot("plan-01-class-form-error").await;
    c.find(Locator::Id("f-hours")).await.unwrap().clear().await.unwrap();
    type_into(c, "f-hours", "24").await;
    click(c, "#save-class").await;
    wait_text(c, "#done", "培训班已保存").await;
    assert!(wait_text(c, "#deadline", "").await.contains(&format!("{year}-05-15")));
    click(c, "#submit-plan").await;
    wait_text(c, "#done", "已报送管理单位").await;
    fits_the_phone(c).await;
    browser.screenshot("plan-02-submitted").await;

    logout(c).await;
    login(c, &app, "hr_admin", PASSWORD).await;
    click(c, "a[href='/plans']").await;
    click(c, "#waiting a").await;
    wait_text(c, "main", "智能制造专业技术人员能力提升班").await;
    fits_the_phone(c).await;
    browser.screenshot("plan-03-review").await;
    click(c, "#approve-plan").await;
    wait_text(c, "#done", "已审核通过").await;
    browser.screenshot("plan-04-approved").await;

    logout(c).await;
    login(c, &app, &id_number(95), PASSWORD).await;
    click(c, "header a[href='/training-projects']").await;
    click(c, "#field option[value='equipment_manufacturing']").await;
    click(c, "#apply-filter").await;
    let list = wait_text(c, "main", "智能制造专业技术人员能力提升班").await;
    assert!(
        list.contains("威海职业学院继续教育基地") && list.contains("24 学时") && list.contains("共 1 个培训项目"),
        "{list}"
    );
    fits_the_phone(c).await;
    browser.screenshot("plan-05-catalogue").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_chart_in_a_desktop_window() {
    let Some(browser) = driver::open_sized(1280, 900).await else { return };
    let app = spawn_app(Backend::Embedded).await;
    let w = world(&app).await;
    let year = year_of(app.app_state.clock.now()) + 1;
    let (_, class_id) = approved_plan(&app, &w, year).await;
    let mut people = Vec::new();
    for serial in [501, 502, 503] {
        app.user_token(&id_number(serial), "learner", Some(w.employer)).await;
        people.push(format!("{},测试用户", id_number(serial)));
    }
    let csv = format!("身份证号,姓名\n{}\n", people.join("\n"));
    let form = multipart::Form::new().part("file", multipart::Part::bytes(csv.into_bytes()).file_name("r.csv"));
    let url = app.url(&format!("/api/v1/offline-classes/{class_id}/roster"));
    let r = app.anon.post(url).bearer_auth(&w.base_token).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    move_clock_to(&app, NaiveDate::from_ymd_opt(year, 3, 4).unwrap());
    let attendance: Vec<_> = [501, 502, 503].map(|s| json!({"id_number": id_number(s), "hours": 20})).into();
    let path = format!("/api/v1/offline-classes/{class_id}/attendance");
    let r = app.post(&path, Some(&w.base_token), json!({"attendance": attendance})).await;
    assert_eq!(r.status(), reqwest::StatusCode::OK);

    let c = &browser.client;
    login(c, &app, "wh_hr", PASSWORD).await;
    c.goto(&app.url(&format!("/statistics?year={year}"))).await.unwrap();
    let chart = wait_text(c, "#field-chart", "装备制造").await;
    assert!(chart.contains("3 人 · 60 学时"), "{chart}");
    let fits = c.execute("return document.documentElement.scrollWidth <= window.innerWidth;", vec![]);
    assert_eq!(fits.await.unwrap(), json!(true));
    browser.screenshot("wide-05-statistics").await;
    browser.close().await;
}
