//! Browser tests: headless Chromium (Debian's chromium + chromium-driver) at a phone's
//! 375x812 viewport, driven over WebDriver with fantoccini. Each test saves screenshots under
//! target/screenshots/ so a person can look at what a learner sees.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod admin;
mod base_courses;
mod declarations;
mod driver;
mod exam;
#[path = "../api/institutions/fixtures.rs"]
mod fixtures;
#[path = "../api/helpers.rs"]
mod helpers;
mod learner;
mod plans;
#[path = "../common/rows.rs"]
mod rows;
mod steps;
mod study;
mod wide;
#[path = "../api/exams/world.rs"]
#[allow(dead_code)]
mod world;
