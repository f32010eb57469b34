//! When to try a failed delivery again: exponential backoff with jitter (pure).
use chrono::Duration;

/// First retry after about this long; each further failure doubles it.
pub const BASE_SECONDS: i64 = 5;
/// Never wait longer than an hour between attempts.
pub const MAX_DELAY_SECONDS: i64 = 3600;
/// After this many attempts (about a day of retries) a record is `failed` and
/// waits for an operator; until then it is retried.
pub const MAX_ATTEMPTS: i32 = 40;

/// The wait after the `attempts`-th failed attempt (1-based). `jitter` in [0, 1) spreads
/// retries of records that failed together ("equal jitter": half fixed, half random), so a
/// recovering province is not hit by all of them at the same second.
pub fn delay(attempts: i32, jitter: f64) -> Duration {
    let exponent = attempts.clamp(1, 30) - 1;
    let full = BASE_SECONDS.saturating_mul(1_i64 << exponent).min(MAX_DELAY_SECONDS);
    let half = full as f64 / 2.0;
    Duration::milliseconds(((half + half * jitter.clamp(0.0, 1.0)) * 1000.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_then_caps() {
        assert_eq!(delay(1, 1.0), Duration::seconds(5));
        assert_eq!(delay(2, 1.0), Duration::seconds(10));
        assert_eq!(delay(3, 1.0), Duration::seconds(20));
        assert_eq!(delay(20, 1.0), Duration::seconds(MAX_DELAY_SECONDS));
        assert_eq!(delay(i32::MAX, 1.0), Duration::seconds(MAX_DELAY_SECONDS));
    }

    #[test]
    fn jitter_stays_within_half_and_full() {
        assert_eq!(delay(3, 0.0), Duration::seconds(10));
        let d = delay(3, 0.5);
        assert!(d > Duration::seconds(10) && d < Duration::seconds(20));
        assert_eq!(delay(0, 0.0), Duration::milliseconds(2500));
    }
}
