//! Offline class pages (线下培训班): the roster with its upload (CSV / .xlsx, every bad row
//! listed) and, once the class has ended, the hours attended per person, credited at once.
use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use serde_json::Value;

use super::render::{base_context, check_form_csrf, page, redirect};
use crate::{
    auth::{
        AuthUser, Require, Role,
        role::sets::{BaseAdmins, InstitutionStaff},
    },
    error::{AppError, AppResult},
    institutions::{
        attendance::{self, AttendanceOutcome},
        roster,
        roster_file::MAX_FILE_BYTES,
    },
    routes::offline_classes::file_part,
    state::AppState,
};

/// What to show besides the roster: a confirmation, an error, rows refused, hours credited.
#[derive(Default)]
struct Outcome<'a> {
    uploaded: Option<i64>,
    error: Option<String>,
    row_errors: Option<&'a Value>,
    attendance: Option<&'a AttendanceOutcome>,
}

async fn render(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    id: i32,
    o: Outcome<'_>,
) -> AppResult<HttpResponse> {
    let view = roster::view(&state.db, &state.pii, user, id).await?;
    let mut ctx = base_context(state, req, Some(user));
    ctx.insert("is_base", &(user.role == Role::BaseAdmin));
    ctx.insert("roster", &view);
    ctx.insert("uploaded", &o.uploaded);
    ctx.insert("error", &o.error);
    ctx.insert("row_errors", &o.row_errors);
    ctx.insert("outcome", &o.attendance);
    page(state, "inst/offline_class.html", &ctx)
}

/// A refused upload or recording: the page again with the reason and the rows at fault.
async fn refused(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    id: i32,
    e: AppError,
) -> AppResult<HttpResponse> {
    match e {
        AppError::Unprocessable { message, details, .. } => {
            let o = Outcome { error: Some(message), row_errors: details.as_ref(), ..Outcome::default() };
            render(state, req, user, id, o).await
        }
        AppError::Conflict { message, .. } => {
            render(state, req, user, id, Outcome { error: Some(message), ..Outcome::default() }).await
        }
        e => Err(e),
    }
}

#[derive(Deserialize)]
pub struct Uploaded {
    uploaded: Option<i64>,
}

#[get("/offline-classes/{id:\\d+}")]
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<InstitutionStaff>,
    id: web::Path<i32>,
    q: web::Query<Uploaded>,
) -> AppResult<HttpResponse> {
    render(&state, &req, &user, *id, Outcome { uploaded: q.uploaded, ..Outcome::default() }).await
}

#[post("/offline-classes/{id:\\d+}/roster")]
pub async fn upload_roster(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    crate::institutions::access::own_offline_class(&state.db, &user, *id).await?;
    let file = file_part(payload, MAX_FILE_BYTES).await?;
    check_form_csrf(&state, &req, &file.csrf)?;
    match roster::upload(&state.db, &state.pii, &user, *id, &file.name, &file.bytes, state.clock.now()).await {
        Ok(done) => Ok(redirect(&format!("/offline-classes/{}?uploaded={}", *id, done.people))),
        Err(e) => refused(&state, &req, &user, *id, e).await,
    }
}

/// `h<learner id>` -> hours typed; blank fields are people not recorded.
fn typed_hours(form: &HashMap<String, String>) -> Vec<(i32, f64)> {
    let mut hours: Vec<(i32, f64)> = form
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .filter_map(|(k, v)| Some((k.strip_prefix('h')?.parse().ok()?, v.trim().parse().unwrap_or(f64::NAN))))
        .collect();
    hours.sort_by_key(|(id, _)| *id);
    hours
}

#[post("/offline-classes/{id:\\d+}/attendance")]
pub async fn record_attendance(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, form.get("csrf").map_or("", String::as_str))?;
    match attendance::record_for_roster(&state.db, &user, *id, typed_hours(&form), state.clock.now()).await {
        Ok(outcome) => {
            render(&state, &req, &user, *id, Outcome { attendance: Some(&outcome), ..Outcome::default() }).await
        }
        Err(e) => refused(&state, &req, &user, *id, e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_hours_skip_blanks_and_keep_bad_numbers_for_the_service() {
        let form: HashMap<String, String> =
            [("h7", "8"), ("h3", " "), ("h5", "abc"), ("csrf", "x")].map(|(k, v)| (k.into(), v.into())).into();
        let hours = typed_hours(&form);
        assert_eq!(hours.len(), 2);
        assert_eq!(hours[0].0, 5);
        assert!(hours[0].1.is_nan());
        assert_eq!(hours[1], (7, 8.0));
    }
}
