//! Managing stakeholders: the Secretariat creates, changes and deletes them; names are unique; a
//! stakeholder something still refers to is not deleted.

use crate::common::*;
use chrono::{NaiveDate, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::event_participant::ParticipationRole;
use entity::feedback::{FeedbackChannel, FeedbackKind, FeedbackStatus};
use entity::stakeholder::{self, StakeholderKind};
use entity::{contact, country, event, event_participant, feedback, guide_version};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

const STAKEHOLDER: &str = "fragment S on Stakeholder { id name acronym kind description sourceNote provenance
    country { iso3 } createdAt updatedAt version }";

/// The operation, with the fragment appended when it spreads it.
fn with_fragment(operation: &str) -> String {
    if operation.contains("{ ...") { format!("{operation} {STAKEHOLDER}") } else { operation.to_owned() }
}

const CREATE: &str = "mutation($input: CreateStakeholderInput!) { createStakeholder(input: $input) { ...S } }";
const UPDATE: &str = "mutation($id: ID!, $input: UpdateStakeholderInput!, $v: Int!) {
    updateStakeholder(id: $id, input: $input, expectedVersion: $v) { ...S } }";
const DELETE: &str = "mutation($id: ID!) { deleteStakeholder(id: $id) }";

async fn stored(app: &TestApp, id: &Value) -> Option<stakeholder::Model> {
    stakeholder::Entity::find_by_id(key_of(id)).one(&app.db).await.unwrap()
}

async fn stakeholder_count(app: &TestApp) -> u64 {
    stakeholder::Entity::find().count(&app.db).await.unwrap()
}

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.data(&with_fragment(CREATE), json!({ "input": input }), token).await["createStakeholder"].clone()
}

async fn refused(app: &TestApp, token: &str, operation: &str, variables: Value) -> Value {
    app.refused(&with_fragment(operation), variables, token).await
}

#[tokio::test]
async fn the_secretariat_creates_changes_and_deletes_a_stakeholder() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let created = create(
        &app,
        &admin,
        json!({ "name": "  Accra Migration Forum ", "acronym": "AMF", "kind": "CIVIL_SOCIETY", "country": "gha",
                "description": "Network of migrant associations.", "sourceNote": "Meeting notes, March 2021" }),
    )
    .await;
    assert_eq!(created["name"], "Accra Migration Forum");
    assert_eq!(created["acronym"], "AMF");
    assert_eq!(created["kind"], "CIVIL_SOCIETY");
    assert_eq!(created["country"]["iso3"], "GHA");
    assert_eq!(created["provenance"], "USER_ENTERED");
    assert_eq!(created["version"], 1);
    let row = stored(&app, &created["id"]).await.unwrap();
    let ghana = country::Entity::find().filter(country::Column::Iso3.eq("GHA")).one(&app.db).await.unwrap().unwrap();
    assert_eq!(row.name, "Accra Migration Forum");
    assert_eq!(row.country_id, Some(ghana.id));
    assert_eq!(row.kind, StakeholderKind::CivilSociety);
    assert_eq!(row.provenance, Provenance::UserEntered);
    assert_eq!(row.source_note.as_deref(), Some("Meeting notes, March 2021"));

    let updated = app
        .data(
            &with_fragment(UPDATE),
            json!({ "id": created["id"], "v": 1,
                    "input": { "name": "West Africa Migration Forum", "country": null, "acronym": null, "kind": "REGIONAL_BODY" } }),
            &admin,
        )
        .await["updateStakeholder"]
        .clone();
    assert_eq!(updated["name"], "West Africa Migration Forum");
    assert_eq!(updated["country"], Value::Null);
    assert_eq!(updated["acronym"], Value::Null);
    assert_eq!(updated["kind"], "REGIONAL_BODY");
    assert_eq!(updated["description"], "Network of migrant associations.");
    assert_eq!(updated["version"], 2);
    let row = stored(&app, &created["id"]).await.unwrap();
    assert_eq!(
        (row.name.as_str(), row.country_id, row.acronym, row.version),
        ("West Africa Migration Forum", None, None, 2)
    );

    // Every signed-in user reads stakeholders.
    let champion = app.login(CHAMPION_SLV).await;
    let data = app
        .data(
            r#"{ stakeholders(filter: {search: "west africa"}) { edges { node { name kind } } } }"#,
            json!({}),
            &champion,
        )
        .await;
    assert_eq!(
        nodes(&data["stakeholders"]),
        [json!({ "name": "West Africa Migration Forum", "kind": "REGIONAL_BODY" })]
    );

    let before = stakeholder_count(&app).await;
    assert_eq!(app.data(DELETE, json!({ "id": created["id"] }), &admin).await["deleteStakeholder"], created["id"]);
    assert_eq!(stakeholder_count(&app).await, before - 1);
    assert!(stored(&app, &created["id"]).await.is_none());
}

