//! Database connection (SQLite or PostgreSQL), migrations, and a statement counter for `/metrics`.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, DatabaseConnection};

use crate::config::sqlite_parent_dir;

pub struct Database {
    pub conn: DatabaseConnection,
    /// SQL statements executed since start; exported on `/metrics`.
    pub statements: Arc<AtomicU64>,
}

/// How long a pooled connection may sit idle before it is tested on its way out of the pool.
const PING_IF_IDLE_FOR: Duration = Duration::from_secs(30);

pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Database> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections.max(1))
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // sqlx pings every connection it hands out by default: one more round trip per
        // statement, which doubled the database work of small requests. A connection in steady
        // use is known to be alive; one left idle a while may have been dropped by a proxy or
        // firewall, so only those are tested first.
        .test_before_acquire_if_idle_for(PING_IF_IDLE_FOR)
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        if let Some(dir) = sqlite_parent_dir(url) {
            std::fs::create_dir_all(&dir).with_context(|| format!("creating database directory {}", dir.display()))?;
        }
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
        });
    } else if is_postgres(url) {
        // The dashboard's aggregates cost enough to trigger JIT compilation, which then takes
        // longer than it saves on every run (measured: 7 % more dashboards per second without it).
        options.map_sqlx_postgres_opts(|opts| opts.options([("jit", "off")]));
    } else {
        anyhow::bail!("DATABASE_URL must start with sqlite:// or postgres://");
    }
    let mut conn = sea_orm::Database::connect(options).await.context("connecting to the database")?;
    let statements = Arc::new(AtomicU64::new(0));
    let counter = statements.clone();
    // For profiling: LOG_LEVEL=warn,champion_tracker::sql=trace prints every statement and its time.
    conn.set_metric_callback(move |info| {
        graphql::engine::database::record_statement(&counter, &info.statement, info.elapsed)
    });
    Ok(Database { conn, statements })
}

pub async fn migrate(conn: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(conn, None).await.context("applying migrations")
}
