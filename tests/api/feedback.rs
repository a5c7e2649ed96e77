//! Feedback: submitted by Champions for their own country, triaged by working-group leads,
//! read only by those who may.

use crate::common::*;
use entity::{feedback, feedback_section};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

const SUBMIT: &str = r#"mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) {
    id status body language channel kind receivedOn version collective
    country { iso3 } guideVersion { code } sections { code } submittedBy { email } } }"#;
const SET_STATUS: &str = r#"mutation($id: ID!, $status: FeedbackStatus!, $response: String, $v: Int!) {
    setFeedbackStatus(id: $id, status: $status, response: $response, expectedVersion: $v) { status response respondedAt version } }"#;

/// Global id of a guide version by document and code.
async fn version_id(app: &TestApp, token: &str, document: &str, code: &str) -> Value {
    let data = app
        .data(
            "query($d: DocumentKind!) { guideVersions(filter: {document: $d}) { edges { node { id code } } } }",
            json!({ "d": document }),
            token,
        )
        .await;
    nodes(&data["guideVersions"]).into_iter().find(|v| v["code"] == code).unwrap()["id"].clone()
}

fn input(version: &Value, extra: Value) -> Value {
    let mut input = json!({
        "country": "MAR", "channel": "TECHNICAL_DISCUSSION", "kind": "SUGGESTION",
        "body": "Clarify that the six steps need not be followed in order.", "guideVersion": version,
        "sections": ["STEP-3", "INTRO"], "receivedOn": "2021-02-15",
    });
    for (key, value) in extra.as_object().unwrap() {
        if value.is_null() {
            input.as_object_mut().unwrap().remove(key);
        } else {
            input[key] = value.clone();
        }
    }
    input
}

async fn counts(app: &TestApp) -> (u64, u64) {
    (
        feedback::Entity::find().count(&app.db).await.unwrap(),
        feedback_section::Entity::find().count(&app.db).await.unwrap(),
    )
}

#[tokio::test]
async fn a_champion_submits_feedback_for_its_own_country() {
    let app = TestApp::spawn().await;
    let champion = app.login(CHAMPION_MAR).await;
    let version = version_id(&app, &champion, "GUIDE", "2021-02-CHAMPIONS-DRAFT").await;
    let created = app.data(SUBMIT, json!({ "input": input(&version, json!({ "language": "FR" })) }), &champion).await;
    let created = &created["submitFeedback"];
    assert_eq!(created["status"], "RECEIVED");
    assert_eq!(created["country"]["iso3"], "MAR");
    assert_eq!(created["guideVersion"]["code"], "2021-02-CHAMPIONS-DRAFT");
    assert_eq!(created["language"], "fr");
    assert_eq!(created["receivedOn"], "2021-02-15");
    assert_eq!(created["submittedBy"]["email"], CHAMPION_MAR);
    let codes: Vec<&str> =
        created["sections"].as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 2);
    assert!(codes.contains(&"STEP-3") && codes.contains(&"INTRO"));

    // Stored as returned.
    let rows = feedback::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].body, "Clarify that the six steps need not be followed in order.");
    assert_eq!(counts(&app).await, (1, 2));

    // Reachable from its country and its sections.
    let nested = app
        .data(
            r#"{ country(iso3: "MAR") { feedback { id } } section(code: "STEP-3") { feedback { id } } }"#,
            json!({}),
            &champion,
        )
        .await;
    assert_eq!(nested["country"]["feedback"][0]["id"], created["id"]);
    assert_eq!(nested["section"]["feedback"][0]["id"], created["id"]);
}