#[tokio::test]
async fn bad_stakeholder_input_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let created = create(&app, &admin, json!({ "name": "Forum", "kind": "OTHER" })).await;
    let before = stakeholder_count(&app).await;
    let valid = json!({ "name": "New body", "kind": "ACADEMIA" });
    let with = |field: &str, value: Value| {
        let mut input = valid.clone();
        input[field] = value;
        input
    };
    let cases = [
        (with("name", json!(" ")), "BAD_USER_INPUT", "name"),
        (with("name", json!("x".repeat(501))), "BAD_USER_INPUT", "name"),
        (with("acronym", json!("X".repeat(33))), "BAD_USER_INPUT", "acronym"),
        (with("description", json!("x".repeat(20_001))), "BAD_USER_INPUT", "description"),
        (with("sourceNote", json!("x".repeat(20_001))), "BAD_USER_INPUT", "sourceNote"),
        (with("country", json!("QQQ")), "NOT_FOUND", "country"),
        (with("country", json!("Q")), "BAD_USER_INPUT", "country"),
        (with("name", json!("international organization for MIGRATION")), "CONFLICT", "name"),
        (with("name", json!("  Forum ")), "CONFLICT", "name"),
    ];
    for (input, code, field) in cases {
        let body = refused(&app, &admin, CREATE, json!({ "input": input })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{input}: {body}");
        assert_eq!(stakeholder_count(&app).await, before, "nothing written for {input}");
    }

    let id = created["id"].clone();
    for (input, code, field) in [
        (json!({ "name": "" }), "BAD_USER_INPUT", "name"),
        (json!({ "name": "Migration Network Hub" }), "CONFLICT", "name"),
        (json!({ "country": "QQQ" }), "NOT_FOUND", "country"),
        (json!({ "acronym": "TOO-LONG-FOR-AN-ACRONYM-REALLY-TOO" }), "BAD_USER_INPUT", "acronym"),
    ] {
        let body = refused(&app, &admin, UPDATE, json!({ "id": id, "v": 1, "input": input })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{input}: {body}");
        let row = stored(&app, &id).await.unwrap();
        assert_eq!((row.version, row.name.as_str(), row.country_id), (1, "Forum", None), "{input}");
    }
    // Renaming to its own name, in another case, is no clash.
    let data =
        app.data(&with_fragment(UPDATE), json!({ "id": id, "v": 1, "input": { "name": "FORUM" } }), &admin).await;
    assert_eq!(data["updateStakeholder"]["name"], "FORUM");

    for (bad_id, code) in [("bm9wZQ", "BAD_USER_INPUT"), (global_id("Stakeholder", 9999).as_str(), "NOT_FOUND")] {
        let body = refused(&app, &admin, UPDATE, json!({ "id": bad_id, "v": 1, "input": {} })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, "id"));
        let body = refused(&app, &admin, DELETE, json!({ "id": bad_id })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, "id"));
    }
    assert_eq!(stakeholder_count(&app).await, before);
}

