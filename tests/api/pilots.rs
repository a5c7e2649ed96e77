//! Pilots: a Champion focal point records and ends its own country's pilots; nobody else's.

use crate::common::*;
use entity::common::Provenance;
use entity::pilot::{self, PilotStatus};
use entity::{country, guide_version};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const PILOT: &str = "fragment P on Pilot { id country { iso3 } guideVersion { code } title status startedOn endedOn
    summary outcome provenance createdAt updatedAt version }";

/// The operation, with the fragment appended when it spreads it.
fn with_fragment(operation: &str) -> String {
    if operation.contains("{ ...") { format!("{operation} {PILOT}") } else { operation.to_owned() }
}

const CREATE: &str = "mutation($input: CreatePilotInput!) { createPilot(input: $input) { ...P } }";
const UPDATE: &str = "mutation($id: ID!, $input: UpdatePilotInput!, $v: Int!) {
    updatePilot(id: $id, input: $input, expectedVersion: $v) { ...P } }";
const OUTCOME: &str =
    "mutation($id: ID!, $outcome: String!, $endedOn: Date!, $status: PilotStatus! = COMPLETED, $v: Int!) {
    recordPilotOutcome(id: $id, outcome: $outcome, endedOn: $endedOn, status: $status, expectedVersion: $v) { ...P } }";
const DELETE: &str = "mutation($id: ID!) { deletePilot(id: $id) }";

async fn version_id(app: &TestApp, token: &str, code: &str) -> String {
    let data = app
        .data(
            "query($code: String!) { guideVersions(filter: {code: {eq: $code}, document: GUIDE}) { edges { node { id } } } }",
            json!({ "code": code }),
            token,
        )
        .await;
    nodes(&data["guideVersions"])[0]["id"].as_str().expect("version id").to_owned()
}

async fn stored(app: &TestApp, id: &Value) -> pilot::Model {
    pilot::Entity::find_by_id(key_of(id)).one(&app.db).await.unwrap().expect("pilot stored")
}

async fn pilot_count(app: &TestApp) -> u64 {
    pilot::Entity::find().count(&app.db).await.unwrap()
}

async fn country_id(app: &TestApp, iso3: &str) -> i32 {
    country::Entity::find().filter(country::Column::Iso3.eq(iso3)).one(&app.db).await.unwrap().unwrap().id
}

/// Creates a pilot that must succeed and returns it.
async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.data(&with_fragment(CREATE), json!({ "input": input }), token).await["createPilot"].clone()
}

async fn refused(app: &TestApp, token: &str, operation: &str, variables: Value) -> Value {
    app.refused(&with_fragment(operation), variables, token).await
}

