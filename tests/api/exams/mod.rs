//! Question banks, exams, attempts and the two-attempt rule, end to end.
mod attempts;
mod banks;
mod constraints;
mod races;
mod restudy;
mod world;
