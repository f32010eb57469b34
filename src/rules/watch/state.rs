//! The stored watch state of one learner, lecture and study cycle, and its segment geometry.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{SegmentSet, WatchError};

/// Players report `currentTime` with frame granularity, start a moment late and stop a frame
/// short of the end, so a run may begin this much after a segment's start and the last
/// segment may end this much after the run (capped at 5% of a segment so short segments
/// are not given away).
pub(super) const EDGE_SLACK_S: f64 = 0.5;
pub(super) const EDGE_SLACK_SHARE: f64 = 0.05;
/// Upper bound on segments per lecture (18 hours in 1-second segments): keeps a corrupt
/// duration from allocating without bound.
const MAX_SEGMENTS: f64 = 65_536.0;

/// Watch state of one learner, lecture and study cycle. Serialized with one-letter field names
/// because it is written on every heartbeat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchState {
    #[serde(rename = "d")]
    pub duration_s: f64,
    /// Kept with the state so a policy change mid-cycle cannot reinterpret the bits.
    #[serde(rename = "g")]
    pub segment_seconds: u32,
    #[serde(rename = "w")]
    pub watched: SegmentSet,
    #[serde(rename = "p")]
    pub position_s: f64,
    /// Where the current run of watched beats began.
    #[serde(rename = "r")]
    pub(super) run_start_s: Option<f64>,
    /// Unused rate allowance in seconds, at most `tolerance_s`.
    #[serde(rename = "k", default)]
    pub(super) spare_s: f64,
    #[serde(rename = "t", with = "chrono::serde::ts_milliseconds_option")]
    pub last_beat_at: Option<DateTime<Utc>>,
    /// The play session whose beats moved this state last.
    #[serde(rename = "s")]
    pub session_id: Option<String>,
    /// Sticky: once completed, a lecture stays completed in this cycle.
    #[serde(rename = "c")]
    pub completed: bool,
}

impl WatchState {
    /// A fresh state for a lecture; segments are cut with the policy's `segment_seconds`.
    pub fn new(duration_s: f64, segment_seconds: u32) -> Result<Self, WatchError> {
        let state = Self {
            duration_s,
            segment_seconds,
            watched: SegmentSet::default(),
            position_s: 0.0,
            run_start_s: None,
            spare_s: 0.0,
            last_beat_at: None,
            session_id: None,
            completed: false,
        };
        state.validate()?;
        Ok(state)
    }

    pub(super) fn validate(&self) -> Result<(), WatchError> {
        if !(self.duration_s.is_finite() && self.duration_s > 0.0) {
            return Err(WatchError::InvalidState("duration must be positive"));
        }
        if self.segment_seconds == 0 {
            return Err(WatchError::InvalidState("segment_seconds must be positive"));
        }
        if (self.duration_s / f64::from(self.segment_seconds)).ceil() > MAX_SEGMENTS {
            return Err(WatchError::InvalidState("too many segments"));
        }
        Ok(())
    }

    pub fn segment_count(&self) -> usize {
        // validate() bounds this by MAX_SEGMENTS, so the cast cannot truncate.
        (self.duration_s / f64::from(self.segment_seconds)).ceil() as usize
    }

    fn segment_bounds(&self, index: usize) -> (f64, f64) {
        let length = f64::from(self.segment_seconds);
        let start = index as f64 * length;
        (start, (start + length).min(self.duration_s))
    }

    /// Seconds of the watched segments: whole segments, plus the last (partial) one when it
    /// is watched. Integer seconds add up exactly, so this equals the segment-by-segment sum;
    /// it is `0.0` (never `-0.0`) when nothing was watched.
    pub fn watched_s(&self) -> f64 {
        let count = self.segment_count();
        let Some(last) = count.checked_sub(1) else { return 0.0 };
        let whole = self.watched.count_below(last) as f64 * f64::from(self.segment_seconds);
        let (start, end) = self.segment_bounds(last);
        if self.watched.contains(last) { whole + (end - start) } else { whole }
    }

    pub fn coverage(&self) -> f64 {
        match self.segment_count() {
            0 => 0.0,
            count => self.watched.count_below(count) as f64 / count as f64,
        }
    }

    /// Where a new play session should start: the beginning of the segment holding the last
    /// position, so the first run can still cover that segment whole.
    pub fn resume_position_s(&self) -> f64 {
        let length = f64::from(self.segment_seconds.max(1));
        ((self.position_s / length).floor() * length).clamp(0.0, self.duration_s)
    }

    /// Credits the segments lying fully inside `[from_s, to_s]`; returns how many were new.
    pub(super) fn credit_between(&mut self, from_s: f64, to_s: f64) -> u32 {
        let length = f64::from(self.segment_seconds);
        let slack = EDGE_SLACK_S.min(length * EDGE_SLACK_SHARE);
        let count = self.segment_count();
        let first = ((from_s - slack) / length).ceil().max(0.0) as usize;
        let mut credited = 0;
        for index in first..count {
            let reach = if index + 1 == count { to_s + slack } else { to_s };
            if self.segment_bounds(index).1 > reach {
                break;
            }
            if self.watched.insert(index) {
                credited += 1;
            }
        }
        credited
    }
}
