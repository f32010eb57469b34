//! Question banks (题库), exam papers, timed attempts and the two-attempt rule.
//!
//! A request reads: `routes::exams` -> `attempts` / `answers` / `grading` (load, decide with
//! `rules::exam_policy`, write) -> `entities`. `paper` and `bank_format` are pure.
pub mod answers;
pub mod attempts;
pub mod bank_format;
pub mod banks;
pub mod cycle;
pub mod demo;
pub mod grading;
pub mod overview;
pub mod paper;
pub mod question_cache;
mod records;
pub mod setup;
pub mod sweeper;

pub use setup::{ExamSummary, exam_summary};
