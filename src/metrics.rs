//! Prometheus metrics for `/metrics`, kept by the `metrics` crate's Prometheus recorder.
//!
//! Each server owns its recorder (none is installed globally), so several servers in one process
//! (the tests) keep separate counts and nothing is installed twice; metrics are recorded through
//! handles registered on that recorder, not the global `metrics::counter!` macros. Per-request
//! work is one read-locked map lookup and a few atomic updates. Values that already live
//! elsewhere (pool use, open subscriptions, the SQL statement count) are copied in at scrape time.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::Ordering;
use std::time::Duration;

use metrics::{Counter, Gauge, Histogram, Key, KeyName, Label, Metadata, Recorder, SharedString, Unit};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use sea_orm::{DatabaseBackend, DatabaseConnection};

use crate::connections::ConnectionStats;

pub const OPERATIONS: &str = "champion_tracker_graphql_operations_total";
pub const OPERATION_SECONDS: &str = "champion_tracker_graphql_operation_duration_seconds";
pub const ERRORS: &str = "champion_tracker_graphql_errors_total";
pub const HTTP_REQUESTS: &str = "champion_tracker_graphql_requests_total";
pub const STATEMENTS: &str = "champion_tracker_db_statements_total";
pub const POOL_CONNECTIONS: &str = "champion_tracker_db_pool_connections";
pub const POOL_MAX: &str = "champion_tracker_db_pool_max_connections";
pub const SUBSCRIPTIONS: &str = "champion_tracker_activity_subscriptions";
pub const BUILD_INFO: &str = "champion_tracker_build_info";
pub const HTTP_CONNECTIONS: &str = "champion_tracker_http_connections";
pub const HTTP_CONNECTIONS_REFUSED: &str = "champion_tracker_http_connections_refused_total";

/// From 1 ms to 10 s: a cached lookup takes about a millisecond, a heavy dashboard several hundred.
const LATENCY_BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 7.5, 10.0];
/// Operation names kept apart; later ones are counted as `other`. Bounds the series count even
/// when clients invent names.
const MAX_OPERATION_NAMES: usize = 200;
const MAX_OPERATION_NAME_CHARS: usize = 64;
const MAX_ERROR_CODES: usize = 64;
/// The recorder buffers histogram samples until a scrape or an upkeep drains them.
pub const UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

static METADATA: Metadata<'static> = Metadata::new(module_path!(), metrics::Level::INFO, Some(module_path!()));

struct OperationMetrics {
    ok: Counter,
    error: Counter,
    latency: Histogram,
}

pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    operations: RwLock<HashMap<String, OperationMetrics>>,
    other_operation: OperationMetrics,
    errors: RwLock<HashMap<String, Counter>>,
    http_requests: Counter,
    statements: Counter,
    pool_in_use: Gauge,
    pool_idle: Gauge,
    pool_kept: Gauge,
    pool_max: Gauge,
    subscriptions: Gauge,
    connections: Gauge,
    refused_total_cap: Counter,
    refused_address_cap: Counter,
}

