//! Events, their participants and the sections they discussed: queries, mutations, the rules
//! they enforce and who may use them.

use crate::common::*;
use async_graphql::ID;
use entity::{event, event_participant, event_section};
use graphql::id::decode_global_id;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const EVENT: &str = "id title kind startsOn endsOn datePrecision location online organizer description provenance
    sourceNote createdAt updatedAt version";

fn create_mutation() -> String {
    format!("mutation($input: CreateEventInput!) {{ createEvent(input: $input) {{ {EVENT} }} }}")
}

fn update_mutation() -> String {
    format!(
        "mutation($id: ID!, $input: UpdateEventInput!, $v: Int!) {{
           updateEvent(id: $id, input: $input, expectedVersion: $v) {{ {EVENT} }} }}"
    )
}

const ADD_PARTICIPANT: &str = "mutation($event: ID!, $country: String, $stakeholder: ID, $role: ParticipationRole!) {
    addEventParticipant(event: $event, country: $country, stakeholder: $stakeholder, role: $role) {
      id role version event { id title } country { iso3 } stakeholder { name } } }";

const SET_SECTIONS: &str = "mutation($event: ID!, $sections: [String!]!, $v: Int!) {
    setEventSections(event: $event, sections: $sections, expectedVersion: $v) { id version sections { code } } }";

/// The table key behind a global id.
fn key(id: &Value) -> i32 {
    decode_global_id(&ID(id.as_str().expect("id string").to_owned()), "id").expect("valid id").1
}

async fn create_event(app: &TestApp, token: &str, input: Value) -> Value {
    app.data(&create_mutation(), json!({ "input": input }), token).await["createEvent"].clone()
}

async fn stored(app: &TestApp, id: &Value) -> Option<event::Model> {
    event::Entity::find_by_id(key(id)).one(&app.db).await.unwrap()
}

/// Rows in the event tables: events, participants, section links.
async fn counts(app: &TestApp) -> (u64, u64, u64) {
    (
        event::Entity::find().count(&app.db).await.unwrap(),
        event_participant::Entity::find().count(&app.db).await.unwrap(),
        event_section::Entity::find().count(&app.db).await.unwrap(),
    )
}

async fn stakeholder_id(app: &TestApp, token: &str, acronym: &str) -> Value {
    let data = app
        .data(
            "query($s: String!) { stakeholders(filter: {search: $s}) { edges { node { id acronym } } } }",
            json!({ "s": acronym }),
            token,
        )
        .await;
    let found = nodes(&data["stakeholders"]);
    found.iter().find(|s| s["acronym"] == acronym).expect("demo stakeholder")["id"].clone()
}

fn briefing() -> Value {
    json!({ "title": "Briefing to Member States", "kind": "BRIEFING", "startsOn": "2020-10-19" })
}

#[tokio::test]
async fn an_event_is_created_updated_and_refetched() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let created = create_event(
        &app,
        &token,
        json!({
            "title": "  Technical discussion with Champions  ",
            "kind": "TECHNICAL_DISCUSSION",
            "startsOn": "2021-02-15",
            "endsOn": "2021-02-16",
            "datePrecision": "DAY",
            "location": "Geneva",
            "online": true,
            "organizer": "Core Working Group 2.2",
            "description": "Draft guidance presented to the Champions.",
            "sourceNote": "Update to GCM Champions, 3 November 2021"
        }),
    )
    .await;
    assert_eq!(created["title"], "Technical discussion with Champions", "title is trimmed");
    assert_eq!(created["kind"], "TECHNICAL_DISCUSSION");
    assert_eq!(created["startsOn"], "2021-02-15");
    assert_eq!(created["endsOn"], "2021-02-16");
    assert_eq!(created["location"], "Geneva");
    assert_eq!(created["online"], true);
    assert_eq!(created["provenance"], "USER_ENTERED");
    assert_eq!(created["version"], 1);

    let row = stored(&app, &created["id"]).await.expect("stored");
    assert_eq!(row.title, "Technical discussion with Champions");
    assert_eq!(row.kind, event::EventKind::TechnicalDiscussion);
    assert_eq!(row.starts_on.to_string(), "2021-02-15");
    assert_eq!(row.ends_on.map(|d| d.to_string()).as_deref(), Some("2021-02-16"));
    assert_eq!(row.organizer.as_deref(), Some("Core Working Group 2.2"));
    assert_eq!(row.provenance, entity::common::Provenance::UserEntered);
    assert_eq!(row.version, 1);

    // Defaults: day precision, not online, no end date.
    let minimal = create_event(&app, &token, briefing()).await;
    assert_eq!((minimal["datePrecision"].as_str(), minimal["online"].as_bool()), (Some("DAY"), Some(false)));
    assert!(minimal["endsOn"].is_null() && minimal["location"].is_null());

    // Left-out fields stay, null clears, values replace.
    let updated = app
        .data(
            &update_mutation(),
            json!({ "id": created["id"], "v": 1, "input": {
                "title": "Online discussion with Champions", "kind": "ONLINE_DISCUSSION",
                "location": null, "endsOn": "2021-02-18", "datePrecision": "MONTH" } }),
            &token,
        )
        .await["updateEvent"]
        .clone();
    assert_eq!(updated["title"], "Online discussion with Champions");
    assert_eq!(updated["kind"], "ONLINE_DISCUSSION");
    assert!(updated["location"].is_null());
    assert_eq!(updated["endsOn"], "2021-02-18");
    assert_eq!(updated["datePrecision"], "MONTH");
    assert_eq!(updated["organizer"], "Core Working Group 2.2", "untouched field kept");
    assert_eq!(updated["version"], 2);
    let row = stored(&app, &created["id"]).await.unwrap();
    assert_eq!(
        (row.title.as_str(), row.location.as_deref(), row.version),
        ("Online discussion with Champions", None, 2)
    );
    assert_eq!(row.kind, event::EventKind::OnlineDiscussion);
    assert!(row.updated_at >= row.created_at);

    // node(id:) refetches the event; a Champion may read it.
    let champion = app.login(CHAMPION_MAR).await;
    let node = app
        .data(
            "query($id: ID!) { node(id: $id) { __typename id ... on Event { title version participants { id } sections { code } } } }",
            json!({ "id": created["id"] }),
            &champion,
        )
        .await;
    assert_eq!(node["node"]["__typename"], "Event");
    assert_eq!(node["node"]["id"], created["id"]);
    assert_eq!(node["node"]["title"], "Online discussion with Champions");
    assert_eq!(node["node"]["participants"], json!([]));
    assert_eq!(node["node"]["version"], 2);
}

