//! Hostile and careless input, over HTTP and WebSocket: documents that would cost exponential
//! work, input values a database cannot store or bind, introspection as standard tooling sends
//! it, and rights that change while a subscription is open.

use std::time::{Duration, Instant};

use crate::common::ws::{next_json_within, subscribe, wait_for_subscriptions};
use crate::common::*;
use serde_json::{Value, json};

/// The query graphql-js's `getIntrospectionQuery` builds with every option on (descriptions,
/// `specifiedByURL`, `isRepeatable`, the schema's description, deprecated input values, `isOneOf`).
fn standard_introspection_query() -> String {
    let mut type_ref = String::from("name kind");
    for _ in 0..8 {
        type_ref = format!("name kind ofType {{ {type_ref} }}");
    }
    format!(
        "query IntrospectionQuery {{ __schema {{ description queryType {{ name kind }} mutationType {{ name kind }}
          subscriptionType {{ name kind }} types {{ ...FullType }}
          directives {{ name description isRepeatable locations args(includeDeprecated: true) {{ ...InputValue }} }} }} }}
        fragment FullType on __Type {{ kind name description specifiedByURL isOneOf
          fields(includeDeprecated: true) {{ name description args(includeDeprecated: true) {{ ...InputValue }}
            type {{ ...TypeRef }} isDeprecated deprecationReason }}
          inputFields(includeDeprecated: true) {{ ...InputValue }} interfaces {{ ...TypeRef }}
          enumValues(includeDeprecated: true) {{ name description isDeprecated deprecationReason }}
          possibleTypes {{ ...TypeRef }} }}
        fragment InputValue on __InputValue {{ name description type {{ ...TypeRef }} defaultValue isDeprecated deprecationReason }}
        fragment TypeRef on __Type {{ kind name ofType {{ {type_ref} }} }}"
    )
}

/// Sends `query` anonymously and returns the status, the body and how long the answer took.
async fn timed(app: &TestApp, query: &str) -> (u16, Value, Duration) {
    let started = Instant::now();
    let (status, body) = app.post(query, json!({}), None).await;
    (status, body, started.elapsed())
}

#[tokio::test]
async fn fragment_cycles_and_bombs_are_refused_at_once_while_others_are_served() {
    let app = TestApp::spawn().await;
    let cycle = "query { ...C0 } fragment C0 on Query { me { id } ...C1 ...C1 } fragment C1 on Query { ...C0 ...C0 }";
    // Acyclic: each fragment spreads the next twice, 2^30 selections from under 1 KB.
    let mut bomb = String::from("query { ...F0 }");
    for i in 0..30 {
        bomb.push_str(&format!(" fragment F{i} on Query {{ me {{ id }} ...F{n} ...F{n} }}", n = i + 1));
    }
    bomb.push_str(" fragment F30 on Query { me { id } }");
    // Wide: one fragment of many fields spread by many others.
    let fields: String = (0..40).map(|i| format!("f{i}: me {{ id }} ")).collect();
    let spreads: String = (0..60).map(|i| format!("...W{} ", i % 3)).collect();
    let wide = format!(
        "{{ ...Top }} fragment Top on Query {{ {spreads} }} fragment W0 on Query {{ {fields} }} \
         fragment W1 on Query {{ ...W0 ...W0 }} fragment W2 on Query {{ ...W1 ...W1 }}"
    );
    for (query, code) in
        [(cycle, "GRAPHQL_VALIDATION_FAILED"), (&bomb, "QUERY_TOO_COMPLEX"), (&wide, "TOO_MANY_ALIASES")]
    {
        let (status, body, took) = timed(&app, query).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(error_code(&body), code, "{query}: {body}");
        assert!(took < Duration::from_secs(2), "{query} took {took:?}");
    }

    // Sent again and again at once, the cycle does not keep the server from anyone else.
    let hostile: Vec<_> = (0..8)
        .map(|_| {
            let client = app.client.clone();
            let url = app.url("/graphql");
            tokio::spawn(async move {
                for _ in 0..20 {
                    client.post(&url).json(&json!({ "query": cycle })).send().await.unwrap();
                }
            })
        })
        .collect();
    let started = Instant::now();
    let health = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(2), "/health took {:?}", started.elapsed());
    for task in hostile {
        task.await.unwrap();
    }
}

#[tokio::test]
async fn any_document_up_to_the_body_limit_is_answered_with_a_code() {
    let app = TestApp::spawn().await;
    let limit = Options::default().max_body_bytes - 100;
    let deep_fields = format!("{}{}", "{ a ".repeat(limit / 8), "}".repeat(limit / 8));
    let deep_lists = format!(
        "{{ countries(filter: {{ iso3: {}{} }}) {{ totalCount }} }}",
        "[".repeat(limit / 3),
        "]".repeat(limit / 3)
    );
    let deep_objects =
        format!("{{ countries(filter: {}{}) {{ totalCount }} }}", "{a: ".repeat(limit / 8), "}".repeat(limit / 8));
    let many_fragments: String =
        (0..limit / 40).map(|i| format!("fragment G{i} on Query {{ me {{ id }} }} ")).collect();
    let many_fragments = format!("{{ ...G0 }} {many_fragments}");
    for query in [deep_fields, deep_lists, deep_objects, many_fragments] {
        let (status, body, took) = timed(&app, &query).await;
        assert!(status == 200 || status == 400, "{status}: {body}");
        let code = error_code(&body);
        assert!(!code.is_empty() && code != "INTERNAL", "{body}");
        assert!(took < Duration::from_secs(5), "a {}-byte document took {took:?}", query.len());
    }
}

