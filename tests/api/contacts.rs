//! Contacts: personal data of people at a country or a stakeholder, read and written only by those who may.

use crate::common::*;
use entity::{contact, country, stakeholder};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const CONTACT: &str = "fragment C on Contact { id name email title phone notes country { iso3 } stakeholder { name }
    createdAt updatedAt version }";

/// The operation, with the fragment appended when it spreads it.
fn with_fragment(operation: &str) -> String {
    if operation.contains("{ ...") { format!("{operation} {CONTACT}") } else { operation.to_owned() }
}

const CREATE: &str = "mutation($input: CreateContactInput!) { createContact(input: $input) { ...C } }";
const UPDATE: &str = "mutation($id: ID!, $input: UpdateContactInput!, $v: Int!) {
    updateContact(id: $id, input: $input, expectedVersion: $v) { ...C } }";
const DELETE: &str = "mutation($id: ID!) { deleteContact(id: $id) }";

async fn stored(app: &TestApp, id: &Value) -> contact::Model {
    contact::Entity::find_by_id(key_of(id)).one(&app.db).await.unwrap().expect("contact stored")
}

async fn contact_count(app: &TestApp) -> u64 {
    contact::Entity::find().count(&app.db).await.unwrap()
}

async fn stakeholder_id(app: &TestApp, name: &str) -> String {
    let row =
        stakeholder::Entity::find().filter(stakeholder::Column::Name.eq(name)).one(&app.db).await.unwrap().unwrap();
    global_id("Stakeholder", row.id)
}

const IOM: &str = "International Organization for Migration";

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.data(&with_fragment(CREATE), json!({ "input": input }), token).await["createContact"].clone()
}

async fn refused(app: &TestApp, token: &str, operation: &str, variables: Value) -> Value {
    app.refused(&with_fragment(operation), variables, token).await
}

