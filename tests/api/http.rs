//! The HTTP surface: endpoints, content negotiation, bad requests, batching, WebSocket.

use crate::common::ws::*;
use crate::common::*;
use futures_util::SinkExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn health_ready_schema_and_metrics() {
    let app = TestApp::spawn().await;
    let health = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.json::<Value>().await.unwrap()["status"], "ok");
    let ready = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().await.unwrap()["status"], "ready");
    let sdl = app.client.get(app.url("/schema.graphql")).send().await.unwrap().text().await.unwrap();
    assert!(sdl.contains("interface Node"));
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("champion_tracker_db_statements_total"));
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let response = app.client.get(app.url("/health")).send().await.unwrap();
    let generated = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(generated.len(), 36, "a UUID");
    let response = app.client.get(app.url("/health")).header("x-request-id", "trace-abc-123").send().await.unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-abc-123");
}

#[tokio::test]
async fn malformed_json_is_a_coded_400() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(r#"{"query": "{ me { email } }""#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_REQUEST");
}

#[tokio::test]
async fn wrong_content_type_is_a_coded_415() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "text/plain")
        .body(r#"{"query": "{ me { email } }"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "UNSUPPORTED_MEDIA_TYPE");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = TestApp::spawn_with(Options { max_body_bytes: 4096, ..Options::default() }).await;
    let padding = "x".repeat(10_000);
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": format!("{{ me {{ email }} }} # {padding}") }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn unknown_fields_and_parse_errors_are_coded() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (status, body) = app.post("{ countries { bogus } }", json!({}), Some(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("bogus"));

    let (_, body) = app.post("{ countries { ", json!({}), Some(&token)).await;
    assert_eq!(error_code(&body), "GRAPHQL_PARSE_FAILED");

    // With the GraphQL-over-HTTP media type, a request that cannot run is a 400.
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ countries { bogus } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["content-type"], "application/graphql-response+json");

    // …but a request that ran and was refused by a guard is a 200 with a coded error.
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ me { email } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(error_code(&response.json::<Value>().await.unwrap()), "UNAUTHENTICATED");
}