#[tokio::test]
async fn bad_event_input_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let event = create_event(&app, &token, briefing()).await;
    let before = counts(&app).await;

    let long_line = "x".repeat(501);
    let long_text = "y".repeat(20_001);
    let with = |changes: Value| {
        let mut input = briefing();
        for (k, v) in changes.as_object().unwrap() {
            input[k] = v.clone();
        }
        input
    };
    for (input, code, field) in [
        (with(json!({ "title": "" })), "BAD_USER_INPUT", "title"),
        (with(json!({ "title": "   " })), "BAD_USER_INPUT", "title"),
        (with(json!({ "title": long_line })), "BAD_USER_INPUT", "title"),
        (with(json!({ "description": long_text })), "BAD_USER_INPUT", "description"),
        (with(json!({ "location": long_line })), "BAD_USER_INPUT", "location"),
        (with(json!({ "organizer": long_line })), "BAD_USER_INPUT", "organizer"),
        (with(json!({ "endsOn": "2020-10-18" })), "BAD_USER_INPUT", "endsOn"),
    ] {
        let (_, body) = app.post(&create_mutation(), json!({ "input": input }), Some(&token)).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{body}");
    }
    // A malformed date never reaches the resolver.
    let (_, body) =
        app.post(&create_mutation(), json!({ "input": with(json!({ "startsOn": "2020-13-45" })) }), Some(&token)).await;
    assert!(body["errors"].is_array() && body["data"].is_null(), "{body}");
    assert_eq!(counts(&app).await, before, "no event written");

    let id = event["id"].clone();
    for (input, field) in [
        (json!({ "title": "" }), "title"),
        (json!({ "title": long_line }), "title"),
        (json!({ "description": long_text }), "description"),
        (json!({ "organizer": long_line }), "organizer"),
        (json!({ "endsOn": "2020-10-01" }), "endsOn"),
    ] {
        let (_, body) = app.post(&update_mutation(), json!({ "id": id, "v": 1, "input": input }), Some(&token)).await;
        assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", field), "{body}");
    }
    // Moving the start after the stored end date is the same mistake.
    let ranged = create_event(&app, &token, with(json!({ "endsOn": "2020-10-20" }))).await;
    let (_, body) = app
        .post(
            &update_mutation(),
            json!({ "id": ranged["id"], "v": 1, "input": { "startsOn": "2020-10-21" } }),
            Some(&token),
        )
        .await;
    assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "endsOn"), "{body}");
    for (id, ends_on) in [(&id, None), (&ranged["id"], Some("2020-10-20".to_owned()))] {
        let row = stored(&app, id).await.unwrap();
        assert_eq!((row.title.as_str(), row.version), ("Briefing to Member States", 1), "row unchanged");
        assert_eq!(row.starts_on.to_string(), "2020-10-19");
        assert_eq!(row.ends_on.map(|d| d.to_string()), ends_on);
        assert!(row.description.is_none() && row.organizer.is_none());
    }
    let before = counts(&app).await;

    // Unknown and mistyped ids.
    let gone = graphql::id::global_id(graphql::id::NodeType::Event, 999_999);
    let (_, body) = app.post(&update_mutation(), json!({ "id": gone, "v": 1, "input": {} }), Some(&token)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("NOT_FOUND", "id"));
    let country_id = graphql::id::global_id(graphql::id::NodeType::Country, 1);
    let (_, body) = app.post(&update_mutation(), json!({ "id": country_id, "v": 1, "input": {} }), Some(&token)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "id"));
    let (_, body) = app.post("mutation($id: ID!) { deleteEvent(id: $id) }", json!({ "id": gone }), Some(&token)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("NOT_FOUND", "id"));
    assert_eq!(counts(&app).await, before);
    assert_eq!(stored(&app, &id).await.unwrap().version, 1);
    assert_eq!(stored(&app, &ranged["id"]).await.unwrap().version, 1);
}

