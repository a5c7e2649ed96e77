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
