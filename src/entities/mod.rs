//! sea-orm entities, one per table, no logic (that lives in the services).
pub mod audit_log;
pub mod course;
pub mod course_cycle;
pub mod credit;
pub mod exam;
pub mod exam_attempt;
pub mod job;
pub mod lecture;
pub mod lecture_progress;
pub mod login_throttle;
pub mod org;
pub mod policy;
pub mod question;
pub mod question_bank;
pub mod user;
