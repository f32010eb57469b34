//! Schema migrations, one file per change, named by date and purpose.
pub use sea_orm_migration::prelude::*;

mod m20261121_000001_core;
mod m20261121_000002_policy_ledger;
mod m20261121_000003_courses_media;
mod m20261122_000030_exams;
mod m20261122_000040_declarations;
mod m20261122_000041_certificates;
mod m20261122_000050_training_plans;
mod m20261122_000051_class_rosters;
mod m20261122_000052_excellent_courses;
mod m20261122_000053_outbox;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_core::Migration),
            Box::new(m20261121_000002_policy_ledger::Migration),
            Box::new(m20261121_000003_courses_media::Migration),
            Box::new(m20261122_000030_exams::Migration),
            Box::new(m20261122_000040_declarations::Migration),
            Box::new(m20261122_000041_certificates::Migration),
            Box::new(m20261122_000050_training_plans::Migration),
            Box::new(m20261122_000051_class_rosters::Migration),
            Box::new(m20261122_000052_excellent_courses::Migration),
            Box::new(m20261122_000053_outbox::Migration),
        ]
    }
}
