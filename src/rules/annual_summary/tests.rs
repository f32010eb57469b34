use super::*;
use Category::{Professional, Public};
use DeclarationKind as Kind;

fn policy() -> Policy {
    Policy::shandong_default(2023)
}

fn online(subkind: PublicSubkind, hours: f64) -> Credit {
    Credit { category: Public, public_subkind: Some(subkind), source: CreditSource::CoursePass { online: true }, hours }
}

fn offline_class(category: Category, hours: f64) -> Credit {
    Credit { category, public_subkind: None, source: CreditSource::OfflineClass, hours }
}

fn declared(kind: Kind, category: Category, hours: f64) -> Credit {
    Credit { category, public_subkind: None, source: CreditSource::Declaration { kind }, hours }
}

/// Weihai's full year: required 20 + two elective topics of 5, and 60 professional.
fn weihai_year() -> Vec<Credit> {
    vec![
        online(PublicSubkind::Required, 20.0),
        online(PublicSubkind::Elective, 5.0),
        online(PublicSubkind::Elective, 5.0),
        offline_class(Professional, 60.0),
    ]
}

#[test]
fn required_20_and_elective_10_with_60_professional_is_compliant() {
    let summary = summarize(&policy(), 2023, &weihai_year());
    assert_eq!(summary.public_hours, 30.0);
    assert_eq!(summary.professional_hours, 60.0);
    assert_eq!(summary.total_hours, 90.0);
    assert_eq!(summary.required_public_hours, 20.0);
    assert_eq!(summary.elective_public_hours, 10.0);
    assert!(summary.public_split_met);
    assert!(summary.compliant);
    assert_eq!(summary.shortfall, Shortfall::default());
    assert_eq!(summary.required, policy().annual);
    assert!(!summary.credit_system);
}

#[test]
fn one_elective_topic_misses_the_split_and_the_public_minimum() {
    let credits = [
        online(PublicSubkind::Required, 20.0),
        online(PublicSubkind::Elective, 5.0),
        offline_class(Professional, 65.0),
    ];
    let summary = summarize(&policy(), 2023, &credits);
    assert!(!summary.public_split_met);
    assert!(!summary.compliant);
    assert_eq!(summary.total_hours, 90.0);
    let expected = Shortfall { public: 5.0, professional: 0.0, total: 0.0 };
    assert_eq!(summary.shortfall, expected);
}

#[test]
fn online_public_hours_are_capped_at_30_electives_first() {
    // 35 online public hours, the electives credited before the required modules.
    let credits = [
        online(PublicSubkind::Elective, 5.0),
        online(PublicSubkind::Elective, 5.0),
        online(PublicSubkind::Elective, 5.0),
        online(PublicSubkind::Required, 20.0),
        offline_class(Professional, 60.0),
    ];
    let summary = summarize(&policy(), 2023, &credits);
    assert_eq!(summary.public_hours, 30.0);
    assert_eq!(summary.required_public_hours, 20.0);
    assert_eq!(summary.elective_public_hours, 10.0);
    assert!(summary.compliant);
}

#[test]
fn public_hours_from_other_sources_are_outside_the_online_cap() {
    let mut credits = weihai_year();
    credits.push(online(PublicSubkind::Elective, 5.0));
    credits.push(declared(Kind::ForeignLanguageExam, Public, 20.0));
    credits.push(offline_class(Public, 4.0));
    let summary = summarize(&policy(), 2023, &credits);
    assert_eq!(summary.public_hours, 30.0 + 20.0 + 4.0);
}

#[test]
fn extra_public_hours_do_not_replace_professional_ones() {
    let credits = [
        declared(Kind::ForeignLanguageExam, Public, 30.0),
        offline_class(Public, 10.0),
        offline_class(Professional, 50.0),
    ];
    let summary = summarize(&policy(), 2023, &credits);
    assert_eq!(summary.total_hours, 90.0);
    assert!(!summary.compliant);
    let expected = Shortfall { public: 0.0, professional: 10.0, total: 0.0 };
    assert_eq!(summary.shortfall, expected);
}

#[test]
fn yearly_caps_of_declarations_hold_when_reading() {
    // (credits, counted professional hours): self-study 40, achievements 30 (the 31st
    // paper hour is dropped), contests 30 professional, a year of absence at most 60.
    let cases: Vec<(Vec<Credit>, f64)> = vec![
        (vec![declared(Kind::SelfStudy, Professional, 10.0); 5], 40.0),
        (vec![declared(Kind::Achievement, Professional, 10.0); 4], 30.0),
        (
            vec![
                declared(Kind::Achievement, Professional, 10.0),
                declared(Kind::Achievement, Professional, 10.0),
                declared(Kind::Achievement, Professional, 10.0),
                declared(Kind::Achievement, Professional, 1.0),
            ],
            30.0,
        ),
        (vec![declared(Kind::Contest, Professional, 20.0); 2], 30.0),
        (vec![declared(Kind::AidAssignment, Professional, 35.0); 2], 60.0),
        (vec![declared(Kind::LongLeave, Professional, 35.0); 2], 60.0),
        (vec![declared(Kind::Training, Professional, 40.0); 2], 80.0),
        (vec![declared(Kind::QualificationExam, Professional, 16.0); 3], 48.0),
    ];
    for (credits, professional) in cases {
        let summary = summarize(&policy(), 2023, &credits);
        assert_eq!(summary.professional_hours, professional, "{credits:?}");
    }
}

