//! A graphql-transport-ws client for tests.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub type WsStream = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens `/graphql/ws` on `base` (an `http://host:port` address) with the graphql-transport-ws protocol.
pub async fn ws_connect_to(base: &str) -> WsStream {
    let mut request = format!("{}/graphql/ws", base.replace("http", "ws")).into_client_request().unwrap();
    request.headers_mut().insert("sec-websocket-protocol", "graphql-transport-ws".parse().unwrap());
    let (stream, response) = tokio_tungstenite::connect_async(request).await.expect("websocket upgrade");
    assert_eq!(response.headers()["sec-websocket-protocol"], "graphql-transport-ws");
    stream
}

pub async fn send_json(stream: &mut WsStream, message: Value) {
    stream.send(Message::Text(message.to_string().into())).await.unwrap();
}

/// The next JSON message within `wait`; `None` when the connection closed or nothing came.
pub async fn next_json_within(stream: &mut WsStream, wait: Duration) -> Option<Value> {
    loop {
        match tokio::time::timeout(wait, stream.next()).await.ok()?? {
            Ok(Message::Text(text)) => return Some(serde_json::from_str(&text).unwrap()),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
}

/// The next JSON message (waiting up to 10 s).
pub async fn next_json(stream: &mut WsStream) -> Option<Value> {
    next_json_within(stream, Duration::from_secs(10)).await
}

/// The close frame's code and reason, once the server closes the connection.
pub async fn close_frame(stream: &mut WsStream) -> Option<(u16, String)> {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.next()).await.expect("ws reply in time")? {
            Ok(Message::Close(frame)) => return frame.map(|f| (u16::from(f.code), f.reason.to_string())),
            Ok(_) => continue,
            Err(_) => return None,
        }
    }
}

/// Connects with `token`, waits for the ack, and starts `query` as subscription `id`.
pub async fn subscribe(base: &str, token: &str, id: &str, query: &str, variables: Value) -> WsStream {
    let mut stream = ws_connect_to(base).await;
    send_json(
        &mut stream,
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }),
    )
    .await;
    assert_eq!(next_json(&mut stream).await.expect("ack")["type"], "connection_ack");
    send_json(
        &mut stream,
        json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } }),
    )
    .await;
    stream
}

/// The payload `data` of the next `next` message; panics on anything else.
pub async fn next_event(stream: &mut WsStream) -> Value {
    let message = next_json(stream).await.expect("an event in time");
    assert_eq!(message["type"], "next", "{message}");
    assert!(message["payload"].get("errors").is_none(), "{message}");
    message["payload"]["data"].clone()
}

/// Waits until the server at `base` reports `n` open `activity` subscriptions, so a test's
/// mutations cannot run before its subscriber is listening.
pub async fn wait_for_subscriptions(base: &str, n: usize) {
    let client = reqwest::Client::new();
    for _ in 0..200 {
        let text = client.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
        let open: usize = text
            .lines()
            .find_map(|line| line.strip_prefix("champion_tracker_activity_subscriptions "))
            .and_then(|v| v.trim().parse().ok())
            .expect("subscription gauge in /metrics");
        if open >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{n} subscriptions never opened on {base}");
}
