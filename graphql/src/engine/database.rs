//! The database as one request sees it.
//!
//! sqlx tests every connection on its way back to the pool with a round trip (`Sync` /
//! `ReadyForQuery` on PostgreSQL), so a request whose statements each borrowed a connection paid
//! two round trips per statement. A read-only request instead holds one connection from its
//! first statement to its end: its statements run one after another on it. When all of them
//! completed, the connection is then kept for the next read-only request rather than given back
//! and tested ([`ReadConnections`]); a lookup by id costs two round trips instead of three.
//! Writes never use such a connection: a mutation request opens its transactions on the pool,
//! so no request ever waits for a second connection while holding one.

use std::fmt::Display;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{self, Postgres, Sqlite};
use sea_orm::{
    ConnAcquireErr, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr,
    Statement,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::{Mutex, MutexGuard, OwnedSemaphorePermit, Semaphore};

/// A kept connection idle longer than this goes back to the pool, which tests it before it is
/// used again (the pool's own rule, `src/db.rs`): a proxy or firewall may have dropped it.
const KEEP_IDLE_FOR: Duration = Duration::from_secs(30);

/// Counts every SQL statement the server runs (exported on `/metrics`) and, at trace level under
/// the target `champion_tracker::sql`, logs each with its duration.
pub fn record_statement(counter: &AtomicU64, sql: &dyn Display, elapsed: Duration) {
    counter.fetch_add(1, Ordering::Relaxed);
    tracing::trace!(target: "champion_tracker::sql", elapsed_us = elapsed.as_micros() as u64, sql = %sql);
}

/// Connections read-only requests keep between them, outside sqlx's pool (which would test each
/// on its way back).
///
/// Reads hold at most one connection fewer than the pool has, in use and kept together, so that
/// a write, the login, the readiness check and every other user of the pool always find one. A
/// write transaction first hands the kept connections back, so that under writes alone the whole
/// pool serves writes. A pool of one connection keeps none.
pub struct ReadConnections {
    pool: DatabaseConnection,
    /// One permit per connection reads may hold; `None` when the pool has none to spare.
    permits: Option<Arc<Semaphore>>,
    acquire_timeout: Duration,
    kept: std::sync::Mutex<KeptConnections>,
}

#[derive(Default)]
struct KeptConnections {
    /// Newest last.
    connections: Vec<Kept>,
    /// Set when the server stops: nothing more is kept, so that closing the pool (which waits
    /// for every connection to come back) can finish.
    closed: bool,
}

struct Kept {
    connection: PooledConnection,
    since: Instant,
}

/// The connection a read-only request holds, and its claim on the reads' share of the pool.
struct ReadConnection {
    connection: PooledConnection,
    permit: Option<OwnedSemaphorePermit>,
}

enum PooledConnection {
    Postgres(PoolConnection<Postgres>),
    Sqlite(PoolConnection<Sqlite>),
}

impl ReadConnections {
    pub fn new(pool: DatabaseConnection) -> Arc<Self> {
        let (max_connections, acquire_timeout) = match pool.get_database_backend() {
            DbBackend::Postgres => {
                let options = pool.get_postgres_connection_pool().options();
                (options.get_max_connections(), options.get_acquire_timeout())
            }
            DbBackend::Sqlite => {
                let options = pool.get_sqlite_connection_pool().options();
                (options.get_max_connections(), options.get_acquire_timeout())
            }
            _ => (0, Duration::ZERO),
        };
        let share = max_connections.saturating_sub(1) as usize;
        let permits = (share > 0).then(|| Arc::new(Semaphore::new(share)));
        Arc::new(Self { pool, permits, acquire_timeout, kept: std::sync::Mutex::default() })
    }

    /// A connection for one read-only request: a kept one if there is one, else one from the pool.
    async fn take(&self) -> Result<ReadConnection, DbErr> {
        let Some(permits) = &self.permits else {
            return Ok(ReadConnection { connection: acquire(&self.pool).await?, permit: None });
        };
        // One deadline for the wait for the reads' share and the pool's own acquire together, so a
        // read waits no longer than the pool's acquire timeout, as it did before either existed.
        let take = async {
            let permit = permits
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed))?;
            let connection = match self.take_kept() {
                Some(connection) => connection,
                None => acquire(&self.pool).await?,
            };
            Ok(ReadConnection { connection, permit: Some(permit) })
        };
        tokio::time::timeout(self.acquire_timeout, take)
            .await
            .map_err(|_| DbErr::ConnectionAcquire(ConnAcquireErr::Timeout))?
    }

    /// The newest kept connection, after giving those idle too long back to the pool.
    fn take_kept(&self) -> Option<PooledConnection> {
        let stale = {
            let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(last) = kept.connections.last()
                && last.since.elapsed() < KEEP_IDLE_FOR
            {
                return kept.connections.pop().map(|kept| kept.connection);
            }
            // The newest is stale, so all are.
            std::mem::take(&mut kept.connections)
        };
        drop(stale);
        None
    }

    /// Keeps the connection of a request whose statements all completed.
    fn keep(&self, read: ReadConnection) {
        let ReadConnection { connection, permit } = read;
        if permit.is_none() {
            return; // Dropped: back to the pool.
        }
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if !kept.closed {
            kept.connections.push(Kept { connection, since: Instant::now() });
        }
        drop(kept);
        // The permit goes only now, so that reads never hold more than their share.
        drop(permit);
    }

    /// Gives every kept connection back to the pool, for a write about to need one.
    pub fn release_kept(&self) {
        let kept = std::mem::take(&mut self.kept.lock().unwrap_or_else(PoisonError::into_inner).connections);
        drop(kept);
    }

    /// Gives every kept connection back to the pool and keeps none from now on: before the pool
    /// is closed.
    pub fn close(&self) {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner).closed = true;
        self.release_kept();
    }

    /// How many connections are kept.
    pub fn kept_count(&self) -> usize {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner).connections.len()
    }
}

