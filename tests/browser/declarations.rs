//! A learner files a declaration with a photo of the certificate on a phone, seeing what it is
//! worth as they type; the employer's reviewer sees the photo and approves it.
use fantoccini::Locator;

use crate::driver;
use crate::helpers::*;
use crate::steps::{click, fits_the_phone, login, wait_js, wait_text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learner_files_and_reviewer_approves_on_a_phone() {
    let Some(browser) = driver::open().await else { return };
    let app = spawn_app(Backend::Embedded).await;
    let bureau = app.create_org("威海市人社局", "hr_bureau", None).await;
    let emp = app.create_org("威海市立医院", "employer", Some(bureau)).await;
    app.user_token(&id_number(91), "learner", Some(emp)).await;
    app.user_token("emp_admin", "employer_admin", Some(emp)).await;
    let c = &browser.client;
    login(c, &app, &id_number(91), PASSWORD).await;
    c.goto(&app.url("/certificates")).await.unwrap();
    wait_text(c, "main", "还差公需科目 30 学时").await;
    browser.screenshot("decl-01-certificates-shortfall").await;

    c.goto(&app.url("/declarations")).await.unwrap();
    click(c, "main a[href='/declarations/new']").await;
    c.wait().for_element(Locator::Id("decl-form")).await.unwrap();
    // Only the fields of the chosen kind are shown.
    assert!(!c.find(Locator::Id("w-days")).await.unwrap().is_displayed().await.unwrap());
    click(c, "#f-kind option[value='conference']").await;
    assert!(c.find(Locator::Id("w-days")).await.unwrap().is_displayed().await.unwrap());
    assert!(!c.find(Locator::Id("w-months")).await.unwrap().is_displayed().await.unwrap());
    c.find(Locator::Id("f-days")).await.unwrap().send_keys("2").await.unwrap();
    c.find(Locator::Id("f-hours")).await.unwrap().send_keys("20").await.unwrap();
    // What it is worth, before filing: at most 8 hours a day.
    let worth = wait_text(c, "#computed", "16 学时").await;
    assert!(worth.contains("专业科目 16 学时") && worth.contains("每天最多认定 8 学时"), "{worth}");
    // Filing without a title: the error is next to the title.
    click(c, "#decl-submit").await;
    assert!(wait_text(c, "#e-title", "请填写").await.contains("请填写名称"));
    fits_the_phone(c).await;
    browser.screenshot("decl-02-form-worth-and-error").await;
    c.find(Locator::Id("f-title")).await.unwrap().send_keys("全国医学学术年会").await.unwrap();
    let photo = format!("{}/tests/fixtures/evidence/training_certificate.png", env!("CARGO_MANIFEST_DIR"));
    c.find(Locator::Id("f-evidence")).await.unwrap().send_keys(&photo).await.unwrap();
    click(c, "#decl-submit").await;
    wait_text(c, "#done", "申报已提交").await;
    let list = wait_text(c, "main", "全国医学学术年会").await;
    assert!(list.contains("待用人单位审核") && list.contains("专业 16 学时"), "{list}");
    fits_the_phone(c).await;
    browser.screenshot("decl-03-filed").await;

    // The reviewer: the queue, the photo inline, a rejection needs a comment, then approve.
    click(c, "header form button").await;
    login(c, &app, "emp_admin", PASSWORD).await;
    click(c, "a[href='/reviews']").await;
    click(c, "ul.decl-list a").await;
    c.wait().for_element(Locator::Css("figure.evidence img")).await.unwrap();
    // The element arrives before its pixels: wait until the browser has finished loading it.
    let img_loaded = "const i = document.querySelector('figure.evidence img'); \
                      return i && i.complete ? i.naturalWidth : null;";
    let loaded = wait_js(c, img_loaded, 15).await;
    assert_eq!(loaded, serde_json::json!(360), "the photo is shown");
    fits_the_phone(c).await;
    browser.screenshot("decl-04-review-detail").await;
    click(c, "button[value='reject']").await;
    assert!(wait_text(c, "#comment-error", "审核意见").await.contains("退回时请填写"));
    browser.screenshot("decl-05-reject-needs-comment").await;
    c.find(Locator::Id("comment")).await.unwrap().send_keys("证书属实").await.unwrap();
    click(c, "button[value='approve']").await;
    wait_text(c, "#done", "已通过本级审核").await;
    browser.screenshot("decl-06-approved").await;
    c.goto(&app.url("/reports/completion")).await.unwrap();
    wait_text(c, "main", "威海市立医院").await;
    fits_the_phone(c).await;
    browser.screenshot("decl-07-report").await;
    browser.close().await;
}
