//! Stream URLs that authorise themselves: a video element cannot send a bearer header, and
//! every segment request must be checked without touching the database or Redis.
//!
//! Token = base64url(learner_id ‖ lecture_id ‖ expires_at ‖ HMAC-SHA256(secret, tag ‖ those)),
//! each id and the expiry as 8 big-endian bytes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// Separates these MACs from any other use of the same secret.
const DOMAIN_TAG: &[u8] = b"xueshi/stream-token/v1";
const MIN_SECRET_LEN: usize = 32;
const CLAIMS_LEN: usize = 8 + 8 + 8;
/// SHA-256's block size: HMAC zero-pads shorter keys to it and hashes longer ones.
const BLOCK_LEN: usize = 64;
const MAC_LEN: usize = 32;

/// The server's signing key, checked once at start-up; `Debug` never shows it.
#[derive(Clone)]
pub struct StreamSecret(HmacSha256);

#[derive(Debug, thiserror::Error)]
#[error("the stream secret must be at least {MIN_SECRET_LEN} bytes")]
pub struct SecretTooShort;

impl StreamSecret {
    pub fn new(secret: &[u8]) -> Result<Self, SecretTooShort> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(SecretTooShort);
        }
        Ok(Self::from_key(secret))
    }

    /// A key derived at start-up (state's `stream_secret`, 32 bytes), without the length
    /// check's `Result`. Prepares the key exactly as HMAC does (hash if longer than a block,
    /// zero-pad to a block), so it equals `new_from_slice` and cannot fail.
    pub fn from_key(secret: &[u8]) -> Self {
        let mut block = [0u8; BLOCK_LEN];
        if secret.len() > BLOCK_LEN {
            block[..32].copy_from_slice(&Sha256::digest(secret));
        } else {
            block[..secret.len()].copy_from_slice(secret);
        }
        StreamSecret(<HmacSha256 as Mac>::new(&block.into()))
    }

    fn mac_over(&self, claims: &[u8]) -> HmacSha256 {
        let mut mac = self.0.clone();
        mac.update(DOMAIN_TAG);
        mac.update(claims);
        mac
    }
}

impl std::fmt::Debug for StreamSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamSecret(<redacted>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StreamAuthError {
    #[error("stream link expired")]
    Expired,
    #[error("stream link signature is invalid")]
    BadSignature,
    #[error("stream link is malformed")]
    Malformed,
    #[error("stream link is for another lecture")]
    WrongLecture,
}

fn claims(learner_id: i64, lecture_id: i64, expires_at: i64) -> [u8; CLAIMS_LEN] {
    let mut bytes = [0u8; CLAIMS_LEN];
    bytes[..8].copy_from_slice(&learner_id.to_be_bytes());
    bytes[8..16].copy_from_slice(&lecture_id.to_be_bytes());
    bytes[16..].copy_from_slice(&expires_at.to_be_bytes());
    bytes
}

fn i64_at(claims: &[u8], at: usize) -> Result<i64, StreamAuthError> {
    let bytes: [u8; 8] = claims.get(at..at + 8).and_then(|b| b.try_into().ok()).ok_or(StreamAuthError::Malformed)?;
    Ok(i64::from_be_bytes(bytes))
}

/// Signs a token letting `learner_id` stream `lecture_id` until `expires_at` (unix seconds).
pub fn sign(secret: &StreamSecret, learner_id: i64, lecture_id: i64, expires_at: i64) -> String {
    let claims = claims(learner_id, lecture_id, expires_at);
    let tag = secret.mac_over(&claims).finalize().into_bytes();
    let mut token = claims.to_vec();
    token.extend_from_slice(&tag);
    URL_SAFE_NO_PAD.encode(token)
}

/// Checks a token for `lecture_id` at `now` (unix seconds) and returns the learner it was
/// issued to. The signature is checked first (in constant time), so nothing unsigned is trusted.
pub fn verify(secret: &StreamSecret, token: &str, lecture_id: i64, now: i64) -> Result<i64, StreamAuthError> {
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| StreamAuthError::Malformed)?;
    if bytes.len() != CLAIMS_LEN + MAC_LEN {
        return Err(StreamAuthError::Malformed);
    }
    let (claims, tag) = bytes.split_at(CLAIMS_LEN);
    secret.mac_over(claims).verify_slice(tag).map_err(|_| StreamAuthError::BadSignature)?;
    let (learner_id, signed_lecture, expires_at) = (i64_at(claims, 0)?, i64_at(claims, 8)?, i64_at(claims, 16)?);
    if signed_lecture != lecture_id {
        return Err(StreamAuthError::WrongLecture);
    }
    if now >= expires_at {
        return Err(StreamAuthError::Expired);
    }
    Ok(learner_id)
}

