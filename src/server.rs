//! HTTP: routes, the GraphQL endpoint (with body, content-type and batch checks), WebSocket
//! subscriptions, health, readiness, schema and metrics; graceful shutdown.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_graphql::BatchRequest;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_poem::{GraphQLProtocol, GraphQLWebSocket};
use graphql::activity::ActivityBus;
use graphql::auth::jwt::TokenService;
use graphql::auth::throttle::ClientAddress;
use graphql::auth::{authenticate, authenticate_until, bearer_token};
use graphql::context::Viewer;
use graphql::error::AppError;
use graphql::gateway::Gateway;
use graphql::{Limits, build_schema, request_loader};
use poem::http::{HeaderMap, StatusCode, header};
use poem::web::websocket::WebSocket;
use poem::web::{Data, Query};
use poem::{Body, Endpoint, EndpointExt, IntoResponse, Request, Response, Route, get, handler};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::Deserialize;
use serde_json::json;

use crate::connections::{ConnectionLimits, ConnectionStats};
use crate::metrics::{Metrics, Outcome, UPKEEP_INTERVAL, operation_label};
use crate::telemetry;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
/// How often an open WebSocket re-checks that its account may still sign in.
const WS_RECHECK_SECONDS: u64 = 5;

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
fn client_address(req: &Request, trust_forwarded_for: bool) -> ClientAddress {
    let forwarded = trust_forwarded_for
        .then(|| req.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|first| first.trim().parse::<std::net::IpAddr>().ok());
    ClientAddress(forwarded.or_else(|| req.remote_addr().as_socket_addr().map(|a| a.ip())))
}

pub struct AppState {
    gateway: Gateway,
    pub(crate) db: DatabaseConnection,
    tokens: Arc<TokenService>,
    activity: Arc<ActivityBus>,
    settings: ServerSettings,
    statements: Arc<AtomicU64>,
    metrics: Metrics,
    connections: Arc<ConnectionStats>,
}

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
        let gateway = Gateway::new(schema, db.clone(), statements.clone(), &settings.limits);
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
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
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
        .at("/export/versions/:id/comment-response.csv", get(crate::export::comment_response_csv))
        .data(state)
        .catch_all_error(coded_http_error)
        // Outside the routes, so that a preflight is answered before any route refuses `OPTIONS`.
        .with_if(cors.is_some(), cors.unwrap_or_default())
        .around(telemetry::with_request_id)
}

/// Cross-origin access for browsers, when any origin is allowed. Tokens travel in the
/// `Authorization` header, never in cookies, so credentials are not allowed, and `*` (any
/// origin) is safe to offer.
fn cors(origins: &[String]) -> Option<poem::middleware::Cors> {
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

/// The code of a request-level error, kept on the response for the error metrics.
#[derive(Clone, Copy)]
struct RequestErrorCode(&'static str);

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
async fn count_request_errors<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let state = req.data::<Arc<AppState>>().cloned();
    let response = next.call(req).await?.into_response();
    if let (Some(state), Some(RequestErrorCode(code))) = (state, response.extensions().get::<RequestErrorCode>()) {
        state.metrics.error(code);
    }
    Ok(response)
}

/// Errors poem raises itself (unknown route, wrong method, bad query string) get the same coded
/// JSON shape as everything else.
async fn coded_http_error(error: poem::Error) -> Response {
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

pub(crate) async fn viewer_from_headers(
    state: &AppState,
    db: &impl ConnectionTrait,
    headers: &HeaderMap,
) -> Result<Viewer, Response> {
    let header = match headers.get(header::AUTHORIZATION) {
        None => return Ok(Viewer::Anonymous),
        Some(value) => value.to_str().map_err(|_| unauthenticated())?,
    };
    let token = bearer_token(header).map_err(|_| unauthenticated())?;
    match authenticate(db, &state.tokens, Some(token)).await {
        Ok(viewer) => Ok(viewer),
        Err(AppError::Unauthenticated) => Err(unauthenticated()),
        Err(_) => {
            Err(request_error(StatusCode::SERVICE_UNAVAILABLE, "INTERNAL", "Could not verify the token now; retry"))
        }
    }
}

fn wants_graphql_response_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE_JSON))
}

/// Whether execution of `response`'s operation started: a request that never did (it did not
/// parse or validate) has no `data` and only errors without a path.
fn started(response: &async_graphql::Response) -> bool {
    response.data != async_graphql::Value::Null
        || response.errors.is_empty()
        || response.errors.iter().any(|e| !e.path.is_empty())
}

/// A response as sent: without `data` when execution never started, as GraphQL over HTTP asks
/// (`"data": null` would claim that it ran and failed).
struct Sent<'a>(&'a async_graphql::Response);

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
async fn execute(state: &AppState, batch: BatchRequest, req: &Request) -> Response {
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
    // own statements on one connection (see `graphql::database`).
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
async fn graphql_post(req: &Request, body: Body, Data(state): Data<&Arc<AppState>>) -> Response {
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
fn parse_body(bytes: &[u8]) -> Result<BatchRequest, String> {
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
struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
}

#[handler]
async fn graphql_get(req: &Request, Query(params): Query<GetParams>, Data(state): Data<&Arc<AppState>>) -> Response {
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

#[handler]
async fn graphql_ws(
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

fn ws_unauthenticated() -> async_graphql::Error {
    async_graphql::Error::from(AppError::Unauthenticated)
}

#[handler]
fn health() -> Response {
    Response::builder().content_type("application/json").body(json!({ "status": "ok" }).to_string())
}

#[handler]
async fn ready(Data(state): Data<&Arc<AppState>>) -> Response {
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
fn schema_sdl(Data(state): Data<&Arc<AppState>>) -> Response {
    if !state.settings.limits.introspection {
        return request_error(StatusCode::NOT_FOUND, "NOT_FOUND", "Schema publication is switched off");
    }
    Response::builder().content_type("text/plain; charset=utf-8").body(state.gateway.schema().sdl())
}

#[handler]
fn metrics(Data(state): Data<&Arc<AppState>>) -> Response {
    let body = state.metrics.render(
        &state.db,
        state.statements.load(Ordering::Relaxed),
        state.activity.subscriber_count(),
        state.gateway.kept_connections(),
        &state.connections,
    );
    Response::builder().content_type("text/plain; version=0.0.4; charset=utf-8").body(body)
}