#[tokio::test]
async fn contacts_of_countries_and_stakeholders_are_created_changed_and_deleted() {
    let app = TestApp::spawn().await;
    let mar = app.login(CHAMPION_MAR).await;
    let created = create(
        &app,
        &mar,
        json!({ "country": "mar", "name": "  Amina El Idrissi ", "email": " Amina.ElIdrissi@Example.GOV.ma ",
                "title": "Director of Migration Policy", "phone": "+212 537 00 00 00", "notes": "Prefers French." }),
    )
    .await;
    assert_eq!(created["name"], "Amina El Idrissi");
    assert_eq!(created["email"], "amina.elidrissi@example.gov.ma");
    assert_eq!(created["title"], "Director of Migration Policy");
    assert_eq!(created["phone"], "+212 537 00 00 00");
    assert_eq!(created["country"]["iso3"], "MAR");
    assert_eq!(created["stakeholder"], Value::Null);
    assert_eq!(created["version"], 1);
    let row = stored(&app, &created["id"]).await;
    let morocco =
        country::Entity::find().filter(country::Column::Iso3.eq("MAR")).one(&app.db).await.unwrap().unwrap().id;
    assert_eq!((row.country_id, row.stakeholder_id), (Some(morocco), None));
    assert_eq!(row.name, "Amina El Idrissi");
    assert_eq!(row.email.as_deref(), Some("amina.elidrissi@example.gov.ma"));
    assert_eq!(row.notes.as_deref(), Some("Prefers French."));
    assert_eq!(row.version, 1);

    let updated = app
        .data(
            &with_fragment(UPDATE),
            json!({ "id": created["id"], "v": 1, "input": { "title": "Secretary-General", "phone": null, "email": "a@b.org" } }),
            &mar,
        )
        .await["updateContact"]
        .clone();
    assert_eq!((updated["title"].as_str(), updated["phone"].as_str()), (Some("Secretary-General"), None));
    assert_eq!(updated["email"], "a@b.org");
    assert_eq!(updated["name"], "Amina El Idrissi");
    assert_eq!(updated["version"], 2);
    let row = stored(&app, &created["id"]).await;
    assert_eq!((row.title.as_deref(), row.phone.as_deref(), row.version), (Some("Secretary-General"), None, 2));

    // The Secretariat adds a stakeholder's contact.
    let admin = app.admin_token().await;
    let iom = stakeholder_id(&app, IOM).await;
    let at_iom = create(&app, &admin, json!({ "stakeholder": iom, "name": "Network Secretariat desk" })).await;
    assert_eq!(at_iom["stakeholder"]["name"], IOM);
    assert_eq!(at_iom["country"], Value::Null);
    let row = stored(&app, &at_iom["id"]).await;
    assert_eq!((row.country_id, row.stakeholder_id), (None, Some(key_of(&json!(iom)))));

    let data = app
        .data(
            r#"query($iom: ID!) { contacts(orderBy: [{field: NAME}]) { totalCount edges { node { name } } }
                 byStakeholder: contacts(filter: {stakeholder: $iom}) { edges { node { name } } }
                 byCountry: contacts(filter: {country: "MAR"}) { edges { node { name } } }
                 search: contacts(filter: {search: "b.org"}) { edges { node { name } } }
                 country(iso3: "MAR") { contacts { name } }
                 node(id: $iom) { ... on Stakeholder { contacts { name } } } }"#,
            json!({ "iom": iom }),
            &admin,
        )
        .await;
    assert_eq!(data["contacts"]["totalCount"], 2);
    assert_eq!(strings(&nodes(&data["contacts"]), "name"), ["Amina El Idrissi", "Network Secretariat desk"]);
    assert_eq!(strings(&nodes(&data["byStakeholder"]), "name"), ["Network Secretariat desk"]);
    assert_eq!(strings(&nodes(&data["byCountry"]), "name"), ["Amina El Idrissi"]);
    assert_eq!(strings(&nodes(&data["search"]), "name"), ["Amina El Idrissi"]);
    assert_eq!(data["country"]["contacts"], json!([{ "name": "Amina El Idrissi" }]));
    assert_eq!(data["node"]["contacts"], json!([{ "name": "Network Secretariat desk" }]));

    assert_eq!(app.data(DELETE, json!({ "id": created["id"] }), &mar).await["deleteContact"], created["id"]);
    assert_eq!(app.data(DELETE, json!({ "id": at_iom["id"] }), &admin).await["deleteContact"], at_iom["id"]);
    assert_eq!(contact_count(&app).await, 0);
}

