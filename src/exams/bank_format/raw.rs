//! The format-neutral form of a question, before validation.

use serde::Deserialize;

use super::RowError;

/// Where a question came from, so that errors point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A spreadsheet row (header = row 1).
    Row(usize),
    /// The first text line of a CSV record.
    Line(usize),
    /// The 1-based position in a JSON/TOML `questions` list, and its line when known.
    Index { index: usize, line: Option<usize> },
}

impl Source {
    pub fn error(self, message: impl Into<String>) -> RowError {
        let message = message.into();
        match self {
            Self::Row(row) => RowError { row: Some(row), line: None, message },
            Self::Line(line) => RowError { row: None, line: Some(line), message },
            Self::Index { index, line } => {
                RowError { row: None, line, message: format!("question {index}: {message}") }
            }
        }
    }
}

/// The answer as written: a list (JSON/TOML) or one cell such as `AC`, `A,C` or `对`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawAnswer {
    List(Vec<String>),
    Cell(String),
}

/// 难度 as written: a number or a label.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RawDifficulty {
    Integer(i64),
    Float(f64),
    Text(String),
}

/// One question as read from a file, every field still unchecked.
#[derive(Debug, Clone, PartialEq)]
pub struct RawQuestion {
    pub source: Source,
    pub kind: String,
    pub stem: String,
    /// `(key, text)` pairs; spreadsheet columns A..F give all six, empty ones included.
    pub options: Vec<(String, String)>,
    pub answer: RawAnswer,
    pub knowledge_point: Option<String>,
    pub difficulty: Option<RawDifficulty>,
    /// Problems found while reading (a formula cell, a malformed field), reported with the rest.
    pub read_problems: Vec<String>,
}

/// A question in a JSON or TOML bank, as API.md documents it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileQuestion {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    stem: String,
    #[serde(default)]
    options: Vec<FileOption>,
    #[serde(default)]
    answer: Vec<String>,
    knowledge_point: Option<String>,
    difficulty: Option<RawDifficulty>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOption {
    key: String,
    text: String,
}

impl FileQuestion {
    pub fn into_raw(self, source: Source) -> RawQuestion {
        RawQuestion {
            source,
            kind: self.kind,
            stem: self.stem,
            options: self.options.into_iter().map(|o| (o.key, o.text)).collect(),
            answer: RawAnswer::List(self.answer),
            knowledge_point: self.knowledge_point,
            difficulty: self.difficulty,
            read_problems: Vec::new(),
        }
    }
}

/// What a reader found: the questions it could read, and the errors of those it could not.
#[derive(Debug, Default)]
pub struct ReadBank {
    pub questions: Vec<RawQuestion>,
    pub errors: Vec<RowError>,
}
