//! What one simulated learner does, per scenario.

use std::time::{Duration, Instant};

use goose::prelude::*;
use serde_json::{Map, Value, json};

use crate::api::{Failure, call, fail, field, num_field, str_field};
use crate::{observed, settings};

/// Beats past the lecture's length before a learner gives up on completing it.
const EXTRA_BEATS: usize = 10;

/// How many times this goose user ran its scenario before (session data).
#[derive(Clone)]
struct Iteration(usize);

/// The fixture line of this goose user's current iteration: user `u` of `n` takes learners
/// `u`, `u + n`, `u + 2n`, ... (with `--iterations k`, `n * k` learners in all).
fn learner(user: &mut GooseUser) -> Result<&'static [String], Failure> {
    let users = user.config.users.unwrap_or(1).max(1);
    let iteration = match user.get_session_data_mut::<Iteration>() {
        Some(Iteration(n)) => {
            *n += 1;
            *n
        }
        None => {
            user.set_session_data(Iteration(0));
            0
        }
    };
    let index = iteration * users + user.weighted_users_index;
    settings().learners.get(index).map(Vec::as_slice).ok_or_else(|| {
        fail(format!("no fixture learner {index}: raise the fixture's --learners or lower -u / --iterations"))
    })
}

fn column(line: &[String], index: usize) -> Result<&str, Failure> {
    line.get(index).map(String::as_str).ok_or_else(|| fail(format!("fixture line too short: {line:?}")))
}

pub async fn hello(user: &mut GooseUser) -> TransactionResult {
    call(user, GooseMethod::Post, "/hello", "hello", None, Some(&json!({"position_s": 1.0}))).await?;
    Ok(())
}

/// Start, autosave, submit, back to back (`exams`): the database's exam throughput.
pub async fn exam_throughput(user: &mut GooseUser) -> TransactionResult {
    let line = learner(user)?;
    let (token, exam) = (column(line, 0)?, column(line, 1)?);
    let attempt = start_exam(user, token, exam).await?;
    let rounds = settings().autosaves;
    for round in 1..=rounds {
        autosave(user, token, &attempt, round, rounds).await?;
    }
    submit(user, token, &attempt).await?;
    Ok(())
}

/// One December learner: log in, watch the lecture to completion with heartbeats, take the
/// exam with autosaves, submit a few seconds before the deadline (or never, for some).
pub async fn december_learner(user: &mut GooseUser) -> TransactionResult {
    let line = learner(user)?;
    let (username, password) = (column(line, 0)?, column(line, 1)?);
    let (lecture, exam) = (column(line, 2)?, column(line, 3)?);
    let body = json!({"username": username, "password": password});
    let login = call(user, GooseMethod::Post, "/api/v1/auth/login", "login", None, Some(&body)).await?;
    let token = str_field(&login, "token")?;
    watch(user, &token, lecture, username).await?;
    let attempt = start_exam(user, &token, exam).await?;
    let settings = settings();
    let submit_at =
        attempt.started + Duration::from_secs_f64((attempt.remaining_s - settings.submit_margin_s).max(0.0));
    let rounds = settings.autosaves;
    for round in 1..=rounds {
        let share = round as f64 / (rounds + 1) as f64;
        tokio::time::sleep_until((attempt.started + (submit_at - attempt.started).mul_f64(share)).into()).await;
        autosave(user, &token, &attempt, round, rounds).await?;
    }
    tokio::time::sleep_until(submit_at.into()).await;
    if (attempt.id as usize) % 100 < settings.abandon_pct {
        observed::record(format!("abandoned {}", attempt.id));
        return Ok(());
    }
    let outcome = submit(user, &token, &attempt).await?;
    let passed = field(&outcome, "passed")?.as_bool().unwrap_or(false);
    observed::record(format!("submitted {} {passed}", attempt.id));
    Ok(())
}

