//! Engagement records: roles, contacts, pilots, events, milestones, feedback, planned uses and
//! their many-to-many links.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{audit_columns, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A link table `left ↔ right` with a composite primary key, cascading when either side goes.
fn link_table<T: IntoIden + Copy + 'static>(
    table: T,
    left: (&'static str, &'static str),
    right: (&'static str, &'static str),
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .if_not_exists()
        .col(integer(Alias::new(left.0)))
        .col(integer(Alias::new(right.0)))
        .primary_key(Index::create().col(Alias::new(left.0)).col(Alias::new(right.0)))
        .foreign_key(&mut fk(table, Alias::new(left.0), Alias::new(left.1), ForeignKeyAction::Cascade))
        .foreign_key(&mut fk(table, Alias::new(right.0), Alias::new(right.1), ForeignKeyAction::Cascade))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(RoleAssignment::Table)
                        .if_not_exists()
                        .col(pk_auto(RoleAssignment::Id))
                        .col(integer(RoleAssignment::CountryId))
                        .col(string_len(RoleAssignment::Role, 32))
                        .col(string_len(RoleAssignment::Status, 32))
                        .col(date_null(RoleAssignment::StartedOn))
                        .col(date_null(RoleAssignment::EndedOn))
                        .col(text_null(RoleAssignment::Notes))
                        .col(string_len(RoleAssignment::Provenance, 32))
                        .foreign_key(&mut fk(
                            RoleAssignment::Table,
                            RoleAssignment::CountryId,
                            Country::Table,
                            Restrict,
                        )),
                )
                .to_owned(),
            )
            .await?;
        index(manager, RoleAssignment::Table, &["country_id", "role"], false).await?;
        index(manager, RoleAssignment::Table, &["role", "status"], false).await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(Contact::Table)
                        .if_not_exists()
                        .col(pk_auto(Contact::Id))
                        .col(string_len(Contact::Name, 200))
                        .col(string_len_null(Contact::Email, 254))
                        .col(string_len_null(Contact::Title, 200))
                        .col(string_len_null(Contact::Phone, 64))
                        .col(integer_null(Contact::CountryId))
                        .col(integer_null(Contact::StakeholderId))
                        .col(text_null(Contact::Notes))
                        .foreign_key(&mut fk(Contact::Table, Contact::CountryId, Country::Table, Restrict))
                        .foreign_key(&mut fk(Contact::Table, Contact::StakeholderId, Stakeholder::Table, Restrict)),
                )
                .to_owned(),
            )
            .await?;
        index(manager, Contact::Table, &["country_id"], false).await?;
        index(manager, Contact::Table, &["stakeholder_id"], false).await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(Pilot::Table)
                        .if_not_exists()
                        .col(pk_auto(Pilot::Id))
                        .col(integer(Pilot::CountryId))
                        .col(integer(Pilot::GuideVersionId))
                        .col(string_len(Pilot::Title, 500))
                        .col(string_len(Pilot::Status, 32))
                        .col(date_null(Pilot::StartedOn))
                        .col(date_null(Pilot::EndedOn))
                        .col(text_null(Pilot::Summary))
                        .col(text_null(Pilot::Outcome))
                        .col(string_len(Pilot::Provenance, 32))
                        .foreign_key(&mut fk(Pilot::Table, Pilot::CountryId, Country::Table, Restrict))
                        .foreign_key(&mut fk(Pilot::Table, Pilot::GuideVersionId, GuideVersion::Table, Restrict)),
                )
                .to_owned(),
            )
            .await?;
        index(manager, Pilot::Table, &["country_id"], false).await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(Event::Table)
                        .if_not_exists()
                        .col(pk_auto(Event::Id))
                        .col(string_len(Event::Title, 500))
                        .col(string_len(Event::Kind, 32))
                        .col(date(Event::StartsOn))
                        .col(date_null(Event::EndsOn))
                        .col(string_len(Event::DatePrecision, 32))
                        .col(string_len_null(Event::Location, 500))
                        .col(boolean(Event::Online).default(false))
                        .col(string_len_null(Event::Organizer, 500))
                        .col(text_null(Event::Description))
                        .col(string_len(Event::Provenance, 32))
                        .col(text_null(Event::SourceNote)),
                )
                .to_owned(),
            )
            .await?;
        index(manager, Event::Table, &["starts_on"], false).await?;
        index(manager, Event::Table, &["kind"], false).await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(EventParticipant::Table)
                        .if_not_exists()
                        .col(pk_auto(EventParticipant::Id))
                        .col(integer(EventParticipant::EventId))
                        .col(integer_null(EventParticipant::CountryId))
                        .col(integer_null(EventParticipant::StakeholderId))
                        .col(string_len(EventParticipant::Role, 32))
                        .foreign_key(&mut fk(EventParticipant::Table, EventParticipant::EventId, Event::Table, Cascade))
                        .foreign_key(&mut fk(
                            EventParticipant::Table,
                            EventParticipant::CountryId,
                            Country::Table,
                            Restrict,
                        ))
                        .foreign_key(&mut fk(
                            EventParticipant::Table,
                            EventParticipant::StakeholderId,
                            Stakeholder::Table,
                            Restrict,
                        )),
                )
                .to_owned(),
            )
            .await?;
        index(manager, EventParticipant::Table, &["event_id"], false).await?;
        index(manager, EventParticipant::Table, &["country_id"], false).await?;
        index(manager, EventParticipant::Table, &["stakeholder_id"], false).await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(Milestone::Table)
                        .if_not_exists()
                        .col(pk_auto(Milestone::Id))
                        .col(string_len(Milestone::Title, 500))
                        .col(text_null(Milestone::Description))
                        .col(date(Milestone::DueOn))
                        .col(string_len(Milestone::DuePrecision, 32))
                        .col(date_null(Milestone::DoneOn))
                        .col(string_len(Milestone::Status, 32))
                        .col(integer_null(Milestone::GuideVersionId))
                        .col(string_len(Milestone::Provenance, 32))
                        .col(text_null(Milestone::SourceNote))
                        .foreign_key(&mut fk(
                            Milestone::Table,
                            Milestone::GuideVersionId,
                            GuideVersion::Table,
                            SetNull,
                        )),
                )
                .to_owned(),
            )
            .await?;
        index(manager, Milestone::Table, &["due_on"], false).await?;
        index(manager, Milestone::Table, &["status"], false).await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(Feedback::Table)
                        .if_not_exists()
                        .col(pk_auto(Feedback::Id))
                        .col(integer_null(Feedback::CountryId))
                        .col(integer_null(Feedback::StakeholderId))
                        .col(string_len_null(Feedback::Collective, 200))
                        .col(string_len(Feedback::Channel, 32))
                        .col(string_len(Feedback::Kind, 32))
                        .col(text(Feedback::Body))
                        .col(string_len(Feedback::Language, 8))
                        .col(integer(Feedback::GuideVersionId))
                        .col(integer_null(Feedback::PilotId))
                        .col(integer_null(Feedback::EventId))
                        .col(string_len(Feedback::Status, 32))
                        .col(text_null(Feedback::Response))
                        .col(timestamp_with_time_zone_null(Feedback::RespondedAt))
                        .col(date(Feedback::ReceivedOn))
                        .col(integer_null(Feedback::SubmittedById))
                        .col(string_len(Feedback::Provenance, 32))
                        .col(text_null(Feedback::SourceNote))
                        .foreign_key(&mut fk(Feedback::Table, Feedback::CountryId, Country::Table, Restrict))
                        .foreign_key(&mut fk(Feedback::Table, Feedback::StakeholderId, Stakeholder::Table, Restrict))
                        .foreign_key(&mut fk(Feedback::Table, Feedback::GuideVersionId, GuideVersion::Table, Restrict))
                        .foreign_key(&mut fk(Feedback::Table, Feedback::PilotId, Pilot::Table, SetNull))
                        .foreign_key(&mut fk(Feedback::Table, Feedback::EventId, Event::Table, SetNull))
                        .foreign_key(&mut fk(Feedback::Table, Feedback::SubmittedById, UserAccount::Table, SetNull)),
                )
                .to_owned(),
            )
            .await?;
        for columns in [
            &["country_id"][..],
            &["stakeholder_id"],
            &["status"],
            &["received_on"],
            &["guide_version_id"],
            &["pilot_id"],
            &["event_id"],
        ] {
            index(manager, Feedback::Table, columns, false).await?;
        }

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(PlannedUse::Table)
                        .if_not_exists()
                        .col(pk_auto(PlannedUse::Id))
                        .col(integer(PlannedUse::CountryId))
                        .col(string_len(PlannedUse::Kind, 64))
                        .col(text(PlannedUse::Description))
                        .col(string_len(PlannedUse::Status, 32))
                        .col(date_null(PlannedUse::TargetDate))
                        .col(string_len(PlannedUse::Provenance, 32))
                        .foreign_key(&mut fk(PlannedUse::Table, PlannedUse::CountryId, Country::Table, Restrict)),
                )
                .to_owned(),
            )
            .await?;
        index(manager, PlannedUse::Table, &["country_id"], false).await?;

        manager
            .create_table(link_table(
                FeedbackSection::Table,
                ("feedback_id", "feedback"),
                ("section_id", "guide_section"),
            ))
            .await?;
        index(manager, FeedbackSection::Table, &["section_id"], false).await?;
        manager
            .create_table(link_table(
                PlannedUseSection::Table,
                ("planned_use_id", "planned_use"),
                ("section_id", "guide_section"),
            ))
            .await?;
        index(manager, PlannedUseSection::Table, &["section_id"], false).await?;
        manager
            .create_table(link_table(PlannedUseEvent::Table, ("planned_use_id", "planned_use"), ("event_id", "event")))
            .await?;
        index(manager, PlannedUseEvent::Table, &["event_id"], false).await?;
        manager
            .create_table(link_table(EventSection::Table, ("event_id", "event"), ("section_id", "guide_section")))
            .await?;
        index(manager, EventSection::Table, &["section_id"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EventSection::Table.into_iden(),
            PlannedUseEvent::Table.into_iden(),
            PlannedUseSection::Table.into_iden(),
            FeedbackSection::Table.into_iden(),
            PlannedUse::Table.into_iden(),
            Feedback::Table.into_iden(),
            Milestone::Table.into_iden(),
            EventParticipant::Table.into_iden(),
            Event::Table.into_iden(),
            Pilot::Table.into_iden(),
            Contact::Table.into_iden(),
            RoleAssignment::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Country {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Stakeholder {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum GuideVersion {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum UserAccount {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoleAssignment {
    Table,
    Id,
    CountryId,
    Role,
    Status,
    StartedOn,
    EndedOn,
    Notes,
    Provenance,
}

#[derive(DeriveIden, Clone, Copy)]
enum Contact {
    Table,
    Id,
    Name,
    Email,
    Title,
    Phone,
    CountryId,
    StakeholderId,
    Notes,
}

#[derive(DeriveIden, Clone, Copy)]
enum Pilot {
    Table,
    Id,
    CountryId,
    GuideVersionId,
    Title,
    Status,
    StartedOn,
    EndedOn,
    Summary,
    Outcome,
    Provenance,
}

#[derive(DeriveIden, Clone, Copy)]
enum Event {
    Table,
    Id,
    Title,
    Kind,
    StartsOn,
    EndsOn,
    DatePrecision,
    Location,
    Online,
    Organizer,
    Description,
    Provenance,
    SourceNote,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventParticipant {
    Table,
    Id,
    EventId,
    CountryId,
    StakeholderId,
    Role,
}

#[derive(DeriveIden, Clone, Copy)]
enum Milestone {
    Table,
    Id,
    Title,
    Description,
    DueOn,
    DuePrecision,
    DoneOn,
    Status,
    GuideVersionId,
    Provenance,
    SourceNote,
}

#[derive(DeriveIden, Clone, Copy)]
enum Feedback {
    Table,
    Id,
    CountryId,
    StakeholderId,
    Collective,
    Channel,
    Kind,
    Body,
    Language,
    GuideVersionId,
    PilotId,
    EventId,
    Status,
    Response,
    RespondedAt,
    ReceivedOn,
    SubmittedById,
    Provenance,
    SourceNote,
}

#[derive(DeriveIden, Clone, Copy)]
enum PlannedUse {
    Table,
    Id,
    CountryId,
    Kind,
    Description,
    Status,
    TargetDate,
    Provenance,
}

#[derive(DeriveIden, Clone, Copy)]
enum FeedbackSection {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum PlannedUseSection {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum PlannedUseEvent {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventSection {
    Table,
}