#[tokio::test]
async fn participants_are_countries_or_stakeholders_once_each() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let event = create_event(&app, &token, briefing()).await;
    let iom = stakeholder_id(&app, &token, "IOM").await;

    let host = app
        .data(ADD_PARTICIPANT, json!({ "event": event["id"], "country": "mar", "role": "HOST" }), &token)
        .await["addEventParticipant"]
        .clone();
    assert_eq!(host["role"], "HOST");
    assert_eq!(host["country"]["iso3"], "MAR");
    assert!(host["stakeholder"].is_null());
    assert_eq!(host["event"]["id"], event["id"]);
    assert_eq!(host["version"], 1);
    let speaker = app
        .data(ADD_PARTICIPANT, json!({ "event": event["id"], "stakeholder": iom, "role": "SPEAKER" }), &token)
        .await["addEventParticipant"]
        .clone();
    assert_eq!(speaker["stakeholder"]["name"], "International Organization for Migration");
    assert!(speaker["country"].is_null());

    let rows = event_participant::Entity::find()
        .filter(event_participant::Column::EventId.eq(key(&event["id"])))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].id, key(&host["id"]));
    assert_eq!(rows[0].role, event_participant::ParticipationRole::Host);
    assert!(rows[0].country_id.is_some() && rows[0].stakeholder_id.is_none());
    assert_eq!(rows[1].stakeholder_id, Some(key(&iom)));
    assert!(rows[1].country_id.is_none());

    let before = counts(&app).await;
    let gone_event = graphql::id::global_id(graphql::id::NodeType::Event, 999_999);
    let gone_stakeholder = graphql::id::global_id(graphql::id::NodeType::Stakeholder, 999_999);
    for (vars, code, field) in [
        (json!({ "event": event["id"], "country": "MAR", "role": "HOST" }), "CONFLICT", "country"),
        (json!({ "event": event["id"], "country": "MAR", "role": "ATTENDEE" }), "CONFLICT", "country"),
        (json!({ "event": event["id"], "stakeholder": iom, "role": "ATTENDEE" }), "CONFLICT", "stakeholder"),
        (json!({ "event": event["id"], "role": "ATTENDEE" }), "BAD_USER_INPUT", "country"),
        (
            json!({ "event": event["id"], "country": "SLV", "stakeholder": iom, "role": "ATTENDEE" }),
            "BAD_USER_INPUT",
            "stakeholder",
        ),
        (json!({ "event": event["id"], "country": "XXX", "role": "ATTENDEE" }), "NOT_FOUND", "country"),
        (json!({ "event": event["id"], "country": "MA", "role": "ATTENDEE" }), "BAD_USER_INPUT", "country"),
        (
            json!({ "event": event["id"], "stakeholder": gone_stakeholder, "role": "ATTENDEE" }),
            "NOT_FOUND",
            "stakeholder",
        ),
        (
            json!({ "event": event["id"], "stakeholder": event["id"], "role": "ATTENDEE" }),
            "BAD_USER_INPUT",
            "stakeholder",
        ),
        (json!({ "event": gone_event, "country": "SLV", "role": "ATTENDEE" }), "NOT_FOUND", "event"),
    ] {
        let (_, body) = app.post(ADD_PARTICIPANT, vars.clone(), Some(&token)).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{vars}: {body}");
    }
    assert_eq!(counts(&app).await, before, "nothing written");

    // The same country may take part in another event.
    let launch =
        create_event(&app, &token, json!({ "title": "Launch", "kind": "LAUNCH", "startsOn": "2021-11-03" })).await;
    app.data(ADD_PARTICIPANT, json!({ "event": launch["id"], "country": "MAR", "role": "ATTENDEE" }), &token).await;

    // Seen from the event, the country and the participant itself.
    let data = app
        .data(
            r#"query($e: ID!, $p: ID!) {
                 event: node(id: $e) { ... on Event { participants { id role country { iso3 } stakeholder { acronym } } } }
                 participant: node(id: $p) { __typename ... on EventParticipant { role event { title } country { name } } }
                 mar: country(iso3: "MAR") { events { title startsOn } }
                 slv: country(iso3: "SLV") { events { title } } }"#,
            json!({ "e": event["id"], "p": host["id"] }),
            &token,
        )
        .await;
    let participants = data["event"]["participants"].as_array().unwrap();
    assert_eq!(participants.len(), 2);
    assert_eq!(participants[0]["country"]["iso3"], "MAR");
    assert_eq!(participants[1]["stakeholder"]["acronym"], "IOM");
    assert_eq!(data["participant"]["__typename"], "EventParticipant");
    assert_eq!(data["participant"]["event"]["title"], "Briefing to Member States");
    assert_eq!(data["participant"]["country"]["name"], "Morocco");
    assert_eq!(strings(data["mar"]["events"].as_array().unwrap(), "title"), ["Briefing to Member States", "Launch"]);
    assert_eq!(data["slv"]["events"], json!([]));

    // Removing a participant; removing it again finds nothing.
    let remove = "mutation($id: ID!) { removeEventParticipant(id: $id) }";
    let removed = app.data(remove, json!({ "id": host["id"] }), &token).await;
    assert_eq!(removed["removeEventParticipant"], host["id"]);
    assert!(event_participant::Entity::find_by_id(key(&host["id"])).one(&app.db).await.unwrap().is_none());
    let (_, body) = app.post(remove, json!({ "id": host["id"] }), Some(&token)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("NOT_FOUND", "id"));
    // Now the country may be added again, with another role.
    app.data(ADD_PARTICIPANT, json!({ "event": event["id"], "country": "MAR", "role": "SPEAKER" }), &token).await;

    // Two writers adding the same country at once: one participation, one conflict.
    let vars = json!({ "event": launch["id"], "country": "SLV", "role": "ATTENDEE" });
    let (a, b) = tokio::join!(
        app.post(ADD_PARTICIPANT, vars.clone(), Some(&token)),
        app.post(ADD_PARTICIPANT, vars.clone(), Some(&token)),
    );
    let added = [&a.1, &b.1].into_iter().filter(|body| body["errors"].is_null()).count();
    assert_eq!(added, 1, "{a:?} {b:?}");
    assert!([&a.1, &b.1].into_iter().any(|body| !body["errors"].is_null() && error_code(body) == "CONFLICT"));
    let slv_rows = event_participant::Entity::find()
        .filter(event_participant::Column::EventId.eq(key(&launch["id"])))
        .filter(event_participant::Column::CountryId.is_not_null())
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(slv_rows, 2, "MAR and SLV once each");
}

