//! Events record what happened: a participation status beside the role, the day the event was
//! held, its attendance and report, and follow-up actions with an owner, a due date and a status.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{audit_columns, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        manager
            .alter_table(
                Table::alter()
                    .table(EventParticipant::Table)
                    .add_column(string_len_null(EventParticipant::Status, 32))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new(Event::HeldOn).date().null().to_owned(),
            ColumnDef::new(Event::AttendeeCount).integer().null().to_owned(),
            ColumnDef::new(Event::OutcomeReport).text().null().to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Event::Table).add_column(column).to_owned()).await?;
        }
        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(FollowUpAction::Table)
                        .if_not_exists()
                        .col(pk_auto(FollowUpAction::Id))
                        .col(integer(FollowUpAction::EventId))
                        .col(string_len(FollowUpAction::Title, 500))
                        .col(text_null(FollowUpAction::Description))
                        .col(integer_null(FollowUpAction::OwnerCountryId))
                        .col(integer_null(FollowUpAction::OwnerStakeholderId))
                        .col(date_null(FollowUpAction::DueOn))
                        .col(string_len_null(FollowUpAction::DuePrecision, 16))
                        .col(string_len(FollowUpAction::Status, 32))
                        .col(date_null(FollowUpAction::DoneOn))
                        .foreign_key(&mut fk(FollowUpAction::Table, FollowUpAction::EventId, Event::Table, Cascade))
                        .foreign_key(&mut fk(
                            FollowUpAction::Table,
                            FollowUpAction::OwnerCountryId,
                            Country::Table,
                            Restrict,
                        ))
                        .foreign_key(&mut fk(
                            FollowUpAction::Table,
                            FollowUpAction::OwnerStakeholderId,
                            Stakeholder::Table,
                            Restrict,
                        )),
                )
                .to_owned(),
            )
            .await?;
        index(manager, FollowUpAction::Table, &["event_id"], false).await?;
        index(manager, FollowUpAction::Table, &["status", "due_on"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(FollowUpAction::Table).to_owned()).await?;
        for column in [Event::HeldOn, Event::AttendeeCount, Event::OutcomeReport] {
            manager.alter_table(Table::alter().table(Event::Table).drop_column(column).to_owned()).await?;
        }
        manager
            .alter_table(Table::alter().table(EventParticipant::Table).drop_column(EventParticipant::Status).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum EventParticipant {
    Table,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
enum Event {
    Table,
    HeldOn,
    AttendeeCount,
    OutcomeReport,
}

#[derive(DeriveIden, Clone, Copy)]
enum FollowUpAction {
    Table,
    Id,
    EventId,
    Title,
    Description,
    OwnerCountryId,
    OwnerStakeholderId,
    DueOn,
    DuePrecision,
    Status,
    DoneOn,
}

#[derive(DeriveIden, Clone, Copy)]
enum Country {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Stakeholder {
    Table,
}
