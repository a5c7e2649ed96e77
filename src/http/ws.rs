//! `/graphql/ws`: subscriptions and operations over a WebSocket (graphql-transport-ws and
//! graphql-ws), signed in by the connection's token and closed when its rights change.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_poem::{GraphQLProtocol, GraphQLWebSocket};
use graphql::auth::{authenticate, authenticate_until, bearer_token};
use graphql::context::Viewer;
use graphql::error::AppError;
use graphql::request_loader;
use poem::web::Data;
use poem::web::websocket::WebSocket;
use poem::{IntoResponse, Request, handler};

use super::state::{AppState, client_address};

/// How often an open WebSocket re-checks that its account may still sign in.
pub(super) const WS_RECHECK_SECONDS: u64 = 5;

#[handler]
pub(super) async fn graphql_ws(
    req: &Request,
    Data(state): Data<&Arc<AppState>>,
    protocol: GraphQLProtocol,
    websocket: WebSocket,
) -> impl IntoResponse {
    let gateway = state.gateway.clone();
    let state = state.clone();
    let address = client_address(req, state.settings.trust_forwarded_for);
    websocket.protocols(ALL_WEBSOCKET_PROTOCOLS).on_upgrade(move |stream| async move {
        // Set at `connection_init` to the token and its expiry, for the watcher below.
        let (expiry_tx, mut expiry_rx) = tokio::sync::watch::channel(None::<(i64, String, Viewer)>);
        let watcher_state = state.clone();
        let connection = GraphQLWebSocket::new(stream, gateway, protocol)
            .on_connection_init(move |payload| async move {
                // Accept `{"authorization": "Bearer …"}` (any case) or `{"token": "…"}`.
                let header = payload
                    .as_object()
                    .and_then(|fields| {
                        fields.iter().find(|(k, _)| k.eq_ignore_ascii_case("authorization")).map(|(_, v)| v.clone())
                    })
                    .and_then(|v| v.as_str().map(str::to_owned));
                let token = match header {
                    Some(header) => Some(bearer_token(&header).map(str::to_owned).map_err(|_| ws_unauthenticated())?),
                    None => payload.get("token").and_then(|v| v.as_str()).map(str::to_owned),
                };
                // Nothing is open to anonymous callers over WebSocket (sign in over HTTP first).
                if token.is_none() {
                    return Err(ws_unauthenticated());
                }
                let (viewer, expires_at) = authenticate_until(&state.db, &state.tokens, token.as_deref())
                    .await
                    .map_err(|_| ws_unauthenticated())?;
                if let (Some(at), Some(token)) = (expires_at, token) {
                    let _ = expiry_tx.send(Some((at, token, viewer.clone())));
                }
                let mut data = async_graphql::Data::default();
                data.insert(viewer);
                // Subscriptions live on: they read through the pool, never holding a connection.
                let db = state.gateway.pooled_database();
                data.insert(request_loader(&db, false));
                data.insert(db);
                data.insert(address);
                Ok(data)
            })
            .serve();
        // Ends the connection when its token expires, or as soon as the account behind it is
        // deactivated, its password changed, or its role, country or email changed (checked
        // every few seconds; each event delivered is checked against the account as well).
        let expiry = async move {
            while expiry_rx.changed().await.is_ok() {
                let signed_in = expiry_rx.borrow().clone();
                if let Some((expires_at, token, signed_in_as)) = signed_in {
                    loop {
                        let left = u64::try_from(expires_at - chrono::Utc::now().timestamp()).unwrap_or(0);
                        if left == 0 {
                            tracing::info!("closing a WebSocket whose token expired");
                            return;
                        }
                        tokio::time::sleep(Duration::from_secs(left.min(WS_RECHECK_SECONDS))).await;
                        match authenticate(&watcher_state.db, &watcher_state.tokens, Some(&token)).await {
                            Ok(now) if now == signed_in_as => {}
                            Ok(_) => {
                                tracing::info!("closing a WebSocket whose account's rights changed");
                                return;
                            }
                            Err(_) => {
                                tracing::info!("closing a WebSocket whose sign-in is no longer valid");
                                return;
                            }
                        }
                    }
                }
            }
            // Anonymous connections (no token) never end this way.
            std::future::pending::<()>().await
        };
        tokio::select! {
            _ = connection => {},
            _ = expiry => {},
        }
    })
}

pub(super) fn ws_unauthenticated() -> async_graphql::Error {
    async_graphql::Error::from(AppError::Unauthenticated)
}
