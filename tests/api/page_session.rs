//! A browser-like session for page tests: cookies, the login form, and the CSRF token.
use reqwest::{Client, StatusCode, redirect::Policy};

use crate::helpers::{PASSWORD, TestApp};

/// A cookie-carrying client logged in through the login form, and the page's CSRF token.
pub struct Session {
    pub client: Client,
    pub base: String,
    pub csrf: String,
}

pub fn csrf_of(html: &str) -> String {
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