#[tokio::test]
async fn bad_contact_input_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let iom = stakeholder_id(&app, IOM).await;
    let created =
        create(&app, &admin, json!({ "country": "SLV", "name": "Carlos", "email": "carlos@example.org" })).await;
    let valid = json!({ "country": "SLV", "name": "Ana" });
    let with = |field: &str, value: Value| {
        let mut input = valid.clone();
        input[field] = value;
        input
    };
    let cases = [
        (json!({ "name": "Nobody's" }), "BAD_USER_INPUT", "country"),
        (with("stakeholder", json!(iom)), "BAD_USER_INPUT", "country"),
        (with("country", json!("XXX")), "NOT_FOUND", "country"),
        (with("country", json!("EL SALVADOR")), "BAD_USER_INPUT", "country"),
        (json!({ "stakeholder": global_id("Stakeholder", 9999), "name": "Ana" }), "NOT_FOUND", "stakeholder"),
        (json!({ "stakeholder": "garbled", "name": "Ana" }), "BAD_USER_INPUT", "stakeholder"),
        (json!({ "stakeholder": global_id("Country", 1), "name": "Ana" }), "BAD_USER_INPUT", "stakeholder"),
        (with("name", json!("")), "BAD_USER_INPUT", "name"),
        (with("name", json!("x".repeat(201))), "BAD_USER_INPUT", "name"),
        (with("title", json!("x".repeat(201))), "BAD_USER_INPUT", "title"),
        (with("email", json!("not an email")), "BAD_USER_INPUT", "email"),
        (with("email", json!("ana@nowhere")), "BAD_USER_INPUT", "email"),
        (with("phone", json!("call me")), "BAD_USER_INPUT", "phone"),
        (with("phone", json!("1".repeat(65))), "BAD_USER_INPUT", "phone"),
        (with("notes", json!("x".repeat(20_001))), "BAD_USER_INPUT", "notes"),
    ];
    for (input, code, field) in cases {
        let body = refused(&app, &admin, CREATE, json!({ "input": input })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{input}: {body}");
        assert_eq!(contact_count(&app).await, 1, "nothing written for {input}");
    }

    let id = created["id"].clone();
    for (input, field) in [
        (json!({ "email": "broken@" }), "email"),
        (json!({ "name": "  " }), "name"),
        (json!({ "phone": "+41 (0) 22 abc" }), "phone"),
        (json!({ "title": "x".repeat(201) }), "title"),
    ] {
        let body = refused(&app, &admin, UPDATE, json!({ "id": id, "v": 1, "input": input })).await;
        assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", field), "{input}: {body}");
        let row = stored(&app, &id).await;
        assert_eq!((row.version, row.name.as_str(), row.email.as_deref()), (1, "Carlos", Some("carlos@example.org")));
    }
    for (bad_id, code) in [("bm9wZQ", "BAD_USER_INPUT"), (global_id("Contact", 9999).as_str(), "NOT_FOUND")] {
        let body = refused(&app, &admin, UPDATE, json!({ "id": bad_id, "v": 1, "input": {} })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, "id"));
        let body = refused(&app, &admin, DELETE, json!({ "id": bad_id })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, "id"));
    }
    assert_eq!(contact_count(&app).await, 1);
}

#[tokio::test]
async fn a_stale_version_conflicts_and_of_two_concurrent_writers_one_wins() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_SLV).await;
    let created = create(&app, &token, json!({ "country": "SLV", "name": "Carlos" })).await;
    let id = created["id"].clone();
    app.data(&with_fragment(UPDATE), json!({ "id": id, "v": 1, "input": { "notes": "first" } }), &token).await;
    let body = refused(&app, &token, UPDATE, json!({ "id": id, "v": 1, "input": { "notes": "stale" } })).await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "expectedVersion"));
    let row = stored(&app, &id).await;
    assert_eq!((row.version, row.notes.as_deref()), (2, Some("first")));

    let update = with_fragment(UPDATE);
    let (a, b) = tokio::join!(
        app.post(&update, json!({ "id": id, "v": 2, "input": { "name": "Writer A" } }), Some(&token)),
        app.post(&update, json!({ "id": id, "v": 2, "input": { "name": "Writer B" } }), Some(&token)),
    );
    let bodies = [&a.1, &b.1];
    let winners: Vec<_> = bodies.iter().filter(|b| b.get("errors").is_none()).collect();
    let losers: Vec<_> = bodies.iter().filter(|b| b.get("errors").is_some()).collect();
    assert_eq!((winners.len(), losers.len()), (1, 1), "{a:?} {b:?}");
    assert_eq!(error_code(losers[0]), "CONFLICT");
    let row = stored(&app, &id).await;
    assert_eq!(row.version, 3);
    assert_eq!(winners[0]["data"]["updateContact"]["name"].as_str(), Some(row.name.as_str()));
}

