//! Command line and environment configuration. Every option has a flag and an environment
//! variable; `--help` lists them all.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use entity::user_account::UserRole;

#[derive(Parser, Debug)]
#[command(
    name = "champion-tracker",
    version,
    about = "System of record for GCM Champion countries' engagement with the implementation guidance, served as GraphQL"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct GlobalOptions {
    /// Database URL: `sqlite://PATH` (created if missing) or `postgres://USER:PASS@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/champion-tracker.db", global = true)]
    pub database_url: String,
    /// Largest number of pooled database connections (default: two per CPU core, 4 to 16).
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = default_pool_size(), global = true)]
    pub database_max_connections: u32,
    /// Log line format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// Log filter in `tracing` syntax, e.g. `info` or `champion_tracker=debug,sqlx=warn`.
    #[arg(long, env = "LOG_LEVEL", default_value = "info", global = true)]
    pub log_level: String,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// A database does its best with about two busy connections per core; more only queue inside it
/// (measured on 2 cores: 10 connections gave 15 % fewer dashboards per second than 4). The host's
/// cores stand in for the database's, as they are the same on a single machine; with a separate
/// database server, set `DATABASE_MAX_CONNECTIONS` from its cores and the number of instances.
fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (2 * cores).clamp(4, 16) as u32
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the HTTP server (GraphQL, WebSocket, health endpoints).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load reference data, and with `--demo` the demo data, then exit.
    Seed(SeedArgs),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Print an access token for an active account, for scripts.
    Token(TokenArgs),
    /// Print the GraphQL schema (SDL) and exit.
    Schema,
    /// Write the whole database (every table, accounts and audit log included) to a backup file.
    Export(ExportArgs),
    /// Restore a backup file into an empty database (migrated first), in one transaction.
    Import(ImportArgs),
    /// Ask the local server's `/health` whether it is up (exit 0) or not (exit 1): a container
    /// health check that needs no HTTP client in the image.
    Healthcheck(HealthcheckArgs),
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Backup file to write (JSON Lines; see README), or `-` for standard output. A file is
    /// written under `FILE.partial` and renamed when complete.
    #[arg(long, short, default_value = "-")]
    pub output: String,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Backup file written by `champion-tracker export`. It is checked in full before anything
    /// is written.
    #[arg(long, short)]
    pub input: PathBuf,
}

#[derive(Args, Debug)]
pub struct HealthcheckArgs {
    /// The server's listen address (as for `serve`); an unspecified address (0.0.0.0) is probed on loopback.
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Seconds to wait for the answer.
    #[arg(long, default_value_t = 3)]
    pub timeout_seconds: u64,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    /// Missing JWT secret allowed (a random one is made per process).
    Development,
    /// A JWT secret of at least 32 bytes is required.
    Production,
}

