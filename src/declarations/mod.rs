//! Hour declarations (学时申报认定): filing with evidence, the level-by-level review chain
//! (employer -> department -> HR bureau, as the policy says), and crediting on final approval.
pub mod annual_review;
pub mod chain;
pub mod demo;
pub mod evidence;
pub mod filing;
pub mod input;
pub mod review;
pub mod view;

pub use annual_review::approved as annual_review_approved;