#[tokio::test]
async fn invalid_feedback_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let guide_feb = version_id(&app, &admin, "GUIDE", "2021-02-CHAMPIONS-DRAFT").await;
    let before = counts(&app).await;
    let missing_version = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("GuideVersion:99999")
    };
    let cases = [
        (json!({ "sections": ["III.A"] }), "BAD_USER_INPUT", "sections.0"), // added only in the revised version
        (json!({ "sections": ["STEP-1", "OBJ-07"] }), "BAD_USER_INPUT", "sections.1"), // a Booklet section
        (json!({ "sections": ["IX.Z"] }), "NOT_FOUND", "sections.0"),
        (json!({ "sections": [] }), "BAD_USER_INPUT", "sections"),
        (json!({ "body": "   " }), "BAD_USER_INPUT", "body"),
        (json!({ "body": "x".repeat(20_001) }), "BAD_USER_INPUT", "body"),
        (json!({ "guideVersion": missing_version }), "NOT_FOUND", "guideVersion"),
        (json!({ "guideVersion": "garbage" }), "BAD_USER_INPUT", "guideVersion"),
        (json!({ "collective": "Champions" }), "BAD_USER_INPUT", "country"),
        (json!({ "country": null }), "BAD_USER_INPUT", "country"),
        (json!({ "country": "XYZ" }), "NOT_FOUND", "country"),
        (json!({ "receivedOn": "2099-01-01" }), "BAD_USER_INPUT", "receivedOn"),
        (json!({ "receivedOn": "2021-02-30" }), "BAD_USER_INPUT", "input.receivedOn"),
        (json!({ "language": "french" }), "BAD_USER_INPUT", "language"),
        (json!({ "channel": "CARRIER_PIGEON" }), "BAD_USER_INPUT", "input.channel"),
        (json!({ "channel": "PILOT" }), "BAD_USER_INPUT", "pilot"),
        (json!({ "channel": "EVENT" }), "BAD_USER_INPUT", "event"),
    ];
    for (extra, code, field) in cases {
        let (_, body) = app.post(SUBMIT, json!({ "input": input(&guide_feb, extra.clone()) }), Some(&admin)).await;
        assert_eq!(error_code(&body), code, "{extra}: {body}");
        assert_eq!(error_field(&body), field, "{extra}: {body}");
        assert_eq!(counts(&app).await, before, "nothing written for {extra}");
    }
}

#[tokio::test]
async fn only_the_right_people_submit_and_triage() {
    let app = TestApp::spawn().await;
    let champion = app.login(CHAMPION_MAR).await;
    let lead = app.login(WG_LEAD).await;
    let version = version_id(&app, &champion, "GUIDE", "2021-02-CHAMPIONS-DRAFT").await;

    // A Champion writes for its own country only; a working-group lead does not author feedback.
    for (token, extra) in [
        (&champion, json!({ "country": "SLV" })),
        (&champion, json!({ "country": null, "collective": "Champions" })),
        (&lead, json!({})),
    ] {
        let (_, body) = app.post(SUBMIT, json!({ "input": input(&version, extra) }), Some(token)).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    }
    assert_eq!(counts(&app).await, (0, 0));

    let created =
        app.data(SUBMIT, json!({ "input": input(&version, json!({})) }), &champion).await["submitFeedback"].clone();
    let id = created["id"].clone();

    // The Champion cannot triage its own feedback.
    let (_, body) = app
        .post(SET_STATUS, json!({ "id": id, "status": "ACCEPTED", "response": "ok", "v": 1 }), Some(&champion))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");

    // A decision needs a response.
    let (_, body) = app.post(SET_STATUS, json!({ "id": id, "status": "ACCEPTED", "v": 1 }), Some(&lead)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "response");
    let stored = feedback::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!((stored.status, stored.version), (feedback::FeedbackStatus::Received, 1));

    let triaged = app
        .data(
            SET_STATUS,
            json!({ "id": id, "status": "ACCEPTED", "response": "Revised text in the November draft.", "v": 1 }),
            &lead,
        )
        .await;
    assert_eq!(triaged["setFeedbackStatus"]["status"], "ACCEPTED");
    assert_eq!(triaged["setFeedbackStatus"]["version"], 2);
    assert!(triaged["setFeedbackStatus"]["respondedAt"].is_string());
    let stored = feedback::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(stored.response.as_deref(), Some("Revised text in the November draft."));

    // Once triage started, its Champion can no longer edit it.
    let update = r#"mutation($id: ID!, $input: UpdateFeedbackInput!, $v: Int!) { updateFeedback(id: $id, input: $input, expectedVersion: $v) { body } }"#;
    let mut changed = input(&version, json!({ "body": "Edited after triage" }));
    changed.as_object_mut().unwrap().remove("country");
    let (_, body) = app.post(update, json!({ "id": id, "input": changed, "v": 2 }), Some(&champion)).await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(error_field(&body), "status");
}

