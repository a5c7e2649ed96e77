//! Operations endpoints: liveness, readiness, the schema's SDL and Prometheus metrics.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use poem::http::StatusCode;
use poem::web::Data;
use poem::{Response, handler};
use serde_json::json;

use super::errors::request_error;
use super::state::AppState;

#[handler]
pub(super) fn health() -> Response {
    Response::builder().content_type("application/json").body(json!({ "status": "ok" }).to_string())
}

#[handler]
pub(super) async fn ready(Data(state): Data<&Arc<AppState>>) -> Response {
    match state.db.ping().await {
        Ok(()) => Response::builder().content_type("application/json").body(json!({ "status": "ready" }).to_string()),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            Response::builder()
                .status(StatusCode::SERVICE_UNAVAILABLE)
                .content_type("application/json")
                .body(json!({ "status": "unavailable", "reason": "database unreachable" }).to_string())
        }
    }
}

#[handler]
pub(super) fn schema_sdl(Data(state): Data<&Arc<AppState>>) -> Response {
    if !state.settings.limits.introspection {
        return request_error(StatusCode::NOT_FOUND, "NOT_FOUND", "Schema publication is switched off");
    }
    Response::builder().content_type("text/plain; charset=utf-8").body(state.gateway.schema().sdl())
}

#[handler]
pub(super) fn metrics(Data(state): Data<&Arc<AppState>>) -> Response {
    let body = state.metrics.render(
        &state.db,
        state.statements.load(Ordering::Relaxed),
        state.activity.subscriber_count(),
        state.gateway.kept_connections(),
        &state.connections,
    );
    Response::builder().content_type("text/plain; version=0.0.4; charset=utf-8").body(body)
}
