//! Question-bank files (题库): JSON, TOML, CSV and .xlsx parsed into validated question drafts.
//!
//! Every format is first turned into [`RawQuestion`]s (plain strings and where they came from);
//! one validator then checks them all, so the four formats accept and refuse exactly the same
//! questions. A file with any error yields every error and no questions: never a partial bank.

mod csv;
mod json;
mod raw;
mod table;
mod text;
mod toml;
mod validate;
mod xlsx;
pub(crate) mod zip_guard;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

/// Largest bank file accepted, whatever its format.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Most questions one bank may hold; bounds the work and the error list.
pub const MAX_QUESTIONS: usize = 5_000;
/// Option keys of choice questions, in order.
pub const OPTION_KEYS: [&str; 6] = ["A", "B", "C", "D", "E", "F"];

/// The format of an uploaded bank file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankFileKind {
    Json,
    Toml,
    Csv,
    Xlsx,
}

impl BankFileKind {
    /// The kind for a file name such as `网络安全.xlsx` (extension only, case-insensitive).
    pub fn from_file_name(name: &str) -> Option<Self> {
        let (_, extension) = name.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "json" => Some(Self::Json),
            "toml" => Some(Self::Toml),
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }
}

/// 题型: single choice (单选), multiple choice (多选) or true/false (判断).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    Single,
    Multiple,
    Judge,
}

/// One option of a question: `key` is `A`..`F`, or `T`/`F` for judge questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OptionItem {
    pub key: String,
    pub text: String,
}

/// 难度: a level 1..=5 or a free label such as `易`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Difficulty {
    Level(u8),
    Label(String),
}

/// A validated question, ready to be stored in a bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionDraft {
    pub kind: QuestionKind,
    pub stem: String,
    /// Choice questions: `A`, `B`, ... in order. Judge questions: `T`=正确, `F`=错误.
    pub options: Vec<OptionItem>,
    /// Keys of the correct options, in option order.
    pub answer: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knowledge_point: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<Difficulty>,
}

/// One problem in a bank file. `row` is a spreadsheet row (header = row 1) or a CSV record's
/// row; `line` is a text line (CSV, JSON, TOML) when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
}

impl RowError {
    /// An error about the file as a whole.
    pub fn file(message: impl Into<String>) -> Self {
        Self { row: None, line: None, message: message.into() }
    }
}

/// Parses and validates a whole bank file. Either every question is valid and all are
/// returned, or every error found is returned.
pub fn parse_bank(kind: BankFileKind, bytes: &[u8]) -> Result<Vec<QuestionDraft>, Vec<RowError>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(vec![RowError::file(format!(
            "file is {} bytes; at most {MAX_FILE_BYTES} bytes (10 MiB) are accepted",
            bytes.len()
        ))]);
    }
    let raw = match kind {
        BankFileKind::Json => json::read(bytes)?,
        BankFileKind::Toml => toml::read(bytes)?,
        BankFileKind::Csv => csv::read(bytes)?,
        BankFileKind::Xlsx => xlsx::read(bytes)?,
    };
    validate::validate_all(raw)
}
