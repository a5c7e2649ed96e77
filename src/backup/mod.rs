//! Backup and restore: `champion-tracker export` writes every table (accounts, audit log, link
//! tables and revision history included) to one JSON Lines file; `champion-tracker import`
//! restores such a file into an empty SQLite or PostgreSQL database, keys preserved, in one
//! transaction. The file layout is in [`self::format`]; the tables and their order in [`tables`].

mod export;
pub mod format;
mod import;
pub mod tables;
mod value;

use std::path::{Path, PathBuf};

use anyhow::Context;
use sea_orm::DbErr;

pub use export::{ExportSummary, export};
pub use import::{ImportSummary, restore, verify};

use crate::db;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("not a champion-tracker backup: {0}")]
    NotABackup(String),
    #[error(
        "backup format version {0} is not supported (this build reads version {v}); \
         restore it with the champion-tracker release that wrote it",
        v = format::FORMAT_VERSION
    )]
    UnsupportedVersion(String),
    #[error("the backup file is corrupt: {0}")]
    Corrupt(String),
    #[error(
        "the target database is not empty ({0}); import restores only into an empty database: \
         create a new one (or point at a new SQLite file) and import into it"
    )]
    NotEmpty(String),
    #[error("schema mismatch: {0}")]
    SchemaMismatch(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    #[error("database: {0}")]
    Database(#[from] DbErr),
}

/// The last migration this build knows: a backup is restored into exactly this schema.
pub fn schema_version() -> String {
    use migration::MigratorTrait;
    migration::Migrator::migrations().last().map(|m| m.name().to_owned()).unwrap_or_default()
}

/// `champion-tracker export`: the whole database to `output` (`-` is standard output). A file is
/// written under a temporary name and renamed when complete, so a failed export leaves no file
/// that looks like a backup.
pub async fn run_export(database_url: &str, output: &str) -> anyhow::Result<()> {
    let database = db::connect(database_url, 1).await?;
    let summary = if output == "-" {
        let stdout = std::io::stdout().lock();
        export(&database.conn, std::io::BufWriter::new(stdout)).await?
    } else {
        let target = PathBuf::from(output);
        let partial = partial_path(&target);
        let file = std::fs::File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
        let written = export(&database.conn, std::io::BufWriter::new(file)).await;
        let summary = match written {
            Ok(summary) => summary,
            Err(error) => {
                let _ = std::fs::remove_file(&partial);
                return Err(error.into());
            }
        };
        std::fs::File::open(&partial).and_then(|f| f.sync_all()).context("syncing the backup file")?;
        std::fs::rename(&partial, &target).with_context(|| format!("renaming to {}", target.display()))?;
        summary
    };
    database.conn.close().await?;
    tracing::info!(tables = summary.tables, rows = summary.rows, output, "export finished");
    Ok(())
}

fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    target.with_file_name(name)
}

/// `champion-tracker import`: checks the whole file first (nothing is written if it is not a
/// sound backup of this schema), refuses a database that holds rows, migrates it, then restores
/// every row in one transaction.
pub async fn run_import(database_url: &str, input: &Path) -> anyhow::Result<()> {
    let header = verify(input)?;
    let database = db::connect(database_url, 1).await?;
    let occupied = tables::non_empty_tables(&database.conn).await?;
    if !occupied.is_empty() {
        let list: Vec<String> = occupied.iter().map(|(table, rows)| format!("{table}: {rows} rows")).collect();
        return Err(BackupError::NotEmpty(list.join(", ")).into());
    }
    db::migrate(&database.conn).await?;
    let summary = restore(&database.conn, input).await?;
    database.conn.close().await?;
    tracing::info!(
        tables = summary.tables,
        rows = summary.rows,
        from_version = header.app_version,
        created_at = header.created_at,
        "import finished"
    );
    Ok(())
}
