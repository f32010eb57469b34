//! A learner's yearly completion (年度完成情况) read from the raw credit ledger.
//!
//! The ledger keeps every credit as earned; the caps of the policy are applied here, when
//! reading, so a changed policy changes the summary without rewriting history. Years up to
//! `credit_system_until_year` are judged in credits (学分制, Binzhou 2024).

mod caps;
mod window;

use serde::{Deserialize, Serialize};

use super::declaration_value::DeclarationKind;
use super::policy::{AnnualRequirement, Policy, round_hours};

pub use window::{TitleWindow, WindowYear, five_year_window, window_years};

/// 公需科目 or 专业科目.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Public,
    Professional,
}

/// Public courses are required modules (必修) or elective topics (选修), Weihai 2023.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicSubkind {
    Required,
    Elective,
}

/// Where a credit came from; decides which cap applies to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum CreditSource {
    /// A course's exam passed; `online` public hours share the yearly online cap.
    CoursePass { online: bool },
    /// An approved declaration; a declaration worth public and professional hours is two credits.
    Declaration { kind: DeclarationKind },
    /// An offline class recorded by a base (线下培训).
    OfflineClass,
    /// Teacher of an excellent online public course: `hours` are the course's own hours,
    /// multiplied by the policy when read.
    ExcellentCourse,
    /// Imported from another platform or converted from old records.
    Conversion,
}

/// One row of the ledger. In credit-system years `hours` holds credits (学分).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Credit {
    pub category: Category,
    pub public_subkind: Option<PublicSubkind>,
    pub source: CreditSource,
    pub hours: f64,
}

/// What is missing for compliance; zero where nothing is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Shortfall {
    pub public: f64,
    pub professional: f64,
    pub total: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualSummary {
    pub year: i32,
    pub public_hours: f64,
    pub professional_hours: f64,
    pub total_hours: f64,
    /// Counted public hours from required modules and from elective topics.
    pub required_public_hours: f64,
    pub elective_public_hours: f64,
    /// Required modules done and enough electives (20 + 10 in Weihai). For information:
    /// public hours from other sources (a foreign-language exam) satisfy the requirement too.
    pub public_split_met: bool,
    pub required: AnnualRequirement,
    pub compliant: bool,
    /// The year counts as complete by declaration (pandemic front line), whatever the hours.
    pub completed_by_declaration: bool,
    pub shortfall: Shortfall,
    /// Judged in credits: the hours fields hold credits and only the total is required.
    pub credit_system: bool,
}

/// The summary of `year` from that year's ledger rows, best kept in the order credited
/// (when a cap is hit the earlier credits count first).
pub fn summarize(policy: &Policy, year: i32, credits: &[Credit]) -> AnnualSummary {
    let completed_by_declaration = policy.declaration.pandemic_completes_year
        && credits
            .iter()
            .any(|credit| credit.source == CreditSource::Declaration { kind: DeclarationKind::PandemicFrontline });
    let credit_system = policy.uses_credit_system(year);
    let counted = if credit_system { caps::Counted::uncapped(credits) } else { caps::Counted::capped(policy, credits) };
    let required = if credit_system {
        AnnualRequirement { public: 0.0, professional: 0.0, total: policy.credits_per_year_pre_2020 }
    } else {
        policy.annual
    };
    let total = round_hours(counted.public + counted.professional);
    let shortfall = if completed_by_declaration {
        Shortfall::default()
    } else {
        Shortfall {
            public: missing(required.public, counted.public),
            professional: missing(required.professional, counted.professional),
            total: missing(required.total, total),
        }
    };
    AnnualSummary {
        year,
        public_hours: round_hours(counted.public),
        professional_hours: round_hours(counted.professional),
        total_hours: total,
        required_public_hours: round_hours(counted.required_public),
        elective_public_hours: round_hours(counted.elective_public),
        public_split_met: credit_system
            || (counted.required_public >= policy.required_public_hours
                && counted.elective_public >= policy.min_elective_hours),
        required,
        compliant: shortfall == Shortfall::default(),
        completed_by_declaration,
        shortfall,
        credit_system,
    }
}

fn missing(required: f64, counted: f64) -> f64 {
    round_hours((required - counted).max(0.0))
}

#[cfg(test)]
mod tests;
