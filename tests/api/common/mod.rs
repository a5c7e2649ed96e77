//! Test harness: starts the real server in-process on a random port with its own copy of a
//! template database (a SQLite file, or a PostgreSQL database when `TEST_DATABASE_URL` is set)
//! and talks to it over HTTP.

pub mod database;
pub mod ws;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use champion_tracker::connections::ConnectionLimits;
use champion_tracker::http::ServerSettings;
use champion_tracker::startup::{ServeConfig, start};
use graphql::Limits;
use graphql::auth::jwt::TokenSettings;
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub use database::fresh_database_url;
use database::{Starting, TestDatabase};

pub const TEST_SECRET: &str = "test-secret-that-is-long-enough-for-hs256-0123456789";
pub const ISSUER: &str = "champion-tracker";
pub const AUDIENCE: &str = "champion-tracker-api";

pub const ADMIN: &str = "secretariat@demo.champion-tracker.test";
pub const WG_LEAD: &str = "wg-lead@demo.champion-tracker.test";
pub const CHAMPION_MAR: &str = "focal-point.mar@demo.champion-tracker.test";
pub const CHAMPION_SLV: &str = "focal-point.slv@demo.champion-tracker.test";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub database_url: String,
    /// Demo account email → its one-time password.
    pub passwords: HashMap<String, String>,
    shutdown: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

#[derive(Clone)]
pub struct Options {
    pub demo: bool,
    /// Keep the demo's engagement records (feedback, events, milestones, roles, planned uses).
    /// Off by default so that tests start from known, empty record tables.
    pub demo_records: bool,
    pub limits: Limits,
    pub max_body_bytes: usize,
    pub max_batch_size: usize,
    pub trust_forwarded_for: bool,
    pub max_connections: u32,
    pub connections: ConnectionLimits,
    pub cors_allowed_origins: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            demo: true,
            demo_records: false,
            limits: Limits::default(),
            max_body_bytes: 256 * 1024,
            max_batch_size: 10,
            trust_forwarded_for: false,
            max_connections: 5,
            connections: ConnectionLimits {
                max_connections: 1_024,
                max_per_address: 0,
                read_timeout: Duration::from_secs(10),
            },
            cors_allowed_origins: Vec::new(),
        }
    }
}

