//! The one way into the schema, for HTTP and WebSocket alike. It parses the document (or reuses
//! one parsed before), refuses shapes past the limits (`document`), gives an HTTP request its loaders, executes, and
//! codes every error on the way out.
//!
//! These steps are not schema extensions on purpose: with any extension installed, async-graphql
//! routes every field of every object through the extension chain, which costs more than the
//! resolvers themselves on large responses. `object_list` relies on there being none: the fields
//! it resolves in one pass would bypass an extension's per-field hook.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use async_graphql::futures_util::StreamExt;
use async_graphql::futures_util::stream::{self, BoxStream};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Data, Executor, ObjectType, Request, Response, Schema, ServerError, SubscriptionType};
use sea_orm::DatabaseConnection;

use crate::engine::database::{ReadConnections, RequestDb};
use crate::engine::document::ShapeLimits;
use crate::engine::error_codes::{ensure_codes, with_code};
use crate::engine::inputs::InputLimits;
use crate::engine::limits::Limits;
use crate::engine::loader::request_loader;
use crate::engine::response_order::SchemaShape;

/// Documents up to this size are kept parsed; clients send the same few operations again and again.
const CACHEABLE_DOCUMENT_BYTES: usize = 4 * 1024;
const CACHED_DOCUMENTS: usize = 256;

pub struct Gateway<Q, M, S> {
    inner: Arc<Inner<Q, M, S>>,
}

impl<Q, M, S> Clone for Gateway<Q, M, S> {
    fn clone(&self) -> Self {
        Self { inner: self.inner.clone() }
    }
}

struct Inner<Q, M, S> {
    schema: Schema<Q, M, S>,
    db: DatabaseConnection,
    /// The server's SQL statement counter, for statements on connections a request holds.
    statements: Arc<AtomicU64>,
    /// The connections read-only requests hold and keep.
    reads: Arc<ReadConnections>,
    shape: ShapeLimits,
    inputs: InputLimits,
    /// Whether the schema may be introspected at all (a request may still be refused it).
    introspection: bool,
    /// The schema's types, for putting responses in selection order.
    response_shape: SchemaShape,
    /// Parsed documents by their text; only documents within the shape limits are kept.
    documents: quick_cache::sync::Cache<String, Arc<ExecutableDocument>>,
}

