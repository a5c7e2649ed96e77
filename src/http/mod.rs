//! The HTTP layer: the bound server and its routes. Handlers live in their own modules
//! (`endpoint`, `ws`, `exports`, `probes`) and never import the router (`routes`) or this
//! module's [`Application`]; what they share is in `state`, `errors` and `auth`.

mod auth;
mod endpoint;
pub(crate) mod errors;
mod exports;
mod probes;
mod routes;
mod state;
mod ws;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use graphql::activity::ActivityBus;
use graphql::auth::jwt::TokenService;
use graphql::{AppGateway, build_schema};
use sea_orm::DatabaseConnection;

use crate::metrics::{Metrics, UPKEEP_INTERVAL};

use routes::routes;
use state::AppState;
pub use state::ServerSettings;

/// A bound, ready-to-run server. Binding first lets callers (tests) learn the port before serving.
pub struct Application {
    listener: tokio::net::TcpListener,
    port: u16,
    state: Arc<AppState>,
}

impl Application {
    pub async fn bind(
        addr: std::net::SocketAddr,
        db: DatabaseConnection,
        statements: Arc<AtomicU64>,
        tokens: Arc<TokenService>,
        settings: ServerSettings,
    ) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let port = listener.local_addr()?.port();
        let activity = Arc::new(ActivityBus::for_database(&db));
        let schema = build_schema(db.clone(), tokens.clone(), activity.clone(), &settings.limits);
        let gateway = AppGateway::new(schema, db.clone(), statements.clone(), &settings.limits);
        let recorder = Metrics::new()?;
        let connections = Arc::default();
        let state =
            Arc::new(AppState { gateway, db, tokens, activity, settings, statements, metrics: recorder, connections });
        Ok(Self { listener, port, state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish within the grace period.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let grace = self.state.settings.shutdown_grace;
        // On PostgreSQL, activity published by any instance reaches this one's subscribers.
        let relay = self.state.activity.uses_notify().then(|| {
            tokio::spawn(crate::listener::relay_notifications(self.state.db.clone(), self.state.activity.clone()))
        });
        let upkeep_state = self.state.clone();
        let upkeep = tokio::spawn(async move {
            let mut interval = tokio::time::interval(UPKEEP_INTERVAL);
            loop {
                interval.tick().await;
                upkeep_state.metrics.upkeep();
            }
        });
        let gateway = self.state.gateway.clone();
        let limits = self.state.settings.connections;
        let stats = self.state.connections.clone();
        tracing::info!(addr = %self.listener.local_addr()?, "listening");
        let served = crate::connections::serve(self.listener, routes(self.state), limits, stats, shutdown, grace).await;
        // Closing the pool waits for every connection, the ones kept for reads included.
        gateway.stop_keeping_connections();
        if let Some(relay) = relay {
            relay.abort();
        }
        upkeep.abort();
        served
    }
}

/// Resolves when SIGTERM or Ctrl-C arrives.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
