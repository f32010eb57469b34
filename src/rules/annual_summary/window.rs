//! The rolling window of title applications (近五年滚动管理, Qingdao 2023): applying in 2023
//! looks at 2019–2023; a career shorter than the window looks at its own years only.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::AnnualSummary;
use crate::rules::policy::Policy;

/// One year of the window, as `GET /me/archive/five-year` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowYear {
    pub year: i32,
    pub public_hours: f64,
    pub professional_hours: f64,
    pub total_hours: f64,
    pub compliant: bool,
    pub credit_system: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TitleWindow {
    pub from_year: i32,
    pub until_year: i32,
    /// Oldest first; a year without a summary is listed with no hours, not compliant.
    pub years: Vec<WindowYear>,
    /// Every year of the window is compliant (and there is at least one year).
    pub all_compliant: bool,
}

/// The years to summarise for an application in `until_year`: the policy's window
/// (5 years) ending there, starting no earlier than the career did.
pub fn window_years(policy: &Policy, until_year: i32, career_start_year: Option<i32>) -> RangeInclusive<i32> {
    let span = i32::try_from(policy.title_window_years).unwrap_or(i32::MAX);
    let window_start = until_year.saturating_sub(span.saturating_sub(1));
    let from_year = career_start_year.map_or(window_start, |start| start.max(window_start));
    from_year..=until_year
}

/// The window's rows from the summaries at hand (years outside the window are ignored).
pub fn five_year_window(
    policy: &Policy,
    until_year: i32,
    career_start_year: Option<i32>,
    summaries: &[AnnualSummary],
) -> TitleWindow {
    let years = window_years(policy, until_year, career_start_year);
    let from_year = *years.start();
    let rows: Vec<WindowYear> = years
        .map(|year| {
            summaries.iter().find(|summary| summary.year == year).map_or_else(|| empty_year(policy, year), row_of)
        })
        .collect();
    let all_compliant = !rows.is_empty() && rows.iter().all(|row| row.compliant);
    TitleWindow { from_year, until_year, years: rows, all_compliant }
}

fn row_of(summary: &AnnualSummary) -> WindowYear {
    WindowYear {
        year: summary.year,
        public_hours: summary.public_hours,
        professional_hours: summary.professional_hours,
        total_hours: summary.total_hours,
        compliant: summary.compliant,
        credit_system: summary.credit_system,
    }
}

fn empty_year(policy: &Policy, year: i32) -> WindowYear {
    WindowYear {
        year,
        public_hours: 0.0,
        professional_hours: 0.0,
        total_hours: 0.0,
        compliant: false,
        credit_system: policy.uses_credit_system(year),
    }
}
