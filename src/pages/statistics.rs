//! Knowledge-update statistics by field (Yantai 2020 annexes 3 and 4): a bar chart drawn as
//! inline SVG on the server (no script, no inline style), the annex table and the .xlsx link.
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};

use super::render::{base_context, page};
use crate::{
    archive::ledger::year_of,
    auth::{Require, role::sets::InstitutionStaff},
    error::AppResult,
    institutions::statistics::{self, FieldRow},
    state::AppState,
};

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
}

/// One bar: persons trained in a field, its geometry in the SVG's user units.
#[derive(Serialize)]
struct FieldBar<'a> {
    row: &'a FieldRow,
    width: f64,
    y: u32,
}

const BAR_STEP: u32 = 40;
const BAR_SPAN: f64 = 180.0;

/// Bars for the fields with any class or person, scaled to the largest number of persons.
fn field_bars(rows: &[FieldRow]) -> Vec<FieldBar<'_>> {
    let most = rows.iter().map(|r| r.persons).max().unwrap_or(0).max(1) as f64;
    rows.iter()
        .filter(|r| r.planned_classes > 0 || r.persons > 0)
        .zip(0u32..)
        .map(|(row, i)| FieldBar { row, width: (row.persons as f64 / most * BAR_SPAN).max(1.0), y: i * BAR_STEP })
        .collect()
}

#[get("/statistics")]
pub async fn knowledge_update(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<InstitutionStaff>,
    q: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    let this_year = year_of(state.clock.now());
    let year = q.year.filter(|y| (2000..=2100).contains(y)).unwrap_or(this_year);
    let stats = statistics::compute(&state.db, &user, year).await?;
    let bars = field_bars(&stats.fields);
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("years", &(this_year - 4..=this_year + 1).rev().collect::<Vec<_>>());
    ctx.insert("chart_height", &(u32::try_from(bars.len()).unwrap_or(0) * BAR_STEP + 4));
    ctx.insert("bars", &bars);
    ctx.insert("stats", &stats);
    ctx.insert("year", &year);
    page(&state, "inst/statistics.html", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, planned: u64, persons: u64) -> FieldRow {
        FieldRow { name: name.into(), planned_classes: planned, persons, ..FieldRow::default() }
    }

    #[test]
    fn only_active_fields_get_bars_scaled_to_the_largest() {
        let rows = [row("装备制造", 1, 10), row("信息", 0, 0), row("海洋", 2, 5)];
        let bars = field_bars(&rows);
        assert_eq!(
            bars.iter().map(|b| (b.row.name.as_str(), b.width, b.y)).collect::<Vec<_>>(),
            vec![("装备制造", 180.0, 0), ("海洋", 90.0, 40)]
        );
    }
}
