//! When a course may be published (发布): pure, so the numbers are tested without a server.
//! A course's hours must be backed by video: `hours * minutes_per_credit_hour * 60` seconds
//! of ready lectures at least (e.g. 45 minutes per 学时 in Shandong).
use serde_json::json;

use crate::error::AppError;

/// What the rule needs to know of one lecture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LectureFacts {
    pub ready: bool,
    pub duration_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    NoLectures,
    NotReady { not_ready: usize },
    TooShort { required_s: f64, total_s: f64 },
}

pub fn check(hours: f64, minutes_per_credit_hour: u32, lectures: &[LectureFacts]) -> Result<(), Refusal> {
    if lectures.is_empty() {
        return Err(Refusal::NoLectures);
    }
    let not_ready = lectures.iter().filter(|l| !l.ready).count();
    if not_ready > 0 {
        return Err(Refusal::NotReady { not_ready });
    }
    let total_s: f64 = lectures.iter().filter_map(|l| l.duration_s).sum();
    let required_s = hours * f64::from(minutes_per_credit_hour) * 60.0;
    if required_s > total_s {
        return Err(Refusal::TooShort { required_s, total_s });
    }
    Ok(())
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NoLectures => AppError::conflict("no_lectures", "课程还没有课时视频 (the course has no lectures)"),
            Refusal::NotReady { not_ready } => AppError::Conflict {
                code: "lectures_not_ready",
                message: format!("{not_ready} 个课时视频尚未处理完成 (lectures still processing or failed)"),
                details: Some(json!({"not_ready": not_ready})),
            },
            Refusal::TooShort { required_s, total_s } => AppError::Conflict {
                code: "hours_exceed_length",
                message: "课时视频总时长不足以支撑课程学时 (the lectures are too short for the course's hours)".into(),
                details: Some(json!({"required_s": required_s, "total_s": total_s})),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready(duration_s: f64) -> LectureFacts {
        LectureFacts { ready: true, duration_s: Some(duration_s) }
    }

    #[test]
    fn one_hour_at_45_minutes_needs_2700_seconds() {
        assert_eq!(check(1.0, 45, &[ready(1800.0), ready(900.0)]), Ok(()));
        assert_eq!(
            check(1.0, 45, &[ready(1800.0), ready(899.0)]),
            Err(Refusal::TooShort { required_s: 2700.0, total_s: 2699.0 })
        );
        assert_eq!(check(0.5, 45, &[ready(1350.0)]), Ok(()));
    }

    #[test]
    fn every_lecture_must_be_ready_and_there_must_be_one() {
        assert_eq!(check(1.0, 45, &[]), Err(Refusal::NoLectures));
        let processing = LectureFacts { ready: false, duration_s: None };
        assert_eq!(check(0.1, 45, &[ready(9999.0), processing]), Err(Refusal::NotReady { not_ready: 1 }));
    }
}
