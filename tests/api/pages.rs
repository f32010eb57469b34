use reqwest::{Client, StatusCode, redirect::Policy};

use crate::both_backends;
use crate::helpers::*;
use crate::page_session::csrf_of;

fn browser() -> Client {
    Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap()
}

async fn learner_logs_in_changes_password_and_sees_hours(backend: Backend) {
    let app = spawn_app(backend).await;
    let bureau = app.create_org("人社局", "hr_bureau", None).await;
    let emp = app.create_org("医院", "employer", Some(bureau)).await;
    let id = id_number(41);
    let r = app
        .post("/api/v1/admin/users", Some(&app.admin_token), serde_json::json!({"username": id, "name": "张小三", "role": "learner", "org_id": emp, "password": "Initial#Pass1"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let b = browser();
    let r = b.get(app.url("/login")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers().get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    assert!(csp.contains("default-src 'self'") && !csp.contains("unsafe-inline"));
    let html = r.text().await.unwrap();
    assert!(html.contains("身份证号"));
    let csrf = csrf_of(&html);
    // Wrong password: the form says so in Chinese, next to the form.
    let r = b
        .post(app.url("/login"))
        .form(&[("username", id.as_str()), ("password", "nope-nope1"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("密码不正确"));
    let r = b
        .post(app.url("/login"))
        .form(&[("username", id.as_str()), ("password", "Initial#Pass1"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/password");
    // Anything else sends them back to change the password first.
    let r = b.get(app.url("/")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/password");
    let html = b.get(app.url("/password")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("首次登录"));
    let csrf = csrf_of(&html);
    // Mismatched confirmation is shown next to the field.
    let r = b
        .post(app.url("/password"))
        .form(&[
            ("old_password", "Initial#Pass1"),
            ("new_password", "N3w#Password"),
            ("confirm_password", "other"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("两次输入的新密码不一致"));
    // Without the CSRF token the change is refused.
    let r = b
        .post(app.url("/password"))
        .form(&[
            ("old_password", "Initial#Pass1"),
            ("new_password", "N3w#Password"),
            ("confirm_password", "N3w#Password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = b
        .post(app.url("/password"))
        .form(&[
            ("old_password", "Initial#Pass1"),
            ("new_password", "N3w#Password"),
            ("confirm_password", "N3w#Password"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = b.get(app.url("/")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/dashboard");
    let html = b.get(app.url("/dashboard")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("公需科目") && html.contains("0 / 30 学时") && html.contains("还差"), "{html}");
    let html = b.get(app.url("/archive?year=2026")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("近五年"));
    // A cookie-authenticated API write without the CSRF header is refused; with it, allowed.
    let r = b.post(app.url("/api/v1/auth/logout")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let html = b.get(app.url("/dashboard")).send().await.unwrap().text().await.unwrap();
    let r = b.post(app.url("/api/v1/auth/logout")).header("x-csrf-token", csrf_of(&html)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
}
both_backends!(learner_first_login_flow_in_pages, learner_logs_in_changes_password_and_sees_hours);

async fn static_assets_are_served(backend: Backend) {
    let app = spawn_app(backend).await;
    let r = app.get("/static/app.css", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.get("/static/vendor/hls.light.min.js", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.get("/static/../Cargo.toml", None).await.status(), StatusCode::NOT_FOUND);
}
both_backends!(static_assets, static_assets_are_served);