/// Plays the lecture at 1x from where the server says to resume, beating every
/// `BEAT_EVERY_S`, until a beat answers `completed`.
async fn watch(user: &mut GooseUser, token: &str, lecture: &str, username: &str) -> Result<(), Failure> {
    let play_path = format!("/api/v1/lectures/{lecture}/play");
    let play = call(user, GooseMethod::Post, &play_path, "play", Some(token), None).await?;
    let beat_path = format!("/api/v1/play/{}/beat", str_field(&play, "session_id")?);
    let (resume_s, duration_s) = (num_field(&play, "resume_s")?, num_field(&play, "duration_s")?);
    let every_s = settings().beat_every_s;
    let beats = (duration_s / every_s).ceil() as usize + EXTRA_BEATS;
    let started = Instant::now();
    for _ in 0..beats {
        let position_s = (resume_s + started.elapsed().as_secs_f64()).min(duration_s);
        let body = json!({"position_s": position_s});
        let beat = call(user, GooseMethod::Post, &beat_path, "beat", Some(token), Some(&body)).await?;
        if beat.get("completed").and_then(Value::as_bool) == Some(true) {
            observed::record(format!("completed {username}"));
            return Ok(());
        }
        tokio::time::sleep(Duration::from_secs_f64(every_s)).await;
    }
    Err(fail(format!("{username}: lecture {lecture} not completed after {beats} beats")))
}

struct Attempt {
    id: i64,
    started: Instant,
    remaining_s: f64,
    /// (question id, option keys) in paper order.
    questions: Vec<(String, Vec<String>, bool)>,
    seed: u64,
}

async fn start_exam(user: &mut GooseUser, token: &str, exam: &str) -> Result<Attempt, Failure> {
    let started = Instant::now();
    let path = format!("/api/v1/exams/{exam}/attempts");
    let paper = call(user, GooseMethod::Post, &path, "exam_start", Some(token), None).await?;
    let id = field(&paper, "attempt_id")?.as_i64().ok_or_else(|| fail("attempt_id is not a number"))?;
    let questions = field(&paper, "questions")?.as_array().ok_or_else(|| fail("questions is not a list"))?;
    let questions = questions.iter().map(question).collect::<Result<_, _>>()?;
    let remaining_s = num_field(&paper, "remaining_s")?;
    Ok(Attempt { id, started, remaining_s, questions, seed: id as u64 ^ 0x9E37_79B9_7F4A_7C15 })
}

fn question(q: &Value) -> Result<(String, Vec<String>, bool), Failure> {
    let id = field(q, "id")?.to_string();
    let keys = field(q, "options")?.as_array().into_iter().flatten();
    let keys = keys.filter_map(|o| o.get("key").and_then(Value::as_str).map(str::to_owned)).collect();
    Ok((id, keys, field(q, "kind")?.as_str() == Some("multiple")))
}

/// Saves the whole sheet with the first `round / rounds` of the questions answered.
async fn autosave(
    user: &mut GooseUser,
    token: &str,
    attempt: &Attempt,
    round: usize,
    rounds: usize,
) -> Result<(), Failure> {
    let answered = attempt.questions.len() * round / rounds.max(1);
    let mut sheet = Map::new();
    let mut random = attempt.seed;
    for (id, keys, multiple) in attempt.questions.iter().take(answered) {
        let picks = if *multiple { 2 } else { 1 };
        let mut chosen: Vec<String> = (0..picks).filter_map(|_| pick(&mut random, keys)).collect();
        chosen.sort();
        chosen.dedup();
        sheet.insert(id.clone(), json!(chosen));
    }
    let path = format!("/api/v1/attempts/{}/answers", attempt.id);
    call(user, GooseMethod::Put, &path, "exam_autosave", Some(token), Some(&json!({"answers": sheet}))).await?;
    Ok(())
}

async fn submit(user: &mut GooseUser, token: &str, attempt: &Attempt) -> Result<Value, Failure> {
    let path = format!("/api/v1/attempts/{}/submit", attempt.id);
    call(user, GooseMethod::Post, &path, "exam_submit", Some(token), None).await
}

/// A learner guessing: xorshift, seeded per learner, so runs are repeatable.
fn pick(state: &mut u64, keys: &[String]) -> Option<String> {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    keys.get((*state % keys.len().max(1) as u64) as usize).cloned()
}
