//! sea-orm entities, one per table, no logic (that lives in the services).
pub mod audit_log;
pub mod login_throttle;
pub mod org;
pub mod user;
