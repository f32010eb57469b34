//! One valuation function per row of the Qingdao table.

use super::{
    Category, DeclarationError, DeclarationInput, DeclarationKind, HoursSplit, Policy, Valuation, ValuationNote,
    YearToDate, normalize_reference,
};
use crate::rules::policy::{ForeignLanguageRates, round_hours};

const MAX_DAYS: u32 = 366;
const MONTHS_PER_YEAR: u32 = 12;
const HOURS_PER_DAY: f64 = 24.0;
const MAX_SCORE: f64 = 100.0;

pub(super) fn value_by_kind(
    policy: &Policy,
    input: &DeclarationInput,
    already: &YearToDate,
) -> Result<Valuation, DeclarationError> {
    use DeclarationKind::*;
    let rates = &policy.declaration;
    match input.kind {
        Training | Conference | ExpertService => actual_hours(input, rates.daily_hours_cap),
        StudyVisit => Ok(in_category(input, rates.study_visit_hours)),
        SelfStudy => {
            within_yearly_cap(input, rates.self_study_hours, rates.self_study_yearly_cap, already.self_study_hours)
        }
        Achievement => {
            unused_reference(input, already)?;
            within_yearly_cap(input, rates.achievement_hours, rates.achievement_yearly_cap, already.achievement_hours)
        }
        AidAssignment => pro_rata(input, rates.aid_assignment_year, already.absence_months),
        LongLeave => pro_rata(input, rates.long_leave_year, already.absence_months),
        QualificationExam => {
            // One exam, unless a registration exam names its subjects (注册考试每门课程).
            let subjects = positive_count(input.subjects.unwrap_or(1), "subjects")?;
            let hours = f64::from(subjects) * rates.qualification_exam_hours;
            Ok(in_category(input, hours))
        }
        ForeignLanguageExam => foreign_language(input, &rates.foreign_language),
        ComputerExam => {
            let modules = required(input.kind, input.modules, "modules")?;
            let modules = positive_count(modules, "modules")?;
            let hours = f64::from(modules) * rates.computer_exam_hours_per_module;
            Ok(public_only(hours))
        }
        PandemicFrontline => Ok(Valuation { completes_year: rates.pandemic_completes_year, ..Valuation::default() }),
        Contest => contest(input, policy.contest_offset, already.contest_offsets),
        AnnualReview if already.annual_review_requested => Err(DeclarationError::AnnualReviewRequested),
        AnnualReview => Ok(Valuation::default()),
    }
}

/// Actual hours, at most `daily_cap` a day (不超过8学时/天，往返和休息时间除外).
fn actual_hours(input: &DeclarationInput, daily_cap: f64) -> Result<Valuation, DeclarationError> {
    let days = required(input.kind, input.days, "days")?;
    if days == 0 || days > MAX_DAYS {
        return Err(DeclarationError::DaysOutOfRange(days));
    }
    let hours = claimed_hours(input)?;
    if hours > HOURS_PER_DAY * f64::from(days) {
        return Err(DeclarationError::HoursExceedDays { hours, days });
    }
    let cap = daily_cap * f64::from(days);
    let credited = hours.min(cap);
    let mut valuation = in_category(input, credited);
    if credited < hours {
        valuation.notes.push(ValuationNote::DailyCapApplied {
            claimed: hours,
            credited: round_hours(credited),
            daily_cap,
        });
    }
    Ok(valuation)
}

/// A fixed amount each, trimmed to what is left under the yearly cap.
fn within_yearly_cap(
    input: &DeclarationInput,
    each: f64,
    yearly_cap: f64,
    used: f64,
) -> Result<Valuation, DeclarationError> {
    let credited = room_under_cap(input.kind, each, yearly_cap, used)?;
    let mut valuation = in_category(input, credited);
    if credited < each {
        valuation.notes.push(ValuationNote::YearlyCapApplied { claimed: each, credited, yearly_cap });
    }
    Ok(valuation)
}

/// Contests offset hours of the chosen category, up to the yearly offset of that category.
fn contest(input: &DeclarationInput, offset: HoursSplit, used: HoursSplit) -> Result<Valuation, DeclarationError> {
    let claimed = claimed_hours(input)?;
    let category = category_of(input);
    let yearly_cap = of_category(offset, category);
    let credited = room_under_cap(input.kind, claimed, yearly_cap, of_category(used, category))?;
    let mut valuation = in_category(input, credited);
    if credited < claimed {
        valuation.notes.push(ValuationNote::YearlyCapApplied { claimed, credited, yearly_cap });
    }
    Ok(valuation)
}

