//! `/graphql` over HTTP: GET for queries, POST for everything, batches included.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::BatchRequest;
use graphql::context::Viewer;
use poem::http::{HeaderMap, StatusCode, header};
use poem::web::{Data, Query};
use poem::{Body, Request, Response, handler};
use serde::Deserialize;

use crate::metrics::{Outcome, operation_label};

use super::auth::viewer_from_headers;
use super::errors::request_error;
use super::state::{AppState, client_address};

pub(super) const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

pub(super) fn wants_graphql_response_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE_JSON))
}

/// Whether execution of `response`'s operation started: a request that never did (it did not
/// parse or validate) has no `data` and only errors without a path.
pub(super) fn started(response: &async_graphql::Response) -> bool {
    response.data != async_graphql::Value::Null
        || response.errors.is_empty()
        || response.errors.iter().any(|e| !e.path.is_empty())
}

/// A response as sent: without `data` when execution never started, as GraphQL over HTTP asks
/// (`"data": null` would claim that it ran and failed).
pub(super) struct Sent<'a>(&'a async_graphql::Response);

impl serde::Serialize for Sent<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let response = self.0;
        if started(response) {
            return response.serialize(serializer);
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("errors", &response.errors)?;
        if !response.extensions.is_empty() {
            map.serialize_entry("extensions", &response.extensions)?;
        }
        map.end()
    }
}

/// Authenticates the caller and runs the operations of `batch`.
pub(super) async fn execute(state: &AppState, batch: BatchRequest, req: &Request) -> Response {
    let headers = req.headers();
    let address = client_address(req, state.settings.trust_forwarded_for);
    let graphql_response_json = wants_graphql_response_json(headers);
    let content_type = if graphql_response_json { GRAPHQL_RESPONSE_JSON } else { "application/json" };

    let (requests, is_batch) = match batch {
        BatchRequest::Single(request) => (vec![request], false),
        BatchRequest::Batch(requests) => (requests, true),
    };
    if requests.is_empty() {
        return request_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "The batch holds no operation");
    }
    if requests.len() > state.settings.max_batch_size {
        return request_error(
            StatusCode::BAD_REQUEST,
            "BATCH_TOO_LARGE",
            &format!("At most {} operations per batch", state.settings.max_batch_size),
        );
    }
    // Parsed before the account check, so that a batch which only reads runs the check and its
    // own statements on one connection (see `graphql::engine::database`).
    let mut requests = requests;
    let prepared: Vec<_> = requests.iter_mut().map(|request| state.gateway.prepare(request)).collect();
    let db = state.gateway.database_for(&mut requests);
    let viewer = match viewer_from_headers(state, &db, headers).await {
        Ok(viewer) => viewer,
        Err(response) => return response,
    };
    let mut responses = Vec::with_capacity(requests.len());
    for (mut request, prepared) in requests.into_iter().zip(prepared) {
        // Anonymous callers may sign in and nothing else, not even read the schema.
        if viewer == Viewer::Anonymous {
            request = request.disable_introspection();
        }
        let operation = operation_label(request.operation_name.as_deref(), &request.query).to_owned();
        let request = request.data(viewer.clone()).data(address);
        let started = Instant::now();
        let response = match prepared {
            Ok(prepared) => state.gateway.execute_prepared(request, &prepared, &db).await,
            Err(error) => async_graphql::Response::from_errors(vec![error]),
        };
        let outcome = if response.errors.is_empty() { Outcome::Ok } else { Outcome::Error };
        state.metrics.operation(&operation, outcome, started.elapsed());
        for error in &response.errors {
            if let Some(async_graphql::Value::String(code)) = error.extensions.as_ref().and_then(|e| e.get("code")) {
                state.metrics.error(code);
            }
        }
        responses.push(response);
    }
    let request_failed = responses.iter().all(|r| !started(r));
    let status = if graphql_response_json && request_failed { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let sent: Vec<Sent> = responses.iter().map(Sent).collect();
    let body = match (is_batch, sent.as_slice()) {
        (false, [one]) => serde_json::to_string(one),
        (_, all) => serde_json::to_string(all),
    };
    match body {
        Ok(body) => Response::builder().status(status).content_type(content_type).body(body),
        Err(error) => {
            tracing::error!(%error, "serializing response");
            request_error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "Internal error; it has been logged")
        }
    }
}