#[tokio::test]
async fn unknown_routes_and_methods_get_coded_json() {
    let app = TestApp::spawn().await;
    let response = app.client.get(app.url("/nowhere")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(error_code(&response.json::<Value>().await.unwrap()), "NOT_FOUND");
    let response = app.client.put(app.url("/graphql")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(error_code(&response.json::<Value>().await.unwrap()), "METHOD_NOT_ALLOWED");
}

#[tokio::test]
async fn get_runs_queries_but_not_mutations_and_serves_graphiql() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "query($c: String!) { country(iso3: $c) { name } }"), ("variables", r#"{"c": "GHA"}"#)])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["data"]["country"]["name"], "Ghana");

    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", r#"mutation { login(email: "a@b.c", password: "x") { token } }"#)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(error_code(&response.json::<Value>().await.unwrap()), "METHOD_NOT_ALLOWED");

    let page = app.client.get(app.url("/graphql")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().to_lowercase().contains("graphiql"));
}

#[tokio::test]
async fn batches_run_each_operation_and_are_capped() {
    let app = TestApp::spawn_with(Options { max_batch_size: 3, ..Options::default() }).await;
    let token = app.admin_token().await;
    let batch = json!([
        { "query": r#"{ country(iso3: "MAR") { name } }"# },
        { "query": r#"{ section(code: "OBJ-01") { kind } }"# },
    ]);
    let response = app.client.post(app.url("/graphql")).bearer_auth(&token).json(&batch).send().await.unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body[0]["data"]["country"]["name"], "Morocco");
    assert_eq!(body[1]["data"]["section"]["kind"], "OBJECTIVE");

    let too_many: Vec<Value> = (0..4).map(|_| json!({ "query": "{ me { email } }" })).collect();
    let response = app.client.post(app.url("/graphql")).bearer_auth(&token).json(&too_many).send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(error_code(&response.json::<Value>().await.unwrap()), "BATCH_TOO_LARGE");
}

async fn ws_connect(app: &TestApp) -> WsStream {
    ws_connect_to(&app.base).await
}

#[tokio::test]
async fn websocket_authenticates_in_connection_init() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_MAR).await;
    let mut ws = ws_connect(&app).await;
    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
    ws.send(Message::Text(init.to_string().into())).await.unwrap();
    assert_eq!(next_json(&mut ws).await.unwrap()["type"], "connection_ack");
    let subscribe =
        json!({ "id": "1", "type": "subscribe", "payload": { "query": "{ me { email country { iso3 } } }" } });
    ws.send(Message::Text(subscribe.to_string().into())).await.unwrap();
    let next = next_json(&mut ws).await.unwrap();
    assert_eq!(next["type"], "next");
    assert_eq!(next["payload"]["data"]["me"]["email"], CHAMPION_MAR);
    assert_eq!(next["payload"]["data"]["me"]["country"]["iso3"], "MAR");
    assert_eq!(next_json(&mut ws).await.unwrap()["type"], "complete");

    // Without a token the connection is refused at init: nothing is open to anonymous callers.
    let mut ws = ws_connect(&app).await;
    ws.send(Message::Text(json!({ "type": "connection_init" }).to_string().into())).await.unwrap();
    let (code, reason) = close_frame(&mut ws).await.expect("close frame");
    assert_eq!(code, 1002);
    assert!(reason.contains("Authentication required"), "{reason}");

    // A bad token closes the connection at init.
    let mut ws = ws_connect(&app).await;
    let init = json!({ "type": "connection_init", "payload": { "authorization": "Bearer forged" } });
    ws.send(Message::Text(init.to_string().into())).await.unwrap();
    // async-graphql closes a refused `connection_init` with 1002 and the error's message.
    let (code, reason) = close_frame(&mut ws).await.expect("close frame");
    assert_eq!(code, 1002);
    assert!(reason.contains("Authentication required"), "{reason}");
}

#[tokio::test]
async fn query_depth_and_complexity_are_capped_before_execution() {
    let limits = graphql::Limits { max_depth: 6, max_complexity: 200, max_aliases: 5, ..graphql::Limits::default() };
    let app = TestApp::spawn_with(Options { limits, ..Options::default() }).await;
    let token = app.admin_token().await;
    let statements_before = app.statements().await;

    let deep = r#"{ section(code: "I") { children { children { parent { parent { children { code } } } } } } }"#;
    let (status, body) = app.post(deep, json!({}), Some(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), "QUERY_TOO_DEEP");
    assert!(body["errors"][0]["message"].as_str().unwrap().to_lowercase().contains("too deep"), "{body}");

    // 100 rows × several fields each is far above 200, although the query itself is short.
    let wide = "{ sections(first: 100) { edges { node { code title kind position summary } } } }";
    let (_, body) = app.post(wide, json!({}), Some(&token)).await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX");
    assert!(body["errors"][0]["message"].as_str().unwrap().to_lowercase().contains("complex"), "{body}");
    let aliases: String = (0..6).map(|i| format!("a{i}: me {{ email }} ")).collect();
    let (_, body) = app.post(&format!("{{ {aliases} }}"), json!({}), Some(&token)).await;
    assert_eq!(error_code(&body), "TOO_MANY_ALIASES", "{body}");
    // Refused before any database work beyond authenticating the caller (one statement each).
    assert_eq!(app.statements().await - statements_before, 3);

    let small = "{ sections(first: 5) { edges { node { code title } } } }";
    let data = app.data(small, json!({}), &token).await;
    assert_eq!(nodes(&data["sections"]).len(), 5);
}

