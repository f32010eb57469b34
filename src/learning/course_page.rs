//! One course as its learner sees it (课程学习): the lectures with their watched coverage in the
//! current study cycle, and the exam's standing as the exam service decides it.
use sea_orm::EntityTrait;
use serde::Serialize;

use crate::{
    auth::AuthUser,
    courses::{model::lecture_status, service},
    entities::lecture,
    error::{AppError, AppResult},
    exams::overview::{self, ExamOverview},
    state::AppState,
    watching::course_progress,
};

#[derive(Debug, Serialize)]
pub struct LectureLine {
    pub id: i32,
    pub title: String,
    pub duration_s: Option<f64>,
    /// Only ready lectures can be played; others are still being processed.
    pub ready: bool,
    /// Watched share 0..=1 in the current cycle.
    pub coverage: f64,
    pub completed: bool,
}

#[derive(Debug, Serialize)]
pub struct CoursePage {
    pub id: i32,
    pub title: String,
    pub category: String,
    pub hours: f64,
    pub teacher: String,
    pub description: String,
    /// The study cycle (学习轮次) progress counts in; a restudy starts the next one.
    pub cycle: i32,
    pub lectures: Vec<LectureLine>,
    pub lectures_completed: usize,
    pub lectures_ready: usize,
    /// The exam service's view of the learner's exam, when the course has one.
    pub exam: Option<ExamOverview>,
}

/// The course page of a published course (404 otherwise).
#[tracing::instrument(skip_all, fields(learner = learner.id, course = course_id))]
pub async fn course_page(state: &AppState, learner: &AuthUser, course_id: i32) -> AppResult<CoursePage> {
    let detail = service::detail(&state.db, learner, course_id).await?;
    let progress = course_progress::course_progress(state, learner.id, course_id).await?;
    let lectures: Vec<LectureLine> = detail
        .lectures
        .into_iter()
        .map(|l| {
            let p = progress.lectures.iter().find(|p| p.id == l.id);
            LectureLine {
                id: l.id,
                title: l.title,
                duration_s: l.duration_s,
                ready: l.status == lecture_status::READY,
                coverage: p.map_or(0.0, |p| p.coverage),
                completed: p.is_some_and(|p| p.completed),
            }
        })
        .collect();
    let exam = match &detail.exam {
        Some(e) => Some(overview::overview(&state.db, learner.id, e.id, state.clock.now()).await?),
        None => None,
    };
    let s = detail.summary;
    Ok(CoursePage {
        id: s.id,
        title: s.title,
        category: s.category,
        hours: s.hours,
        teacher: s.teacher,
        description: detail.description,
        cycle: progress.cycle,
        lectures_completed: lectures.iter().filter(|l| l.completed).count(),
        lectures_ready: lectures.iter().filter(|l| l.ready).count(),
        lectures,
        exam,
    })
}

/// The player page's facts: one ready lecture of a published course with the learner's progress.
#[derive(Debug, Serialize)]
pub struct PlayerPage {
    pub course_id: i32,
    pub course_title: String,
    pub lecture: LectureLine,
    /// 1-based place of the lecture in the course, and the next lecture to watch, if any.
    pub number: usize,
    pub next_lecture_id: Option<i32>,
}

/// Unknown lecture or unpublished course: 404. Not ready: 409 `lecture_not_ready`.
#[tracing::instrument(skip_all, fields(learner = learner.id, lecture = lecture_id))]
pub async fn player_page(state: &AppState, learner: &AuthUser, lecture_id: i32) -> AppResult<PlayerPage> {
    let row = lecture::Entity::find_by_id(lecture_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let course = course_page(state, learner, row.course_id).await?;
    let index = course.lectures.iter().position(|l| l.id == lecture_id).ok_or(AppError::NotFound)?;
    let next_lecture_id = course.lectures[index + 1..].iter().find(|l| l.ready).map(|l| l.id);
    let lecture = course.lectures.into_iter().nth(index).ok_or(AppError::NotFound)?;
    if !lecture.ready {
        return Err(AppError::conflict("lecture_not_ready", "视频尚未就绪 (the lecture video is not ready yet)"));
    }
    Ok(PlayerPage { course_id: course.id, course_title: course.title, lecture, number: index + 1, next_lecture_id })
}
