//! TOML banks: the JSON structure written as `[[questions]]` tables.

use serde::Deserialize;
use toml::Spanned;

use super::RowError;
use super::raw::{FileQuestion, ReadBank, Source};
use super::text::{line_of_offset, strip_bom};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlBank {
    questions: Vec<Spanned<toml::Value>>,
}

pub fn read(bytes: &[u8]) -> Result<ReadBank, Vec<RowError>> {
    let text =
        std::str::from_utf8(strip_bom(bytes)).map_err(|_| vec![RowError::file("a TOML bank must be UTF-8 text")])?;
    let bank: TomlBank = toml::from_str(text).map_err(|error| {
        vec![RowError {
            row: None,
            line: error.span().map(|span| line_of_offset(text, span.start)),
            message: format!("not a valid TOML bank: {}", error.message()),
        }]
    })?;
    let mut read = ReadBank::default();
    for (position, spanned) in bank.questions.into_iter().enumerate() {
        let line = Some(line_of_offset(text, spanned.span().start));
        let source = Source::Index { index: position + 1, line };
        match spanned.into_inner().try_into::<FileQuestion>() {
            Ok(question) => read.questions.push(question.into_raw(source)),
            Err(error) => read.errors.push(source.error(error.message().trim().to_string())),
        }
    }
    Ok(read)
}