#[handler]
pub(super) async fn graphql_post(req: &Request, body: Body, Data(state): Data<&Arc<AppState>>) -> Response {
    state.metrics.http_request();
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media_type != "application/json" && media_type != GRAPHQL_RESPONSE_JSON {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Send the GraphQL request as JSON with `Content-Type: application/json`",
        );
    }
    let read = body.into_bytes_limit(state.settings.max_body_bytes);
    let Ok(read) = tokio::time::timeout(state.settings.connections.read_timeout, read).await else {
        return request_error(
            StatusCode::REQUEST_TIMEOUT,
            "REQUEST_TIMEOUT",
            "The request body did not arrive in time; send it again",
        );
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(poem::error::ReadBodyError::PayloadTooLarge) => {
            return request_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                &format!("Request bodies are limited to {} bytes", state.settings.max_body_bytes),
            );
        }
        Err(_) => return request_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "Could not read the request body"),
    };
    let batch = match parse_body(&bytes) {
        Ok(batch) => batch,
        Err(message) => return request_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", &message),
    };
    execute(state, batch, req).await
}

/// The body as one GraphQL request (a JSON object with a `query`) or a non-empty array of them.
/// serde would also read a struct from a JSON array, so `[]` came through as a request with no
/// query; the shape is checked first.
pub(super) fn parse_body(bytes: &[u8]) -> Result<BatchRequest, String> {
    let malformed = |error: serde_json::Error| format!("Malformed GraphQL request body: {error}");
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let batch = match first {
        Some(b'{') => BatchRequest::Single(serde_json::from_slice(bytes).map_err(malformed)?),
        Some(b'[') => {
            let items: Vec<serde_json::Map<String, serde_json::Value>> =
                serde_json::from_slice(bytes).map_err(malformed)?;
            if items.is_empty() {
                return Err("The batch holds no operation".into());
            }
            let requests = items
                .into_iter()
                .map(|item| serde_json::from_value(serde_json::Value::Object(item)))
                .collect::<Result<Vec<async_graphql::Request>, _>>()
                .map_err(malformed)?;
            BatchRequest::Batch(requests)
        }
        _ => return Err("The body must be a GraphQL request (a JSON object) or a non-empty array of them".into()),
    };
    if batch.iter().any(|request| request.query.trim().is_empty()) {
        return Err("A GraphQL request needs a non-empty `query`".into());
    }
    Ok(batch)
}

#[derive(Deserialize)]
pub(super) struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
}

#[handler]
pub(super) async fn graphql_get(
    req: &Request,
    Query(params): Query<GetParams>,
    Data(state): Data<&Arc<AppState>>,
) -> Response {
    let Some(query) = params.query else {
        let accepts_html = req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
        if accepts_html && state.settings.graphiql {
            return crate::graphiql::page_response();
        }
        return request_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "Missing `query` parameter");
    };
    state.metrics.http_request();
    let Ok(document) = async_graphql::parser::parse_query(&query) else {
        // The executor reports the parse error with its code.
        let request = BatchRequest::Single(async_graphql::Request::new(query));
        return execute(state, request, req).await;
    };
    let has_mutation = document.operations.iter().any(|(name, op)| {
        let selected = match (&params.operation_name, name) {
            (Some(wanted), Some(name)) => wanted.as_str() == name.as_str(),
            _ => true,
        };
        selected && op.node.ty != async_graphql::parser::types::OperationType::Query
    });
    if has_mutation {
        let mut response = request_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "Only queries may be sent with GET; use POST for mutations",
        );
        response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    let mut request = async_graphql::Request::new(query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.variables {
        match serde_json::from_str(&variables) {
            Ok(variables) => request = request.variables(async_graphql::Variables::from_json(variables)),
            Err(_) => return request_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "`variables` is not valid JSON"),
        }
    }
    execute(state, BatchRequest::Single(request), req).await
}