#[tokio::test]
async fn the_standard_introspection_query_passes_at_the_default_limits() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let data = app.data(&standard_introspection_query(), json!({}), &admin).await;
    let types = data["__schema"]["types"].as_array().expect("types");
    assert!(types.iter().any(|t| t["name"] == "Feedback"));
    assert_eq!(data["__schema"]["queryType"]["name"], "Query");
    let closed = TestApp::spawn_with(Options {
        limits: graphql::Limits { introspection: false, ..graphql::Limits::default() },
        ..Options::default()
    })
    .await;
    let admin = closed.admin_token().await;
    let (_, body) = closed.post(&standard_introspection_query(), json!({}), Some(&admin)).await;
    assert_eq!(error_code(&body), "INTROSPECTION_DISABLED", "{body}");
    // Nor do validation errors name fields to a caller who may not read the schema.
    let (_, body) = closed.post("{ feedbak { totalCount } }", json!({}), Some(&admin)).await;
    assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    assert!(!body.to_string().contains("Did you mean"), "{body}");
    let (_, body) = app.post("{ feedbak { totalCount } }", json!({}), None).await;
    assert!(!body.to_string().contains("Did you mean"), "an anonymous caller was shown field names: {body}");
    let (_, body) = app.post("{ feedbak { totalCount } }", json!({}), Some(&app.admin_token().await)).await;
    assert!(body.to_string().contains("Did you mean"), "{body}");
}

#[tokio::test]
async fn a_nul_character_is_bad_input_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let before = app.data("{ stakeholders { totalCount } }", json!({}), &admin).await;
    let create = "mutation($name: String!) { createStakeholder(input: {name: $name, kind: ACADEMIA}) { id } }";
    let (status, body) = app.post(create, json!({ "name": "Uni\u{0}versity" }), Some(&admin)).await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(error_field(&body), "name");
    let literal = r#"{ feedback(filter: {search: "a\u0000b"}) { totalCount } }"#;
    let (_, body) = app.post(literal, json!({}), Some(&admin)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(error_field(&body), "filter.search");
    // Nothing was written.
    assert_eq!(app.data("{ stakeholders { totalCount } }", json!({}), &admin).await, before);
}

#[tokio::test]
async fn lists_longer_than_the_cap_are_bad_input_on_both_databases() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let ids: Vec<String> = (1..=5_000).map(|i| global_id("Country", i)).collect();
    let (status, body) =
        app.post("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": ids }), Some(&admin)).await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(error_field(&body), "ids");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("1000"), "{body}");
    let iso3: Vec<String> = (0..1_500).map(|i| format!("X{i:02}")).collect();
    let (_, body) = app
        .post(
            "query($c: [String!]) { feedback(filter: {countries: $c}) { totalCount } }",
            json!({ "c": iso3 }),
            Some(&admin),
        )
        .await;
    assert_eq!(error_field(&body), "c", "{body}");
    // At the cap, lists still work, and the database's own bound-parameter limit never shows.
    let mut codes: Vec<String> = (0..999).map(|i| format!("Z{i:03}")).collect();
    codes.push("MAR".into());
    let query = "query($c: [String!]) { countries(filter: {iso3: {in: $c}}) { totalCount } nodes: countries(filter: {iso3: {notIn: $c}}) { totalCount } }";
    let data = app.data(query, json!({ "c": codes }), &admin).await;
    assert_eq!(data["countries"]["totalCount"], 1);
    assert!(data["nodes"]["totalCount"].as_u64().unwrap() > 100);
}

