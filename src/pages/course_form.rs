//! The course form (课程信息) of the base admin's pages: what the browser posts, turned into the
//! service's `NewCourse`, and the service's refusals turned into Chinese text per field.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    courses::{
        model::{Category, NewCourse},
        service::CourseDetail,
    },
    error::AppError,
};

/// The form's fields as typed (numbers stay text until parsed, so a wrong entry is shown back).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct CourseForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub teacher: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing)]
    pub csrf: String,
}

/// Field name -> what is wrong with it, in Chinese.
pub type FieldErrors = HashMap<&'static str, String>;

impl CourseForm {
    pub fn blank(year: i32) -> Self {
        Self { year: year.to_string(), category: Category::Professional.as_str().into(), ..Self::default() }
    }

    pub fn of(course: &CourseDetail) -> Self {
        let c = &course.summary;
        Self {
            title: c.title.clone(),
            category: c.category.clone(),
            year: c.year.to_string(),
            hours: c.hours.to_string(),
            teacher: c.teacher.clone(),
            description: course.description.clone(),
            csrf: String::new(),
        }
    }

    /// The course to hand to the service. Numbers that do not parse are passed on as values the
    /// service refuses (so its one set of rules and messages applies); an unknown category,
    /// which only a tampered form can send, is refused here.
    pub fn to_new(&self) -> Result<NewCourse, FieldErrors> {
        let category = Category::parse(&self.category)
            .ok_or_else(|| FieldErrors::from([("category", "请选择课程类别。".to_owned())]))?;
        Ok(NewCourse {
            title: self.title.clone(),
            category,
            year: self.year.trim().parse().unwrap_or(0),
            hours: self.hours.trim().parse().unwrap_or(f64::NAN),
            teacher: self.teacher.clone(),
            description: self.description.clone(),
        })
    }
}

/// The per-field problems of a refused course (`details: [{"field", "message"}]`), if that is
/// what the error is.
pub fn field_errors(e: &AppError) -> Option<FieldErrors> {
    let AppError::Unprocessable { details: Some(Value::Array(details)), .. } = e else { return None };
    let known = ["title", "category", "year", "hours", "teacher", "description"];
    let errors: FieldErrors = details
        .iter()
        .filter_map(|d| {
            let field = known.into_iter().find(|f| d["field"].as_str() == Some(*f))?;
            Some((field, chinese(d["message"].as_str().unwrap_or_default())))
        })
        .collect();
    (!errors.is_empty()).then_some(errors)
}

/// The Chinese part of a service message "中文 (English)".
pub fn chinese(message: &str) -> String {
    match message.rsplit_once(" (") {
        Some((zh, en)) if en.ends_with(')') && !zh.trim().is_empty() => zh.trim().to_owned(),
        _ => message.to_owned(),
    }
}

/// Chinese names of the categories and statuses, for the templates.
pub fn labels() -> HashMap<&'static str, &'static str> {
    HashMap::from([
        ("public_required", "公需科目（必修）"),
        ("public_elective", "公需科目（选修）"),
        ("professional", "专业科目"),
        ("draft", "草稿"),
        ("submitted", "待审核"),
        ("published", "已发布"),
        ("rejected", "已退回"),
        ("processing", "转码中"),
        ("ready", "就绪"),
        ("failed", "转码失败"),
    ])
}

/// 125.4 s -> "2:05".
pub fn minutes_seconds(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_lose_their_english_part() {
        assert_eq!(chinese("课程名称不能为空 (required)"), "课程名称不能为空");
        assert_eq!(chinese("只有中文"), "只有中文");
        assert_eq!(chinese("(only english)"), "(only english)");
    }

    #[test]
    fn wrong_numbers_reach_the_service_as_refusable_values() {
        let form = CourseForm {
            hours: "两小时".into(),
            year: "x".into(),
            category: "professional".into(),
            ..Default::default()
        };
        let new = form.to_new().unwrap();
        assert!(new.hours.is_nan() && new.year == 0);
        let errors = field_errors(&new.checked().unwrap_err()).unwrap();
        assert!(
            errors.contains_key("hours") && errors.contains_key("year") && errors.contains_key("title"),
            "{errors:?}"
        );
        let tampered = CourseForm { category: "sports".into(), ..Default::default() };
        assert!(tampered.to_new().unwrap_err().contains_key("category"));
    }

    #[test]
    fn durations_read_as_minutes_and_seconds() {
        assert_eq!(minutes_seconds(125.4), "2:05");
        assert_eq!(minutes_seconds(0.0), "0:00");
        assert_eq!(minutes_seconds(3600.0), "60:00");
    }
}