#[tokio::test]
async fn a_champion_never_sees_another_countrys_feedback() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let version = version_id(&app, &admin, "GUIDE", "2021-02-CHAMPIONS-DRAFT").await;
    let slv = app
        .data(
            SUBMIT,
            json!({ "input": input(&version, json!({ "country": "SLV", "body": "Salvadoran view" })) }),
            &admin,
        )
        .await;
    let slv_id = slv["submitFeedback"]["id"].clone();
    app.data(SUBMIT, json!({ "input": input(&version, json!({ "body": "Moroccan view" })) }), &admin).await;
    app.data(SUBMIT, json!({ "input": input(&version, json!({ "country": null, "collective": "Champions", "body": "Shared view" })) }), &admin)
        .await;

    let mar = app.login(CHAMPION_MAR).await;
    let seen = app.data("{ feedback { totalCount edges { node { body } } } }", json!({}), &mar).await;
    assert_eq!(seen["feedback"]["totalCount"], 2);
    let bodies = strings(&nodes(&seen["feedback"]), "body");
    assert!(bodies.contains(&"Moroccan view".to_owned()) && bodies.contains(&"Shared view".to_owned()));

    let filtered = app.data(r#"{ feedback(filter: {countries: ["SLV"]}) { totalCount } }"#, json!({}), &mar).await;
    assert_eq!(filtered["feedback"]["totalCount"], 0);
    let node = app.data("query($id: ID!) { node(id: $id) { id } }", json!({ "id": slv_id }), &mar).await;
    assert!(node["node"].is_null());
    let nested = app
        .data(
            r#"{ country(iso3: "SLV") { feedback { body } } section(code: "STEP-3") { feedback { body } } }"#,
            json!({}),
            &mar,
        )
        .await;
    assert_eq!(nested["country"]["feedback"], json!([]));
    assert_eq!(nested["section"]["feedback"].as_array().unwrap().len(), 2);

    // Nor can it change or delete it.
    let (_, body) =
        app.post("mutation($id: ID!) { deleteFeedback(id: $id) }", json!({ "id": slv_id }), Some(&mar)).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(feedback::Entity::find().count(&app.db).await.unwrap(), 3);

    // The working-group lead sees everything.
    let lead = app.login(WG_LEAD).await;
    let all = app.data("{ feedback { totalCount } }", json!({}), &lead).await;
    assert_eq!(all["feedback"]["totalCount"], 3);
}