#[tokio::test]
async fn a_subscription_loses_rights_its_account_lost() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let second = app
        .data(
            r#"mutation { createUser(input: {email: "second.admin@example.org", password: "long enough secret", role: ADMIN}) { id version } }"#,
            json!({}),
            &admin,
        )
        .await["createUser"]
        .clone();
    let token = app.login_with("second.admin@example.org", "long enough secret").await.unwrap();
    let mut stream =
        subscribe(&app.base, &token, "1", "subscription { activity { kind feedback { body } } }", json!({})).await;
    wait_for_subscriptions(&app.base, 1).await;

    app.data(
        r#"mutation($id: ID!, $v: Int!) { updateUser(id: $id, input: {role: CHAMPION, country: "MAR"}, expectedVersion: $v) { role } }"#,
        json!({ "id": second["id"], "v": second["version"] }),
        &admin,
    )
    .await;
    let version = app
        .data(r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-02-CHAMPIONS-DRAFT"}}) { edges { node { id } } } }"#, json!({}), &admin)
        .await["guideVersions"]["edges"][0]["node"]["id"]
        .clone();
    app.data(r#"mutation($v: ID!) { submitFeedback(input: {country: "SLV", channel: BILATERAL, kind: CONCERN, body: "El Salvador only", guideVersion: $v, sections: ["II"], receivedOn: "2021-03-01"}) { id } }"#, json!({ "v": version }), &admin).await;

    // Nothing of El Salvador's reaches the demoted account, and the connection ends.
    let deadline = Instant::now() + Duration::from_secs(12);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match next_json_within(&mut stream, left).await {
            None => break,
            Some(message) => {
                assert!(!message.to_string().contains("El Salvador only"), "delivered after demotion: {message}");
                assert_eq!(message["type"], "complete", "{message}");
            }
        }
    }
    assert!(Instant::now() < deadline, "the connection stayed open after the demotion");
}

#[tokio::test]
async fn browsers_on_allowed_origins_pass_preflight_and_no_others_do() {
    let allowed = "https://dashboard.example.org";
    let app = TestApp::spawn_with(Options { cors_allowed_origins: vec![allowed.into()], ..Options::default() }).await;
    let preflight = |origin: &str, path: &str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url(path))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, content-type")
            .send()
    };
    for path in ["/graphql", "/graphql/ws", "/export/versions/x/comment-response.csv"] {
        let response = preflight(allowed, path).await.unwrap();
        assert!(response.status().is_success(), "{path}: {}", response.status());
        let headers = response.headers();
        assert_eq!(headers["access-control-allow-origin"], allowed);
        let allow_headers = headers["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
        assert!(allow_headers.contains("authorization") && allow_headers.contains("content-type"), "{allow_headers}");
        assert!(headers.get("access-control-allow-credentials").is_none_or(|v| v != "true"));
    }
    let refused = preflight("https://elsewhere.example.org", "/graphql").await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none(), "{:?}", refused.headers());
    // The actual request carries the header too.
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("origin", allowed)
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], allowed);

    // By default no origin is allowed.
    let closed = TestApp::spawn().await;
    let response = closed
        .client
        .request(reqwest::Method::OPTIONS, closed.url("/graphql"))
        .header("origin", allowed)
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("access-control-allow-origin").is_none());
}

/// A client that sends its request one byte at a time, far slower than any real one.
async fn trickle(port: u16) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let _ = stream.write_all(b"GET /health HTTP/1.1\r\nHo").await;
    stream
}

/// Whether the server closed `stream` within `wait`, as seen by a read.
async fn closed_within(stream: &mut tokio::net::TcpStream, wait: Duration) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let deadline = Instant::now() + wait;
    let mut buffer = [0u8; 256];
    while Instant::now() < deadline {
        // Keep trickling, as a slow client would.
        if stream.write_all(b"s").await.is_err() {
            return true;
        }
        match tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {
                // A 408 or similar before closing is fine; keep reading until the close.
            }
            Err(_) => {}
        }
    }
    false
}

#[tokio::test]
async fn slow_clients_are_cut_off_and_health_keeps_answering() {
    let connections = champion_tracker::connections::ConnectionLimits {
        max_connections: 1_024,
        max_per_address: 10,
        read_timeout: Duration::from_secs(1),
    };
    let app = TestApp::spawn_with(Options { connections, ..Options::default() }).await;
    let port: u16 = app.base.rsplit(':').next().unwrap().parse().unwrap();
    let mut slow = Vec::new();
    for _ in 0..40 {
        slow.push(trickle(port).await);
    }
    // Another client (another loopback address) is served while they hang on.
    let other = reqwest::Client::builder().local_address(std::net::IpAddr::from([127, 0, 0, 2])).build().unwrap();
    for _ in 0..5 {
        let started = Instant::now();
        let health = other.get(app.url("/health")).send().await.unwrap();
        assert_eq!(health.status(), 200);
        assert!(started.elapsed() < Duration::from_secs(1), "/health took {:?}", started.elapsed());
    }
    // Past the per-address cap they are closed on arrival; the rest once the timeout runs out.
    for stream in &mut slow {
        assert!(closed_within(stream, Duration::from_secs(5)).await, "a slow client was held past the timeout");
    }
    let metrics = other.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let refused: f64 = metrics
        .lines()
        .find_map(|line| line.strip_prefix("champion_tracker_http_connections_refused_total{cap=\"per_address\"} "))
        .and_then(|value| value.trim().parse().ok())
        .expect("refusal counter in /metrics");
    assert!(refused >= 30.0, "{refused} refused");
    // A body that never finishes arriving gets 408.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let head =
        "POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"qu";
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut answer)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("REQUEST_TIMEOUT"), "{answer}");
}

