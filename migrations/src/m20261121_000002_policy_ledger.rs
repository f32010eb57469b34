//! Yearly policies per region and the credit ledger (学时记录).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("policies")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(string_len("region", 64))
                .col(integer("year"))
                .col(json("body"))
                .col(integer_null("updated_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_policies_region_year")
                .table("policies")
                .col("region")
                .col("year")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("credits")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(integer("learner_id"))
                .col(integer("year"))
                .col(string_len("category", 16))
                .col(string_len_null("public_subkind", 16))
                .col(string_len("source_kind", 32))
                .col(string_len("source_id", 64))
                .col(string_len_null("declaration_kind", 32))
                .col(boolean("online"))
                .col(string("title"))
                .col(double("hours"))
                .col(timestamp_with_time_zone("credited_at"))
                .foreign_key(ForeignKey::create().from("credits", "learner_id").to("users", "id"))
                .check(Expr::col("hours").gte(0))
                .to_owned(),
        )
        .await?;
        // Idempotent crediting, enforced by the database: one source credits a learner's
        // category at most once, whatever retries or races happen.
        m.create_index(
            Index::create()
                .name("uq_credits_source")
                .table("credits")
                .col("learner_id")
                .col("source_kind")
                .col("source_id")
                .col("category")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_credits_learner_year").table("credits").col("learner_id").col("year").to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["credits", "policies"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
