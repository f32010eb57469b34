//! The excellent online public course selection (优质在线公需课评选, province 2022):
//! yearly rounds, nominations, expert scores and learners' votes.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("excellent_rounds")
                .if_not_exists()
                .col(integer("year").primary_key())
                .col(timestamp_with_time_zone("vote_opens_at"))
                .col(timestamp_with_time_zone("vote_closes_at"))
                .col(integer("top_n"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(integer_null("published_by"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("excellent_nominations")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("year"))
                .col(integer("course_id"))
                .col(integer("base_org_id"))
                .col(boolean("ip_pledge"))
                .col(text("introduction"))
                // nominated | selected | not_selected
                .col(string_len("status", 16))
                .col(double_null("final_score"))
                .col(integer("nominated_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().from("excellent_nominations", "course_id").to("courses", "id"))
                .foreign_key(ForeignKey::create().from("excellent_nominations", "base_org_id").to("orgs", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_excellent_nominations_course_year")
                .table("excellent_nominations")
                .col("course_id")
                .col("year")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("excellent_scores")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(integer("nomination_id"))
                .col(integer("expert_id"))
                .col(double("score"))
                .col(text_null("comment"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create().from("excellent_scores", "nomination_id").to("excellent_nominations", "id"),
                )
                .foreign_key(ForeignKey::create().from("excellent_scores", "expert_id").to("users", "id"))
                .check(Expr::col("score").between(0, 100))
                .to_owned(),
        )
        .await?;
        // One score per expert and nomination, one vote per learner and nomination: enforced
        // by the database so concurrent requests cannot double count.
        m.create_index(
            Index::create()
                .name("uq_excellent_scores")
                .table("excellent_scores")
                .col("nomination_id")
                .col("expert_id")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("excellent_votes")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(integer("nomination_id"))
                .col(integer("learner_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create().from("excellent_votes", "nomination_id").to("excellent_nominations", "id"),
                )
                .foreign_key(ForeignKey::create().from("excellent_votes", "learner_id").to("users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_excellent_votes")
                .table("excellent_votes")
                .col("nomination_id")
                .col("learner_id")
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["excellent_votes", "excellent_scores", "excellent_nominations", "excellent_rounds"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
