//! Steps the browser tests share: logging in through the form, waiting for text, checking
//! that nothing is wider than the phone's screen.
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::helpers::TestApp;

/// Logs in through the login page (the password must already be changed).
pub async fn login(c: &Client, app: &TestApp, username: &str, password: &str) {
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys(username).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(password).await.unwrap();
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("header nav")).await.unwrap();
}

/// Waits (up to 15 s) until the element's text contains `needle`; returns the text.
pub async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
    wait_text_within(c, css, needle, 15).await
}

/// The same, waiting up to `seconds` (for slow work such as transcoding).
pub async fn wait_text_within(c: &Client, css: &str, needle: &str, seconds: u64) -> String {
    let mut last = String::new();
    for _ in 0..seconds * 10 {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            last = e.text().await.unwrap_or_default();
            if last.contains(needle) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never showed {needle:?}; last text: {last:?}");
}

/// Nothing overflows a 375-px-wide phone screen.
pub async fn fits_the_phone(c: &Client) {
    let fits = c.execute("return document.documentElement.scrollWidth <= window.innerWidth;", vec![]).await.unwrap();
    assert_eq!(fits, json!(true), "the page is wider than the phone");
}

/// Runs `script` every 100 ms until it returns something other than null (up to `seconds`);
/// returns that value. For state that arrives after the element does, such as an image's
/// pixels or a video's metadata.
pub async fn wait_js(c: &Client, script: &str, seconds: u64) -> serde_json::Value {
    for _ in 0..seconds * 10 {
        let value = c.execute(script, vec![]).await.unwrap();
        if !value.is_null() {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{script:?} stayed null for {seconds} s");
}

pub async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}
