//! .xlsx banks: the first worksheet, laid out like the CSV format.
//!
//! The sheet is streamed cell by cell (never materialised as a range), so a cell at
//! XFD1048576 is refused without allocating a million-row grid.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Dimensions, Reader, Xlsx, XlsxCellReader};

use super::raw::{ReadBank, Source};
use super::table::{Header, is_blank};
use super::{RowError, zip_guard};

pub const MAX_SHEET_ROWS: u32 = 10_000;
pub const MAX_SHEET_COLUMNS: u32 = 30;

/// One worksheet row: cell texts by column, and the problems of its cells.
#[derive(Debug, Default)]
struct SheetRow {
    cells: Vec<String>,
    problems: Vec<String>,
}

pub fn read(bytes: &[u8]) -> Result<ReadBank, Vec<RowError>> {
    zip_guard::check(bytes).map_err(|refusal| vec![RowError::file(refusal)])?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let first_sheet = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| vec![RowError::file("the workbook has no worksheet")])?;
    let mut cells = workbook.worksheet_cells_reader(&first_sheet).map_err(unreadable)?;
    check_declared_dimensions(cells.dimensions())?;
    let rows = collect_rows(&mut cells)?;
    questions_from_rows(rows)
}

fn unreadable(error: calamine::XlsxError) -> Vec<RowError> {
    vec![RowError::file(format!("cannot read the .xlsx file: {error}"))]
}

fn too_large(what: String) -> Vec<RowError> {
    vec![RowError::file(format!(
        "{what}; a bank sheet may use at most {MAX_SHEET_ROWS} rows x {MAX_SHEET_COLUMNS} columns"
    ))]
}

fn check_declared_dimensions(dimensions: Dimensions) -> Result<(), Vec<RowError>> {
    let (last_row, last_column) = dimensions.end;
    if last_row >= MAX_SHEET_ROWS || last_column >= MAX_SHEET_COLUMNS {
        return Err(too_large(format!(
            "the sheet spans {} rows x {} columns",
            u64::from(last_row) + 1,
            u64::from(last_column) + 1
        )));
    }
    Ok(())
}

/// Reads every cell, refusing any outside the limits: the declared dimension may lie.
fn collect_rows<R: std::io::Read + std::io::Seek>(
    cells: &mut XlsxCellReader<'_, R>,
) -> Result<BTreeMap<u32, SheetRow>, Vec<RowError>> {
    let mut rows: BTreeMap<u32, SheetRow> = BTreeMap::new();
    while let Some(cell) = cells.next_cell_with_formula_metadata().map_err(unreadable)? {
        let (row, column) = cell.pos;
        if row >= MAX_SHEET_ROWS || column >= MAX_SHEET_COLUMNS {
            return Err(too_large(format!("cell {} lies outside the allowed area", cell_name(row, column))));
        }
        let sheet_row = rows.entry(row).or_default();
        if cell.formula.is_some() {
            sheet_row.problems.push(format!(
                "cell {} contains a formula; formulas are not accepted, paste the values instead",
                cell_name(row, column)
            ));
        }
        let text = cell_text(&cell.value).unwrap_or_else(|error_value| {
            let name = cell_name(row, column);
            sheet_row.problems.push(format!("cell {name} holds the error value {error_value}"));
            String::new()
        });
        let index = column as usize;
        if sheet_row.cells.len() <= index {
            sheet_row.cells.resize(index + 1, String::new());
        }
        sheet_row.cells[index] = text;
    }
    Ok(rows)
}

fn questions_from_rows(rows: BTreeMap<u32, SheetRow>) -> Result<ReadBank, Vec<RowError>> {
    let mut header: Option<Header> = None;
    let mut read = ReadBank::default();
    for (row, sheet_row) in rows {
        let source = Source::Row(row as usize + 1);
        if is_blank(&sheet_row.cells) && sheet_row.problems.is_empty() {
            continue;
        }
        match &header {
            None => header = Some(Header::parse(&sheet_row.cells, source)?),
            Some(columns) => read.questions.push(columns.question(source, &sheet_row.cells, sheet_row.problems)),
        }
    }
    if header.is_none() {
        return Err(vec![RowError::file("the first worksheet is empty")]);
    }
    Ok(read)
}

/// The text of a cell; `Err` carries an Excel error value such as `#DIV/0!`.
fn cell_text(value: &DataRef<'_>) -> Result<String, String> {
    Ok(match value {
        DataRef::Empty => String::new(),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => text.clone(),
        DataRef::SharedString(text) => (*text).to_string(),
        DataRef::Int(number) => number.to_string(),
        // Excel stores every number as a float: difficulty 3 arrives as 3.0.
        DataRef::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => (*number as i64).to_string(),
        DataRef::Float(number) => number.to_string(),
        DataRef::Bool(true) => "TRUE".to_string(),
        DataRef::Bool(false) => "FALSE".to_string(),
        DataRef::DateTime(date_time) => date_time.to_string(),
        DataRef::Error(error) => return Err(error.to_string()),
    })
}

/// `A1`-style name of a zero-based cell position (columns stay below 30, so at most two letters).
fn cell_name(row: u32, column: u32) -> String {
    let mut letters = String::new();
    let mut rest = column + 1;
    while rest > 0 {
        let remainder = (rest - 1) % 26;
        letters.insert(0, char::from(b'A' + remainder as u8));
        rest = (rest - 1) / 26;
    }
    format!("{letters}{}", u64::from(row) + 1)
}
