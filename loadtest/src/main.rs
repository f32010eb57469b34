//! xueshi's load tool (goose). One binary, three scenarios chosen by `LOAD_SCENARIO`:
//!
//! - `december`: simulated learners log in, open a play session and send heartbeats until the
//!   lecture completes, start the exam, autosave, and submit near the deadline (some never
//!   submit: the sweeper must grade them). Fixture lines `<username> <password> <lecture> <exam>`.
//! - `exams`: start / autosave / submit back to back, for throughput. Lines `<token> <exam>`.
//! - `hello`: POST /hello of `examples/hello.rs`, the reference measured in the same run.
//!
//! Goose options come from the command line (`-H`, `-u`, `-r`, `--iterations`, `-t`, ...);
//! the scenario's own from the environment (see [`Settings`]). What the learners observed
//! (completions, submitted attempts) is written to `LOAD_OBSERVED` for the reconciliation.
//! At the end a table prints, per operation, requests, failures, req/s, p50 and p99.

mod api;
mod journeys;

use journeys::{december_learner, exam_throughput, hello};
mod observed;
mod summary;

use std::sync::OnceLock;

use goose::prelude::*;

/// The scenario's settings, read once from the environment.
#[derive(Debug)]
pub struct Settings {
    pub scenario: String,
    /// Fixture lines, one per simulated learner (by goose user index).
    pub learners: Vec<Vec<String>>,
    /// Seconds between two heartbeats (december).
    pub beat_every_s: f64,
    /// Autosaves per attempt.
    pub autosaves: usize,
    /// Submit this many seconds before the deadline (december).
    pub submit_margin_s: f64,
    /// Percent of learners who never submit (december).
    pub abandon_pct: usize,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

pub fn settings() -> &'static Settings {
    SETTINGS.get_or_init(Settings::from_env)
}

impl Settings {
    fn from_env() -> Self {
        let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
        let fixture = std::env::var("LOAD_FIXTURE").ok();
        let learners = fixture
            .map(|path| std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("LOAD_FIXTURE {path}: {e}")))
            .unwrap_or_default()
            .lines()
            .map(|line| line.split_whitespace().map(str::to_owned).collect())
            .collect();
        Self {
            scenario: var("LOAD_SCENARIO", "december"),
            learners,
            beat_every_s: var("BEAT_EVERY_S", "5").parse().unwrap_or(5.0),
            autosaves: var("AUTOSAVES", "3").parse().unwrap_or(3),
            submit_margin_s: var("SUBMIT_MARGIN_S", "5").parse().unwrap_or(5.0),
            abandon_pct: var("ABANDON_PCT", "10").parse().unwrap_or(10),
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), GooseError> {
    let settings = settings();
    let scenario = match settings.scenario.as_str() {
        "hello" => scenario!("hello").register_transaction(transaction!(hello)),
        "exams" => scenario!("exams").register_transaction(transaction!(exam_throughput)),
        "december" => scenario!("december").register_transaction(transaction!(december_learner)),
        other => panic!("LOAD_SCENARIO must be december, exams or hello, not {other}"),
    };
    let started = std::time::Instant::now();
    let metrics = GooseAttack::initialize()?
        .register_scenario(scenario)
        .set_default(GooseDefault::NoTelnet, true)?
        .set_default(GooseDefault::NoPrintMetrics, true)?
        .execute()
        .await?;
    observed::flush();
    summary::print(&settings.scenario, &metrics, started.elapsed());
    Ok(())
}
