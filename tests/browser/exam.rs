//! A learner takes an exam on a phone: start, one question per screen, autosave, submit with
//! a confirmation, the pass result, and the hours on the dashboard.
use fantoccini::Locator;
use serde_json::Value;

use crate::driver;
use crate::helpers::*;
use crate::steps::{click, fits_the_phone, login, wait_text};
use crate::world;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learner_takes_an_exam_on_a_phone() {
    let Some(browser) = driver::open().await else { return };
    let w = world::world(Backend::Embedded).await;
    let learner = w.ready_learner(81).await;
    let c = &browser.client;
    login(c, &w.app, &id_number(81), PASSWORD).await;
    c.goto(&w.app.url(&format!("/exams/{}", w.exam_id))).await.unwrap();
    let start = c.wait().for_element(Locator::Id("start")).await.unwrap();
    assert!(start.text().await.unwrap().contains("开始考试"));
    fits_the_phone(c).await;
    browser.screenshot("exam-01-intro").await;
    start.click().await.unwrap();
    wait_text(c, "#timer", "剩余").await;
    browser.screenshot("exam-02-first-question").await;

    // The right answers, worked out from the database (the page never has them).
    let attempt = world::attempts_of(&w.app, &learner).await[0].id;
    let sheet = world::correct_sheet(&w.app, attempt).await;
    let count = sheet.as_object().unwrap().len();
    for i in 0..count {
        let question = c.find(Locator::Id(&format!("question-{i}"))).await.unwrap();
        assert!(question.is_displayed().await.unwrap(), "question {i} is on screen");
        let name = question.find(Locator::Css("input")).await.unwrap().attr("name").await.unwrap().unwrap();
        let keys = &sheet[name.trim_start_matches('q')];
        if i == 1 {
            // The network drops the next save: the page says so and retries on its own.
            let drop_once = "const real = window.fetch; let dropped = false; \
                window.fetch = function (...args) { if (!dropped) { dropped = true; \
                return Promise.reject(new TypeError('offline')); } return real.apply(this, args); };";
            c.execute(drop_once, vec![]).await.unwrap();
        }
        for key in keys.as_array().unwrap() {
            let key = key.as_str().unwrap();
            click(c, &format!("#question-{i} input[value='{key}']")).await;
        }
        if i == 0 {
            let saved = wait_text(c, "#save-state", "已保存").await;
            assert!(saved.len() > "已保存 ".len(), "shows the time: {saved}");
            fits_the_phone(c).await;
            browser.screenshot("exam-03-answered-and-saved").await;
        }
        if i == 1 {
            assert!(wait_text(c, "#save-state", "保存失败").await.contains("秒后自动重试"));
            browser.screenshot("exam-03b-save-failed-retrying").await;
            wait_text(c, "#save-state", "已保存").await;
        }
        if i == 5 {
            browser.screenshot("exam-04-multiple-choice").await;
        }
        click(c, "#next").await;
    }
    // "下一题" on the last question asks for confirmation.
    wait_text(c, "#confirm-text", "全部").await;
    browser.screenshot("exam-05-confirm").await;
    let saved: Value =
        w.app.get(&format!("/api/v1/attempts/{attempt}"), Some(&learner.token)).await.json().await.unwrap();
    assert_eq!(saved["status"], "open", "nothing is handed in before confirming");
    click(c, "#confirm-yes").await;
    let result = wait_text(c, "#result", "考试通过").await;
    assert!(result.contains("100 分") && result.contains("已记入 6 学时"), "{result}");
    fits_the_phone(c).await;
    browser.screenshot("exam-06-passed").await;

    click(c, "#result-actions a").await;
    let body = wait_text(c, "main", "专业科目").await;
    assert!(body.contains("6 / 60 学时"), "{body}");
    browser.screenshot("exam-07-dashboard").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_failure_locks_the_exam_and_offers_restudy() {
    let Some(browser) = driver::open().await else { return };
    let w = world::world(Backend::Embedded).await;
    let learner = w.ready_learner(82).await;
    w.sit(&learner, false).await;
    let c = &browser.client;
    // Not logged in (or the session expired): the exam's link leads to the login page.
    c.goto(&w.app.url(&format!("/exams/{}", w.exam_id))).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/login");
    login(c, &w.app, &id_number(82), PASSWORD).await;
    c.goto(&w.app.url(&format!("/exams/{}", w.exam_id))).await.unwrap();
    let start = c.wait().for_element(Locator::Id("start")).await.unwrap();
    assert!(start.text().await.unwrap().contains("第 2 次"));
    start.click().await.unwrap();
    wait_text(c, "#timer", "剩余").await;
    // Handing in a blank paper: the dialog says how many are unanswered.
    click(c, "#submit").await;
    assert!(wait_text(c, "#confirm-text", "未作答").await.contains("还有 10 道题未作答"));
    click(c, "#confirm-yes").await;
    let result = wait_text(c, "#result", "考试已锁定").await;
    assert!(result.contains("0 分") && result.contains("2 次考试机会已用完"), "{result}");
    fits_the_phone(c).await;
    browser.screenshot("exam-08-locked").await;
    click(c, "#result-actions .js-restudy").await;
    assert!(wait_text(c, "#result", "已开始第 2 轮学习").await.contains("去学习课程"));
    browser.screenshot("exam-09-restudy-started").await;
    c.refresh().await.unwrap();
    wait_text(c, "#state-msg", "请先学完本课程的全部讲次").await;
    browser.screenshot("exam-10-lectures-again").await;
    browser.close().await;
}
