//! Revision history: which change went into which version, the sections it touched (with their
//! state before and after) and the feedback it answered. Versions gain a release flag, because a
//! released version is frozen.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{audit_columns, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        // Every version recorded so far was circulated: existing rows count as released.
        manager
            .alter_table(
                Table::alter()
                    .table(GuideVersion::Table)
                    .add_column(boolean(GuideVersion::IsReleased).default(true))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(GuideVersion::Table)
                    .add_column(timestamp_with_time_zone_null(GuideVersion::ReleasedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(Revision::Table)
                        .if_not_exists()
                        .col(pk_auto(Revision::Id))
                        .col(integer(Revision::GuideVersionId))
                        .col(string_len(Revision::Kind, 32))
                        .col(string_len(Revision::Status, 32))
                        .col(text(Revision::Summary))
                        .col(text_null(Revision::Details))
                        .col(string_len_null(Revision::Language, 8))
                        .col(date(Revision::DecidedOn))
                        .col(integer_null(Revision::RecordedById))
                        .col(string_len(Revision::Provenance, 32))
                        .col(text_null(Revision::SourceNote))
                        .foreign_key(&mut fk(Revision::Table, Revision::GuideVersionId, GuideVersion::Table, Restrict))
                        .foreign_key(&mut fk(Revision::Table, Revision::RecordedById, UserAccount::Table, SetNull)),
                )
                .to_owned(),
            )
            .await?;
        index(manager, Revision::Table, &["guide_version_id"], false).await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(RevisionSection::Table)
                        .if_not_exists()
                        .col(pk_auto(RevisionSection::Id))
                        .col(integer(RevisionSection::RevisionId))
                        .col(integer(RevisionSection::SectionId))
                        .col(string_len(RevisionSection::Change, 32))
                        .col(json_null(RevisionSection::Before))
                        .col(json_null(RevisionSection::After))
                        .foreign_key(&mut fk(
                            RevisionSection::Table,
                            RevisionSection::RevisionId,
                            Revision::Table,
                            Cascade,
                        ))
                        .foreign_key(&mut fk(
                            RevisionSection::Table,
                            RevisionSection::SectionId,
                            GuideSection::Table,
                            Restrict,
                        )),
                )
                .to_owned(),
            )
            .await?;
        index(manager, RevisionSection::Table, &["revision_id"], false).await?;
        index(manager, RevisionSection::Table, &["section_id"], false).await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(RevisionFeedback::Table)
                        .if_not_exists()
                        .col(pk_auto(RevisionFeedback::Id))
                        .col(integer(RevisionFeedback::RevisionId))
                        .col(integer(RevisionFeedback::FeedbackId))
                        .col(string_len(RevisionFeedback::Disposition, 32))
                        .col(text_null(RevisionFeedback::Rationale))
                        .foreign_key(&mut fk(
                            RevisionFeedback::Table,
                            RevisionFeedback::RevisionId,
                            Revision::Table,
                            Cascade,
                        ))
                        .foreign_key(&mut fk(
                            RevisionFeedback::Table,
                            RevisionFeedback::FeedbackId,
                            Feedback::Table,
                            Restrict,
                        )),
                )
                .to_owned(),
            )
            .await?;
        index(manager, RevisionFeedback::Table, &["revision_id", "feedback_id"], true).await?;
        index(manager, RevisionFeedback::Table, &["feedback_id"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in
            [RevisionFeedback::Table.into_iden(), RevisionSection::Table.into_iden(), Revision::Table.into_iden()]
        {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        for column in [GuideVersion::ReleasedAt, GuideVersion::IsReleased] {
            manager.alter_table(Table::alter().table(GuideVersion::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum GuideVersion {
    Table,
    IsReleased,
    ReleasedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum GuideSection {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Feedback {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum UserAccount {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Revision {
    Table,
    Id,
    GuideVersionId,
    Kind,
    Status,
    Summary,
    Details,
    Language,
    DecidedOn,
    RecordedById,
    Provenance,
    SourceNote,
}

#[derive(DeriveIden, Clone, Copy)]
enum RevisionSection {
    Table,
    Id,
    RevisionId,
    SectionId,
    Change,
    Before,
    After,
}

#[derive(DeriveIden, Clone, Copy)]
enum RevisionFeedback {
    Table,
    Id,
    RevisionId,
    FeedbackId,
    Disposition,
    Rationale,
}