async fn acquire(pool: &DatabaseConnection) -> Result<PooledConnection, DbErr> {
    match pool.get_database_backend() {
        DbBackend::Postgres => {
            Ok(PooledConnection::Postgres(pool.get_postgres_connection_pool().acquire().await.map_err(acquire_error)?))
        }
        DbBackend::Sqlite => {
            Ok(PooledConnection::Sqlite(pool.get_sqlite_connection_pool().acquire().await.map_err(acquire_error)?))
        }
        other => Err(DbErr::Custom(format!("{other:?} is not supported"))),
    }
}

/// The handle resolvers and loaders read through: the pool, or one connection kept for the
/// request (see the module documentation). Cloning shares the same connection.
#[derive(Clone)]
pub struct RequestDb {
    pool: DatabaseConnection,
    held: Option<Arc<HeldConnection>>,
    reads: Option<Arc<ReadConnections>>,
}

struct HeldConnection {
    reads: Arc<ReadConnections>,
    statements: Arc<AtomicU64>,
    /// Taken at the first statement, so a request that reads nothing holds nothing.
    connection: Mutex<Option<ReadConnection>>,
    /// Whether every statement so far completed. A failed statement, or one abandoned midway
    /// (the client went away), may leave the connection in any state: it goes back to the pool,
    /// which tests it, instead of being kept.
    completed: AtomicBool,
}

impl RequestDb {
    /// Every statement borrows a connection from the pool: for writes and long-lived operations.
    /// A write transaction first gives `reads`' kept connections back to the pool.
    pub fn pooled(pool: DatabaseConnection, reads: Option<Arc<ReadConnections>>) -> Self {
        Self { pool, held: None, reads }
    }

    /// Statements share one connection, held until the last clone of this handle is dropped:
    /// for read-only requests. `statements` is the server's statement counter.
    pub fn holding_one(reads: Arc<ReadConnections>, statements: Arc<AtomicU64>) -> Self {
        let pool = reads.pool.clone();
        let held = HeldConnection {
            reads: reads.clone(),
            statements,
            connection: Mutex::new(None),
            completed: AtomicBool::new(true),
        };
        Self { pool, held: Some(Arc::new(held)), reads: Some(reads) }
    }