pub fn token_settings() -> TokenSettings {
    TokenSettings {
        secret: TEST_SECRET.as_bytes().to_vec(),
        issuer: ISSUER.into(),
        audience: AUDIENCE.into(),
        ttl: chrono::Duration::minutes(30),
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(options: Options) -> Self {
        champion_tracker::telemetry::init(
            champion_tracker::config::LogFormat::Text,
            &std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()),
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let starting = match (options.demo, options.demo_records) {
            (false, _) => Starting::Migrated,
            (true, true) => Starting::Demo,
            (true, false) => Starting::DemoWithoutRecords,
        };
        let TestDatabase { url: database_url, passwords } = database::copy_of(starting, dir.path()).await;
        let config = ServeConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.clone(),
            database_max_connections: options.max_connections,
            // The copy is migrated and seeded already; migrating again checks that nothing is pending.
            run_migrations: true,
            demo: false,
            tokens: token_settings(),
            server: ServerSettings {
                limits: options.limits,
                max_body_bytes: options.max_body_bytes,
                max_batch_size: options.max_batch_size,
                graphiql: true,
                shutdown_grace: Duration::from_secs(1),
                trust_forwarded_for: options.trust_forwarded_for,
                connections: options.connections,
                cors_allowed_origins: options.cors_allowed_origins.clone(),
            },
        };
        let started = start(config).await.expect("server starts");
        let base = format!("http://127.0.0.1:{}", started.app.port());
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(started.app.run_until(async {
            let _ = rx.await;
        }));
        Self {
            base,
            client: reqwest::Client::new(),
            db: started.db,
            database_url,
            passwords,
            shutdown: Some(tx),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// POSTs a GraphQL request and returns the HTTP status and the JSON body.
    pub async fn post(&self, query: &str, variables: Value, token: Option<&str>) -> (u16, Value) {
        let mut request =
            self.client.post(self.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    /// Runs an operation that must fail with a GraphQL error (HTTP 200) and returns the body.
    pub async fn refused(&self, query: &str, variables: Value, token: &str) -> Value {
        let (status, body) = self.post(query, variables.clone(), Some(token)).await;
        assert_eq!(status, 200, "status for {query}: {body}");
        assert!(body["errors"].is_array(), "expected an error for {variables}: {body}");
        body
    }

    /// Runs a query that must succeed and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value, token: &str) -> Value {
        let (status, body) = self.post(query, variables, Some(token)).await;
        assert_eq!(status, 200, "status for {query}: {body}");
        assert!(body.get("errors").is_none(), "unexpected errors for {query}: {body}");
        body["data"].clone()
    }

    pub async fn login(&self, email: &str) -> String {
        let password = self.passwords.get(email).unwrap_or_else(|| panic!("no demo password for {email}"));
        self.login_with(email, password).await.expect("login succeeds")
    }

    pub async fn login_with(&self, email: &str, password: &str) -> Result<String, Value> {
        let (_, body) = self
            .post(
                "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }",
                json!({ "email": email, "password": password }),
                None,
            )
            .await;
        body["data"]["login"]["token"].as_str().map(str::to_owned).ok_or(body)
    }

    pub async fn admin_token(&self) -> String {
        self.login(ADMIN).await
    }

    /// Runs `query` a few times and returns the fewest SQL statements one run cost, with the data.
    /// A loader batch can split in two on a busy machine (its window closes before every row has
    /// asked); a per-row query, the thing these counts guard against, shows on every run.
    pub async fn fewest_statements(&self, query: &str, variables: Value, token: &str) -> (u64, Value) {
        let mut fewest = u64::MAX;
        let mut data = Value::Null;
        for _ in 0..3 {
            let before = self.statements().await;
            data = self.data(query, variables.clone(), token).await;
            fewest = fewest.min(self.statements().await - before);
        }
        (fewest, data)
    }

    /// SQL statements executed so far, read from `/metrics`.
    pub async fn statements(&self) -> u64 {
        let text = self.client.get(self.url("/metrics")).send().await.unwrap().text().await.unwrap();
        text.lines()
            .find_map(|line| line.strip_prefix("champion_tracker_db_statements_total "))
            .and_then(|n| n.trim().parse().ok())
            .expect("statement counter in /metrics")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The first error's `extensions.code`.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {body}"))
}

pub fn error_field(body: &Value) -> &str {
    body["errors"][0]["extensions"]["field"].as_str().unwrap_or_else(|| panic!("no error field in {body}"))
}

/// The `node` objects of a connection.
pub fn nodes(connection: &Value) -> Vec<Value> {
    connection["edges"].as_array().expect("edges").iter().map(|edge| edge["node"].clone()).collect()
}

pub fn strings(values: &[Value], key: &str) -> Vec<String> {
    values.iter().map(|v| v[key].as_str().expect("string field").to_owned()).collect()
}

/// A global id as the server makes them, e.g. `global_id("Pilot", 3)`.
pub fn global_id(kind: &str, key: i32) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{key}"))
}

/// The table key inside a global id.
pub fn key_of(id: &Value) -> i32 {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id.as_str().expect("id")).expect("base64");
    let text = String::from_utf8(bytes).expect("utf8");
    text.rsplit_once(':').expect("kind:key").1.parse().expect("key")
}

/// The statements of a larger page against a smaller one's. A per-row query would add one for
/// every extra row. Otherwise the two are equal, or the larger is lower when it finds more of its
/// rows in the request's cache; one more is allowed because whether a lookup by key is answered
/// from that cache or joins a batch depends on timing.
pub fn assert_no_growth_with_rows(small: u64, large: u64, what: &str) {
    assert!(
        large <= small + 1,
        "{what}: statements grew with rows ({small} for the smaller page, {large} for the larger)"
    );
}

/// `tests/clients` with its npm packages installed (`npm ci` from the committed lock file, once per
/// test process, when they are missing or older than the lock file).
pub fn test_clients_dir() -> std::path::PathBuf {
    static INSTALLED: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients");
            let modified = |path: &std::path::Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
            let installed = modified(&dir.join("node_modules/.package-lock.json"));
            let locked = modified(&dir.join("package-lock.json"));
            if installed.is_none() || installed < locked {
                let status = std::process::Command::new("npm")
                    .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
                    .current_dir(&dir)
                    .status()
                    .expect("npm (Node.js 18+) is needed for the client tests");
                assert!(status.success(), "npm ci in {} failed", dir.display());
            }
            dir
        })
        .clone()
}