#[tokio::test]
async fn abusive_requests_are_refused_while_a_normal_client_keeps_its_answers() {
    let app = TestApp::spawn_with(Options { max_body_bytes: 64 * 1024, ..Options::default() }).await;
    let token = app.admin_token().await;
    let deep = format!("{{ section(code: \"I\") {} }}", "{ children ".repeat(20) + "{ code }" + &" }".repeat(20));
    let aliases: String = (0..200).map(|i| format!("a{i}: countries(first: 100) {{ totalCount }} ")).collect();
    let huge = "x".repeat(200_000);
    let abusive = async {
        let mut refused = 0;
        for round in 0..20 {
            let body = match round % 4 {
                0 => json!({ "query": deep }),
                1 => json!({ "query": format!("{{ {aliases} }}") }),
                2 => json!({ "query": format!("{{ me {{ email }} }} # {huge}") }),
                _ => Value::Array((0..50).map(|_| json!({ "query": "{ me { email } }" })).collect()),
            };
            let response = app.client.post(app.url("/graphql")).bearer_auth(&token).json(&body).send().await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            assert!(status == 400 || status == 413 || text.contains("\"errors\""), "refused: {status} {text}");
            refused += 1;
        }
        refused
    };
    let normal = async {
        let mut answered = 0;
        for _ in 0..20 {
            let data = app.data(r#"{ country(iso3: "GHA") { name } }"#, json!({}), &token).await;
            assert_eq!(data["country"]["name"], "Ghana");
            answered += 1;
        }
        answered
    };
    let (refused, answered) = tokio::join!(abusive, normal);
    assert_eq!((refused, answered), (20, 20));
}

#[tokio::test]
async fn a_websocket_is_closed_when_its_token_expires() {
    use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let me = app.data("{ me { id } }", json!({}), &admin).await;
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(me["me"]["id"].as_str().unwrap()).unwrap();
    let user_id = String::from_utf8(raw).unwrap().split(':').nth(1).unwrap().to_owned();
    let now = chrono::Utc::now().timestamp();
    let claims = json!({ "sub": user_id, "role": "ADMIN", "iat": now, "nbf": now, "exp": now + 2, "iss": ISSUER, "aud": AUDIENCE });
    let short_lived =
        encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(TEST_SECRET.as_bytes())).unwrap();

    let mut ws = ws_connect(&app).await;
    let init = json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {short_lived}") } });
    ws.send(Message::Text(init.to_string().into())).await.unwrap();
    assert_eq!(next_json(&mut ws).await.unwrap()["type"], "connection_ack");
    let started = std::time::Instant::now();
    // Nothing more is sent to us; the server ends the connection once the token has expired.
    assert!(next_json(&mut ws).await.is_none());
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(900) && waited < std::time::Duration::from_secs(8),
        "{waited:?}"
    );
}

#[tokio::test]
async fn introspection_can_be_switched_off() {
    let limits = graphql::Limits { introspection: false, ..graphql::Limits::default() };
    let app = TestApp::spawn_with(Options { limits, ..Options::default() }).await;
    let token = app.admin_token().await;
    let (_, body) = app.post("{ __schema { queryType { name } } }", json!({}), Some(&token)).await;
    assert!(body["data"]["__schema"].is_null(), "{body}");
    let response = app.client.get(app.url("/schema.graphql")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    // Ordinary queries still work.
    app.data("{ me { email } }", json!({}), &token).await;
}

#[tokio::test]
async fn a_websocket_is_closed_soon_after_its_account_is_deactivated() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let lead = app.login(WG_LEAD).await;
    let mut ws = ws_connect(&app).await;
    let init = json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {lead}") } });
    ws.send(Message::Text(init.to_string().into())).await.unwrap();
    assert_eq!(next_json(&mut ws).await.unwrap()["type"], "connection_ack");
    let id = app
        .data(r#"{ users(filter: {role: {eq: WG_LEAD}}) { edges { node { id version } } } }"#, json!({}), &admin)
        .await;
    let user = &nodes(&id["users"])[0];
    app.data(
        "mutation($id: ID!, $v: Int!) { deactivateUser(id: $id, expectedVersion: $v) { active } }",
        json!({ "id": user["id"], "v": user["version"] }),
        &admin,
    )
    .await;
    let started = std::time::Instant::now();
    assert!(next_json(&mut ws).await.is_none(), "connection closed");
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
}
