//! Organisations and the scope boundary every reviewer endpoint goes through.
pub mod scope;
pub mod service;
