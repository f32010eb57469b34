//! sea-orm entities, one per table, no logic (that lives in the services).
pub mod audit_log;
pub mod certificate;
pub mod course;
pub mod course_cycle;
pub mod credit;
pub mod declaration;
pub mod declaration_evidence;
pub mod declaration_review;
pub mod job;
pub mod lecture;
pub mod lecture_progress;
pub mod login_throttle;
pub mod org;
pub mod policy;
pub mod user;
