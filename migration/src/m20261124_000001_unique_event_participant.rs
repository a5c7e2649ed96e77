//! One participation per country and per stakeholder in an event. NULLs are distinct in both
//! SQLite and PostgreSQL, so a stakeholder row (no country) never clashes on the country index.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str); 2] = [
    ("uq_event_participant_event_id_country_id", "country_id"),
    ("uq_event_participant_event_id_stakeholder_id", "stakeholder_id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, column) in INDEXES {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(EventParticipant::Table)
                        .col(EventParticipant::EventId)
                        .col(Alias::new(column))
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager.drop_index(Index::drop().name(name).table(EventParticipant::Table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum EventParticipant {
    Table,
    EventId,
}
