//! Live activity over `/graphql/ws`: subscribers receive the events of mutations with the changed
//! record, only what they may read, and — on PostgreSQL — from every server instance.

use std::time::Duration;

use crate::common::ws::*;
use crate::common::*;
use serde_json::{Value, json};

const ACTIVITY: &str = r#"subscription($filter: ActivityFilter) { activity(filter: $filter) {
    kind entityId deleted country { iso3 }
    feedback { id body status } plannedUse { id status } roleAssignment { id role status }
    revision { id summary } guideVersion { code isReleased } milestone { id status } } }"#;

async fn version_id(app: &TestApp, token: &str, code: &str) -> Value {
    let data = app
        .data(
            "query($c: String!) { guideVersions(filter: {document: GUIDE, code: {eq: $c}}) { edges { node { id } } } }",
            json!({ "c": code }),
            token,
        )
        .await;
    nodes(&data["guideVersions"])[0]["id"].clone()
}

async fn submit(app: &TestApp, token: &str, version: &Value, source: Value, body: &str) -> Value {
    let mut input = json!({ "channel": "BILATERAL", "kind": "QUESTION", "body": body, "guideVersion": version,
        "sections": ["II"], "receivedOn": "2021-03-01" });
    input.as_object_mut().unwrap().extend(source.as_object().unwrap().clone());
    app.data(
        "mutation($i: SubmitFeedbackInput!) { submitFeedback(input: $i) { id version } }",
        json!({ "i": input }),
        token,
    )
    .await["submitFeedback"]
        .clone()
}

/// Asserts nothing more arrives for a moment: what a subscriber may not read never reaches it.
async fn assert_quiet(stream: &mut WsStream) {
    let extra = next_json_within(stream, Duration::from_millis(400)).await;
    assert!(extra.is_none(), "unexpected message: {extra:?}");
}

