use sea_orm_migration::{prelude::*, schema::*};

use crate::audit_columns;
use crate::m20261123_000001_create_reference_tables::Country;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(UserAccount::Table)
                        .if_not_exists()
                        .col(pk_auto(UserAccount::Id))
                        .col(string_len_uniq(UserAccount::Email, 254))
                        .col(string_len(UserAccount::DisplayName, 200))
                        .col(string(UserAccount::PasswordHash))
                        .col(string_len(UserAccount::Role, 32))
                        .col(integer_null(UserAccount::CountryId))
                        .col(boolean(UserAccount::Active).default(true))
                        .col(timestamp_with_time_zone_null(UserAccount::LastLoginAt))
                        .foreign_key(
                            ForeignKey::create()
                                .name("fk_user_account_country")
                                .from(UserAccount::Table, UserAccount::CountryId)
                                .to(Country::Table, Country::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        ),
                )
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UserAccount::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Role,
    CountryId,
    Active,
    LastLoginAt,
}