/// What one GraphQL operation came to.
pub enum Outcome {
    Ok,
    Error,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(OPERATION_SECONDS.into()), &LATENCY_BUCKETS)?
            .build_recorder();
        let handle = recorder.handle();
        let describe = |name: &'static str, unit: Option<Unit>, text: &'static str| {
            recorder.describe_counter(KeyName::from_const_str(name), unit, SharedString::const_str(text));
        };
        describe(OPERATIONS, None, "GraphQL operations executed, by operation name and outcome (ok, error).");
        describe(HTTP_REQUESTS, None, "GraphQL HTTP requests received (a batch counts once).");
        describe(ERRORS, None, "Errors returned to GraphQL clients, by extensions.code.");
        describe(STATEMENTS, None, "SQL statements executed.");
        describe(
            HTTP_CONNECTIONS_REFUSED,
            None,
            "Connections closed on arrival, by the cap they met (total, per_address).",
        );
        recorder.describe_histogram(
            KeyName::from_const_str(OPERATION_SECONDS),
            Some(Unit::Seconds),
            SharedString::const_str("Time to execute a GraphQL operation, by operation name."),
        );
        let describe_gauge = |name: &'static str, text: &'static str| {
            recorder.describe_gauge(KeyName::from_const_str(name), None, SharedString::const_str(text));
        };
        describe_gauge(
            POOL_CONNECTIONS,
            "Database pool connections, by state (in_use, idle, kept_for_reads: out of the pool, kept idle for the next read-only request).",
        );
        describe_gauge(POOL_MAX, "Largest number of connections the database pool opens.");
        describe_gauge(SUBSCRIPTIONS, "Open `activity` subscriptions on this instance.");
        describe_gauge(HTTP_CONNECTIONS, "Open client connections (HTTP and WebSocket) on this instance.");
        describe_gauge(BUILD_INFO, "Always 1; the version label says which build runs.");
        recorder
            .register_gauge(
                &Key::from_parts(BUILD_INFO, vec![Label::new("version", env!("CARGO_PKG_VERSION"))]),
                &METADATA,
            )
            .set(1.0);
        let counter = |name: &'static str| recorder.register_counter(&Key::from_static_name(name), &METADATA);
        let gauge =
            |name: &'static str, labels: Vec<Label>| recorder.register_gauge(&Key::from_parts(name, labels), &METADATA);
        Ok(Self {
            other_operation: operation_metrics(&recorder, "other"),
            http_requests: counter(HTTP_REQUESTS),
            statements: counter(STATEMENTS),
            pool_in_use: gauge(POOL_CONNECTIONS, vec![Label::new("state", "in_use")]),
            pool_idle: gauge(POOL_CONNECTIONS, vec![Label::new("state", "idle")]),
            pool_kept: gauge(POOL_CONNECTIONS, vec![Label::new("state", "kept_for_reads")]),
            pool_max: gauge(POOL_MAX, vec![]),
            subscriptions: gauge(SUBSCRIPTIONS, vec![]),
            connections: gauge(HTTP_CONNECTIONS, vec![]),
            refused_total_cap: recorder.register_counter(
                &Key::from_parts(HTTP_CONNECTIONS_REFUSED, vec![Label::new("cap", "total")]),
                &METADATA,
            ),
            refused_address_cap: recorder.register_counter(
                &Key::from_parts(HTTP_CONNECTIONS_REFUSED, vec![Label::new("cap", "per_address")]),
                &METADATA,
            ),
            operations: RwLock::new(HashMap::new()),
            errors: RwLock::new(HashMap::new()),
            recorder,
            handle,
        })
    }

    pub fn http_request(&self) {
        self.http_requests.increment(1);
    }

    /// Records one executed operation. A name gets its own series once an operation of that
    /// name has succeeded (so failed probes with invented names cannot use up the slots).
    pub fn operation(&self, name: &str, outcome: Outcome, elapsed: Duration) {
        let record = |metrics: &OperationMetrics| {
            match outcome {
                Outcome::Ok => metrics.ok.increment(1),
                Outcome::Error => metrics.error.increment(1),
            }
            metrics.latency.record(elapsed.as_secs_f64());
        };
        if let Ok(known) = self.operations.read()
            && let Some(metrics) = known.get(name)
        {
            return record(metrics);
        }
        if matches!(outcome, Outcome::Ok)
            && let Ok(mut known) = self.operations.write()
            && known.len() < MAX_OPERATION_NAMES
        {
            let metrics = known.entry(name.to_owned()).or_insert_with(|| operation_metrics(&self.recorder, name));
            return record(metrics);
        }
        record(&self.other_operation);
    }

    /// Counts an error code sent to a client.
    pub fn error(&self, code: &str) {
        if let Ok(known) = self.errors.read()
            && let Some(counter) = known.get(code)
        {
            return counter.increment(1);
        }
        let code =
            if code.len() <= 40 && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') { code } else { "OTHER" };
        if let Ok(mut known) = self.errors.write() {
            let slot = if known.len() < MAX_ERROR_CODES || known.contains_key(code) { code } else { "OTHER" };
            known
                .entry(slot.to_owned())
                .or_insert_with(|| {
                    self.recorder.register_counter(
                        &Key::from_parts(ERRORS, vec![Label::new("code", slot.to_owned())]),
                        &METADATA,
                    )
                })
                .increment(1);
        }
    }

    /// The exposition text, with the values kept elsewhere brought up to date first. `kept` is
    /// how many connections are kept out of the pool for read-only requests.
    pub fn render(
        &self,
        db: &DatabaseConnection,
        statements: u64,
        subscriptions: usize,
        kept: usize,
        connections: &ConnectionStats,
    ) -> String {
        self.statements.absolute(statements);
        self.connections.set(connections.open.load(Ordering::Relaxed) as f64);
        self.refused_total_cap.absolute(connections.refused_total_cap.load(Ordering::Relaxed));
        self.refused_address_cap.absolute(connections.refused_address_cap.load(Ordering::Relaxed));
        self.subscriptions.set(subscriptions as f64);
        let (size, idle, max) = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle(), pool.options().get_max_connections())
            }
            DatabaseBackend::Sqlite => {
                let pool = db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle(), pool.options().get_max_connections())
            }
            _ => (0, 0, 0),
        };
        // The pool counts the kept connections as in use.
        self.pool_in_use.set((f64::from(size) - idle as f64 - kept as f64).max(0.0));
        self.pool_idle.set(idle as f64);
        self.pool_kept.set(kept as f64);
        self.pool_max.set(f64::from(max));
        self.handle.render()
    }

    /// Drains buffered histogram samples; run every [`UPKEEP_INTERVAL`] so memory stays bounded
    /// when nobody scrapes.
    pub fn upkeep(&self) {
        self.handle.run_upkeep();
    }
}