impl<Q, M, S> Gateway<Q, M, S>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    pub fn new(schema: Schema<Q, M, S>, db: DatabaseConnection, statements: Arc<AtomicU64>, limits: &Limits) -> Self {
        let documents = quick_cache::sync::Cache::new(CACHED_DOCUMENTS);
        let reads = ReadConnections::new(db.clone());
        let (shape, inputs) = (limits.shape(), limits.inputs());
        let introspection = limits.introspection;
        // The schema's own SDL always parses; an empty shape would only leave responses unordered.
        let response_shape = SchemaShape::from_sdl(&schema.sdl()).unwrap_or_else(|error| {
            tracing::error!(%error, "reading the schema's shape");
            SchemaShape::empty()
        });
        Self {
            inner: Arc::new(Inner {
                schema,
                db,
                statements,
                reads,
                shape,
                inputs,
                introspection,
                response_shape,
                documents,
            }),
        }
    }

    /// The database handle for HTTP requests carrying `requests`, each already through
    /// [`Self::prepare`]: one held connection when every operation only reads, else the pool.
    /// The caller may read through it before executing (the account check does).
    pub fn database_for(&self, requests: &mut [Request]) -> RequestDb {
        if requests.iter_mut().all(reads_only) {
            RequestDb::holding_one(self.inner.reads.clone(), self.inner.statements.clone())
        } else {
            self.pooled_database()
        }
    }

    /// Gives the connections kept for read-only requests back to the pool and keeps none from
    /// now on: before the pool is closed, which waits for every connection to come back.
    pub fn stop_keeping_connections(&self) {
        self.inner.reads.close();
    }

    /// How many connections are kept for read-only requests (for `/metrics`).
    pub fn kept_connections(&self) -> usize {
        self.inner.reads.kept_count()
    }

    /// A database handle on the pool, for operations that write or live on (subscriptions).
    pub fn pooled_database(&self) -> RequestDb {
        RequestDb::pooled(self.inner.db.clone(), Some(self.inner.reads.clone()))
    }

    /// Executes a request that went through [`Self::prepare`], reading through `db`. A query's
    /// loaders keep what they loaded for the rest of the request; a mutation's do not, since its
    /// own writes would make that stale.
    pub async fn execute_prepared(&self, mut request: Request, prepared: &Prepared, db: &RequestDb) -> Response {
        let introspection_off =
            !self.inner.introspection || request.introspection_mode != async_graphql::IntrospectionMode::Enabled;
        if introspection_off && request.parsed_query().is_ok_and(crate::engine::document::selects_introspection) {
            let error = ServerError::new("Introspection is switched off for this caller", None);
            return Response::from_errors(vec![with_code(error, "INTROSPECTION_DISABLED")]);
        }
        let cached = !is_mutation(&mut request);
        let operation_name = request.operation_name.clone();
        let request = request.data(request_loader(db, cached)).data(db.clone());
        let mut response = self.inner.schema.execute(request).await;
        ensure_codes(&mut response);
        self.order(prepared, operation_name.as_deref(), &mut response);
        if introspection_off {
            // "Did you mean …?" would name fields to a caller not allowed to read the schema.
            for error in &mut response.errors {
                if let Some(at) = error.message.find(" Did you mean") {
                    error.message.truncate(at);
                }
            }
        }
        response
    }

    pub fn schema(&self) -> &Schema<Q, M, S> {
        &self.inner.schema
    }

    /// Parses the document of `request` (or reuses one parsed before), or returns the error that
    /// refuses it. What it returns goes with the request to [`Self::execute_prepared`].
    pub fn prepare(&self, request: &mut Request) -> Result<Prepared, ServerError> {
        let cacheable = request.query.len() <= CACHEABLE_DOCUMENT_BYTES;
        crate::engine::inputs::check_variables(&request.variables, &self.inner.inputs)?;
        if cacheable && let Some(document) = self.inner.documents.get(&request.query) {
            request.set_parsed_query(ExecutableDocument::clone(&document));
            return Ok(Prepared(document));
        }
        let document = request.parsed_query().map_err(|error| with_code(error, "GRAPHQL_PARSE_FAILED"))?;
        crate::engine::document::check(document, &self.inner.shape)?;
        crate::engine::inputs::check_document(document, &self.inner.inputs)?;
        let mut document = document.clone();
        self.inner.response_shape.mark_abstract_fields(&mut document);
        let document = Arc::new(document);
        request.set_parsed_query(ExecutableDocument::clone(&document));
        if cacheable {
            self.inner.documents.insert(request.query.clone(), document.clone());
        }
        Ok(Prepared(document))
    }

    /// Puts `response`'s objects in the order the operation selected their fields.
    fn order(&self, prepared: &Prepared, operation_name: Option<&str>, response: &mut Response) {
        self.inner.response_shape.order(&prepared.0, operation_name, &mut response.data);
    }
}

/// A document that passed [`Gateway::prepare`], as it is executed (see `response_order`).
#[derive(Clone)]
pub struct Prepared(Arc<ExecutableDocument>);

/// The type of the operation `request` selects, if it names one the document has.
fn operation_type(request: &mut Request) -> Option<OperationType> {
    let wanted = request.operation_name.clone();
    let document = request.parsed_query().ok()?;
    let operation = match &wanted {
        Some(name) => document.operations.iter().find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
        None => document.operations.iter().next(),
    };
    operation.map(|(_, op)| op.node.ty)
}

/// Whether the operation `request` selects is a mutation (an unknown one counts as not).
fn is_mutation(request: &mut Request) -> bool {
    operation_type(request) == Some(OperationType::Mutation)
}

/// Whether `request` is a query that parsed.
fn reads_only(request: &mut Request) -> bool {
    operation_type(request) == Some(OperationType::Query)
}

impl<Q, M, S> Executor for Gateway<Q, M, S>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    /// One request on its own (the server goes through [`Self::database_for`] and
    /// [`Self::execute_prepared`] to share the database handle with the account check).
    async fn execute(&self, mut request: Request) -> Response {
        let prepared = match self.prepare(&mut request) {
            Ok(prepared) => prepared,
            Err(error) => return Response::from_errors(vec![error]),
        };
        let db = self.database_for(std::slice::from_mut(&mut request));
        self.execute_prepared(request, &prepared, &db).await
    }

    /// WebSocket: the connection's session data holds its (uncached) loaders.
    fn execute_stream(&self, mut request: Request, session_data: Option<Arc<Data>>) -> BoxStream<'static, Response> {
        let prepared = match self.prepare(&mut request) {
            Ok(prepared) => prepared,
            Err(error) => return stream::once(async move { Response::from_errors(vec![error]) }).boxed(),
        };
        let operation_name = request.operation_name.clone();
        let gateway = self.clone();
        Executor::execute_stream(&self.inner.schema, request, session_data)
            .map(move |mut response| {
                ensure_codes(&mut response);
                gateway.order(&prepared, operation_name.as_deref(), &mut response);
                response
            })
            .boxed()
    }
}
