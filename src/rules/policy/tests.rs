use super::*;

fn fields_of(policy: &Policy) -> Vec<String> {
    match policy.validate() {
        Ok(()) => Vec::new(),
        Err(violations) => violations.into_iter().map(|v| v.field).collect(),
    }
}

#[test]
fn shandong_default_has_the_notices_numbers_and_is_valid() {
    let policy = Policy::shandong_default(2023);
    assert_eq!(policy.year, 2023);
    assert_eq!(policy.annual.public, 30.0);
    assert_eq!(policy.annual.professional, 60.0);
    assert_eq!(policy.annual.total, 90.0);
    assert_eq!(policy.required_public_hours, 20.0);
    assert_eq!(policy.elective_hours_per_topic, 5.0);
    assert_eq!(policy.min_elective_hours, 10.0);
    assert_eq!(policy.online_public_cap, 30.0);
    assert_eq!(policy.exam_attempts, 2);
    assert_eq!(policy.declaration.daily_hours_cap, 8.0);
    assert_eq!(policy.declaration.self_study_yearly_cap, 40.0);
    assert_eq!(policy.declaration.achievement_yearly_cap, 30.0);
    assert_eq!(policy.declaration.qualification_exam_hours, 16.0);
    assert_eq!(policy.contest_offset.public, 5.0);
    assert_eq!(policy.contest_offset.professional, 30.0);
    assert_eq!(policy.excellent_course_multiplier, 2.0);
    assert_eq!(policy.training_plan_deadline, MonthDay { month: 5, day: 15 });
    assert_eq!(policy.validate(), Ok(()));
}

#[test]
fn json_is_snake_case_with_plain_numbers_and_round_trips() {
    let policy = Policy::shandong_default(2024);
    let json = serde_json::to_value(&policy).unwrap_or_default();
    assert_eq!(json["annual"]["public"], serde_json::json!(30.0));
    assert_eq!(json["review_levels"], serde_json::json!(["employer", "department", "hr_bureau"]));
    assert_eq!(json["declaration"]["foreign_language"]["level_b"], serde_json::json!(20.0));
    assert_eq!(json["contest_offset"]["professional"], serde_json::json!(30.0));
    assert_eq!(json["max_playback_rate"], serde_json::json!(1.25));
    let back: Policy = serde_json::from_value(json).unwrap_or_else(|_| Policy::shandong_default(0));
    assert_eq!(back, policy);
}

#[test]
fn unknown_review_level_is_rejected_when_parsing() {
    let mut json = serde_json::to_value(Policy::shandong_default(2024)).unwrap_or_default();
    json["review_levels"] = serde_json::json!(["employer", "mayor"]);
    assert!(serde_json::from_value::<Policy>(json).is_err());
}

#[test]
fn each_broken_number_is_reported_with_its_field() {
    type Breaker = fn(&mut Policy);
    let cases: &[(Breaker, &str)] = &[
        (|p| p.annual.public = -1.0, "annual.public"),
        (|p| p.annual.total = 80.0, "annual.total"),
        (|p| p.annual.professional = 59.25, "annual.professional"),
        (|p| p.required_public_hours = f64::NAN, "required_public_hours"),
        (|p| p.elective_hours_per_topic = 0.0, "elective_hours_per_topic"),
        (|p| p.online_public_cap = -30.0, "online_public_cap"),
        (|p| p.exam_attempts = 0, "exam_attempts"),
        (|p| p.pass_score = 0.0, "pass_score"),
        (|p| p.pass_score = 101.0, "pass_score"),
        (|p| p.minutes_per_credit_hour = 0, "minutes_per_credit_hour"),
        (|p| p.segment_seconds = 0, "segment_seconds"),
        (|p| p.max_playback_rate = 0.5, "max_playback_rate"),
        (|p| p.completion_threshold = 0.0, "completion_threshold"),
        (|p| p.completion_threshold = 1.5, "completion_threshold"),
        (|p| p.review_levels.clear(), "review_levels"),
        (|p| p.review_levels = vec![ReviewLevel::HrBureau, ReviewLevel::Employer], "review_levels"),
        (|p| p.review_levels = vec![ReviewLevel::Employer, ReviewLevel::Employer], "review_levels"),
        (|p| p.declaration.daily_hours_cap = 0.0, "declaration.daily_hours_cap"),
        (|p| p.declaration.daily_hours_cap = 25.0, "declaration.daily_hours_cap"),
        (|p| p.declaration.self_study_yearly_cap = 5.0, "declaration.self_study_yearly_cap"),
        (|p| p.declaration.achievement_yearly_cap = 9.0, "declaration.achievement_yearly_cap"),
        (|p| p.declaration.long_leave_year.public = -30.0, "declaration.long_leave_year.public"),
        (|p| p.declaration.foreign_language.min_score = 120.0, "declaration.foreign_language.min_score"),
        (|p| p.contest_offset.public = -5.0, "contest_offset.public"),
        (|p| p.excellent_course_multiplier = 0.5, "excellent_course_multiplier"),
        (|p| p.credits_per_year_pre_2020 = 0.0, "credits_per_year_pre_2020"),
        (|p| p.title_window_years = 0, "title_window_years"),
        (|p| p.training_plan_deadline = MonthDay { month: 2, day: 30 }, "training_plan_deadline"),
        (|p| p.training_plan_deadline = MonthDay { month: 13, day: 1 }, "training_plan_deadline"),
    ];
    for (break_it, field) in cases {
        let mut policy = Policy::shandong_default(2023);
        break_it(&mut policy);
        assert_eq!(fields_of(&policy), vec![field.to_string()], "breaking {field}");
    }
}

#[test]
fn all_violations_are_reported_together() {
    let mut policy = Policy::shandong_default(2023);
    policy.exam_attempts = 0;
    policy.review_levels.clear();
    policy.completion_threshold = 2.0;
    assert_eq!(fields_of(&policy), vec!["exam_attempts", "completion_threshold", "review_levels"]);
}

#[test]
fn a_shorter_review_chain_and_a_larger_total_are_valid() {
    let mut policy = Policy::shandong_default(2023);
    policy.review_levels = vec![ReviewLevel::Employer, ReviewLevel::HrBureau];
    policy.annual.total = 100.0;
    policy.training_plan_deadline = MonthDay { month: 2, day: 29 };
    assert_eq!(policy.validate(), Ok(()));
}

#[test]
fn credit_system_covers_2019_and_before() {
    let policy = Policy::shandong_default(2024);
    assert!(policy.uses_credit_system(2018));
    assert!(policy.uses_credit_system(2019));
    assert!(!policy.uses_credit_system(2020));
}

#[test]
fn round_hours_keeps_one_decimal() {
    assert_eq!(round_hours(17.5), 17.5);
    assert_eq!(round_hours(30.0 * 7.0 / 12.0), 17.5);
    assert_eq!(round_hours(60.0 * 5.0 / 12.0), 25.0);
    assert_eq!(round_hours(30.0 * 1.0 / 12.0), 2.5);
    assert_eq!(round_hours(60.0 * 1.0 / 12.0), 5.0);
    assert_eq!(round_hours(0.1 + 0.2), 0.3);
}
