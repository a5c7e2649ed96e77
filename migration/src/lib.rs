//! Schema migrations, shared by SQLite and PostgreSQL. Append new files; never edit a shipped one.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_reference_tables;
mod m20261123_000002_create_user_account;
mod m20261123_000003_create_engagement_tables;
mod m20261124_000001_unique_event_participant;
mod m20261124_000002_unique_open_role;
mod m20261124_000003_create_audit_log;
mod m20261124_000004_user_credentials_changed_at;
mod m20261125_000001_create_revisions;
mod m20261125_000002_feedback_latest_index;
mod m20261207_000001_champion_roster;
mod m20261207_000002_event_outcomes;
mod m20261207_000003_date_precision;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_reference_tables::Migration),
            Box::new(m20261123_000002_create_user_account::Migration),
            Box::new(m20261123_000003_create_engagement_tables::Migration),
            Box::new(m20261124_000001_unique_event_participant::Migration),
            Box::new(m20261124_000002_unique_open_role::Migration),
            Box::new(m20261124_000003_create_audit_log::Migration),
            Box::new(m20261124_000004_user_credentials_changed_at::Migration),
            Box::new(m20261125_000001_create_revisions::Migration),
            Box::new(m20261125_000002_feedback_latest_index::Migration),
            Box::new(m20261207_000001_champion_roster::Migration),
            Box::new(m20261207_000002_event_outcomes::Migration),
            Box::new(m20261207_000003_date_precision::Migration),
        ]
    }
}

/// Columns every table carries: timestamps and the optimistic-concurrency version.
pub(crate) fn audit_columns(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    use sea_orm_migration::schema::*;
    table
        .col(timestamp_with_time_zone(Alias::new("created_at")))
        .col(timestamp_with_time_zone(Alias::new("updated_at")))
        .col(integer(Alias::new("version")).default(1))
}

/// A named foreign key `table.column → target.id`.
pub(crate) fn fk<T: IntoIden + Copy + 'static, C: IntoIden + 'static, R: IntoIden + 'static>(
    table: T,
    column: C,
    target: R,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    let column = column.into_iden();
    let name = format!("fk_{}_{}", table.into_iden(), column);
    ForeignKey::create().name(name).from(table, column).to(target, Alias::new("id")).on_delete(on_delete).to_owned()
}

/// A named (optionally unique) index on `columns`.
pub(crate) async fn index<T: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    columns: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let name = format!("{}_{}_{}", if unique { "uq" } else { "idx" }, table.into_iden(), columns.join("_"));
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(Alias::new(*column));
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement.to_owned()).await
}