#[tokio::test]
async fn requests_that_never_ran_have_no_data_and_bodies_that_are_not_one_request_are_400() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (status, body) = app.post("{ unknownField }", json!({}), Some(&token)).await;
    assert_eq!(status, 200);
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED");
    let (_, body) = app.post("{ me { email } ", json!({}), Some(&token)).await;
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(error_code(&body), "GRAPHQL_PARSE_FAILED");
    // Execution that started keeps its `data`, null or not.
    let (_, body) = app.post("{ me { email } }", json!({}), Some(&token)).await;
    assert!(body["data"]["me"].is_object(), "{body}");

    for raw in ["[]", "null", "42", "\"query\"", "{}"] {
        let response = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{raw}");
        let body: Value = response.json().await.unwrap();
        assert!(body.get("data").is_none(), "{raw}: {body}");
        assert!(!error_code(&body).is_empty(), "{raw}: {body}");
    }
}

/// The keys of each object along `path` in `body`, as sent.
fn keys_at(body: &async_graphql::Value, path: &[&str]) -> Vec<String> {
    let mut value = body;
    for step in path {
        value = match value {
            async_graphql::Value::Object(fields) => &fields[*step],
            async_graphql::Value::List(items) => &items[step.parse::<usize>().unwrap()],
            other => panic!("no {step} in {other}"),
        };
    }
    match value {
        async_graphql::Value::Object(fields) => fields.keys().map(|k| k.to_string()).collect(),
        other => panic!("not an object: {other}"),
    }
}

#[tokio::test]
async fn response_keys_come_in_the_order_selected() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let query = r#"{
        dashboard { upcomingEvents { title startsOn } responses { rate feedback responded } feedbackByStatus { count status }
          roleCoverage { byRoleAndStatus { count role status } } championsWithoutPlannedUse { name iso3 } overdueMilestones { title } }
        countries(first: 3, filter: {isChampion: true}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { region name iso3 roles { status role } } } }
        me { role email displayName id }
        timeline(first: 5) { edges { node { title kind ... on TimelineEntry { date } } } }
        __typename
    }"#;
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let response = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&admin)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap();
        let text = response.text().await.unwrap();
        assert!(!text.contains("\"errors\""), "{text}");
        let body: async_graphql::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(keys_at(&body, &["data"]), ["dashboard", "countries", "me", "timeline", "__typename"]);
        assert_eq!(
            keys_at(&body, &["data", "dashboard"]),
            [
                "upcomingEvents",
                "responses",
                "feedbackByStatus",
                "roleCoverage",
                "championsWithoutPlannedUse",
                "overdueMilestones"
            ]
        );
        assert_eq!(keys_at(&body, &["data", "dashboard", "responses"]), ["rate", "feedback", "responded"]);
        assert_eq!(keys_at(&body, &["data", "countries"]), ["totalCount", "pageInfo", "edges"]);
        assert_eq!(keys_at(&body, &["data", "countries", "pageInfo"]), ["hasNextPage", "endCursor"]);
        assert_eq!(keys_at(&body, &["data", "countries", "edges", "0"]), ["cursor", "node"]);
        assert_eq!(keys_at(&body, &["data", "countries", "edges", "0", "node"]), ["region", "name", "iso3", "roles"]);
        assert_eq!(keys_at(&body, &["data", "countries", "edges", "0", "node", "roles", "0"]), ["status", "role"]);
        assert_eq!(keys_at(&body, &["data", "me"]), ["role", "email", "displayName", "id"]);
        assert_eq!(keys_at(&body, &["data", "timeline", "edges", "0", "node"]), ["title", "kind", "date"]);
        seen.insert(serde_json::to_string(&body).unwrap());
    }
    // Not just the keys: the whole answer is the same, byte for byte, every time.
    assert_eq!(seen.len(), 1);

    // Below an interface, fragments apply by the concrete type, and nothing else shows.
    let me = app.data("{ me { id } }", json!({}), &admin).await["me"]["id"].clone();
    let query = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on User { role email } id ... on Country { name } } }";
    let text = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&admin)
        .json(&json!({ "query": query, "variables": { "ids": [me] } }))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let body: async_graphql::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(keys_at(&body, &["data", "nodes", "0"]), ["role", "email", "id"], "{text}");
}

/// The ids of a connection page, and its `pageInfo`.
fn page_ids(connection: &Value) -> (Vec<String>, Value) {
    let ids = nodes(connection).iter().map(|n| n["id"].as_str().unwrap().to_owned()).collect();
    (ids, connection["pageInfo"].clone())
}

