//! The institution pages: training plans (scope: another base's plan is 404, a learner is
//! refused), the review, the catalogue, offline class rosters and hours, the excellent course
//! selection, statistics and the sync page. Forms go through the same services as the API.
use chrono::NaiveDate;
use reqwest::{StatusCode, multipart};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;
use crate::institutions::fixtures::*;
use crate::page_session::Session;

fn class_form(year: i32, name: &str, field: &str) -> Vec<(&'static str, String)> {
    vec![
        ("year", year.to_string()),
        ("name", name.into()),
        ("field", field.into()),
        ("start_date", format!("{year}-03-01")),
        ("end_date", format!("{year}-03-03")),
        ("days", String::new()),
        ("hours", "24".into()),
        ("mode", "onsite".into()),
        ("location", String::new()),
        ("content", "围绕建筑施工、工程造价培训".into()),
        ("schedule", "第一天：施工\n第二天：造价\n第三天：考核".into()),
        ("teachers", "山东大学专家".into()),
        ("contact_name", "李四".into()),
        ("contact_phone", "15100000000".into()),
    ]
}

async fn post_form(s: &Session, path: &str, form: &[(&'static str, String)]) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.post(path, &fields).await
}

fn location(r: &reqwest::Response) -> String {
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r.headers()["location"].to_str().unwrap().to_owned()
}

async fn plan_pages_scope_review_and_catalogue(backend: Backend) {
    let app = spawn_app(backend).await;
    let w = world(&app).await;
    let year = plan_year(&app);
    let base = Session::login(&app, "wh_base").await;
    assert!(base.ok("/staff").await.contains("年度培训计划"));
    assert!(base.ok("/plans/new").await.contains("新建年度培训计划"));
    // Unreadable and invalid fields are named next to the field, nothing saved.
    let mut bad = class_form(year, "", "装备制造");
    bad[6].1 = "很多".into();
    let r = post_form(&base, "/plans", &bad).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"e-hours\">请填写学时数") && html.contains("aria-invalid=\"true\""), "{html}");
    bad[6].1 = "30".into();
    let html = post_form(&base, "/plans", &bad).await.text().await.unwrap();
    assert!(html.contains("id=\"e-name\">不能为空") && html.contains("id=\"e-hours\">学时须大于 0"), "{html}");
    // A good class creates the plan; a second one is added.
    let to = location(&post_form(&base, "/plans", &class_form(year, "建设工程能力提升班", "装备制造")).await);
    let id: i64 = to.trim_start_matches("/plans/").split('?').next().unwrap().parse().unwrap();
    let html = base.ok(&to).await;
    assert!(html.contains("建设工程能力提升班") && html.contains(&format!("{year}-05-15")), "{html}");
    assert!(html.contains("报送管理单位") && html.contains("培训班已保存"), "{html}");
    location(&post_form(&base, &format!("/plans/{id}/classes"), &class_form(year, "海洋班", "marine")).await);
    // Scope: another base, another region's bureau: 404; a learner: 403.
    let other_base = Session::login(&app, "yt_base").await;
    let other_hr = Session::login(&app, "yt_hr").await;
    for s in [&other_base, &other_hr] {
        assert_eq!(s.page(&format!("/plans/{id}")).await.0, StatusCode::NOT_FOUND);
    }
    let r = post_form(&other_base, &format!("/plans/{id}/classes"), &class_form(year, "冒名", "marine")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(other_base.post(&format!("/plans/{id}/submit"), &[]).await.status(), StatusCode::NOT_FOUND);
    app.user_token(&id_number(401), "learner", Some(w.employer)).await;
    let learner = Session::login(&app, &id_number(401)).await;
    for path in ["/plans", "/plans/new", "/statistics", "/admin/sync", &format!("/plans/{id}")] {
        assert_eq!(learner.page(path).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    // Submitted; the bureau returns it (a comment is required), the base revises and resubmits.
    assert!(location(&base.post(&format!("/plans/{id}/submit"), &[]).await).ends_with("done=submitted"));
    let hr = Session::login(&app, "wh_hr").await;
    let queue = hr.ok("/plans").await;
    assert!(queue.contains(&format!("href=\"/plans/{id}\"")) && queue.contains("已报送，待审核"), "{queue}");
    assert_eq!(
        base.post(&format!("/plans/{id}/review"), &[("decision", "approve")]).await.status(),
        StatusCode::FORBIDDEN
    );
    let html = hr.post(&format!("/plans/{id}/review"), &[("decision", "return"), ("comment", " ")]).await;
    assert!(html.text().await.unwrap().contains("退回须填写审核意见"));
    location(&hr.post(&format!("/plans/{id}/review"), &[("decision", "return"), ("comment", "补充日程")]).await);
    let html = base.ok(&format!("/plans/{id}")).await;
    assert!(html.contains("补充日程") && html.contains("重新报送"), "{html}");
    let plan: Value = app.get(&format!("/api/v1/training-plans/{id}"), Some(&w.base_token)).await.json().await.unwrap();
    let first = plan["classes"][0]["id"].as_i64().unwrap();
    let edit = format!("/plans/{id}/classes/{first}");
    assert!(base.ok(&edit).await.contains("value=\"建设工程能力提升班\""));
    location(&post_form(&base, &edit, &class_form(year, "建设工程能力提升班（修订）", "装备制造")).await);
    location(&base.post(&format!("/plans/{id}/submit"), &[]).await);
    location(&hr.post(&format!("/plans/{id}/review"), &[("decision", "approve"), ("comment", "")]).await);
    // The learner finds the approved classes in the catalogue, filtered by field and region.
    let html = learner.ok("/training-projects").await;
    assert!(
        html.contains("建设工程能力提升班（修订）") && html.contains("海洋班") && html.contains("威海市"),
        "{html}"
    );
    let html = learner.ok("/training-projects?field=marine&region=").await;
    assert!(html.contains("海洋班") && !html.contains("建设工程能力提升班"), "{html}");
    assert!(learner.ok("/training-projects?region=烟台市").await.contains("没有符合条件的培训项目"));
    // Past the deadline the service's refusal is shown on the plan.
    let r = app
        .post(
            "/api/v1/training-plans",
            Some(&w.other_base_token),
            json!({"year": year, "classes": [class(year, "迟到班", "金融")]}),
        )
        .await;
    let late = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    move_clock_to(&app, NaiveDate::from_ymd_opt(year, 5, 16).unwrap());
    let r = other_base.post(&format!("/plans/{late}/submit"), &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!("培训计划须于 {year}-05-15 前报送")) && html.contains("id=\"submit-error\""),
        "{html}"
    );
}
both_backends!(plan_pages, plan_pages_scope_review_and_catalogue);

async fn upload(s: &Session, class_id: i64, csv: String) -> reqwest::Response {
    let form = multipart::Form::new()
        .text("csrf", s.csrf.clone())
        .part("file", multipart::Part::bytes(csv.into_bytes()).file_name("花名册.csv"));
    s.client.post(format!("{}/offline-classes/{class_id}/roster", s.base)).multipart(form).send().await.unwrap()
}

async fn roster_attendance_statistics_and_sync_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let w = world(&app).await;
    let year = plan_year(&app);
    let (_, class_id) = approved_plan(&app, &w, year).await;
    let learner_token = app.user_token(&id_number(411), "learner", Some(w.employer)).await;
    let learner = learner_id(&app, &learner_token).await;
    let base = Session::login(&app, "wh_base").await;
    let page = format!("/offline-classes/{class_id}");
    assert!(base.ok(&page).await.contains("还没有花名册"));
    // Unknown ID numbers are listed by row, masked; nothing is imported.
    let csv = format!("身份证号,姓名\n{},测试用户\n{},王五\n", id_number(411), id_number(499));
    let r = upload(&base, class_id, csv).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("第 3 行") && html.contains("没有注册学员") && html.contains("还没有花名册"), "{html}");
    assert!(!html.contains(&id_number(499)), "ID numbers are shown masked");
    let bad_csrf = multipart::Form::new()
        .text("csrf", "00")
        .part("file", multipart::Part::bytes(b"x".to_vec()).file_name("a.csv"));
    let r = base.client.post(app.url(&format!("{page}/roster"))).multipart(bad_csrf).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let to = location(&upload(&base, class_id, format!("身份证号,姓名\n{},测试用户\n", id_number(411))).await);
    assert!(base.ok(&to).await.contains("花名册已导入，共 1 人"));
    // Hours before the class ended are refused; after, capped at 8 a day and credited once.
    let hours = format!("h{learner}");
    let html = base.post(&format!("{page}/attendance"), &[(&hours, "30")]).await.text().await.unwrap();
    assert!(html.contains("培训班尚未结束"), "{html}");
    move_clock_to(&app, NaiveDate::from_ymd_opt(year, 3, 4).unwrap());
    let html = base.post(&format!("{page}/attendance"), &[(&hours, "abc")]).await.text().await.unwrap();
    assert!(html.contains("学时须为非负数"), "{html}");
    let html = base.post(&format!("{page}/attendance"), &[(&hours, "30")]).await.text().await.unwrap();
    assert!(html.contains("本次计入 1 人") && html.contains("已计入学习档案") && html.contains("超过上限"), "{html}");
    let archive: Value =
        app.get(&format!("/api/v1/me/archive?year={year}"), Some(&learner_token)).await.json().await.unwrap();
    assert_eq!(archive["professional_hours"], json!(24.0));
    let html = base.post(&format!("{page}/attendance"), &[(&hours, "24")]).await.text().await.unwrap();
    assert!(html.contains("此前已计入"), "{html}");
    // Scope and roles.
    assert_eq!(Session::login(&app, "yt_base").await.page(&page).await.0, StatusCode::NOT_FOUND);
    let me = Session::login(&app, &id_number(411)).await;
    assert_eq!(me.page(&page).await.0, StatusCode::FORBIDDEN);
    assert_eq!(me.post(&format!("{page}/attendance"), &[(&hours, "8")]).await.status(), StatusCode::FORBIDDEN);
    // Statistics: the chart as inline SVG (no style attribute), the table and the .xlsx link.
    let html = base.ok(&format!("/statistics?year={year}")).await;
    assert!(html.contains("<svg class=\"hbar field-chart\"") && html.contains("1 人 · 24 学时"), "{html}");
    assert!(!html.contains("style=") && html.contains("format=xlsx"), "{html}");
    assert!(
        Session::login(&app, "yt_hr")
            .await
            .ok(&format!("/statistics?year={year}"))
            .await
            .contains("该年度还没有审核通过的培训班")
    );
    // The sync page: the credit waits in the outbox (no endpoint configured).
    let admin = Session::login(&app, "admin").await;
    let html = admin.ok("/admin/sync").await;
    assert!(html.contains("未配置省平台接口地址") && html.contains("<td>学时</td>"), "{html}");
    assert_eq!(base.page("/admin/sync").await.0, StatusCode::FORBIDDEN);
}
both_backends!(offline_class_pages, roster_attendance_statistics_and_sync_pages);

