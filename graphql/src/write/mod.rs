//! The write path. Every mutation runs as one [`UnitOfWork`]: one transaction, taken as a write
//! transaction from its first statement (SQLite `BEGIN IMMEDIATE`; PostgreSQL ignores the hint),
//! its audit rows written from [`Change`] values, committed, and only then announced to
//! subscribers. Optimistic concurrency is checked atomically by the database rather than by a
//! read-then-compare.

mod change;

pub use change::{Actor, Change, diff, linked_country_codes, linked_ids, linked_section_codes};

use async_graphql::Context;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, QueryFilter, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use serde::Serialize;

use crate::bus::{self, ActivityKind};

use crate::auth::guard::viewer;
use crate::context::db;
use crate::engine::database::RequestDb;
use crate::engine::loader::Versioned;
use crate::error::{AppError, Result};

/// Who a unit of work's changes are written as.
enum Author {
    /// The request's signed-in viewer, under the mutation's own name.
    Viewer,
    /// An account named outright, under an action name: a sign-in (which has no viewer yet) or
    /// the command line.
    Account(Actor, &'static str),
}

/// A mutation's write, the one way anything changes data: [`UnitOfWork::begin`] opens the write
/// transaction, the domain's service runs its change on [`UnitOfWork::txn`], and
/// [`UnitOfWork::commit`] writes the audit row from a [`Change`] and commits. What is announced
/// to subscribers goes through the [`Committed`] that `commit` returns, so nothing is announced
/// that did not land. Dropped without `commit` (an error returned with `?`), it rolls back.
#[must_use = "dropped without `commit`, a unit of work rolls back"]
pub struct UnitOfWork<'r, 'c> {
    txn: DatabaseTransaction,
    author: Author,
    /// The request, for the viewer and for announcing; none on the command line.
    ctx: Option<&'r Context<'c>>,
}

impl<'r, 'c> UnitOfWork<'r, 'c> {
    /// Opens the write transaction of the current mutation, written as its viewer.
    pub async fn begin(ctx: &'r Context<'c>) -> Result<Self> {
        Ok(Self { txn: begin_write(db(ctx)?).await?, author: Author::Viewer, ctx: Some(ctx) })
    }

    /// [`UnitOfWork::begin`] for a change written as `actor` under `action` (a sign-in).
    pub async fn begin_as(ctx: &'r Context<'c>, actor: Actor, action: &'static str) -> Result<Self> {
        Ok(Self { txn: begin_write(db(ctx)?).await?, author: Author::Account(actor, action), ctx: Some(ctx) })
    }

    /// A unit of work outside any request (the command line), written as `actor` under `action`.
    #[allow(clippy::disallowed_methods)] // The write path itself.
    pub async fn begin_outside_request(db: &DatabaseConnection, actor: Actor, action: &'static str) -> Result<Self> {
        Ok(Self {
            txn: db.begin_with_options(write_options()).await?,
            author: Author::Account(actor, action),
            ctx: None,
        })
    }

    /// The transaction the domain's change runs in.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Writes the audit row of one more record the mutation changed, without committing.
    pub async fn record<M: Serialize>(&self, change: Change<'_, M>) -> Result<()> {
        match (&self.author, self.ctx) {
            (Author::Account(actor, action), _) => change::record(&self.txn, actor, action, change).await,
            (Author::Viewer, Some(ctx)) => {
                let principal = viewer(ctx).principal()?;
                let actor = Actor { id: Some(principal.user_id), email: principal.email.clone() };
                change::record(&self.txn, &actor, ctx.field().name(), change).await
            }
            (Author::Viewer, None) => Err(AppError::internal("a unit of work without a request has no viewer")),
        }
    }

    /// Writes the audit row of the mutation's main record and commits: the change and its record
    /// land together or not at all.
    pub async fn commit<M: Serialize>(self, change: Change<'_, M>) -> Result<Committed<'r, 'c>> {
        self.record(change).await?;
        self.txn.commit().await?;
        Ok(Committed { ctx: self.ctx })
    }
}

/// A committed unit of work: what may now be announced to subscribers.
pub struct Committed<'r, 'c> {
    ctx: Option<&'r Context<'c>>,
}

impl Committed<'_, '_> {
    /// Announces a committed change to every subscriber (of every instance on PostgreSQL).
    pub async fn publish(&self, kind: ActivityKind, entity_id: i32, country_id: Option<i32>, deleted: bool) {
        if let Some(ctx) = self.ctx {
            bus::publish(ctx, kind, entity_id, country_id, deleted).await;
        }
    }
}

fn write_options() -> TransactionOptions {
    TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() }
}

/// Starts the transaction a mutation runs in, on a connection of its own from the pool. Dropping
/// it without `commit` rolls everything back.
#[allow(clippy::disallowed_methods)] // The write path itself.
pub(crate) async fn begin_write(db: &RequestDb) -> Result<DatabaseTransaction> {
    // A request holding a connection waiting for a second one could starve the pool; only
    // read-only requests hold one, so a write there is a bug, refused rather than risked.
    if db.holds_connection() {
        return Err(AppError::internal("write attempted by a read-only request"));
    }
    // Connections kept idle for reads would otherwise leave writes a single connection.
    db.release_kept_reads();
    Ok(db.pool().begin_with_options(write_options()).await?)
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
