//! The platform admin imports a question bank on a phone: a file with an error is refused
//! with its row named, a good one is previewed, imported and published; then the policy.
use fantoccini::Locator;
use serde_json::Value;

use crate::driver;
use crate::helpers::*;
use crate::steps::{click, fits_the_phone, login, wait_text};

fn path_of(relative: &str) -> String {
    format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_imports_a_bank_and_edits_the_policy() {
    let Some(browser) = driver::open().await else { return };
    let app = spawn_app(Backend::Embedded).await;
    let c = &browser.client;
    login(c, &app, "admin", PASSWORD).await;
    browser.screenshot("admin-01-staff-home").await;
    click(c, "a[href='/admin/banks']").await;
    c.wait().for_element(Locator::Id("bank-form")).await.unwrap();

    // A file with a missing answer: nothing imported, the row named next to the file.
    c.find(Locator::Id("bank-name")).await.unwrap().send_keys("知识产权").await.unwrap();
    let file = c.find(Locator::Id("bank-file")).await.unwrap();
    file.send_keys(&path_of("tests/fixtures/banks/missing_answer.csv")).await.unwrap();
    click(c, "#preview-button").await;
    let errors = wait_text(c, "#preview-errors", "第 2 行").await;
    assert!(errors.contains("第 2 行：缺少答案"), "{errors}");
    assert!(wait_text(c, "#bank-file-error", "未导入").await.contains("1 处错误"));
    assert!(!c.find(Locator::Id("import-button")).await.unwrap().is_displayed().await.unwrap());
    fits_the_phone(c).await;
    browser.screenshot("admin-02-bank-row-error").await;

    // Every error of a bad file is listed by row.
    file.clear().await.unwrap();
    file.send_keys(&path_of("tests/fixtures/banks/all_errors.csv")).await.unwrap();
    click(c, "#preview-button").await;
    let errors = wait_text(c, "#preview-errors", "第 13 行").await;
    assert!(errors.contains("第 3 行：缺少答案") && errors.contains("难度 9 须在 1 至 5 之间"), "{errors}");
    browser.screenshot("admin-03-bank-all-errors").await;

    // A good file: preview its questions, import, publish.
    file.clear().await.unwrap();
    file.send_keys(&path_of("question_banks/emergency_management.csv")).await.unwrap();
    click(c, "#preview-button").await;
    let summary = wait_text(c, "#preview-summary", "文件检查通过").await;
    assert!(summary.contains("共 "), "{summary}");
    browser.screenshot("admin-04-bank-preview").await;
    click(c, "#import-button").await;
    let done = wait_text(c, "#done", "已导入").await;
    assert!(done.contains("“知识产权”第 1 版"), "{done}");
    browser.screenshot("admin-05-bank-imported").await;
    click(c, "ul.bank-list form button[type=submit]").await;
    assert!(wait_text(c, "#done", "已发布").await.contains("可以用于考试"));
    fits_the_phone(c).await;
    browser.screenshot("admin-06-bank-published").await;
    let banks: Value = app.get("/api/v1/question-banks", Some(&app.admin_token)).await.json().await.unwrap();
    assert_eq!(banks["banks"][0]["status"], "published");

    // The policy: an impossible pass mark is refused next to its field, a good one saved.
    c.goto(&app.url("/admin/policy")).await.unwrap();
    let pass = c.wait().for_element(Locator::Id("f-pass_score")).await.unwrap();
    pass.clear().await.unwrap();
    pass.send_keys("150").await.unwrap();
    click(c, "#save-policy").await;
    let err = wait_text(c, "#e-pass_score", "100").await;
    assert!(err.contains("须大于 0 且不超过 100"), "{err}");
    fits_the_phone(c).await;
    browser.screenshot("admin-07-policy-error").await;
    pass.clear().await.unwrap();
    pass.send_keys("70").await.unwrap();
    click(c, "#save-policy").await;
    wait_text(c, "#policy-status", "已保存").await;
    browser.screenshot("admin-08-policy-saved").await;
    let year = xueshi::archive::ledger::year_of(app.app_state.clock.now());
    let policy: Value =
        app.get(&format!("/api/v1/policies/{year}"), Some(&app.admin_token)).await.json().await.unwrap();
    assert_eq!(policy["pass_score"], 70.0);
    assert_eq!(policy["annual"]["total"], 90.0, "the fields not on the form are kept");
    browser.close().await;
}