#[tokio::test]
async fn a_champion_reads_and_writes_only_its_own_countrys_contacts() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let mar = app.login(CHAMPION_MAR).await;
    let slv = app.login(CHAMPION_SLV).await;
    let iom = stakeholder_id(&app, IOM).await;
    let ours = create(&app, &mar, json!({ "country": "MAR", "name": "Amina" })).await;
    let theirs = create(&app, &slv, json!({ "country": "SLV", "name": "Carlos" })).await;
    let at_iom = create(&app, &admin, json!({ "stakeholder": iom, "name": "Desk" })).await;

    let read = r#"query($theirs: ID!, $iomContact: ID!, $iom: ID!) {
        contacts { totalCount edges { node { name } } }
        filtered: contacts(filter: {country: "SLV"}) { totalCount }
        ofIom: contacts(filter: {stakeholder: $iom}) { totalCount }
        theirs: node(id: $theirs) { id }
        iomContact: node(id: $iomContact) { id }
        slv: country(iso3: "SLV") { contacts { name } }
        iom: node(id: $iom) { ... on Stakeholder { contacts { name } } }
        stakeholders(filter: {search: "IOM"}) { edges { node { contacts { name } } } } }"#;
    let ids = json!({ "theirs": theirs["id"], "iomContact": at_iom["id"], "iom": iom });
    let data = app.data(read, ids.clone(), &mar).await;
    assert_eq!(data["contacts"]["totalCount"], 1);
    assert_eq!(strings(&nodes(&data["contacts"]), "name"), ["Amina"]);
    assert_eq!(data["filtered"]["totalCount"], 0);
    assert_eq!(data["ofIom"]["totalCount"], 0);
    assert_eq!(data["theirs"], Value::Null);
    assert_eq!(data["iomContact"], Value::Null);
    assert_eq!(data["slv"]["contacts"], json!([]));
    assert_eq!(data["iom"]["contacts"], json!([]));
    assert_eq!(nodes(&data["stakeholders"])[0]["contacts"], json!([]));

    let before = (contact_count(&app).await, stored(&app, &theirs["id"]).await, stored(&app, &at_iom["id"]).await);
    // Creating for another owner is forbidden; records it may not read are as unknown to it as
    // missing ones, so their ids cannot be probed.
    for (operation, variables, code) in [
        (CREATE, json!({ "input": { "country": "SLV", "name": "Not ours" } }), "FORBIDDEN"),
        (CREATE, json!({ "input": { "stakeholder": iom, "name": "Not ours" } }), "FORBIDDEN"),
        (UPDATE, json!({ "id": theirs["id"], "v": 1, "input": { "name": "Hijacked" } }), "NOT_FOUND"),
        (UPDATE, json!({ "id": at_iom["id"], "v": 1, "input": { "name": "Hijacked" } }), "NOT_FOUND"),
        (DELETE, json!({ "id": theirs["id"] }), "NOT_FOUND"),
        (DELETE, json!({ "id": at_iom["id"] }), "NOT_FOUND"),
    ] {
        let body = refused(&app, &mar, operation, variables).await;
        assert_eq!(error_code(&body), code, "{body}");
    }
    let after = (contact_count(&app).await, stored(&app, &theirs["id"]).await, stored(&app, &at_iom["id"]).await);
    assert_eq!(after, before);

    // Working-group leads read every contact, a stakeholder's too, and write none.
    let lead = app.login(WG_LEAD).await;
    let data = app.data(read, ids, &lead).await;
    assert_eq!(data["contacts"]["totalCount"], 3);
    assert_eq!(data["filtered"]["totalCount"], 1);
    assert_eq!(data["ofIom"]["totalCount"], 1);
    assert_eq!(data["theirs"]["id"], theirs["id"]);
    assert_eq!(data["iomContact"]["id"], at_iom["id"]);
    assert_eq!(data["slv"]["contacts"], json!([{ "name": "Carlos" }]));
    assert_eq!(data["iom"]["contacts"], json!([{ "name": "Desk" }]));
    for (operation, variables) in [
        (CREATE, json!({ "input": { "country": "MAR", "name": "Lead's" } })),
        (CREATE, json!({ "input": { "stakeholder": iom, "name": "Lead's" } })),
        (UPDATE, json!({ "id": ours["id"], "v": 1, "input": { "name": "Lead" } })),
        (DELETE, json!({ "id": at_iom["id"] })),
    ] {
        let body = refused(&app, &lead, operation, variables).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    }
    let after = (contact_count(&app).await, stored(&app, &theirs["id"]).await, stored(&app, &at_iom["id"]).await);
    assert_eq!(after, before);

    let (_, body) = app.post("{ contacts { totalCount } }", json!({}), None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}
