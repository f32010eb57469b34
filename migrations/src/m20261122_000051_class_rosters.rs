//! Rosters (培训学员花名册) of offline classes and the hours each person attended.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("class_roster")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(integer("class_id"))
                .col(integer("learner_id"))
                .col(integer("row_no"))
                .col(double_null("hours"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().from("class_roster", "class_id").to("training_classes", "id"))
                .foreign_key(ForeignKey::create().from("class_roster", "learner_id").to("users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_class_roster")
                .table("class_roster")
                .col("class_id")
                .col("learner_id")
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("class_roster").if_exists().to_owned()).await
    }
}