async fn insert_feedback(app: &TestApp, stakeholder_id: i32) {
    let version = guide_version::Entity::find().one(&app.db).await.unwrap().unwrap();
    let now = Utc::now();
    feedback::ActiveModel {
        country_id: Set(None),
        stakeholder_id: Set(Some(stakeholder_id)),
        collective: Set(None),
        channel: Set(FeedbackChannel::WrittenComment),
        kind: Set(FeedbackKind::Suggestion),
        body: Set("Add examples.".into()),
        language: Set("en".into()),
        guide_version_id: Set(version.id),
        pilot_id: Set(None),
        event_id: Set(None),
        status: Set(FeedbackStatus::Received),
        response: Set(None),
        responded_at: Set(None),
        received_on: Set(NaiveDate::from_ymd_opt(2021, 3, 1).unwrap()),
        submitted_by_id: Set(None),
        provenance: Set(Provenance::Illustrative),
        source_note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

async fn insert_participation(app: &TestApp, stakeholder_id: i32) {
    let now = Utc::now();
    let event = event::ActiveModel {
        title: Set("Briefing".into()),
        kind: Set(event::EventKind::Briefing),
        starts_on: Set(NaiveDate::from_ymd_opt(2020, 10, 19).unwrap()),
        ends_on: Set(None),
        date_precision: Set(DatePrecision::Day),
        location: Set(None),
        online: Set(true),
        organizer: Set(None),
        description: Set(None),
        provenance: Set(Provenance::Illustrative),
        source_note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    event_participant::ActiveModel {
        event_id: Set(event.id),
        country_id: Set(None),
        stakeholder_id: Set(Some(stakeholder_id)),
        role: Set(ParticipationRole::Speaker),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_stakeholder_still_referred_to_is_not_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let with_contact = create(&app, &admin, json!({ "name": "Has a contact", "kind": "OTHER" })).await;
    let with_feedback = create(&app, &admin, json!({ "name": "Gave feedback", "kind": "OTHER" })).await;
    let with_event = create(&app, &admin, json!({ "name": "Spoke at an event", "kind": "OTHER" })).await;
    app.data(
        "mutation($s: ID!) { createContact(input: {stakeholder: $s, name: \"Desk\"}) { id } }",
        json!({ "s": with_contact["id"] }),
        &admin,
    )
    .await;
    insert_feedback(&app, key_of(&with_feedback["id"])).await;
    insert_participation(&app, key_of(&with_event["id"])).await;

    let before = stakeholder_count(&app).await;
    for referenced in [&with_contact, &with_feedback, &with_event] {
        let body = refused(&app, &admin, DELETE, json!({ "id": referenced["id"] })).await;
        assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "id"), "{body}");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("still referred to"), "{body}");
        assert!(stored(&app, &referenced["id"]).await.is_some());
    }
    assert_eq!(stakeholder_count(&app).await, before);
    assert_eq!(contact::Entity::find().count(&app.db).await.unwrap(), 1);
    assert_eq!(feedback::Entity::find().count(&app.db).await.unwrap(), 1);
    assert_eq!(event_participant::Entity::find().count(&app.db).await.unwrap(), 1);

    // Once the contact is gone, so may the stakeholder be.
    contact::Entity::delete_many().exec(&app.db).await.unwrap();
    app.data(DELETE, json!({ "id": with_contact["id"] }), &admin).await;
    assert!(stored(&app, &with_contact["id"]).await.is_none());
}

#[tokio::test]
async fn a_stale_version_conflicts_and_of_two_concurrent_writers_one_wins() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let created = create(&app, &admin, json!({ "name": "Forum", "kind": "OTHER" })).await;
    let id = created["id"].clone();
    app.data(&with_fragment(UPDATE), json!({ "id": id, "v": 1, "input": { "description": "first" } }), &admin).await;
    let body = refused(&app, &admin, UPDATE, json!({ "id": id, "v": 1, "input": { "description": "stale" } })).await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "expectedVersion"));
    let row = stored(&app, &id).await.unwrap();
    assert_eq!((row.version, row.description.as_deref()), (2, Some("first")));

    let update = with_fragment(UPDATE);
    let (a, b) = tokio::join!(
        app.post(&update, json!({ "id": id, "v": 2, "input": { "name": "Forum A" } }), Some(&admin)),
        app.post(&update, json!({ "id": id, "v": 2, "input": { "name": "Forum B" } }), Some(&admin)),
    );
    let bodies = [&a.1, &b.1];
    let winners: Vec<_> = bodies.iter().filter(|b| b.get("errors").is_none()).collect();
    let losers: Vec<_> = bodies.iter().filter(|b| b.get("errors").is_some()).collect();
    assert_eq!((winners.len(), losers.len()), (1, 1), "{a:?} {b:?}");
    assert_eq!(error_code(losers[0]), "CONFLICT");
    let row = stored(&app, &id).await.unwrap();
    assert_eq!(row.version, 3);
    assert_eq!(winners[0]["data"]["updateStakeholder"]["name"].as_str(), Some(row.name.as_str()));
}

#[tokio::test]
async fn only_the_secretariat_manages_stakeholders() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let created = create(&app, &admin, json!({ "name": "Forum", "kind": "OTHER" })).await;
    let before = (stakeholder_count(&app).await, stored(&app, &created["id"]).await);
    for email in [WG_LEAD, CHAMPION_MAR] {
        let token = app.login(email).await;
        for (operation, variables) in [
            (CREATE, json!({ "input": { "name": "Mine", "kind": "OTHER" } })),
            (UPDATE, json!({ "id": created["id"], "v": 1, "input": { "name": "Mine" } })),
            (DELETE, json!({ "id": created["id"] })),
        ] {
            let body = refused(&app, &token, operation, variables).await;
            assert_eq!(error_code(&body), "FORBIDDEN", "{email}: {body}");
        }
        let data = app.data("{ stakeholders { totalCount } }", json!({}), &token).await;
        assert_eq!(data["stakeholders"]["totalCount"], before.0);
    }
    let (_, body) =
        app.post(&with_fragment(CREATE), json!({ "input": { "name": "Anon", "kind": "OTHER" } }), None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert_eq!((stakeholder_count(&app).await, stored(&app, &created["id"]).await), before);
}
