//! Honest watch progress (观看进度): which segments of a lecture a learner has really watched.
//!
//! The lecture is cut into segments of `segment_seconds` (the last one partial). A heartbeat
//! reports the player position; the server stamps it with its own clock. A beat is *watched*
//! when its advance is at most `elapsed * max_playback_rate + spare`, where `spare` is unused
//! allowance carried from earlier beats and capped at `tolerance_s` (a token bucket: jitter is
//! forgiven, but tolerances cannot add up to a faster rate over many beats or runs).
//! Segments are credited only when they lie fully inside a *run*: a stretch of consecutive
//! watched beats. Anything else (a jump, a seek back, a position past the end, a stale beat,
//! a beat after a long silence, the first beat of a play session) credits nothing and starts
//! a new run at the reported position.

mod segments;
mod state;
#[cfg(test)]
mod tests;

use chrono::{DateTime, SubsecRound, Utc};

pub use segments::SegmentSet;
use state::EDGE_SLACK_S;
pub use state::WatchState;

/// The policy numbers the rule reads (filled from the yearly `Policy`).
#[derive(Debug, Clone, PartialEq)]
pub struct WatchPolicy {
    pub segment_seconds: u32,
    pub max_playback_rate: f64,
    /// Share of segments (0..=1) that completes a lecture.
    pub completion_threshold: f64,
    /// Seconds of advance forgiven beyond the rate (network and timer jitter); unused allowance
    /// carries over between beats up to this much.
    pub tolerance_s: f64,
    /// A beat arriving after a longer silence starts a new run.
    pub max_silence_s: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WatchError {
    #[error("position {0} is not a finite non-negative number of seconds")]
    InvalidPosition(f64),
    #[error("invalid watch policy: {0}")]
    InvalidPolicy(&'static str),
    #[error("invalid watch state: {0}")]
    InvalidState(&'static str),
}

/// One heartbeat: the position the player reports, stamped with the server's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Beat {
    pub session_id: String,
    pub position_s: f64,
    pub at: DateTime<Utc>,
}

/// Why a beat did or did not earn credit (for logs and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BeatVerdict {
    /// Within the allowed rate: segments fully inside the run were credited.
    Watched,
    /// First beat of a play session: only sets the position.
    SessionStart,
    /// At or before the last accepted beat's time (replay, clock skew between servers).
    Stale,
    /// Silence longer than `max_silence_s` since the last beat.
    AfterSilence,
    BeyondEnd,
    SeekBack,
    /// Advanced faster than the allowed rate (a jump or fast playback).
    TooFast,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BeatOutcome {
    pub state: WatchState,
    pub verdict: BeatVerdict,
    /// Segments newly credited by this beat.
    pub credited_segments: u32,
    pub watched_s: f64,
    pub coverage: f64,
    pub completed: bool,
    pub newly_completed: bool,
}

impl WatchPolicy {
    fn validate(&self) -> Result<(), WatchError> {
        let checks = [
            (self.segment_seconds > 0, "segment_seconds must be positive"),
            (self.max_playback_rate.is_finite() && self.max_playback_rate > 0.0, "max_playback_rate must be positive"),
            (
                self.completion_threshold > 0.0 && self.completion_threshold <= 1.0,
                "completion_threshold must lie in (0, 1]",
            ),
            (self.tolerance_s.is_finite() && self.tolerance_s >= 0.0, "tolerance_s must be non-negative"),
            (self.max_silence_s.is_finite() && self.max_silence_s > 0.0, "max_silence_s must be positive"),
        ];
        match checks.into_iter().find(|(ok, _)| !ok) {
            Some((_, reason)) => Err(WatchError::InvalidPolicy(reason)),
            None => Ok(()),
        }
    }
}

/// Applies one heartbeat to a watch state. Pure: the caller stores the returned state.
pub fn apply_beat(policy: &WatchPolicy, state: &WatchState, beat: &Beat) -> Result<BeatOutcome, WatchError> {
    policy.validate()?;
    state.validate()?;
    if !(beat.position_s.is_finite() && beat.position_s >= 0.0) {
        return Err(WatchError::InvalidPosition(beat.position_s));
    }
    // Millisecond precision: the stored copy keeps no more, and every store must agree.
    let at = beat.at.trunc_subsecs(3);
    let allowance_s = match state.last_beat_at {
        None => policy.tolerance_s,
        Some(last) => state.spare_s + seconds_between(last, at).max(0.0) * policy.max_playback_rate,
    };
    let verdict = judge(policy, state, beat, at, allowance_s);
    let position = beat.position_s.min(state.duration_s);

    let mut next = state.clone();
    next.last_beat_at = Some(state.last_beat_at.map_or(at, |last| last.max(at)));
    next.session_id = Some(beat.session_id.clone());
    next.position_s = position;
    let (credited_segments, spent_s) = match (verdict, state.run_start_s) {
        (BeatVerdict::Watched, Some(run_start)) => {
            (next.credit_between(run_start, position), (position - state.position_s).max(0.0))
        }
        // A duplicate (a retried request) neither moves nor breaks the run.
        (BeatVerdict::Stale, Some(_)) if position == state.position_s => (0, 0.0),
        _ => {
            next.run_start_s = Some(position);
            (0, 0.0)
        }
    };
    next.spare_s = (allowance_s - spent_s).clamp(0.0, policy.tolerance_s);
    Ok(finish(policy, state, next, verdict, credited_segments))
}

fn judge(policy: &WatchPolicy, state: &WatchState, beat: &Beat, at: DateTime<Utc>, allowance_s: f64) -> BeatVerdict {
    let (Some(last_at), Some(_)) = (state.last_beat_at, state.run_start_s) else {
        return BeatVerdict::SessionStart;
    };
    if state.session_id.as_deref() != Some(beat.session_id.as_str()) {
        return BeatVerdict::SessionStart;
    }
    if at <= last_at {
        return BeatVerdict::Stale;
    }
    if seconds_between(last_at, at) > policy.max_silence_s {
        return BeatVerdict::AfterSilence;
    }
    if beat.position_s > state.duration_s + EDGE_SLACK_S {
        return BeatVerdict::BeyondEnd;
    }
    let advance_s = beat.position_s.min(state.duration_s) - state.position_s;
    // A step back within the tolerance is player jitter (re-buffering), not a seek.
    if advance_s < -policy.tolerance_s {
        BeatVerdict::SeekBack
    } else if advance_s > allowance_s {
        BeatVerdict::TooFast
    } else {
        BeatVerdict::Watched
    }
}

fn seconds_between(earlier: DateTime<Utc>, later: DateTime<Utc>) -> f64 {
    (later - earlier).num_milliseconds() as f64 / 1000.0
}

fn finish(
    policy: &WatchPolicy,
    before: &WatchState,
    mut next: WatchState,
    verdict: BeatVerdict,
    credited_segments: u32,
) -> BeatOutcome {
    let coverage = next.coverage();
    next.completed = before.completed || coverage >= policy.completion_threshold;
    BeatOutcome {
        verdict,
        credited_segments,
        watched_s: next.watched_s(),
        coverage,
        completed: next.completed,
        newly_completed: next.completed && !before.completed,
        state: next,
    }
}
