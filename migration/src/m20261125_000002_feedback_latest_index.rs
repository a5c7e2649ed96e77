//! Each country's newest feedback is read through this index: `country.feedback(latest:)`
//! takes the first rows of one range per country instead of sorting all of them.

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(manager, Feedback::Table, &["country_id", "received_on", "id"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_feedback_country_id_received_on_id").table(Feedback::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Feedback {
    Table,
}
