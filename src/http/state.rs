//! What every handler shares: the server's settings and state, and who is calling.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use graphql::activity::ActivityBus;
use graphql::auth::jwt::TokenService;
use graphql::auth::throttle::ClientAddress;
use graphql::{AppGateway, Limits};
use poem::Request;
use sea_orm::DatabaseConnection;

use crate::connections::{ConnectionLimits, ConnectionStats};
use crate::metrics::Metrics;

/// What the server needs besides its listener.
pub struct ServerSettings {
    pub limits: Limits,
    pub max_body_bytes: usize,
    pub max_batch_size: usize,
    pub graphiql: bool,
    pub shutdown_grace: Duration,
    /// Whether `X-Forwarded-For` names the client (behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Caps on open connections and the time a request may take to arrive.
    pub connections: ConnectionLimits,
    /// Origins a browser may call the API from; empty for none but the server's own.
    pub cors_allowed_origins: Vec<String>,
}

/// The caller's address: the proxy's `X-Forwarded-For` (left-most entry) when trusted, else the
/// TCP peer.
pub(super) fn client_address(req: &Request, trust_forwarded_for: bool) -> ClientAddress {
    let forwarded = trust_forwarded_for
        .then(|| req.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|first| first.trim().parse::<std::net::IpAddr>().ok());
    ClientAddress(forwarded.or_else(|| req.remote_addr().as_socket_addr().map(|a| a.ip())))
}

pub struct AppState {
    pub(super) gateway: AppGateway,
    pub(super) db: DatabaseConnection,
    pub(super) tokens: Arc<TokenService>,
    pub(super) activity: Arc<ActivityBus>,
    pub(super) settings: ServerSettings,
    pub(super) statements: Arc<AtomicU64>,
    pub(super) metrics: Metrics,
    pub(super) connections: Arc<ConnectionStats>,
}
