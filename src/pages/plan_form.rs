//! The class form of a training plan (the Weihai annex's columns) as the pages post it: typed
//! text in, a [`ClassInput`] or the errors per field out, in Chinese next to each field.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::institutions::{fields, plan_input::ClassInput};

/// Field name -> what is wrong with it ("form" for the plan as a whole).
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ClassForm {
    pub name: String,
    pub field: String,
    pub start_date: String,
    pub end_date: String,
    pub days: String,
    pub hours: String,
    pub content: String,
    pub schedule: String,
    pub mode: String,
    pub teachers: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub location: String,
    /// Only on the new-plan form.
    pub year: String,
    #[serde(skip_serializing)]
    pub csrf: String,
}

impl From<ClassInput> for ClassForm {
    fn from(c: ClassInput) -> Self {
        Self {
            name: c.name,
            field: c.field,
            start_date: c.start_date.to_string(),
            end_date: c.end_date.to_string(),
            days: c.days.map(|d| d.to_string()).unwrap_or_default(),
            hours: c.hours.to_string(),
            content: c.content,
            schedule: c.schedule,
            mode: c.mode,
            teachers: c.teachers,
            contact_name: c.contact_name,
            contact_phone: c.contact_phone,
            location: c.location.unwrap_or_default(),
            ..Self::default()
        }
    }
}

fn date(errors: &mut FieldErrors, name: &str, text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").unwrap_or_else(|_| {
        errors.insert(name.into(), "请填写日期，如 2027-05-10".into());
        NaiveDate::default()
    })
}

impl ClassForm {
    /// The class as the service takes it, or what cannot even be read as a date or number.
    pub fn to_input(&self) -> Result<ClassInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let start_date = date(&mut errors, "start_date", &self.start_date);
        let end_date = date(&mut errors, "end_date", &self.end_date);
        let days = match self.days.trim() {
            "" => None,
            d => d.parse().map(Some).unwrap_or_else(|_| {
                errors.insert("days".into(), "请填写整数天数，或留空按起止日期计算".into());
                None
            }),
        };
        let hours = self.hours.trim().parse().unwrap_or_else(|_| {
            errors.insert("hours".into(), "请填写学时数，如 24 或 7.5".into());
            0.0
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ClassInput {
            name: self.name.clone(),
            field: self.field.clone(),
            start_date,
            end_date,
            days,
            hours,
            content: self.content.clone(),
            schedule: self.schedule.clone(),
            mode: self.mode.clone(),
            teachers: self.teachers.clone(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
            location: Some(self.location.clone()).filter(|l| !l.trim().is_empty()),
        })
    }
}

/// The service's `invalid_plan` details (`[{class, field, message}]`) by field.
pub fn service_errors(details: Option<&Value>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for d in details.and_then(Value::as_array).into_iter().flatten() {
        let field = match d["field"].as_str().unwrap_or("form") {
            "classes" => "form",
            f => f,
        };
        errors.entry(field.to_owned()).or_insert_with(|| d["message"].as_str().unwrap_or_default().to_owned());
    }
    errors
}

/// `(code, 中文名)` of every knowledge-update field, for the form's select.
pub fn field_options() -> Vec<(&'static str, &'static str)> {
    fields::FIELDS.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_dates_and_numbers_are_named() {
        let form = ClassForm {
            start_date: "明天".into(),
            end_date: "2027-05-12".into(),
            hours: "x".into(),
            ..Default::default()
        };
        let errors = form.to_input().unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), vec!["hours", "start_date"]);
    }

    #[test]
    fn service_details_map_to_fields() {
        let details = serde_json::json!([{"class": 0, "field": "hours", "message": "学时须大于 0"},
            {"class": 0, "field": "classes", "message": "须有 1 至 100 个培训班"}]);
        let errors = service_errors(Some(&details));
        assert_eq!(errors["hours"], "学时须大于 0");
        assert_eq!(errors["form"], "须有 1 至 100 个培训班");
    }
}
