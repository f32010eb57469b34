//! The same pages in a 1280-px desktop window: nothing overflows, and a person can look at them.
use fantoccini::Locator;
use serde_json::json;

use crate::driver;
use crate::helpers::*;
use crate::steps::{click, login, wait_text};
use crate::world;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fit_a_desktop_window() {
    let Some(browser) = driver::open_sized(1280, 900).await else { return };
    let w = world::world(Backend::Embedded).await;
    w.ready_learner(83).await;
    let c = &browser.client;
    let width = c.execute("return window.innerWidth;", vec![]).await.unwrap();
    assert!(width.as_i64().unwrap() > 1000, "a desktop window: {width}");
    login(c, &w.app, &id_number(83), PASSWORD).await;
    c.goto(&w.app.url(&format!("/exams/{}", w.exam_id))).await.unwrap();
    c.wait().for_element(Locator::Id("start")).await.unwrap().click().await.unwrap();
    wait_text(c, "#timer", "剩余").await;
    click(c, "#sheet summary").await;
    browser.screenshot("wide-01-exam").await;
    c.goto(&w.app.url("/declarations/new")).await.unwrap();
    click(c, "#f-kind option[value='foreign_language_exam']").await;
    browser.screenshot("wide-02-declaration-form").await;
    click(c, "header form button").await;
    login(c, &w.app, "admin", PASSWORD).await;
    for (path, name) in [("/admin/banks", "wide-03-banks"), ("/admin/policy", "wide-04-policy")] {
        c.goto(&w.app.url(path)).await.unwrap();
        wait_text(c, "main h1", "").await;
        let fits = c.execute("return document.documentElement.scrollWidth <= window.innerWidth;", vec![]);
        assert_eq!(fits.await.unwrap(), json!(true), "{path}");
        browser.screenshot(name).await;
    }
    browser.close().await;
}