#[tokio::test]
async fn sections_are_set_replaced_and_cleared_under_the_event_version() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let event = create_event(&app, &token, briefing()).await;

    let set = app
        .data(SET_SECTIONS, json!({ "event": event["id"], "sections": ["III.A", "obj-07", "III.A"], "v": 1 }), &token)
        .await["setEventSections"]
        .clone();
    let mut codes = strings(set["sections"].as_array().unwrap(), "code");
    codes.sort();
    assert_eq!(codes, ["III.A", "OBJ-07"], "codes ignore case; duplicates once");
    assert_eq!(set["version"], 2);
    let links = event_section::Entity::find()
        .filter(event_section::Column::EventId.eq(key(&event["id"])))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(links, 2);
    assert_eq!(stored(&app, &event["id"]).await.unwrap().version, 2);

    // Seen from the section; only events that discussed it.
    let other =
        create_event(&app, &token, json!({ "title": "Workshop", "kind": "WORKSHOP", "startsOn": "2019-05-01" })).await;
    app.data(SET_SECTIONS, json!({ "event": other["id"], "sections": ["III.A"], "v": 1 }), &token).await;
    let data = app
        .data(r#"{ iiia: section(code: "III.A") { events { title } } obj7: section(code: "OBJ-07") { events { title } } step: section(code: "STEP-3") { events { title } } }"#, json!({}), &token)
        .await;
    assert_eq!(strings(data["iiia"]["events"].as_array().unwrap(), "title"), ["Workshop", "Briefing to Member States"]);
    assert_eq!(strings(data["obj7"]["events"].as_array().unwrap(), "title"), ["Briefing to Member States"]);
    assert_eq!(data["step"]["events"], json!([]));

    // Refused: unknown code (with its position), malformed code, stale version, unknown event.
    let before = counts(&app).await;
    let gone = graphql::id::global_id(graphql::id::NodeType::Event, 999_999);
    for (vars, code, field) in [
        (json!({ "event": event["id"], "sections": ["STEP-3", "NOPE-1"], "v": 2 }), "NOT_FOUND", "sections.1"),
        (json!({ "event": event["id"], "sections": [""], "v": 2 }), "BAD_USER_INPUT", "sections.0"),
        (json!({ "event": event["id"], "sections": ["STEP-3"], "v": 1 }), "CONFLICT", "expectedVersion"),
        (json!({ "event": gone, "sections": ["STEP-3"], "v": 1 }), "NOT_FOUND", "event"),
    ] {
        let (_, body) = app.post(SET_SECTIONS, vars.clone(), Some(&token)).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{vars}: {body}");
    }
    let too_many: Vec<String> = (0..101).map(|_| "III.A".to_owned()).collect();
    let (_, body) =
        app.post(SET_SECTIONS, json!({ "event": event["id"], "sections": too_many, "v": 2 }), Some(&token)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "sections"));
    assert_eq!(counts(&app).await, before);
    assert_eq!(stored(&app, &event["id"]).await.unwrap().version, 2, "version unchanged");

    // Replace, then clear.
    let replaced =
        app.data(SET_SECTIONS, json!({ "event": event["id"], "sections": ["STEP-3"], "v": 2 }), &token).await;
    assert_eq!(replaced["setEventSections"]["sections"], json!([{ "code": "STEP-3" }]));
    let cleared = app.data(SET_SECTIONS, json!({ "event": event["id"], "sections": [], "v": 3 }), &token).await;
    assert_eq!(cleared["setEventSections"]["sections"], json!([]));
    assert_eq!(cleared["setEventSections"]["version"], 4);
    assert_eq!(
        event_section::Entity::find()
            .filter(event_section::Column::EventId.eq(key(&event["id"])))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn an_event_is_deleted_with_its_sections_once_nothing_refers_to_it() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let keep = create_event(&app, &token, briefing()).await;
    let event =
        create_event(&app, &token, json!({ "title": "IMRF side event", "kind": "IMRF", "startsOn": "2022-05-17" }))
            .await;
    let mut participants = Vec::new();
    for e in [&keep, &event] {
        let added =
            app.data(ADD_PARTICIPANT, json!({ "event": e["id"], "country": "GHA", "role": "SPEAKER" }), &token).await;
        participants.push(added["addEventParticipant"]["id"].clone());
        app.data(SET_SECTIONS, json!({ "event": e["id"], "sections": ["III.A"], "v": 1 }), &token).await;
    }
    assert_eq!(counts(&app).await, (2, 2, 2));

    // A participant still refers to it: deleting would drop that record unaudited, so it is refused.
    let delete = "mutation($id: ID!) { deleteEvent(id: $id) }";
    let (_, body) = app.post(delete, json!({ "id": event["id"] }), Some(&token)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "id"));
    assert_eq!(counts(&app).await, (2, 2, 2));

    app.data("mutation($id: ID!) { removeEventParticipant(id: $id) }", json!({ "id": participants[1] }), &token).await;
    let deleted = app.data(delete, json!({ "id": event["id"] }), &token).await;
    assert_eq!(deleted["deleteEvent"], event["id"]);
    assert_eq!(counts(&app).await, (1, 1, 1), "the other event keeps its participants and links");
    assert!(stored(&app, &event["id"]).await.is_none());
    let data = app.data("query($id: ID!) { node(id: $id) { id } }", json!({ "id": event["id"] }), &token).await;
    assert!(data["node"].is_null());

    // The deletion's audit row keeps the sections that went with it.
    let log = app
        .data(
            r#"{ auditLog(filter: {action: {eq: "deleteEvent"}}) { edges { node { changes } } } }"#,
            json!({}),
            &token,
        )
        .await;
    assert_eq!(nodes(&log["auditLog"])[0]["changes"]["sections"]["before"], json!(["III.A"]));
}

