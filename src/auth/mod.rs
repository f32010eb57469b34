//! Authentication (who you are) and the role half of authorisation. Scope (which
//! organisations you may see) lives in `crate::orgs::scope`.
pub mod cache;
pub mod extractor;
pub mod jwt;
pub mod password;
pub mod role;
pub mod service;
pub mod throttle;

pub use extractor::{AuthUser, Require};
pub use role::Role;
