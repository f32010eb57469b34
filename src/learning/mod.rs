//! The learner's study centre (学习中心): read models for the catalog, course and player pages,
//! composed from the courses, watching and exams services. Nothing here decides eligibility or
//! progress itself: it asks the services that own those rules.
pub mod catalog;
pub mod course_page;
