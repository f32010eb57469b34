//! Question banks (题库), exams and attempts. The two-attempt rule holds in the database on
//! its own: an attempt number is between 1 and the exam's `max_attempts` (a composite foreign
//! key keeps the row's copy equal to the exam's), numbers are unique per learner and cycle,
//! and a partial unique index allows one open attempt per learner, exam and cycle.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        banks(m).await?;
        exams(m).await?;
        attempts(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["exam_attempts", "exams", "questions", "question_banks"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}

async fn banks(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table("question_banks")
            .if_not_exists()
            .col(pk_auto("id"))
            .col(string_len("name", 100))
            .col(integer("version"))
            .col(string_len("status", 16))
            .col(integer("question_count"))
            .col(integer("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone_null("published_at"))
            .check(("ck_question_banks_status", Expr::cust("status IN ('draft', 'published')")))
            .to_owned(),
    )
    .await?;
    m.create_index(
        Index::create()
            .name("uq_question_banks_name_version")
            .table("question_banks")
            .col("name")
            .col("version")
            .unique()
            .to_owned(),
    )
    .await?;
    m.create_table(
        Table::create()
            .table("questions")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(integer("bank_id"))
            .col(string_len("kind", 16))
            .col(text("stem"))
            .col(json("options"))
            .col(json("answer"))
            .col(string_len_null("knowledge_point", 100))
            .col(json_null("difficulty"))
            .col(integer("position"))
            .foreign_key(ForeignKey::create().from("questions", "bank_id").to("question_banks", "id"))
            .to_owned(),
    )
    .await?;
    m.create_index(Index::create().name("idx_questions_bank").table("questions").col("bank_id").to_owned()).await
}

async fn exams(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table("exams")
            .if_not_exists()
            .col(pk_auto("id"))
            .col(integer("course_id").unique_key())
            .col(integer("bank_id"))
            .col(integer("duration_s"))
            .col(double("pass_score"))
            .col(json("draw"))
            .col(integer("max_attempts"))
            .col(timestamp_with_time_zone("created_at"))
            .foreign_key(ForeignKey::create().from("exams", "course_id").to("courses", "id"))
            .foreign_key(ForeignKey::create().from("exams", "bank_id").to("question_banks", "id"))
            .check(("ck_exams_max_attempts", Expr::cust("max_attempts >= 1")))
            .to_owned(),
    )
    .await?;
    // The target of the attempts' composite foreign key.
    m.create_index(
        Index::create()
            .name("uq_exams_id_max_attempts")
            .table("exams")
            .col("id")
            .col("max_attempts")
            .unique()
            .to_owned(),
    )
    .await
}

async fn attempts(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table("exam_attempts")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(integer("exam_id"))
            .col(integer("learner_id"))
            .col(integer("course_id"))
            .col(integer("cycle"))
            .col(integer("attempt_no"))
            .col(integer("max_attempts"))
            .col(string_len("status", 16))
            .col(json("paper"))
            .col(json("answers"))
            // Bumped by every save, so grading can tell that the answers it read are the latest.
            .col(integer("answers_rev").default(0))
            .col(timestamp_with_time_zone_null("answers_saved_at"))
            .col(timestamp_with_time_zone("started_at"))
            .col(timestamp_with_time_zone("deadline"))
            .col(timestamp_with_time_zone_null("submitted_at"))
            .col(double_null("score"))
            .col(boolean_null("passed"))
            .col(timestamp_with_time_zone_null("graded_at"))
            .foreign_key(
                ForeignKey::create()
                    .from("exam_attempts", ("exam_id", "max_attempts"))
                    .to("exams", ("id", "max_attempts")),
            )
            .foreign_key(ForeignKey::create().from("exam_attempts", "learner_id").to("users", "id"))
            .check(("ck_exam_attempts_no", Expr::cust("attempt_no >= 1 AND attempt_no <= max_attempts")))
            .check(("ck_exam_attempts_status", Expr::cust("status IN ('open', 'submitted', 'expired')")))
            .to_owned(),
    )
    .await?;
    m.create_index(
        Index::create()
            .name("uq_exam_attempts_no")
            .table("exam_attempts")
            .col("exam_id")
            .col("learner_id")
            .col("cycle")
            .col("attempt_no")
            .unique()
            .to_owned(),
    )
    .await?;
    m.create_index(
        Index::create()
            .name("idx_exam_attempts_status_deadline")
            .table("exam_attempts")
            .col("status")
            .col("deadline")
            .to_owned(),
    )
    .await?;
    // Partial indexes are not in sea-query's portable builder; this statement is the same on
    // SQLite and PostgreSQL.
    m.get_connection()
        .execute_unprepared(
            "CREATE UNIQUE INDEX IF NOT EXISTS uq_exam_attempts_open \
             ON exam_attempts (exam_id, learner_id, cycle) WHERE status = 'open'",
        )
        .await?;
    Ok(())
}
