use fantoccini::Locator;
use serde_json::json;

use crate::driver;
use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learner_logs_in_changes_first_password_and_sees_dashboard() {
    let Some(browser) = driver::open().await else { return };
    let app = spawn_app(Backend::Embedded).await;
    let bureau = app.create_org("威海市人社局", "hr_bureau", None).await;
    let emp = app.create_org("威海市立医院", "employer", Some(bureau)).await;
    let id = id_number(51);
    let r = app
        .post(
            "/api/v1/admin/users",
            Some(&app.admin_token),
            json!({"username": id, "name": "张小三", "role": "learner", "org_id": emp, "password": "Initial#Pass1"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let c = &browser.client;
    c.goto(&app.url("/")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().ends_with("/login"));
    browser.screenshot("01-login").await;
    c.find(Locator::Id("username")).await.unwrap().send_keys(&id).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys("Initial#Pass1").await.unwrap();
    c.find(Locator::Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("new_password")).await.unwrap();
    browser.screenshot("02-first-password").await;
    c.find(Locator::Id("old_password")).await.unwrap().send_keys("Initial#Pass1").await.unwrap();
    c.find(Locator::Id("new_password")).await.unwrap().send_keys("N3w#Password").await.unwrap();
    c.find(Locator::Id("confirm_password")).await.unwrap().send_keys("N3w#Password").await.unwrap();
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    let missing = c.wait().for_element(Locator::Id("missing")).await.unwrap();
    let text = missing.text().await.unwrap();
    assert!(text.contains("还差"), "{text}");
    let body = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(body.contains("公需科目") && body.contains("0 / 30 学时"), "{body}");
    // Nothing overflows a 375-px-wide phone screen.
    let overflow =
        c.execute("return document.documentElement.scrollWidth <= window.innerWidth;", vec![]).await.unwrap();
    assert_eq!(overflow, json!(true));
    browser.screenshot("03-dashboard").await;
    browser.close().await;
}
