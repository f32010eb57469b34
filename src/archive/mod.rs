//! The learning archive (学习档案): the credit ledger, yearly policies and summaries.
pub mod ledger;
pub mod policy_store;
pub mod summary;
