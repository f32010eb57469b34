//! Courses, lectures, study cycles, watch progress and durable background jobs.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("courses")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("base_org_id"))
                .col(string("title"))
                .col(string_len("category", 20))
                .col(integer("year"))
                .col(double("hours"))
                .col(string("teacher"))
                .col(integer_null("teacher_user_id"))
                .col(text("description"))
                .col(string_len("status", 16))
                .col(text_null("reject_reason"))
                .col(integer("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(ForeignKey::create().from("courses", "base_org_id").to("orgs", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_courses_year_status").table("courses").col("year").col("status").to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("lectures")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("course_id"))
                .col(integer("position"))
                .col(string("title"))
                .col(string_len("status", 16))
                .col(double_null("duration_s"))
                .col(text_null("error"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().from("lectures", "course_id").to("courses", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_lectures_course").table("lectures").col("course_id").to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table("jobs")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(string_len("kind", 32))
                .col(json("payload"))
                .col(string_len("status", 16))
                .col(double("progress"))
                .col(integer("attempts"))
                .col(integer("max_attempts"))
                .col(text_null("error"))
                .col(timestamp_with_time_zone("run_after"))
                .col(string_len_null("locked_by", 64))
                .col(timestamp_with_time_zone_null("locked_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_jobs_status_run_after").table("jobs").col("status").col("run_after").to_owned(),
        )
        .await?;
        // A learner's study cycle of a course (学习周期): restudy (申请重新学习) starts a new one.
        m.create_table(
            Table::create()
                .table("course_cycles")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(integer("learner_id"))
                .col(integer("course_id"))
                .col(integer("cycle"))
                .col(timestamp_with_time_zone("started_at"))
                .foreign_key(ForeignKey::create().from("course_cycles", "learner_id").to("users", "id"))
                .foreign_key(ForeignKey::create().from("course_cycles", "course_id").to("courses", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_course_cycles")
                .table("course_cycles")
                .col("learner_id")
                .col("course_id")
                .col("cycle")
                .unique()
                .to_owned(),
        )
        .await?;
        // The durable copy of watch progress; Redis holds the hot copy and writes behind.
        m.create_table(
            Table::create()
                .table("lecture_progress")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(integer("learner_id"))
                .col(integer("lecture_id"))
                .col(integer("cycle"))
                .col(text("state"))
                .col(double("watched_s"))
                .col(double("coverage"))
                .col(boolean("completed"))
                .col(timestamp_with_time_zone_null("completed_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(ForeignKey::create().from("lecture_progress", "learner_id").to("users", "id"))
                .foreign_key(ForeignKey::create().from("lecture_progress", "lecture_id").to("lectures", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_lecture_progress")
                .table("lecture_progress")
                .col("learner_id")
                .col("lecture_id")
                .col("cycle")
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["lecture_progress", "course_cycles", "jobs", "lectures", "courses"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