#[tokio::test]
async fn a_champion_records_updates_ends_and_deletes_its_own_pilot() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_MAR).await;
    let draft = version_id(&app, &token, "2021-02-CHAMPIONS-DRAFT").await;
    let revised = version_id(&app, &token, "2021-11-REVISED").await;

    let created = create(
        &app,
        &token,
        json!({ "country": "mar", "guideVersion": draft, "title": "  Step 3 in Rabat  ", "status": "IN_PROGRESS",
                "startedOn": "2021-03-01", "summary": "Ministries test step 3 with civil society." }),
    )
    .await;
    assert_eq!(created["country"]["iso3"], "MAR");
    assert_eq!(created["guideVersion"]["code"], "2021-02-CHAMPIONS-DRAFT");
    assert_eq!(created["title"], "Step 3 in Rabat");
    assert_eq!(created["status"], "IN_PROGRESS");
    assert_eq!(created["startedOn"], "2021-03-01");
    assert_eq!(created["endedOn"], Value::Null);
    assert_eq!(created["outcome"], Value::Null);
    assert_eq!(created["provenance"], "USER_ENTERED");
    assert_eq!(created["version"], 1);
    let row = stored(&app, &created["id"]).await;
    assert_eq!(row.country_id, country_id(&app, "MAR").await);
    assert_eq!(row.title, "Step 3 in Rabat");
    assert_eq!(row.status, PilotStatus::InProgress);
    assert_eq!(row.started_on.map(|d| d.to_string()).as_deref(), Some("2021-03-01"));
    assert_eq!(row.summary.as_deref(), Some("Ministries test step 3 with civil society."));
    assert_eq!(row.provenance, Provenance::UserEntered);
    assert_eq!(row.version, 1);
    let draft_row = guide_version::Entity::find_by_id(row.guide_version_id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(draft_row.code, "2021-02-CHAMPIONS-DRAFT");

    let updated = app
        .data(
            &with_fragment(UPDATE),
            json!({ "id": created["id"], "v": 1,
                    "input": { "title": "Step 3 in Rabat and Tangier", "summary": null, "guideVersion": revised } }),
            &token,
        )
        .await["updatePilot"]
        .clone();
    assert_eq!(updated["title"], "Step 3 in Rabat and Tangier");
    assert_eq!(updated["summary"], Value::Null);
    assert_eq!(updated["guideVersion"]["code"], "2021-11-REVISED");
    assert_eq!(updated["startedOn"], "2021-03-01", "fields not given stay as they were");
    assert_eq!(updated["version"], 2);
    let row = stored(&app, &created["id"]).await;
    assert_eq!((row.title.as_str(), row.summary.as_deref(), row.version), ("Step 3 in Rabat and Tangier", None, 2));
    assert!(row.updated_at >= row.created_at);

    let ended = app
        .data(
            &with_fragment(OUTCOME),
            json!({ "id": created["id"], "v": 2, "outcome": " Step 3 needs a checklist. ", "endedOn": "2021-06-30" }),
            &token,
        )
        .await["recordPilotOutcome"]
        .clone();
    assert_eq!(ended["status"], "COMPLETED");
    assert_eq!(ended["endedOn"], "2021-06-30");
    assert_eq!(ended["outcome"], "Step 3 needs a checklist.");
    assert_eq!(ended["version"], 3);
    let row = stored(&app, &created["id"]).await;
    assert_eq!(row.status, PilotStatus::Completed);
    assert_eq!(row.ended_on.map(|d| d.to_string()).as_deref(), Some("2021-06-30"));
    assert_eq!(row.outcome.as_deref(), Some("Step 3 needs a checklist."));
    assert_eq!(row.version, 3);

    // An ended pilot is not ended twice.
    let body = refused(
        &app,
        &token,
        OUTCOME,
        json!({ "id": created["id"], "v": 3, "outcome": "Again", "endedOn": "2021-07-01", "status": "CANCELLED" }),
    )
    .await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "id"));
    assert_eq!(stored(&app, &created["id"]).await.version, 3);

    // Readable back through the list, node(id:) and the country.
    let data = app
        .data(
            r#"query($id: ID!) { pilots { totalCount edges { node { id title } } }
                 node(id: $id) { ... on Pilot { title status } }
                 country(iso3: "MAR") { pilots { id } } }"#,
            json!({ "id": created["id"] }),
            &token,
        )
        .await;
    assert_eq!(data["pilots"]["totalCount"], 1);
    assert_eq!(nodes(&data["pilots"])[0]["id"], created["id"]);
    assert_eq!(data["node"]["status"], "COMPLETED");
    assert_eq!(data["country"]["pilots"][0]["id"], created["id"]);

    let deleted = app.data(DELETE, json!({ "id": created["id"] }), &token).await;
    assert_eq!(deleted["deletePilot"], created["id"]);
    assert_eq!(pilot_count(&app).await, 0);
    let gone = app.data("query($id: ID!) { node(id: $id) { id } }", json!({ "id": created["id"] }), &token).await;
    assert_eq!(gone["node"], Value::Null);
}

