//! How requests share the connection pool: a read-only request keeps one connection for all its
//! statements, the account check included, and leaves it for the next read-only request;
//! anything that writes uses the pool, one transaction at a time, and takes the connections kept
//! for reads back first. With a pool of one or two connections, no mix of requests may wait on
//! itself.

use std::time::Duration;

use crate::common::{Options, TestApp, nodes};
use serde_json::{Value, json};

const PAGE: &str = r#"{ countries(filter: {isChampion: true}, first: 20) { edges { node {
    iso3 roles { role } feedback(latest: 3) { id sections { code } } } } } }"#;
const DASHBOARD: &str = r#"{ dashboard { feedbackByStatus { status count }
    feedbackBySection { section { code } total } responses { feedback responded } } }"#;
const SUBMIT: &str = r#"mutation($v: ID!, $body: String!) { submitFeedback(input: {country: "MAR", channel: BILATERAL,
    kind: QUESTION, body: $body, guideVersion: $v, sections: ["II"], receivedOn: "2022-01-10"}) { id body } }"#;

async fn revised_version(app: &TestApp, token: &str) -> Value {
    let versions = app
        .data(
            r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-11-REVISED"}}) { edges { node { id } } } }"#,
            json!({}),
            token,
        )
        .await;
    nodes(&versions["guideVersions"])[0]["id"].clone()
}

async fn feedback_count(app: &TestApp, token: &str) -> u64 {
    app.data("{ feedback { totalCount } }", json!({}), token).await["feedback"]["totalCount"].as_u64().unwrap()
}

/// Sends a batch of operations and returns each operation's response.
async fn batch(app: &TestApp, token: &str, operations: Value) -> Vec<Value> {
    let response =
        app.client.post(app.url("/graphql")).bearer_auth(token).json(&operations).send().await.expect("request sent");
    assert_eq!(response.status().as_u16(), 200);
    response.json::<Vec<Value>>().await.expect("a JSON array")
}

#[tokio::test]
async fn one_pooled_connection_serves_concurrent_reads_writes_and_mixed_batches() {
    concurrent_reads_writes_and_mixed_batches(1).await;
}

/// Two connections: reads keep at most one between them, so writes always find the other.
#[tokio::test]
async fn two_pooled_connections_serve_concurrent_reads_writes_and_mixed_batches() {
    concurrent_reads_writes_and_mixed_batches(2).await;
}

async fn concurrent_reads_writes_and_mixed_batches(max_connections: u32) {
    let app = TestApp::spawn_with(Options { demo_records: true, max_connections, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let version = revised_version(&app, &admin).await;
    let before = feedback_count(&app, &admin).await;

    let reads = (0..6).map(|i| {
        let query = if i % 2 == 0 { PAGE } else { DASHBOARD };
        let app = &app;
        let admin = &admin;
        async move { app.data(query, json!({}), admin).await }
    });
    let writes = (0..3).map(|i| {
        let (app, admin, version) = (&app, &admin, &version);
        async move { app.data(SUBMIT, json!({ "v": version, "body": format!("alone {i}") }), admin).await }
    });
    let mixed = (0..2).map(|i| {
        let (app, admin, version) = (&app, &admin, &version);
        async move {
            batch(
                app,
                admin,
                json!([
                    { "query": PAGE },
                    { "query": SUBMIT, "variables": { "v": version, "body": format!("batched {i}") } },
                ]),
            )
            .await
        }
    });
    let everything = async {
        futures_util::join!(
            futures_util::future::join_all(reads),
            futures_util::future::join_all(writes),
            futures_util::future::join_all(mixed)
        )
    };
    // Well inside the pool's 10 s acquire timeout: a request waiting on a connection it holds
    // itself would show as a timeout here, or as errors after it.
    let (reads, writes, mixed) =
        tokio::time::timeout(Duration::from_secs(8), everything).await.expect("no request waits on itself");

    for data in &reads {
        assert!(data.get("countries").is_some() || data.get("dashboard").is_some(), "{data}");
    }
    for (i, data) in writes.iter().enumerate() {
        assert_eq!(data["submitFeedback"]["body"], format!("alone {i}"));
    }
    for (i, responses) in mixed.iter().enumerate() {
        assert!(responses.iter().all(|r| r.get("errors").is_none()), "{responses:?}");
        assert!(!nodes(&responses[0]["data"]["countries"]).is_empty());
        assert_eq!(responses[1]["data"]["submitFeedback"]["body"], format!("batched {i}"));
    }
    assert_eq!(feedback_count(&app, &admin).await, before + 5);
}

/// A read-only batch runs on one connection too, and each of its operations sees the same data.
#[tokio::test]
async fn a_read_only_batch_on_one_connection_answers_every_operation() {
    let app = TestApp::spawn_with(Options { demo_records: true, max_connections: 1, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let responses = batch(&app, &admin, json!([{ "query": PAGE }, { "query": DASHBOARD }, { "query": PAGE }])).await;
    assert_eq!(responses.len(), 3);
    assert!(responses.iter().all(|r| r.get("errors").is_none()), "{responses:?}");
    assert_eq!(responses[0], responses[2]);
    assert!(responses[1]["data"]["dashboard"]["feedbackByStatus"].is_array());
}

fn kept_for_reads(metrics: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(r#"champion_tracker_db_pool_connections{state="kept_for_reads"} "#))
        .and_then(|value| value.trim().parse().ok())
}

async fn metrics(app: &TestApp) -> String {
    app.client.get(app.url("/metrics")).send().await.expect("metrics").text().await.expect("text")
}

/// A read-only request leaves its connection kept for the next; a write takes it back first.
#[tokio::test]
async fn a_read_keeps_its_connection_for_the_next_and_a_write_takes_it_back() {
    let app = TestApp::spawn_with(Options { demo_records: true, max_connections: 3, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let version = revised_version(&app, &admin).await;
    assert!(!nodes(&app.data(PAGE, json!({}), &admin).await["countries"]).is_empty());
    assert_eq!(kept_for_reads(&metrics(&app).await), Some(1.0));
    assert!(app.data(DASHBOARD, json!({}), &admin).await.get("dashboard").is_some());
    assert_eq!(kept_for_reads(&metrics(&app).await), Some(1.0), "the second read reused the kept connection");

    let submitted = app.data(SUBMIT, json!({ "v": version, "body": "after reads" }), &admin).await;
    assert_eq!(submitted["submitFeedback"]["body"], "after reads");
    assert_eq!(kept_for_reads(&metrics(&app).await), Some(0.0), "the write gave it back to the pool");
}
