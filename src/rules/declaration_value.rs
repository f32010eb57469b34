//! What an hour declaration (学时申报) is worth, by the Qingdao 2023 table and Yantai 2020's
//! contest offsets. The caller tells what the learner already has this year ([`YearToDate`],
//! counting approved and pending declarations) so yearly caps hold at filing time; the annual
//! summary applies the same caps again when reading the ledger.

mod kinds;

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::annual_summary::Category;
use super::policy::{HoursSplit, Policy};

/// The kinds of declaration of the API (`data.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclarationKind {
    /// 岗位培训、急需紧缺人才培训、高级研修: actual hours, capped per day.
    Training,
    /// 学术会议、专题讲座、实训实操、技术示范、新技术推广: actual hours, capped per day.
    Conference,
    /// 业务进修、出国（境）学习或考察: a fixed amount each.
    StudyVisit,
    /// 自学考试、在职学历教育、课程班: a fixed amount each per year, capped per year.
    SelfStudy,
    /// 科研成果、专利、标准、论文、著作: a fixed amount each, capped per year, never twice.
    Achievement,
    /// 受邀专家服务 (title review, exam marking, ...): actual hours, capped per day.
    ExpertService,
    /// 援派、支教、支农、支医、扶贫: a full year's public + professional, pro rata by month.
    AidAssignment,
    /// 职业资格考试 passed: a fixed amount per exam or registration-exam subject.
    QualificationExam,
    /// 境外工作/病假超过6个月、产假: a full year's public + professional, pro rata by month.
    LongLeave,
    /// 职称外语考试: public hours by level when the score passes.
    ForeignLanguageExam,
    /// 计算机应用能力考试: public hours per module.
    ComputerExam,
    /// 新冠防控一线: the year counts as complete.
    PandemicFrontline,
    /// 技能竞赛、技术比武、行业性比赛 (Yantai 2020): offsets capped per year.
    Contest,
    /// 年度学时审验 (Binzhou 2024: 逐级审核，审核合格后下载证书): asks the review chain to
    /// confirm a compliant year before its certificate. Worth no hours; once a year.
    AnnualReview,
}

impl DeclarationKind {
    pub fn as_str(self) -> &'static str {
        use DeclarationKind::*;
        match self {
            Training => "training",
            Conference => "conference",
            StudyVisit => "study_visit",
            SelfStudy => "self_study",
            Achievement => "achievement",
            ExpertService => "expert_service",
            AidAssignment => "aid_assignment",
            QualificationExam => "qualification_exam",
            LongLeave => "long_leave",
            ForeignLanguageExam => "foreign_language_exam",
            ComputerExam => "computer_exam",
            PandemicFrontline => "pandemic_frontline",
            Contest => "contest",
            AnnualReview => "annual_review",
        }
    }
}