#[test]
fn contest_offsets_are_capped_per_category() {
    let credits = [declared(Kind::Contest, Public, 8.0), declared(Kind::Contest, Professional, 40.0)];
    let summary = summarize(&policy(), 2023, &credits);
    assert_eq!(summary.public_hours, policy().contest_offset.public);
    assert_eq!(summary.professional_hours, policy().contest_offset.professional);
}

#[test]
fn seven_months_of_leave_twice_is_capped_at_a_full_year() {
    let credits = [
        declared(Kind::LongLeave, Public, 17.5),
        declared(Kind::LongLeave, Professional, 35.0),
        declared(Kind::LongLeave, Public, 17.5),
        declared(Kind::LongLeave, Professional, 35.0),
    ];
    let summary = summarize(&policy(), 2023, &credits);
    assert_eq!(summary.public_hours, 30.0);
    assert_eq!(summary.professional_hours, 60.0);
    assert!(summary.compliant);
}

#[test]
fn pandemic_front_line_completes_the_year() {
    let credits = [declared(Kind::PandemicFrontline, Professional, 0.0)];
    let summary = summarize(&policy(), 2022, &credits);
    assert!(summary.compliant);
    assert!(summary.completed_by_declaration);
    assert_eq!(summary.total_hours, 0.0);
    assert_eq!(summary.shortfall, Shortfall::default());

    let mut without = policy();
    without.declaration.pandemic_completes_year = false;
    let summary = summarize(&without, 2022, &credits);
    assert!(!summary.compliant);
    assert_eq!(summary.shortfall.total, 90.0);
}

#[test]
fn excellent_course_teachers_earn_the_multiplier() {
    let course = Credit { category: Public, public_subkind: None, source: CreditSource::ExcellentCourse, hours: 12.5 };
    assert_eq!(summarize(&policy(), 2023, &[course]).public_hours, 25.0);
    let mut triple = policy();
    triple.excellent_course_multiplier = 3.0;
    assert_eq!(summarize(&triple, 2023, &[course]).public_hours, 37.5);
}

#[test]
fn years_up_to_2019_are_judged_in_credits() {
    let twenty_credits = [offline_class(Professional, 12.0), offline_class(Professional, 8.0)];
    let in_2019 = summarize(&policy(), 2019, &twenty_credits);
    assert!(in_2019.credit_system);
    assert!(in_2019.compliant, "20 credits, no public/professional split");
    assert_eq!(in_2019.required.total, 20.0);
    assert_eq!(in_2019.required.public, 0.0);

    let in_2020 = summarize(&policy(), 2020, &twenty_credits);
    assert!(!in_2020.credit_system);
    assert!(!in_2020.compliant);
    let expected = Shortfall { public: 30.0, professional: 40.0, total: 70.0 };
    assert_eq!(in_2020.shortfall, expected);

    let short = summarize(&policy(), 2018, &[offline_class(Public, 19.5)]);
    assert!(!short.compliant);
    assert_eq!(short.shortfall.total, 0.5);
}

#[test]
fn credit_years_apply_no_hour_caps() {
    let credits = vec![online(PublicSubkind::Elective, 5.0); 8];
    let summary = summarize(&policy(), 2019, &credits);
    assert_eq!(summary.public_hours, 40.0);
}

#[test]
fn changing_a_policy_number_changes_the_summary() {
    let credits = [
        online(PublicSubkind::Required, 20.0),
        online(PublicSubkind::Elective, 15.0),
        offline_class(Professional, 60.0),
    ];
    let mut generous = policy();
    generous.online_public_cap = 40.0;
    assert_eq!(summarize(&policy(), 2023, &credits).public_hours, 30.0);
    assert_eq!(summarize(&generous, 2023, &credits).public_hours, 35.0);

    let mut stricter = policy();
    stricter.annual.professional = 70.0;
    stricter.annual.total = 100.0;
    let summary = summarize(&stricter, 2023, &credits);
    assert!(!summary.compliant);
    assert_eq!(summary.shortfall.professional, 10.0);
    assert_eq!(summary.shortfall.total, 10.0);

    let mut hours_since_2019 = policy();
    hours_since_2019.credit_system_until_year = 2018;
    assert!(!summarize(&hours_since_2019, 2019, &credits).credit_system);
}

#[test]
fn fractional_hours_add_up_to_one_decimal() {
    let credits = [offline_class(Professional, 0.1), offline_class(Professional, 0.2), offline_class(Public, 17.5)];
    let summary = summarize(&policy(), 2023, &credits);
    assert_eq!(summary.professional_hours, 0.3);
    assert_eq!(summary.total_hours, 17.8);
    assert_eq!(summary.shortfall.professional, 59.7);
}

#[test]
fn summary_json_has_the_api_fields() {
    let json = serde_json::to_value(summarize(&policy(), 2023, &weihai_year())).unwrap_or_default();
    for field in ["year", "public_hours", "professional_hours", "total_hours", "compliant"] {
        assert!(json.get(field).is_some(), "{field}");
    }
    assert_eq!(json["required"]["total"], serde_json::json!(90.0));
    assert_eq!(json["shortfall"]["public"], serde_json::json!(0.0));
}

mod window;
