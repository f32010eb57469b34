//! `spawn_app` and per-role test clients.
#![allow(dead_code)]

use std::net::TcpListener;

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use xueshi::{
    config::Settings,
    startup::{Application, build_state},
};

pub const PASSWORD: &str = "Test#Passw0rd";

/// Which real components a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file + in-process progress store.
    Embedded,
    /// PostgreSQL + Redis on this machine.
    Services,
}

fn pg_admin_url() -> String {
    // CI sets DATABASE_URL to the server's maintenance database; each test creates its own.
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

fn services_required() -> bool {
    std::env::var("XUESHI_REQUIRE_SERVICES").is_ok_and(|v| v == "1")
}

async fn services_answer() -> Result<(), String> {
    let pg = sea_orm::Database::connect(pg_admin_url()).await.map_err(|e| format!("PostgreSQL: {e}"))?;
    pg.close().await.ok();
    let client = redis::Client::open(redis_url()).map_err(|e| format!("Redis: {e}"))?;
    let mut conn = client.get_multiplexed_async_connection().await.map_err(|e| format!("Redis: {e}"))?;
    redis::cmd("PING").query_async::<String>(&mut conn).await.map_err(|e| format!("Redis: {e}"))?;
    Ok(())
}

/// Whether a `Services` test can run. Skips loudly, or fails when services are required.
pub async fn services_available() -> bool {
    match services_answer().await {
        Ok(()) => true,
        Err(e) if services_required() => {
            panic!("XUESHI_REQUIRE_SERVICES=1 but a service is down: {e}")
        }
        Err(e) => {
            eprintln!("SKIPPED (services down: {e}); set XUESHI_REQUIRE_SERVICES=1 to make this fail");
            false
        }
    }
}

/// Runs the test body once per backend: `both_backends!(name, body_fn)`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn embedded() {
                $body($crate::helpers::Backend::Embedded).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_redis() {
                if $crate::helpers::services_available().await {
                    $body($crate::helpers::Backend::Services).await
                }
            }
        }
    };
}

pub struct TestApp {
    pub address: String,
    pub app_state: actix_web::web::Data<xueshi::state::AppState>,
    pub anon: Client,
    pub admin_token: String,
    _dir: tempfile::TempDir,
}

async fn fresh_pg_database() -> String {
    let name = format!("xueshi_t_{}", uuid::Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(pg_admin_url()).await.expect("postgres");
    sea_orm::ConnectionTrait::execute_unprepared(&admin, &format!("CREATE DATABASE {name}")).await.expect("create db");
    admin.close().await.ok();
    let base = pg_admin_url();
    let prefix = base.rsplit_once('/').map(|(p, _)| p.to_owned()).unwrap_or(base);
    format!("{prefix}/{name}")
}

pub fn test_settings(dir: &std::path::Path) -> Settings {
    Settings {
        data_dir: dir.join("data"),
        media_dir: dir.join("media"),
        demo: false,
        bind: "127.0.0.1:0".into(),
        jwt_secret: Some(xueshi::config::Secret::new("test-jwt-secret-0123456789abcdef0123")),
        pii_key: Some(xueshi::config::Secret::new("test-pii-key-0123456789abcdef0123456")),
        password_hash_concurrency: 8,
        progress_flush_ms: 200,
        ..Settings::default()
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_with(backend, |_| {}).await
}

pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path());
    settings.admin_password = Some(xueshi::config::Secret::new(PASSWORD));
    if backend == Backend::Services {
        settings.database_url = Some(fresh_pg_database().await);
        settings.redis_url = Some(redis_url());
        settings.redis_prefix = format!("xt{}", uuid::Uuid::new_v4().simple());
    }
    tweak(&mut settings);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let state = build_state(settings).await.expect("build state");
    let app = Application::serve(listener, state.clone()).expect("serve");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let anon = Client::builder().cookie_store(false).build().expect("client");
    let mut t = TestApp { address, app_state: state, anon, admin_token: String::new(), _dir: dir };
    t.admin_token = t.login_ok("admin", PASSWORD).await;
    t
}

/// A second app node on the first one's database and Redis prefix (with the in-process store,
/// a node whose store starts empty), its clock at the first one's time.
#[allow(clippy::expect_used)]
pub async fn spawn_app_sharing(first: &TestApp) -> TestApp {
    let shared = first.app_state.settings.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path());
    settings.database_url = Some(shared.database_url());
    settings.redis_url = shared.redis_url.clone();
    settings.redis_prefix = shared.redis_prefix.clone();
    settings.progress_flush_ms = shared.progress_flush_ms;
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let state = build_state(settings).await.expect("build state");
    let offset_ms = (first.app_state.clock.now() - chrono::Utc::now()).num_milliseconds();
    state.clock.advance((offset_ms as f64 / 1000.0).round() as i64);
    let app = Application::serve(listener, state.clone()).expect("serve");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let anon = Client::builder().cookie_store(false).build().expect("client");
    TestApp { address, app_state: state, anon, admin_token: first.admin_token.clone(), _dir: dir }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        let mut rb = self.anon.post(self.url(path)).json(&body);
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        rb.send().await.expect("request")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut rb = self.anon.get(self.url(path));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        rb.send().await.expect("request")
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        let mut rb = self.anon.put(self.url(path)).json(&body);
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        rb.send().await.expect("request")
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post("/api/v1/auth/login", None, json!({"username": username, "password": password})).await
    }

    pub async fn login_ok(&self, username: &str, password: &str) -> String {
        let r = self.login(username, password).await;
        assert_eq!(r.status(), StatusCode::OK, "login {username}");
        let v: Value = r.json().await.expect("json");
        v["token"].as_str().expect("token").to_owned()
    }

    pub async fn create_org(&self, name: &str, kind: &str, parent: Option<i64>) -> i64 {
        let r = self
            .post(
                "/api/v1/admin/orgs",
                Some(&self.admin_token),
                json!({"name": name, "kind": kind, "parent_id": parent, "region": "威海市"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json::<Value>().await.expect("json")["id"].as_i64().expect("id")
    }

    /// Creates a user with an initial password, logs in and changes it; returns a usable token.
    pub async fn user_token(&self, username: &str, role: &str, org_id: Option<i64>) -> String {
        let r = self
            .post(
                "/api/v1/admin/users",
                Some(&self.admin_token),
                json!({"username": username, "name": "测试用户", "role": role, "org_id": org_id, "password": "Initial#Pass1"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "create {role}: {}", r.text().await.unwrap_or_default());
        let t = self.login_ok(username, "Initial#Pass1").await;
        let r = self
            .post("/api/v1/auth/password", Some(&t), json!({"old_password": "Initial#Pass1", "new_password": PASSWORD}))
            .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        self.login_ok(username, PASSWORD).await
    }
}

/// A valid resident ID number; `serial` makes it unique within a test.
pub fn id_number(serial: u32) -> String {
    xueshi::demo::demo_id_number(serial)
}

pub async fn error_code(r: Response) -> (StatusCode, String) {
    let status = r.status();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    (status, v["error"]["code"].as_str().unwrap_or("").to_owned())
}
