//! The vocabulary of courses: categories, statuses, and the checked input of a new course.
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::{AppError, AppResult};

/// 公需必修 / 公需选修 / 专业课.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    PublicRequired,
    PublicElective,
    Professional,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::PublicRequired => "public_required",
            Category::PublicElective => "public_elective",
            Category::Professional => "professional",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::PublicRequired, Self::PublicElective, Self::Professional].into_iter().find(|c| c.as_str() == s)
    }
}

/// A course's review status: draft -> submitted -> published, or submitted -> rejected -> submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseStatus {
    Draft,
    Submitted,
    Published,
    Rejected,
}

impl CourseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CourseStatus::Draft => "draft",
            CourseStatus::Submitted => "submitted",
            CourseStatus::Published => "published",
            CourseStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Submitted, Self::Published, Self::Rejected].into_iter().find(|c| c.as_str() == s)
    }

    /// Lectures may be added, and the course submitted, only while the base still owns the text.
    pub fn is_editable(self) -> bool {
        matches!(self, CourseStatus::Draft | CourseStatus::Rejected)
    }
}

/// A lecture's media status, driven by its transcode job.
pub mod lecture_status {
    pub const PROCESSING: &str = "processing";
    pub const READY: &str = "ready";
    pub const FAILED: &str = "failed";
}

const MAX_TITLE_CHARS: usize = 200;
const MAX_TEACHER_CHARS: usize = 100;
const MAX_DESCRIPTION_CHARS: usize = 5000;
/// No single course is worth more than a whole year's requirement several times over.
const MAX_HOURS: f64 = 200.0;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewCourse {
    pub title: String,
    pub category: Category,
    pub year: i32,
    /// 学时, a positive number with at most one decimal.
    pub hours: f64,
    pub teacher: String,
    #[serde(default)]
    pub description: String,
}

impl NewCourse {
    /// Trims the text fields and refuses what cannot be a course. Every bad field is listed in
    /// the error's `details` (`[{"field", "code", "message"}]`) so a form can mark each one; the
    /// error's own code and message are the first problem's.
    pub fn checked(mut self) -> AppResult<Self> {
        let mut problems = Problems::default();
        self.title = problems.text("title", &self.title, MAX_TITLE_CHARS, "invalid_title", "课程名称");
        self.teacher = problems.text("teacher", &self.teacher, MAX_TEACHER_CHARS, "invalid_teacher", "主讲教师");
        self.description = self.description.trim().to_owned();
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            let message = format!("课程简介不超过 {MAX_DESCRIPTION_CHARS} 字 (description too long)");
            problems.add("description", "invalid_description", message);
        }
        if !(2000..=2100).contains(&self.year) {
            problems.add("year", "invalid_year", "年度无效 (year must be 2000..2100)".into());
        }
        if !is_valid_hours(self.hours) {
            let message = "学时须为正数且最多一位小数 (hours must be positive with at most one decimal)";
            problems.add("hours", "invalid_hours", message.into());
        }
        problems.into_result().map(|()| self)
    }
}

/// The bad fields of a form, in order.
#[derive(Default)]
struct Problems(Vec<(&'static str, &'static str, String)>);

impl Problems {
    fn add(&mut self, field: &'static str, code: &'static str, message: String) {
        self.0.push((field, code, message));
    }

    /// The trimmed text, or (recording the problem) the text as given.
    fn text(&mut self, field: &'static str, text: &str, max: usize, code: &'static str, what: &str) -> String {
        match checked_text(text, max, code, what) {
            Ok(t) => t,
            Err(e) => {
                self.add(field, code, e.to_string());
                text.to_owned()
            }
        }
    }

    fn into_result(self) -> AppResult<()> {
        let Some((_, code, message)) = self.0.first().cloned() else { return Ok(()) };
        let details = self.0.iter().map(|(f, c, m)| json!({"field": f, "code": c, "message": m})).collect();
        Err(AppError::invalid(code, message, serde_json::Value::Array(details)))
    }
}

/// A lecture title from the upload form.
pub fn checked_lecture_title(title: &str) -> AppResult<String> {
    checked_text(title, MAX_TITLE_CHARS, "invalid_title", "课时名称")
}

fn checked_text(text: &str, max_chars: usize, code: &'static str, what: &str) -> AppResult<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max_chars {
        let message = format!("{what}不能为空且不超过 {max_chars} 字 (required, at most {max_chars} characters)");
        return Err(AppError::unprocessable(code, message));
    }
    Ok(text.to_owned())
}

fn is_valid_hours(hours: f64) -> bool {
    let tenths = hours * 10.0;
    hours.is_finite() && hours > 0.0 && hours <= MAX_HOURS && (tenths - tenths.round()).abs() < 1e-6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_have_at_most_one_decimal() {
        for ok in [0.1, 1.0, 17.5, 200.0] {
            assert!(is_valid_hours(ok), "{ok}");
        }
        for bad in [0.0, -1.0, 0.05, 17.25, 200.1, f64::NAN, f64::INFINITY] {
            assert!(!is_valid_hours(bad), "{bad}");
        }
    }

    #[test]
    fn every_bad_field_is_listed() {
        let new = NewCourse {
            title: "  ".into(),
            category: Category::Professional,
            year: 1999,
            hours: 1.25,
            teacher: "王老师".into(),
            description: String::new(),
        };
        let Err(AppError::Unprocessable { code, details: Some(details), .. }) = new.checked() else {
            panic!("a bad course must be refused with details")
        };
        assert_eq!(code, "invalid_title");
        let fields: Vec<&str> = details.as_array().unwrap().iter().filter_map(|d| d["field"].as_str()).collect();
        assert_eq!(fields, ["title", "year", "hours"]);
        assert_eq!(Category::parse("public_elective"), Some(Category::PublicElective));
        assert_eq!(Category::parse("sports"), None);
    }

    #[test]
    fn statuses_round_trip() {
        for s in ["draft", "submitted", "published", "rejected"] {
            assert_eq!(CourseStatus::parse(s).map(CourseStatus::as_str), Some(s));
        }
        assert_eq!(CourseStatus::parse("deleted"), None);
    }
}
