//! Yearly completion certificates (电子证书), verifiable by code with masked personal data.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("certificates")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(string_len_uniq("code", 32))
                .col(integer("learner_id"))
                .col(integer("year"))
                .col(double("public_hours"))
                .col(double("professional_hours"))
                .col(double("total_hours"))
                // Masked at issue, so the public verification never touches personal data.
                .col(string_len("name_masked", 64))
                .col(string_len("id_number_masked", 32))
                .col(string("issuer"))
                .col(string_len("status", 16))
                .col(timestamp_with_time_zone("issued_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(integer_null("revoked_by"))
                .col(text_null("revoke_reason"))
                .foreign_key(ForeignKey::create().from("certificates", "learner_id").to("users", "id"))
                .to_owned(),
        )
        .await?;
        // At most one valid certificate per learner and year, even when two requests race.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS uq_certificates_valid ON certificates \
                 (learner_id, year) WHERE status = 'valid'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("certificates").if_exists().to_owned()).await?;
        Ok(())
    }
}
