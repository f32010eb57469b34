//! Courses and their lectures (课程与课时): a base creates a course, uploads lecture videos
//! (transcoded by a background job), submits it; the platform admin publishes or rejects it.
//! The course's exam summary comes from `exams::setup::exam_summary`.
pub mod access;
pub mod demo;
pub mod model;
pub mod publish_rule;
pub mod review;
pub mod service;
pub mod streaming;
pub mod upload;
mod upload_form;

pub use streaming::stream_url;
