//! A Redis progress store for one test: its own random key prefix, its keys deleted after.

use std::time::Duration;

use super::TestResult;
use crate::progress::{RedisProgressStore, RedisStoreConfig, StoreError};

const REDIS_DEFAULT_URL: &str = "redis://127.0.0.1:6379";

/// A Redis store under a random prefix, and a connection to delete its keys afterwards.
pub(super) struct RedisFixture {
    pub(super) store: RedisProgressStore,
    config: RedisStoreConfig,
    cleaner: redis::aio::MultiplexedConnection,
}

impl RedisFixture {
    pub(super) async fn connect() -> Result<Option<Self>, Box<dyn std::error::Error>> {
        let url = std::env::var("REDIS_URL").unwrap_or_else(|_| REDIS_DEFAULT_URL.to_owned());
        let config = RedisStoreConfig {
            prefix: format!("test-progress-{}", uuid::Uuid::new_v4()),
            ttl: Duration::from_secs(600),
            dirty_shards: 4,
        };
        let connecting = async {
            let client = redis::Client::open(url.as_str())?;
            let cleaner = client.get_multiplexed_async_connection().await?;
            let store = RedisProgressStore::connect(&url, config.clone()).await?;
            Ok::<_, StoreError>(Self { store, config, cleaner })
        };
        match tokio::time::timeout(Duration::from_secs(3), connecting).await {
            Ok(Ok(fixture)) => Ok(Some(fixture)),
            failed => {
                let reason = match failed {
                    Ok(Err(error)) => error.to_string(),
                    _ => "timed out".to_owned(),
                };
                if std::env::var("XUESHI_REQUIRE_SERVICES").as_deref() == Ok("1") {
                    return Err(format!("Redis at {url} is required: {reason}").into());
                }
                eprintln!("!!!!! SKIPPING Redis progress test: Redis at {url}: {reason} !!!!!");
                Ok(None)
            }
        }
    }

    /// A second store on the same keys: another app node sharing this Redis.
    pub(super) async fn second_node(&self) -> Result<RedisProgressStore, StoreError> {
        let url = std::env::var("REDIS_URL").unwrap_or_else(|_| REDIS_DEFAULT_URL.to_owned());
        RedisProgressStore::connect(&url, self.config.clone()).await
    }

    pub(super) async fn cleanup(mut self) -> TestResult {
        let keys: Vec<String> =
            redis::cmd("KEYS").arg(self.store.keys().pattern()).query_async(&mut self.cleaner).await?;
        if !keys.is_empty() {
            let _: i64 = redis::cmd("DEL").arg(&keys).query_async(&mut self.cleaner).await?;
        }
        Ok(())
    }
}
