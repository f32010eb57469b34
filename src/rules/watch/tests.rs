//! Honest play, validation and storage. Attempts to earn credit without watching are in
//! `cheating`.

mod cheating;

use super::*;
use chrono::{Duration, TimeZone};

/// Policy used throughout: 30-second segments, at most 1.25x speed, 95% completes,
/// 2 seconds of jitter, 2 minutes of silence.
fn policy() -> WatchPolicy {
    WatchPolicy {
        segment_seconds: 30,
        max_playback_rate: 1.25,
        completion_threshold: 0.95,
        tolerance_s: 2.0,
        max_silence_s: 120.0,
    }
}

/// A simulated player: a server clock and the state the store would keep.
struct Player {
    policy: WatchPolicy,
    state: WatchState,
    session_id: String,
    now: DateTime<Utc>,
}

impl Player {
    fn new(policy: WatchPolicy, duration_s: f64) -> Result<Self, WatchError> {
        let state = WatchState::new(duration_s, policy.segment_seconds)?;
        let now = Utc.with_ymd_and_hms(2024, 12, 20, 9, 0, 0).single();
        let now = now.ok_or(WatchError::InvalidState("test clock"))?;
        Ok(Self { policy, state, session_id: "s1".into(), now })
    }

    /// Waits `wall_s` seconds (negative: a server whose clock is behind), then beats.
    fn beat_after(&mut self, wall_s: f64, position_s: f64) -> Result<BeatOutcome, WatchError> {
        self.now += Duration::milliseconds((wall_s * 1000.0).round() as i64);
        let beat = Beat { session_id: self.session_id.clone(), position_s, at: self.now };
        let outcome = apply_beat(&self.policy, &self.state, &beat)?;
        self.state = outcome.state.clone();
        Ok(outcome)
    }

    /// Plays from `from_s` to `to_s` at `speed`, beating every `every_s` wall seconds
    /// (the first beat is at `from_s`); returns every outcome.
    fn play(&mut self, from_s: f64, to_s: f64, speed: f64, every_s: f64) -> Result<Vec<BeatOutcome>, WatchError> {
        let mut outcomes = vec![self.beat_after(every_s, from_s)?];
        let mut position = from_s;
        while position < to_s {
            position = (position + every_s * speed).min(to_s);
            outcomes.push(self.beat_after(every_s, position)?);
        }
        Ok(outcomes)
    }
}

fn last(outcomes: &[BeatOutcome]) -> &BeatOutcome {
    &outcomes[outcomes.len() - 1]
}

#[test]
fn normal_watch_completes_exactly_once() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    let outcomes = player.play(0.0, 600.0, 1.0, 15.0)?;
    assert_eq!(outcomes[0].verdict, BeatVerdict::SessionStart);
    let done = last(&outcomes);
    assert_eq!(done.coverage, 1.0);
    assert_eq!(done.watched_s, 600.0);
    assert!(done.completed);
    // 19 of 20 segments reach the 95% threshold: completion is reported once, at 570 s.
    let completions: Vec<f64> = outcomes.iter().filter(|o| o.newly_completed).map(|o| o.state.position_s).collect();
    assert_eq!(completions, vec![570.0]);
    Ok(())
}

#[test]
fn partial_last_segment_counts_when_the_player_stops_a_frame_short() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 605.3)?;
    assert_eq!(player.state.segment_count(), 21);
    player.play(0.0, 600.0, 1.0, 15.0)?;
    let end = player.beat_after(5.3, 605.26)?;
    assert_eq!(end.verdict, BeatVerdict::Watched);
    assert_eq!(end.coverage, 1.0);
    assert!((end.watched_s - 605.3).abs() < 1e-9);
    Ok(())
}

#[test]
fn speeds_up_to_the_maximum_rate_complete() -> Result<(), WatchError> {
    for speed in [1.0, 1.1, 1.25] {
        let mut player = Player::new(policy(), 600.0)?;
        let outcomes = player.play(0.0, 600.0, speed, 15.0)?;
        assert!(last(&outcomes).completed, "speed {speed}");
    }
    Ok(())
}

#[test]
fn new_session_first_beat_only_sets_the_position() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.play(0.0, 30.0, 1.0, 15.0)?;
    player.session_id = "s2".into();
    let first = player.beat_after(15.0, 60.0)?;
    assert_eq!(first.verdict, BeatVerdict::SessionStart);
    assert_eq!(first.watched_s, 30.0);
    let second = player.beat_after(15.0, 75.0)?;
    assert_eq!(second.verdict, BeatVerdict::Watched);
    assert_eq!(second.watched_s, 30.0);
    Ok(())
}

