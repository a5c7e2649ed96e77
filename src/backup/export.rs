//! Writing a backup: one consistent snapshot, read a page at a time in key order.

use std::io::Write;

use migration::{Migrator, MigratorTrait};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseBackend, DatabaseConnection, IsolationLevel, Statement, TransactionTrait,
};
use serde_json::Value as Json;

use super::format::{FORMAT_NAME, FORMAT_VERSION, Header, LineWriter, TableHeader};
use super::tables::{TableSpec, check_coverage, count_rows, quote, tables};
use super::{BackupError, schema_version, value};

/// Rows fetched per query: bounds memory whatever the table size.
const PAGE_ROWS: u64 = 1_000;

#[derive(Debug)]
pub struct ExportSummary {
    pub tables: usize,
    pub rows: u64,
}

/// Writes the whole database to `out`.
pub async fn export(db: &DatabaseConnection, out: impl Write) -> Result<ExportSummary, BackupError> {
    let tables = tables()?;
    let pending = Migrator::get_pending_migrations_read_only(db).await?;
    if !pending.is_empty() {
        return Err(BackupError::SchemaMismatch(format!(
            "the database lacks {} migration(s); run `champion-tracker migrate` before exporting",
            pending.len()
        )));
    }
    check_coverage(db, &tables).await?;
    let backend = db.get_database_backend();
    // Every table from the same snapshot, while the server may keep writing: a read-only
    // transaction, which is no write and needs no audit row.
    #[allow(clippy::disallowed_methods)]
    let txn = match backend {
        DatabaseBackend::Postgres => {
            db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?
        }
        // A SQLite transaction reads one snapshot from its first read (WAL mode).
        _ => db.begin().await?,
    };
    let mut table_headers = Vec::with_capacity(tables.len());
    for table in &tables {
        let rows = u64::try_from(count_rows(&txn, &table.name).await?).unwrap_or(0);
        let next_key = if table.auto_key { Some(next_key(&txn, table).await?) } else { None };
        table_headers.push(TableHeader { name: table.name.clone(), columns: table.column_names(), rows, next_key });
    }
    let header = Header {
        format: FORMAT_NAME.into(),
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").into(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        source: if backend == DatabaseBackend::Postgres { "postgres" } else { "sqlite" }.into(),
        schema: schema_version(),
        tables: table_headers,
    };
    let mut writer = LineWriter::new(out);
    writer.header(&header)?;
    for (table, expected) in tables.iter().zip(&header.tables) {
        let before = writer.rows;
        write_table(&txn, table, &mut writer).await?;
        let written = writer.rows - before;
        if written != expected.rows {
            return Err(BackupError::Unsupported(format!(
                "table {} changed during the export ({} rows counted, {written} read)",
                table.name, expected.rows
            )));
        }
    }
    txn.rollback().await?;
    let rows = writer.rows;
    writer.finish()?;
    Ok(ExportSummary { tables: tables.len(), rows })
}

async fn write_table(
    db: &impl ConnectionTrait,
    table: &TableSpec,
    writer: &mut LineWriter<impl Write>,
) -> Result<(), BackupError> {
    let key_columns: Vec<&str> = table.key.iter().map(|&k| table.columns[k].name.as_str()).collect();
    let mut last_key: Option<Vec<Json>> = None;
    loop {
        let mut select = Query::select();
        select
            .columns(table.columns.iter().map(|c| Alias::new(c.name.clone())))
            .from(Alias::new(table.name.clone()))
            .limit(PAGE_ROWS);
        for column in &key_columns {
            select.order_by(Alias::new(*column), Order::Asc);
        }
        // Keyset paging: each page starts after the previous page's last key.
        if let Some(last) = &last_key {
            let values = table
                .key
                .iter()
                .zip(last)
                .map(|(&k, json)| value::parse(json, &table.columns[k]).map(Expr::val))
                .collect::<Result<Vec<_>, String>>()
                .map_err(BackupError::Unsupported)?;
            let columns = key_columns.iter().map(|c| Expr::col(Alias::new(*c)));
            select.and_where(Expr::tuple(columns).gt(Expr::tuple(values)));
        }
        let rows = db.query_all(&select).await?;
        for row in &rows {
            let values = table
                .columns
                .iter()
                .enumerate()
                .map(|(index, column)| Ok((column.name.as_str(), value::read(row, index, column.kind)?)))
                .collect::<Result<Vec<_>, BackupError>>()?;
            last_key = Some(table.key.iter().map(|&k| values[k].1.clone()).collect());
            writer.row(&table.name, &values)?;
        }
        if (rows.len() as u64) < PAGE_ROWS {
            return Ok(());
        }
    }
}

/// The key the database would assign next: past both the highest key present and the
/// sequence's position (which is higher when the newest rows were deleted).
async fn next_key(db: &impl ConnectionTrait, table: &TableSpec) -> Result<i64, BackupError> {
    let backend = db.get_database_backend();
    let key = &table.columns[table.key[0]].name;
    let max_sql = format!("SELECT CAST(MAX({}) AS BIGINT) AS n FROM {}", quote(key), quote(&table.name));
    let max = db.query_one_raw(Statement::from_string(backend, max_sql)).await?;
    let max = max.map(|r| r.try_get::<Option<i64>>("", "n")).transpose()?.flatten().unwrap_or(0);
    let sequence_next = match backend {
        DatabaseBackend::Postgres => {
            let name = Statement::from_sql_and_values(
                backend,
                "SELECT pg_get_serial_sequence($1, $2) AS name",
                [table.name.clone().into(), key.clone().into()],
            );
            let name = db.query_one_raw(name).await?;
            match name.map(|r| r.try_get::<Option<String>>("", "name")).transpose()?.flatten() {
                // The name comes quoted from the catalogue. After `setval(…, false)` (a restore)
                // `last_value` itself is the next key.
                Some(sequence) => Statement::from_string(
                    backend,
                    format!("SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END AS n FROM {sequence}"),
                ),
                None => return Ok(max + 1),
            }
        }
        _ => Statement::from_sql_and_values(
            backend,
            "SELECT seq + 1 AS n FROM sqlite_sequence WHERE name = ?",
            [table.name.clone().into()],
        ),
    };
    let next = db.query_one_raw(sequence_next).await?;
    let next = next.map(|r| r.try_get::<Option<i64>>("", "n")).transpose()?.flatten().unwrap_or(0);
    Ok(std::cmp::max(max + 1, next))
}
