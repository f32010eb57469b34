//! Durable background jobs (后台任务): rows in `jobs`, claimed under a lease, retried with
//! backoff, survive restarts. `serve` runs a worker in process; `xueshi worker` runs one alone.
mod progress;
pub mod queue;
pub mod transcode;
pub mod view;
mod worker;

pub use worker::{run_forever, run_once, worker_id};