#[tokio::test]
async fn a_subscriber_receives_each_kind_of_activity_with_the_changed_record() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let lead = app.login(WG_LEAD).await;
    let mut stream = subscribe(&app.base, &lead, "1", ACTIVITY, json!({})).await;
    if let Some(early) = next_json_within(&mut stream, Duration::from_millis(300)).await {
        panic!("{early}");
    }
    wait_for_subscriptions(&app.base, 1).await;
    let draft = version_id(&app, &admin, "2021-02-CHAMPIONS-DRAFT").await;

    let feedback = submit(&app, &admin, &draft, json!({ "country": "MAR" }), "Clarify step 2").await;
    let event = next_event(&mut stream).await["activity"].clone();
    assert_eq!(event["kind"], "FEEDBACK_SUBMITTED");
    assert_eq!(event["entityId"], feedback["id"]);
    assert_eq!(event["country"]["iso3"], "MAR");
    assert_eq!(event["feedback"], json!({ "id": feedback["id"], "body": "Clarify step 2", "status": "RECEIVED" }));

    app.data(
        r#"mutation($id: ID!, $v: Int!) { setFeedbackStatus(id: $id, status: UNDER_REVIEW, expectedVersion: $v) { id } }"#,
        json!({ "id": feedback["id"], "v": feedback["version"] }),
        &lead,
    )
    .await;
    let event = next_event(&mut stream).await["activity"].clone();
    assert_eq!(
        (event["kind"].as_str(), event["feedback"]["status"].as_str()),
        (Some("FEEDBACK_TRIAGED"), Some("UNDER_REVIEW"))
    );

    let role = app
        .data(
            r#"mutation { assignRole(input: {country: "PRT", role: CONVENOR, status: ACTIVE, startedOn: "2022-01-01"}) { id version } }"#,
            json!({}),
            &admin,
        )
        .await["assignRole"]
        .clone();
    let event = next_event(&mut stream).await["activity"].clone();
    assert_eq!(event["kind"], "ROLE_ASSIGNED");
    assert_eq!(event["roleAssignment"], json!({ "id": role["id"], "role": "CONVENOR", "status": "ACTIVE" }));
    app.data(
        r#"mutation($id: ID!, $v: Int!) { endRole(id: $id, endedOn: "2022-06-30", expectedVersion: $v) { id } }"#,
        json!({ "id": role["id"], "v": role["version"] }),
        &admin,
    )
    .await;
    let event = next_event(&mut stream).await["activity"].clone();
    assert_eq!(
        (event["kind"].as_str(), event["roleAssignment"]["status"].as_str()),
        (Some("ROLE_ENDED"), Some("COMPLETED"))
    );

    let planned = app
        .data(r#"mutation { createPlannedUse(input: {country: "MAR", kind: TRAINING, description: "Train staff"}) { id } }"#, json!({}), &admin)
        .await["createPlannedUse"]["id"]
        .clone();
    let event = next_event(&mut stream).await["activity"].clone();
    assert_eq!((event["kind"].as_str(), &event["plannedUse"]["id"]), (Some("PLANNED_USE_CHANGED"), &planned));
    app.data("mutation($id: ID!) { deletePlannedUse(id: $id) }", json!({ "id": planned }), &admin).await;
    let event = next_event(&mut stream).await["activity"].clone();
    assert_eq!(event["kind"], "PLANNED_USE_CHANGED");
    assert_eq!(
        (event["deleted"].as_bool(), &event["entityId"], &event["plannedUse"]),
        (Some(true), &planned, &Value::Null)
    );

    // A revision that answers the feedback: the revision, then the feedback's new status.
    let print = version_id(&app, &admin, "2022-FINAL-PRINT").await;
    let revision = app
        .data(
            "mutation($i: RecordRevisionInput!) { recordRevision(input: $i) { id } }",
            json!({ "i": { "guideVersion": print, "kind": "REVISED", "summary": "Step 2 clarified",
                "sections": [{ "change": "REVISED", "code": "STEP-2" }],
                "feedback": [{ "feedback": feedback["id"], "disposition": "ACCEPTED" }] } }),
            &lead,
        )
        .await["recordRevision"]["id"]
        .clone();
    let event = next_event(&mut stream).await["activity"].clone();
    assert_eq!((event["kind"].as_str(), &event["revision"]["id"]), (Some("REVISION_RECORDED"), &revision));
    let event = next_event(&mut stream).await["activity"].clone();
    assert_eq!(
        (event["kind"].as_str(), event["feedback"]["status"].as_str()),
        (Some("FEEDBACK_TRIAGED"), Some("ACCEPTED"))
    );

    let milestone = app
        .data(r#"mutation { createMilestone(input: {title: "Briefing pack", dueOn: "2030-01-15"}) { id version status } }"#, json!({}), &admin)
        .await["createMilestone"]
        .clone();
    let next_status = "AT_RISK";
    app.data(
        "mutation($id: ID!, $v: Int!, $s: MilestoneStatus!) { updateMilestone(id: $id, input: {status: $s}, expectedVersion: $v) { id } }",
        json!({ "id": milestone["id"], "v": milestone["version"], "s": next_status }),
        &admin,
    )
    .await;
    let event = next_event(&mut stream).await["activity"].clone();
    assert_eq!(event["kind"], "MILESTONE_STATUS_CHANGED");
    assert_eq!(event["milestone"], json!({ "id": milestone["id"], "status": next_status }));

    // Releasing the online version: the demo's pending revision must be DONE first.
    let online = version_id(&app, &admin, "2022-02-ONLINE").await;
    let state = app
        .data(
            "query($v: ID!) { node(id: $v) { ... on GuideVersion { version revisions { id version summary } } } }",
            json!({ "v": online }),
            &lead,
        )
        .await["node"]
        .clone();
    let pending = &state["revisions"][0];
    app.data(
        "mutation($id: ID!, $v: Int!, $s: String!) { updateRevision(id: $id, input: {kind: LAYOUT, status: DONE, summary: $s, decidedOn: \"2021-11-03\"}, expectedVersion: $v) { id } }",
        json!({ "id": pending["id"], "v": pending["version"], "s": pending["summary"] }),
        &lead,
    )
    .await;
    app.data(
        "mutation($id: ID!, $v: Int!) { releaseVersion(id: $id, expectedVersion: $v) { id } }",
        json!({ "id": online, "v": state["version"] }),
        &lead,
    )
    .await;
    let event = next_event(&mut stream).await["activity"].clone();
    assert_eq!(event["kind"], "VERSION_RELEASED");
    assert_eq!(event["guideVersion"], json!({ "code": "2022-02-ONLINE", "isReleased": true }));
    let event = next_event(&mut stream).await["activity"].clone();
    assert_eq!(
        (event["kind"].as_str(), event["feedback"]["status"].as_str()),
        (Some("FEEDBACK_TRIAGED"), Some("ADDRESSED"))
    );
    assert_quiet(&mut stream).await;
}

#[tokio::test]
async fn a_champion_subscriber_never_receives_another_countrys_events() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let champion = app.login(CHAMPION_MAR).await;
    let filter = json!({ "filter": { "kinds": ["FEEDBACK_SUBMITTED", "FEEDBACK_TRIAGED", "PLANNED_USE_CHANGED"] } });
    let mut stream = subscribe(&app.base, &champion, "1", ACTIVITY, filter).await;
    wait_for_subscriptions(&app.base, 1).await;
    let draft = version_id(&app, &admin, "2021-02-CHAMPIONS-DRAFT").await;

    // El Salvador's feedback and planned use (created, changed, deleted) never reach Morocco…
    let slv = submit(&app, &admin, &draft, json!({ "country": "SLV" }), "From El Salvador").await;
    app.data(
        "mutation($id: ID!, $v: Int!) { setFeedbackStatus(id: $id, status: UNDER_REVIEW, expectedVersion: $v) { id } }",
        json!({ "id": slv["id"], "v": slv["version"] }),
        &admin,
    )
    .await;
    let use_id = app
        .data(
            r#"mutation { createPlannedUse(input: {country: "SLV", kind: TRAINING, description: "x"}) { id } }"#,
            json!({}),
            &admin,
        )
        .await["createPlannedUse"]["id"]
        .clone();
    app.data("mutation($id: ID!) { deletePlannedUse(id: $id) }", json!({ "id": use_id }), &admin).await;
    submit(&app, &admin, &draft, json!({ "stakeholder": stakeholder(&app, &admin).await }), "From a stakeholder").await;
    // …while its own and the collective ones do, in order.
    let own = submit(&app, &admin, &draft, json!({ "country": "MAR" }), "From Morocco").await;
    let collective = submit(&app, &admin, &draft, json!({ "collective": "Champions" }), "From the Champions").await;
    let first = next_event(&mut stream).await["activity"].clone();
    assert_eq!((&first["entityId"], first["feedback"]["body"].as_str()), (&own["id"], Some("From Morocco")));
    let second = next_event(&mut stream).await["activity"].clone();
    assert_eq!(second["entityId"], collective["id"]);
    assert_quiet(&mut stream).await;

    // A country filter narrows further; the admin's subscription sees El Salvador's.
    let mut admin_stream = subscribe(
        &app.base,
        &admin,
        "2",
        ACTIVITY,
        json!({ "filter": { "country": "SLV", "kinds": ["FEEDBACK_SUBMITTED"] } }),
    )
    .await;
    wait_for_subscriptions(&app.base, 2).await;
    submit(&app, &admin, &draft, json!({ "country": "MAR" }), "Morocco again").await;
    let slv_again = submit(&app, &admin, &draft, json!({ "country": "SLV" }), "El Salvador again").await;
    assert_eq!(next_event(&mut admin_stream).await["activity"]["entityId"], slv_again["id"]);
    assert_quiet(&mut admin_stream).await;
    assert_eq!(next_event(&mut stream).await["activity"]["feedback"]["body"], "Morocco again");
    assert_quiet(&mut stream).await;
}

