//! The exam, declaration, review, report, certificate and admin pages: each renders the
//! caller's data, refuses other roles, and its forms go through the same services as the API.
use reqwest::{Client, StatusCode, redirect::Policy};
use serde_json::{Value, json};
use xueshi::{
    archive::ledger::{self, NewCredit, SourceKind},
    rules::annual_summary::{Category, PublicSubkind},
};

use crate::both_backends;
use crate::exams::world as exam_world;
use crate::helpers::*;

/// A cookie-carrying client logged in through the login form, and the page's CSRF token.
pub(crate) struct Session {
    pub client: Client,
    base: String,
    pub csrf: String,
}

fn csrf_of(html: &str) -> String {
    let start = html.find("name=\"csrf-token\" content=\"").expect("csrf meta") + 27;
    html[start..start + 32].to_owned()
}

impl Session {
    /// Logs in `username` (whose password is already `PASSWORD`) through the login page.
    pub async fn login(app: &TestApp, username: &str) -> Session {
        let client = Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap();
        let html = client.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        let form = [("username", username), ("password", PASSWORD), ("csrf", &csrf_of(&html))];
        let r = client.post(app.url("/login")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "login {username}");
        let mut s = Session { client, base: app.address.clone(), csrf: String::new() };
        let html = s.client.get(format!("{}/", s.base)).send().await.unwrap();
        let to = html.headers()["location"].to_str().unwrap().to_owned();
        s.csrf = csrf_of(&s.page(&to).await.1);
        s
    }

    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let r = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    }

    pub async fn ok(&self, path: &str) -> String {
        let (status, html) = self.page(path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {html}");
        html
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        fields.push(("csrf", &self.csrf));
        self.client.post(format!("{}{path}", self.base)).form(&fields).send().await.unwrap()
    }
}

async fn exam_page_tells_what_can_be_done(backend: Backend) {
    let w = exam_world::world(backend).await;
    let path = format!("/exams/{}", w.exam_id);
    // Lectures not watched: the page says so and offers no start.
    let fresh = w.learner(61).await;
    let s = Session::login(&w.app, &id_number(61)).await;
    let html = s.ok(&path).await;
    assert!(html.contains("专利法实务") && html.contains("请先学完本课程的全部讲次"), "{html}");
    assert!(!html.contains("id=\"start\""));
    // Lectures done: start the first of two attempts; then resume the open one.
    w.complete_lectures(&fresh, 1).await;
    let html = s.ok(&path).await;
    assert!(html.contains("开始考试（第 1 次）") && html.contains("剩余 2 次") && html.contains("6 学时"), "{html}");
    assert!(html.contains("/static/exam.js") && html.contains("<noscript>"));
    w.start_new(&fresh).await;
    assert!(s.ok(&path).await.contains("继续作答（第 1 次考试）"));
    // Past the deadline the open attempt is graded on the spot; two failures lock the exam.
    w.app.app_state.clock.advance(exam_world::DURATION_S + 1);
    let html = s.ok(&path).await;
    assert!(html.contains("开始考试（第 2 次）") && html.contains("上次得分：0 分"), "{html}");
    w.sit(&fresh, false).await;
    let html = s.ok(&path).await;
    assert!(html.contains("申请重新学习") && html.contains("考试已锁定"), "{html}");
    // A passed exam says so.
    let passer = w.ready_learner(62).await;
    w.sit(&passer, true).await;
    let html = Session::login(&w.app, &id_number(62)).await.ok(&path).await;
    assert!(html.contains("您已通过本课程考试"), "{html}");
    // Staff may not open it; an unknown exam is 404.
    let admin = Session::login(&w.app, "admin").await;
    assert_eq!(admin.page(&path).await.0, StatusCode::FORBIDDEN);
    assert_eq!(s.page("/exams/99999").await.0, StatusCode::NOT_FOUND);
}
both_backends!(exam_page_states, exam_page_tells_what_can_be_done);

