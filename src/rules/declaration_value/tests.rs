use super::*;
use DeclarationError as E;
use DeclarationKind as K;

fn policy() -> Policy {
    Policy::shandong_default(2023)
}

fn input(kind: DeclarationKind) -> DeclarationInput {
    DeclarationInput::new(kind, 2023, "青岛市继续教育")
}

fn worked(kind: DeclarationKind, days: u32, hours: f64) -> DeclarationInput {
    DeclarationInput { days: Some(days), hours: Some(hours), ..input(kind) }
}

fn months(kind: DeclarationKind, months: u32) -> DeclarationInput {
    DeclarationInput { months: Some(months), ..input(kind) }
}

fn language(level: &str, score: f64) -> DeclarationInput {
    DeclarationInput { level: Some(level.to_owned()), score: Some(score), ..input(K::ForeignLanguageExam) }
}

fn paper(reference: &str) -> DeclarationInput {
    DeclarationInput { reference: Some(reference.to_owned()), ..input(K::Achievement) }
}

fn contest(category: Category, hours: f64) -> DeclarationInput {
    DeclarationInput { hours: Some(hours), category: Some(category), ..input(K::Contest) }
}

fn hours_of(result: Result<Valuation, DeclarationError>) -> Result<(f64, f64), DeclarationError> {
    result.map(|valuation| (valuation.public, valuation.professional))
}

/// One case per row of the Qingdao 2023 table (and Yantai's contests), nothing declared before.
#[test]
fn every_row_of_the_qingdao_table() {
    let nothing = YearToDate::default();
    let cases: Vec<(DeclarationInput, (f64, f64))> = vec![
        (worked(K::Training, 3, 20.0), (0.0, 20.0)),
        (worked(K::Conference, 1, 3.5), (0.0, 3.5)),
        (input(K::StudyVisit), (0.0, 10.0)),
        (input(K::SelfStudy), (0.0, 10.0)),
        (paper("CN 115000000 A"), (0.0, 10.0)),
        (worked(K::ExpertService, 2, 12.0), (0.0, 12.0)),
        (months(K::AidAssignment, 12), (30.0, 60.0)),
        (input(K::QualificationExam), (0.0, 16.0)),
        (months(K::LongLeave, 12), (30.0, 60.0)),
        (language("A", 60.0), (30.0, 0.0)),
        (language("B", 75.0), (20.0, 0.0)),
        (language("C", 92.5), (10.0, 0.0)),
        (DeclarationInput { modules: Some(3), ..input(K::ComputerExam) }, (15.0, 0.0)),
        (input(K::PandemicFrontline), (0.0, 0.0)),
        (contest(Category::Public, 4.0), (4.0, 0.0)),
        (contest(Category::Professional, 25.0), (0.0, 25.0)),
        (input(K::AnnualReview), (0.0, 0.0)),
    ];
    for (declaration, expected) in cases {
        let valued = value(&policy(), &declaration, &nothing);
        assert_eq!(hours_of(valued), Ok(expected), "{:?}", declaration.kind);
    }
}

#[test]
fn actual_hours_are_capped_at_8_a_day() {
    let cases = [
        (K::Training, 1, 9.0, 8.0),
        (K::Training, 2, 20.0, 16.0),
        (K::Training, 1, 8.0, 8.0),
        (K::Conference, 1, 7.5, 7.5),
        (K::ExpertService, 1, 10.0, 8.0),
        (K::ExpertService, 5, 45.0, 40.0),
    ];
    for (kind, days, hours, credited) in cases {
        let valued = value(&policy(), &worked(kind, days, hours), &YearToDate::default());
        assert_eq!(hours_of(valued.clone()), Ok((0.0, credited)), "{kind} {days}d {hours}h");
        let noted = valued.map(|v| v.notes.len()).unwrap_or_default();
        assert_eq!(noted, usize::from(credited < hours), "a note says why");
    }
}

#[test]
fn the_daily_cap_is_policy() {
    let mut six_a_day = policy();
    six_a_day.declaration.daily_hours_cap = 6.0;
    let valued = value(&six_a_day, &worked(K::Training, 1, 9.0), &YearToDate::default());
    assert_eq!(hours_of(valued), Ok((0.0, 6.0)));
}

