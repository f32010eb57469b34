//! Counting the ledger with the yearly caps of the policy applied.

use std::collections::HashMap;

use super::{Category, Credit, CreditSource, PublicSubkind};
use crate::rules::declaration_value::DeclarationKind;
use crate::rules::policy::{HoursSplit, Policy, round_hours};

/// Hours that count, per category and public subkind.
#[derive(Debug, Default)]
pub(super) struct Counted {
    pub public: f64,
    pub professional: f64,
    pub required_public: f64,
    pub elective_public: f64,
}

/// The capped groups of credits: each has a yearly ceiling shared by its credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Bucket {
    OnlinePublic,
    SelfStudy,
    Achievement,
    Contest(Category),
    AidAssignment(Category),
    LongLeave(Category),
}

impl Bucket {
    fn of(credit: &Credit) -> Option<Bucket> {
        use DeclarationKind::*;
        match credit.source {
            CreditSource::CoursePass { online: true } if credit.category == Category::Public => {
                Some(Bucket::OnlinePublic)
            }
            CreditSource::Declaration { kind } => match kind {
                SelfStudy => Some(Bucket::SelfStudy),
                Achievement => Some(Bucket::Achievement),
                Contest => Some(Bucket::Contest(credit.category)),
                AidAssignment => Some(Bucket::AidAssignment(credit.category)),
                LongLeave => Some(Bucket::LongLeave(credit.category)),
                _ => None,
            },
            _ => None,
        }
    }

    fn cap(self, policy: &Policy) -> f64 {
        let rates = &policy.declaration;
        let of = |split: HoursSplit, category| match category {
            Category::Public => split.public,
            Category::Professional => split.professional,
        };
        match self {
            Bucket::OnlinePublic => policy.online_public_cap,
            Bucket::SelfStudy => rates.self_study_yearly_cap,
            Bucket::Achievement => rates.achievement_yearly_cap,
            Bucket::Contest(category) => of(policy.contest_offset, category),
            // However the months were declared, a year holds at most a full year's hours.
            Bucket::AidAssignment(category) => of(rates.aid_assignment_year, category),
            Bucket::LongLeave(category) => of(rates.long_leave_year, category),
        }
    }
}

impl Counted {
    /// Credit-system years: every credit counts as recorded.
    pub fn uncapped(credits: &[Credit]) -> Counted {
        let mut counted = Counted::default();
        for credit in credits {
            counted.add(credit, credit.hours);
        }
        counted.rounded()
    }

    /// Hour-system years: caps applied in ledger order, required modules first so that the
    /// online cap trims electives before required modules.
    pub fn capped(policy: &Policy, credits: &[Credit]) -> Counted {
        let mut ordered: Vec<&Credit> = credits.iter().collect();
        ordered.sort_by_key(|credit| credit.public_subkind != Some(PublicSubkind::Required));
        let mut used: HashMap<Bucket, f64> = HashMap::new();
        let mut counted = Counted::default();
        for credit in ordered {
            let mut hours = credit.hours;
            if credit.source == CreditSource::ExcellentCourse {
                hours *= policy.excellent_course_multiplier;
            }
            if let Some(bucket) = Bucket::of(credit) {
                let used = used.entry(bucket).or_default();
                hours = hours.min((bucket.cap(policy) - *used).max(0.0));
                *used += hours;
            }
            counted.add(credit, hours);
        }
        counted.rounded()
    }

    fn add(&mut self, credit: &Credit, hours: f64) {
        match credit.category {
            Category::Professional => self.professional += hours,
            Category::Public => {
                self.public += hours;
                match credit.public_subkind {
                    Some(PublicSubkind::Required) => self.required_public += hours,
                    Some(PublicSubkind::Elective) => self.elective_public += hours,
                    None => {}
                }
            }
        }
    }

    fn rounded(self) -> Counted {
        Counted {
            public: round_hours(self.public),
            professional: round_hours(self.professional),
            required_public: round_hours(self.required_public),
            elective_public: round_hours(self.elective_public),
        }
    }
}
