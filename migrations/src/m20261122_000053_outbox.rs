//! The outbox of records for the provincial platform (省级服务平台数据对接): written in the
//! same transaction as the event, delivered later by the sync job.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("outbox")
                .if_not_exists()
                .col(big_pk_auto("id"))
                // credit | certificate | registration
                .col(string_len("kind", 16))
                .col(json("payload"))
                .col(string_len("idempotency_key", 160).unique_key())
                // pending | delivered | failed
                .col(string_len("status", 16))
                .col(integer("attempts"))
                .col(timestamp_with_time_zone("next_attempt_at"))
                // A claim: whoever holds an unexpired lease is delivering the record.
                .col(timestamp_with_time_zone_null("lease_until"))
                .col(string_len_null("lease_token", 36))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("delivered_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_status_next")
                .table("outbox")
                .col("status")
                .col("next_attempt_at")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("outbox").if_exists().to_owned()).await
    }
}