#[tokio::test]
async fn cursors_are_keysets_whose_pages_hold_while_rows_arrive() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let version = app
        .data(r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-02-CHAMPIONS-DRAFT"}}) { edges { node { id } } } }"#, json!({}), &admin)
        .await["guideVersions"]["edges"][0]["node"]["id"]
        .clone();
    let submit = r#"mutation($v: ID!, $on: Date!) { submitFeedback(input: {country: "MAR", channel: BILATERAL, kind: QUESTION, body: "Q", guideVersion: $v, sections: ["II"], receivedOn: $on}) { id } }"#;
    for day in ["2021-03-01", "2021-03-02", "2021-03-02", "2021-03-03", "2021-03-04", "2021-03-04", "2021-03-05"] {
        app.data(submit, json!({ "v": version, "on": day }), &admin).await;
    }
    let page = "query($after: String, $before: String, $first: Int, $last: Int) { feedback(first: $first, last: $last, after: $after, before: $before, orderBy: [{field: RECEIVED_ON, direction: DESC}]) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";
    let all = page_ids(&app.data(page, json!({ "first": 100 }), &admin).await["feedback"]).0;
    assert_eq!(all.len(), 7);
    let (first_page, info) = page_ids(&app.data(page, json!({ "first": 3 }), &admin).await["feedback"]);
    assert_eq!(first_page, all[..3]);
    assert_eq!((info["hasNextPage"].clone(), info["hasPreviousPage"].clone()), (json!(true), json!(false)));

    // New feedback arrives, newer than everything: it sorts before the boundary, which stays put.
    for day in ["2021-04-01", "2021-04-02", "2021-04-03"] {
        app.data(submit, json!({ "v": version, "on": day }), &admin).await;
    }
    let (second_page, info) =
        page_ids(&app.data(page, json!({ "first": 3, "after": info["endCursor"] }), &admin).await["feedback"]);
    assert_eq!(second_page, all[3..6], "a page repeated or skipped items after rows were inserted before it");
    let (third_page, info) =
        page_ids(&app.data(page, json!({ "first": 3, "after": info["endCursor"] }), &admin).await["feedback"]);
    assert_eq!(third_page, all[6..]);
    assert_eq!(info["hasNextPage"], false);

    // Backwards from the end, the same sequence (now with the three new items in front).
    let now = page_ids(&app.data(page, json!({ "first": 100 }), &admin).await["feedback"]).0;
    assert_eq!(now[3..], all[..]);
    let (last_page, info) = page_ids(&app.data(page, json!({ "last": 4 }), &admin).await["feedback"]);
    assert_eq!(last_page, now[6..]);
    assert_eq!((info["hasPreviousPage"].clone(), info["hasNextPage"].clone()), (json!(true), json!(false)));
    let (before_page, _) =
        page_ids(&app.data(page, json!({ "last": 4, "before": info["startCursor"] }), &admin).await["feedback"]);
    assert_eq!(before_page, now[2..6]);

    // A cursor that this connection did not hand out, or one of another order, is refused.
    for cursor in [json!("not-a-cursor"), json!("eyJvIjoieCJ9")] {
        let (_, body) = app.post(page, json!({ "first": 3, "after": cursor }), Some(&admin)).await;
        assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "after"), "{body}");
    }
    let by_date_ascending = "query($after: String) { feedback(first: 2, after: $after, orderBy: [{field: RECEIVED_ON}]) { edges { node { id } } } }";
    let (_, body) = app.post(by_date_ascending, json!({ "after": info["startCursor"] }), Some(&admin)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "a cursor of another order was accepted: {body}");
}

#[tokio::test]
async fn keyset_pages_over_a_column_with_nulls_cover_every_row_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let create = "mutation($t: String!, $done: Date, $s: MilestoneStatus!) { createMilestone(input: {title: $t, dueOn: \"2022-01-01\", doneOn: $done, status: $s}) { id } }";
    for (i, done) in [Some("2021-05-01"), None, Some("2021-04-01"), None, Some("2021-05-01"), None, Some("2021-06-01")]
        .iter()
        .enumerate()
    {
        let status = if done.is_some() { "DONE" } else { "PLANNED" };
        app.data(create, json!({ "t": format!("Milestone {i}"), "done": done, "s": status }), &admin).await;
    }
    for direction in ["ASC", "DESC"] {
        let page = format!(
            "query($after: String, $before: String, $first: Int, $last: Int) {{ milestones(first: $first, last: $last, after: $after, before: $before, orderBy: [{{field: DONE_ON, direction: {direction}}}]) {{
                edges {{ node {{ id doneOn }} }} pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"
        );
        let everything = app.data(&page, json!({ "first": 100 }), &admin).await["milestones"].clone();
        let all = page_ids(&everything).0;
        assert_eq!(all.len(), 7);
        // NULLs come last in either direction.
        let done: Vec<Value> = nodes(&everything).iter().map(|n| n["doneOn"].clone()).collect();
        assert!(
            done[4..].iter().all(Value::is_null) && done[..4].iter().all(|d| !d.is_null()),
            "{direction}: {done:?}"
        );
        let mut forward = Vec::new();
        let mut after = Value::Null;
        loop {
            let (ids, info) =
                page_ids(&app.data(&page, json!({ "first": 2, "after": after }), &admin).await["milestones"]);
            forward.extend(ids);
            if info["hasNextPage"] == false {
                break;
            }
            after = info["endCursor"].clone();
        }
        assert_eq!(forward, all, "{direction}: forward pages");
        let mut backward = Vec::new();
        let mut before = Value::Null;
        loop {
            let (ids, info) =
                page_ids(&app.data(&page, json!({ "last": 2, "before": before }), &admin).await["milestones"]);
            backward.splice(0..0, ids);
            if info["hasPreviousPage"] == false {
                break;
            }
            before = info["startCursor"].clone();
        }
        assert_eq!(backward, all, "{direction}: backward pages");
    }
}