#[derive(Args, Debug, Clone)]
pub struct AuthArgs {
    /// HMAC secret for signing tokens (HS256), at least 32 bytes. Required outside development.
    #[arg(long, env = "JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// `iss` claim put in and required of tokens.
    #[arg(long, env = "JWT_ISSUER", default_value = "champion-tracker")]
    pub jwt_issuer: String,
    /// `aud` claim put in and required of tokens.
    #[arg(long, env = "JWT_AUDIENCE", default_value = "champion-tracker-api")]
    pub jwt_audience: String,
    /// Token lifetime in minutes.
    #[arg(long, env = "TOKEN_TTL_MINUTES", default_value_t = 480, value_parser = clap::value_parser!(u32).range(1..=43_200))]
    pub token_ttl_minutes: u32,
    /// Deployment environment; `--demo` implies development.
    #[arg(long = "env", env = "APP_ENV", value_enum, default_value_t = Environment::Production)]
    pub environment: Environment,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Do not apply pending migrations at start (run `champion-tracker migrate` instead).
    #[arg(long, env = "SKIP_MIGRATIONS")]
    pub no_migrate: bool,
    /// Load the demo data (idempotent) and create demo accounts; implies `--env development`.
    #[arg(long, env = "DEMO")]
    pub demo: bool,
    #[command(flatten)]
    pub auth: AuthArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Take the client address for sign-in throttling from `X-Forwarded-For` (set this only behind
    /// a proxy that sets the header, such as the nginx in deploy/).
    #[arg(long, env = "TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// Origins (`https://dashboard.example.org`, comma-separated) whose pages may call the API
    /// from a browser; empty (the default) allows no cross-origin calls, `*` allows any origin.
    /// Credentials (cookies) are never allowed: the API takes its token in a header.
    #[arg(long, env = "CORS_ALLOWED_ORIGINS", value_delimiter = ',', default_value = "")]
    pub cors_allowed_origins: Vec<String>,
    /// Most connections open at once, WebSockets included; more are closed on arrival.
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 1_024, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Most connections open at once from one client address; 0 for no such cap (set 0 behind a
    /// proxy, whose address every connection then has).
    #[arg(long, env = "MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 128)]
    pub max_connections_per_address: u32,
    /// Seconds a client has to send a request's headers, and again its body; slower clients are
    /// cut off (408 for a body).
    #[arg(long, env = "REQUEST_READ_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub request_read_timeout: u64,
    /// Seconds to let in-flight requests finish after SIGTERM or Ctrl-C.
    #[arg(long, env = "SHUTDOWN_GRACE_SECONDS", default_value_t = 20)]
    pub shutdown_grace_seconds: u64,
}

#[derive(Args, Debug, Clone)]
pub struct LimitArgs {
    /// Deepest nesting of fields a query may have, fragments expanded (introspection is measured
    /// apart, up to 20 deep, so that standard tooling works).
    #[arg(long, env = "MAX_QUERY_DEPTH", default_value_t = 12)]
    pub max_query_depth: usize,
    /// Highest complexity score a query may have (one per field, times page size for lists).
    #[arg(long, env = "MAX_QUERY_COMPLEXITY", default_value_t = 5_000)]
    pub max_query_complexity: usize,
    /// Most aliased fields one query may use, fragments expanded.
    #[arg(long, env = "MAX_QUERY_ALIASES", default_value_t = 30)]
    pub max_query_aliases: usize,
    /// Most fields and fragments one document may select once every fragment spread is expanded.
    #[arg(long, env = "MAX_QUERY_SELECTIONS", default_value_t = 2_000)]
    pub max_query_selections: usize,
    /// Most items any list given as input may hold (ids, filters, links); at most 10,000, well
    /// below the databases' limits on bound parameters.
    #[arg(long, env = "MAX_LIST_ITEMS", default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_list_items: u32,
    /// Largest request body in bytes.
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,
    /// Most operations in one batched request.
    #[arg(long, env = "MAX_BATCH_SIZE", default_value_t = 10)]
    pub max_batch_size: usize,
    /// Turn off schema introspection (and `/schema.graphql`).
    #[arg(long, env = "DISABLE_INTROSPECTION")]
    pub disable_introspection: bool,
    /// Turn off the GraphiQL page served to browsers at `GET /graphql`.
    #[arg(long, env = "DISABLE_GRAPHIQL")]
    pub disable_graphiql: bool,
}

#[derive(Args, Debug, Clone)]
pub struct SeedArgs {
    /// Also load the demo data (guide structure, versions, Champions, stakeholders, accounts).
    #[arg(long)]
    pub demo: bool,
    /// Load a synthetic data set for benchmarks (implies --demo), sized by the flags below.
    #[arg(long)]
    pub synthetic: bool,
    /// Countries in all (the 193 UN Member States, then synthetic ones, up to 219).
    #[arg(long, default_value_t = 200, requires = "synthetic")]
    pub countries: usize,
    /// How many of them are Champions.
    #[arg(long, default_value_t = 60, requires = "synthetic")]
    pub champions: usize,
    /// Guide and Booklet sections in all (synthetic sub-sections are added under the Guide's parts).
    #[arg(long, default_value_t = 80, requires = "synthetic")]
    pub sections: usize,
    #[arg(long, default_value_t = 300, requires = "synthetic")]
    pub roles: usize,
    /// Feedback items, each on one or two sections.
    #[arg(long, default_value_t = 100_000, requires = "synthetic")]
    pub feedback: usize,
    #[arg(long, default_value_t = 500, requires = "synthetic")]
    pub events: usize,
    #[arg(long, default_value_t = 600, requires = "synthetic")]
    pub planned_uses: usize,
    #[arg(long, default_value_t = 100, requires = "synthetic")]
    pub milestones: usize,
    #[arg(long, default_value_t = 120, requires = "synthetic")]
    pub pilots: usize,
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 42, requires = "synthetic")]
    pub seed: u64,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account. The password is read from a prompt, or from standard input when it is not a terminal.
    Add(UserAddArgs),
    /// Set an account's password (read as for `add`), e.g. a demo account's whose printed password
    /// is lost. Tokens issued before stop working.
    SetPassword(UserSetPasswordArgs),
}

#[derive(Args, Debug)]
pub struct UserSetPasswordArgs {
    #[arg(long)]
    pub email: String,
}

#[derive(Args, Debug)]
pub struct UserAddArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// ISO3 code of the Champion country (CHAMPION accounts only).
    #[arg(long)]
    pub country: Option<String>,
    /// Name shown in the API; defaults to the email.
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoleArg {
    Admin,
    WgLead,
    Champion,
}

impl From<RoleArg> for UserRole {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => UserRole::Admin,
            RoleArg::WgLead => UserRole::WgLead,
            RoleArg::Champion => UserRole::Champion,
        }
    }
}

#[derive(Args, Debug)]
pub struct TokenArgs {
    #[arg(long)]
    pub email: String,
    #[command(flatten)]
    pub auth: AuthArgs,
}

/// Directory that holds the SQLite file of a `sqlite://` URL, if it is a file path.
pub fn sqlite_parent_dir(url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next()?;
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    PathBuf::from(path).parent().map(PathBuf::from).filter(|p| !p.as_os_str().is_empty())
}
