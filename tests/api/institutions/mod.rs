//! Institutions and the province: training plans, offline classes, excellent courses,
//! statistics and the provincial sync.
mod excellent;
pub mod fixtures;
mod plans;
mod roster;
mod sync;
