//! Question banks, exams, attempts and the two-attempt rule, end to end.
// Tests fail loudly on the first surprise; that is what unwrap is for here.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod attempts;
mod banks;
mod constraints;
mod races;
mod restudy;
pub mod world;