async fn excellent_selection_pages(backend: Backend) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = spawn_app(backend).await;
    let w = world(&app).await;
    let year = xueshi::archive::ledger::year_of(app.app_state.clock.now());
    let body = json!({"title": "数字经济", "category": "public_elective", "year": year, "hours": 5.0, "teacher": "刘敏", "description": ""});
    let course: Value = app.post("/api/v1/courses", Some(&w.base_token), body).await.json().await.unwrap();
    let course_id = course["id"].as_i64().unwrap() as i32;
    let row = xueshi::entities::course::ActiveModel {
        id: Set(course_id),
        status: Set("published".into()),
        ..Default::default()
    };
    row.update(&app.app_state.db).await.unwrap();
    let base = Session::login(&app, "wh_base").await;
    assert!(base.ok("/excellent").await.contains("数字经济（5 学时）"));
    let cid = course_id.to_string();
    let html = base
        .post("/excellent/nominations", &[("course_id", &cid), ("introduction", "简介")])
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"pledge-error\"") && html.contains("须承诺拥有课程完整知识产权"), "{html}");
    location(&base.post("/excellent/nominations", &[("course_id", &cid), ("ip_pledge", "on")]).await);
    let admin = Session::login(&app, "admin").await;
    let today = xueshi::institutions::china_today(app.app_state.clock.now());
    let (opens, closes) = (today.to_string(), (today + chrono::Duration::days(7)).to_string());
    location(&admin.post("/excellent/round", &[("opens", &opens), ("closes", &closes), ("top_n", "1")]).await);
    let learner = Session::login(&app, &{
        app.user_token(&id_number(421), "learner", Some(w.employer)).await;
        id_number(421)
    })
    .await;
    let html = learner.ok("/excellent").await;
    assert!(html.contains("投票进行中") && html.contains("class=\"vote\""), "{html}");
    let nom: Value =
        app.get(&format!("/api/v1/excellent/nominations?year={year}"), Some(&w.base_token)).await.json().await.unwrap();
    let vote = format!("/excellent/nominations/{}/vote", nom["nominations"][0]["id"]);
    location(&learner.post(&vote, &[]).await);
    assert!(learner.ok("/excellent").await.contains("您已投票"));
    assert!(learner.post(&vote, &[]).await.text().await.unwrap().contains("您已为此课程投过票"));
    assert_eq!(base.post(&vote, &[]).await.status(), StatusCode::FORBIDDEN);
    let score = format!("/excellent/nominations/{}/score", nom["nominations"][0]["id"]);
    assert!(admin.post(&score, &[("score", "120")]).await.text().await.unwrap().contains("评分须在 0 至 100 之间"));
    location(&admin.post(&score, &[("score", "90")]).await);
    assert!(admin.post("/excellent/publish", &[]).await.text().await.unwrap().contains("投票尚未结束"));
    assert_eq!(learner.post("/excellent/publish", &[]).await.status(), StatusCode::FORBIDDEN);
}
both_backends!(excellent_pages, excellent_selection_pages);

