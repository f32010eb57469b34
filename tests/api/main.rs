//! Integration tests: each starts the real app on a random port with its own fresh database
//! (SQLite always; PostgreSQL + Redis too whenever they answer), so they run in parallel.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod archive;
mod auth;
mod authz_cross;
mod authz_matrix;
mod course_pages;
mod courses;
mod declarations;
mod declarations_annual;
mod demo;
mod exams;
mod helpers;
mod institutions;
mod page_session;
mod pages;
mod pages_inst;
mod pages_more;
mod pages_study;
#[path = "../common/rows.rs"]
mod rows;
mod watching;