/// The URL path of a file of a lecture's HLS output. Variant playlists and segments are
/// referenced relatively, so they inherit the same token prefix.
pub fn stream_path(lecture_id: i64, token: &str, rel: &str) -> String {
    format!("/media/lectures/{lecture_id}/{token}/{rel}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

    fn secret() -> StreamSecret {
        StreamSecret::new(b"test secret that is long enough, 32+ bytes").unwrap()
    }

    #[test]
    fn round_trip_returns_the_learner() {
        let (learner, lecture) = (41, 7);
        let token = sign(&secret(), learner, lecture, NOW + 3600);
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(verify(&secret(), &token, lecture, NOW), Ok(learner));
        assert_eq!(verify(&secret(), &token, lecture, NOW + 3599), Ok(learner));
    }

    #[test]
    fn tampered_tokens_are_refused() {
        let (learner, lecture) = (41, 7);
        let token = sign(&secret(), learner, lecture, NOW + 3600);
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[7] ^= 1; // claim to be another learner
        let forged = URL_SAFE_NO_PAD.encode(&bytes);
        assert_eq!(verify(&secret(), &forged, lecture, NOW), Err(StreamAuthError::BadSignature));
        let other_key = StreamSecret::new(&[7u8; 32]).unwrap();
        let foreign = sign(&other_key, learner, lecture, NOW + 3600);
        assert_eq!(verify(&secret(), &foreign, lecture, NOW), Err(StreamAuthError::BadSignature));
    }

    #[test]
    fn expired_and_other_lecture_are_refused() {
        let (learner, lecture) = (41, 7);
        let token = sign(&secret(), learner, lecture, NOW);
        assert_eq!(verify(&secret(), &token, lecture, NOW), Err(StreamAuthError::Expired));
        let other = 8;
        let fresh = sign(&secret(), learner, lecture, NOW + 60);
        assert_eq!(verify(&secret(), &fresh, other, NOW), Err(StreamAuthError::WrongLecture));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let lecture = 7;
        for token in ["", "not base64!", "abc", &"A".repeat(200)] {
            assert_eq!(verify(&secret(), token, lecture, NOW), Err(StreamAuthError::Malformed));
        }
    }

    #[test]
    fn short_secrets_are_refused_and_never_printed() {
        assert!(StreamSecret::new(b"short").is_err());
        assert_eq!(format!("{:?}", secret()), "StreamSecret(<redacted>)");
    }

    #[test]
    fn stream_path_keeps_the_token_prefix() {
        let path = stream_path(12, "tok", "360p/index.m3u8");
        assert_eq!(path, "/media/lectures/12/tok/360p/index.m3u8");
    }

    #[test]
    fn from_key_prepares_keys_as_hmac_does() {
        for key in [vec![3u8; 32], vec![5u8; 64], vec![9u8; 100]] {
            let reference = HmacSha256::new_from_slice(&key).unwrap().chain_update(b"x").finalize().into_bytes();
            let ours = StreamSecret::from_key(&key).0.chain_update(b"x").finalize().into_bytes();
            assert_eq!(reference, ours, "key of {} bytes", key.len());
        }
    }
}
