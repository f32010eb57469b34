//! A short-lived, per-node cache of token checks for the player heartbeat only.
//!
//! Every request checks its token against the user's current token version in the database;
//! on the heartbeat (a few per minute per watching learner, all of them at once in December)
//! that lookup cost more than the beat itself. Here a beat reuses a check this node made at
//! most `auth_cache_s` ago. The price: after logout, a password change or disabling, the old
//! token may still post heartbeats (to its own learner's session, nothing else) for that
//! long; every other endpoint still checks the database each time. `0` turns it off.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::AuthUser;

/// Past this many entries the expired ones are dropped (all of them if none expired), so
/// memory stays bounded whatever the traffic.
const MAX_ENTRIES: usize = 200_000;

pub struct AuthCache {
    ttl: Duration,
    /// (user id, token version) -> the user as checked, and when.
    entries: Mutex<HashMap<(i32, i32), (Instant, AuthUser)>>,
}

impl AuthCache {
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, entries: Mutex::new(HashMap::new()) }
    }

    /// Whether `path` is the heartbeat, the only request the cache serves.
    pub fn serves(&self, path: &str) -> bool {
        !self.ttl.is_zero() && path.starts_with("/api/v1/play/") && path.ends_with("/beat")
    }

    pub fn get(&self, user_id: i32, version: i32) -> Option<AuthUser> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let (checked_at, user) = entries.get(&(user_id, version))?;
        (checked_at.elapsed() < self.ttl).then(|| user.clone())
    }

    pub fn put(&self, version: i32, user: &AuthUser) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            entries.retain(|_, (checked_at, _)| checked_at.elapsed() < ttl);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert((user.id, version), (Instant::now(), user.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    fn learner() -> AuthUser {
        AuthUser { id: 7, role: Role::Learner, org_id: Some(1), name: "王五".into(), must_change_password: false }
    }

    #[test]
    fn serves_only_beats_within_the_ttl_and_version() {
        let cache = AuthCache::new(Duration::from_millis(50));
        assert!(cache.serves("/api/v1/play/abc/beat"));
        assert!(!cache.serves("/api/v1/lectures/1/play") && !cache.serves("/api/v1/me"));
        cache.put(3, &learner());
        assert_eq!(cache.get(7, 3).map(|u| u.id), Some(7));
        assert!(cache.get(7, 4).is_none(), "a bumped version is never served from the cache");
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.get(7, 3).is_none());
        assert!(!AuthCache::new(Duration::ZERO).serves("/api/v1/play/abc/beat"));
    }
}
