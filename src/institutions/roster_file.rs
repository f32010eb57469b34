//! Reading a roster file (培训学员花名册): CSV (UTF-8 or GBK, as Chinese Excel writes it) or
//! .xlsx, a header row naming the columns 身份证号 and 姓名, then one person per row.
use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use crate::exams::bank_format::zip_guard;

/// Largest roster file accepted.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Most people one class roster may list.
pub const MAX_ROWS: usize = 5_000;
const MAX_COLUMNS: u32 = 20;

/// One data row as typed; `row` is the 1-based row (xlsx) or line (CSV) in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    pub row: usize,
    pub id_number: String,
    pub name: String,
}

/// Why the file as a whole cannot be read, worded for the uploader.
pub type FileError = String;

pub fn read(file_name: &str, bytes: &[u8]) -> Result<Vec<RosterRow>, FileError> {
    let lower = file_name.to_ascii_lowercase();
    let rows = if lower.ends_with(".csv") {
        csv_rows(bytes)?
    } else if lower.ends_with(".xlsx") {
        xlsx_rows(bytes)?
    } else {
        return Err("花名册须为 .csv 或 .xlsx 文件 (the roster must be a .csv or .xlsx file)".into());
    };
    people(rows)
}

/// The header picks the two columns; blank rows are skipped.
fn people(rows: Vec<(usize, Vec<String>)>) -> Result<Vec<RosterRow>, FileError> {
    let mut rows = rows.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let (header_row, header) = rows.next().ok_or("花名册为空 (the roster is empty)")?;
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.trim().to_lowercase().as_str()));
    let (Some(id_col), Some(name_col)) = (find(&["身份证号", "身份证号码", "id_number"]), find(&["姓名", "name"]))
    else {
        return Err(format!(
            "第 {header_row} 行须为表头，含“身份证号”和“姓名”两列 (row {header_row} must be a header with columns 身份证号 and 姓名)"
        ));
    };
    let cell = |cells: &[String], i: usize| cells.get(i).map(|c| c.trim().to_owned()).unwrap_or_default();
    let people: Vec<RosterRow> = rows
        .map(|(row, cells)| RosterRow { row, id_number: cell(&cells, id_col), name: cell(&cells, name_col) })
        .collect();
    if people.is_empty() {
        return Err("花名册没有学员 (the roster lists nobody)".into());
    }
    if people.len() > MAX_ROWS {
        return Err(format!("花名册最多 {MAX_ROWS} 人 (at most {MAX_ROWS} people)"));
    }
    Ok(people)
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or("CSV 文件既不是 UTF-8 也不是 GBK 编码 (the CSV is neither UTF-8 nor GBK)")?
            .into_owned(),
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("CSV 格式错误 (malformed CSV): {e}"))?;
        // The csv crate's line count skips blank lines; the byte offset does not lie.
        let line = record.position().map_or(0, |p| line_of(&text, p.byte() as usize));
        rows.push((line, record.iter().map(str::to_owned).collect()));
        if rows.len() > MAX_ROWS + 1 {
            return Err(format!("花名册最多 {MAX_ROWS} 人 (at most {MAX_ROWS} people)"));
        }
    }
    Ok(rows)
}

/// The 1-based line of the record starting at byte `offset` of `text`. A record's offset
/// lies before the blank lines the reader skipped to reach it, so those are skipped here too.
fn line_of(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = offset.min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
        start += 1;
    }
    bytes[..start].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The first worksheet, streamed cell by cell after the zip-bomb guard, never beyond the
/// row and column limits (a declared dimension may lie, so every cell is checked).
fn xlsx_rows(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, FileError> {
    zip_guard::check(bytes)?;
    let unreadable = |e: calamine::XlsxError| format!("无法读取 .xlsx 文件 (cannot read the .xlsx file): {e}");
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let sheet = workbook.sheet_names().into_iter().next().ok_or("工作簿没有工作表 (the workbook has no sheet)")?;
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    let too_large = || format!("工作表过大：最多 {MAX_ROWS} 行 (the sheet is too large: at most {MAX_ROWS} rows)");
    let (last_row, last_col) = cells.dimensions().end;
    if last_row as usize > MAX_ROWS + 1 || last_col >= MAX_COLUMNS {
        return Err(too_large());
    }
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        if row as usize > MAX_ROWS + 1 || col >= MAX_COLUMNS {
            return Err(too_large());
        }
        let cells = rows.entry(row).or_default();
        if cells.len() <= col as usize {
            cells.resize(col as usize + 1, String::new());
        }
        cells[col as usize] = cell_text(cell.get_value());
    }
    Ok(rows.into_iter().map(|(r, cells)| (r as usize + 1, cells)).collect())
}

/// A cell's text. An ID number typed as a number arrives as a float that Excel has already
/// rounded; it is shown as such so the row's error says what happened.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        DataRef::Float(f) => format!("{f:e}"),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::Error(e) => format!("#{e}"),
        DataRef::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_header_in_any_order() {
        let rows = read("r.CSV", "姓名,身份证号\n张三, 371002198503150011 \n\n李四,bad\n".as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], RosterRow { row: 2, id_number: "371002198503150011".into(), name: "张三".into() });
        assert_eq!(rows[1].row, 4);
    }

    #[test]
    fn gbk_csv_is_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("身份证号,姓名\n1,王五\n");
        let rows = read("r.csv", &gbk).unwrap();
        assert_eq!(rows[0].name, "王五");
    }

    #[test]
    fn header_and_type_are_required() {
        assert!(read("r.csv", b"a,b\n1,2\n").unwrap_err().contains("header"));
        assert!(read("r.txt", b"x").is_err());
        assert!(read("r.csv", "身份证号,姓名\n".as_bytes()).is_err());
        assert!(read("r.xlsx", b"not a zip").is_err());
    }

    #[test]
    fn xlsx_is_read() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "身份证号").unwrap();
        ws.write_string(0, 1, "姓名").unwrap();
        ws.write_string(1, 0, "371002198503150011").unwrap();
        ws.write_string(1, 1, "张三").unwrap();
        ws.write_number(2, 0, 371002198503150011.0).unwrap();
        ws.write_string(2, 1, "李四").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let rows = read("r.xlsx", &bytes).unwrap();
        assert_eq!(rows[0].id_number, "371002198503150011");
        assert_eq!(rows[1].row, 3);
        assert_ne!(rows[1].id_number, "371002198503150011");
    }
}
