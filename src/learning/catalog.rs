//! The learner's course catalog (课程目录): the year's published courses, split into required
//! modules (必修) and electives (选修: public elective topics and professional courses), with
//! the learner's standing in each and the elective hours chosen so far. Six queries whatever the
//! number of courses.
use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use crate::{
    archive::policy_store,
    auth::AuthUser,
    courses::{
        model::{Category, lecture_status},
        service::{self, CourseFilter, CourseSummary},
    },
    entities::{course_cycle, exam, exam_attempt, lecture, lecture_progress},
    error::AppResult,
};

/// Where the learner stands with one course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    NotStarted,
    Studying,
    /// Every lecture watched in the current cycle; the exam (if any) is next.
    LecturesDone,
    /// The course's exam is passed: its hours are in the archive.
    Passed,
}

/// The standing from what the services recorded (a passed exam wins over a new cycle).
pub fn standing(started: bool, completed: usize, total: usize, passed: bool) -> Standing {
    if passed {
        Standing::Passed
    } else if total > 0 && completed >= total {
        Standing::LecturesDone
    } else if started || completed > 0 {
        Standing::Studying
    } else {
        Standing::NotStarted
    }
}

#[derive(Debug, Serialize)]
pub struct CatalogCourse {
    pub id: i32,
    pub title: String,
    pub category: String,
    pub hours: f64,
    pub teacher: String,
    /// Ready lectures, and how many of them are completed in the current cycle.
    pub lectures: usize,
    pub lectures_completed: usize,
    pub standing: Standing,
    pub exam_id: Option<i32>,
}

/// Public elective topics (公需选修专题) the learner has chosen, i.e. started or passed.
#[derive(Debug, Serialize)]
pub struct ElectiveChoice {
    pub chosen_topics: usize,
    pub chosen_hours: f64,
    /// The policy's minimum of elective hours a year.
    pub min_hours: f64,
    /// How many more elective hours to choose to reach the minimum (0 when reached).
    pub still_to_choose: f64,
}

#[derive(Debug, Serialize)]
pub struct Catalog {
    pub year: i32,
    pub required: Vec<CatalogCourse>,
    pub public_elective: Vec<CatalogCourse>,
    pub professional: Vec<CatalogCourse>,
    pub electives: ElectiveChoice,
}

/// The catalog of `year` as `learner` sees it.
#[tracing::instrument(skip_all, fields(learner = learner.id, year))]
pub async fn catalog(db: &impl ConnectionTrait, learner: &AuthUser, year: i32) -> AppResult<Catalog> {
    let courses = service::list(db, learner, CourseFilter { year: Some(year), category: None }).await?;
    let ids: Vec<i32> = courses.iter().map(|c| c.id).collect();
    let facts = Facts::load(db, learner.id, &ids).await?;
    let mut catalog = Catalog {
        year,
        required: Vec::new(),
        public_elective: Vec::new(),
        professional: Vec::new(),
        electives: ElectiveChoice { chosen_topics: 0, chosen_hours: 0.0, min_hours: 0.0, still_to_choose: 0.0 },
    };
    for course in courses {
        let entry = facts.entry(course);
        match entry.category.as_str() {
            c if c == Category::PublicRequired.as_str() => catalog.required.push(entry),
            c if c == Category::PublicElective.as_str() => catalog.public_elective.push(entry),
            _ => catalog.professional.push(entry),
        }
    }
    let min_hours = policy_store::policy_for_user(db, learner.id, year).await?.min_elective_hours;
    catalog.electives = elective_choice(&catalog.public_elective, min_hours);
    Ok(catalog)
}

fn elective_choice(electives: &[CatalogCourse], min_hours: f64) -> ElectiveChoice {
    let chosen: Vec<&CatalogCourse> = electives.iter().filter(|c| c.standing != Standing::NotStarted).collect();
    let chosen_hours = round_tenth(chosen.iter().map(|c| c.hours).sum());
    ElectiveChoice {
        chosen_topics: chosen.len(),
        chosen_hours,
        min_hours,
        still_to_choose: round_tenth((min_hours - chosen_hours).max(0.0)),
    }
}

fn round_tenth(hours: f64) -> f64 {
    (hours * 10.0).round() / 10.0
}

