//! Reading a backup: [`verify`] checks a whole file without a database; [`restore`] writes it
//! into an empty, migrated database in one transaction, which a failure anywhere rolls back.

use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, TransactionTrait, Value};

use super::format::{Header, Line, LineReader};
use super::tables::{TableSpec, check_coverage, non_empty_tables, quote, tables};
use super::{BackupError, schema_version, value};

/// Bind parameters per INSERT, well under SQLite's (32,766) and PostgreSQL's (65,535) limits.
const PARAMETERS_PER_INSERT: usize = 8_000;

#[derive(Debug)]
pub struct ImportSummary {
    pub tables: usize,
    pub rows: u64,
}

/// A backup file read row by row, each row checked against the header and the schema.
struct RowReader {
    lines: LineReader<BufReader<File>>,
    header: Header,
    tables: Vec<TableSpec>,
    /// The table whose rows are being read, and how many of them so far.
    current: usize,
    seen: u64,
    total: u64,
}

impl RowReader {
    fn open(path: &Path) -> Result<Self, BackupError> {
        let file = File::open(path)?;
        let mut lines = LineReader::new(BufReader::with_capacity(1 << 16, file));
        let header = lines.header()?;
        let ours = schema_version();
        if header.schema != ours {
            return Err(BackupError::SchemaMismatch(format!(
                "the file holds schema {} (written by champion-tracker {}), this build has {ours}: restore it \
                 with the release that wrote it, then start this release to migrate the database",
                header.schema, header.app_version
            )));
        }
        let tables = tables()?;
        let listed: Vec<&str> = header.tables.iter().map(|t| t.name.as_str()).collect();
        let expected: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        if listed != expected {
            let unknown: Vec<&&str> = listed.iter().filter(|t| !expected.contains(t)).collect();
            let missing: Vec<&&str> = expected.iter().filter(|t| !listed.contains(t)).collect();
            return Err(BackupError::Corrupt(format!(
                "the header's tables do not match the schema (unknown: {unknown:?}, missing: {missing:?}, \
                 or out of order)"
            )));
        }
        for (table, listed) in tables.iter().zip(&header.tables) {
            let mut theirs = listed.columns.clone();
            let mut ours = table.column_names();
            theirs.sort();
            ours.sort();
            if theirs != ours {
                return Err(BackupError::Corrupt(format!(
                    "the header's columns of {} are {theirs:?}, the schema's {ours:?}",
                    table.name
                )));
            }
        }
        Ok(Self { lines, header, tables, current: 0, seen: 0, total: 0 })
    }

    /// Leaves the current table: it must have held as many rows as the header says.
    fn close_table(&mut self) -> Result<(), BackupError> {
        let expected = self.header.tables[self.current].rows;
        if self.seen != expected {
            return Err(BackupError::Corrupt(format!(
                "table {} holds {} rows, the header says {expected}",
                self.tables[self.current].name, self.seen
            )));
        }
        self.current += 1;
        self.seen = 0;
        Ok(())
    }

    /// The next row as `(table index, values in the table's column order)`; `None` after a valid
    /// trailer at the very end of the file.
    fn next_row(&mut self) -> Result<Option<(usize, Vec<Value>)>, BackupError> {
        let line = self.lines.next_line()?;
        let (table_name, mut row) = match line {
            Some(Line::Row { table, row }) => (table, row),
            Some(Line::Trailer(trailer)) => {
                while self.current < self.tables.len() {
                    self.close_table()?;
                }
                if trailer.rows != self.total {
                    return Err(self
                        .lines
                        .corrupt(format!("the trailer counts {} rows, the file holds {}", trailer.rows, self.total)));
                }
                if self.lines.next_line()?.is_some() {
                    return Err(self.lines.corrupt("data after the trailer"));
                }
                return Ok(None);
            }
            None => {
                return Err(BackupError::Corrupt(format!(
                    "the file ends after line {} without its trailer: it is incomplete",
                    self.lines.line_number
                )));
            }
        };
        let Some(index) = self.tables.iter().position(|t| t.name == table_name) else {
            return Err(self.lines.corrupt(format!("unknown table `{table_name}`")));
        };
        if index < self.current {
            return Err(self.lines.corrupt(format!("a row of {table_name} after the rows of later tables")));
        }
        while self.current < index {
            self.close_table()?;
        }
        let table = &self.tables[index];
        if let Some(unknown) = row.keys().find(|name| table.column(name).is_none()) {
            return Err(self.lines.corrupt(format!("unknown column `{unknown}` in table {table_name}")));
        }
        let mut values = Vec::with_capacity(table.columns.len());
        for column in &table.columns {
            let Some(json) = row.remove(&column.name) else {
                return Err(self.lines.corrupt(format!("column `{}` missing in table {table_name}", column.name)));
            };
            values.push(value::parse(&json, column).map_err(|e| self.lines.corrupt(format!("{table_name}: {e}")))?);
        }
        self.seen += 1;
        self.total += 1;
        Ok(Some((index, values)))
    }
}

/// Reads the whole file and checks it (format version, schema, every row, counts, checksum)
/// without touching a database.
pub fn verify(path: &Path) -> Result<Header, BackupError> {
    let mut reader = RowReader::open(path)?;
    while reader.next_row()?.is_some() {}
    Ok(reader.header)
}