#[test]
fn training_may_count_as_public() {
    let public_training = DeclarationInput { category: Some(Category::Public), ..worked(K::Training, 1, 9.0) };
    let valued = value(&policy(), &public_training, &YearToDate::default());
    assert_eq!(hours_of(valued), Ok((8.0, 0.0)));
}

#[test]
fn self_study_stops_at_40_a_year() {
    let cases = [
        (0.0, Ok((0.0, 10.0))),
        (30.0, Ok((0.0, 10.0))),
        (35.0, Ok((0.0, 5.0))),
        // The 41st hour: a fifth self-study after four earns nothing.
        (40.0, Err(E::YearlyCapReached { kind: K::SelfStudy, yearly_cap: 40.0 })),
    ];
    for (used, expected) in cases {
        let already = YearToDate { self_study_hours: used, ..YearToDate::default() };
        let valued = value(&policy(), &input(K::SelfStudy), &already);
        assert_eq!(hours_of(valued), expected, "after {used}");
    }
}

#[test]
fn achievements_stop_at_30_a_year_and_never_count_twice() {
    let cases = [
        (20.0, "10.1000/xyz-4", Ok((0.0, 10.0))),
        (25.0, "10.1000/xyz-4", Ok((0.0, 5.0))),
        // The 31st paper hour.
        (30.0, "10.1000/xyz-4", Err(E::YearlyCapReached { kind: K::Achievement, yearly_cap: 30.0 })),
        (0.0, " CN 1150 00000A ", Err(E::DuplicateReference)),
        (0.0, "cn115000000a", Err(E::DuplicateReference)),
        (0.0, "   ", Err(E::MissingField { kind: K::Achievement, field: "reference" })),
    ];
    let earlier = vec!["CN115000000A".to_owned()];
    for (used, reference, expected) in cases {
        let already =
            YearToDate { achievement_hours: used, achievement_references: earlier.clone(), ..YearToDate::default() };
        let valued = value(&policy(), &paper(reference), &already);
        assert_eq!(hours_of(valued), expected, "{reference:?} after {used}");
    }
    let unreferenced = value(&policy(), &input(K::Achievement), &YearToDate::default());
    assert_eq!(unreferenced, Err(E::MissingField { kind: K::Achievement, field: "reference" }));
}

#[test]
fn absences_are_pro_rata_by_month() {
    let cases = [
        (K::LongLeave, 7, 0, Ok((17.5, 35.0))),
        (K::LongLeave, 1, 0, Ok((2.5, 5.0))),
        (K::LongLeave, 6, 0, Ok((15.0, 30.0))),
        (K::AidAssignment, 5, 0, Ok((12.5, 25.0))),
        (K::AidAssignment, 11, 0, Ok((27.5, 55.0))),
        // Seven months already credited: only five are left in the year.
        (K::LongLeave, 7, 7, Ok((12.5, 25.0))),
        (K::AidAssignment, 3, 12, Err(E::MonthsExhausted)),
        (K::LongLeave, 13, 0, Err(E::MonthsOutOfRange(13))),
        (K::AidAssignment, 0, 0, Err(E::MonthsOutOfRange(0))),
    ];
    for (kind, claimed, used, expected) in cases {
        let already = YearToDate { absence_months: used, ..YearToDate::default() };
        let valued = value(&policy(), &months(kind, claimed), &already);
        assert_eq!(hours_of(valued), expected, "{kind} {claimed} after {used}");
    }
}

#[test]
fn seven_months_of_maternity_leave_notes_the_pro_rata() {
    let valued = value(&policy(), &months(K::LongLeave, 7), &YearToDate::default());
    let notes = valued.map(|v| v.notes).unwrap_or_default();
    assert_eq!(notes, vec![ValuationNote::ProRata { months: 7 }]);
}

#[test]
fn qualification_exams_count_16_per_subject() {
    let cases = [
        (None, Ok((0.0, 16.0))),
        (Some(1), Ok((0.0, 16.0))),
        (Some(4), Ok((0.0, 64.0))),
        (Some(0), Err(E::NotPositive { field: "subjects" })),
    ];
    for (subjects, expected) in cases {
        let exam = DeclarationInput { subjects, ..input(K::QualificationExam) };
        let valued = value(&policy(), &exam, &YearToDate::default());
        assert_eq!(hours_of(valued), expected, "{subjects:?}");
    }
}