#[tokio::test]
async fn the_timeline_pages_by_keyset_both_ways() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let page = "query($after: String, $before: String, $first: Int, $last: Int) { timeline(first: $first, last: $last, after: $after, before: $before) {
        totalCount edges { node { kind date title } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";
    let entry = |n: &Value| format!("{} {} {}", n["date"], n["kind"], n["title"]);
    let everything = app.data(page, json!({ "first": 100 }), &admin).await["timeline"].clone();
    let all: Vec<String> = nodes(&everything).iter().map(entry).collect();
    assert!(all.len() > 6, "{everything}");
    assert_eq!(everything["totalCount"].as_u64().unwrap() as usize, all.len());
    let (mut forward, mut after) = (Vec::new(), Value::Null);
    loop {
        let data = app.data(page, json!({ "first": 4, "after": after }), &admin).await;
        forward.extend(nodes(&data["timeline"]).iter().map(entry));
        if data["timeline"]["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = data["timeline"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(forward, all);
    let (mut backward, mut before) = (Vec::new(), Value::Null);
    loop {
        let data = app.data(page, json!({ "last": 4, "before": before }), &admin).await;
        backward.splice(0..0, nodes(&data["timeline"]).iter().map(entry));
        if data["timeline"]["pageInfo"]["hasPreviousPage"] == false {
            break;
        }
        before = data["timeline"]["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backward, all);
    let (_, body) = app.post(page, json!({ "first": 2, "after": "b2Zmc2V0OjQ" }), Some(&admin)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "an old offset cursor was accepted: {body}");
}

/// The GraphiQL page loads only this server's own files, each with its integrity hash, and says
/// how it was built in; no CDN address appears in it.
#[tokio::test]
async fn graphiql_is_served_from_the_server_with_pinned_assets() {
    use base64::Engine as _;
    use sha2::Digest as _;
    let app = TestApp::spawn().await;
    let page = app.client.get(app.url("/graphql")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("script-src 'self'") && policy.contains("connect-src 'self'"), "{policy}");
    let html = page.text().await.unwrap();
    assert!(!html.contains("://"), "the page names another origin: {html}");
    let mut seen = Vec::new();
    for piece in html.split("/graphiql/").skip(1) {
        let name = piece.split('"').next().unwrap();
        let integrity = piece.split("integrity=\"").nth(1).unwrap().split('"').next().unwrap();
        let asset = app.client.get(app.url(&format!("/graphiql/{name}"))).send().await.unwrap();
        assert_eq!(asset.status(), 200, "{name}");
        assert!(asset.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        let bytes = asset.bytes().await.unwrap();
        let expected =
            format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(&bytes)));
        assert_eq!(integrity, expected, "{name}");
        seen.push(name.to_owned());
    }
    for wanted in ["react-18.3.1.min.js", "react-dom-18.3.1.min.js", "graphiql-3.9.0.min.js", "graphiql-3.9.0.min.css"]
    {
        assert!(seen.iter().any(|name| name == wanted), "{wanted} missing from {seen:?}");
    }
    assert!(seen.iter().any(|name| name.starts_with("start-") && name.ends_with(".js")), "{seen:?}");
    let missing = app.client.get(app.url("/graphiql/react-17.0.0.min.js")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

/// GraphiQL in a real headless Chromium (`tests/clients/graphiql.mjs`): with every request to
/// another origin refused, the page loads, takes a token in its Headers tab, shows the schema in
/// its Docs pane, runs a query over HTTP and a subscription over `/graphql/ws` that receives an
/// event caused meanwhile.
#[tokio::test]
async fn graphiql_runs_queries_docs_and_subscriptions_in_a_headless_browser() {
    use tokio::io::AsyncBufReadExt as _;
    let clients = test_clients_dir();
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let marker = "Raised from GraphiQL in a headless browser";
    let mut browser = tokio::process::Command::new("node")
        .arg(clients.join("graphiql.mjs"))
        .args([app.base.as_str(), admin.as_str(), marker])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node (Node.js 18+) is needed for the browser test");
    let mut lines = tokio::io::BufReader::new(browser.stdout.take().unwrap()).lines();
    let mut steps = std::collections::HashMap::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while let Some(line) =
        tokio::time::timeout_at(deadline.into(), lines.next_line()).await.expect("browser timed out").unwrap()
    {
        let step: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not a step: {line}"));
        let name = step["step"].as_str().unwrap().to_owned();
        if name == "subscribed" {
            wait_for_subscriptions(&app.base, 1).await;
            let versions = app.data("{ guideVersions(first: 1) { edges { node { id } } } }", json!({}), &admin).await;
            let input = json!({ "channel": "BILATERAL", "kind": "QUESTION", "body": marker, "country": "MAR",
                "guideVersion": nodes(&versions["guideVersions"])[0]["id"], "sections": ["II"], "receivedOn": "2021-03-01" });
            app.data(
                "mutation($i: SubmitFeedbackInput!) { submitFeedback(input: $i) { id } }",
                json!({ "i": input }),
                &admin,
            )
            .await;
        }
        steps.insert(name, step);
    }
    assert!(browser.wait().await.unwrap().success() && !steps.contains_key("failed"), "{steps:#?}");
    let done = &steps["done"];
    assert_eq!(done["foreignRequests"], json!([]), "the page asked another origin");
    assert_eq!(done["problems"], json!([]), "errors in the page");
    assert_eq!(steps["page"]["status"], 200);
    assert!(steps["docs"]["text"].as_str().unwrap().contains("activity"), "{:#?}", steps["docs"]);
    let me = steps["query"]["result"].as_str().unwrap();
    assert!(me.contains(ADMIN) && me.contains("ADMIN"), "{me}");
    assert!(steps["websocket"]["url"].as_str().unwrap().ends_with("/graphql/ws"));
    let sent = steps["subscribed"]["sent"].as_array().unwrap();
    let init: Value = serde_json::from_str(sent[0].as_str().unwrap()).unwrap();
    assert_eq!(init["type"], "connection_init");
    assert_eq!(init["payload"]["Authorization"], format!("Bearer {admin}"));
    let event = steps["event"]["result"].as_str().unwrap();
    assert!(event.contains("FEEDBACK_SUBMITTED") && event.contains(marker) && event.contains("MAR"), "{event}");
}

/// A guide version is `guideVersion` (or `guideVersions`) wherever an argument names one, and
/// `asOf`/`from`/`to` are days everywhere; the former names still work, marked deprecated, for one
/// release. Old and new names give the same answer, and giving both is refused on the old one.
#[tokio::test]
async fn renamed_arguments_keep_their_former_names_as_deprecated_aliases() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let versions = app
        .data(
            "{ guideVersions(filter: {document: GUIDE}, first: 10) { edges { node { id code } } } }",
            json!({}),
            &admin,
        )
        .await;
    let id_of = |code: &str| {
        nodes(&versions["guideVersions"]).into_iter().find(|v| v["code"] == code).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (draft, revised) = (id_of("2021-02-CHAMPIONS-DRAFT"), id_of("2021-11-REVISED"));

    // (query with the current names, the same with the former ones, variables)
    let pairs = [
        (
            "query($v: ID!) { section(code: \"I\", guideVersion: $v) { id code } }",
            "query($v: ID!) { section(code: \"I\", asOf: $v) { id code } }",
            json!({ "v": draft }),
        ),
        (
            "query($v: ID!) { sections(filter: {guideVersion: $v}) { totalCount } }",
            "query($v: ID!) { sections(filter: {presentInVersion: $v}) { totalCount } }",
            json!({ "v": draft }),
        ),
        (
            "query($v: ID!) { dashboard(filter: {guideVersion: $v}) { feedbackByStatus { status count } } }",
            "query($v: ID!) { dashboard(filter: {version: $v}) { feedbackByStatus { status count } } }",
            json!({ "v": draft }),
        ),
        (
            "query($v: ID!) { revisions(filter: {guideVersions: [$v]}) { totalCount } }",
            "query($v: ID!) { revisions(filter: {versions: [$v]}) { totalCount } }",
            json!({ "v": revised }),
        ),
        (
            "query($a: ID!, $b: ID!) { compareVersions(earlier: $a, later: $b) { a: earlier { code } b: later { code } revisions { summary } } }",
            "query($a: ID!, $b: ID!) { compareVersions(from: $a, to: $b) { a: from { code } b: to { code } revisions { summary } } }",
            json!({ "a": draft, "b": revised }),
        ),
    ];
    for (current, former, variables) in pairs {
        let now = app.data(current, variables.clone(), &admin).await;
        assert_eq!(now, app.data(former, variables, &admin).await, "{former}");
        assert!(!now.to_string().contains("null"), "{current}: {now}");
    }
    let revisions = app
        .data(
            "query($v: ID!) { revisions(filter: {guideVersions: [$v]}) { totalCount } }",
            json!({ "v": revised }),
            &admin,
        )
        .await;
    assert!(revisions["revisions"]["totalCount"].as_i64().unwrap() > 0, "the demo's revisions of {revised}");

    // Both names at once: refused on the former one, whatever the values.
    for (query, field) in [
        ("query($v: ID!) { section(code: \"I\", guideVersion: $v, asOf: $v) { id } }", "asOf"),
        (
            "query($v: ID!) { sections(filter: {guideVersion: $v, presentInVersion: $v}) { totalCount } }",
            "filter.presentInVersion",
        ),
        ("query($v: ID!) { compareVersions(earlier: $v, from: $v, later: $v) { revisions { id } } }", "from"),
    ] {
        let body = app.refused(query, json!({ "v": draft }), &admin).await;
        assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", field), "{query}: {body}");
    }
    let body = app
        .refused("query($v: ID!) { compareVersions(earlier: $v) { revisions { id } } }", json!({ "v": draft }), &admin)
        .await;
    assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "later"), "{body}");

    // recordRevision takes the version as `guideVersion`, or as the former `version`.
    let open = app
        .data(
            "mutation { createGuideVersion(input: {document: GUIDE, code: \"2023-REVISED\", label: \"Second revision\",
               plannedReleaseOn: \"2023-06-01\"}) { id } }",
            json!({}),
            &admin,
        )
        .await["createGuideVersion"]["id"]
        .clone();
    let record = "mutation($i: RecordRevisionInput!) { recordRevision(input: $i) { summary guideVersion { id } } }";
    for key in ["guideVersion", "version"] {
        let input = json!({ key: open, "kind": "REVISED", "summary": format!("Given as {key}") });
        let done = app.data(record, json!({ "i": input }), &admin).await;
        assert_eq!(done["recordRevision"]["guideVersion"]["id"], open, "{key}");
    }
    let body = app.refused(record, json!({ "i": { "kind": "REVISED", "summary": "No version" } }), &admin).await;
    assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "guideVersion"), "{body}");
    let body = app
        .refused(
            record,
            json!({ "i": { "guideVersion": open, "version": open, "kind": "REVISED", "summary": "Both" } }),
            &admin,
        )
        .await;
    assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "version"), "{body}");

    // Introspection marks each former name deprecated, with the name to use instead.
    let schema = app
        .data(
            r#"{ query: __type(name: "Query") { fields { name args(includeDeprecated: true) { name isDeprecated deprecationReason } } }
                 comparison: __type(name: "VersionComparison") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } }
                 section: __type(name: "SectionFilter") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } }
                 dashboard: __type(name: "DashboardFilter") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } }
                 revisions: __type(name: "RevisionFilter") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } }
                 record: __type(name: "RecordRevisionInput") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } }"#,
            json!({}),
            &admin,
        )
        .await;
    let query_args = |field: &str| -> Vec<Value> {
        schema["query"]["fields"].as_array().unwrap().iter().find(|f| f["name"] == field).unwrap()["args"]
            .as_array()
            .unwrap()
            .clone()
    };
    let deprecated = |list: Vec<Value>, name: &str, instead: &str| {
        let entry = list.into_iter().find(|v| v["name"] == name).unwrap_or_else(|| panic!("{name} is gone"));
        assert_eq!(entry["isDeprecated"], true, "{name}");
        assert!(entry["deprecationReason"].as_str().unwrap().contains(&format!("`{instead}`")), "{entry}");
    };
    let list = |key: &str, field: &str| schema[key][field].as_array().unwrap().clone();
    deprecated(query_args("section"), "asOf", "guideVersion");
    deprecated(query_args("compareVersions"), "from", "earlier");
    deprecated(query_args("compareVersions"), "to", "later");
    deprecated(list("comparison", "fields"), "from", "earlier");
    deprecated(list("comparison", "fields"), "to", "later");
    deprecated(list("section", "inputFields"), "presentInVersion", "guideVersion");
    deprecated(list("dashboard", "inputFields"), "version", "guideVersion");
    deprecated(list("revisions", "inputFields"), "versions", "guideVersions");
    deprecated(list("record", "inputFields"), "version", "guideVersion");
}

/// A document built to fail thousands of times gets the first hundred errors and a count of the
/// rest, as graphql-js's `validate` stops at 100, instead of a megabyte of answer.
#[tokio::test]
async fn a_response_lists_at_most_a_hundred_errors_and_counts_the_rest() {
    let app = TestApp::spawn().await;
    let unused: String = (0..1_500).map(|i| format!("fragment G{i} on Query {{ __typename }} ")).collect();
    let (status, body) = app.post(&format!("{{ ...G0 }} {unused}"), json!({}), None).await;
    assert_eq!(status, 200, "{body}");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 100);
    assert!(errors.iter().all(|e| e["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"), "{body}");
    assert!(errors[..99].iter().all(|e| e["message"].as_str().unwrap().ends_with("is never used")));
    assert_eq!(errors[99]["message"], "1400 more errors are not listed (at most 100 are reported)");

    // Past the selection budget as written, unused fragments are refused before validation.
    let unused: String = (0..5_000).map(|i| format!("fragment G{i} on Query {{ me {{ id }} }} ")).collect();
    let (status, body) = app.post(&format!("{{ ...G0 }} {unused}"), json!({}), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{body}");
    assert_eq!(body["errors"].as_array().unwrap().len(), 1);
}