async fn stakeholder(app: &TestApp, token: &str) -> Value {
    let data = app.data("{ stakeholders(first: 1) { edges { node { id } } } }", json!({}), token).await;
    nodes(&data["stakeholders"])[0]["id"].clone()
}

#[tokio::test]
async fn subscribing_needs_a_valid_filter() {
    let app = TestApp::spawn().await;
    let lead = app.login(WG_LEAD).await;
    let mut stream = subscribe(&app.base, &lead, "1", ACTIVITY, json!({ "filter": { "country": "XYZ" } })).await;
    let message = next_json(&mut stream).await.expect("an answer");
    let error = &message["payload"]["errors"][0];
    assert_eq!(
        (error["extensions"]["code"].as_str(), error["extensions"]["field"].as_str()),
        (Some("NOT_FOUND"), Some("filter.country")),
        "{message}"
    );
    assert_eq!(next_json(&mut stream).await.expect("the end")["type"], "complete");
}

/// A second server instance, run as its own process of the release under test.
struct ServerProcess {
    child: tokio::process::Child,
    base: String,
}

impl ServerProcess {
    async fn start(database_url: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_champion-tracker"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", database_url)
            .env("JWT_SECRET", TEST_SECRET)
            .env("JWT_ISSUER", ISSUER)
            .env("JWT_AUDIENCE", AUDIENCE)
            .env("LOG_LEVEL", "warn")
            .kill_on_drop(true)
            .spawn()
            .expect("second server starts");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if client.get(format!("{base}/ready")).send().await.is_ok_and(|r| r.status() == 200) {
                return Self { child, base };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the second server never became ready");
    }

