use super::*;
use crate::rules::policy::Policy;

use AttemptStatus::{Failed, Open, Passed};

fn attempts(statuses: &[AttemptStatus]) -> Vec<AttemptSummary> {
    statuses.iter().zip(1..).map(|(status, attempt_no)| AttemptSummary { attempt_no, status: *status }).collect()
}

/// Weihai's two attempts, read from the policy rather than written here.
fn two() -> u32 {
    Policy::shandong_default(2023).exam_attempts
}

#[test]
fn start_decisions_follow_the_two_attempt_rule() {
    use StartDecision::*;
    let cases: &[(&[AttemptStatus], bool, bool, StartDecision)] = &[
        (&[], true, false, StartNew { attempt_no: 1 }),
        (&[], false, false, LecturesIncomplete),
        (&[Open], true, false, ResumeOpen { attempt_no: 1 }),
        (&[Failed], true, false, StartNew { attempt_no: 2 }),
        (&[Failed, Open], true, false, ResumeOpen { attempt_no: 2 }),
        (&[Failed, Failed], true, false, RestudyRequired),
        // Locked wins over incomplete lectures: the learner must apply to restudy first.
        (&[Failed, Failed], false, false, RestudyRequired),
        (&[Passed], true, false, AlreadyPassed),
        (&[Failed, Passed], true, false, AlreadyPassed),
        // A new cycle after restudy: the old attempts are not in this cycle's list.
        (&[], false, false, LecturesIncomplete),
        (&[], true, true, AlreadyPassed),
    ];
    for (statuses, lectures_complete, passed_before, expected) in cases {
        let decision = decide_start(two(), &attempts(statuses), *lectures_complete, *passed_before);
        assert_eq!(decision, *expected, "{statuses:?} lectures={lectures_complete}");
    }
}

#[test]
fn a_third_attempt_opens_when_the_policy_allows_three() {
    let failed_twice = attempts(&[Failed, Failed]);
    assert_eq!(decide_start(two(), &failed_twice, true, false), StartDecision::RestudyRequired);
    assert_eq!(decide_start(two() + 1, &failed_twice, true, false), StartDecision::StartNew { attempt_no: 3 });
}

#[test]
fn restudy_only_when_locked() {
    let cases: &[(&[AttemptStatus], bool, bool)] = &[
        (&[], false, false),
        (&[Failed], false, false),
        (&[Failed, Open], false, false),
        (&[Failed, Failed], false, true),
        (&[Failed, Passed], false, false),
        (&[Failed, Failed], true, false),
    ];
    for (statuses, passed_before, allowed) in cases {
        assert_eq!(can_restudy(two(), &attempts(statuses), *passed_before), *allowed, "{statuses:?}");
    }
}

#[test]
fn attempts_left_counts_down_from_the_policy() {
    assert_eq!(attempts_left(two(), &attempts(&[])), 2);
    assert_eq!(attempts_left(two(), &attempts(&[Open])), 1);
    assert_eq!(attempts_left(two(), &attempts(&[Failed])), 1);
    assert_eq!(attempts_left(two(), &attempts(&[Failed, Failed])), 0);
    assert_eq!(attempts_left(two(), &attempts(&[Failed, Failed, Failed])), 0);
    assert_eq!(attempts_left(3, &attempts(&[Failed, Failed])), 1);
}

#[test]
fn the_pass_mark_itself_passes() {
    let pass_score = Policy::shandong_default(2023).pass_score;
    assert!(passes(pass_score, 60.0));
    assert!(passes(pass_score, 100.0));
    assert!(!passes(pass_score, 59.5));
    assert!(passes(80.0, 80.0));
    assert!(!passes(80.0, 79.0));
}

#[test]
fn decisions_serialize_as_tagged_snake_case() {
    let json = serde_json::to_value(StartDecision::ResumeOpen { attempt_no: 2 }).ok();
    assert_eq!(json, Some(serde_json::json!({"decision": "resume_open", "attempt_no": 2})));
}
