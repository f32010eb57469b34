//! An HTTP client for the child app: every call bounded in time, every answer kept whole
//! (status, JSON body, how long it took), so scenarios can assert on outages too.
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode, multipart::Form};
use serde_json::{Value, json};

use crate::app::ADMIN_PASSWORD;

pub const PASSWORD: &str = "Learner#Passw0rd";
/// No request may hang longer than this, whatever is down.
pub const REQUEST_BOUND: Duration = Duration::from_secs(12);

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub took: Duration,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// A 503 in the JSON error shape: `{"error": {"code": "unavailable", "message"}}`.
    pub fn assert_unavailable(&self, what: &str) {
        assert_eq!(self.status, StatusCode::SERVICE_UNAVAILABLE, "{what}: {self:?}");
        assert_eq!(self.code(), "unavailable", "{what}: {self:?}");
        assert!(self.body["error"]["message"].is_string(), "{what}: {self:?}");
        assert!(self.took < REQUEST_BOUND, "{what} took {:?}", self.took);
    }

    pub fn id(&self) -> i64 {
        self.body["id"].as_i64().unwrap_or_else(|| panic!("no id in {self:?}"))
    }
}

#[derive(Clone)]
pub struct Api {
    pub base: String,
    http: reqwest::Client,
}

impl Api {
    pub fn new(base: String) -> Self {
        let http = reqwest::Client::builder().timeout(REQUEST_BOUND).build().expect("client");
        Self { base, http }
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let mut rb = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        send(rb).await
    }

    /// Like [`Api::call`], but a dropped connection (the app killed mid-request) is `None`.
    pub async fn try_post(&self, path: &str, token: &str) -> Option<Answer> {
        let rb = self.http.post(format!("{}{path}", self.base)).bearer_auth(token).json(&json!({}));
        try_send(rb).await.ok()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    pub async fn multipart(&self, path: &str, token: &str, form: Form) -> Answer {
        send(self.http.post(format!("{}{path}", self.base)).bearer_auth(token).multipart(form)).await
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let a = self.post("/api/v1/auth/login", None, json!({"username": username, "password": password})).await;
        assert_eq!(a.status, StatusCode::OK, "login {username}: {a:?}");
        a.body["token"].as_str().expect("token").to_owned()
    }

    pub async fn admin(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await
    }

    pub async fn create_org(&self, admin: &str, name: &str, kind: &str, parent: Option<i64>) -> i64 {
        let body = json!({"name": name, "kind": kind, "parent_id": parent, "region": "威海市"});
        let a = self.post("/api/v1/admin/orgs", Some(admin), body).await;
        assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
        a.id()
    }

    /// Creates a user, changes the initial password, and returns (token, user id).
    pub async fn user(&self, admin: &str, username: &str, role: &str, org: Option<i64>) -> (String, i32) {
        let body =
            json!({"username": username, "name": "测试用户", "role": role, "org_id": org, "password": "Initial#Pass1"});
        let a = self.post("/api/v1/admin/users", Some(admin), body).await;
        assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
        let first = self.login(username, "Initial#Pass1").await;
        let change = json!({"old_password": "Initial#Pass1", "new_password": PASSWORD});
        assert_eq!(self.post("/api/v1/auth/password", Some(&first), change).await.status, StatusCode::NO_CONTENT);
        let token = self.login(username, PASSWORD).await;
        let me = self.get("/api/v1/me", Some(&token)).await;
        (token, me.body["id"].as_i64().expect("me.id") as i32)
    }
}

async fn send(rb: reqwest::RequestBuilder) -> Answer {
    let start = Instant::now();
    try_send(rb)
        .await
        .unwrap_or_else(|e| panic!("request failed after {:?} (a hang or a dropped connection): {e}", start.elapsed()))
}

async fn try_send(rb: reqwest::RequestBuilder) -> Result<Answer, reqwest::Error> {
    let start = Instant::now();
    let r = rb.send().await?;
    let status = r.status();
    let text = r.text().await?;
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok(Answer { status, body, took: start.elapsed() })
}
