//! HS256 tokens with a fixed algorithm, required claims and a token version, so that a
//! password change, logout or disabled account invalidates every older token.
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id (never a personal ID number).
    pub sub: String,
    pub ver: i32,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
}

const ISSUER: &str = "xueshi";

/// What a valid token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedToken {
    pub user_id: i32,
    pub version: i32,
    /// Unix seconds.
    pub expires_at: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("invalid or expired token")]
    Invalid,
}

impl JwtKeys {
    pub fn new(secret: &str, ttl_minutes: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss"]);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
            ttl: Duration::minutes(ttl_minutes),
        }
    }

    pub fn issue(&self, user_id: i32, token_version: i32, now: DateTime<Utc>) -> Result<String, TokenError> {
        let claims = Claims {
            sub: user_id.to_string(),
            ver: token_version,
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
            iss: ISSUER.into(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(|_| TokenError::Invalid)
    }

    /// Verifies signature, algorithm (HS256 only: `none` and others are refused), expiry and
    /// issuer.
    pub fn verify(&self, token: &str) -> Result<VerifiedToken, TokenError> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation).map_err(|_| TokenError::Invalid)?;
        let user_id = data.claims.sub.parse().map_err(|_| TokenError::Invalid)?;
        Ok(VerifiedToken { user_id, version: data.claims.ver, expires_at: data.claims.exp })
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

    fn keys() -> JwtKeys {
        JwtKeys::new("0123456789abcdef0123456789abcdef", 60)
    }

    #[test]
    fn round_trip() {
        let t = keys().issue(7, 3, Utc::now()).unwrap();
        let verified = keys().verify(&t).unwrap();
        assert_eq!((verified.user_id, verified.version), (7, 3));
    }

    #[test]
    fn expired_is_refused() {
        let t = keys().issue(7, 0, Utc::now() - Duration::hours(2)).unwrap();
        assert!(keys().verify(&t).is_err());
    }

    #[test]
    fn other_secret_is_refused() {
        let t = JwtKeys::new("another-secret-another-secret-123", 60).issue(7, 0, Utc::now()).unwrap();
        assert!(keys().verify(&t).is_err());
    }

    #[test]
    fn alg_none_is_refused() {
        let t = keys().issue(7, 0, Utc::now()).unwrap();
        let payload = t.split('.').nth(1).unwrap();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys().verify(&format!("{header}.{payload}.")).is_err());
        let hs512 = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS512","typ":"JWT"}"#);
        assert!(keys().verify(&format!("{hs512}.{payload}.{}", t.split('.').nth(2).unwrap())).is_err());
    }
}