#[tokio::test]
async fn stale_and_concurrent_event_updates_conflict() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let event = create_event(&app, &token, briefing()).await;
    app.data(&update_mutation(), json!({ "id": event["id"], "v": 1, "input": { "title": "First" } }), &token).await;

    let (_, body) = app
        .post(&update_mutation(), json!({ "id": event["id"], "v": 1, "input": { "title": "Stale" } }), Some(&token))
        .await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "expectedVersion"));
    let row = stored(&app, &event["id"]).await.unwrap();
    assert_eq!((row.title.as_str(), row.version), ("First", 2));

    // Two writers holding version 2: exactly one gets through.
    let update = update_mutation();
    let (a, b) = tokio::join!(
        app.post(&update, json!({ "id": event["id"], "v": 2, "input": { "title": "Writer A" } }), Some(&token)),
        app.post(&update, json!({ "id": event["id"], "v": 2, "input": { "title": "Writer B" } }), Some(&token)),
    );
    let results = [&a.1, &b.1];
    let winners: Vec<&Value> = results.iter().copied().filter(|body| body["errors"].is_null()).collect();
    let losers: Vec<&Value> = results.iter().copied().filter(|body| !body["errors"].is_null()).collect();
    assert_eq!((winners.len(), losers.len()), (1, 1), "{a:?} {b:?}");
    assert_eq!(error_code(losers[0]), "CONFLICT");
    let row = stored(&app, &event["id"]).await.unwrap();
    assert_eq!(row.version, 3);
    assert_eq!(Some(row.title.as_str()), winners[0]["data"]["updateEvent"]["title"].as_str());
}

#[tokio::test]
async fn only_the_secretariat_manages_events() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let event = create_event(&app, &admin, briefing()).await;
    let participant = app
        .data(ADD_PARTICIPANT, json!({ "event": event["id"], "country": "MAR", "role": "HOST" }), &admin)
        .await["addEventParticipant"]["id"]
        .clone();
    let before = counts(&app).await;

    let mutations = [
        (create_mutation(), json!({ "input": briefing() })),
        (update_mutation(), json!({ "id": event["id"], "v": 1, "input": { "title": "Mine" } })),
        ("mutation($id: ID!) { deleteEvent(id: $id) }".to_owned(), json!({ "id": event["id"] })),
        (ADD_PARTICIPANT.to_owned(), json!({ "event": event["id"], "country": "SLV", "role": "ATTENDEE" })),
        ("mutation($id: ID!) { removeEventParticipant(id: $id) }".to_owned(), json!({ "id": participant })),
        (SET_SECTIONS.to_owned(), json!({ "event": event["id"], "sections": ["III.A"], "v": 1 })),
    ];
    for who in [WG_LEAD, CHAMPION_MAR] {
        let token = app.login(who).await;
        for (mutation, vars) in &mutations {
            let (_, body) = app.post(mutation, vars.clone(), Some(&token)).await;
            assert_eq!(error_code(&body), "FORBIDDEN", "{who}: {mutation}: {body}");
        }
        // Reading is allowed.
        let data = app
            .data("{ events { totalCount edges { node { title participants { role } } } } }", json!({}), &token)
            .await;
        assert_eq!(data["events"]["totalCount"], 1);
    }
    let (_, body) = app.post("{ events { totalCount } }", json!({}), None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert_eq!(counts(&app).await, before);
    assert_eq!(stored(&app, &event["id"]).await.unwrap().version, 1);
}

