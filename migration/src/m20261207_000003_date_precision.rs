//! Feedback, role assignments and planned uses say how much of their dates is known, as versions,
//! milestones and events do: the requests on the February 2021 draft were received "in February
//! 2021", not on its first day. Existing rows keep the day they had, as DAY.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Feedback::Table)
                    .add_column(string_len(Feedback::ReceivedPrecision, 16).default("DAY"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RoleAssignment::Table)
                    .add_column(string_len_null(RoleAssignment::StartedPrecision, 16))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PlannedUse::Table)
                    .add_column(string_len_null(PlannedUse::TargetPrecision, 16))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE role_assignment SET started_precision = 'DAY' WHERE started_on IS NOT NULL")
            .await?;
        db.execute_unprepared("UPDATE planned_use SET target_precision = 'DAY' WHERE target_date IS NOT NULL").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(PlannedUse::Table).drop_column(PlannedUse::TargetPrecision).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table(RoleAssignment::Table).drop_column(RoleAssignment::StartedPrecision).to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(Feedback::Table).drop_column(Feedback::ReceivedPrecision).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Feedback {
    Table,
    ReceivedPrecision,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoleAssignment {
    Table,
    StartedPrecision,
}

#[derive(DeriveIden, Clone, Copy)]
enum PlannedUse {
    Table,
    TargetPrecision,
}