#[tokio::test]
async fn feedback_filters() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let feb = version_id(&app, &admin, "GUIDE", "2021-02-CHAMPIONS-DRAFT").await;
    let revised = version_id(&app, &admin, "GUIDE", "2021-11-REVISED").await;
    let booklet = version_id(&app, &admin, "BOOKLET", "2021-02-CHAMPIONS-DRAFT").await;
    for extra in [
        json!({ "sections": ["GP-03"], "body": "Sovereignty wording", "receivedOn": "2021-02-10" }),
        json!({ "country": "GHA", "sections": ["III.A"], "guideVersion": revised, "body": "More on the SDGs", "kind": "CONCERN", "receivedOn": "2021-11-20" }),
        json!({ "country": "SLV", "sections": ["OBJ-07"], "guideVersion": booklet, "channel": "ONLINE_DISCUSSION", "body": "Balance the examples", "receivedOn": "2021-03-01" }),
    ] {
        app.data(SUBMIT, json!({ "input": input(&feb, extra) }), &admin).await;
    }
    let count = |filter: Value| {
        let app = &app;
        let admin = &admin;
        async move {
            app.data("query($f: FeedbackFilter) { feedback(filter: $f) { totalCount } }", json!({ "f": filter }), admin)
                .await["feedback"]["totalCount"]
                .as_u64()
                .unwrap()
        }
    };
    assert_eq!(count(json!({ "section": "I" })).await, 1, "GP-03 is under I");
    assert_eq!(count(json!({ "section": "I", "includeSubsections": false })).await, 0);
    assert_eq!(count(json!({ "section": "III" })).await, 1);
    assert_eq!(count(json!({ "region": "Africa" })).await, 2);
    assert_eq!(count(json!({ "countries": ["slv", "GHA"] })).await, 2);
    assert_eq!(count(json!({ "kind": { "eq": "CONCERN" } })).await, 1);
    assert_eq!(count(json!({ "channel": { "in": ["ONLINE_DISCUSSION"] } })).await, 1);
    assert_eq!(count(json!({ "status": { "eq": "RECEIVED" } })).await, 3);
    assert_eq!(count(json!({ "guideVersion": revised })).await, 1);
    assert_eq!(count(json!({ "receivedOn": { "gte": "2021-02-01", "lte": "2021-03-31" } })).await, 2);
    assert_eq!(count(json!({ "search": "sdgs" })).await, 1);
    assert_eq!(count(json!({ "search": "100%_" })).await, 0, "LIKE wildcards are literal");
    let (_, body) =
        app.post(r#"{ feedback(filter: {section: "NOPE"}) { totalCount } }"#, json!({}), Some(&admin)).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(error_field(&body), "filter.section");

    let ordered = app
        .data(
            "{ feedback(orderBy: [{field: RECEIVED_ON, direction: ASC}]) { edges { node { body } } } }",
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(
        strings(&nodes(&ordered["feedback"]), "body"),
        ["Sovereignty wording", "Balance the examples", "More on the SDGs"]
    );
}

#[tokio::test]
async fn concurrent_triage_conflicts_instead_of_losing_a_write() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let lead = app.login(WG_LEAD).await;
    let version = version_id(&app, &admin, "GUIDE", "2021-02-CHAMPIONS-DRAFT").await;
    let id =
        app.data(SUBMIT, json!({ "input": input(&version, json!({})) }), &admin).await["submitFeedback"]["id"].clone();
    let a = app.post(
        SET_STATUS,
        json!({ "id": id, "status": "DECLINED", "response": "Out of scope", "v": 1 }),
        Some(&lead),
    );
    let b =
        app.post(SET_STATUS, json!({ "id": id, "status": "ACCEPTED", "response": "Will do", "v": 1 }), Some(&admin));
    let ((_, a), (_, b)) = tokio::join!(a, b);
    let ok: Vec<&Value> = [&a, &b].into_iter().filter(|r| r.get("errors").is_none()).collect();
    assert_eq!(ok.len(), 1, "{a} / {b}");
    let failed = if a.get("errors").is_some() { &a } else { &b };
    assert_eq!(error_code(failed), "CONFLICT");
    let stored = feedback::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(stored.version, 2);
    assert_eq!(serde_json::to_value(stored.status).unwrap(), ok[0]["data"]["setFeedbackStatus"]["status"]);
}

