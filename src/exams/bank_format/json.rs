//! JSON banks: `{"questions": [{"kind", "stem", "options": [{"key", "text"}], "answer": [..]}]}`.

use serde::Deserialize;

use super::RowError;
use super::raw::{FileQuestion, ReadBank, Source};
use super::text::strip_bom;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonBank {
    questions: Vec<serde_json::Value>,
}

pub fn read(bytes: &[u8]) -> Result<ReadBank, Vec<RowError>> {
    // Each question is decoded on its own so that one malformed question does not hide the others.
    let bank: JsonBank = serde_json::from_slice(strip_bom(bytes)).map_err(|error| {
        vec![RowError {
            row: None,
            line: Some(error.line()).filter(|line| *line > 0),
            message: format!("not a valid JSON bank: {error}"),
        }]
    })?;
    let mut read = ReadBank::default();
    for (position, value) in bank.questions.into_iter().enumerate() {
        let source = Source::Index { index: position + 1, line: None };
        match serde_json::from_value::<FileQuestion>(value) {
            Ok(question) => read.questions.push(question.into_raw(source)),
            Err(error) => read.errors.push(source.error(error.to_string())),
        }
    }
    Ok(read)
}
