//! Hour declarations (学时申报认定), their evidence files and every review decision.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("declarations")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("learner_id"))
                // The learner's employer when filed: the reviewers' scope is decided by it.
                .col(integer_null("org_id"))
                .col(string_len("kind", 32))
                .col(integer("year"))
                .col(string("title"))
                .col(json("input"))
                .col(json("valuation"))
                .col(double("public_hours"))
                .col(double("professional_hours"))
                .col(boolean("completes_year"))
                .col(string_len_null("reference_norm", 255))
                .col(string_len("status", 16))
                // The review chain as filed (e.g. "employer,department,hr_bureau") and the
                // index of the level now deciding; a policy change never strands a declaration.
                .col(string_len("chain", 64))
                .col(integer("level"))
                .col(integer("round"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .foreign_key(ForeignKey::create().from("declarations", "learner_id").to("users", "id"))
                .foreign_key(ForeignKey::create().from("declarations", "org_id").to("orgs", "id"))
                .check(Expr::col("public_hours").gte(0))
                .check(Expr::col("professional_hours").gte(0))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_declarations_learner")
                .table("declarations")
                .col("learner_id")
                .col("year")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_declarations_status").table("declarations").col("status").col("level").to_owned(),
        )
        .await?;
        // The same achievement never counts twice (同一项目成果，不重复计算), even under a race:
        // a partial unique index, which SQLite and PostgreSQL both understand.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS uq_declarations_reference ON declarations \
                 (learner_id, reference_norm) WHERE reference_norm IS NOT NULL AND status <> 'rejected'",
            )
            .await?;
        m.create_table(
            Table::create()
                .table("declaration_reviews")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(integer("declaration_id"))
                .col(integer("round"))
                .col(integer("level"))
                .col(string_len("level_name", 16))
                .col(integer("reviewer_id"))
                .col(string_len("decision", 8))
                .col(text_null("comment"))
                .col(timestamp_with_time_zone("decided_at"))
                .foreign_key(
                    ForeignKey::create().from("declaration_reviews", "declaration_id").to("declarations", "id"),
                )
                .foreign_key(ForeignKey::create().from("declaration_reviews", "reviewer_id").to("users", "id"))
                .to_owned(),
        )
        .await?;
        // One decision per level and round (谁审核，谁负责): never two, whatever the race.
        m.create_index(
            Index::create()
                .name("uq_declaration_reviews_level")
                .table("declaration_reviews")
                .col("declaration_id")
                .col("round")
                .col("level")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("declaration_evidence")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("declaration_id"))
                // Random uuid: the file's name on disk and its id in URLs.
                .col(string_len_uniq("file_key", 36))
                .col(string_len("content_type", 32))
                .col(big_integer("size"))
                .col(string("original_name"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create().from("declaration_evidence", "declaration_id").to("declarations", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_declaration_evidence_decl")
                .table("declaration_evidence")
                .col("declaration_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["declaration_evidence", "declaration_reviews", "declarations"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
