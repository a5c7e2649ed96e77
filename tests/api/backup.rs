//! Backup and restore through the real binary: `export` then `import` round trips (SQLite and,
//! when `TEST_DATABASE_URL` is set, PostgreSQL → SQLite → PostgreSQL → SQLite), and every way
//! `import` must refuse a file or a target — with nothing written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::*;
use champion_tracker::backup::tables::{non_empty_tables, tables};
use champion_tracker::seed::{SyntheticSizes, load_synthetic};
use entity::{audit_log, contact};
use sea_orm::{ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryOrder, Statement};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const BIN: &str = env!("CARGO_BIN_EXE_champion-tracker");

fn run(args: &[&str], database_url: &str) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("LOG_LEVEL", "warn")
        .output()
        .expect("binary runs")
}

fn export(database_url: &str, file: &Path) {
    let output = run(&["export", "--output", file.to_str().unwrap()], database_url);
    assert!(output.status.success(), "export failed: {}", String::from_utf8_lossy(&output.stderr));
}

fn import(database_url: &str, file: &Path) -> Output {
    run(&["import", "--input", file.to_str().unwrap()], database_url)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The row lines of a backup (header and trailer hold the time and the checksum).
fn data_lines(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert!(lines.last().unwrap().starts_with("{\"trailer\""), "ends with the trailer");
    lines[1..lines.len() - 1].to_vec()
}

fn header(file: &Path) -> Value {
    let text = std::fs::read_to_string(file).unwrap();
    serde_json::from_str(text.lines().next().unwrap()).unwrap()
}

/// A fresh PostgreSQL database when the suite runs on PostgreSQL.
async fn fresh_postgres(dir: &Path) -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())?;
    Some(fresh_database_url(dir).await)
}

/// A source with demo data, synthetic data, audit rows, and a deleted newest contact (so the
/// next contact key is past the highest one left).
async fn source() -> (TestApp, i32) {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let sizes = SyntheticSizes {
        countries: 200,
        champions: 20,
        sections: 60,
        roles: 40,
        feedback: 1_200, // more than one export page (1,000 rows) for keyed and link tables
        events: 15,
        planned_uses: 20,
        milestones: 10,
        pilots: 8,
        seed: 3,
    };
    load_synthetic(&app.db, &sizes).await.expect("synthetic data loads");
    let admin = app.admin_token().await;
    for title in ["Backup drill", "Restore drill"] {
        app.data(
            "mutation($t: String!) { createMilestone(input: {title: $t, dueOn: \"2022-03-01\"}) { id } }",
            json!({ "t": title }),
            &admin,
        )
        .await;
    }
    let contacts = "mutation($n: String!) { createContact(input: {name: $n, country: \"MAR\"}) { id } }";
    app.data(contacts, json!({ "n": "Kept" }), &admin).await;
    let gone = app.data(contacts, json!({ "n": "Deleted" }), &admin).await;
    let gone_key = key_of(&gone["createContact"]["id"]);
    app.data("mutation($id: ID!) { deleteContact(id: $id) }", json!({ "id": gone["createContact"]["id"] }), &admin)
        .await;
    assert!(audit_log::Entity::find().count(&app.db).await.unwrap() >= 5, "audit rows to back up");
    (app, gone_key)
}

#[tokio::test]
async fn round_trip_keeps_every_row_across_sqlite_and_postgresql() {
    let (app, deleted_key) = source().await;
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str| dir.path().join(name);

    export(&app.database_url, &file("source.jsonl"));
    let first = data_lines(&file("source.jsonl"));
    let listed = header(&file("source.jsonl"));
    // Every table is in the file, with as many rows as the database holds.
    for table in tables().unwrap() {
        let counted = listed["tables"].as_array().unwrap().iter().find(|t| t["name"] == table.name.as_str());
        let counted = counted.unwrap_or_else(|| panic!("{} in the header", table.name))["rows"].as_i64().unwrap();
        let stmt =
            Statement::from_string(app.db.get_database_backend(), format!("SELECT COUNT(*) AS n FROM {}", table.name));
        let actual: i64 = app.db.query_one_raw(stmt).await.unwrap().unwrap().try_get("", "n").unwrap();
        assert_eq!(counted, actual, "rows of {}", table.name);
        assert_eq!(
            first.iter().filter(|l| l.starts_with(&format!("{{\"table\":\"{}\"", table.name))).count() as i64,
            actual
        );
    }
    for table in ["audit_log", "user_account", "feedback_section", "revision_section", "guide_section"] {
        assert!(first.iter().any(|l| l.starts_with(&format!("{{\"table\":\"{table}\""))), "{table} has rows");
    }

    // Source (SQLite or PostgreSQL) → SQLite → PostgreSQL (when available) → SQLite.
    let mut targets = vec![format!("sqlite://{}", file("one.db").display())];
    if let Some(postgres) = fresh_postgres(dir.path()).await {
        targets.push(postgres);
    }
    targets.push(format!("sqlite://{}", file("two.db").display()));
    let mut previous = file("source.jsonl");
    for (hop, target) in targets.iter().enumerate() {
        let imported = import(target, &previous);
        assert!(imported.status.success(), "import into {target}: {}", stderr(&imported));
        let next = file(&format!("hop{hop}.jsonl"));
        export(target, &next);
        assert_eq!(data_lines(&next), first, "rows after restoring into {target}");
        previous = next;
    }

    // The restored database serves the data and hands out fresh keys, past deleted ones too.
    let last = targets.last().unwrap();
    let restored = sea_orm::Database::connect(last.as_str()).await.unwrap();
    assert!(non_empty_tables(&restored).await.unwrap().len() >= 15);
    let now = chrono::Utc::now();
    let new_contact = contact::ActiveModel {
        name: sea_orm::Set("After restore".into()),
        country_id: sea_orm::Set(Some(1)),
        created_at: sea_orm::Set(now),
        updated_at: sea_orm::Set(now),
        version: sea_orm::Set(1),
        ..Default::default()
    };
    let inserted = contact::Entity::insert(new_contact).exec(&restored).await.unwrap();
    assert_eq!(inserted.last_insert_id, deleted_key + 1, "the deleted contact's key is not reused");
    let newest = audit_log::Entity::find().order_by_desc(audit_log::Column::Id).one(&restored).await.unwrap();
    let original = audit_log::Entity::find().order_by_desc(audit_log::Column::Id).one(&app.db).await.unwrap();
    assert_eq!(newest.map(|a| (a.id, a.action, a.changes)), original.map(|a| (a.id, a.action, a.changes)));
}

