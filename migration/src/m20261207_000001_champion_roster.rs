//! The Champion roster becomes dated records (`champion_term`: designations and co-chair terms,
//! each with date precision and how it ended), a contact can be a user's own record, and planned
//! uses and events can name the Member States they reach or support. Countries that were marked
//! Champions get one open CHAMPION term each, dated as they were.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{audit_columns, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

const OPEN_TERM_INDEX: &str = "uq_champion_term_open_country_kind";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};

        manager
            .create_table(
                audit_columns(
                    Table::create()
                        .table(ChampionTerm::Table)
                        .if_not_exists()
                        .col(pk_auto(ChampionTerm::Id))
                        .col(integer(ChampionTerm::CountryId))
                        .col(string_len(ChampionTerm::Kind, 32))
                        .col(date_null(ChampionTerm::StartedOn))
                        .col(string_len_null(ChampionTerm::StartedPrecision, 16))
                        .col(date_null(ChampionTerm::EndedOn))
                        .col(string_len_null(ChampionTerm::EndedPrecision, 16))
                        .col(string_len_null(ChampionTerm::EndReason, 32))
                        .col(text_null(ChampionTerm::Note))
                        .col(string_len(ChampionTerm::Provenance, 32))
                        .col(text_null(ChampionTerm::SourceNote))
                        .foreign_key(&mut fk(ChampionTerm::Table, ChampionTerm::CountryId, Country::Table, Restrict)),
                )
                .to_owned(),
            )
            .await?;
        index(manager, ChampionTerm::Table, &["country_id", "kind"], false).await?;
        // One open term per country and kind, held by the database against concurrent writers.
        manager
            .create_index(
                Index::create()
                    .name(OPEN_TERM_INDEX)
                    .table(ChampionTerm::Table)
                    .col(ChampionTerm::CountryId)
                    .col(ChampionTerm::Kind)
                    .unique()
                    .cond_where(Expr::col(ChampionTerm::EndReason).is_null())
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Country::Table)
                    .add_column(string_len_null(Country::ChampionSincePrecision, 16))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO champion_term (country_id, kind, started_on, started_precision, end_reason, note, \
             provenance, source_note, created_at, updated_at, version) \
             SELECT id, 'CHAMPION', champion_since, CASE WHEN champion_since IS NULL THEN NULL ELSE 'DAY' END, NULL, \
             champion_note, COALESCE(champion_provenance, 'USER_ENTERED'), NULL, updated_at, updated_at, 1 \
             FROM country WHERE is_champion",
        )
        .await?;
        db.execute_unprepared("UPDATE country SET champion_since_precision = 'DAY' WHERE champion_since IS NOT NULL")
            .await?;

        // SQLite cannot add a foreign key to an existing table, but accepts one on a new column.
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
            db.execute_unprepared(
                "ALTER TABLE contact ADD COLUMN user_id integer NULL \
                 CONSTRAINT fk_contact_user_id REFERENCES user_account (id) ON DELETE SET NULL",
            )
            .await?;
        } else {
            manager
                .alter_table(Table::alter().table(Contact::Table).add_column(integer_null(Contact::UserId)).to_owned())
                .await?;
            manager
                .create_foreign_key(
                    fk(Contact::Table, Contact::UserId, UserAccount::Table, ForeignKeyAction::SetNull).to_owned(),
                )
                .await?;
        }
        index(manager, Contact::Table, &["user_id"], true).await?;

        for (table, owner, owner_table) in [
            (SupportedCountry::PlannedUseCountry, SupportedCountry::PlannedUseId, SupportedCountry::PlannedUse),
            (SupportedCountry::EventCountry, SupportedCountry::EventId, SupportedCountry::Event),
        ] {
            manager
                .create_table(
                    Table::create()
                        .table(table)
                        .if_not_exists()
                        .col(integer(owner))
                        .col(integer(SupportedCountry::CountryId))
                        .primary_key(Index::create().col(owner).col(SupportedCountry::CountryId))
                        .foreign_key(&mut fk(table, owner, owner_table, Cascade))
                        .foreign_key(&mut fk(table, SupportedCountry::CountryId, Country::Table, Restrict))
                        .to_owned(),
                )
                .await?;
            index(manager, table, &["country_id"], false).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [SupportedCountry::EventCountry, SupportedCountry::PlannedUseCountry] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager.drop_index(Index::drop().name("uq_contact_user_id").table(Contact::Table).to_owned()).await?;
        if manager.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
            manager
                .drop_foreign_key(ForeignKey::drop().name("fk_contact_user_id").table(Contact::Table).to_owned())
                .await?;
        }
        manager.alter_table(Table::alter().table(Contact::Table).drop_column(Contact::UserId).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Country::Table).drop_column(Country::ChampionSincePrecision).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(ChampionTerm::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ChampionTerm {
    Table,
    Id,
    CountryId,
    Kind,
    StartedOn,
    StartedPrecision,
    EndedOn,
    EndedPrecision,
    EndReason,
    Note,
    Provenance,
    SourceNote,
}

#[derive(DeriveIden, Clone, Copy)]
enum Country {
    Table,
    ChampionSincePrecision,
}

#[derive(DeriveIden, Clone, Copy)]
enum Contact {
    Table,
    UserId,
}

#[derive(DeriveIden, Clone, Copy)]
enum UserAccount {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum SupportedCountry {
    PlannedUseCountry,
    PlannedUseId,
    PlannedUse,
    EventCountry,
    EventId,
    Event,
    CountryId,
}
