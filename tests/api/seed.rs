//! Loading the demo data twice changes nothing.

use crate::common::*;
use champion_tracker::seed::{load_countries, load_demo};
use sea_orm::{ConnectionTrait, Statement};

async fn fingerprint(app: &TestApp) -> Vec<(String, i64, String)> {
    let mut out = Vec::new();
    for table in [
        "country",
        "document",
        "guide_version",
        "guide_section",
        "stakeholder",
        "user_account",
        "event",
        "milestone",
        "feedback",
        "role_assignment",
        "planned_use",
    ] {
        let backend = app.db.get_database_backend();
        let sql = format!(
            "SELECT COUNT(*) AS n, CAST(MAX(updated_at) AS TEXT) AS latest, CAST(SUM(version) AS TEXT) AS versions FROM {table}"
        );
        let row = app.db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
        let n: i64 = row.try_get("", "n").unwrap();
        let latest: Option<String> = row.try_get("", "latest").unwrap();
        let versions: Option<String> = row.try_get("", "versions").unwrap();
        out.push((table.to_owned(), n, format!("{latest:?}/{versions:?}")));
    }
    out
}

#[tokio::test]
async fn loading_the_demo_twice_changes_nothing() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let first = fingerprint(&app).await;
    assert_eq!(load_countries(&app.db).await.unwrap(), 0);
    let accounts = load_demo(&app.db).await.unwrap();
    assert!(accounts.is_empty(), "no account is created or re-printed the second time");
    assert_eq!(fingerprint(&app).await, first);
    let counts: Vec<i64> = first.iter().map(|(_, n, _)| *n).collect();
    assert_eq!(counts, [193, 2, 12, 46, 6, 4, 8, 9, 6, 5, 3]);
}
