//! CSRF protection for cookie-authenticated requests: the token is an HMAC of the session
//! token, embedded in pages (`<meta name="csrf-token">`, hidden form fields) and required on
//! every unsafe request that authenticates with the cookie rather than a Bearer header.
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const HEADER: &str = "x-csrf-token";
pub const FIELD: &str = "csrf";

pub fn token_for(secret: &[u8], session_token: &str) -> String {
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret) else { return String::new() };
    mac.update(b"csrf:");
    mac.update(session_token.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// Constant-time comparison of the presented token with the expected one.
pub fn verify(secret: &[u8], session_token: &str, presented: &str) -> bool {
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret) else { return false };
    mac.update(b"csrf:");
    mac.update(session_token.as_bytes());
    let Ok(bytes) = hex::decode(presented) else { return false };
    bytes.len() == 16 && mac.verify_truncated_left(&bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_round_trip_and_binding() {
        let t = token_for(b"secret-secret-secret-secret-1234", "session-a");
        assert!(verify(b"secret-secret-secret-secret-1234", "session-a", &t));
        assert!(!verify(b"secret-secret-secret-secret-1234", "session-b", &t));
        assert!(!verify(b"secret-secret-secret-secret-1234", "session-a", "00"));
        assert!(!verify(b"secret-secret-secret-secret-1234", "session-a", "zz"));
    }
}
