//! Continuing-education bases (继续教育基地) and the province: yearly training plans and their
//! review, the catalogue of training projects, offline classes with rosters and hours, the
//! excellent online public course selection, and knowledge-update statistics.
pub mod access;
pub mod attendance;
pub mod catalogue;
pub mod demo;
pub mod excellent;
pub mod fields;
pub mod plan_edit;
pub mod plan_input;
pub mod plan_review;
pub mod plans;
pub mod roster;
pub mod roster_file;
pub mod statistics;
pub mod statistics_xlsx;

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Today's date in China Standard Time (UTC+8): deadlines and class dates are local dates.
pub fn china_today(now: DateTime<Utc>) -> NaiveDate {
    (now + Duration::hours(8)).date_naive()
}