#[tokio::test]
async fn nested_reads_of_countries_roles_and_feedback_sections_do_not_grow_with_page_size() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let version = version_id(&app, &admin, "GUIDE", "2021-02-CHAMPIONS-DRAFT").await;
    for iso3 in ["SLV", "GHA", "PRT"] {
        app.data(SUBMIT, json!({ "input": input(&version, json!({ "country": iso3 })) }), &admin).await;
        app.data(
            "mutation($c: String!) { assignRole(input: {country: $c, role: PARTNER}) { id } }",
            json!({ "c": iso3 }),
            &admin,
        )
        .await;
    }
    let query = r#"query($n: Int!) { countries(filter: {isChampion: true}, first: $n) { edges { node {
        iso3 roles { role country { iso3 } } feedback { body sections { code parent { code } } guideVersion { code } } } } } }"#;
    let mut costs = Vec::new();
    for page in [2, 8] {
        let (cost, data) = app.fewest_statements(query, json!({ "n": page }), &admin).await;
        assert_eq!(nodes(&data["countries"]).len(), page);
        costs.push(cost);
    }
    assert_eq!(costs[0], costs[1], "statements per request: {costs:?}");
}

#[tokio::test]
async fn another_countrys_feedback_and_pilots_cannot_be_probed() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let mar = app.login(CHAMPION_MAR).await;
    let version = version_id(&app, &admin, "GUIDE", "2021-02-CHAMPIONS-DRAFT").await;
    let theirs = app.data(SUBMIT, json!({ "input": input(&version, json!({ "country": "SLV" })) }), &admin).await["submitFeedback"]
        ["id"]
        .clone();
    let pilot = app
        .data(
            "mutation($v: ID!) { createPilot(input: {country: \"SLV\", guideVersion: $v, title: \"Pilot in San Salvador\", status: IN_PROGRESS, startedOn: \"2021-03-01\"}) { id } }",
            json!({ "v": version }),
            &admin,
        )
        .await["createPilot"]["id"]
        .clone();

    // Right or wrong version, the answer is the same as for an id that does not exist.
    let update = r#"mutation($id: ID!, $input: UpdateFeedbackInput!, $v: Int!) { updateFeedback(id: $id, input: $input, expectedVersion: $v) { id } }"#;
    let mut changed = input(&version, json!({ "body": "Probe" }));
    changed.as_object_mut().unwrap().remove("country");
    for v in [1, 7] {
        let (_, body) = app.post(update, json!({ "id": theirs, "input": changed, "v": v }), Some(&mar)).await;
        assert_eq!(error_code(&body), "NOT_FOUND", "version {v}: {body}");
        assert_eq!(error_field(&body), "id");
    }
    let stored = feedback::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!((stored.version, stored.body.contains("Probe")), (1, false));

    // Naming El Salvador's pilot on Moroccan feedback: unknown pilot, not "another country's".
    let (_, body) = app
        .post(SUBMIT, json!({ "input": input(&version, json!({ "channel": "PILOT", "pilot": pilot })) }), Some(&mar))
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    assert_eq!(error_field(&body), "pilot");
    // The Secretariat is told plainly.
    let (_, body) = app
        .post(SUBMIT, json!({ "input": input(&version, json!({ "channel": "PILOT", "pilot": pilot })) }), Some(&admin))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "pilot");
    assert_eq!(counts(&app).await, (1, 2));
}

#[tokio::test]
async fn a_pilot_with_feedback_cannot_be_deleted_under_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let version = version_id(&app, &admin, "GUIDE", "2021-02-CHAMPIONS-DRAFT").await;
    let pilot = app
        .data(
            r#"mutation($v: ID!) { createPilot(input: {country: "MAR", guideVersion: $v, title: "Pilot in Rabat"}) { id } }"#,
            json!({ "v": version }),
            &admin,
        )
        .await["createPilot"]["id"]
        .clone();
    app.data(SUBMIT, json!({ "input": input(&version, json!({ "channel": "PILOT", "pilot": pilot })) }), &admin).await;
    let (_, body) = app.post("mutation($id: ID!) { deletePilot(id: $id) }", json!({ "id": pilot }), Some(&admin)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "id"));
    let stored = feedback::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert!(stored.pilot_id.is_some(), "the feedback keeps its pilot");
}
