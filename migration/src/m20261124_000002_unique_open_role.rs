//! At most one open (proposed, committed or active) assignment per country and role, enforced by
//! the database too, so two concurrent writers cannot both get through the service's check.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "uq_role_assignment_open_country_role";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(RoleAssignment::Table)
                    .col(RoleAssignment::CountryId)
                    .col(RoleAssignment::Role)
                    .unique()
                    .cond_where(Expr::col(RoleAssignment::Status).is_in(["PROPOSED", "COMMITTED", "ACTIVE"]))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(RoleAssignment::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum RoleAssignment {
    Table,
    CountryId,
    Role,
    Status,
}
