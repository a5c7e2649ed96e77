//! Request-level errors: HTTP status plus a GraphQL-shaped body with a code, for what GraphQL
//! execution never sees.

use std::sync::Arc;

use poem::http::{StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response};
use serde_json::json;

use super::state::AppState;

/// The code of a request-level error, kept on the response for the error metrics.
#[derive(Clone, Copy)]
pub(super) struct RequestErrorCode(&'static str);

/// A request-level error: HTTP status plus a GraphQL-shaped body with a code.
pub(crate) fn request_error(status: StatusCode, code: &'static str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    Response::builder()
        .status(status)
        .content_type("application/json")
        .extension(RequestErrorCode(code))
        .body(body.to_string())
}

/// Counts the request-level errors of `/graphql` (those GraphQL execution never saw).
pub(super) async fn count_request_errors<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let state = req.data::<Arc<AppState>>().cloned();
    let response = next.call(req).await?.into_response();
    if let (Some(state), Some(RequestErrorCode(code))) = (state, response.extensions().get::<RequestErrorCode>()) {
        state.metrics.error(code);
    }
    Ok(response)
}

/// Errors poem raises itself (unknown route, wrong method, bad query string) get the same coded
/// JSON shape as everything else.
pub(super) async fn coded_http_error(error: poem::Error) -> Response {
    let status = error.status();
    let code = match status {
        StatusCode::NOT_FOUND => "NOT_FOUND",
        StatusCode::METHOD_NOT_ALLOWED => "METHOD_NOT_ALLOWED",
        s if s.is_client_error() => "BAD_REQUEST",
        _ => "INTERNAL",
    };
    let message = if status.is_server_error() {
        tracing::error!(%error, "unhandled HTTP error");
        "Internal error; it has been logged".to_owned()
    } else {
        error.to_string()
    };
    request_error(status, code, &message)
}

pub(crate) fn unauthenticated() -> Response {
    let mut response =
        request_error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "Invalid, expired or revoked token; sign in again");
    response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    response
}
