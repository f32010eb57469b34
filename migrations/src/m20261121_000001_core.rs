//! Organisations, users, login throttling and the audit log.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("orgs")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(string("name"))
                .col(string_len("kind", 20))
                .col(integer_null("parent_id"))
                .col(string_len("region", 64))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().from("orgs", "parent_id").to("orgs", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_orgs_parent").table("orgs").col("parent_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("users")
                .if_not_exists()
                .col(pk_auto("id"))
                // "u:<username>" for staff, "id:<hmac of the ID number>" for learners.
                .col(string_uniq("login_key"))
                .col(string_null("username"))
                .col(text_null("id_number_enc"))
                .col(string_len_null("id_number_hmac", 64).unique_key())
                .col(string("name"))
                .col(string_len_null("phone", 32))
                .col(string_len("role", 32))
                .col(integer_null("org_id"))
                .col(text("password_hash"))
                .col(boolean("must_change_password"))
                .col(integer("token_version"))
                .col(boolean("disabled"))
                .col(integer("failed_logins"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().from("users", "org_id").to("orgs", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("idx_users_org").table("users").col("org_id").to_owned()).await?;
        // Throttle keyed by the login key whether or not the account exists, so the answer
        // never reveals which ID numbers are registered.
        m.create_table(
            Table::create()
                .table("login_throttle")
                .if_not_exists()
                .col(string_len("key_hash", 64).primary_key())
                .col(integer("failures"))
                .col(timestamp_with_time_zone("window_start"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("audit_log")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(integer_null("actor_id"))
                .col(string_len("action", 64))
                .col(string_len("target_kind", 32))
                .col(string_len("target_id", 64))
                .col(text_null("reason"))
                .col(json_null("detail"))
                .col(timestamp_with_time_zone("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_audit_target").table("audit_log").col("target_kind").col("target_id").to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["audit_log", "login_throttle", "users", "orgs"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