#[tokio::test]
async fn events_filter_by_kind_dates_country_section_and_text() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    // (title, kind, startsOn, endsOn)
    let specs = [
        ("Briefing to Member States", "BRIEFING", "2020-10-19", None),
        ("Review round", "ONLINE_DISCUSSION", "2020-11-20", Some("2020-12-10")),
        ("Champions technical discussion", "TECHNICAL_DISCUSSION", "2021-02-15", None),
        ("Launch of the revised guidance", "LAUNCH", "2021-11-03", None),
        ("IMRF side event", "IMRF", "2022-05-17", Some("2022-05-20")),
    ];
    let mut ids = Vec::new();
    for (title, kind, starts_on, ends_on) in specs {
        let e = create_event(
            &app,
            &token,
            json!({ "title": title, "kind": kind, "startsOn": starts_on, "endsOn": ends_on,
                    "description": format!("About {title} and the GUIDANCE") }),
        )
        .await;
        ids.push(e["id"].clone());
    }
    app.data(ADD_PARTICIPANT, json!({ "event": ids[2], "country": "MAR", "role": "HOST" }), &token).await;
    app.data(ADD_PARTICIPANT, json!({ "event": ids[4], "country": "MAR", "role": "SPEAKER" }), &token).await;
    app.data(ADD_PARTICIPANT, json!({ "event": ids[4], "country": "SLV", "role": "ATTENDEE" }), &token).await;
    app.data(SET_SECTIONS, json!({ "event": ids[3], "sections": ["III.A"], "v": 1 }), &token).await;

    let titles = |data: &Value, name: &str| strings(&nodes(&data[name]), "title");
    let champion = app.login(CHAMPION_SLV).await;
    let data = app
        .data(
            r#"{
              all: events { totalCount edges { node { title } } }
              kind: events(filter: {kind: {in: [LAUNCH, IMRF]}}) { edges { node { title } } }
              notBriefing: events(filter: {kind: {ne: BRIEFING}}) { totalCount }
              since2021: events(filter: {startsOn: {gte: "2021-01-01"}}) { edges { node { title } } }
              range: events(filter: {from: "2020-12-01", to: "2021-11-03"}) { edges { node { title } } }
              spanning: events(filter: {from: "2022-05-19", to: "2022-05-19"}) { edges { node { title } } }
              fromOnly: events(filter: {from: "2021-11-04"}) { edges { node { title } } }
              toOnly: events(filter: {to: "2020-11-20"}) { edges { node { title } } }
              mar: events(filter: {country: "mar"}) { edges { node { title } } }
              slv: events(filter: {country: "SLV"}) { edges { node { title } } }
              section: events(filter: {section: "iii.a"}) { edges { node { title } } }
              search: events(filter: {search: "guidance"}) { totalCount }
              searchTitle: events(filter: {search: "SIDE EV"}) { edges { node { title } } }
              combined: events(filter: {country: "MAR", startsOn: {lt: "2022-01-01"}}) { edges { node { title } } }
              newest: events(orderBy: [{field: STARTS_ON, direction: DESC}], first: 2) { edges { node { title } } pageInfo { hasNextPage endCursor } }
              byTitle: events(orderBy: [{field: TITLE}], first: 1) { edges { node { title } } }
            }"#,
            json!({}),
            &champion,
        )
        .await;
    assert_eq!(data["all"]["totalCount"], 5);
    assert_eq!(titles(&data, "all")[0], "Briefing to Member States", "earliest first by default");
    assert_eq!(titles(&data, "all")[4], "IMRF side event");
    assert_eq!(titles(&data, "kind"), ["Launch of the revised guidance", "IMRF side event"]);
    assert_eq!(data["notBriefing"]["totalCount"], 4);
    assert_eq!(
        titles(&data, "since2021"),
        ["Champions technical discussion", "Launch of the revised guidance", "IMRF side event"]
    );
    // The review round started before the range but ran into it.
    assert_eq!(
        titles(&data, "range"),
        ["Review round", "Champions technical discussion", "Launch of the revised guidance"]
    );
    assert_eq!(titles(&data, "spanning"), ["IMRF side event"]);
    assert_eq!(titles(&data, "fromOnly"), ["IMRF side event"]);
    assert_eq!(titles(&data, "toOnly"), ["Briefing to Member States", "Review round"]);
    assert_eq!(titles(&data, "mar"), ["Champions technical discussion", "IMRF side event"]);
    assert_eq!(titles(&data, "slv"), ["IMRF side event"]);
    assert_eq!(titles(&data, "section"), ["Launch of the revised guidance"]);
    assert_eq!(data["search"]["totalCount"], 5, "description matches ignore case");
    assert_eq!(titles(&data, "searchTitle"), ["IMRF side event"]);
    assert_eq!(titles(&data, "combined"), ["Champions technical discussion"]);
    assert_eq!(titles(&data, "newest"), ["IMRF side event", "Launch of the revised guidance"]);
    assert_eq!(data["newest"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(titles(&data, "byTitle"), ["Briefing to Member States"]);

    let cursor = data["newest"]["pageInfo"]["endCursor"].clone();
    let next = app
        .data(
            "query($after: String!) { events(orderBy: [{field: STARTS_ON, direction: DESC}], first: 2, after: $after) { edges { node { title } } } }",
            json!({ "after": cursor }),
            &champion,
        )
        .await;
    assert_eq!(titles(&next, "events"), ["Champions technical discussion", "Review round"]);

    for (filter, code, field) in [
        (json!({ "from": "2021-01-02", "to": "2021-01-01" }), "BAD_USER_INPUT", "filter.to"),
        (json!({ "country": "XXX" }), "NOT_FOUND", "filter.country"),
        (json!({ "country": "MOROCCO" }), "BAD_USER_INPUT", "filter.country"),
        (json!({ "section": "NOPE-9" }), "NOT_FOUND", "filter.section"),
    ] {
        let (_, body) = app
            .post(
                "query($f: EventFilter) { events(filter: $f) { totalCount } }",
                json!({ "f": filter }),
                Some(&champion),
            )
            .await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{filter}: {body}");
    }
}

const NESTED: &str = r#"query($n: Int!) { events(first: $n) { edges { node {
    title
    participants { role event { title } country { iso3 events { title } } stakeholder { name } }
    sections { code document { kind } events { title } } } } } }"#;

