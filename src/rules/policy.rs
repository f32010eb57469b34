//! The yearly continuing-education policy (继续教育政策): every number the rules use.
//!
//! One `Policy` per (region, year) is stored as JSON and edited by the platform admin;
//! [`Policy::shandong_default`] holds the numbers of the Shandong notices in `shared/seeds/`.
//! Hours are `f64` with at most one decimal (17.5); [`round_hours`] keeps results that way.

mod validate;

use serde::{Deserialize, Serialize};

pub use validate::PolicyViolation;

/// Hours required per calendar year (每年累计不少于90学时，其中公需科目不少于30学时，专业科目不少于60学时).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AnnualRequirement {
    pub public: f64,
    pub professional: f64,
    pub total: f64,
}

/// A public/professional pair of hours, used for full-year absences and contest offsets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct HoursSplit {
    pub public: f64,
    pub professional: f64,
}

/// A day of the year without the year, e.g. the training-plan deadline 5月15日.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

/// One level of the declaration review chain (逐级审核), lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewLevel {
    /// 用人单位
    Employer,
    /// 主管部门
    Department,
    /// 区/市人社局
    HrBureau,
}

/// Title foreign-language exam (职称外语考试): public hours per level, given a passing score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ForeignLanguageRates {
    pub level_a: f64,
    pub level_b: f64,
    pub level_c: f64,
    pub min_score: f64,
}

/// What each kind of hour declaration (学时申报) is worth: Qingdao 2023, section 四.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclarationRates {
    /// Training, conference and expert service count actual hours, at most this many a day.
    pub daily_hours_cap: f64,
    /// Study visit, 进修, study abroad: hours per item.
    pub study_visit_hours: f64,
    /// Self-study exam, in-service degree, course class: hours per item and year.
    pub self_study_hours: f64,
    pub self_study_yearly_cap: f64,
    /// Research result, patent, standard, paper, book: hours per item.
    pub achievement_hours: f64,
    pub achievement_yearly_cap: f64,
    /// Aid assignment (援派、支教、支农、支医、扶贫) for a full year; part years pro rata by month.
    pub aid_assignment_year: HoursSplit,
    /// Abroad or sick leave over 6 months, maternity leave, for a full year; pro rata by month.
    pub long_leave_year: HoursSplit,
    /// Professional qualification exam passed: hours per exam (registration exams: per subject).
    pub qualification_exam_hours: f64,
    pub foreign_language: ForeignLanguageRates,
    /// Computer application exam: public hours per module.
    pub computer_exam_hours_per_module: f64,
    /// Pandemic front line (新冠防控一线): the year counts as complete.
    pub pandemic_completes_year: bool,
}

/// The whole policy of one (region, year).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub year: i32,
    pub annual: AnnualRequirement,
    /// Public required modules (公需必修课) total this many hours (Weihai 2023).
    pub required_public_hours: f64,
    /// Each public elective topic (选修专题) is worth this many hours.
    pub elective_hours_per_topic: f64,
    /// The learner elects at least this many elective hours.
    pub min_elective_hours: f64,
    /// Public hours from online study count at most this many a year (Qingdao 2023).
    pub online_public_cap: f64,
    pub exam_attempts: u32,
    /// Pass mark out of 100.
    pub pass_score: f64,
    /// Minutes of lecture per credit hour (一学时 = 45 分钟).
    pub minutes_per_credit_hour: u32,
    /// Granularity of watch tracking.
    pub segment_seconds: u32,
    pub max_playback_rate: f64,
    /// Fraction of a lecture that must be watched for it to count as completed.
    pub completion_threshold: f64,
    pub review_levels: Vec<ReviewLevel>,
    /// Whether a compliant year must also pass review before its certificate is issued.
    pub certificate_requires_review: bool,
    pub declaration: DeclarationRates,
    /// Contests and similar activities offset at most this much a year (Yantai 2020).
    pub contest_offset: HoursSplit,
    /// A teacher of an excellent online public course (优质在线公需课) earns this many times its hours.
    pub excellent_course_multiplier: f64,
    /// Years up to and including this one were judged in credits (学分制), not hours.
    pub credit_system_until_year: i32,
    pub credits_per_year_pre_2020: f64,
    /// Bases submit their yearly training plan (培训计划) by this day.
    pub training_plan_deadline: MonthDay,
    /// Title applications look at this many years: the application year and those before it.
    pub title_window_years: u32,
}

impl Policy {
    /// Shandong's numbers, as set by the notices of 2020–2024.
    pub fn shandong_default(year: i32) -> Policy {
        let full_year = HoursSplit { public: 30.0, professional: 60.0 };
        Policy {
            year,
            annual: AnnualRequirement { public: 30.0, professional: 60.0, total: 90.0 },
            required_public_hours: 20.0,
            elective_hours_per_topic: 5.0,
            min_elective_hours: 10.0,
            online_public_cap: 30.0,
            exam_attempts: 2,
            pass_score: 60.0,
            minutes_per_credit_hour: 45,
            segment_seconds: 10,
            max_playback_rate: 1.25,
            completion_threshold: 0.95,
            review_levels: vec![ReviewLevel::Employer, ReviewLevel::Department, ReviewLevel::HrBureau],
            certificate_requires_review: false,
            declaration: DeclarationRates {
                daily_hours_cap: 8.0,
                study_visit_hours: 10.0,
                self_study_hours: 10.0,
                self_study_yearly_cap: 40.0,
                achievement_hours: 10.0,
                achievement_yearly_cap: 30.0,
                aid_assignment_year: full_year,
                long_leave_year: full_year,
                qualification_exam_hours: 16.0,
                foreign_language: ForeignLanguageRates { level_a: 30.0, level_b: 20.0, level_c: 10.0, min_score: 60.0 },
                computer_exam_hours_per_module: 5.0,
                pandemic_completes_year: true,
            },
            contest_offset: HoursSplit { public: 5.0, professional: 30.0 },
            excellent_course_multiplier: 2.0,
            credit_system_until_year: 2019,
            credits_per_year_pre_2020: 20.0,
            training_plan_deadline: MonthDay { month: 5, day: 15 },
            title_window_years: 5,
        }
    }

    /// Every broken rule at once, so the admin can fix them in one go (422 with details).
    pub fn validate(&self) -> Result<(), Vec<PolicyViolation>> {
        validate::violations(self)
    }

    /// Whether `year` is judged in credits (学分) rather than hours (Binzhou 2024: up to 2019).
    pub fn uses_credit_system(&self, year: i32) -> bool {
        year <= self.credit_system_until_year
    }
}

/// Rounds to one decimal, the precision hours have everywhere (API numbers like 17.5).
pub fn round_hours(hours: f64) -> f64 {
    (hours * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests;