/// Restores `path` into `db`, which must be migrated and empty. One transaction: on any error
/// nothing is written.
pub async fn restore(db: &DatabaseConnection, path: &Path) -> Result<ImportSummary, BackupError> {
    let mut reader = RowReader::open(path)?;
    check_coverage(db, &reader.tables).await?;
    #[allow(clippy::disallowed_methods)] // A restore loads whole tables, audit log included, outside any request.
    let txn = db.begin().await?;
    // Checked again inside the transaction: nothing may have arrived since the caller looked.
    let occupied = non_empty_tables(&txn).await?;
    if !occupied.is_empty() {
        let list: Vec<String> = occupied.iter().map(|(table, rows)| format!("{table}: {rows} rows")).collect();
        return Err(BackupError::NotEmpty(list.join(", ")));
    }
    let mut loader = TableLoader::new(0, &reader.tables);
    while let Some((index, values)) = reader.next_row()? {
        if index != loader.table {
            loader.finish(&txn, &reader.tables).await?;
            loader = TableLoader::new(index, &reader.tables);
        }
        loader.push(&txn, &reader.tables, values).await?;
    }
    loader.finish(&txn, &reader.tables).await?;
    for (table, listed) in reader.tables.iter().zip(&reader.header.tables) {
        if table.auto_key {
            set_next_key(&txn, table, listed.next_key).await?;
        }
    }
    txn.commit().await?;
    Ok(ImportSummary { tables: reader.tables.len(), rows: reader.total })
}

/// Inserts one table's rows in batches. A self-reference to a row not inserted yet is left null
/// and set once the whole table is in, so row order within the table does not matter.
struct TableLoader {
    table: usize,
    batch: Vec<Vec<Value>>,
    batch_rows: usize,
    inserted_keys: HashSet<i64>,
    deferred: Vec<(Value, Value)>,
}

impl TableLoader {
    fn new(table: usize, tables: &[TableSpec]) -> Self {
        let columns = tables.get(table).map_or(1, |spec| spec.columns.len().max(1));
        let batch_rows = (PARAMETERS_PER_INSERT / columns).max(1);
        Self { table, batch: Vec::new(), batch_rows, inserted_keys: HashSet::new(), deferred: Vec::new() }
    }

    async fn push(
        &mut self,
        db: &impl ConnectionTrait,
        tables: &[TableSpec],
        mut values: Vec<Value>,
    ) -> Result<(), BackupError> {
        let spec = &tables[self.table];
        if let (Some(parent), Some(&key)) = (spec.self_reference, spec.key.first()) {
            if let Some(id) = value::as_i64(&values[key]) {
                self.inserted_keys.insert(id);
            }
            if let Some(target) = value::as_i64(&values[parent])
                && !self.inserted_keys.contains(&target)
            {
                let kind = spec.columns[parent].kind;
                let reference = std::mem::replace(&mut values[parent], value::null(kind));
                self.deferred.push((values[key].clone(), reference));
            }
        }
        self.batch.push(values);
        if self.batch.len() >= self.batch_rows {
            self.flush(db, spec).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, db: &impl ConnectionTrait, spec: &TableSpec) -> Result<(), BackupError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(spec.name.clone()))
            .columns(spec.columns.iter().map(|c| Alias::new(c.name.clone())));
        for row in self.batch.drain(..) {
            insert
                .values(row.into_iter().map(Expr::val))
                .map_err(|e| BackupError::Unsupported(format!("building the insert into {}: {e}", spec.name)))?;
        }
        db.execute(&insert).await.map_err(|e| restore_failed(spec, e))?;
        Ok(())
    }

    async fn finish(&mut self, db: &impl ConnectionTrait, tables: &[TableSpec]) -> Result<(), BackupError> {
        let spec = &tables[self.table];
        self.flush(db, spec).await?;
        let (Some(parent), Some(&key)) = (spec.self_reference, spec.key.first()) else {
            return Ok(());
        };
        for (id, reference) in self.deferred.drain(..) {
            let mut update = Query::update();
            update
                .table(Alias::new(spec.name.clone()))
                .value(Alias::new(spec.columns[parent].name.clone()), reference)
                .and_where(Expr::col(Alias::new(spec.columns[key].name.clone())).eq(id));
            db.execute(&update).await.map_err(|e| restore_failed(spec, e))?;
        }
        Ok(())
    }
}

fn restore_failed(spec: &TableSpec, error: sea_orm::DbErr) -> BackupError {
    BackupError::Database(sea_orm::DbErr::Custom(format!("restoring table {}: {error}", spec.name)))
}

/// Moves the table's key generator past every restored key (and past `next_key` from the file),
/// so the next row created gets a fresh key.
async fn set_next_key(db: &impl ConnectionTrait, table: &TableSpec, next_key: Option<i64>) -> Result<(), BackupError> {
    let backend = db.get_database_backend();
    let key = &table.columns[table.key[0]].name;
    let max_sql = format!("SELECT CAST(MAX({}) AS BIGINT) AS n FROM {}", quote(key), quote(&table.name));
    let max = db.query_one_raw(Statement::from_string(backend, max_sql)).await?;
    let max = max.map(|r| r.try_get::<Option<i64>>("", "n")).transpose()?.flatten().unwrap_or(0);
    let next = std::cmp::max(next_key.unwrap_or(1), max + 1);
    let statements = match backend {
        DatabaseBackend::Postgres => vec![Statement::from_sql_and_values(
            backend,
            "SELECT setval(pg_get_serial_sequence($1, $2), $3, false)",
            [table.name.clone().into(), key.clone().into(), next.into()],
        )],
        // AUTOINCREMENT keeps the highest key handed out in sqlite_sequence.
        _ => vec![
            Statement::from_sql_and_values(
                backend,
                "DELETE FROM sqlite_sequence WHERE name = ?",
                [table.name.clone().into()],
            ),
            Statement::from_sql_and_values(
                backend,
                "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
                [table.name.clone().into(), (next - 1).into()],
            ),
        ],
    };
    for statement in statements {
        db.execute_raw(statement).await?;
    }
    Ok(())
}