async fn statements_for(app: &TestApp, token: &str, page: usize) -> (u64, usize) {
    let (cost, data) = app.fewest_statements(NESTED, json!({ "n": page }), token).await;
    let events = nodes(&data["events"]);
    // Every event on the page reaches every relation, so a per-row query would show.
    for event in &events {
        let participants = event["participants"].as_array().unwrap();
        assert!(participants.iter().any(|p| p["country"]["events"].as_array().is_some_and(|e| !e.is_empty())));
        assert!(participants.iter().any(|p| p["stakeholder"]["name"].is_string()));
        assert_eq!(event["sections"].as_array().unwrap().len(), 2);
    }
    (cost, events.len())
}

#[tokio::test]
async fn nested_events_cost_the_same_number_of_statements_for_any_page_size() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let stakeholders = [stakeholder_id(&app, &token, "IOM").await, stakeholder_id(&app, &token, "OIF").await];
    let countries = ["MAR", "SLV", "GHA"];
    let sections = ["III.A", "OBJ-07", "STEP-3", "GP-04"];
    for i in 0..6 {
        let e = create_event(
            &app,
            &token,
            json!({ "title": format!("Event {i}"), "kind": "BRIEFING", "startsOn": format!("2021-0{}-01", i + 1) }),
        )
        .await;
        app.data(ADD_PARTICIPANT, json!({ "event": e["id"], "country": countries[i % 3], "role": "HOST" }), &token)
            .await;
        app.data(
            ADD_PARTICIPANT,
            json!({ "event": e["id"], "stakeholder": stakeholders[i % 2], "role": "SPEAKER" }),
            &token,
        )
        .await;
        let linked = [sections[i % 4], sections[(i + 1) % 4]];
        app.data(SET_SECTIONS, json!({ "event": e["id"], "sections": linked, "v": 1 }), &token).await;
    }
    let (small, small_rows) = statements_for(&app, &token, 3).await;
    let (large, large_rows) = statements_for(&app, &token, 6).await;
    assert_eq!((small_rows, large_rows), (3, 6));
    assert_no_growth_with_rows(small, large, "3 and 6 events");
    // Viewer lookup, the page, and one or two queries per relation level.
    assert!(large <= 14, "{large} statements");
}

#[tokio::test]
async fn an_event_names_the_member_states_it_reaches() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let event = app
        .data(r#"mutation { createEvent(input: {title: "Peer exchange", kind: WORKSHOP, startsOn: "2022-05-10"}) { id version } }"#, json!({}), &admin)
        .await["createEvent"]
        .clone();
    const SET: &str = "mutation($e: ID!, $c: [String!]!, $v: Int!) { setEventSupportedCountries(event: $e, countries: $c, expectedVersion: $v) { version supportedCountries { iso3 } history { changes } } }";
    let set = app.data(SET, json!({ "e": event["id"], "c": ["sen", "SEN"], "v": 1 }), &admin).await["setEventSupportedCountries"].clone();
    assert_eq!(set["supportedCountries"], json!([{ "iso3": "SEN" }]));
    assert_eq!(set["history"][1]["changes"]["supportedCountries"], json!({ "before": [], "after": ["SEN"] }));
    let unknown = app.refused(SET, json!({ "e": event["id"], "c": ["SEN", "QQQ"], "v": 2 }), &admin).await;
    assert_eq!((error_code(&unknown), error_field(&unknown)), ("NOT_FOUND", "countries.1"));
    let lead = app.login(WG_LEAD).await;
    let forbidden = app.refused(SET, json!({ "e": event["id"], "c": [], "v": 2 }), &lead).await;
    assert_eq!(error_code(&forbidden), "FORBIDDEN");
    let cleared =
        app.data(SET, json!({ "e": event["id"], "c": [], "v": 2 }), &admin).await["setEventSupportedCountries"].clone();
    assert_eq!(cleared["supportedCountries"], json!([]));
}

