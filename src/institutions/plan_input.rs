//! The classes of a training plan as a base submits them (the columns of the Weihai 2023
//! annex 省市级继续教育基地年度培训计划), checked all at once so every problem is reported.
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{Value, json};

use super::fields;
use crate::{
    error::{AppError, AppResult},
    rules::policy::round_hours,
};

pub const MAX_CLASSES: usize = 100;
const MAX_TEXT: usize = 2000;
const MAX_NAME: usize = 100;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PlanInput {
    pub year: i32,
    pub classes: Vec<ClassInput>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ClassesInput {
    pub classes: Vec<ClassInput>,
}

/// One row of the annex: 培训班名称, 领域, 培训时间 (expected dates and length), 培训内容,
/// 培训日程安排, 培训方式, 培训师资, 项目负责人及联系方式.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ClassInput {
    pub name: String,
    /// A knowledge-update field: its code (`marine`) or name (`海洋`).
    pub field: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Training days; defaults to the days from start to end.
    pub days: Option<i32>,
    /// Planned hours per participant.
    pub hours: f64,
    pub content: String,
    /// Daily schedule (培训日程安排), e.g. "第一天…\n第二天…".
    pub schedule: String,
    /// `onsite` (现场授课) or `remote` (远程教育).
    pub mode: String,
    pub teachers: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub location: Option<String>,
}

/// A class that passed the checks, normalised.
#[derive(Debug, Clone)]
pub struct ValidClass {
    pub input: ClassInput,
    pub field: &'static str,
    pub days: i32,
    pub hours: f64,
}

struct Problems {
    list: Vec<Value>,
}

impl Problems {
    fn add(&mut self, class: usize, field: &str, message: &str) {
        self.list.push(json!({"class": class, "field": field, "message": message}));
    }
    fn text(&mut self, class: usize, field: &str, value: &str, max: usize) {
        let n = value.trim().chars().count();
        if n == 0 || n > max {
            self.add(class, field, &format!("不能为空且不超过 {max} 字 (required, at most {max} characters)"));
        }
    }
}

/// Checks every class against the plan year and the policy's daily hour cap.
pub fn validate(year: i32, classes: Vec<ClassInput>, daily_hours_cap: f64) -> AppResult<Vec<ValidClass>> {
    let mut p = Problems { list: Vec::new() };
    if classes.is_empty() || classes.len() > MAX_CLASSES {
        p.add(0, "classes", &format!("须有 1 至 {MAX_CLASSES} 个培训班 (1 to {MAX_CLASSES} classes)"));
    }
    let valid: Vec<ValidClass> =
        classes.into_iter().enumerate().filter_map(|(i, c)| check_class(&mut p, i, year, c, daily_hours_cap)).collect();
    if p.list.is_empty() {
        Ok(valid)
    } else {
        Err(AppError::invalid("invalid_plan", "培训计划有误 (the training plan has errors)", Value::Array(p.list)))
    }
}

fn check_class(p: &mut Problems, i: usize, year: i32, c: ClassInput, cap: f64) -> Option<ValidClass> {
    let before = p.list.len();
    p.text(i, "name", &c.name, MAX_NAME);
    for (name, value) in [("content", &c.content), ("schedule", &c.schedule), ("teachers", &c.teachers)] {
        p.text(i, name, value, MAX_TEXT);
    }
    p.text(i, "contact_name", &c.contact_name, MAX_NAME);
    let phone = c.contact_phone.trim();
    if !(5..=20).contains(&phone.len()) || !phone.chars().all(|ch| ch.is_ascii_digit() || "-+ ".contains(ch)) {
        p.add(i, "contact_phone", "联系电话格式错误 (invalid phone number)");
    }
    let field = fields::parse(&c.field);
    if field.is_none() {
        p.add(i, "field", "未知的知识更新领域 (unknown knowledge-update field)");
    }
    if !matches!(c.mode.as_str(), "onsite" | "remote") {
        p.add(i, "mode", "培训方式须为 onsite 或 remote (mode must be onsite or remote)");
    }
    if c.start_date.year() != year || c.end_date.year() != year || c.end_date < c.start_date {
        p.add(
            i,
            "start_date",
            "培训时间须在计划年度内且结束不早于开始 (dates must lie in the plan year, end >= start)",
        );
    }
    let span = (c.end_date - c.start_date).num_days() as i32 + 1;
    let days = c.days.unwrap_or(span);
    if days < 1 || days > span.max(1) {
        p.add(i, "days", "培训天数须在 1 与起止日期天数之间 (days must be between 1 and the date span)");
    }
    let hours = round_hours(c.hours);
    if !hours.is_finite() || hours <= 0.0 || hours > f64::from(days.max(1)) * cap {
        p.add(i, "hours", &format!("学时须大于 0 且每天不超过 {cap} (hours must be positive, at most {cap} a day)"));
    }
    if let Some(location) = &c.location
        && location.chars().count() > MAX_NAME
    {
        p.add(i, "location", "培训地点过长 (location too long)");
    }
    (p.list.len() == before).then(|| ValidClass { field: field.unwrap_or_default(), days, hours, input: c })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn class() -> ClassInput {
        ClassInput {
            name: "建设工程专业技术人员能力提升班".into(),
            field: "装备制造".into(),
            start_date: NaiveDate::from_ymd_opt(2027, 5, 10).unwrap_or_default(),
            end_date: NaiveDate::from_ymd_opt(2027, 5, 12).unwrap_or_default(),
            days: None,
            hours: 24.0,
            content: "建筑施工、工程造价".into(),
            schedule: "第一天…\n第二天…\n第三天…".into(),
            mode: "onsite".into(),
            teachers: "山东大学教授".into(),
            contact_name: "李四".into(),
            contact_phone: "151-0000-0000".into(),
            location: None,
        }
    }

    #[test]
    fn a_good_class_passes_with_days_from_dates() {
        let v = validate(2027, vec![class()], 8.0).unwrap_or_default();
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].days, v[0].field), (3, "equipment_manufacturing"));
    }

    #[test]
    fn every_problem_is_reported() {
        let mut bad = class();
        bad.hours = 25.0; // 3 days x 8 hours
        bad.mode = "mail".into();
        bad.field = "炼金术".into();
        let Err(AppError::Unprocessable { details: Some(Value::Array(d)), .. }) = validate(2027, vec![bad], 8.0) else {
            panic!("expected 422");
        };
        let fields: Vec<_> = d.iter().map(|p| p["field"].as_str().unwrap_or("")).collect();
        assert_eq!(fields, vec!["field", "mode", "hours"]);
    }

    #[test]
    fn dates_outside_the_year_are_refused() {
        assert!(validate(2028, vec![class()], 8.0).is_err());
        assert!(validate(2027, vec![], 8.0).is_err());
    }
}
