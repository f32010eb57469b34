//! Play session ids (播放会话标识) that carry the policy numbers their beats are judged by, so
//! the heartbeat reads neither the database nor a cache for them.
//!
//! Format: `<32 hex nonce>_<segment_seconds>_<max_playback_rate>_<completion_threshold>`.
//! The numbers cannot be edited by a client: the progress store knows a session only by its
//! exact id, so an altered id is an unknown session (404). The policy is fixed for the life
//! of a session; the next play picks up a changed policy.

use crate::rules::watch::WatchPolicy;

use super::{MAX_SILENCE_S, TOLERANCE_S};

/// Longer ids are refused before any lookup.
const MAX_LEN: usize = 96;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct SessionId {
    raw: String,
    policy: WatchPolicy,
}

impl SessionId {
    /// A new random id for a session judged by `policy`.
    pub(super) fn new(policy: &WatchPolicy) -> Self {
        let nonce = uuid::Uuid::new_v4().simple();
        let raw =
            format!("{nonce}_{}_{}_{}", policy.segment_seconds, policy.max_playback_rate, policy.completion_threshold);
        Self { raw, policy: policy.clone() }
    }

    /// `None` for anything this module did not produce (answered as an unknown session).
    pub(super) fn parse(raw: &str) -> Option<Self> {
        if raw.len() > MAX_LEN {
            return None;
        }
        let mut parts = raw.split('_');
        let (Some(nonce), Some(segment), Some(rate), Some(threshold), None) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        if nonce.len() != 32 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let policy = WatchPolicy {
            segment_seconds: segment.parse().ok()?,
            max_playback_rate: finite(rate)?,
            completion_threshold: finite(threshold)?,
            tolerance_s: TOLERANCE_S,
            max_silence_s: MAX_SILENCE_S,
        };
        Some(Self { raw: raw.to_owned(), policy })
    }

    pub(super) fn as_str(&self) -> &str {
        &self.raw
    }

    pub(super) fn policy(&self) -> &WatchPolicy {
        &self.policy
    }
}

fn finite(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> WatchPolicy {
        WatchPolicy {
            segment_seconds: 10,
            max_playback_rate: 1.25,
            completion_threshold: 0.95,
            tolerance_s: TOLERANCE_S,
            max_silence_s: MAX_SILENCE_S,
        }
    }

    #[test]
    fn round_trips_the_policy_exactly() {
        let odd = WatchPolicy { max_playback_rate: 1.0 / 3.0, ..policy() };
        for p in [policy(), odd] {
            let id = SessionId::new(&p);
            assert_eq!(SessionId::parse(id.as_str()), Some(id.clone()));
            assert_eq!(id.policy(), &p);
        }
    }

    #[test]
    fn refuses_what_it_did_not_make() {
        let id = SessionId::new(&policy());
        let nonce = &id.as_str()[..32];
        for raw in [
            "",
            "abc",
            &format!("{nonce}_10_1.25"),
            &format!("{nonce}_10_1.25_0.95_x"),
            &format!("{nonce}_10_NaN_0.95"),
            &format!("{nonce}_-1_1.25_0.95"),
            &format!("{}_10_1.25_0.95", "g".repeat(32)),
            &format!("{nonce}_10_1.25_{}", "9".repeat(80)),
        ] {
            assert_eq!(SessionId::parse(raw), None, "{raw}");
        }
    }
}
