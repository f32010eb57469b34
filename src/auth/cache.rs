//! A short-lived, per-node cache of token checks for the player heartbeat only.
//!
//! Every request checks its token's signature and its user's current token version in the
//! database; on the heartbeat (a few per minute per watching learner, all of them at once in
//! December) those two cost more than the beat itself. Here a beat that presents the very
//! token string this node checked at most `auth_cache_s` ago reuses that check (never past the
//! token's own expiry). The price: after logout, a password change or disabling, the old
//! token may still post heartbeats (to its own learner's session, nothing else) for that
//! long; every other endpoint still checks everything each time. `0` turns it off.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::AuthUser;

/// Past this many entries the expired ones are dropped (all of them if none expired), so
/// memory stays bounded whatever the traffic (a token is a few hundred bytes).
const MAX_ENTRIES: usize = 100_000;

struct CheckedToken {
    checked_at: Instant,
    /// The token's `exp`, in Unix seconds.
    expires_at: i64,
    user: AuthUser,
}

pub struct AuthCache {
    ttl: Duration,
    /// The token string as presented -> what checking it found.
    entries: Mutex<HashMap<String, CheckedToken>>,
}

impl AuthCache {
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, entries: Mutex::new(HashMap::new()) }
    }

    /// Whether `path` is the heartbeat, the only request the cache serves.
    pub fn serves(&self, path: &str) -> bool {
        !self.ttl.is_zero() && path.starts_with("/api/v1/play/") && path.ends_with("/beat")
    }

    /// The user this exact token was checked for, if that was under `ttl` ago and the token
    /// has not expired by `now_unix`.
    pub fn get(&self, token: &str, now_unix: i64) -> Option<AuthUser> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let checked = entries.get(token)?;
        (checked.checked_at.elapsed() < self.ttl && now_unix < checked.expires_at).then(|| checked.user.clone())
    }

    pub fn put(&self, token: &str, expires_at: i64, user: &AuthUser) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            entries.retain(|_, checked| checked.checked_at.elapsed() < ttl);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        let checked = CheckedToken { checked_at: Instant::now(), expires_at, user: user.clone() };
        entries.insert(token.to_owned(), checked);
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
    fn serves_only_beats_with_the_same_token_within_the_ttl_and_expiry() {
        let cache = AuthCache::new(Duration::from_millis(50));
        assert!(cache.serves("/api/v1/play/abc/beat"));
        assert!(!cache.serves("/api/v1/lectures/1/play") && !cache.serves("/api/v1/me"));
        cache.put("token-a", 1_000, &learner());
        assert_eq!(cache.get("token-a", 999).map(|u| u.id), Some(7));
        assert!(cache.get("token-b", 999).is_none(), "another token (a newer version) is checked afresh");
        assert!(cache.get("token-a", 1_000).is_none(), "never past the token's expiry");
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.get("token-a", 999).is_none(), "never past the cache's TTL");
        assert!(!AuthCache::new(Duration::ZERO).serves("/api/v1/play/abc/beat"));
    }
}
