//! Institutions and the province: training plans, offline classes, excellent courses,
//! statistics and the provincial sync.
mod excellent;
pub(crate) mod fixtures;
mod plans;
mod roster;
mod sync;
