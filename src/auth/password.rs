//! argon2id hashing off the request threads, behind a semaphore: a login storm queues
//! instead of allocating 19 MiB per concurrent hash without bound.
use std::sync::Arc;

use argon2::{Argon2, PasswordHash, PasswordHasher as _, PasswordVerifier};
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Verified against for unknown users so the response time does not reveal existence.
    dummy_hash: Arc<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed")]
    Hash,
}

fn hash_blocking(password: &str) -> Result<String, PasswordError> {
    // argon2id v19 with a random salt (the crate's `getrandom` feature).
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|_| PasswordError::Hash)
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Result<Self, PasswordError> {
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: Arc::new(hash_blocking("dummy password for timing")?),
        })
    }

    pub async fn hash(&self, password: String) -> Result<String, PasswordError> {
        let _permit = self.permits.acquire().await.map_err(|_| PasswordError::Hash)?;
        tokio::task::spawn_blocking(move || hash_blocking(&password)).await.map_err(|_| PasswordError::Hash)?
    }

    /// `hash = None` (unknown user) still spends the same time and returns false.
    pub async fn verify(&self, password: String, hash: Option<String>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let (hash, real) = match hash {
            Some(h) => (h, true),
            None => (self.dummy_hash.as_ref().clone(), false),
        };
        let ok = tokio::task::spawn_blocking(move || verify_blocking(&password, &hash)).await.unwrap_or(false);
        ok && real
    }
}
