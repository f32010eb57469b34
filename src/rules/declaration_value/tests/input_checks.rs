//! Malformed declarations, error codes and the JSON shape of the API.

use super::*;

#[test]
fn bad_input_is_a_typed_error() {
    let cases = [
        (DeclarationInput { title: "  ".to_owned(), ..input(K::StudyVisit) }, E::EmptyTitle),
        (
            DeclarationInput { hours: Some(8.0), ..input(K::Training) },
            E::MissingField { kind: K::Training, field: "days" },
        ),
        (
            DeclarationInput { days: Some(1), ..input(K::Conference) },
            E::MissingField { kind: K::Conference, field: "hours" },
        ),
        (worked(K::Training, 0, 8.0), E::DaysOutOfRange(0)),
        (worked(K::Training, 367, 8.0), E::DaysOutOfRange(367)),
        (worked(K::Training, 1, 0.0), E::NotPositive { field: "hours" }),
        (worked(K::Training, 1, -3.0), E::NotPositive { field: "hours" }),
        (worked(K::Training, 1, 7.25), E::TooPrecise),
        (worked(K::Training, 1, 25.0), E::HoursExceedDays { hours: 25.0, days: 1 }),
        (contest(Category::Public, 0.0), E::NotPositive { field: "hours" }),
    ];
    for (declaration, expected) in cases {
        let valued = value(&policy(), &declaration, &YearToDate::default());
        assert_eq!(valued, Err(expected), "{declaration:?}");
    }
}

#[test]
fn error_codes_are_stable() {
    let cases = [
        (E::EmptyTitle, "invalid_value"),
        (E::DaysOutOfRange(0), "invalid_value"),
        (E::InvalidLevel("D".to_owned()), "invalid_value"),
        (E::MissingField { kind: K::Training, field: "days" }, "missing_field"),
        (E::ScoreBelowMinimum { score: 50.0, min_score: 60.0 }, "score_below_minimum"),
        (E::MonthsExhausted, "yearly_cap_reached"),
        (E::DuplicateReference, "duplicate_reference"),
    ];
    for (error, code) in cases {
        assert_eq!(error.code(), code, "{error}");
    }
}

#[test]
fn kinds_use_the_api_names() {
    let all = [
        K::Training,
        K::Conference,
        K::StudyVisit,
        K::SelfStudy,
        K::Achievement,
        K::ExpertService,
        K::AidAssignment,
        K::QualificationExam,
        K::LongLeave,
        K::ForeignLanguageExam,
        K::ComputerExam,
        K::PandemicFrontline,
        K::Contest,
        K::AnnualReview,
    ];
    for kind in all {
        let json = serde_json::to_value(kind).unwrap_or_default();
        assert_eq!(json, serde_json::json!(kind.as_str()));
        assert_eq!(serde_json::from_value::<K>(json).ok(), Some(kind));
    }
}

#[test]
fn api_json_parses_into_an_input() {
    let json = r#"{"kind": "long_leave", "year": 2023, "title": "产假", "months": 7}"#;
    let parsed: Result<DeclarationInput, _> = serde_json::from_str(json);
    let valued = parsed.map(|input| value(&policy(), &input, &YearToDate::default()));
    assert!(matches!(valued, Ok(Ok(Valuation { public: 17.5, professional: 35.0, .. }))));
}
