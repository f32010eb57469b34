//! The two-attempt exam rule (Weihai 2023: 两次考试机会，两次考试不合格者需申请重新学习).
//!
//! Attempts are counted per study cycle: when all of a cycle's attempts have failed the exam
//! locks, the learner applies to study again (重新学习), which opens a new cycle with fresh
//! attempts once the lectures are watched again. Grading happens elsewhere.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptStatus {
    Open,
    Passed,
    Failed,
}

/// One attempt of the current cycle, as far as the rule needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptSummary {
    pub attempt_no: u32,
    pub status: AttemptStatus,
}

/// What happens when a learner asks to start the exam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "decision")]
pub enum StartDecision {
    /// An attempt is still open: hand it back instead of opening another (200).
    ResumeOpen { attempt_no: u32 },
    /// Open attempt number `attempt_no` of this cycle (201).
    StartNew { attempt_no: u32 },
    /// The cycle's lectures are not all completed (403 `lectures_incomplete`).
    LecturesIncomplete,
    /// Every attempt of the cycle failed: the exam is locked (423 `restudy_required`).
    RestudyRequired,
    /// The course was passed already; its hours are credited.
    AlreadyPassed,
}

/// Decides whether an exam attempt may start, given the current cycle's attempts.
pub fn decide_start(
    policy_attempts: u32,
    cycle_attempts: &[AttemptSummary],
    lectures_complete: bool,
    already_passed_course: bool,
) -> StartDecision {
    if already_passed_course || count(cycle_attempts, AttemptStatus::Passed) > 0 {
        return StartDecision::AlreadyPassed;
    }
    if let Some(open) = cycle_attempts.iter().find(|attempt| attempt.status == AttemptStatus::Open) {
        return StartDecision::ResumeOpen { attempt_no: open.attempt_no };
    }
    if is_locked(policy_attempts, cycle_attempts) {
        return StartDecision::RestudyRequired;
    }
    if !lectures_complete {
        return StartDecision::LecturesIncomplete;
    }
    let last_no = cycle_attempts.iter().map(|attempt| attempt.attempt_no).max().unwrap_or(0);
    StartDecision::StartNew { attempt_no: last_no + 1 }
}

/// Restudy is allowed only when the exam is locked: attempts used up, all of them failed.
pub fn can_restudy(policy_attempts: u32, cycle_attempts: &[AttemptSummary], already_passed_course: bool) -> bool {
    !already_passed_course && is_locked(policy_attempts, cycle_attempts)
}

/// Attempts the learner may still start in this cycle (an open attempt counts as used).
pub fn attempts_left(policy_attempts: u32, cycle_attempts: &[AttemptSummary]) -> u32 {
    let used = u32::try_from(cycle_attempts.len()).unwrap_or(u32::MAX);
    policy_attempts.saturating_sub(used)
}

/// Whether a score out of 100 passes; the pass mark itself passes (60 分及以上).
pub fn passes(pass_score: f64, score: f64) -> bool {
    score >= pass_score
}

fn is_locked(policy_attempts: u32, cycle_attempts: &[AttemptSummary]) -> bool {
    let failed = count(cycle_attempts, AttemptStatus::Failed);
    failed == cycle_attempts.len() && failed >= policy_attempts as usize
}

fn count(attempts: &[AttemptSummary], status: AttemptStatus) -> usize {
    attempts.iter().filter(|a| a.status == status).count()
}

#[cfg(test)]
mod tests;
