//! The statistics as an .xlsx in the layout of Yantai 2020 annex 3 (专业技术人才知识更新工程
//! 实施情况统计表): a title row, the reporting unit, two header rows, one row per field.
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::statistics::{FieldRow, KnowledgeUpdateStats};
use crate::error::{AppError, AppResult};

const HEADERS: [&str; 5] = ["计划培训班次", "已举办培训班次", "培训人数", "培训人次", "培训学时"];
const LAST_COL: u16 = 7;

pub fn render(stats: &KnowledgeUpdateStats) -> AppResult<Vec<u8>> {
    build(stats).map_err(|e| AppError::Other(anyhow::anyhow!("xlsx: {e}")))
}

fn build(stats: &KnowledgeUpdateStats) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("知识更新工程统计")?;
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin);
    ws.merge_range(
        0,
        0,
        0,
        LAST_COL,
        &format!("专业技术人才知识更新工程实施情况统计表（{}年度）", stats.year),
        &title,
    )?;
    ws.merge_range(1, 0, 1, LAST_COL, &format!("填报单位：{}", stats.unit), &Format::new())?;
    ws.merge_range(2, 0, 3, 0, "序号", &head)?;
    ws.merge_range(2, 1, 3, 1, "领域", &head)?;
    ws.merge_range(2, 2, 2, 6, "今年任务完成情况", &head)?;
    for (i, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(3, 2 + i as u16, *h, &head)?;
    }
    ws.merge_range(2, LAST_COL, 3, LAST_COL, "备注", &head)?;
    ws.set_column_width(1, 22)?;
    for col in 2..=6 {
        ws.set_column_width(col, 14)?;
    }
    let mut row = 4;
    for (i, f) in stats.fields.iter().enumerate() {
        ws.write_number_with_format(row, 0, (i + 1) as f64, &cell)?;
        write_row(ws, row, f, &cell)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, "", &cell)?;
    write_row(ws, row, &stats.total, &cell)?;
    wb.save_to_buffer()
}

fn write_row(ws: &mut rust_xlsxwriter::Worksheet, row: u32, f: &FieldRow, cell: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 1, &f.name, cell)?;
    let numbers = [f.planned_classes as f64, f.classes as f64, f.persons as f64, f.person_times as f64, f.hours];
    for (i, n) in numbers.into_iter().enumerate() {
        ws.write_number_with_format(row, 2 + i as u16, n, cell)?;
    }
    ws.write_string_with_format(row, LAST_COL, "", cell)?;
    Ok(())
}