    async fn data(&self, query: &str, variables: Value, token: &str) -> Value {
        let body: Value = reqwest::Client::new()
            .post(format!("{}/graphql", self.base))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(body.get("errors").is_none(), "{body}");
        body["data"].clone()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// Two server processes on one PostgreSQL database: what is changed through one reaches the
/// subscribers of the other (LISTEN/NOTIFY), once each. SQLite is one process by design.
#[tokio::test]
async fn activity_reaches_subscribers_on_every_instance() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        eprintln!("skipped: several instances need PostgreSQL (set TEST_DATABASE_URL)");
        return;
    }
    let first = TestApp::spawn().await;
    let second = ServerProcess::start(&first.database_url).await;
    let lead = first.login(WG_LEAD).await;
    let admin = first.admin_token().await;
    let draft = version_id(&first, &admin, "2021-02-CHAMPIONS-DRAFT").await;
    let kinds = json!({ "filter": { "kinds": ["FEEDBACK_SUBMITTED"] } });

    let mut on_first = subscribe(&first.base, &lead, "1", ACTIVITY, kinds.clone()).await;
    let mut on_second = subscribe(&second.base, &lead, "1", ACTIVITY, kinds).await;
    wait_for_subscriptions(&first.base, 1).await;
    wait_for_subscriptions(&second.base, 1).await;

    // Through the second instance…
    let input = json!({ "i": { "country": "MAR", "channel": "BILATERAL", "kind": "QUESTION", "body": "Via the second",
        "guideVersion": draft, "sections": ["II"], "receivedOn": "2021-03-01" } });
    let made = second
        .data("mutation($i: SubmitFeedbackInput!) { submitFeedback(input: $i) { id } }", input, &admin)
        .await["submitFeedback"]["id"]
        .clone();
    assert_eq!(next_event(&mut on_first).await["activity"]["entityId"], made);
    assert_eq!(next_event(&mut on_second).await["activity"]["entityId"], made);
    // …and through the first.
    let made = submit(&first, &admin, &draft, json!({ "country": "SLV" }), "Via the first").await["id"].clone();
    assert_eq!(next_event(&mut on_second).await["activity"]["feedback"]["body"], "Via the first");
    assert_eq!(next_event(&mut on_first).await["activity"]["entityId"], made);
    assert_quiet(&mut on_first).await;
    assert_quiet(&mut on_second).await;
}
