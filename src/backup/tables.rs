//! Which tables a backup holds, in which order, and what their columns are. The list is the one
//! place to touch when a table is added; the column names and types come from the entities, and
//! [`check_coverage`] refuses to run when the migrated schema has a table or column the list does
//! not cover, so a backup can never silently leave data out.

use std::collections::BTreeSet;

use entity::prelude::*;
use sea_orm::sea_query::ColumnType;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, IdenStatic, Iterable, PrimaryKeyToColumn,
    PrimaryKeyTrait, Statement,
};

use super::BackupError;

/// How a column's values are read, written to the file and bound again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    SmallInt,
    Int,
    BigInt,
    Double,
    Bool,
    Text,
    Date,
    /// A timestamp without a zone.
    DateTime,
    /// An instant (`timestamp with time zone`), written as RFC 3339 in UTC.
    Instant,
    Json,
}

impl Kind {
    fn of(column_type: &ColumnType) -> Option<Self> {
        Some(match column_type {
            ColumnType::SmallInteger => Kind::SmallInt,
            ColumnType::Integer => Kind::Int,
            ColumnType::BigInteger => Kind::BigInt,
            ColumnType::Double => Kind::Double,
            ColumnType::Boolean => Kind::Bool,
            // Enums are stored as their string values (see entity/).
            ColumnType::Char(_) | ColumnType::String(_) | ColumnType::Text | ColumnType::Enum { .. } => Kind::Text,
            ColumnType::Date => Kind::Date,
            ColumnType::DateTime | ColumnType::Timestamp => Kind::DateTime,
            ColumnType::TimestampWithTimeZone => Kind::Instant,
            ColumnType::Json | ColumnType::JsonBinary => Kind::Json,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct ColumnSpec {
    pub name: String,
    pub kind: Kind,
    pub nullable: bool,
}

#[derive(Clone, Debug)]
pub struct TableSpec {
    pub name: String,
    pub columns: Vec<ColumnSpec>,
    /// Positions of the primary key columns in `columns`.
    pub key: Vec<usize>,
    /// Whether the key is one integer the database assigns (PostgreSQL sequence, SQLite AUTOINCREMENT).
    pub auto_key: bool,
    /// A nullable column pointing at another row of the same table (a section's parent): rows
    /// are not guaranteed to come after the row they point at, so import sets it afterwards.
    pub self_reference: Option<usize>,
}

impl TableSpec {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }
}

fn spec<E: EntityTrait + Default>(self_reference: Option<E::Column>) -> Result<TableSpec, BackupError> {
    let name = E::default().table_name().to_owned();
    let columns = E::Column::iter()
        .map(|column| {
            let def = column.def();
            let column_name = column.as_str().to_owned();
            let kind = Kind::of(def.get_column_type()).ok_or_else(|| {
                BackupError::Unsupported(format!(
                    "column {name}.{column_name} has type {:?}, which backups do not handle yet",
                    def.get_column_type()
                ))
            })?;
            Ok(ColumnSpec { name: column_name, kind, nullable: def.is_null() })
        })
        .collect::<Result<Vec<_>, BackupError>>()?;
    let position = |column: E::Column| columns.iter().position(|c| c.name == column.as_str());
    let key: Vec<usize> = E::PrimaryKey::iter().filter_map(|k| position(k.into_column())).collect();
    let auto_key = <E::PrimaryKey as PrimaryKeyTrait>::auto_increment()
        && key.len() == 1
        && key.first().is_some_and(|&k| matches!(columns[k].kind, Kind::Int | Kind::BigInt));
    let self_reference = self_reference.and_then(position);
    Ok(TableSpec { name, columns, key, auto_key, self_reference })
}

/// Every table, each after the tables its foreign keys point at (a test checks this against the
/// migrated schema), so rows can be inserted in file order with foreign keys enforced.
pub fn tables() -> Result<Vec<TableSpec>, BackupError> {
    use entity::guide_section;
    Ok(vec![
        spec::<Country>(None)?,
        spec::<ChampionTerm>(None)?,
        spec::<Stakeholder>(None)?,
        spec::<Document>(None)?,
        spec::<GuideVersion>(None)?,
        spec::<GuideSection>(Some(guide_section::Column::ParentId))?,
        spec::<UserAccount>(None)?,
        spec::<Contact>(None)?,
        spec::<Pilot>(None)?,
        spec::<Event>(None)?,
        spec::<EventParticipant>(None)?,
        spec::<EventSection>(None)?,
        spec::<EventCountry>(None)?,
        spec::<FollowUpAction>(None)?,
        spec::<Milestone>(None)?,
        spec::<RoleAssignment>(None)?,
        spec::<Feedback>(None)?,
        spec::<FeedbackSection>(None)?,
        spec::<PlannedUse>(None)?,
        spec::<PlannedUseSection>(None)?,
        spec::<PlannedUseEvent>(None)?,
        spec::<PlannedUseCountry>(None)?,
        spec::<Revision>(None)?,
        spec::<RevisionSection>(None)?,
        spec::<RevisionFeedback>(None)?,
        spec::<AuditLog>(None)?,
    ])
}

/// The migrations' own bookkeeping: written by `migrate`, not part of the data.
pub const MIGRATIONS_TABLE: &str = "seaql_migrations";

/// The base tables that exist in the database (the migrations table included).
pub async fn database_tables(db: &impl ConnectionTrait) -> Result<BTreeSet<String>, BackupError> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        _ => {
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
    };
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    rows.iter().map(|row| row.try_get::<String>("", "name").map_err(BackupError::from)).collect()
}

async fn database_columns(db: &impl ConnectionTrait, table: &str) -> Result<BTreeSet<String>, BackupError> {
    let backend = db.get_database_backend();
    let statement = match backend {
        DatabaseBackend::Sqlite => {
            Statement::from_sql_and_values(backend, "SELECT name FROM pragma_table_info(?)", [table.into()])
        }
        _ => Statement::from_sql_and_values(
            backend,
            "SELECT column_name::text AS name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1",
            [table.into()],
        ),
    };
    let rows = db.query_all_raw(statement).await?;
    rows.iter().map(|row| row.try_get::<String>("", "name").map_err(BackupError::from)).collect()
}

/// Refuses when the database has a table or column that `tables` does not list (or the other
/// way round): this build would otherwise write an incomplete backup, or fail half-way through a restore.
pub async fn check_coverage(db: &impl ConnectionTrait, tables: &[TableSpec]) -> Result<(), BackupError> {
    let mut present = database_tables(db).await?;
    present.remove(MIGRATIONS_TABLE);
    let listed: BTreeSet<String> = tables.iter().map(|t| t.name.clone()).collect();
    let mut problems: Vec<String> = present.difference(&listed).map(|t| format!("table {t} is not covered")).collect();
    problems.extend(listed.difference(&present).map(|t| format!("table {t} is missing from the database")));
    for table in tables.iter().filter(|t| present.contains(&t.name)) {
        let actual = database_columns(db, &table.name).await?;
        let expected: BTreeSet<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        problems.extend(actual.difference(&expected).map(|c| format!("column {}.{c} is not covered", table.name)));
        problems.extend(expected.difference(&actual).map(|c| format!("column {}.{c} is missing", table.name)));
    }
    if problems.is_empty() { Ok(()) } else { Err(BackupError::SchemaMismatch(problems.join("; "))) }
}

/// Tables holding rows, with their counts (migrations bookkeeping left out).
pub async fn non_empty_tables(db: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, BackupError> {
    let mut found = Vec::new();
    for table in database_tables(db).await? {
        if table == MIGRATIONS_TABLE {
            continue;
        }
        let count = count_rows(db, &table).await?;
        if count > 0 {
            found.push((table, count));
        }
    }
    Ok(found)
}

pub async fn count_rows(db: &impl ConnectionTrait, table: &str) -> Result<i64, BackupError> {
    let backend = db.get_database_backend();
    let sql = format!("SELECT COUNT(*) AS n FROM {}", quote(table));
    let row = db.query_one_raw(Statement::from_string(backend, sql)).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

/// A double-quoted identifier (both SQLite and PostgreSQL accept the standard form). Names come
/// from the entities and the database catalogue, never from a backup file.
pub fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}
