//! Ways to earn credit without watching: none of them may work.

use super::super::state::EDGE_SLACK_SHARE;
use super::*;

#[test]
fn jump_to_end_earns_nothing() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.beat_after(0.0, 0.0)?;
    let jump = player.beat_after(15.0, 600.0)?;
    assert_eq!(jump.verdict, BeatVerdict::TooFast);
    assert_eq!(jump.state.position_s, 600.0);
    // Staying at the end for ten minutes earns nothing either.
    for _ in 0..40 {
        let idle = player.beat_after(15.0, 600.0)?;
        assert_eq!(idle.credited_segments, 0);
    }
    assert_eq!(player.state.coverage(), 0.0);
    assert!(!player.state.completed);
    Ok(())
}

#[test]
fn skipped_range_earns_nothing_while_the_rest_counts() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.play(0.0, 120.0, 1.0, 15.0)?;
    let jump = player.beat_after(15.0, 300.0)?;
    assert_eq!(jump.verdict, BeatVerdict::TooFast);
    let outcomes = player.play(300.0, 600.0, 1.0, 15.0)?;
    // Segments 120..300 (six of twenty) were skipped.
    assert_eq!(last(&outcomes).watched_s, 600.0 - 180.0);
    assert_eq!(last(&outcomes).coverage, 14.0 / 20.0);
    assert!(!last(&outcomes).completed);
    Ok(())
}

#[test]
fn faster_playback_never_earns_more_than_the_maximum_rate() -> Result<(), WatchError> {
    for segment_seconds in [1, 5, 30] {
        for speed in [1.3, 1.5, 2.0, 3.0] {
            for every_s in [1.0, 2.0, 5.0, 10.0, 15.0] {
                let policy = WatchPolicy { segment_seconds, ..policy() };
                let (tolerance, rate) = (policy.tolerance_s, policy.max_playback_rate);
                let mut player = Player::new(policy, 3600.0)?;
                let outcomes = player.play(0.0, 3600.0, speed, every_s)?;
                let wall_s = (player.now - outcomes[0].state.last_beat_at.unwrap_or(player.now)).num_milliseconds()
                    as f64
                    / 1000.0;
                // Budget: the rate over the wall time, the jitter allowance once, and the
                // start-edge slack (5% of each credited segment).
                let budget = (wall_s * rate + tolerance) / (1.0 - EDGE_SLACK_SHARE);
                let earned = last(&outcomes).watched_s;
                assert!(
                    earned <= budget,
                    "{speed}x every {every_s}s, {segment_seconds}s segments: {earned} > {budget}"
                );
            }
        }
    }
    Ok(())
}

#[test]
fn double_speed_with_quarter_minute_beats_earns_nothing() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    let outcomes = player.play(0.0, 600.0, 2.0, 15.0)?;
    assert!(outcomes[1..].iter().all(|o| o.verdict == BeatVerdict::TooFast));
    assert_eq!(last(&outcomes).watched_s, 0.0);
    Ok(())
}

#[test]
fn replayed_beat_earns_nothing_and_changes_nothing() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.play(0.0, 45.0, 1.0, 15.0)?;
    let before = player.state.clone();
    let replay = player.beat_after(0.0, 45.0)?;
    assert_eq!(replay.verdict, BeatVerdict::Stale);
    assert_eq!(replay.credited_segments, 0);
    assert_eq!(replay.state, before);
    // The run survives a duplicate: 30..60 is still credited once 60 is reached.
    let next = player.beat_after(15.0, 60.0)?;
    assert_eq!(next.credited_segments, 1);
    assert_eq!(next.watched_s, 60.0);
    Ok(())
}

#[test]
fn beats_with_backward_timestamps_earn_nothing() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.play(0.0, 45.0, 1.0, 15.0)?;
    let newest = player.state.last_beat_at;
    // A server whose clock is 5 s behind reports a big advance.
    let skewed = player.beat_after(-5.0, 100.0)?;
    assert_eq!(skewed.verdict, BeatVerdict::Stale);
    assert_eq!(skewed.credited_segments, 0);
    assert_eq!(skewed.state.last_beat_at, newest);
    assert_eq!(skewed.state.position_s, 100.0);
    // Elapsed time is measured from the newest accepted beat, never from the skewed one.
    let after = player.beat_after(20.0, 115.0)?;
    assert_eq!(after.verdict, BeatVerdict::Watched);
    assert_eq!(after.watched_s, 30.0);
    Ok(())
}

#[test]
fn beat_after_long_silence_only_moves_the_position() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.play(0.0, 15.0, 1.0, 15.0)?;
    let late = player.beat_after(121.0, 30.0)?;
    assert_eq!(late.verdict, BeatVerdict::AfterSilence);
    assert_eq!(late.watched_s, 0.0);
    assert_eq!(late.state.position_s, 30.0);
    Ok(())
}

#[test]
fn position_beyond_the_end_is_clamped_and_earns_nothing() -> Result<(), WatchError> {
    let mut player = Player::new(policy(), 600.0)?;
    player.play(0.0, 585.0, 1.0, 15.0)?;
    let beyond = player.beat_after(15.0, 1000.0)?;
    assert_eq!(beyond.verdict, BeatVerdict::BeyondEnd);
    assert_eq!(beyond.state.position_s, 600.0);
    assert_eq!(beyond.credited_segments, 0);
    Ok(())
}

#[test]
fn short_segments_are_not_given_away_by_the_edge_slack() -> Result<(), WatchError> {
    let mut player = Player::new(WatchPolicy { segment_seconds: 1, ..policy() }, 60.0)?;
    player.beat_after(0.0, 5.0)?;
    let paused = player.beat_after(1.0, 5.0)?;
    assert_eq!(paused.verdict, BeatVerdict::Watched);
    assert_eq!(paused.watched_s, 0.0);
    Ok(())
}