/// The foreign keys of the migrated schema allow inserting the tables in the listed order.
#[tokio::test]
async fn the_table_order_is_safe_for_foreign_keys() {
    let app = TestApp::spawn().await;
    if app.db.get_database_backend() != DatabaseBackend::Sqlite {
        return; // the schema is the same on PostgreSQL; SQLite's pragma is the simplest to read
    }
    let tables = tables().unwrap();
    for (position, table) in tables.iter().enumerate() {
        let stmt = Statement::from_string(
            DatabaseBackend::Sqlite,
            format!("SELECT \"table\" AS target, \"from\" AS col FROM pragma_foreign_key_list('{}')", table.name),
        );
        for fk in app.db.query_all_raw(stmt).await.unwrap() {
            let target: String = fk.try_get("", "target").unwrap();
            let column: String = fk.try_get("", "col").unwrap();
            if target == table.name {
                assert_eq!(table.self_reference.map(|i| table.columns[i].name.clone()), Some(column.clone()));
                continue;
            }
            let before = tables[..position].iter().any(|t| t.name == target);
            assert!(before, "{}.{column} points at {target}, which is not listed before it", table.name);
        }
    }
}

/// A valid backup of a small database, and an empty target for each refusal.
struct Refusals {
    _app: TestApp,
    dir: tempfile::TempDir,
    lines: Vec<String>,
}

impl Refusals {
    async fn new() -> Self {
        let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("good.jsonl");
        export(&app.database_url, &path);
        let lines = std::fs::read_to_string(&path).unwrap().lines().map(str::to_owned).collect();
        Self { _app: app, dir, lines }
    }

    fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    /// `lines` joined, with the trailer's checksum made to match (to get past the checksum to
    /// the check a case is about).
    fn resealed(&self, name: &str, lines: &[String]) -> PathBuf {
        let body: String = lines[..lines.len() - 1].iter().map(|l| format!("{l}\n")).collect();
        let mut trailer: Value = serde_json::from_str(lines.last().unwrap()).unwrap();
        let digest: String = Sha256::digest(body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        trailer["trailer"]["sha256"] = digest.into();
        self.write(name, &format!("{body}{trailer}\n"))
    }

    /// Imports `file` into a new database of the suite's kind; asserts the refusal and its
    /// message, and that the target holds nothing (no rows; before any check of the database,
    /// not even tables).
    async fn refused(&self, file: &Path, message: &str, schema_allowed: bool) {
        let target = fresh_database_url(&self.dir.path().join(file.file_stem().unwrap())).await;
        if let Some(dir) = champion_tracker::config::sqlite_parent_dir(&target) {
            std::fs::create_dir_all(dir).unwrap();
        }
        let output = import(&target, file);
        assert!(!output.status.success(), "{} was imported", file.display());
        let text = stderr(&output);
        assert!(text.contains(message), "expected `{message}` in: {text}");
        let sqlite_file = target.strip_prefix("sqlite://").map(PathBuf::from);
        if sqlite_file.as_ref().is_some_and(|path| !path.exists()) {
            assert!(!schema_allowed, "{} was refused before the database was opened", file.display());
            return;
        }
        let db = sea_orm::Database::connect(target.as_str()).await.unwrap();
        assert_eq!(non_empty_tables(&db).await.unwrap(), vec![], "{} wrote rows", file.display());
        if !schema_allowed {
            let tables = champion_tracker::backup::tables::database_tables(&db).await.unwrap();
            assert!(tables.is_empty(), "{} created {tables:?}", file.display());
        }
    }
}

fn edit_first_row(lines: &[String], table: &str, edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut lines = lines.to_vec();
    let index = lines.iter().position(|l| l.starts_with(&format!("{{\"table\":\"{table}\""))).unwrap();
    let mut row: Value = serde_json::from_str(&lines[index]).unwrap();
    edit(&mut row);
    lines[index] = row.to_string();
    lines
}

#[tokio::test]
async fn import_refuses_bad_files_and_writes_nothing() {
    let case = Refusals::new().await;
    let lines = &case.lines;
    let all = |lines: &[String]| lines.iter().map(|l| format!("{l}\n")).collect::<String>();

    // (a) A format version this build does not read.
    let mut future: Value = serde_json::from_str(&lines[0]).unwrap();
    future["format_version"] = json!(99);
    let mut changed = lines.clone();
    changed[0] = future.to_string();
    case.refused(&case.resealed("future.jsonl", &changed), "backup format version 99 is not supported", false).await;
    // Not a backup at all.
    case.refused(&case.write("other.jsonl", "{\"hello\":1}\n"), "not a champion-tracker backup", false).await;
    case.refused(&case.write("empty.jsonl", ""), "the file is empty", false).await;

    // (c) Corrupt files.
    let mut bad_json = lines.clone();
    bad_json[3] = "{\"table\":\"country\",\"row\":{\"id\":".into();
    case.refused(&case.write("bad-json.jsonl", &all(&bad_json)), "line 4: not valid JSON", false).await;
    let unknown_table = edit_first_row(lines, "document", |row| row["table"] = json!("secrets"));
    case.refused(&case.resealed("unknown-table.jsonl", &unknown_table), "unknown table `secrets`", false).await;
    let unknown_column = edit_first_row(lines, "document", |row| row["row"]["colour"] = json!("red"));
    case.refused(&case.resealed("unknown-column.jsonl", &unknown_column), "unknown column `colour`", false).await;
    let wrong_type = edit_first_row(lines, "document", |row| row["row"]["id"] = json!("one"));
    case.refused(&case.resealed("wrong-type.jsonl", &wrong_type), "expected an integer", false).await;
    let no_trailer = &lines[..lines.len() - 1];
    case.refused(&case.write("no-trailer.jsonl", &all(no_trailer)), "without its trailer", false).await;
    let full = all(lines);
    let cut = &full[..full.len() / 2];
    case.refused(&case.write("truncated.jsonl", cut), "the backup file is corrupt", false).await;
    let tampered = edit_first_row(lines, "country", |row| row["row"]["name"] = json!("Atlantis"));
    case.refused(&case.write("tampered.jsonl", &all(&tampered)), "checksum mismatch", false).await;
    let mut one_less = lines.clone();
    let row = one_less.iter().position(|l| l.starts_with("{\"table\":\"country\"")).unwrap();
    one_less.remove(row);
    case.refused(
        &case.resealed("row-missing.jsonl", &one_less),
        "table country holds 192 rows, the header says 193",
        false,
    )
    .await;
    let mut extra = lines.clone();
    extra.push(lines[1].clone());
    case.refused(&case.write("after-trailer.jsonl", &all(&extra)), "data after the trailer", false).await;

    // A file that is sound but cannot be restored (two countries with one ISO code) fails in the
    // database: the transaction leaves the migrated schema without a single row.
    let clash = lines.iter().filter(|l| l.starts_with("{\"table\":\"country\"")).nth(1).unwrap().clone();
    let mut clash_row: Value = serde_json::from_str(&clash).unwrap();
    let first_iso3 = serde_json::from_str::<Value>(&lines[1]).unwrap()["row"]["iso3"].clone();
    clash_row["row"]["iso3"] = first_iso3;
    let mut duplicate = lines.clone();
    let at = duplicate.iter().position(|l| *l == clash).unwrap();
    duplicate[at] = clash_row.to_string();
    case.refused(&case.resealed("duplicate.jsonl", &duplicate), "restoring table country", true).await;
}

#[tokio::test]
async fn import_refuses_a_database_that_holds_rows() {
    let case = Refusals::new().await;
    let path = case.write("good.jsonl", &case.lines.iter().map(|l| format!("{l}\n")).collect::<String>());
    let app = TestApp::spawn().await;
    let before: BTreeMap<String, i64> = non_empty_tables(&app.db).await.unwrap().into_iter().collect();
    let output = import(&app.database_url, &path);
    assert!(!output.status.success());
    let text = stderr(&output);
    assert!(text.contains("the target database is not empty (champion_term: 10 rows, country: 193 rows"), "{text}");
    let after: BTreeMap<String, i64> = non_empty_tables(&app.db).await.unwrap().into_iter().collect();
    assert_eq!(before, after, "nothing written");
}

#[tokio::test]
async fn export_to_standard_output_carries_only_the_backup() {
    let app = TestApp::spawn().await;
    let output = run(&["export"], &app.database_url);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["format"], "champion-tracker-backup");
    assert!(text.lines().all(|l| serde_json::from_str::<Value>(l).is_ok()), "no log lines mixed in");
}
