//! The completion report as CSV or .xlsx downloads. Text cells that a spreadsheet would run
//! as a formula (starting with = + - @, or a tab/CR that hides one) are prefixed with `'`.
use super::CompletionReport;
use crate::error::{AppError, AppResult};

const HEADERS: [&str; 7] =
    ["单位ID", "单位名称", "人数", "达标人数", "平均差额(公需)", "平均差额(专业)", "平均差额(合计)"];

pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() }
}

fn export_error(e: impl std::fmt::Display) -> AppError {
    AppError::Other(anyhow::anyhow!("report export: {e}"))
}

pub fn to_csv(report: &CompletionReport) -> AppResult<Vec<u8>> {
    // A UTF-8 byte-order mark so that Excel opens the Chinese headers correctly.
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(HEADERS).map_err(export_error)?;
        for e in &report.employers {
            w.write_record([
                e.org_id.to_string(),
                neutralise(&e.name),
                e.learners.to_string(),
                e.compliant.to_string(),
                e.average_shortfall.public.to_string(),
                e.average_shortfall.professional.to_string(),
                e.average_shortfall.total.to_string(),
            ])
            .map_err(export_error)?;
        }
        w.flush().map_err(export_error)?;
    }
    Ok(out)
}

pub fn to_xlsx(report: &CompletionReport) -> AppResult<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(format!("{}年度", report.year)).map_err(export_error)?;
    for (col, h) in (0u16..).zip(HEADERS) {
        sheet.write_string(0, col, h).map_err(export_error)?;
    }
    for (row, e) in (1u32..).zip(&report.employers) {
        sheet.write_number(row, 0, f64::from(e.org_id)).map_err(export_error)?;
        sheet.write_string(row, 1, neutralise(&e.name)).map_err(export_error)?;
        sheet.write_number(row, 2, f64::from(e.learners)).map_err(export_error)?;
        sheet.write_number(row, 3, f64::from(e.compliant)).map_err(export_error)?;
        sheet.write_number(row, 4, e.average_shortfall.public).map_err(export_error)?;
        sheet.write_number(row, 5, e.average_shortfall.professional).map_err(export_error)?;
        sheet.write_number(row, 6, e.average_shortfall.total).map_err(export_error)?;
    }
    book.save_to_buffer().map_err(export_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::{AverageShortfall, EmployerCompletion};

    fn report(name: &str) -> CompletionReport {
        CompletionReport {
            year: 2025,
            employers: vec![EmployerCompletion {
                org_id: 7,
                name: name.into(),
                learners: 3,
                compliant: 1,
                average_shortfall: AverageShortfall { public: 10.0, professional: 20.5, total: 30.5 },
            }],
        }
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=x"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("威海市立医院"), "威海市立医院");
    }

    #[test]
    fn csv_has_headers_rows_and_no_live_formula() {
        let csv = String::from_utf8(to_csv(&report("=HYPERLINK(\"http://x\")")).unwrap()).unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], HEADERS.join(","));
        assert_eq!(lines[1], "7,\"'=HYPERLINK(\"\"http://x\"\")\",3,1,10,20.5,30.5");
    }

    #[test]
    fn xlsx_is_a_zip_file() {
        let bytes = to_xlsx(&report("医院")).unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
    }
}
