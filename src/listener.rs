//! The PostgreSQL side of live activity: one `LISTEN` connection per server instance, feeding
//! what every instance publishes (through `NOTIFY`) to this instance's subscribers.

use std::sync::Arc;
use std::time::Duration;

use graphql::activity::{ActivityBus, ActivityMessage, CHANNEL};
use sea_orm::DatabaseConnection;
use sqlx::postgres::{PgListener, PgPoolOptions};

/// Pause before retrying after the listening connection failed.
const RETRY: Duration = Duration::from_secs(1);

/// Listens until the task is aborted; reconnects after failures.
pub async fn relay_notifications(db: DatabaseConnection, bus: Arc<ActivityBus>) {
    // The listening connection is held for the server's lifetime, so it comes from a pool of its
    // own: taken from the request pool it would leave requests one connection short.
    let options = db.get_postgres_connection_pool().connect_options();
    let pool = PgPoolOptions::new().max_connections(1).connect_lazy_with(options.as_ref().clone());
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::error!(%error, "activity listener cannot connect; retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        if let Err(error) = listener.listen(CHANNEL).await {
            tracing::error!(%error, "activity listener cannot LISTEN; retrying");
            tokio::time::sleep(RETRY).await;
            continue;
        }
        loop {
            // `recv` reconnects by itself after a lost connection (notifications sent meanwhile are lost).
            match listener.recv().await {
                Ok(notification) => match serde_json::from_str::<ActivityMessage>(notification.payload()) {
                    Ok(message) => bus.deliver(message),
                    Err(error) => tracing::warn!(%error, "ignoring a malformed activity notification"),
                },
                Err(error) => {
                    tracing::error!(%error, "activity listener failed; reconnecting");
                    tokio::time::sleep(RETRY).await;
                    break;
                }
            }
        }
    }
}
