//! Watching: play sessions, honest heartbeats, write-behind, course progress.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests: a failed expectation is the failure message
mod cheating;
mod durability;
mod fixture;
mod sessions;