#[test]
fn foreign_language_needs_a_level_and_a_passing_score() {
    let missing_score = DeclarationInput { score: None, ..language("A", 0.0) };
    let cases = [
        (language(" a ", 60.0), Ok((30.0, 0.0))),
        (language("A", 59.5), Err(E::ScoreBelowMinimum { score: 59.5, min_score: 60.0 })),
        (language("D", 80.0), Err(E::InvalidLevel("D".to_owned()))),
        (language("B", 101.0), Err(E::ScoreOutOfRange(101.0))),
        (language("B", -1.0), Err(E::ScoreOutOfRange(-1.0))),
        (missing_score, Err(E::MissingField { kind: K::ForeignLanguageExam, field: "score" })),
        (input(K::ForeignLanguageExam), Err(E::MissingField { kind: K::ForeignLanguageExam, field: "level" })),
    ];
    for (exam, expected) in cases {
        let valued = value(&policy(), &exam, &YearToDate::default());
        assert_eq!(hours_of(valued), expected, "{:?} {:?}", exam.level, exam.score);
    }
    let mut stricter = policy();
    stricter.declaration.foreign_language.min_score = 70.0;
    let valued = value(&stricter, &language("C", 65.0), &YearToDate::default());
    assert!(matches!(valued, Err(E::ScoreBelowMinimum { .. })));
}

#[test]
fn computer_exams_count_5_public_per_module() {
    let cases = [
        (Some(1), Ok((5.0, 0.0))),
        (Some(4), Ok((20.0, 0.0))),
        (Some(0), Err(E::NotPositive { field: "modules" })),
        (None, Err(E::MissingField { kind: K::ComputerExam, field: "modules" })),
    ];
    for (modules, expected) in cases {
        let exam = DeclarationInput { modules, category: Some(Category::Professional), ..input(K::ComputerExam) };
        let valued = value(&policy(), &exam, &YearToDate::default());
        assert_eq!(hours_of(valued), expected, "{modules:?}");
    }
}

#[test]
fn pandemic_front_line_completes_the_year() {
    let valued = value(&policy(), &input(K::PandemicFrontline), &YearToDate::default());
    assert_eq!(valued.map(|v| v.completes_year), Ok(true));
    let mut without = policy();
    without.declaration.pandemic_completes_year = false;
    let valued = value(&without, &input(K::PandemicFrontline), &YearToDate::default());
    assert_eq!(valued.map(|v| v.completes_year), Ok(false));
}

#[test]
fn an_annual_review_is_worth_nothing_and_asked_once_a_year() {
    let valued = value(&policy(), &input(K::AnnualReview), &YearToDate::default());
    assert_eq!(valued, Ok(Valuation::default()));
    let requested = YearToDate { annual_review_requested: true, ..YearToDate::default() };
    let again = value(&policy(), &input(K::AnnualReview), &requested);
    assert_eq!(again, Err(E::AnnualReviewRequested));
    assert_eq!(E::AnnualReviewRequested.code(), "already_requested");
}

#[test]
fn contests_offset_at_most_5_public_and_30_professional() {
    let used = |public, professional| YearToDate {
        contest_offsets: HoursSplit { public, professional },
        ..YearToDate::default()
    };
    let reached = |yearly_cap| Err(E::YearlyCapReached { kind: K::Contest, yearly_cap });
    let cases = [
        (contest(Category::Public, 8.0), used(0.0, 0.0), Ok((5.0, 0.0))),
        (contest(Category::Public, 3.0), used(3.0, 30.0), Ok((2.0, 0.0))),
        (contest(Category::Public, 1.0), used(5.0, 0.0), reached(5.0)),
        (contest(Category::Professional, 20.0), used(5.0, 20.0), Ok((0.0, 10.0))),
        (contest(Category::Professional, 1.0), used(0.0, 30.0), reached(30.0)),
        (DeclarationInput { category: None, ..contest(Category::Public, 40.0) }, used(0.0, 0.0), Ok((0.0, 30.0))),
    ];
    for (declaration, already, expected) in cases {
        let valued = value(&policy(), &declaration, &already);
        assert_eq!(hours_of(valued), expected, "{declaration:?} after {already:?}");
    }
}

mod input_checks;