async fn demo_data_fills_the_institution_pages(backend: Backend) {
    let app = spawn_with(backend, |s| s.demo = true).await;
    let page = |path: &'static str, token: String| {
        let app = &app;
        async move {
            let r = app.anon.get(app.url(path)).bearer_auth(token).header("Accept", "text/html").send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            r.text().await.unwrap()
        }
    };
    let pw = xueshi::demo::DEMO_PASSWORD;
    let base = app.login_ok("base1", pw).await;
    let html = page("/plans", base.clone()).await;
    assert!(html.contains("已通过") && html.contains("已报送，待审核"), "{html}");
    let year = xueshi::archive::ledger::year_of(app.app_state.clock.now());
    let stats = app.get(&format!("/statistics?year={year}"), Some(&base)).await.text().await.unwrap();
    assert!(stats.contains("2 人 · 44 学时"), "{stats}");
    let hr = app.login_ok("weihai_hrss", pw).await;
    let html = page("/plans", hr).await;
    let waiting = format!("威海职业学院继续教育基地 · {} 年度培训计划</a> <span class=\"tag warn\">", year + 1);
    assert!(html.contains(&waiting), "next year's plan waits for the bureau: {html}");
    let learner = app.login_ok(&id_number(23), pw).await;
    assert!(page("/training-projects", learner.clone()).await.contains("智能制造与工业互联网应用培训班"));
    let html = page("/excellent", learner).await;
    assert!(html.contains("数字经济与创新发展") && html.contains("投票进行中"), "{html}");
    assert!(page("/admin/sync", app.admin_token.clone()).await.contains("<td>学时</td>"));
}
both_backends!(demo_pages, demo_data_fills_the_institution_pages);
