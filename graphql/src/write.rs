//! How every mutation writes: one transaction, taken as a write transaction from its first
//! statement (SQLite `BEGIN IMMEDIATE`; PostgreSQL ignores the hint), and optimistic concurrency
//! checked atomically by the database rather than by a read-then-compare.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, QueryFilter, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::database::RequestDb;
use crate::error::{AppError, Result};
use crate::loader::Versioned;

/// Starts the transaction a mutation runs in, on a connection of its own from the pool. Dropping
/// it without `commit` rolls everything back.
pub async fn begin_write(db: &RequestDb) -> Result<DatabaseTransaction> {
    // A request holding a connection waiting for a second one could starve the pool; only
    // read-only requests hold one, so a write there is a bug, refused rather than risked.
    if db.holds_connection() {
        return Err(AppError::internal("write attempted by a read-only request"));
    }
    // Connections kept idle for reads would otherwise leave writes a single connection.
    db.release_kept_reads();
    let options =
        TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
    Ok(db.pool().begin_with_options(options).await?)
}

/// Claims row `id` at `expected` version: bumps its version and `updated_at` only if the
/// version still matches, then returns the row as it now is. Of two writers holding the same
/// version, exactly one gets through; the other gets `CONFLICT` and writes nothing.
pub async fn claim_version<E>(
    txn: &DatabaseTransaction,
    id: i32,
    expected: i32,
    entity: &'static str,
) -> Result<E::Model>
where
    E: Versioned,
{
    let claimed = E::update_many()
        .col_expr(E::version_column(), ExprTrait::add(Expr::col(E::version_column()), 1))
        .col_expr(E::updated_at_column(), Expr::value(Utc::now()))
        .filter(E::id_column().eq(id))
        .filter(E::version_column().eq(expected))
        .exec(txn)
        .await?;
    let current = E::find_by_key(id).one(txn).await?.ok_or(AppError::NotFound { entity, field: Some("id".into()) })?;
    if claimed.rows_affected == 0 {
        return Err(AppError::Conflict {
            field: Some("expectedVersion".into()),
            message: format!("{entity} was changed by someone else; reload it and apply your change again"),
        });
    }
    Ok(current)
}

/// Refuses to delete a record that other records still point at: deleting it would change them
/// (clearing or removing their links) without their own audit entries.
pub fn refuse_if_referenced(entity: &'static str, references: &[(&str, u64)]) -> Result<()> {
    let named: Vec<String> = references.iter().filter(|(_, n)| *n > 0).map(|(what, n)| format!("{n} {what}")).collect();
    if named.is_empty() {
        return Ok(());
    }
    Err(AppError::Conflict {
        field: Some("id".into()),
        message: format!("The {entity} is still referred to by {}; remove or change those first", named.join(", ")),
    })
}
