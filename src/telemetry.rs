//! Structured logs (tracing); request ids come from tracing-actix-web.
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let json = std::env::var("XUESHI_LOG_JSON").is_ok_and(|v| v == "1");
    let registry = tracing_subscriber::registry().with(filter);
    let _ = if json { registry.with(fmt::layer().json()).try_init() } else { registry.with(fmt::layer()).try_init() };
}