#[tokio::test]
async fn pilots_filter_and_order() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let draft = version_id(&app, &admin, "2021-02-CHAMPIONS-DRAFT").await;
    let revised = version_id(&app, &admin, "2021-11-REVISED").await;
    for (country, version, title, started) in [
        ("MAR", &draft, "Rabat", "2021-03-01"),
        ("SLV", &draft, "San Salvador", "2021-04-01"),
        ("GHA", &revised, "Accra", "2021-12-01"),
    ] {
        let input = json!({ "country": country, "guideVersion": version, "title": title,
                             "status": "IN_PROGRESS", "startedOn": started });
        create(&app, &admin, input).await;
    }
    create(&app, &admin, json!({ "country": "PRT", "guideVersion": revised, "title": "Lisbon" })).await;

    let data = app
        .data(
            r#"query($draft: ID!) {
                 all: pilots(orderBy: [{field: STARTED_ON, direction: DESC}, {field: TITLE}]) { totalCount edges { node { title } } }
                 ghana: pilots(filter: {country: "gha"}) { totalCount edges { node { title } } }
                 draft: pilots(filter: {guideVersion: $draft}) { totalCount }
                 planned: pilots(filter: {status: {eq: PLANNED}}) { edges { node { title } } }
                 spring: pilots(filter: {startedOn: {gte: "2021-03-15", lte: "2021-12-31"}}, orderBy: [{field: TITLE}]) { edges { node { title } } }
                 page: pilots(first: 2, orderBy: [{field: TITLE}]) { totalCount pageInfo { hasNextPage } edges { node { title } } } }"#,
            json!({ "draft": draft }),
            &admin,
        )
        .await;
    assert_eq!(data["all"]["totalCount"], 4);
    // Descending puts the pilot without a start date first on SQLite and last on PostgreSQL.
    let mut all = strings(&nodes(&data["all"]), "title");
    all.retain(|t| t != "Lisbon");
    assert_eq!(all, ["Accra", "San Salvador", "Rabat"]);
    assert_eq!(strings(&nodes(&data["ghana"]), "title"), ["Accra"]);
    assert_eq!(data["draft"]["totalCount"], 2);
    assert_eq!(strings(&nodes(&data["planned"]), "title"), ["Lisbon"]);
    assert_eq!(strings(&nodes(&data["spring"]), "title"), ["Accra", "San Salvador"]);
    assert_eq!(data["page"]["totalCount"], 4);
    assert_eq!(data["page"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(strings(&nodes(&data["page"]), "title"), ["Accra", "Lisbon"]);

    let (_, body) = app.post(r#"{ pilots(filter: {country: "XYZ"}) { totalCount } }"#, json!({}), Some(&admin)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("NOT_FOUND", "filter.country"));
    let (_, body) =
        app.post(r#"{ pilots(filter: {guideVersion: "bm9wZQ"}) { totalCount } }"#, json!({}), Some(&admin)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "filter.guideVersion"));
}

#[tokio::test]
async fn bad_pilot_input_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_MAR).await;
    let draft = version_id(&app, &token, "2021-02-CHAMPIONS-DRAFT").await;
    let created = create(
        &app,
        &token,
        json!({ "country": "MAR", "guideVersion": draft, "title": "Rabat", "status": "IN_PROGRESS", "startedOn": "2021-03-01" }),
    )
    .await;
    let valid = json!({ "country": "MAR", "guideVersion": draft, "title": "Another pilot" });
    let with = |key: &str, value: Value| {
        let mut input = valid.clone();
        input[key] = value;
        input
    };
    let morocco = global_id("Country", country_id(&app, "MAR").await);
    let cases = [
        (with("country", json!("XXX")), "NOT_FOUND", "country"),
        (with("country", json!("MA")), "BAD_USER_INPUT", "country"),
        (with("country", json!("USA")), "FORBIDDEN", ""),
        (with("guideVersion", json!("not-an-id")), "BAD_USER_INPUT", "guideVersion"),
        (with("guideVersion", json!(morocco)), "BAD_USER_INPUT", "guideVersion"),
        (with("guideVersion", json!(global_id("GuideVersion", 9999))), "NOT_FOUND", "guideVersion"),
        (with("title", json!("   ")), "BAD_USER_INPUT", "title"),
        (with("title", json!("x".repeat(501))), "BAD_USER_INPUT", "title"),
        (with("summary", json!("x".repeat(20_001))), "BAD_USER_INPUT", "summary"),
        (with("status", json!("COMPLETED")), "BAD_USER_INPUT", "status"),
        (with("status", json!("IN_PROGRESS")), "BAD_USER_INPUT", "startedOn"),
        (with("startedOn", json!("2021-13-45")), "BAD_USER_INPUT", "input.startedOn"),
    ];
    for (input, code, field) in cases {
        let body = refused(&app, &token, CREATE, json!({ "input": input })).await;
        assert_eq!(error_code(&body), code, "{input}: {body}");
        if !field.is_empty() {
            assert_eq!(error_field(&body), field, "{input}: {body}");
        }
        assert_eq!(pilot_count(&app).await, 1, "nothing written for {input}");
    }

    // A country that is not a Champion cannot have pilots, even for the Secretariat.
    let admin = app.admin_token().await;
    let body = refused(&app, &admin, CREATE, json!({ "input": with("country", json!("USA")) })).await;
    assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "country"));
    assert_eq!(pilot_count(&app).await, 1);

    let id = created["id"].clone();
    let update_cases = [
        (json!({ "status": "COMPLETED", "endedOn": "2021-02-01" }), "BAD_USER_INPUT", "endedOn"),
        (json!({ "endedOn": "2021-05-01" }), "BAD_USER_INPUT", "endedOn"),
        (json!({ "status": "COMPLETED" }), "BAD_USER_INPUT", "endedOn"),
        (json!({ "startedOn": null }), "BAD_USER_INPUT", "startedOn"),
        (json!({ "title": "" }), "BAD_USER_INPUT", "title"),
        (json!({ "outcome": "x".repeat(20_001) }), "BAD_USER_INPUT", "outcome"),
        (json!({ "guideVersion": global_id("GuideVersion", 9999) }), "NOT_FOUND", "guideVersion"),
    ];
    for (input, code, field) in update_cases {
        let body = refused(&app, &token, UPDATE, json!({ "id": id, "v": 1, "input": input })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{input}: {body}");
        let row = stored(&app, &id).await;
        assert_eq!((row.version, row.title.as_str(), row.status), (1, "Rabat", PilotStatus::InProgress), "{input}");
    }
    for (bad_id, code) in [("nope", "BAD_USER_INPUT"), (global_id("Pilot", 9999).as_str(), "NOT_FOUND")] {
        let body = refused(&app, &token, UPDATE, json!({ "id": bad_id, "v": 1, "input": { "title": "X" } })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, "id"));
        let body = refused(&app, &token, DELETE, json!({ "id": bad_id })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, "id"));
    }

    let outcome_cases = [
        (json!({ "endedOn": "2021-02-01", "outcome": "Done" }), "BAD_USER_INPUT", "endedOn"),
        (json!({ "endedOn": "2021-05-01", "outcome": "Done", "status": "IN_PROGRESS" }), "BAD_USER_INPUT", "status"),
        (json!({ "endedOn": "2021-05-01", "outcome": "  " }), "BAD_USER_INPUT", "outcome"),
    ];
    for (mut variables, code, field) in outcome_cases {
        variables["id"] = id.clone();
        variables["v"] = json!(1);
        let body = refused(&app, &token, OUTCOME, variables.clone()).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{variables}: {body}");
        let row = stored(&app, &id).await;
        assert_eq!((row.version, row.status, row.ended_on, row.outcome), (1, PilotStatus::InProgress, None, None));
    }
}