#[test]
fn tiny_lecture_shorter_than_a_segment() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 10.0)?;
    assert_eq!(player.state.segment_count(), 1);
    player.beat_after(0.0, 0.0)?;
    let early = player.beat_after(1.0, 10.0)?;
    assert_eq!(early.verdict, BeatVerdict::TooFast);
    assert_eq!(early.coverage, 0.0);

    let mut player = Player::new(policy(), 10.0)?;
    let outcomes = player.play(0.0, 10.0, 1.0, 5.0)?;
    assert_eq!(last(&outcomes).coverage, 1.0);
    assert_eq!(last(&outcomes).watched_s, 10.0);
    assert!(last(&outcomes).newly_completed);
    Ok(())
}

#[test]
fn invalid_positions_are_rejected_without_panicking() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.beat_after(0.0, 0.0)?;
    for bad in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let result = player.beat_after(15.0, bad);
        assert!(matches!(result, Err(WatchError::InvalidPosition(_))), "{bad}");
    }
    assert_eq!(player.state.position_s, 0.0);
    Ok(())
}

#[test]
fn invalid_policy_and_state_are_typed_errors() -> Result<(), WatchError> {
    for duration in [0.0, -5.0, f64::NAN, f64::INFINITY, 1e12] {
        assert!(WatchState::new(duration, 30).is_err(), "{duration}");
    }
    assert!(WatchState::new(600.0, 0).is_err());
    let state = WatchState::new(600.0, 30)?;
    let beat = Beat { session_id: "s".into(), position_s: 0.0, at: Utc::now() };
    let bad_policies = [
        WatchPolicy { segment_seconds: 0, ..policy() },
        WatchPolicy { max_playback_rate: f64::NAN, ..policy() },
        WatchPolicy { completion_threshold: 1.5, ..policy() },
        WatchPolicy { tolerance_s: -1.0, ..policy() },
        WatchPolicy { max_silence_s: 0.0, ..policy() },
    ];
    for bad in bad_policies {
        assert!(matches!(apply_beat(&bad, &state, &beat), Err(WatchError::InvalidPolicy(_))));
    }
    Ok(())
}

#[test]
fn seek_back_and_rewatch_earns_no_double_credit() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.play(0.0, 300.0, 1.0, 15.0)?;
    let back = player.beat_after(15.0, 60.0)?;
    assert_eq!(back.verdict, BeatVerdict::SeekBack);
    assert_eq!(back.watched_s, 300.0);
    let rewatch = player.play(60.0, 300.0, 1.0, 15.0)?;
    assert!(rewatch.iter().all(|o| o.credited_segments == 0));
    let rest = player.play(300.0, 600.0, 1.0, 15.0)?;
    assert_eq!(last(&rest).coverage, 1.0);
    Ok(())
}

#[test]
fn small_backward_jitter_keeps_the_run() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.play(0.0, 45.0, 1.0, 15.0)?;
    let jitter = player.beat_after(1.0, 44.0)?;
    assert_eq!(jitter.verdict, BeatVerdict::Watched);
    assert_eq!(player.beat_after(16.0, 60.0)?.watched_s, 60.0);
    Ok(())
}

#[test]
fn completion_is_sticky_when_the_threshold_rises() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.play(0.0, 570.0, 1.0, 15.0)?;
    assert!(player.state.completed);
    player.policy.completion_threshold = 1.0;
    let later = player.beat_after(15.0, 575.0)?;
    assert!(later.completed);
    assert!(!later.newly_completed);
    Ok(())
}

#[test]
fn state_round_trips_compactly() -> Result<(), Box<dyn std::error::Error>> {
    let mut player = Player::new(policy(), 7200.0)?;
    player.play(0.0, 7200.0, 1.0, 15.0)?;
    let json = serde_json::to_string(&player.state)?;
    assert!(json.len() < 200, "{} bytes: {json}", json.len());
    let back: WatchState = serde_json::from_str(&json)?;
    assert_eq!(back, player.state);
    assert_eq!(back.resume_position_s(), 7200.0);
    Ok(())
}

#[test]
fn resume_starts_at_the_segment_holding_the_position() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.play(0.0, 75.0, 1.0, 15.0)?;
    assert_eq!(player.state.resume_position_s(), 60.0);
    Ok(())
}

#[test]
fn corrupt_stored_bits_past_the_end_are_ignored() -> Result<(), Box<dyn std::error::Error>> {
    let json = r#"{"d":60.0,"g":30,"w":[18446744073709551615,7],"p":0.0,"r":null,"t":null,"s":null,"c":false}"#;
    let state: WatchState = serde_json::from_str(json)?;
    assert_eq!(state.coverage(), 1.0);
    assert_eq!(state.watched_s(), 60.0);
    Ok(())
}

#[test]
fn nothing_watched_is_positive_zero() -> Result<(), Box<dyn std::error::Error>> {
    let mut player = Player::new(policy(), 600.0)?;
    let first = player.beat_after(0.0, 0.0)?;
    for value in [first.watched_s, first.coverage, first.state.watched_s(), first.state.coverage()] {
        assert_eq!(value, 0.0);
        assert!(value.is_sign_positive(), "{value:?} must not be -0.0");
    }
    assert_eq!(serde_json::to_string(&first.watched_s)?, "0.0");
    Ok(())
}
