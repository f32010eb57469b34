//! Scripted faults and hostile input against the real binary (`CARGO_BIN_EXE_xueshi`) run as a
//! child process, with this test's OWN redis-server and PostgreSQL cluster on free ports in a
//! temporary directory (the shared services are never touched): Redis killed and flushed
//! mid-lecture, PostgreSQL restarted during submits and during progress flushes, the app
//! SIGKILLed mid-exam; then hostile uploads with the app's peak memory measured.
//! Without redis-server or PostgreSQL binaries the service scenarios print SKIPPED, or fail
//! when `XUESHI_REQUIRE_SERVICES=1`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod app;
mod app_kill;
mod client;
mod hostile;
mod postgres_restart;
mod redis_loss;
#[path = "../common/rows.rs"]
mod rows;
mod services;
mod world;
