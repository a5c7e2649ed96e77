//! The committed `schema.graphql` must match the live schema. After an intended change run
//! `cargo run -- schema > schema.graphql` (or this test with `UPDATE_SCHEMA=1`) and review the diff.

mod common;

use common::*;

#[tokio::test]
async fn committed_schema_matches_the_live_schema() {
    let app = TestApp::spawn_with(Options { demo: false, ..Options::default() }).await;
    let live = app.client.get(app.url("/schema.graphql")).send().await.unwrap().text().await.unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    if std::env::var("UPDATE_SCHEMA").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &live).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == live,
        "schema.graphql is out of date: run `cargo run -- schema > schema.graphql` and commit the diff"
    );
    assert_eq!(live, graphql::sdl(), "served SDL and library SDL agree");
}