async fn admin_bank_and_policy_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let r = exam_world::import(&app, "network_security.toml", exam_world::sample("network_security.toml"), "网络安全")
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let bank = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap().to_string();
    let admin = Session::login(&app, "admin").await;
    let html = admin.ok("/admin/banks").await;
    assert!(html.contains("网络安全") && html.contains("草稿") && html.contains("/static/banks.js"), "{html}");
    // Publishing needs the CSRF token; with it the bank is published and the page says so.
    let publish = format!("/admin/banks/{bank}/publish");
    let r = admin.client.post(app.url(&publish)).form(&[("csrf", "0")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = admin.post(&publish, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    let html = admin.ok(&to).await;
    assert!(html.contains("已发布“网络安全”第 1 版") && html.contains("已发布</span>"), "{html}");
    // The policy page shows the year's numbers in editable fields.
    let html = admin.ok("/admin/policy?year=2026").await;
    assert!(html.contains("name=\"annual.public\"") && html.contains("value=\"30\""), "{html}");
    assert!(html.contains("name=\"completion_threshold\"") && html.contains("value=\"0.95\""), "{html}");
    assert!(html.contains("data-policy=\"{&quot;year&quot;:2026"), "full policy for the script");
    // The staff home lists both tools for the platform admin.
    let home = admin.ok("/staff").await;
    assert!(home.contains("题库管理") && home.contains("政策参数"));
    // Other roles are refused.
    let bureau = app.create_org("人社局", "hr_bureau", None).await;
    app.user_token("hr1", "hr_admin", Some(bureau)).await;
    let hr = Session::login(&app, "hr1").await;
    for path in ["/admin/banks", "/admin/policy"] {
        assert_eq!(hr.page(path).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(hr.post(&publish, &[]).await.status(), StatusCode::FORBIDDEN);
}
both_backends!(admin_pages, admin_bank_and_policy_pages);

/// A learner at an employer under a department under a bureau, with the three reviewers.
async fn review_world(backend: Backend) -> (TestApp, String, i64) {
    let app = spawn_app(backend).await;
    let bureau = app.create_org("威海市人社局", "hr_bureau", None).await;
    let dept = app.create_org("市卫健委", "department", Some(bureau)).await;
    let emp = app.create_org("市立医院", "employer", Some(dept)).await;
    let other = app.create_org("其他医院", "employer", Some(bureau)).await;
    let learner = app.user_token(&id_number(71), "learner", Some(emp)).await;
    app.user_token("emp_admin", "employer_admin", Some(emp)).await;
    app.user_token("dept_admin", "department_admin", Some(dept)).await;
    app.user_token("other_admin", "employer_admin", Some(other)).await;
    (app, learner, emp)
}

async fn declarations_through_the_pages(backend: Backend) {
    let (app, learner_token, _) = review_world(backend).await;
    let year = ledger::year_of(app.app_state.clock.now());
    // Preview names the field that is missing, for the form to show it there.
    let body = json!({"kind": "conference", "year": year, "title": "学术年会", "hours": 20});
    let r = app.post("/api/v1/declarations/preview", Some(&learner_token), body).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["error"]["code"].as_str(), &v["error"]["details"]),
        (Some("missing_field"), &json!([{"field": "days"}]))
    );
    let body = json!({"kind": "conference", "year": year, "title": "全国医学学术年会", "days": 2, "hours": 20});
    let r = app.post("/api/v1/declarations", Some(&learner_token), body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap().to_string();

    let learner = Session::login(&app, &id_number(71)).await;
    let html = learner.ok("/declarations").await;
    assert!(
        html.contains("全国医学学术年会") && html.contains("待用人单位审核") && html.contains("专业 16 学时"),
        "{html}"
    );
    let html = learner.ok("/declarations/new").await;
    assert!(html.contains("职称外语考试") && html.contains("data-kinds=") && html.contains("<noscript>"), "{html}");
    assert!(learner.ok(&format!("/declarations/{id}")).await.contains("等待用人单位审核"));
    assert_eq!(learner.page("/reviews").await.0, StatusCode::FORBIDDEN);
    assert_eq!(learner.page("/reports/completion").await.0, StatusCode::FORBIDDEN);

    // The employer's reviewer sees it in the queue and on its page, with the decision form.
    let emp = Session::login(&app, "emp_admin").await;
    let html = emp.ok("/reviews").await;
    assert!(html.contains("全国医学学术年会") && html.contains(&format!("/declarations/{id}")), "{html}");
    let html = emp.ok(&format!("/declarations/{id}")).await;
    assert!(html.contains("value=\"approve\"") && html.contains("未上传证明材料"), "{html}");
    // Rejecting without a comment is refused next to the comment field; approving moves it on.
    let review = format!("/declarations/{id}/review");
    let r = emp.post(&review, &[("decision", "reject"), ("comment", " ")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("退回时请填写审核意见"));
    let r = emp.post(&review, &[("decision", "approve"), ("comment", "属实")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = emp.ok(r.headers()["location"].to_str().unwrap()).await;
    assert!(html.contains("已通过本级审核") && html.contains("目前没有等待您审核的申报"), "{html}");
    // Deciding twice is explained, not an error page.
    let r = emp.post(&review, &[("decision", "approve")]).await;
    assert!(r.text().await.unwrap().contains("已由他人审核或不在您的审核级别"));
    let dept = Session::login(&app, "dept_admin").await;
    assert!(dept.ok("/reviews").await.contains("全国医学学术年会"));
    let html = dept.ok(&format!("/declarations/{id}")).await;
    assert!(html.contains("用人单位 · 测试用户") && html.contains("意见：属实"), "{html}");
    // Outside the reviewer's scope the declaration does not exist.
    let other = Session::login(&app, "other_admin").await;
    assert_eq!(other.page(&format!("/declarations/{id}")).await.0, StatusCode::NOT_FOUND);
    assert!(!other.ok("/reviews").await.contains("全国医学学术年会"));
    assert_eq!(other.post(&review, &[("decision", "approve")]).await.status(), StatusCode::NOT_FOUND);
}
both_backends!(declaration_pages, declarations_through_the_pages);

async fn report_page_charts_and_links_exports(backend: Backend) {
    let (app, _, _) = review_world(backend).await;
    let dept = Session::login(&app, "dept_admin").await;
    let html = dept.ok("/reports/completion?year=2026").await;
    assert!(html.contains("市立医院") && html.contains("0%（0/1）") && html.contains("<svg class=\"hbar\""), "{html}");
    assert!(!html.contains("其他医院"), "outside the department's scope");
    assert!(html.contains("/api/v1/reports/completion?year=2026&amp;format=xlsx"));
    let r = dept.client.get(app.url("/api/v1/reports/completion?year=2026&format=csv")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the export link works with the session cookie");
    let home = dept.ok("/staff").await;
    assert!(home.contains("学时申报审核") && home.contains("学时完成情况统计") && !home.contains("题库管理"));
}
both_backends!(report_page, report_page_charts_and_links_exports);

async fn certificates_page_issues_for_compliant_years(backend: Backend) {
    let (app, _, _) = review_world(backend).await;
    let me: Value =
        app.get("/api/v1/me", Some(&app.login_ok(&id_number(71), PASSWORD).await)).await.json().await.unwrap();
    let learner_id = me["id"].as_i64().unwrap() as i32;
    let year = ledger::year_of(app.app_state.clock.now());
    let s = Session::login(&app, &id_number(71)).await;
    let html = s.ok("/certificates").await;
    assert!(html.contains("还差公需科目 30 学时、专业科目 60 学时"), "{html}");
    let r = s.post("/certificates", &[("year", &year.to_string())]).await;
    assert!(r.text().await.unwrap().contains("该年度学时未达标"));
    for (category, subkind, hours) in [
        (Category::Public, Some(PublicSubkind::Required), 20.0),
        (Category::Public, Some(PublicSubkind::Elective), 10.0),
        (Category::Professional, None, 60.0),
    ] {
        let c = NewCredit {
            learner_id,
            year,
            category,
            public_subkind: subkind,
            source: SourceKind::OfflineClass,
            source_id: format!("{category:?}{hours}"),
            title: "线下培训".into(),
            hours,
            at: app.app_state.clock.now(),
        };
        assert!(ledger::credit(&app.app_state.db, c).await.unwrap());
    }
    assert!(s.ok("/certificates").await.contains(&format!("申请 {year} 年度证书")));
    let r = s.post("/certificates", &[("year", &year.to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cert = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(s.ok(&cert).await.contains("继续教育"));
    assert!(s.ok("/certificates").await.contains(&format!("href=\"{cert}\"")));
    let emp = Session::login(&app, "emp_admin").await;
    assert_eq!(emp.page("/certificates").await.0, StatusCode::FORBIDDEN);
}
both_backends!(certificates_page, certificates_page_issues_for_compliant_years);

async fn anonymous_browsers_are_sent_to_login(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = Client::builder().redirect(Policy::none()).build().unwrap();
    let get = |path: &str, accept: &str| client.get(app.url(path)).header("accept", accept).send();
    let r = get("/exams/1", "text/html,application/xhtml+xml").await.unwrap();
    assert_eq!((r.status(), r.headers()["location"].to_str().unwrap()), (StatusCode::SEE_OTHER, "/login"));
    // An expired session cookie is the same as none.
    let r =
        client.get(app.url("/dashboard")).header("accept", "text/html").header("cookie", "xueshi_session=stale").send();
    assert_eq!(r.await.unwrap().status(), StatusCode::SEE_OTHER);
    // The API and non-browser clients keep their JSON 401.
    assert_eq!(get("/api/v1/me", "text/html").await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(get("/dashboard", "application/json").await.unwrap().status(), StatusCode::UNAUTHORIZED);
}
both_backends!(login_redirect, anonymous_browsers_are_sent_to_login);
