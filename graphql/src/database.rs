//! The database as one request sees it.
//!
//! sqlx tests every connection on its way back to the pool with a round trip (`Sync` /
//! `ReadyForQuery` on PostgreSQL), so a request whose statements each borrowed a connection paid
//! two round trips per statement. A read-only request instead keeps one connection from its
//! first statement to its end: its statements run one after another on it, and the connection
//! goes back, and is tested, once. Writes never use such a connection: a mutation request opens
//! its transactions on the pool as before, so no request ever waits for a second connection
//! while holding one.

use std::fmt::Display;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{self, Postgres, Sqlite};
use sea_orm::{
    ConnAcquireErr, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr,
    Statement,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::{Mutex, MutexGuard};

/// Counts every SQL statement the server runs (exported on `/metrics`) and, at trace level under
/// the target `champion_tracker::sql`, logs each with its duration.
pub fn record_statement(counter: &AtomicU64, sql: &dyn Display, elapsed: Duration) {
    counter.fetch_add(1, Ordering::Relaxed);
    tracing::trace!(target: "champion_tracker::sql", elapsed_us = elapsed.as_micros() as u64, sql = %sql);
}

/// The handle resolvers and loaders read through: the pool, or one connection kept for the
/// request (see the module documentation). Cloning shares the same connection.
#[derive(Clone)]
pub struct RequestDb {
    pool: DatabaseConnection,
    held: Option<Arc<HeldConnection>>,
}

struct HeldConnection {
    pool: DatabaseConnection,
    statements: Arc<AtomicU64>,
    /// Taken from the pool at the first statement, so a request that reads nothing holds nothing.
    connection: Mutex<Option<PooledConnection>>,
}

enum PooledConnection {
    Postgres(PoolConnection<Postgres>),
    Sqlite(PoolConnection<Sqlite>),
}

impl RequestDb {
    /// Every statement borrows a connection from the pool: for writes and long-lived operations.
    pub fn pooled(pool: DatabaseConnection) -> Self {
        Self { pool, held: None }
    }

    /// Statements share one connection, kept until the last clone of this handle is dropped:
    /// for read-only requests. `statements` is the server's statement counter.
    pub fn holding_one(pool: DatabaseConnection, statements: Arc<AtomicU64>) -> Self {
        let held = HeldConnection { pool: pool.clone(), statements, connection: Mutex::new(None) };
        Self { pool, held: Some(Arc::new(held)) }
    }

    /// The pool itself, for opening write transactions.
    pub fn pool(&self) -> &DatabaseConnection {
        &self.pool
    }

    /// Whether statements share one connection.
    pub fn holds_connection(&self) -> bool {
        self.held.is_some()
    }
}

impl HeldConnection {
    async fn connection(&self) -> Result<MutexGuard<'_, Option<PooledConnection>>, DbErr> {
        let mut guard = self.connection.lock().await;
        if guard.is_none() {
            let acquired = match self.pool.get_database_backend() {
                DbBackend::Postgres => PooledConnection::Postgres(
                    self.pool.get_postgres_connection_pool().acquire().await.map_err(acquire_error)?,
                ),
                DbBackend::Sqlite => PooledConnection::Sqlite(
                    self.pool.get_sqlite_connection_pool().acquire().await.map_err(acquire_error)?,
                ),
                other => return Err(DbErr::Custom(format!("{other:?} is not supported"))),
            };
            *guard = Some(acquired);
        }
        Ok(guard)
    }

    async fn query_all(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let mut guard = self.connection().await?;
        let started = Instant::now();
        let values = SqlxValues(statement.values.clone().unwrap_or(sea_orm::sea_query::Values(Vec::new())));
        let query = sqlx::AssertSqlSafe(statement.sql.as_str());
        let rows = match guard.as_mut() {
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
        rows.map_err(|error| DbErr::Query(RuntimeErr::SqlxError(Arc::new(error))))
    }

    async fn execute(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        let mut guard = self.connection().await?;
        let started = Instant::now();
        let values = SqlxValues(statement.values.clone().unwrap_or(sea_orm::sea_query::Values(Vec::new())));
        let query = sqlx::AssertSqlSafe(statement.sql.as_str());
        let result = match guard.as_mut() {
            Some(PooledConnection::Postgres(conn)) => {
                sqlx::query_with(query, values).execute(&mut **conn).await.map(ExecResult::from)
            }
            Some(PooledConnection::Sqlite(conn)) => {
                sqlx::query_with(query, values).execute(&mut **conn).await.map(ExecResult::from)
            }
            None => return Err(DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)),
        };
        record_statement(&self.statements, &statement, started.elapsed());
        result.map_err(|error| DbErr::Exec(RuntimeErr::SqlxError(Arc::new(error))))
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

    async fn one_connection_pool() -> DatabaseConnection {
        let mut options = ConnectOptions::new("sqlite::memory:");
        options.max_connections(1).min_connections(1).acquire_timeout(Duration::from_secs(5)).sqlx_logging(false);
        Database::connect(options).await.expect("in-memory SQLite")
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
        let db = RequestDb::holding_one(pool.clone(), statements.clone());
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
        let db = RequestDb::pooled(pool.clone());
        db.query_all_raw(select(&db, "SELECT 1 AS n")).await.unwrap();
        assert!(pool_is_free(&pool).await);
        assert!(!db.holds_connection());
    }

    #[tokio::test]
    async fn a_failing_statement_reports_the_error_and_keeps_the_connection_usable() {
        let pool = one_connection_pool().await;
        let db = RequestDb::holding_one(pool, Arc::new(AtomicU64::new(0)));
        let error = db.query_all_raw(select(&db, "SELECT * FROM missing_table")).await.unwrap_err();
        assert!(matches!(error, DbErr::Query(_)), "{error:?}");
        assert_eq!(db.query_all_raw(select(&db, "SELECT 1 AS n")).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_request_holding_a_connection_may_not_open_a_write_transaction() {
        let pool = one_connection_pool().await;
        let held = RequestDb::holding_one(pool.clone(), Arc::new(AtomicU64::new(0)));
        assert!(crate::write::begin_write(&held).await.is_err());
        let pooled = RequestDb::pooled(pool);
        assert!(crate::write::begin_write(&pooled).await.is_ok());
    }
}
