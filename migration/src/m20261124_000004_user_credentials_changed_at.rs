//! When an account's password last changed: tokens issued before it stop working.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UserAccount::Table)
                    .add_column(timestamp_with_time_zone_null(UserAccount::CredentialsChangedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(UserAccount::Table).drop_column(UserAccount::CredentialsChangedAt).to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    CredentialsChangedAt,
}
