//! Wiring: database, migrations, reference and demo data, token keys, and the bound server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use graphql::Limits;
use graphql::auth::jwt::{MIN_SECRET_BYTES, TokenService, TokenSettings};
use sea_orm::DatabaseConnection;

use crate::config::{AuthArgs, Environment, ServeArgs};
use crate::connections::ConnectionLimits;
use crate::db;
use crate::http::{Application, ServerSettings};
use crate::seed::{DemoAccount, load_countries, load_demo};

pub struct ServeConfig {
    pub bind: SocketAddr,
    pub database_url: String,
    pub database_max_connections: u32,
    pub run_migrations: bool,
    pub demo: bool,
    pub tokens: TokenSettings,
    pub server: ServerSettings,
}

impl ServeConfig {
    pub fn from_args(args: &ServeArgs, database_url: &str, database_max_connections: u32) -> anyhow::Result<Self> {
        let development = args.demo || args.auth.environment == Environment::Development;
        Ok(Self {
            bind: args.bind,
            database_url: database_url.to_owned(),
            database_max_connections,
            run_migrations: !args.no_migrate,
            demo: args.demo,
            tokens: token_settings(&args.auth, development)?,
            server: ServerSettings {
                limits: Limits {
                    max_depth: args.limits.max_query_depth,
                    max_complexity: args.limits.max_query_complexity,
                    max_aliases: args.limits.max_query_aliases,
                    max_selections: args.limits.max_query_selections,
                    max_list_items: args.limits.max_list_items as usize,
                    introspection: !args.limits.disable_introspection,
                },
                max_body_bytes: args.limits.max_body_bytes,
                max_batch_size: args.limits.max_batch_size,
                graphiql: !args.limits.disable_graphiql,
                shutdown_grace: Duration::from_secs(args.shutdown_grace_seconds),
                trust_forwarded_for: args.trust_forwarded_for,
                connections: ConnectionLimits {
                    max_connections: args.max_connections as usize,
                    max_per_address: args.max_connections_per_address as usize,
                    read_timeout: Duration::from_secs(args.request_read_timeout),
                },
                cors_allowed_origins: allowed_origins(&args.cors_allowed_origins)?,
            },
        })
    }
}

/// The configured CORS origins, each `*` or `scheme://host[:port]` with nothing after it.
fn allowed_origins(configured: &[String]) -> anyhow::Result<Vec<String>> {
    let mut origins = Vec::new();
    for origin in configured.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        let valid = origin == "*"
            || origin.split_once("://").is_some_and(|(scheme, rest)| {
                matches!(scheme, "http" | "https") && !rest.is_empty() && !rest.contains(['/', '?', '#', ' '])
            });
        if !valid {
            anyhow::bail!("CORS_ALLOWED_ORIGINS: `{origin}` is not an origin such as https://dashboard.example.org");
        }
        origins.push(origin.trim_end_matches('/').to_owned());
    }
    Ok(origins)
}

/// Token settings from configuration. Outside development a secret of at least
/// [`MIN_SECRET_BYTES`] is mandatory; in development a missing one is replaced by a random
/// per-process secret (tokens then die with the process).
pub fn token_settings(auth: &AuthArgs, development: bool) -> anyhow::Result<TokenSettings> {
    if let Some(secret) = auth.jwt_secret.as_deref() {
        let lowered = secret.to_ascii_lowercase();
        if !development && (lowered.contains("change-me") || lowered.contains("changeme")) {
            anyhow::bail!(
                "JWT_SECRET still holds the example placeholder; generate one, e.g. `openssl rand -base64 48`"
            );
        }
    }
    let secret = match auth.jwt_secret.as_deref() {
        Some(secret) if secret.len() >= MIN_SECRET_BYTES => secret.as_bytes().to_vec(),
        Some(_) if !development => {
            anyhow::bail!("JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes long")
        }
        None if !development => anyhow::bail!(
            "JWT_SECRET is required outside development mode (at least {MIN_SECRET_BYTES} bytes); \
             set it, or run with --env development"
        ),
        Some(secret) => {
            tracing::warn!("JWT_SECRET is shorter than {MIN_SECRET_BYTES} bytes; acceptable in development only");
            secret.as_bytes().to_vec()
        }
        None => {
            tracing::warn!("no JWT_SECRET set: using a random secret for this process (development mode)");
            let mut secret = uuid::Uuid::new_v4().as_bytes().to_vec();
            secret.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
            secret
        }
    };
    Ok(TokenSettings {
        secret,
        issuer: auth.jwt_issuer.clone(),
        audience: auth.jwt_audience.clone(),
        ttl: chrono::Duration::minutes(i64::from(auth.token_ttl_minutes)),
    })
}

/// Connects, migrates, loads reference data (and demo data when asked).
pub async fn prepare_database(
    url: &str,
    max_connections: u32,
    run_migrations: bool,
    demo: bool,
) -> anyhow::Result<(db::Database, Vec<DemoAccount>)> {
    let database = db::connect(url, max_connections).await?;
    if run_migrations {
        db::migrate(&database.conn).await?;
    }
    let added = load_countries(&database.conn).await?;
    if added > 0 {
        tracing::info!(added, "loaded UN Member States");
    }
    let accounts = if demo { load_demo(&database.conn).await? } else { Vec::new() };
    Ok((database, accounts))
}

pub struct Started {
    pub app: Application,
    pub db: DatabaseConnection,
    pub demo_accounts: Vec<DemoAccount>,
}

pub async fn start(config: ServeConfig) -> anyhow::Result<Started> {
    let (database, demo_accounts) =
        prepare_database(&config.database_url, config.database_max_connections, config.run_migrations, config.demo)
            .await?;
    let tokens = Arc::new(TokenService::new(config.tokens));
    let app = Application::bind(config.bind, database.conn.clone(), database.statements, tokens, config.server).await?;
    Ok(Started { app, db: database.conn, demo_accounts })
}

/// How to sign in to a demo server, printed on every start (the passwords only the first time).
pub fn print_demo_sign_in(bind: SocketAddr, secret_configured: bool) {
    let url = format!("http://{bind}/graphql");
    println!("Sign in to the demo at {url} (GraphiQL in a browser) with");
    println!("  mutation {{ login(email: \"{DEMO_ADMIN}\", password: \"…\") {{ token }} }}");
    println!("and send the token as the header `Authorization: Bearer <token>`.");
    println!("Lost a demo password? Set a new one (the server may keep running):");
    println!("  champion-tracker user set-password --email {DEMO_ADMIN}");
    if !secret_configured {
        println!("Tokens are signed with a random secret made for this run; set JWT_SECRET to keep them");
        println!("valid across restarts and to mint them with `champion-tracker token`.");
    }
    println!();
}

/// The demo's Secretariat account.
pub const DEMO_ADMIN: &str = "secretariat@demo.champion-tracker.test";

pub fn print_demo_accounts(accounts: &[DemoAccount]) {
    if accounts.is_empty() {
        return;
    }
    println!("\nDemo accounts created (passwords are shown this once):");
    for account in accounts {
        let role =
            serde_json::to_value(account.role).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let country = account.country.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        println!("  {role:<9} {:<46} {}{country}", account.email, account.password);
    }
    println!();
}
