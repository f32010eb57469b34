//! One typed `Settings`, layered: built-in defaults, then `xueshi.toml` (optional), then the
//! environment (`DATABASE_URL`, `REDIS_URL`, `XUESHI_*`).
use std::path::PathBuf;

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

/// A secret string that never shows up in `Debug` output or logs.
#[derive(Clone, Deserialize, Serialize, Default)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Settings {
    /// `sqlite://...` or `postgres://...`; unset: a SQLite file under `data_dir`.
    pub database_url: Option<String>,
    /// Unset: the in-process progress store (single node only).
    pub redis_url: Option<String>,
    /// Key prefix in Redis, so several deployments (or tests) can share one server.
    pub redis_prefix: String,
    pub bind: String,
    pub data_dir: PathBuf,
    pub media_dir: PathBuf,
    /// Signs JWTs and stream URLs. Required in production; generated once under `data_dir` otherwise.
    pub jwt_secret: Option<Secret>,
    /// Encrypts resident ID numbers (AES-GCM) and keys their lookup HMAC. Same rule as `jwt_secret`.
    pub pii_key: Option<Secret>,
    /// `production` refuses to start without explicit secrets.
    pub env: String,
    /// Load demo data into an empty database (`XUESHI_DEMO=0` turns it off).
    #[serde(deserialize_with = "flexible_bool")]
    pub demo: bool,
    pub admin_password: Option<Secret>,
    pub token_ttl_minutes: i64,
    pub max_upload_mb: u64,
    /// Concurrent argon2 hashes; each takes ~19 MiB, so this bounds login-storm memory.
    pub password_hash_concurrency: usize,
    pub progress_flush_ms: u64,
    /// Heartbeats reuse a token check this long (seconds; 0: off). See `auth::cache`.
    pub auth_cache_s: u64,
    pub stream_url_ttl_s: i64,
    /// Tera templates and static assets (`templates/static`).
    pub templates_dir: PathBuf,
    /// `serve` runs a background-job worker in process (`XUESHI_RUN_JOBS=0` when separate
    /// `xueshi worker` processes do the work instead).
    #[serde(deserialize_with = "flexible_bool")]
    pub run_jobs: bool,
    /// Public base URL used in certificate QR codes.
    pub public_url: Option<String>,
    /// The provincial platform's endpoint records are POSTed to (`XUESHI_SYNC_URL`); unset:
    /// nothing is delivered and the outbox keeps its records pending.
    pub sync_url: Option<String>,
    /// How often the sync job runs.
    pub sync_interval_ms: u64,
    /// Per-request timeout towards the province.
    pub sync_timeout_ms: u64,
    /// A transcode is killed past this many seconds, or 4x the video's length if longer.
    pub transcode_min_timeout_s: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: None,
            redis_url: None,
            redis_prefix: "xueshi".into(),
            bind: "127.0.0.1:8080".into(),
            data_dir: "data".into(),
            media_dir: "media".into(),
            jwt_secret: None,
            pii_key: None,
            env: "development".into(),
            demo: true,
            admin_password: None,
            token_ttl_minutes: 12 * 60,
            max_upload_mb: 2048,
            password_hash_concurrency: 4,
            progress_flush_ms: 3000,
            auth_cache_s: 30,
            stream_url_ttl_s: 4 * 3600,
            run_jobs: true,
            public_url: None,
            sync_url: None,
            sync_interval_ms: 10_000,
            sync_timeout_ms: 10_000,
            transcode_min_timeout_s: 600,
            templates_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/templates").into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(String),
    #[error(transparent)]
    Figment(#[from] Box<figment::Error>),
}

impl Settings {
    /// Defaults < `xueshi.toml` < environment.
    pub fn load() -> Result<Self, ConfigError> {
        let settings: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file("xueshi.toml"))
            .merge(Env::raw().only(&["DATABASE_URL", "REDIS_URL"]))
            .merge(Env::prefixed("XUESHI_"))
            .extract()
            .map_err(Box::new)?;
        settings.check()?;
        Ok(settings)
    }

    pub fn is_production(&self) -> bool {
        self.env == "production"
    }

    fn check(&self) -> Result<(), ConfigError> {
        if self.is_production() && (self.jwt_secret.is_none() || self.pii_key.is_none()) {
            return Err(ConfigError::Invalid(
                "production needs XUESHI_JWT_SECRET and XUESHI_PII_KEY (refusing to start)".into(),
            ));
        }
        for s in [&self.jwt_secret, &self.pii_key].into_iter().flatten() {
            if s.expose().len() < 32 {
                return Err(ConfigError::Invalid("secrets must be at least 32 characters".into()));
            }
        }
        Ok(())
    }

    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}/xueshi.sqlite?mode=rwc", self.data_dir.display()),
        }
    }
}

/// Accepts `true/false`, `1/0`, `yes/no` so `XUESHI_DEMO=0` means what it says.
fn flexible_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flex {
        B(bool),
        N(i64),
        S(String),
    }
    match Flex::deserialize(d)? {
        Flex::B(b) => Ok(b),
        Flex::N(n) => Ok(n != 0),
        Flex::S(s) => match s.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" | "" => Ok(false),
            other => Err(serde::de::Error::custom(format!("not a boolean: {other}"))),
        },
    }
}
