//! Bases' yearly training plans (培训计划) and their classes (培训班), Weihai 2023 annex.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("training_plans")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("base_org_id"))
                .col(integer("year"))
                // draft | submitted | approved | returned
                .col(string_len("status", 16))
                .col(text_null("review_comment"))
                .col(integer_null("reviewed_by"))
                .col(timestamp_with_time_zone_null("reviewed_at"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .col(integer("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(ForeignKey::create().from("training_plans", "base_org_id").to("orgs", "id"))
                .to_owned(),
        )
        .await?;
        // One plan per base and year: a returned plan is revised, not duplicated.
        m.create_index(
            Index::create()
                .name("uq_training_plans_base_year")
                .table("training_plans")
                .col("base_org_id")
                .col("year")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("training_classes")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("plan_id"))
                .col(integer("position"))
                .col(string("name"))
                .col(string_len("field", 48))
                .col(date("start_date"))
                .col(date("end_date"))
                .col(integer("days"))
                .col(double("hours"))
                .col(text("content"))
                .col(text("schedule"))
                // onsite | remote
                .col(string_len("mode", 16))
                .col(text("teachers"))
                .col(string("contact_name"))
                .col(string_len("contact_phone", 32))
                .col(string_null("location"))
                .col(timestamp_with_time_zone_null("attendance_recorded_at"))
                .foreign_key(ForeignKey::create().from("training_classes", "plan_id").to("training_plans", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_training_classes_plan").table("training_classes").col("plan_id").to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["training_classes", "training_plans"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