#[tokio::test]
async fn an_event_records_what_happened_and_what_follows() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let event = app
        .data(r#"mutation { createEvent(input: {title: "Champions technical meeting", kind: TECHNICAL_DISCUSSION, startsOn: "2021-05-26"}) { id version } }"#, json!({}), &admin)
        .await["createEvent"]
        .clone();
    // Participation has a status beside the role.
    let participant = app
        .data(
            r#"mutation($e: ID!) { addEventParticipant(event: $e, country: "KEN", role: ATTENDEE, status: INVITED) { id role status version } }"#,
            json!({ "e": event["id"] }),
            &admin,
        )
        .await["addEventParticipant"]
        .clone();
    assert_eq!((participant["role"].as_str(), participant["status"].as_str()), (Some("ATTENDEE"), Some("INVITED")));
    let attended = app
        .data(
            "mutation($id: ID!) { setParticipationStatus(id: $id, status: ATTENDED, expectedVersion: 1) { status version history { changes } } }",
            json!({ "id": participant["id"] }),
            &admin,
        )
        .await["setParticipationStatus"]
        .clone();
    assert_eq!(attended["status"], "ATTENDED");
    assert_eq!(attended["history"][1]["changes"]["status"], json!({ "before": "INVITED", "after": "ATTENDED" }));

    // The outcome: when it was held, how many came, the report.
    let outcome = app
        .data(
            "mutation($id: ID!) { recordEventOutcome(id: $id, input: {heldOn: \"2021-05-26\", attendeeCount: 42, report: \"  17 Champion countries took part.  \"}, expectedVersion: 1) { heldOn attendeeCount outcomeReport version } }",
            json!({ "id": event["id"] }),
            &admin,
        )
        .await["recordEventOutcome"]
        .clone();
    assert_eq!(
        outcome,
        json!({ "heldOn": "2021-05-26", "attendeeCount": 42, "outcomeReport": "17 Champion countries took part.", "version": 2 })
    );
    let negative = app
        .refused(
            "mutation($id: ID!) { recordEventOutcome(id: $id, input: {attendeeCount: -1}, expectedVersion: 2) { id } }",
            json!({ "id": event["id"] }),
            &admin,
        )
        .await;
    assert_eq!((error_code(&negative), error_field(&negative)), ("BAD_USER_INPUT", "attendeeCount"));

    // Follow-up actions, each with an owner, a due date and a status.
    const ADD: &str = "mutation($input: AddFollowUpActionInput!) { addFollowUpAction(input: $input) { id title status dueOn duePrecision ownerCountry { iso3 } ownerStakeholder { name } event { title } version } }";
    let share = app
        .data(ADD, json!({ "input": { "event": event["id"], "title": "Share the pilot report", "ownerCountry": "ken", "dueOn": "2021-07-01", "duePrecision": "MONTH" } }), &admin)
        .await["addFollowUpAction"]
        .clone();
    assert_eq!(share["ownerCountry"]["iso3"], "KEN");
    assert_eq!(share["status"], "OPEN");
    assert_eq!(share["event"]["title"], "Champions technical meeting");
    let undated = app
        .data(
            ADD,
            json!({ "input": { "event": event["id"], "title": "Circulate the summary", "ownerCountry": "GHA" } }),
            &admin,
        )
        .await["addFollowUpAction"]
        .clone();
    for (input, field) in [
        (json!({ "event": event["id"], "title": "No owner" }), "ownerCountry"),
        (
            json!({ "event": event["id"], "title": "Done without a day", "ownerCountry": "KEN", "status": "DONE" }),
            "doneOn",
        ),
        (json!({ "event": event["id"], "title": " ", "ownerCountry": "KEN" }), "title"),
    ] {
        let body = app.refused(ADD, json!({ "input": input }), &admin).await;
        assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", field), "{body}");
    }

    // Due in July 2021: not overdue on 31 July, overdue from 1 August, listed on the dashboard then.
    let overdue_on = |day: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let data = app
                .data(
                    "query($d: Date) { dashboard(filter: {asOf: $d}) { overdueFollowUpActions { title } } }",
                    json!({ "d": day }),
                    &admin,
                )
                .await;
            strings(data["dashboard"]["overdueFollowUpActions"].as_array().unwrap(), "title")
        }
    };
    assert!(overdue_on("2021-07-31").await.is_empty());
    assert_eq!(overdue_on("2021-08-01").await, ["Share the pilot report"]);
    let event_view = app
        .data("query($id: ID!) { node(id: $id) { ... on Event { followUpActions { title isOverdue(asOf: \"2021-08-01\") } } } }", json!({ "id": event["id"] }), &admin)
        .await;
    assert_eq!(
        event_view["node"]["followUpActions"],
        json!([{ "title": "Share the pilot report", "isOverdue": true }, { "title": "Circulate the summary", "isOverdue": false }])
    );
    // Done on 15 August: overdue as of 10 August, not as of 20 August.
    let done = app
        .data(
            "mutation($id: ID!) { updateFollowUpAction(id: $id, input: {status: DONE, doneOn: \"2021-08-15\"}, expectedVersion: 1) { status doneOn version } }",
            json!({ "id": share["id"] }),
            &admin,
        )
        .await["updateFollowUpAction"]
        .clone();
    assert_eq!(done, json!({ "status": "DONE", "doneOn": "2021-08-15", "version": 2 }));
    assert_eq!(overdue_on("2021-08-10").await, ["Share the pilot report"]);
    assert!(overdue_on("2021-08-20").await.is_empty());
    let listed = app
        .data(
            r#"{ followUpActions(filter: {ownerCountry: {eq: "GHA"}}) { totalCount edges { node { title } } } }"#,
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(listed["followUpActions"]["totalCount"], 1);

    // Kept by the Secretariat; read by everyone signed in.
    let lead = app.login(WG_LEAD).await;
    let forbidden = app
        .refused("mutation($id: ID!) { deleteFollowUpAction(id: $id) }", json!({ "id": undated["id"] }), &lead)
        .await;
    assert_eq!(error_code(&forbidden), "FORBIDDEN");
    let mar = app.login(CHAMPION_MAR).await;
    let read = app.data("{ followUpActions { totalCount } }", json!({}), &mar).await;
    assert_eq!(read["followUpActions"]["totalCount"], 2);
    app.data("mutation($id: ID!) { deleteFollowUpAction(id: $id) }", json!({ "id": undated["id"] }), &admin).await;
    let rows = entity::follow_up_action::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1);
}