#[tokio::test]
async fn a_stale_version_conflicts_and_of_two_concurrent_writers_one_wins() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_SLV).await;
    let draft = version_id(&app, &token, "2021-02-CHAMPIONS-DRAFT").await;
    let created =
        create(&app, &token, json!({ "country": "SLV", "guideVersion": draft, "title": "San Salvador" })).await;
    let id = created["id"].clone();
    app.data(&with_fragment(UPDATE), json!({ "id": id, "v": 1, "input": { "title": "First edit" } }), &token).await;

    let body = refused(&app, &token, UPDATE, json!({ "id": id, "v": 1, "input": { "title": "Stale edit" } })).await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "expectedVersion"));
    let body =
        refused(&app, &token, OUTCOME, json!({ "id": id, "v": 1, "outcome": "x", "endedOn": "2021-05-01" })).await;
    assert_eq!(error_code(&body), "CONFLICT");
    let row = stored(&app, &id).await;
    assert_eq!((row.version, row.title.as_str()), (2, "First edit"));

    let update = with_fragment(UPDATE);
    let (a, b) = tokio::join!(
        app.post(&update, json!({ "id": id, "v": 2, "input": { "title": "Writer A" } }), Some(&token)),
        app.post(&update, json!({ "id": id, "v": 2, "input": { "title": "Writer B" } }), Some(&token)),
    );
    let winners: Vec<&Value> = [&a.1, &b.1].into_iter().filter(|body| body.get("errors").is_none()).collect();
    let losers: Vec<&Value> = [&a.1, &b.1].into_iter().filter(|body| body.get("errors").is_some()).collect();
    assert_eq!((winners.len(), losers.len()), (1, 1), "{a:?} {b:?}");
    assert_eq!(error_code(losers[0]), "CONFLICT");
    let row = stored(&app, &id).await;
    assert_eq!(row.version, 3);
    assert_eq!(winners[0]["data"]["updatePilot"]["title"].as_str(), Some(row.title.as_str()));
}