    /// The pool itself, for opening write transactions.
    pub fn pool(&self) -> &DatabaseConnection {
        &self.pool
    }

    /// Whether statements share one connection.
    pub fn holds_connection(&self) -> bool {
        self.held.is_some()
    }

    /// Gives the connections kept for reads back to the pool (before a write takes one).
    pub fn release_kept_reads(&self) {
        if let Some(reads) = &self.reads {
            reads.release_kept();
        }
    }
}

impl HeldConnection {
    async fn connection(&self) -> Result<MutexGuard<'_, Option<ReadConnection>>, DbErr> {
        let mut guard = self.connection.lock().await;
        if guard.is_none() {
            *guard = Some(self.reads.take().await?);
        }
        Ok(guard)
    }

    async fn query_all(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let mut guard = self.connection().await?;
        self.completed.store(false, Ordering::Relaxed);
        let started = Instant::now();
        let values = SqlxValues(statement.values.clone().unwrap_or(sea_orm::sea_query::Values(Vec::new())));
        let query = sqlx::AssertSqlSafe(statement.sql.as_str());
        let rows = match guard.as_mut().map(|read| &mut read.connection) {
            Some(PooledConnection::Postgres(conn)) => sqlx::query_with(query, values)
                .fetch_all(&mut **conn)
                .await
                .map(|rows| rows.into_iter().map(QueryResult::from).collect()),
            Some(PooledConnection::Sqlite(conn)) => sqlx::query_with(query, values)
                .fetch_all(&mut **conn)
                .await
                .map(|rows| rows.into_iter().map(QueryResult::from).collect()),
            None => return Err(DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)),
        };
        record_statement(&self.statements, &statement, started.elapsed());
        self.completed.store(rows.is_ok(), Ordering::Relaxed);
        rows.map_err(|error| DbErr::Query(RuntimeErr::SqlxError(Arc::new(error))))
    }

    async fn execute(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        let mut guard = self.connection().await?;
        self.completed.store(false, Ordering::Relaxed);
        let started = Instant::now();
        let values = SqlxValues(statement.values.clone().unwrap_or(sea_orm::sea_query::Values(Vec::new())));
        let query = sqlx::AssertSqlSafe(statement.sql.as_str());
        let result = match guard.as_mut().map(|read| &mut read.connection) {
            Some(PooledConnection::Postgres(conn)) => {
                sqlx::query_with(query, values).execute(&mut **conn).await.map(ExecResult::from)
            }
            Some(PooledConnection::Sqlite(conn)) => {
                sqlx::query_with(query, values).execute(&mut **conn).await.map(ExecResult::from)
            }
            None => return Err(DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)),
        };
        record_statement(&self.statements, &statement, started.elapsed());
        self.completed.store(result.is_ok(), Ordering::Relaxed);
        result.map_err(|error| DbErr::Exec(RuntimeErr::SqlxError(Arc::new(error))))
    }
}

impl Drop for HeldConnection {
    fn drop(&mut self) {
        if let Some(read) = self.connection.get_mut().take()
            && *self.completed.get_mut()
        {
            self.reads.keep(read);
        }
        // Otherwise the connection is dropped here: back to the pool, which tests it.
    }
}

