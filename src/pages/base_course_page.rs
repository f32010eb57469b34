//! A base admin's course page (课程详情): the course, its lectures with their transcoding state,
//! the lecture upload and the submission for review (提交审核). With scripts the upload goes to
//! the JSON API with progress bars (`static/lecture_upload.js`); without them the same form
//! posts here as plain multipart and the page reloads. Refusals are shown next to the field.
use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use serde::{Deserialize, Serialize};

use super::{
    auth_pages::CsrfForm,
    course_form::{self, FieldErrors, chinese, minutes_seconds},
    render::{base_context, check_form_csrf, page, redirect},
};
use crate::{
    auth::{AuthUser, Require, role::sets::BaseAdmins},
    courses::{
        model::CourseStatus,
        review,
        service::{self, LectureView},
        upload,
    },
    error::{AppError, AppResult},
    jobs::view::{self, JobView},
    state::AppState,
};

/// One lecture row: the lecture, its running transcode job (if any) and its length as text.
#[derive(Serialize)]
struct LectureRow<'a> {
    #[serde(flatten)]
    lecture: &'a LectureView,
    job: Option<JobView>,
    /// The job's progress in whole percent.
    percent: u32,
    length: String,
}

impl<'a> LectureRow<'a> {
    fn new(lecture: &'a LectureView, job: Option<JobView>) -> Self {
        let percent = job.as_ref().map_or(0, |j| (j.progress * 100.0).round() as u32);
        Self { lecture, job, percent, length: minutes_seconds(lecture.duration_s.unwrap_or(0.0)) }
    }
}

/// `?done=created|updated|uploaded|submitted`: what was just done, to confirm it.
#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// Renders the course page with the given problems (keys `file`, `title`, `upload`, `submit`).
async fn render(
    state: &AppState,
    req: &HttpRequest,
    user: &AuthUser,
    id: i32,
    done: Option<&str>,
    errors: &FieldErrors,
) -> AppResult<HttpResponse> {
    let course = service::owned_detail(&state.db, user, id).await?;
    let ids: Vec<i32> = course.lectures.iter().map(|l| l.id).collect();
    let mut jobs = view::active_transcodes(&state.db, &ids).await?;
    let rows: Vec<LectureRow> = course.lectures.iter().map(|l| LectureRow::new(l, jobs.remove(&l.id))).collect();
    let total_s: f64 = course.lectures.iter().filter_map(|l| l.duration_s).sum();
    let editable = CourseStatus::parse(&course.summary.status).is_some_and(CourseStatus::is_editable);
    let mut ctx = base_context(state, req, Some(user));
    ctx.insert("course", &course);
    ctx.insert("lectures", &rows);
    ctx.insert("total_length", &minutes_seconds(total_s));
    ctx.insert("editable", &editable);
    ctx.insert("labels", &course_form::labels());
    ctx.insert("done", &done.unwrap_or(""));
    ctx.insert("errors", errors);
    ctx.insert("max_upload_mb", &state.settings.max_upload_mb);
    page(state, "base_admin/course.html", &ctx)
}

#[get("/base/courses/{id:\\d+}")]
pub async fn course_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    q: web::Query<Done>,
) -> AppResult<HttpResponse> {
    render(&state, &req, &user, *id, q.done.as_deref(), &FieldErrors::new()).await
}

/// The CSRF token of a multipart form travels in the query: it is checked before the body is read.
#[derive(Deserialize)]
pub struct CsrfQuery {
    #[serde(default)]
    csrf: String,
}

/// The plain (no-script) lecture upload.
#[post("/base/courses/{id:\\d+}/lectures")]
pub async fn upload_lecture(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    q: web::Query<CsrfQuery>,
    mut multipart: Multipart,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &q.csrf)?;
    let length = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok());
    match upload::receive(&state, &user, *id, length, &mut multipart).await {
        Ok((lecture, _)) => Ok(redirect(&format!("/base/courses/{}?done=uploaded#lecture-{}", *id, lecture.id))),
        Err(e) => {
            let errors = upload_problem(e, state.settings.max_upload_mb)?;
            render(&state, &req, &user, *id, None, &errors).await
        }
    }
}

/// An upload refusal as the text next to its field; errors that are not the uploader's pass on.
fn upload_problem(e: AppError, max_upload_mb: u64) -> AppResult<FieldErrors> {
    let (field, text) = match &e {
        AppError::Unprocessable { code: "invalid_media", .. } => {
            ("file", "不是可播放的视频文件。请选择手机或摄像机录制的视频（如 MP4、MOV）。".to_owned())
        }
        AppError::PayloadTooLarge => ("file", format!("文件太大，每个视频不能超过 {max_upload_mb} MB。")),
        AppError::Unprocessable { code: "missing_file" | "duplicate_file", message, .. } => ("file", chinese(message)),
        AppError::Unprocessable { code: "invalid_title", message, .. } => ("title", chinese(message)),
        AppError::Conflict { message, .. } => ("upload", chinese(message)),
        _ => return Err(e),
    };
    Ok(FieldErrors::from([(field, text)]))
}

#[post("/base/courses/{id:\\d+}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Require<BaseAdmins>,
    id: web::Path<i32>,
    form: web::Form<CsrfForm>,
) -> AppResult<HttpResponse> {
    check_form_csrf(&state, &req, &form.csrf)?;
    match review::submit(&state.db, &user, *id, state.clock.now()).await {
        Ok(_) => Ok(redirect(&format!("/base/courses/{}?done=submitted", *id))),
        Err(AppError::Conflict { code, message, details }) => {
            let text = submit_refusal(code, &message, details.as_ref());
            render(&state, &req, &user, *id, None, &FieldErrors::from([("submit", text)])).await
        }
        Err(e) => Err(e),
    }
}

/// Why the course cannot be submitted, in plain words with the numbers the service gave.
fn submit_refusal(code: &str, message: &str, details: Option<&serde_json::Value>) -> String {
    let number = |key: &str| details.and_then(|d| d[key].as_f64()).unwrap_or(0.0);
    match code {
        "no_lectures" => "还没有课时视频。请先上传视频，转码完成后再提交审核。".to_owned(),
        "lectures_not_ready" => {
            format!("有 {} 个课时视频尚未就绪（正在转码或转码失败）。全部课时就绪后才能提交审核。", number("not_ready"))
        }
        "hours_exceed_length" => format!(
            "课时视频总时长 {} 分钟，不足以支撑课程学时（按规定至少需要 {} 分钟）。请补充视频或减少学时后再提交。",
            (number("total_s") / 6.0).round() / 10.0,
            (number("required_s") / 6.0).round() / 10.0
        ),
        _ => chinese(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refusals_name_the_numbers() {
        let d = json!({"required_s": 2700.0, "total_s": 10.0});
        let text = submit_refusal("hours_exceed_length", "", Some(&d));
        assert!(text.contains("0.2 分钟") && text.contains("45 分钟"), "{text}");
        assert!(submit_refusal("lectures_not_ready", "", Some(&json!({"not_ready": 2}))).contains("有 2 个"));
        assert_eq!(submit_refusal("course_not_editable", "课程已提交 (submitted)", None), "课程已提交");
        let e = upload_problem(AppError::unprocessable("invalid_media", "x"), 10).unwrap();
        assert!(e["file"].contains("不是可播放的视频文件"));
        assert!(upload_problem(AppError::NotFound, 10).is_err());
    }
}
