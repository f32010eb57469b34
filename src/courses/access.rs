//! Who may see and change a course. A base admin owns their base's courses; a platform admin
//! reviews all; everyone else sees published courses only. Anything outside that is a 404,
//! so a course's existence is not revealed to other bases.
use sea_orm::{ConnectionTrait, EntityTrait};

use super::model::CourseStatus;
use crate::{
    auth::{AuthUser, Role},
    entities::course,
    error::{AppError, AppResult},
};

/// The caller is the admin of the base that owns the course: they may edit and submit it.
pub fn owns(user: &AuthUser, course: &course::Model) -> bool {
    user.role == Role::BaseAdmin && user.org_id == Some(course.base_org_id)
}

/// The owner's admins and platform admins: they see drafts, jobs, errors and previews.
pub fn manages(user: &AuthUser, course: &course::Model) -> bool {
    user.role == Role::PlatformAdmin || owns(user, course)
}

pub fn can_see(user: &AuthUser, course: &course::Model) -> bool {
    manages(user, course) || course.status == CourseStatus::Published.as_str()
}

async fn find(
    db: &impl ConnectionTrait,
    id: i32,
    allowed: impl Fn(&course::Model) -> bool,
) -> AppResult<course::Model> {
    match course::Entity::find_by_id(id).one(db).await? {
        Some(c) if allowed(&c) => Ok(c),
        _ => Err(AppError::NotFound),
    }
}

pub async fn visible(db: &impl ConnectionTrait, user: &AuthUser, id: i32) -> AppResult<course::Model> {
    find(db, id, |c| can_see(user, c)).await
}

pub async fn managed(db: &impl ConnectionTrait, user: &AuthUser, id: i32) -> AppResult<course::Model> {
    find(db, id, |c| manages(user, c)).await
}

pub async fn owned(db: &impl ConnectionTrait, user: &AuthUser, id: i32) -> AppResult<course::Model> {
    find(db, id, |c| owns(user, c)).await
}

/// A course's status as stored; an unknown value (a newer schema) is treated as not editable.
pub fn status_of(course: &course::Model) -> Option<CourseStatus> {
    CourseStatus::parse(&course.status)
}

/// Refuses changes to a course that is under review or published.
pub fn ensure_editable(course: &course::Model) -> AppResult<()> {
    match status_of(course) {
        Some(s) if s.is_editable() => Ok(()),
        _ => Err(AppError::conflict(
            "course_not_editable",
            "课程已提交审核或已发布，不能修改 (the course is submitted or published)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn user(role: Role, org_id: Option<i32>) -> AuthUser {
        AuthUser { id: 1, role, org_id, name: "u".into(), must_change_password: false }
    }

    fn course(status: &str) -> course::Model {
        course::Model {
            id: 1,
            base_org_id: 10,
            title: "t".into(),
            category: "professional".into(),
            year: 2026,
            hours: 1.0,
            teacher: "t".into(),
            teacher_user_id: None,
            description: String::new(),
            status: status.into(),
            reject_reason: None,
            created_by: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn drafts_are_seen_by_their_base_and_the_platform_only() {
        let draft = course("draft");
        assert!(owns(&user(Role::BaseAdmin, Some(10)), &draft));
        assert!(!owns(&user(Role::BaseAdmin, Some(11)), &draft));
        assert!(!owns(&user(Role::PlatformAdmin, None), &draft));
        assert!(can_see(&user(Role::PlatformAdmin, None), &draft));
        assert!(!can_see(&user(Role::BaseAdmin, Some(11)), &draft));
        assert!(!can_see(&user(Role::Learner, Some(10)), &draft));
        assert!(!can_see(&user(Role::BaseAdmin, None), &draft));
    }

    #[test]
    fn published_courses_are_seen_by_all() {
        let published = course("published");
        for role in Role::ALL {
            assert!(can_see(&user(role, Some(99)), &published), "{role:?}");
        }
        assert!(!manages(&user(Role::Learner, Some(10)), &published));
    }
}
