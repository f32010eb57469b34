//! AES-256-GCM encryption of ID numbers plus an HMAC-SHA256 lookup key, both derived from one
//! master secret so a database dump alone reveals nothing.
use aes_gcm::{
    Aes256Gcm, KeyInit, Nonce,
    aead::{Aead, AeadCore, OsRng},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct PiiVault {
    cipher: Aes256Gcm,
    lookup_key: [u8; 32],
}

#[derive(Debug, thiserror::Error)]
pub enum PiiError {
    #[error("stored personal data could not be decrypted")]
    Decrypt,
}

fn derive(master: &[u8], label: &[u8]) -> [u8; 32] {
    // HMAC as a KDF: one master secret, independent keys per purpose.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(master).unwrap_or_else(|_| unreachable_hmac());
    mac.update(label);
    mac.finalize().into_bytes().into()
}

// HMAC accepts keys of any length, so construction cannot fail.
fn unreachable_hmac() -> HmacSha256 {
    unreachable!("HMAC accepts any key length")
}

impl PiiVault {
    pub fn new(master_secret: &str) -> Self {
        let enc_key = derive(master_secret.as_bytes(), b"xueshi/pii/aes-gcm");
        Self {
            cipher: Aes256Gcm::new(&enc_key.into()),
            lookup_key: derive(master_secret.as_bytes(), b"xueshi/pii/lookup"),
        }
    }

    /// Deterministic keyed hash used as the unique lookup column.
    pub fn lookup_hash(&self, value: &str) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.lookup_key).unwrap_or_else(|_| unreachable_hmac());
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn encrypt(&self, value: &str) -> String {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        // Encryption with a fresh nonce and in-memory buffers cannot fail for our sizes.
        let ct = self.cipher.encrypt(&nonce, value.as_bytes()).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        STANDARD.encode(out)
    }

    pub fn decrypt(&self, stored: &str) -> Result<String, PiiError> {
        let raw = STANDARD.decode(stored).map_err(|_| PiiError::Decrypt)?;
        if raw.len() < 12 {
            return Err(PiiError::Decrypt);
        }
        let (nonce, ct) = raw.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| PiiError::Decrypt)?;
        let pt = self.cipher.decrypt(&Nonce::from(nonce), ct).map_err(|_| PiiError::Decrypt)?;
        String::from_utf8(pt).map_err(|_| PiiError::Decrypt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_lookup_is_stable() {
        let v = PiiVault::new("a-master-secret-of-at-least-32-chars!!");
        let ct = v.encrypt("11010519491231002X");
        assert_ne!(ct, v.encrypt("11010519491231002X"), "nonce must differ");
        assert_eq!(v.decrypt(&ct).unwrap(), "11010519491231002X");
        assert_eq!(v.lookup_hash("x"), v.lookup_hash("x"));
        assert!(!ct.contains("1949"));
    }

    #[test]
    fn other_key_cannot_decrypt() {
        let a = PiiVault::new("a-master-secret-of-at-least-32-chars!!");
        let b = PiiVault::new("another-secret-of-at-least-32-chars!!!");
        assert!(b.decrypt(&a.encrypt("secret")).is_err());
        assert_ne!(a.lookup_hash("x"), b.lookup_hash("x"));
    }
}