fn acquire_error(error: sqlx::Error) -> DbErr {
    match error {
        sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
        sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
        other => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(other))),
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for RequestDb {
    fn get_database_backend(&self) -> DbBackend {
        self.pool.get_database_backend()
    }

    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        match &self.held {
            Some(held) => held.execute(statement).await,
            None => self.pool.execute_raw(statement).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match &self.held {
            Some(held) => held.execute(Statement::from_string(self.get_database_backend(), sql)).await,
            None => self.pool.execute_unprepared(sql).await,
        }
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        match &self.held {
            // Every single-row query sea-orm builds carries its own `LIMIT 1`.
            Some(held) => Ok(held.query_all(statement).await?.into_iter().next()),
            None => self.pool.query_one_raw(statement).await,
        }
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match &self.held {
            Some(held) => held.query_all(statement).await,
            None => self.pool.query_all_raw(statement).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectOptions, Database};

    use super::*;

    async fn pool_of(connections: u32) -> DatabaseConnection {
        let mut options = ConnectOptions::new("sqlite::memory:");
        options
            .max_connections(connections)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(5))
            .sqlx_logging(false);
        Database::connect(options).await.expect("in-memory SQLite")
    }

    async fn one_connection_pool() -> DatabaseConnection {
        pool_of(1).await
    }

    async fn pool_is_free(pool: &DatabaseConnection) -> bool {
        let acquire = pool.get_sqlite_connection_pool().acquire();
        tokio::time::timeout(Duration::from_millis(200), acquire).await.is_ok()
    }

    fn select(db: &RequestDb, sql: &str) -> Statement {
        Statement::from_string(db.get_database_backend(), sql)
    }

    #[tokio::test]
    async fn a_held_connection_serves_every_statement_and_goes_back_when_dropped() {
        let pool = one_connection_pool().await;
        let statements = Arc::new(AtomicU64::new(0));
        let db = RequestDb::holding_one(ReadConnections::new(pool.clone()), statements.clone());
        db.execute_unprepared("CREATE TEMP TABLE scratch (n INTEGER)").await.unwrap();
        db.execute_raw(select(&db, "INSERT INTO scratch VALUES (1), (2)")).await.unwrap();
        // A temporary table lives on one connection only: seeing it proves the statements shared one.
        let rows = db.query_all_raw(select(&db, "SELECT n FROM scratch ORDER BY n")).await.unwrap();
        let numbers: Vec<i32> = rows.iter().map(|row| row.try_get("", "n").unwrap()).collect();
        assert_eq!(numbers, [1, 2]);
        let one = db.query_one_raw(select(&db, "SELECT n FROM scratch WHERE n = 2 LIMIT 1")).await.unwrap();
        assert_eq!(one.map(|row| row.try_get::<i32>("", "n").unwrap()), Some(2));
        assert_eq!(statements.load(Ordering::Relaxed), 4);

        assert!(!pool_is_free(&pool).await, "the request still holds the only connection");
        let clone = db.clone();
        drop(db);
        assert!(!pool_is_free(&pool).await, "a clone keeps the connection");
        drop(clone);
        assert!(pool_is_free(&pool).await, "the last handle gave the connection back");
    }

    #[tokio::test]
    async fn a_pooled_handle_holds_nothing_between_statements() {
        let pool = one_connection_pool().await;
        let db = RequestDb::pooled(pool.clone(), None);
        db.query_all_raw(select(&db, "SELECT 1 AS n")).await.unwrap();
        assert!(pool_is_free(&pool).await);
        assert!(!db.holds_connection());
    }

    #[tokio::test]
    async fn a_failing_statement_reports_the_error_and_keeps_the_connection_usable() {
        let pool = one_connection_pool().await;
        let db = RequestDb::holding_one(ReadConnections::new(pool), Arc::new(AtomicU64::new(0)));
        let error = db.query_all_raw(select(&db, "SELECT * FROM missing_table")).await.unwrap_err();
        assert!(matches!(error, DbErr::Query(_)), "{error:?}");
        assert_eq!(db.query_all_raw(select(&db, "SELECT 1 AS n")).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_request_holding_a_connection_may_not_open_a_write_transaction() {
        let pool = one_connection_pool().await;
        let held = RequestDb::holding_one(ReadConnections::new(pool.clone()), Arc::new(AtomicU64::new(0)));
        assert!(crate::write::begin_write(&held).await.is_err());
        let pooled = RequestDb::pooled(pool, None);
        assert!(crate::write::begin_write(&pooled).await.is_ok());
    }

    /// A pool of `connections` and the read connections over it.
    async fn reads_on(connections: u32) -> (DatabaseConnection, Arc<ReadConnections>) {
        let pool = pool_of(connections).await;
        let reads = ReadConnections::new(pool.clone());
        (pool, reads)
    }

    fn counter() -> Arc<AtomicU64> {
        Arc::new(AtomicU64::new(0))
    }

    /// Whether the statements of `db` run on the connection that made `scratch`: a temporary
    /// table lives on one connection only.
    async fn sees_scratch(db: &RequestDb) -> bool {
        db.query_all_raw(select(db, "SELECT n FROM scratch")).await.is_ok()
    }

    #[tokio::test]
    async fn the_next_read_gets_the_connection_the_last_one_kept() {
        let (_pool, reads) = reads_on(3).await;
        let first = RequestDb::holding_one(reads.clone(), counter());
        first.execute_unprepared("CREATE TEMP TABLE scratch (n INTEGER)").await.unwrap();
        drop(first);
        assert_eq!(reads.kept_count(), 1);

        let second = RequestDb::holding_one(reads.clone(), counter());
        assert!(sees_scratch(&second).await, "the kept connection served the next read");
        assert_eq!(reads.kept_count(), 0, "a kept connection serves one request at a time");
        drop(second);
        assert_eq!(reads.kept_count(), 1);
    }

    #[tokio::test]
    async fn a_connection_whose_statement_failed_or_was_abandoned_is_not_kept() {
        let (_pool, reads) = reads_on(3).await;
        let failed = RequestDb::holding_one(reads.clone(), counter());
        assert!(failed.query_all_raw(select(&failed, "SELECT * FROM missing_table")).await.is_err());
        drop(failed);
        assert_eq!(reads.kept_count(), 0);

        let abandoned = RequestDb::holding_one(reads.clone(), counter());
        // Long enough to be cut short, bounded so that it does not run on in the background.
        let slow =
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT count(*) FROM n";
        let statement = select(&abandoned, slow);
        let cut_short = tokio::time::timeout(Duration::from_millis(50), abandoned.query_all_raw(statement)).await;
        assert!(cut_short.is_err(), "the statement was still running");
        drop(abandoned);
        assert_eq!(reads.kept_count(), 0);
    }

    #[tokio::test]
    async fn reads_leave_one_connection_to_the_pool_and_a_write_takes_the_kept_ones_back() {
        let (pool, reads) = reads_on(2).await;
        let reading = RequestDb::holding_one(reads.clone(), counter());
        reading.query_all_raw(select(&reading, "SELECT 1 AS n")).await.unwrap();

        // The reads' share of a pool of two is one connection: a second read waits for it...
        let waiting = RequestDb::holding_one(reads.clone(), counter());
        let second =
            tokio::time::timeout(Duration::from_millis(200), waiting.query_all_raw(select(&waiting, "SELECT 2")));
        assert!(second.await.is_err(), "the second read waited");
        // ...while a write still finds the other.
        let writer = RequestDb::pooled(pool.clone(), Some(reads.clone()));
        drop(crate::write::begin_write(&writer).await.expect("a write finds a connection"));

        drop(reading);
        assert_eq!(reads.kept_count(), 1);
        crate::write::begin_write(&writer).await.expect("a write finds a connection");
        assert_eq!(reads.kept_count(), 0, "the write gave the kept connection back to the pool");
        assert_eq!(waiting.query_all_raw(select(&waiting, "SELECT 2")).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn once_closed_nothing_is_kept_and_the_pool_closes() {
        let (pool, reads) = reads_on(3).await;
        let before = RequestDb::holding_one(reads.clone(), counter());
        before.query_all_raw(select(&before, "SELECT 1")).await.unwrap();
        let during = RequestDb::holding_one(reads.clone(), counter());
        during.query_all_raw(select(&during, "SELECT 1")).await.unwrap();
        drop(before);
        assert_eq!(reads.kept_count(), 1);
        reads.close();
        assert_eq!(reads.kept_count(), 0);
        drop(during);
        assert_eq!(reads.kept_count(), 0, "a request that ends after the close keeps nothing");
        tokio::time::timeout(Duration::from_secs(5), pool.close()).await.expect("the pool closes").unwrap();
    }
}
