//! The Redis connections of the progress store: one per single-threaded runtime (each actix
//! worker runs one), so that a beat's command is written, answered and handed back on the
//! worker's own thread. A single shared connection would put its driver task on one thread
//! and make every beat of the other workers cross threads twice (a wake-up and a context
//! switch each way), which measured as a fifth of the node's CPU under heartbeat load.
//! Anywhere else (a multi-threaded runtime) the shared connection is used.

use std::cell::RefCell;
use std::sync::{Arc, Weak};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::runtime::{Handle, RuntimeFlavor};

use super::store::StoreError;

/// This thread's connections, one per live store (tests run many stores, a node one).
type ThreadConnections = Vec<(Weak<()>, ConnectionManager)>;

thread_local! {
    static THREAD_CONNECTIONS: RefCell<ThreadConnections> = const { RefCell::new(Vec::new()) };
}

pub(super) struct Connections {
    client: redis::Client,
    shared: ConnectionManager,
    /// Identifies this store's entries in each thread's list; they die with it.
    owner: Arc<()>,
}

impl Connections {
    pub(super) async fn connect(url: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url)?;
        let shared = ConnectionManager::new(client.clone()).await?;
        Ok(Self { client, shared, owner: Arc::new(()) })
    }

    /// The connection to use on the calling thread. On a single-threaded runtime the first
    /// call makes a lazy one (it connects on its first command, on this thread's runtime).
    pub(super) fn get(&self) -> Result<ConnectionManager, StoreError> {
        let single_threaded = Handle::try_current().is_ok_and(|h| h.runtime_flavor() == RuntimeFlavor::CurrentThread);
        if !single_threaded {
            return Ok(self.shared.clone());
        }
        if let Some(conn) = self.on_this_thread() {
            return Ok(conn);
        }
        let conn = ConnectionManager::new_lazy_with_config(self.client.clone(), ConnectionManagerConfig::new())?;
        Ok(self.keep_on_this_thread(conn))
    }

    fn on_this_thread(&self) -> Option<ConnectionManager> {
        THREAD_CONNECTIONS.with(|list| {
            let list = list.borrow();
            list.iter().find(|(owner, _)| owner.as_ptr() == Arc::as_ptr(&self.owner)).map(|(_, c)| c.clone())
        })
    }

    fn keep_on_this_thread(&self, conn: ConnectionManager) -> ConnectionManager {
        THREAD_CONNECTIONS.with(|list| {
            let mut list = list.borrow_mut();
            list.retain(|(owner, _)| owner.strong_count() > 0);
            list.push((Arc::downgrade(&self.owner), conn.clone()));
        });
        conn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    /// A store's connections, or None (said loudly) when Redis does not answer and is not
    /// required (`XUESHI_REQUIRE_SERVICES=1` makes that a failure).
    async fn connections() -> Result<Option<Connections>, Box<dyn std::error::Error>> {
        let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
        match tokio::time::timeout(std::time::Duration::from_secs(3), Connections::connect(&url)).await {
            Ok(Ok(connections)) => Ok(Some(connections)),
            Ok(Err(error)) => unavailable(&url, &error.to_string()),
            Err(_) => unavailable(&url, "timed out"),
        }
    }

    fn unavailable(url: &str, reason: &str) -> Result<Option<Connections>, Box<dyn std::error::Error>> {
        if std::env::var("XUESHI_REQUIRE_SERVICES").as_deref() == Ok("1") {
            return Err(format!("Redis at {url} is required: {reason}").into());
        }
        eprintln!("!!!!! SKIPPING Redis connection test: Redis at {url}: {reason} !!!!!");
        Ok(None)
    }

    fn kept_on_this_thread() -> usize {
        THREAD_CONNECTIONS.with(|list| list.borrow().len())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_single_threaded_runtime_keeps_one_connection_per_store() -> TestResult {
        let (Some(first), Some(second)) = (connections().await?, connections().await?) else { return Ok(()) };
        let mut conn = first.get()?;
        let pong: String = redis::cmd("PING").query_async(&mut conn).await?;
        assert_eq!(pong, "PONG", "the lazy connection connects on this thread's runtime");
        first.get()?;
        second.get()?;
        assert_eq!(kept_on_this_thread(), 2, "one connection per store on this thread, reused");
        drop(first);
        let Some(third) = connections().await? else { return Ok(()) };
        third.get()?;
        assert_eq!(kept_on_this_thread(), 2, "a dropped store's connection is let go");
        Ok(())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_multi_threaded_runtime_uses_the_shared_connection() -> TestResult {
        let Some(store) = connections().await? else { return Ok(()) };
        let mut conn = store.get()?;
        let pong: String = redis::cmd("PING").query_async(&mut conn).await?;
        assert_eq!(pong, "PONG");
        assert_eq!(kept_on_this_thread(), 0);
        Ok(())
    }
}
