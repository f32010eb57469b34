//! Checks an admin-edited policy before it is stored: every violation is reported at once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{HoursSplit, Policy};

/// One broken rule: the JSON path of the field (e.g. `declaration.daily_hours_cap`) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyViolation {
    pub field: String,
    pub message: String,
}

/// No shift can earn more than a day has hours.
const HOURS_PER_DAY: f64 = 24.0;
const MAX_SCORE: f64 = 100.0;

pub(super) fn violations(policy: &Policy) -> Result<(), Vec<PolicyViolation>> {
    let mut check = Checker::default();
    check_annual(&mut check, policy);
    check_study(&mut check, policy);
    check_declarations(&mut check, policy);
    if check.violations.is_empty() { Ok(()) } else { Err(check.violations) }
}

fn check_annual(check: &mut Checker, policy: &Policy) {
    let annual = &policy.annual;
    check.hours("annual.public", annual.public);
    check.hours("annual.professional", annual.professional);
    check.hours("annual.total", annual.total);
    // The notices say "total >= 90, of which public >= 30 and professional >= 60": a total
    // below the sum of its parts could never be the binding number, so it is a typo.
    check.rule(
        annual.total + 1e-9 >= annual.public + annual.professional,
        "annual.total",
        "must be at least public + professional",
    );
    check.hours("required_public_hours", policy.required_public_hours);
    check.positive_hours("elective_hours_per_topic", policy.elective_hours_per_topic);
    check.hours("min_elective_hours", policy.min_elective_hours);
    check.hours("online_public_cap", policy.online_public_cap);
    check.positive_hours("credits_per_year_pre_2020", policy.credits_per_year_pre_2020);
    check.rule(policy.title_window_years >= 1, "title_window_years", "must be at least 1");
    let deadline = policy.training_plan_deadline;
    // 2024 is a leap year, so 2月29日 is accepted as a real day.
    check.rule(
        NaiveDate::from_ymd_opt(2024, deadline.month, deadline.day).is_some(),
        "training_plan_deadline",
        "must be a real month and day",
    );
}

fn check_study(check: &mut Checker, policy: &Policy) {
    check.rule(policy.exam_attempts >= 1, "exam_attempts", "must be at least 1");
    check.rule(
        policy.pass_score > 0.0 && policy.pass_score <= MAX_SCORE,
        "pass_score",
        "must be above 0 and at most 100",
    );
    check.rule(policy.minutes_per_credit_hour >= 1, "minutes_per_credit_hour", "must be at least 1");
    check.rule(policy.segment_seconds >= 1, "segment_seconds", "must be at least 1");
    check.rule(
        policy.max_playback_rate.is_finite() && policy.max_playback_rate >= 1.0,
        "max_playback_rate",
        "must be at least 1",
    );
    check.rule(
        policy.completion_threshold > 0.0 && policy.completion_threshold <= 1.0,
        "completion_threshold",
        "must be above 0 and at most 1",
    );
    check.rule(
        policy.excellent_course_multiplier.is_finite() && policy.excellent_course_multiplier >= 1.0,
        "excellent_course_multiplier",
        "must be at least 1",
    );
    let levels = &policy.review_levels;
    check.rule(!levels.is_empty(), "review_levels", "needs at least one level");
    // The chain runs upwards (employer -> department -> bureau) and visits each level once.
    check.rule(
        levels.windows(2).all(|pair| pair[0] < pair[1]),
        "review_levels",
        "must go upwards (employer, department, hr_bureau) without repeats",
    );
}

fn check_declarations(check: &mut Checker, policy: &Policy) {
    let rates = &policy.declaration;
    check.positive_hours("declaration.daily_hours_cap", rates.daily_hours_cap);
    check.rule(rates.daily_hours_cap <= HOURS_PER_DAY, "declaration.daily_hours_cap", "must be at most 24");
    check.hours("declaration.study_visit_hours", rates.study_visit_hours);
    check.capped_rate("declaration.self_study", rates.self_study_hours, rates.self_study_yearly_cap);
    check.capped_rate("declaration.achievement", rates.achievement_hours, rates.achievement_yearly_cap);
    check.split("declaration.aid_assignment_year", rates.aid_assignment_year);
    check.split("declaration.long_leave_year", rates.long_leave_year);
    check.hours("declaration.qualification_exam_hours", rates.qualification_exam_hours);
    let language = &rates.foreign_language;
    check.hours("declaration.foreign_language.level_a", language.level_a);
    check.hours("declaration.foreign_language.level_b", language.level_b);
    check.hours("declaration.foreign_language.level_c", language.level_c);
    check.rule(
        (0.0..=MAX_SCORE).contains(&language.min_score),
        "declaration.foreign_language.min_score",
        "must be between 0 and 100",
    );
    check.hours("declaration.computer_exam_hours_per_module", rates.computer_exam_hours_per_module);
    check.split("contest_offset", policy.contest_offset);
}

#[derive(Default)]
struct Checker {
    violations: Vec<PolicyViolation>,
}

impl Checker {
    fn rule(&mut self, holds: bool, field: &str, message: &str) {
        if !holds {
            self.violations.push(PolicyViolation { field: field.to_owned(), message: message.to_owned() });
        }
    }

    /// A number of hours: finite, not negative, at most one decimal (the API's precision).
    fn hours(&mut self, field: &str, value: f64) {
        if !value.is_finite() || value < 0.0 {
            self.rule(false, field, "must be a number of hours, not negative");
        } else {
            let tenths = value * 10.0;
            self.rule((tenths - tenths.round()).abs() < 1e-6, field, "must have at most one decimal");
        }
    }

    fn positive_hours(&mut self, field: &str, value: f64) {
        self.hours(field, value);
        self.rule(value > 0.0, field, "must be above 0");
    }

    /// A per-item rate and its yearly cap: a cap below one item would refuse every item.
    fn capped_rate(&mut self, prefix: &str, each: f64, yearly_cap: f64) {
        let each_field = format!("{prefix}_hours");
        let cap_field = format!("{prefix}_yearly_cap");
        self.hours(&each_field, each);
        self.hours(&cap_field, yearly_cap);
        self.rule(yearly_cap >= each, &cap_field, "must be at least one item's hours");
    }

    fn split(&mut self, prefix: &str, split: HoursSplit) {
        self.hours(&format!("{prefix}.public"), split.public);
        self.hours(&format!("{prefix}.professional"), split.professional);
    }
}
