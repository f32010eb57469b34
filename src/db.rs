//! Database connection and migrations.
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};

#[tracing::instrument(skip_all)]
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(file).parent() {
            std::fs::create_dir_all(dir)?;
        }
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    let sqlite = url.starts_with("sqlite");
    opts.max_connections(if sqlite { 8 } else { 32 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        // sqlx pings a connection with a round trip on every checkout by default, and again
        // on every release (which also drops a broken connection). So a pooled connection is
        // known good when it goes idle: ping only those idle long enough to have gone bad
        // since (a database restart, a dropped socket). The per-checkout ping was a third of
        // the database round trips of an exam request.
        .test_before_acquire_if_idle_for(Duration::from_secs(1))
        .sqlx_logging(false);
    let db = Database::connect(opts).await?;
    if sqlite {
        // WAL lets readers proceed during writes; busy_timeout queues writers instead of failing.
        for pragma in [
            "PRAGMA journal_mode=WAL",
            "PRAGMA busy_timeout=5000",
            "PRAGMA foreign_keys=ON",
            "PRAGMA synchronous=NORMAL",
        ] {
            db.execute_unprepared(pragma).await?;
        }
    }
    Ok(db)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
