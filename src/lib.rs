//! xueshi: continuing-education hours (学时) for Shandong's professional technical personnel.
//! See README.md for the architecture; `rules` is pure, everything else does I/O.
pub mod archive;
pub mod audit;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod entities;
pub mod error;
pub mod exams;
pub mod identity;
pub mod institutions;
pub mod media;
pub mod orgs;
pub mod pages;
pub mod progress;
pub mod routes;
pub mod rules;
pub mod secrets;
pub mod startup;
pub mod state;
pub mod sync;
pub mod telemetry;
pub mod users;
