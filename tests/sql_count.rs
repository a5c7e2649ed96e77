//! Relations go through loaders: the SQL statements of a nested query do not grow with the
//! number of rows returned.

mod common;

use common::*;
use serde_json::json;

const NESTED: &str = r#"query($n: Int!) { sections(first: $n) { edges { node {
    code document { kind } parent { code parent { code } } children { code children { code } }
    introducedIn { code document { kind } } } } } }"#;

async fn statements_for(app: &TestApp, token: &str, page: usize) -> (u64, usize) {
    let (cost, data) = app.fewest_statements(NESTED, json!({ "n": page }), token).await;
    (cost, nodes(&data["sections"]).len())
}

#[tokio::test]
async fn nested_sections_cost_the_same_number_of_statements_for_any_page_size() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    // Both pages reach every relation (section III.A, the 23rd row, is the one with `introducedIn`),
    // so any per-row query would show up as a difference.
    let (small, small_rows) = statements_for(&app, &token, 23).await;
    let (large, large_rows) = statements_for(&app, &token, 46).await;
    assert_eq!((small_rows, large_rows), (23, 46));
    assert_eq!(small, large, "statements must not grow with rows ({small} for 23 rows, {large} for 46)");
    // Viewer lookup, page, and one query per relation level at most.
    assert!(large <= 10, "{large} statements");
}

const REVISIONS: &str = r#"query($n: Int!) { revisions(first: $n) { edges { node {
    guideVersion { code document { kind } }
    sectionChanges { change section { code history { change } } before { parent { code } } }
    feedback { disposition feedback { sections { code } addressedBy { revision { kind } } } } } } } }"#;

const MATRIX: &str = r#"query($v: ID!, $n: Int!) { node(id: $v) { ... on GuideVersion { commentResponseMatrix(first: $n) {
    edges { node { sourceName sections { code } disposition rationale revision { summary guideVersion { code } }
    responses { revision { kind } } } } } } } }"#;

#[tokio::test]
async fn revision_trails_and_the_comment_response_matrix_are_loaded_in_batches() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let token = app.login(WG_LEAD).await;
    let (few, data) = app.fewest_statements(REVISIONS, json!({ "n": 2 }), &token).await;
    assert_eq!(nodes(&data["revisions"]).len(), 2);
    let (all, data) = app.fewest_statements(REVISIONS, json!({ "n": 6 }), &token).await;
    assert_eq!(nodes(&data["revisions"]).len(), 6);
    assert_eq!(few, all, "revisions: {few} statements for 2 rows, {all} for 6");

    let versions = app
        .data(r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-02-CHAMPIONS-DRAFT"}}) { edges { node { id } } } }"#, json!({}), &token)
        .await;
    let draft = nodes(&versions["guideVersions"])[0]["id"].clone();
    let rows = |data: &serde_json::Value| nodes(&data["node"]["commentResponseMatrix"]).len();
    let (few, data) = app.fewest_statements(MATRIX, json!({ "v": draft, "n": 1 }), &token).await;
    assert_eq!(rows(&data), 1);
    let (all, data) = app.fewest_statements(MATRIX, json!({ "v": draft, "n": 4 }), &token).await;
    assert_eq!(rows(&data), 4);
    assert_eq!(few, all, "matrix: {few} statements for 1 row, {all} for 4");
}
