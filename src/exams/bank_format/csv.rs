//! CSV banks: a header line, then one question per record.

use std::borrow::Cow;

use super::raw::{ReadBank, Source};
use super::table::{Header, is_blank};
use super::text::strip_bom;
use super::{MAX_QUESTIONS, RowError};

pub fn read(bytes: &[u8]) -> Result<ReadBank, Vec<RowError>> {
    let text = decode(strip_bom(bytes))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut header: Option<Header> = None;
    let mut read = ReadBank::default();
    for record in reader.records() {
        let record = record.map_err(|error| vec![csv_error(&error)])?;
        let line = record.position().map_or(0, |position| position.line() as usize);
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if is_blank(&cells) {
            continue;
        }
        let Some(columns) = &header else {
            header = Some(Header::parse(&cells, Source::Line(line))?);
            continue;
        };
        if read.questions.len() == MAX_QUESTIONS {
            return Err(vec![RowError::file(format!("more than {MAX_QUESTIONS} questions"))]);
        }
        read.questions.push(columns.question(Source::Line(line), &cells, Vec::new()));
    }
    if header.is_none() {
        return Err(vec![RowError::file("the CSV file is empty")]);
    }
    Ok(read)
}

/// UTF-8, or else GBK/GB18030: what Excel's plain "CSV" export writes on Chinese Windows.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, Vec<RowError>> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| vec![RowError::file("the CSV file is neither UTF-8 nor GBK text")])
}

fn csv_error(error: &csv::Error) -> RowError {
    let line = error.position().map(|position| position.line() as usize);
    RowError { row: None, line, message: format!("malformed CSV: {error}") }
}