impl fmt::Display for DeclarationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A declaration as the learner files it; which fields matter depends on `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclarationInput {
    pub kind: DeclarationKind,
    pub year: i32,
    pub title: String,
    #[serde(default)]
    pub days: Option<u32>,
    #[serde(default)]
    pub hours: Option<f64>,
    #[serde(default)]
    pub months: Option<u32>,
    /// Foreign-language exam level: "A", "B" or "C".
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub score: Option<f64>,
    #[serde(default)]
    pub modules: Option<u32>,
    #[serde(default)]
    pub subjects: Option<u32>,
    /// Identifies an achievement (patent number, DOI, ISBN, ...) so it never counts twice.
    #[serde(default)]
    pub reference: Option<String>,
    /// Category for kinds that may be either (training, contest, ...); default professional.
    /// Ignored by kinds whose category is fixed (exams of foreign language and computer,
    /// aid and leave, pandemic).
    #[serde(default)]
    pub category: Option<Category>,
}

impl DeclarationInput {
    /// A declaration of `kind` with none of the kind-specific fields filled in yet.
    pub fn new(kind: DeclarationKind, year: i32, title: impl Into<String>) -> Self {
        Self {
            kind,
            year,
            title: title.into(),
            days: None,
            hours: None,
            months: None,
            level: None,
            score: None,
            modules: None,
            subjects: None,
            reference: None,
            category: None,
        }
    }
}

/// What the learner already has in the declaration's year, for the capped kinds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct YearToDate {
    pub self_study_hours: f64,
    pub achievement_hours: f64,
    /// References of ALL the learner's earlier achievements, any year (同一项目成果，不重复计算).
    pub achievement_references: Vec<String>,
    pub contest_offsets: HoursSplit,
    /// Months of aid assignment and long leave already credited: a year has only 12.
    pub absence_months: u32,
    /// An annual review of the year is already pending or approved.
    pub annual_review_requested: bool,
}

/// The hours a declaration is worth, and why when less than claimed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Valuation {
    pub public: f64,
    pub professional: f64,
    /// The whole year counts as compliant (pandemic front line).
    pub completes_year: bool,
    pub notes: Vec<ValuationNote>,
}

/// Why a valuation differs from the plain rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "note")]
pub enum ValuationNote {
    /// At most `daily_cap` hours a day (不超过8学时/天).
    DailyCapApplied { claimed: f64, credited: f64, daily_cap: f64 },
    /// Trimmed to what is left under the yearly cap.
    YearlyCapApplied { claimed: f64, credited: f64, yearly_cap: f64 },
    /// Part of a year, pro rata by month (不足一年的，按月份比例计算).
    ProRata { months: u32 },
    /// Months beyond what is left of the year were dropped.
    MonthsTrimmed { claimed: u32, credited: u32 },
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum DeclarationError {
    #[error("the title must not be empty")]
    EmptyTitle,
    #[error("a {kind} declaration needs `{field}`")]
    MissingField { kind: DeclarationKind, field: &'static str },
    #[error("`{field}` must be above zero")]
    NotPositive { field: &'static str },
    #[error("`hours` must have at most one decimal")]
    TooPrecise,
    #[error("`days` must be between 1 and 366, not {0}")]
    DaysOutOfRange(u32),
    #[error("`months` must be between 1 and 12, not {0}")]
    MonthsOutOfRange(u32),
    #[error("{hours} hours in {days} days is more than the days have")]
    HoursExceedDays { hours: f64, days: u32 },
    #[error("`level` must be A, B or C, not {0:?}")]
    InvalidLevel(String),
    #[error("`score` must be between 0 and 100, not {0}")]
    ScoreOutOfRange(f64),
    #[error("a score of {score} is below the {min_score} needed")]
    ScoreBelowMinimum { score: f64, min_score: f64 },
    #[error("the yearly cap of {yearly_cap} hours for {kind} is already reached")]
    YearlyCapReached { kind: DeclarationKind, yearly_cap: f64 },
    #[error("all 12 months of the year are already credited as aid or leave")]
    MonthsExhausted,
    #[error("this achievement was already declared")]
    DuplicateReference,
    #[error("the year's review is already requested or approved")]
    AnnualReviewRequested,
}

impl DeclarationError {
    /// The stable snake_case code for the API's error body.
    pub fn code(&self) -> &'static str {
        use DeclarationError::*;
        match self {
            EmptyTitle | NotPositive { .. } | TooPrecise | DaysOutOfRange(_) => "invalid_value",
            MonthsOutOfRange(_) | HoursExceedDays { .. } | InvalidLevel(_) => "invalid_value",
            ScoreOutOfRange(_) => "invalid_value",
            MissingField { .. } => "missing_field",
            ScoreBelowMinimum { .. } => "score_below_minimum",
            YearlyCapReached { .. } | MonthsExhausted => "yearly_cap_reached",
            DuplicateReference => "duplicate_reference",
            AnnualReviewRequested => "already_requested",
        }
    }
}

impl DeclarationError {
    /// The input field the error is about, so a form can show it next to that field.
    pub fn field(&self) -> Option<&'static str> {
        use DeclarationError::*;
        match self {
            EmptyTitle => Some("title"),
            MissingField { field, .. } | NotPositive { field } => Some(field),
            TooPrecise | HoursExceedDays { .. } => Some("hours"),
            DaysOutOfRange(_) => Some("days"),
            MonthsOutOfRange(_) | MonthsExhausted => Some("months"),
            InvalidLevel(_) => Some("level"),
            ScoreOutOfRange(_) | ScoreBelowMinimum { .. } => Some("score"),
            DuplicateReference => Some("reference"),
            YearlyCapReached { .. } | AnnualReviewRequested => None,
        }
    }
}

/// Values a declaration by the policy, given what the learner already has that year.
pub fn value(policy: &Policy, input: &DeclarationInput, already: &YearToDate) -> Result<Valuation, DeclarationError> {
    if input.title.trim().is_empty() {
        return Err(DeclarationError::EmptyTitle);
    }
    kinds::value_by_kind(policy, input, already)
}

/// The form in which achievement references are compared (and best stored): without any
/// whitespace and in lower case, so "CN 1234567 A" and "cn1234567a" are the same patent.
pub fn normalize_reference(reference: &str) -> String {
    reference.split_whitespace().collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests;