/// What the database knows about the learner and these courses, loaded in one query per table.
struct Facts {
    /// Ready lectures per course.
    lectures: HashMap<i32, Vec<i32>>,
    /// The current (latest started) cycle per course; absent: never started (cycle 1).
    cycles: HashMap<i32, i32>,
    /// (lecture, cycle) completed.
    completed: HashSet<(i32, i32)>,
    exams: HashMap<i32, i32>,
    passed_exams: HashSet<i32>,
}

impl Facts {
    async fn load(db: &impl ConnectionTrait, learner_id: i32, course_ids: &[i32]) -> AppResult<Self> {
        let mut lectures: HashMap<i32, Vec<i32>> = HashMap::new();
        let rows = lecture::Entity::find()
            .filter(lecture::Column::CourseId.is_in(course_ids.iter().copied()))
            .filter(lecture::Column::Status.eq(lecture_status::READY))
            .all(db)
            .await?;
        for l in rows {
            lectures.entry(l.course_id).or_default().push(l.id);
        }
        let mut cycles: HashMap<i32, i32> = HashMap::new();
        let rows = course_cycle::Entity::find()
            .filter(course_cycle::Column::LearnerId.eq(learner_id))
            .filter(course_cycle::Column::CourseId.is_in(course_ids.iter().copied()))
            .all(db)
            .await?;
        for c in rows {
            let latest = cycles.entry(c.course_id).or_insert(c.cycle);
            *latest = (*latest).max(c.cycle);
        }
        let completed = lecture_progress::Entity::find()
            .filter(lecture_progress::Column::LearnerId.eq(learner_id))
            .filter(lecture_progress::Column::LectureId.is_in(lectures.values().flatten().copied()))
            .filter(lecture_progress::Column::Completed.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.lecture_id, p.cycle))
            .collect();
        let exams: HashMap<i32, i32> = exam::Entity::find()
            .filter(exam::Column::CourseId.is_in(course_ids.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.course_id, e.id))
            .collect();
        let passed_exams = exam_attempt::Entity::find()
            .filter(exam_attempt::Column::LearnerId.eq(learner_id))
            .filter(exam_attempt::Column::ExamId.is_in(exams.values().copied()))
            .filter(exam_attempt::Column::Passed.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.exam_id)
            .collect();
        Ok(Self { lectures, cycles, completed, exams, passed_exams })
    }

    fn entry(&self, course: CourseSummary) -> CatalogCourse {
        let lectures = self.lectures.get(&course.id).map(Vec::as_slice).unwrap_or_default();
        let cycle = self.cycles.get(&course.id).copied().unwrap_or(1);
        let done = lectures.iter().filter(|l| self.completed.contains(&(**l, cycle))).count();
        let exam_id = self.exams.get(&course.id).copied();
        let passed = exam_id.is_some_and(|e| self.passed_exams.contains(&e));
        let started = self.cycles.contains_key(&course.id);
        CatalogCourse {
            id: course.id,
            title: course.title,
            category: course.category,
            hours: course.hours,
            teacher: course.teacher,
            lectures: lectures.len(),
            lectures_completed: done,
            standing: standing(started, done, lectures.len(), passed),
            exam_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(hours: f64, standing: Standing) -> CatalogCourse {
        CatalogCourse {
            id: 1,
            title: "t".into(),
            category: "public_elective".into(),
            hours,
            teacher: "t".into(),
            lectures: 2,
            lectures_completed: 0,
            standing,
            exam_id: None,
        }
    }

    #[test]
    fn standing_follows_the_records() {
        assert_eq!(standing(false, 0, 2, false), Standing::NotStarted);
        assert_eq!(standing(true, 0, 2, false), Standing::Studying);
        assert_eq!(standing(true, 2, 2, false), Standing::LecturesDone);
        // A passed exam stays passed in a later cycle with nothing watched yet.
        assert_eq!(standing(true, 0, 2, true), Standing::Passed);
        // A course without ready lectures cannot be done.
        assert_eq!(standing(true, 0, 0, false), Standing::Studying);
    }

    #[test]
    fn chosen_electives_are_the_started_ones() {
        let electives =
            [course(5.0, Standing::Studying), course(5.0, Standing::Passed), course(5.0, Standing::NotStarted)];
        let choice = elective_choice(&electives, 10.0);
        assert_eq!((choice.chosen_topics, choice.chosen_hours, choice.still_to_choose), (2, 10.0, 0.0));
        let choice = elective_choice(&electives[..1], 10.0);
        assert_eq!((choice.chosen_hours, choice.still_to_choose), (5.0, 5.0));
    }
}
