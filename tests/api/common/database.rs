//! Test databases. Migrating and loading the demo costs far more than a test's own requests, so
//! it happens once per test process, into a template for each starting point; every test gets a
//! copy: a file copy on SQLite, `CREATE DATABASE … TEMPLATE …` on PostgreSQL (when
//! `TEST_DATABASE_URL` names a server).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use tokio::sync::OnceCell;

/// What a test's database holds when its server starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Starting {
    /// Migrated, with the UN Member States.
    Migrated,
    /// The demo: guide, booklet, Champions, accounts and their engagement records.
    Demo,
    /// The demo without its engagement records, so tests start from known, empty record tables.
    DemoWithoutRecords,
}

/// A built template: where its copies come from and the demo accounts' passwords it was seeded with.
struct Template {
    source: Source,
    passwords: HashMap<String, String>,
}

enum Source {
    SqliteFile(PathBuf),
    PostgresDatabase(String),
}

/// A copy of a template for one test.
pub struct TestDatabase {
    pub url: String,
    /// Demo account email → its password.
    pub passwords: HashMap<String, String>,
}

/// The PostgreSQL server's admin URL, when the tests run against PostgreSQL.
fn postgres_admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|url| !url.is_empty())
}

fn postgres_url(admin_url: &str, database: &str) -> String {
    let (server, _) = admin_url.rsplit_once('/').expect("TEST_DATABASE_URL has a database name");
    format!("{server}/{database}")
}

async fn create_postgres_database(admin_url: &str, name: &str, template: Option<&str>) {
    let admin = sea_orm::Database::connect(admin_url).await.expect("connect to TEST_DATABASE_URL");
    let statement = match template {
        Some(template) => format!("CREATE DATABASE {name} TEMPLATE {template}"),
        None => format!("CREATE DATABASE {name}"),
    };
    // A template's last connection may still be closing on the server side; the copy is refused
    // until it has gone.
    let mut attempts = 0;
    loop {
        match admin.execute_unprepared(&statement).await {
            Ok(_) => break,
            Err(error) if attempts < 50 && error.to_string().contains("being accessed by other users") => {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(error) => panic!("{statement}: {error}"),
        }
    }
    admin.close().await.ok();
}

/// A fresh, empty database URL for one test (on SQLite, a file in `dir` that does not exist yet).
pub async fn fresh_database_url(dir: &Path) -> String {
    match postgres_admin_url() {
        Some(admin_url) => {
            let name = format!("ct_test_{}", uuid::Uuid::new_v4().simple());
            create_postgres_database(&admin_url, &name, None).await;
            postgres_url(&admin_url, &name)
        }
        None => format!("sqlite://{}/test.db", dir.display()),
    }
}

/// A directory of this process's own for its SQLite templates, under the target directory. It
/// outlives the process (statics are never dropped), so directories left by earlier runs are
/// removed once they are a day old: no test run lasts that long.
fn sqlite_templates_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("database-templates");
        std::fs::create_dir_all(&root).expect("template root directory");
        let day = Duration::from_secs(24 * 60 * 60);
        for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            let age = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
            if age.is_some_and(|age| age > day) {
                std::fs::remove_dir_all(entry.path()).ok();
            }
        }
        tempfile::Builder::new().prefix("run-").tempdir_in(&root).expect("template directory")
    })
    .path()
    .to_path_buf()
}

async fn build_template(starting: Starting) -> Template {
    let (url, source) = match postgres_admin_url() {
        Some(admin_url) => {
            let name = format!("ct_template_{}", uuid::Uuid::new_v4().simple());
            create_postgres_database(&admin_url, &name, None).await;
            (postgres_url(&admin_url, &name), Source::PostgresDatabase(name))
        }
        None => {
            let dir = sqlite_templates_dir();
            let file = dir.join(format!("{starting:?}.db"));
            (format!("sqlite://{}/{starting:?}-build.db", dir.display()), Source::SqliteFile(file))
        }
    };
    let demo = starting != Starting::Migrated;
    let (database, accounts) =
        champion_tracker::startup::prepare_database(&url, 1, true, demo).await.expect("template database is prepared");
    let conn = database.conn;
    if starting == Starting::DemoWithoutRecords {
        clear_engagement_records(&conn).await;
    }
    if let Source::SqliteFile(file) = &source {
        // One self-contained file (no write-ahead log beside it) that a plain copy reproduces.
        conn.execute_unprepared(&format!("VACUUM INTO '{}'", file.display())).await.expect("template file is written");
    }
    conn.close().await.expect("template connection closes");
    Template { source, passwords: accounts.into_iter().map(|a| (a.email, a.password)).collect() }
}

async fn template(starting: Starting) -> &'static Template {
    static MIGRATED: OnceCell<Template> = OnceCell::const_new();
    static DEMO: OnceCell<Template> = OnceCell::const_new();
    static DEMO_WITHOUT_RECORDS: OnceCell<Template> = OnceCell::const_new();
    let cell = match starting {
        Starting::Migrated => &MIGRATED,
        Starting::Demo => &DEMO,
        Starting::DemoWithoutRecords => &DEMO_WITHOUT_RECORDS,
    };
    cell.get_or_init(|| build_template(starting)).await
}

/// A copy of the template for `starting`, for one test; on SQLite a file in `dir`.
pub async fn copy_of(starting: Starting, dir: &Path) -> TestDatabase {
    let template = template(starting).await;
    let url = match &template.source {
        Source::SqliteFile(file) => {
            let copy = dir.join("test.db");
            std::fs::copy(file, &copy).expect("template file is copied");
            format!("sqlite://{}", copy.display())
        }
        Source::PostgresDatabase(name) => {
            let admin_url = postgres_admin_url().expect("TEST_DATABASE_URL");
            let copy = format!("ct_test_{}", uuid::Uuid::new_v4().simple());
            create_postgres_database(&admin_url, &copy, Some(name)).await;
            postgres_url(&admin_url, &copy)
        }
    };
    TestDatabase { url, passwords: template.passwords.clone() }
}

/// Empties the record tables the demo fills, children first.
async fn clear_engagement_records(db: &DatabaseConnection) {
    use entity::prelude::*;
    RevisionFeedback::delete_many().exec(db).await.unwrap();
    RevisionSection::delete_many().exec(db).await.unwrap();
    Revision::delete_many().exec(db).await.unwrap();
    FeedbackSection::delete_many().exec(db).await.unwrap();
    Feedback::delete_many().exec(db).await.unwrap();
    PlannedUseEvent::delete_many().exec(db).await.unwrap();
    PlannedUseSection::delete_many().exec(db).await.unwrap();
    PlannedUse::delete_many().exec(db).await.unwrap();
    EventSection::delete_many().exec(db).await.unwrap();
    EventParticipant::delete_many().exec(db).await.unwrap();
    Event::delete_many().exec(db).await.unwrap();
    Milestone::delete_many().exec(db).await.unwrap();
    RoleAssignment::delete_many().exec(db).await.unwrap();
    Pilot::delete_many().exec(db).await.unwrap();
    Contact::delete_many().exec(db).await.unwrap();
}