fn operation_metrics(recorder: &PrometheusRecorder, name: &str) -> OperationMetrics {
    let counter = |outcome: &'static str| {
        let labels = vec![Label::new("operation", name.to_owned()), Label::new("outcome", outcome)];
        recorder.register_counter(&Key::from_parts(OPERATIONS, labels), &METADATA)
    };
    OperationMetrics {
        ok: counter("ok"),
        error: counter("error"),
        latency: recorder.register_histogram(
            &Key::from_parts(OPERATION_SECONDS, vec![Label::new("operation", name.to_owned())]),
            &METADATA,
        ),
    }
}

/// The label for an operation: the name the client chose (`operationName`, else the name of
/// the document's first operation), `anonymous` without one, `invalid` when it is not a GraphQL
/// name; cut to 64 characters.
pub fn operation_label<'a>(operation_name: Option<&'a str>, query: &'a str) -> &'a str {
    let name = match operation_name {
        Some(name) => name,
        None => match first_operation_name(query) {
            Some(name) => name,
            None => return "anonymous",
        },
    };
    let valid = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid {
        return "invalid";
    }
    &name[..name.len().min(MAX_OPERATION_NAME_CHARS)]
}

/// `query Name(…) {…}` → `Name`; without a scan of the whole document (shorthand `{…}` and
/// unnamed operations have none).
fn first_operation_name(query: &str) -> Option<&str> {
    let rest = skip_ignored(query);
    let keyword_end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
    if !matches!(&rest[..keyword_end], "query" | "mutation" | "subscription") {
        return None;
    }
    let rest = skip_ignored(&rest[keyword_end..]);
    let name_end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    (name_end > 0).then(|| &rest[..name_end])
}

/// Skips GraphQL's ignored tokens: white space, commas, a byte-order mark and `#` comments.
fn skip_ignored(mut text: &str) -> &str {
    loop {
        text = text.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '\u{feff}');
        match text.strip_prefix('#') {
            Some(comment) => text = comment.split_once('\n').map_or("", |(_, after)| after),
            None => return text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::operation_label;

    #[test]
    fn operation_labels_are_bounded_names() {
        assert_eq!(operation_label(None, "{ me { email } }"), "anonymous");
        assert_eq!(operation_label(None, "query { me { email } }"), "anonymous");
        assert_eq!(operation_label(None, "# hi\n  query Me($x: Int) { me { email } }"), "Me");
        assert_eq!(operation_label(None, "mutation Login{ login }"), "Login");
        assert_eq!(operation_label(Some("Pick"), "query A { a } query Pick { b }"), "Pick");
        assert_eq!(operation_label(Some("bad name!"), "{ a }"), "invalid");
        assert_eq!(operation_label(Some(&"x".repeat(100)), "{ a }").len(), 64);
    }
}
