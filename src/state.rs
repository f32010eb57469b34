//! Everything a request needs, shared by all workers. Nothing here holds state that the next
//! request depends on: app nodes stay stateless.
use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use chrono::{DateTime, Duration, Utc};
use sea_orm::DatabaseConnection;

use crate::{
    auth::jwt::JwtKeys, auth::password::PasswordHasher, config::Settings, identity::pii::PiiVault,
    progress::ProgressStore,
};

/// Wall clock with an offset that only tests move (to reach exam deadlines without sleeping).
#[derive(Clone, Default)]
pub struct Clock {
    offset_s: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_s.load(Ordering::Relaxed))
    }
    pub fn advance(&self, seconds: i64) {
        self.offset_s.fetch_add(seconds, Ordering::Relaxed);
    }
}

pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub jwt: JwtKeys,
    /// Signs stream URLs (distinct from the JWT key by derivation).
    pub stream_secret: Vec<u8>,
    pub pii: PiiVault,
    pub hasher: PasswordHasher,
    pub clock: Clock,
    /// Watch progress: Redis in production, in-process in the embedded mode.
    pub progress: Arc<dyn ProgressStore>,
    /// HTML page templates (Tera), loaded from `settings.templates_dir`.
    pub tera: Arc<tera::Tera>,
    /// Token checks reused by heartbeats for `auth_cache_s` (see `auth::cache`).
    pub auth_cache: crate::auth::cache::AuthCache,
    /// Questions of bank versions already read (immutable once imported).
    pub questions: crate::exams::question_cache::QuestionCache,
}
