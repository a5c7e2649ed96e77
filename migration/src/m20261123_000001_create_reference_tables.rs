use sea_orm_migration::{prelude::*, schema::*};

use crate::audit_columns;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(Country::Table)
                        .if_not_exists()
                        .col(pk_auto(Country::Id))
                        .col(string_len_uniq(Country::Iso3, 3))
                        .col(string_len_uniq(Country::Iso2, 2))
                        .col(string(Country::Name))
                        .col(string(Country::OfficialName))
                        .col(string_len(Country::Region, 32))
                        .col(string_len_null(Country::Subregion, 64))
                        .col(boolean(Country::IsChampion).default(false))
                        .col(date_null(Country::ChampionSince))
                        .col(string_len_null(Country::ChampionProvenance, 32))
                        .col(text_null(Country::ChampionNote)),
                )
                .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_country_region", Country::Region),
            ("idx_country_is_champion", Country::IsChampion),
            ("idx_country_name", Country::Name),
        ] {
            manager.create_index(Index::create().name(name).table(Country::Table).col(column).to_owned()).await?;
        }

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(Stakeholder::Table)
                        .if_not_exists()
                        .col(pk_auto(Stakeholder::Id))
                        .col(string_uniq(Stakeholder::Name))
                        .col(string_len_null(Stakeholder::Acronym, 32))
                        .col(string_len(Stakeholder::Kind, 32))
                        .col(integer_null(Stakeholder::CountryId))
                        .col(text_null(Stakeholder::Description))
                        .col(string_len(Stakeholder::Provenance, 32))
                        .col(text_null(Stakeholder::SourceNote))
                        .foreign_key(
                            ForeignKey::create()
                                .name("fk_stakeholder_country")
                                .from(Stakeholder::Table, Stakeholder::CountryId)
                                .to(Country::Table, Country::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stakeholder_country")
                    .table(Stakeholder::Table)
                    .col(Stakeholder::CountryId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(Document::Table)
                        .if_not_exists()
                        .col(pk_auto(Document::Id))
                        .col(string_len_uniq(Document::Kind, 32))
                        .col(string(Document::Title))
                        .col(text_null(Document::Description)),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(GuideVersion::Table)
                        .if_not_exists()
                        .col(pk_auto(GuideVersion::Id))
                        .col(integer(GuideVersion::DocumentId))
                        .col(string_len(GuideVersion::Code, 64))
                        .col(string(GuideVersion::Label))
                        .col(string_len(GuideVersion::Stage, 32))
                        .col(date(GuideVersion::ReleasedOn))
                        .col(string_len(GuideVersion::ReleasedOnPrecision, 32))
                        .col(string_len(GuideVersion::Languages, 64))
                        .col(text_null(GuideVersion::Notes))
                        .col(string_len(GuideVersion::Provenance, 32))
                        .col(text_null(GuideVersion::SourceNote))
                        .foreign_key(
                            ForeignKey::create()
                                .name("fk_guide_version_document")
                                .from(GuideVersion::Table, GuideVersion::DocumentId)
                                .to(Document::Table, Document::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_guide_version_document_code")
                    .table(GuideVersion::Table)
                    .col(GuideVersion::DocumentId)
                    .col(GuideVersion::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_guide_version_released_on")
                    .table(GuideVersion::Table)
                    .col(GuideVersion::ReleasedOn)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(GuideSection::Table)
                        .if_not_exists()
                        .col(pk_auto(GuideSection::Id))
                        .col(integer(GuideSection::DocumentId))
                        .col(string_len_uniq(GuideSection::Code, 32))
                        .col(string_len(GuideSection::Title, 500))
                        .col(string_len_null(GuideSection::TitleFr, 500))
                        .col(string_len_null(GuideSection::TitleEs, 500))
                        .col(string_len(GuideSection::Kind, 32))
                        .col(integer_null(GuideSection::ParentId))
                        .col(integer(GuideSection::Position))
                        .col(text_null(GuideSection::Summary))
                        .col(integer_null(GuideSection::IntroducedInId))
                        .col(integer_null(GuideSection::RetiredInId))
                        .col(string_len(GuideSection::Provenance, 32))
                        .col(text_null(GuideSection::SourceNote))
                        .foreign_key(
                            ForeignKey::create()
                                .name("fk_guide_section_document")
                                .from(GuideSection::Table, GuideSection::DocumentId)
                                .to(Document::Table, Document::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("fk_guide_section_parent")
                                .from(GuideSection::Table, GuideSection::ParentId)
                                .to(GuideSection::Table, GuideSection::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("fk_guide_section_introduced_in")
                                .from(GuideSection::Table, GuideSection::IntroducedInId)
                                .to(GuideVersion::Table, GuideVersion::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .name("fk_guide_section_retired_in")
                                .from(GuideSection::Table, GuideSection::RetiredInId)
                                .to(GuideVersion::Table, GuideVersion::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        ),
                )
                .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_guide_section_document", GuideSection::DocumentId),
            ("idx_guide_section_parent", GuideSection::ParentId),
            ("idx_guide_section_kind", GuideSection::Kind),
        ] {
            manager.create_index(Index::create().name(name).table(GuideSection::Table).col(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            GuideSection::Table.into_iden(),
            GuideVersion::Table.into_iden(),
            Document::Table.into_iden(),
            Stakeholder::Table.into_iden(),
            Country::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub(crate) enum Country {
    Table,
    Id,
    Iso3,
    Iso2,
    Name,
    OfficialName,
    Region,
    Subregion,
    IsChampion,
    ChampionSince,
    ChampionProvenance,
    ChampionNote,
}

#[derive(DeriveIden)]
enum Stakeholder {
    Table,
    Id,
    Name,
    Acronym,
    Kind,
    CountryId,
    Description,
    Provenance,
    SourceNote,
}

#[derive(DeriveIden)]
enum Document {
    Table,
    Id,
    Kind,
    Title,
    Description,
}

#[derive(DeriveIden)]
enum GuideVersion {
    Table,
    Id,
    DocumentId,
    Code,
    Label,
    Stage,
    ReleasedOn,
    ReleasedOnPrecision,
    Languages,
    Notes,
    Provenance,
    SourceNote,
}

#[derive(DeriveIden)]
enum GuideSection {
    Table,
    Id,
    DocumentId,
    Code,
    Title,
    TitleFr,
    TitleEs,
    Kind,
    ParentId,
    Position,
    Summary,
    IntroducedInId,
    RetiredInId,
    Provenance,
    SourceNote,
}