/// A full year's hours times the months out of twelve, within the months left in the year.
fn pro_rata(input: &DeclarationInput, full_year: HoursSplit, months_used: u32) -> Result<Valuation, DeclarationError> {
    let months = required(input.kind, input.months, "months")?;
    if months == 0 || months > MONTHS_PER_YEAR {
        return Err(DeclarationError::MonthsOutOfRange(months));
    }
    let months_left = MONTHS_PER_YEAR.saturating_sub(months_used);
    if months_left == 0 {
        return Err(DeclarationError::MonthsExhausted);
    }
    let credited = months.min(months_left);
    let share = f64::from(credited) / f64::from(MONTHS_PER_YEAR);
    let mut notes = Vec::new();
    if credited < months {
        notes.push(ValuationNote::MonthsTrimmed { claimed: months, credited });
    }
    if credited < MONTHS_PER_YEAR {
        notes.push(ValuationNote::ProRata { months: credited });
    }
    Ok(Valuation {
        public: round_hours(full_year.public * share),
        professional: round_hours(full_year.professional * share),
        completes_year: false,
        notes,
    })
}

/// Level A/B/C earns its public hours when the score reaches the minimum (60分及以上).
fn foreign_language(input: &DeclarationInput, rates: &ForeignLanguageRates) -> Result<Valuation, DeclarationError> {
    let level = required(input.kind, input.level.as_deref(), "level")?;
    let hours = match level.trim().to_ascii_uppercase().as_str() {
        "A" => rates.level_a,
        "B" => rates.level_b,
        "C" => rates.level_c,
        _ => return Err(DeclarationError::InvalidLevel(level.to_owned())),
    };
    let score = required(input.kind, input.score, "score")?;
    if !(0.0..=MAX_SCORE).contains(&score) {
        return Err(DeclarationError::ScoreOutOfRange(score));
    }
    if score < rates.min_score {
        return Err(DeclarationError::ScoreBelowMinimum { score, min_score: rates.min_score });
    }
    Ok(public_only(hours))
}

fn unused_reference(input: &DeclarationInput, already: &YearToDate) -> Result<(), DeclarationError> {
    let reference = required(input.kind, input.reference.as_deref(), "reference")?;
    let reference = normalize_reference(reference);
    if reference.is_empty() {
        return Err(DeclarationError::MissingField { kind: input.kind, field: "reference" });
    }
    let used = already.achievement_references.iter().any(|earlier| normalize_reference(earlier) == reference);
    if used {
        return Err(DeclarationError::DuplicateReference);
    }
    Ok(())
}

/// What is left of `claimed` under a yearly cap; nothing left at all is an error, not a 0.
fn room_under_cap(kind: DeclarationKind, claimed: f64, yearly_cap: f64, used: f64) -> Result<f64, DeclarationError> {
    let room = round_hours(yearly_cap - used);
    if room <= 0.0 {
        return Err(DeclarationError::YearlyCapReached { kind, yearly_cap });
    }
    Ok(round_hours(claimed.min(room)))
}

fn claimed_hours(input: &DeclarationInput) -> Result<f64, DeclarationError> {
    let hours = required(input.kind, input.hours, "hours")?;
    if !hours.is_finite() || hours <= 0.0 {
        return Err(DeclarationError::NotPositive { field: "hours" });
    }
    if round_hours(hours) != hours {
        return Err(DeclarationError::TooPrecise);
    }
    Ok(hours)
}

fn required<T>(kind: DeclarationKind, value: Option<T>, field: &'static str) -> Result<T, DeclarationError> {
    value.ok_or(DeclarationError::MissingField { kind, field })
}

fn positive_count(count: u32, field: &'static str) -> Result<u32, DeclarationError> {
    if count == 0 {
        return Err(DeclarationError::NotPositive { field });
    }
    Ok(count)
}

fn category_of(input: &DeclarationInput) -> Category {
    input.category.unwrap_or(Category::Professional)
}

fn of_category(split: HoursSplit, category: Category) -> f64 {
    match category {
        Category::Public => split.public,
        Category::Professional => split.professional,
    }
}

fn in_category(input: &DeclarationInput, hours: f64) -> Valuation {
    let hours = round_hours(hours);
    match category_of(input) {
        Category::Public => public_only(hours),
        Category::Professional => Valuation { professional: hours, ..Valuation::default() },
    }
}

fn public_only(hours: f64) -> Valuation {
    Valuation { public: round_hours(hours), ..Valuation::default() }
}
