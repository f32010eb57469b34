//! Question banks (题库), exam papers, timed attempts and the two-attempt rule.
pub mod bank_format;
pub mod paper;