#[tokio::test]
async fn a_champion_neither_reads_nor_writes_another_countrys_pilots() {
    let app = TestApp::spawn().await;
    let mar = app.login(CHAMPION_MAR).await;
    let slv = app.login(CHAMPION_SLV).await;
    let draft = version_id(&app, &mar, "2021-02-CHAMPIONS-DRAFT").await;
    let ours = create(&app, &mar, json!({ "country": "MAR", "guideVersion": draft, "title": "Rabat" })).await;
    let theirs = create(&app, &slv, json!({ "country": "SLV", "guideVersion": draft, "title": "San Salvador" })).await;

    let read = r#"query($ours: ID!, $theirs: ID!) {
        pilots { totalCount edges { node { id country { iso3 } } } }
        filtered: pilots(filter: {country: "SLV"}) { totalCount edges { node { id } } }
        theirs: node(id: $theirs) { id }
        ours: node(id: $ours) { id }
        both: nodes(ids: [$ours, $theirs]) { id }
        slv: country(iso3: "SLV") { pilots { id } }
        mar: country(iso3: "MAR") { pilots { id } }
        countries(filter: {iso3: {in: ["MAR", "SLV"]}}, orderBy: [{field: ISO3}]) { edges { node { iso3 pilots { id } } } } }"#;
    let ids = json!({ "ours": ours["id"], "theirs": theirs["id"] });
    let data = app.data(read, ids.clone(), &mar).await;
    assert_eq!(data["pilots"]["totalCount"], 1);
    assert_eq!(strings(&nodes(&data["pilots"]), "id"), [ours["id"].as_str().unwrap()]);
    assert_eq!(data["filtered"]["totalCount"], 0);
    assert_eq!(nodes(&data["filtered"]).len(), 0);
    assert_eq!(data["theirs"], Value::Null);
    assert_eq!(data["ours"]["id"], ours["id"]);
    assert_eq!(data["both"], json!([{ "id": ours["id"] }, null]));
    assert_eq!(data["slv"]["pilots"], json!([]));
    assert_eq!(data["mar"]["pilots"], json!([{ "id": ours["id"] }]));
    let countries = nodes(&data["countries"]);
    assert_eq!(countries[0]["pilots"], json!([{ "id": ours["id"] }]));
    assert_eq!(countries[1]["pilots"], json!([]));

    // A pilot for El Salvador is forbidden; El Salvador's pilot is as unknown as a missing one.
    let before = stored(&app, &theirs["id"]).await;
    let input = json!({ "country": "SLV", "guideVersion": draft, "title": "Not ours" });
    let body = refused(&app, &mar, CREATE, json!({ "input": input })).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let body =
        refused(&app, &mar, UPDATE, json!({ "id": theirs["id"], "v": 1, "input": { "title": "Hijacked" } })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = refused(
        &app,
        &mar,
        OUTCOME,
        json!({ "id": theirs["id"], "v": 1, "outcome": "x", "endedOn": "2021-05-01", "status": "CANCELLED" }),
    )
    .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = refused(&app, &mar, DELETE, json!({ "id": theirs["id"] })).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(pilot_count(&app).await, 2);
    assert_eq!(stored(&app, &theirs["id"]).await, before);

    // Working-group leads read every country's pilots but write none.
    let lead = app.login(WG_LEAD).await;
    let data = app.data(read, ids, &lead).await;
    assert_eq!(data["pilots"]["totalCount"], 2);
    assert_eq!(data["filtered"]["totalCount"], 1);
    assert_eq!(data["theirs"]["id"], theirs["id"]);
    assert_eq!(data["slv"]["pilots"], json!([{ "id": theirs["id"] }]));
    let body = refused(&app, &lead, CREATE, json!({ "input": input })).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let body = refused(&app, &lead, UPDATE, json!({ "id": theirs["id"], "v": 1, "input": { "title": "Lead" } })).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let body = refused(&app, &lead, DELETE, json!({ "id": ours["id"] })).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(pilot_count(&app).await, 2);
    assert_eq!(stored(&app, &theirs["id"]).await, before);

    // The Secretariat writes any country's pilots.
    let admin = app.admin_token().await;
    let data = app
        .data(&with_fragment(UPDATE), json!({ "id": theirs["id"], "v": 1, "input": { "title": "Edited" } }), &admin)
        .await;
    assert_eq!(data["updatePilot"]["title"], "Edited");

    // Anonymous callers get nothing.
    let (_, body) = app.post("{ pilots { totalCount } }", json!({}), None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    let (_, body) = app.post(&with_fragment(CREATE), json!({ "input": input }), None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}
