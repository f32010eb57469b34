//! What the simulated learners were told (a completion, a submitted attempt and its result),
//! written to `LOAD_OBSERVED` for the reconciliation against the database.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

static LINES: OnceLock<Mutex<Vec<String>>> = OnceLock::new();

pub fn record(line: String) {
    let lines = LINES.get_or_init(Mutex::default);
    lines.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(line);
}

/// Writes every recorded line; the reconciliation fails loudly if the file is missing.
pub fn flush() {
    let Ok(path) = std::env::var("LOAD_OBSERVED") else { return };
    let lines = LINES.get_or_init(Mutex::default);
    let lines = lines.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let written =
        std::fs::File::create(&path).and_then(|mut file| lines.iter().try_for_each(|line| writeln!(file, "{line}")));
    if let Err(error) = written {
        eprintln!("cannot write LOAD_OBSERVED {path}: {error}");
    }
}
