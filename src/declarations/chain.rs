//! The review chain (逐级审核) as data: which level decides now, which role sits there, and
//! where a decision moves the declaration. Pure, so it is tested without a server.
use serde::{Deserialize, Serialize};

use crate::{auth::Role, rules::policy::ReviewLevel};

pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const REJECTED: &str = "rejected";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
        }
    }
}

/// Where a decision leaves the declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Approved here; the next level decides.
    NextLevel(i32),
    /// Approved at the last level: credit the ledger.
    Approved,
    Rejected,
}

pub fn next_step(chain_len: usize, level: i32, decision: Decision) -> Step {
    match decision {
        Decision::Reject => Step::Rejected,
        Decision::Approve if usize::try_from(level + 1).is_ok_and(|next| next < chain_len) => {
            Step::NextLevel(level + 1)
        }
        Decision::Approve => Step::Approved,
    }
}

pub fn level_name(level: ReviewLevel) -> &'static str {
    match level {
        ReviewLevel::Employer => "employer",
        ReviewLevel::Department => "department",
        ReviewLevel::HrBureau => "hr_bureau",
    }
}

fn parse_level(s: &str) -> Option<ReviewLevel> {
    match s {
        "employer" => Some(ReviewLevel::Employer),
        "department" => Some(ReviewLevel::Department),
        "hr_bureau" => Some(ReviewLevel::HrBureau),
        _ => None,
    }
}

/// The chain as stored on a declaration: `employer,department,hr_bureau`.
pub fn encode(levels: &[ReviewLevel]) -> String {
    levels.iter().map(|l| level_name(*l)).collect::<Vec<_>>().join(",")
}

pub fn decode(stored: &str) -> Vec<ReviewLevel> {
    stored.split(',').filter_map(parse_level).collect()
}

/// The role that decides at a level.
pub fn role_for(level: ReviewLevel) -> Role {
    match level {
        ReviewLevel::Employer => Role::EmployerAdmin,
        ReviewLevel::Department => Role::DepartmentAdmin,
        ReviewLevel::HrBureau => Role::HrAdmin,
    }
}

/// The level deciding a pending declaration now; `None` once decided.
pub fn current_level(status: &str, chain: &str, level: i32) -> Option<ReviewLevel> {
    if status != PENDING {
        return None;
    }
    usize::try_from(level).ok().and_then(|i| decode(chain).get(i).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "employer,department,hr_bureau";

    #[test]
    fn approvals_climb_the_chain_and_end_final() {
        assert_eq!(next_step(3, 0, Decision::Approve), Step::NextLevel(1));
        assert_eq!(next_step(3, 1, Decision::Approve), Step::NextLevel(2));
        assert_eq!(next_step(3, 2, Decision::Approve), Step::Approved);
        assert_eq!(next_step(1, 0, Decision::Approve), Step::Approved);
        assert_eq!(next_step(3, 1, Decision::Reject), Step::Rejected);
    }

    #[test]
    fn chain_round_trips_and_maps_levels_to_roles() {
        let levels = decode(FULL);
        assert_eq!(levels, vec![ReviewLevel::Employer, ReviewLevel::Department, ReviewLevel::HrBureau]);
        assert_eq!(encode(&levels), FULL);
        let roles: Vec<Role> = levels.into_iter().map(role_for).collect();
        assert_eq!(roles, vec![Role::EmployerAdmin, Role::DepartmentAdmin, Role::HrAdmin]);
    }

    #[test]
    fn only_pending_declarations_have_a_deciding_level() {
        assert_eq!(current_level(PENDING, FULL, 1), Some(ReviewLevel::Department));
        assert_eq!(current_level(PENDING, FULL, 3), None);
        assert_eq!(current_level(PENDING, FULL, -1), None);
        assert_eq!(current_level(APPROVED, FULL, 0), None);
        assert_eq!(current_level(REJECTED, FULL, 0), None);
    }
}
