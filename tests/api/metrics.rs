//! `/metrics`: the Prometheus text after a known set of requests, parsed and counted exactly
//! (every test server has its own recorder, so other tests' traffic does not show).

use std::collections::HashMap;

use crate::common::ws::*;
use crate::common::*;
use serde_json::json;

/// One sample line: `name{label="value",…} number`.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: HashMap<String, String>,
    value: f64,
}

/// A small parser for the text exposition format (what Prometheus reads): `# TYPE` lines and
/// samples; label values are unescaped for `\"`, `\\` and `\n`.
fn parse(text: &str) -> (Vec<Sample>, HashMap<String, String>) {
    let mut samples = Vec::new();
    let mut types = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("TYPE name kind");
            types.insert(name.to_owned(), kind.to_owned());
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("sample has a value");
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("number in {line}")),
        };
        let (name, labels) = match series.split_once('{') {
            None => (series.to_owned(), HashMap::new()),
            Some((name, rest)) => (name.to_owned(), parse_labels(rest.strip_suffix('}').expect("closing brace"))),
        };
        samples.push(Sample { name, labels, value });
    }
    (samples, types)
}

fn parse_labels(mut text: &str) -> HashMap<String, String> {
    let mut labels = HashMap::new();
    while !text.is_empty() {
        let (key, rest) = text.split_once("=\"").expect("label=\"value\"");
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let end = loop {
            match chars.next().expect("closing quote") {
                (i, '"') => break i,
                (_, '\\') => match chars.next().expect("escaped char").1 {
                    'n' => value.push('\n'),
                    c => value.push(c),
                },
                (_, c) => value.push(c),
            }
        };
        labels.insert(key.trim_start_matches(',').to_owned(), value);
        text = rest[end + 1..].trim_start_matches(',');
    }
    labels
}

fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|s| s.name == name && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v)))
        .map(|s| s.value)
}

async fn scrape(app: &TestApp) -> (Vec<Sample>, HashMap<String, String>) {
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    parse(&response.text().await.unwrap())
}

#[tokio::test]
async fn metrics_count_operations_outcomes_latency_errors_pool_and_subscriptions() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await; // one anonymous `login` mutation
    let lead = app.login(WG_LEAD).await; // and another

    // Named by the document, twice; named by `operationName`; then one that fails.
    for _ in 0..2 {
        app.data("query Me { me { email } }", json!({}), &admin).await;
    }
    let body = json!({ "query": "query A { me { email } } query Pick { me { role } }", "operationName": "Pick" });
    let response = app.client.post(app.url("/graphql")).bearer_auth(&admin).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    // A Champion may not list audit rows: FORBIDDEN, and the operation counts as an error.
    let champion = app.login(CHAMPION_MAR).await;
    let refused = app.refused("query Audit { auditLog(first: 1) { totalCount } }", json!({}), &champion).await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    // Errors before execution: a parse error, and a request refused for its content type.
    let (_, broken) = app.post("query Broken {", json!({}), Some(&admin)).await;
    assert_eq!(error_code(&broken), "GRAPHQL_PARSE_FAILED");
    let wrong_type = app.client.post(app.url("/graphql")).header("content-type", "text/plain").body("{}").send();
    assert_eq!(wrong_type.await.unwrap().status(), 415);
    // An invented name that never succeeded gets no series of its own.
    app.refused("query Nonsense123 { auditLog(first: 1) { totalCount } }", json!({}), &champion).await;

    // One open subscription.
    let _subscription = subscribe(&app.base, &lead, "1", "subscription { activity { kind } }", json!({})).await;
    wait_for_subscriptions(&app.base, 1).await;

    let (samples, types) = scrape(&app).await;
    let ops = "champion_tracker_graphql_operations_total";
    assert_eq!(types.get(ops).map(String::as_str), Some("counter"));
    assert_eq!(value(&samples, ops, &[("operation", "Me"), ("outcome", "ok")]), Some(2.0));
    assert_eq!(value(&samples, ops, &[("operation", "Me"), ("outcome", "error")]), Some(0.0));
    assert_eq!(value(&samples, ops, &[("operation", "Pick"), ("outcome", "ok")]), Some(1.0));
    assert_eq!(value(&samples, ops, &[("operation", "A")]), None, "the operation not run is not counted");
    // The three sign-ins are unnamed mutations.
    assert_eq!(value(&samples, ops, &[("operation", "anonymous"), ("outcome", "ok")]), Some(3.0));
    // `Audit` and `Nonsense123` never succeeded, `Broken` never ran: all three under `other`.
    assert_eq!(value(&samples, ops, &[("operation", "other"), ("outcome", "error")]), Some(3.0));
    assert!(samples.iter().all(|s| s.labels.get("operation").is_none_or(|o| o != "Nonsense123")));

    let latency = "champion_tracker_graphql_operation_duration_seconds";
    assert_eq!(types.get(latency).map(String::as_str), Some("histogram"));
    assert_eq!(value(&samples, &format!("{latency}_count"), &[("operation", "Me")]), Some(2.0));
    assert_eq!(value(&samples, &format!("{latency}_bucket"), &[("operation", "Me"), ("le", "+Inf")]), Some(2.0));
    assert!(value(&samples, &format!("{latency}_sum"), &[("operation", "Me")]).is_some_and(|s| s > 0.0));
    let buckets = samples
        .iter()
        .filter(|s| {
            s.name == format!("{latency}_bucket") && s.labels.get("operation").map(String::as_str) == Some("Me")
        })
        .count();
    assert!(buckets >= 10, "{buckets} latency buckets");

    let errors = "champion_tracker_graphql_errors_total";
    assert_eq!(value(&samples, errors, &[("code", "FORBIDDEN")]), Some(2.0));
    assert_eq!(value(&samples, errors, &[("code", "GRAPHQL_PARSE_FAILED")]), Some(1.0));
    assert_eq!(value(&samples, errors, &[("code", "UNSUPPORTED_MEDIA_TYPE")]), Some(1.0));
    // Every HTTP request to /graphql, batches and refusals included.
    assert_eq!(value(&samples, "champion_tracker_graphql_requests_total", &[]), Some(10.0));

    assert_eq!(value(&samples, "champion_tracker_activity_subscriptions", &[]), Some(1.0));
    assert_eq!(value(&samples, "champion_tracker_db_pool_max_connections", &[]), Some(5.0));
    let in_use = value(&samples, "champion_tracker_db_pool_connections", &[("state", "in_use")]).expect("in use");
    let idle = value(&samples, "champion_tracker_db_pool_connections", &[("state", "idle")]).expect("idle");
    assert!(in_use >= 0.0 && idle >= 0.0 && in_use + idle <= 5.0, "{in_use} in use, {idle} idle");
    assert!(value(&samples, "champion_tracker_db_statements_total", &[]).is_some_and(|n| n > 0.0));
    assert_eq!(value(&samples, "champion_tracker_build_info", &[("version", env!("CARGO_PKG_VERSION"))]), Some(1.0));
}

#[tokio::test]
async fn servers_in_one_process_count_separately() {
    let first = TestApp::spawn().await;
    let second = TestApp::spawn().await;
    let token = first.admin_token().await;
    first.data("query Mine { me { email } }", json!({}), &token).await;
    let (samples, _) = scrape(&second).await;
    let ops = "champion_tracker_graphql_operations_total";
    assert_eq!(value(&samples, ops, &[("operation", "Mine")]), None);
    let (samples, _) = scrape(&first).await;
    assert_eq!(value(&samples, ops, &[("operation", "Mine"), ("outcome", "ok")]), Some(1.0));
}
