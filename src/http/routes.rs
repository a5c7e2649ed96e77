//! The router: which path goes to which handler, and the middleware around them.

use std::sync::Arc;

use poem::{EndpointExt, Route, get};

use crate::telemetry;

use super::endpoint::{graphql_get, graphql_post};
use super::errors::{coded_http_error, count_request_errors};
use super::exports::comment_response_csv;
use super::probes::{health, metrics, ready, schema_sdl};
use super::state::AppState;
use super::ws::graphql_ws;

pub fn routes(state: Arc<AppState>) -> impl poem::Endpoint {
    let cors = cors(&state.settings.cors_allowed_origins);
    Route::new()
        .at("/graphql", get(graphql_get).post(graphql_post).around(count_request_errors))
        .at("/graphql/ws", get(graphql_ws))
        .at("/graphiql/:name", get(crate::graphiql::serve_asset))
        .at("/health", get(health))
        .at("/ready", get(ready))
        .at("/schema.graphql", get(schema_sdl))
        .at("/metrics", get(metrics))
        .at("/export/versions/:id/comment-response.csv", get(comment_response_csv))
        .data(state)
        .catch_all_error(coded_http_error)
        // Outside the routes, so that a preflight is answered before any route refuses `OPTIONS`.
        .with_if(cors.is_some(), cors.unwrap_or_default())
        .around(telemetry::with_request_id)
}

/// Cross-origin access for browsers, when any origin is allowed. Tokens travel in the
/// `Authorization` header, never in cookies, so credentials are not allowed, and `*` (any
/// origin) is safe to offer.
pub(super) fn cors(origins: &[String]) -> Option<poem::middleware::Cors> {
    if origins.is_empty() {
        return None;
    }
    let mut cors = poem::middleware::Cors::new()
        .allow_methods([poem::http::Method::GET, poem::http::Method::POST])
        .allow_headers(["authorization", "content-type", "accept"])
        .expose_headers(["x-request-id"])
        .allow_credentials(false)
        .max_age(600);
    if !origins.iter().any(|origin| origin == "*") {
        cors = cors.allow_origins(origins.iter().map(String::as_str));
    }
    Some(cors)
}
