//! Planned uses: how a Champion country plans to use the guidance, linked to sections and events.

use crate::common::*;
use chrono::{NaiveDate, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::event::{self, EventKind};
use entity::planned_use::{self, PlannedUseKind, PlannedUseStatus};
use entity::{guide_section, planned_use_event, planned_use_section};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

const USE: &str = "fragment U on PlannedUse { id country { iso3 } kind description status targetDate
    sections { code } events { id } provenance createdAt updatedAt version }";

/// The operation, with the fragment appended when it spreads it.
fn with_fragment(operation: &str) -> String {
    if operation.contains("{ ...") { format!("{operation} {USE}") } else { operation.to_owned() }
}

const CREATE: &str = "mutation($input: CreatePlannedUseInput!) { createPlannedUse(input: $input) { ...U } }";
const UPDATE: &str = "mutation($id: ID!, $input: UpdatePlannedUseInput!, $v: Int!) {
    updatePlannedUse(id: $id, input: $input, expectedVersion: $v) { ...U } }";
const DELETE: &str = "mutation($id: ID!) { deletePlannedUse(id: $id) }";

async fn stored(app: &TestApp, id: &Value) -> planned_use::Model {
    planned_use::Entity::find_by_id(key_of(id)).one(&app.db).await.unwrap().expect("planned use stored")
}

/// Codes of the sections linked to a planned use, as stored.
async fn stored_sections(app: &TestApp, id: &Value) -> Vec<String> {
    let links = planned_use_section::Entity::find()
        .filter(planned_use_section::Column::PlannedUseId.eq(key_of(id)))
        .all(&app.db)
        .await
        .unwrap();
    let ids: Vec<i32> = links.iter().map(|l| l.section_id).collect();
    let mut codes: Vec<String> = guide_section::Entity::find()
        .filter(guide_section::Column::Id.is_in(ids))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.code)
        .collect();
    codes.sort();
    codes
}

async fn stored_events(app: &TestApp, id: &Value) -> Vec<i32> {
    let mut ids: Vec<i32> = planned_use_event::Entity::find()
        .filter(planned_use_event::Column::PlannedUseId.eq(key_of(id)))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.event_id)
        .collect();
    ids.sort();
    ids
}

/// Rows in the planned-use table and both of its link tables.
async fn counts(app: &TestApp) -> (u64, u64, u64) {
    (
        planned_use::Entity::find().count(&app.db).await.unwrap(),
        planned_use_section::Entity::find().count(&app.db).await.unwrap(),
        planned_use_event::Entity::find().count(&app.db).await.unwrap(),
    )
}

/// An event row, straight into the database (the events API is another domain's).
async fn insert_event(app: &TestApp, title: &str) -> i32 {
    let now = Utc::now();
    event::ActiveModel {
        title: Set(title.into()),
        kind: Set(EventKind::Imrf),
        starts_on: Set(NaiveDate::from_ymd_opt(2022, 5, 17).unwrap()),
        ends_on: Set(None),
        date_precision: Set(DatePrecision::Day),
        location: Set(None),
        online: Set(false),
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
    .unwrap()
    .id
}

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.data(&with_fragment(CREATE), json!({ "input": input }), token).await["createPlannedUse"].clone()
}

async fn refused(app: &TestApp, token: &str, operation: &str, variables: Value) -> Value {
    app.refused(&with_fragment(operation), variables, token).await
}

#[tokio::test]
async fn a_champion_plans_a_use_with_sections_and_events_then_changes_and_deletes_it() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_MAR).await;
    let imrf = insert_event(&app, "IMRF side event").await;
    let review = insert_event(&app, "Regional review").await;

    let created = create(
        &app,
        &token,
        json!({ "country": "MAR", "kind": "NATIONAL_IMPLEMENTATION_PLAN", "description": "  A national plan built on step 3.  ",
                "targetDate": "2022-06-30", "sections": ["step-3", "III.A", "STEP-3"],
                "events": [global_id("Event", imrf)] }),
    )
    .await;
    assert_eq!(created["country"]["iso3"], "MAR");
    assert_eq!(created["kind"], "NATIONAL_IMPLEMENTATION_PLAN");
    assert_eq!(created["description"], "A national plan built on step 3.");
    assert_eq!(created["status"], "PLANNED");
    assert_eq!(created["targetDate"], "2022-06-30");
    let mut codes = strings(created["sections"].as_array().unwrap(), "code");
    codes.sort();
    assert_eq!(codes, ["III.A", "STEP-3"], "codes are case-insensitive and duplicates count once");
    assert_eq!(created["events"], json!([{ "id": global_id("Event", imrf) }]));
    assert_eq!(created["provenance"], "USER_ENTERED");
    assert_eq!(created["version"], 1);
    let row = stored(&app, &created["id"]).await;
    assert_eq!(row.kind, PlannedUseKind::NationalImplementationPlan);
    assert_eq!(row.description, "A national plan built on step 3.");
    assert_eq!(row.status, PlannedUseStatus::Planned);
    assert_eq!(row.target_date, NaiveDate::from_ymd_opt(2022, 6, 30));
    assert_eq!(row.provenance, Provenance::UserEntered);
    assert_eq!(row.version, 1);
    assert_eq!(stored_sections(&app, &created["id"]).await, ["III.A", "STEP-3"]);
    assert_eq!(stored_events(&app, &created["id"]).await, [imrf]);

    // Lists given replace the links; lists not given leave them.
    let updated = app
        .data(
            &with_fragment(UPDATE),
            json!({ "id": created["id"], "v": 1,
                    "input": { "status": "IN_PROGRESS", "targetDate": null, "sections": ["OBJ-07"],
                               "events": [global_id("Event", review), global_id("Event", imrf)] } }),
            &token,
        )
        .await["updatePlannedUse"]
        .clone();
    assert_eq!(updated["status"], "IN_PROGRESS");
    assert_eq!(updated["targetDate"], Value::Null);
    assert_eq!(updated["description"], "A national plan built on step 3.");
    assert_eq!(strings(updated["sections"].as_array().unwrap(), "code"), ["OBJ-07"]);
    assert_eq!(updated["events"].as_array().unwrap().len(), 2);
    assert_eq!(updated["version"], 2);
    let row = stored(&app, &created["id"]).await;
    assert_eq!((row.status, row.target_date, row.version), (PlannedUseStatus::InProgress, None, 2));
    assert_eq!(stored_sections(&app, &created["id"]).await, ["OBJ-07"]);
    assert_eq!(stored_events(&app, &created["id"]).await, [imrf, review]);

    let updated = app
        .data(
            &with_fragment(UPDATE),
            json!({ "id": created["id"], "v": 2, "input": { "description": "Plan adopted.", "events": [] } }),
            &token,
        )
        .await["updatePlannedUse"]
        .clone();
    assert_eq!(updated["description"], "Plan adopted.");
    assert_eq!(updated["events"], json!([]));
    assert_eq!(stored_sections(&app, &created["id"]).await, ["OBJ-07"]);
    assert_eq!(stored_events(&app, &created["id"]).await, Vec::<i32>::new());

    // Readable from the list, the country, the section and node(id:).
    let data = app
        .data(
            r#"query($id: ID!) { plannedUses { totalCount edges { node { id } } }
                 country(iso3: "MAR") { plannedUses { id description } }
                 section(code: "OBJ-07") { plannedUses { id } }
                 node(id: $id) { ... on PlannedUse { description sections { code } } } }"#,
            json!({ "id": created["id"] }),
            &token,
        )
        .await;
    assert_eq!(data["plannedUses"]["totalCount"], 1);
    assert_eq!(data["country"]["plannedUses"], json!([{ "id": created["id"], "description": "Plan adopted." }]));
    assert_eq!(data["section"]["plannedUses"], json!([{ "id": created["id"] }]));
    assert_eq!(data["node"]["sections"], json!([{ "code": "OBJ-07" }]));

    let deleted = app.data(DELETE, json!({ "id": created["id"] }), &token).await;
    assert_eq!(deleted["deletePlannedUse"], created["id"]);
    assert_eq!(counts(&app).await, (0, 0, 0), "the use and its links are gone");
    assert_eq!(event::Entity::find().count(&app.db).await.unwrap(), 2, "the events stay");
}

#[tokio::test]
async fn planned_uses_filter_by_country_region_kind_status_date_section_and_text() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for (country, kind, status, date, sections, text) in [
        ("MAR", "NATIONAL_IMPLEMENTATION_PLAN", "PLANNED", json!("2022-06-30"), json!(["STEP-3"]), "National plan"),
        ("GHA", "PROMOTION", "IN_PROGRESS", json!("2022-02-15"), json!(["III.A"]), "Promote at ECOWAS"),
        ("SLV", "IMRF", "DONE", json!("2022-05-20"), json!(["III.A", "OBJ-23"]), "IMRF side event"),
        ("PRT", "TRAINING", "DROPPED", Value::Null, json!([]), "Train civil servants"),
    ] {
        let input = json!({ "country": country, "kind": kind, "status": status, "targetDate": date,
                             "sections": sections, "description": text });
        create(&app, &admin, input).await;
    }
    let data = app
        .data(
            r#"{ all: plannedUses(orderBy: [{field: TARGET_DATE}]) { totalCount }
                 ghana: plannedUses(filter: {country: "GHA"}) { edges { node { description } } }
                 africa: plannedUses(filter: {region: "Africa"}, orderBy: [{field: KIND}]) { edges { node { country { iso3 } } } }
                 kinds: plannedUses(filter: {kind: {in: [IMRF, TRAINING]}}, orderBy: [{field: KIND, direction: DESC}]) { edges { node { kind } } }
                 open: plannedUses(filter: {status: {notIn: [DONE, DROPPED]}}) { totalCount }
                 spring: plannedUses(filter: {targetDate: {gte: "2022-03-01"}}, orderBy: [{field: TARGET_DATE, direction: DESC}]) { edges { node { targetDate } } }
                 undated: plannedUses(filter: {targetDate: {isNull: true}}) { edges { node { kind } } }
                 iiia: plannedUses(filter: {section: "iii.a"}, orderBy: [{field: STATUS}]) { edges { node { country { iso3 } } } }
                 search: plannedUses(filter: {search: "ecowas"}) { edges { node { country { iso3 } } } } }"#,
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(data["all"]["totalCount"], 4);
    assert_eq!(strings(&nodes(&data["ghana"]), "description"), ["Promote at ECOWAS"]);
    let africa: Vec<_> = nodes(&data["africa"]).iter().map(|n| n["country"]["iso3"].clone()).collect();
    assert_eq!(africa, [json!("MAR"), json!("GHA")]);
    assert_eq!(strings(&nodes(&data["kinds"]), "kind"), ["TRAINING", "IMRF"]);
    assert_eq!(data["open"]["totalCount"], 2);
    assert_eq!(strings(&nodes(&data["spring"]), "targetDate"), ["2022-06-30", "2022-05-20"]);
    assert_eq!(strings(&nodes(&data["undated"]), "kind"), ["TRAINING"]);
    let iiia: Vec<_> = nodes(&data["iiia"]).iter().map(|n| n["country"]["iso3"].clone()).collect();
    assert_eq!(iiia, [json!("SLV"), json!("GHA")]);
    assert_eq!(nodes(&data["search"])[0]["country"]["iso3"], "GHA");

    let (_, body) =
        app.post(r#"{ plannedUses(filter: {section: "NOPE"}) { totalCount } }"#, json!({}), Some(&admin)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("NOT_FOUND", "filter.section"));
    let (_, body) =
        app.post(r#"{ plannedUses(filter: {country: "XYZ"}) { totalCount } }"#, json!({}), Some(&admin)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("NOT_FOUND", "filter.country"));
}

#[tokio::test]
async fn bad_planned_use_input_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_SLV).await;
    let event_id = insert_event(&app, "IMRF").await;
    let created = create(
        &app,
        &token,
        json!({ "country": "SLV", "kind": "IMRF", "description": "IMRF side event", "sections": ["III.A"],
                "events": [global_id("Event", event_id)] }),
    )
    .await;
    let before = counts(&app).await;
    assert_eq!(before, (1, 1, 1));
    let valid = json!({ "country": "SLV", "kind": "PROMOTION", "description": "Promote it" });
    let with = |field: &str, value: Value| {
        let mut input = valid.clone();
        input[field] = value;
        input
    };
    let cases = [
        (with("country", json!("ZZZ")), "NOT_FOUND", "country"),
        (with("country", json!("S1V")), "BAD_USER_INPUT", "country"),
        (with("country", json!("MAR")), "FORBIDDEN", ""),
        (with("description", json!(" ")), "BAD_USER_INPUT", "description"),
        (with("description", json!("x".repeat(20_001))), "BAD_USER_INPUT", "description"),
        (with("sections", json!(["III.A", "NOPE"])), "NOT_FOUND", "sections.1"),
        (with("sections", json!([""])), "BAD_USER_INPUT", "sections.0"),
        (with("events", json!([global_id("Event", 9999)])), "NOT_FOUND", "events.0"),
        (with("events", json!([global_id("Event", event_id), "garbled"])), "BAD_USER_INPUT", "events.1"),
        (with("events", json!([global_id("Section", 1)])), "BAD_USER_INPUT", "events.0"),
        // Values the schema itself refuses name the variable.
        (with("targetDate", json!("2021-02-30")), "BAD_USER_INPUT", "input.targetDate"),
        (with("kind", json!("PARTY")), "BAD_USER_INPUT", "input.kind"),
    ];
    for (input, code, field) in cases {
        let body = refused(&app, &token, CREATE, json!({ "input": input })).await;
        assert_eq!(error_code(&body), code, "{input}: {body}");
        if !field.is_empty() {
            assert_eq!(error_field(&body), field, "{input}: {body}");
        }
        assert_eq!(counts(&app).await, before, "nothing written for {input}");
    }
    let admin = app.admin_token().await;
    let body = refused(&app, &admin, CREATE, json!({ "input": with("country", json!("FRA")) })).await;
    assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "country"), "France is no Champion");

    let id = created["id"].clone();
    let update_cases = [
        (json!({ "description": "" }), "BAD_USER_INPUT", "description"),
        (json!({ "sections": ["OBJ-01", "OBJ-99"] }), "NOT_FOUND", "sections.1"),
        (json!({ "events": ["nope"] }), "BAD_USER_INPUT", "events.0"),
        (json!({ "status": "DONE", "events": [global_id("Event", 9999)] }), "NOT_FOUND", "events.0"),
    ];
    for (input, code, field) in update_cases {
        let body = refused(&app, &token, UPDATE, json!({ "id": id, "v": 1, "input": input })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{input}: {body}");
        let row = stored(&app, &id).await;
        assert_eq!((row.version, row.status), (1, PlannedUseStatus::Planned), "{input}");
        assert_eq!(stored_sections(&app, &id).await, ["III.A"]);
        assert_eq!(stored_events(&app, &id).await, [event_id]);
    }
    for (bad_id, code) in [("bm9wZQ", "BAD_USER_INPUT"), (global_id("PlannedUse", 9999).as_str(), "NOT_FOUND")] {
        let body = refused(&app, &token, UPDATE, json!({ "id": bad_id, "v": 1, "input": {} })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, "id"));
        let body = refused(&app, &token, DELETE, json!({ "id": bad_id })).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, "id"));
    }
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn a_stale_version_conflicts_and_of_two_concurrent_writers_one_wins() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_MAR).await;
    let created = create(
        &app,
        &token,
        json!({ "country": "MAR", "kind": "MAINSTREAMING", "description": "v1", "sections": ["I"] }),
    )
    .await;
    let id = created["id"].clone();
    app.data(&with_fragment(UPDATE), json!({ "id": id, "v": 1, "input": { "description": "v2" } }), &token).await;
    let body =
        refused(&app, &token, UPDATE, json!({ "id": id, "v": 1, "input": { "description": "stale", "sections": [] } }))
            .await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "expectedVersion"));
    let row = stored(&app, &id).await;
    assert_eq!((row.version, row.description.as_str()), (2, "v2"));
    assert_eq!(stored_sections(&app, &id).await, ["I"], "the stale write changed no link");

    let update = with_fragment(UPDATE);
    let (a, b) = tokio::join!(
        app.post(
            &update,
            json!({ "id": id, "v": 2, "input": { "description": "A", "sections": ["I.A"] } }),
            Some(&token)
        ),
        app.post(
            &update,
            json!({ "id": id, "v": 2, "input": { "description": "B", "sections": ["I.B"] } }),
            Some(&token)
        ),
    );
    let bodies = [&a.1, &b.1];
    let winners: Vec<_> = bodies.iter().filter(|b| b.get("errors").is_none()).collect();
    let losers: Vec<_> = bodies.iter().filter(|b| b.get("errors").is_some()).collect();
    assert_eq!((winners.len(), losers.len()), (1, 1), "{a:?} {b:?}");
    assert_eq!(error_code(losers[0]), "CONFLICT");
    let row = stored(&app, &id).await;
    let winner = &winners[0]["data"]["updatePlannedUse"];
    assert_eq!((row.version, winner["description"].as_str()), (3, Some(row.description.as_str())));
    let expected_section = if row.description == "A" { "I.A" } else { "I.B" };
    assert_eq!(stored_sections(&app, &id).await, [expected_section], "links match the winning write");
}

#[tokio::test]
async fn a_champion_neither_reads_nor_writes_another_countrys_planned_uses() {
    let app = TestApp::spawn().await;
    let mar = app.login(CHAMPION_MAR).await;
    let slv = app.login(CHAMPION_SLV).await;
    let ours = create(
        &app,
        &mar,
        json!({ "country": "MAR", "kind": "PROMOTION", "description": "Ours", "sections": ["III.A"] }),
    )
    .await;
    let theirs =
        create(&app, &slv, json!({ "country": "SLV", "kind": "IMRF", "description": "Theirs", "sections": ["III.A"] }))
            .await;
    let read = r#"query($ours: ID!, $theirs: ID!) {
        plannedUses { totalCount edges { node { id } } }
        filtered: plannedUses(filter: {country: "SLV"}) { totalCount edges { node { id } } }
        americas: plannedUses(filter: {region: "Americas"}) { totalCount }
        theirs: node(id: $theirs) { id }
        ours: node(id: $ours) { id }
        slv: country(iso3: "SLV") { plannedUses { id } }
        section(code: "III.A") { plannedUses { id } } }"#;
    let ids = json!({ "ours": ours["id"], "theirs": theirs["id"] });
    let data = app.data(read, ids.clone(), &mar).await;
    assert_eq!(data["plannedUses"]["totalCount"], 1);
    assert_eq!(nodes(&data["plannedUses"])[0]["id"], ours["id"]);
    assert_eq!((data["filtered"]["totalCount"].clone(), nodes(&data["filtered"]).len()), (json!(0), 0));
    assert_eq!(data["americas"]["totalCount"], 0);
    assert_eq!(data["theirs"], Value::Null);
    assert_eq!(data["ours"]["id"], ours["id"]);
    assert_eq!(data["slv"]["plannedUses"], json!([]));
    assert_eq!(data["section"]["plannedUses"], json!([{ "id": ours["id"] }]));

    let before = (counts(&app).await, stored(&app, &theirs["id"]).await);
    let input = json!({ "country": "SLV", "kind": "OTHER", "description": "Not ours" });
    // Creating for another country is forbidden; its records are as unknown as missing ones.
    for (operation, variables, code) in [
        (CREATE, json!({ "input": input }), "FORBIDDEN"),
        (
            UPDATE,
            json!({ "id": theirs["id"], "v": 1, "input": { "description": "Hijacked", "sections": [] } }),
            "NOT_FOUND",
        ),
        (DELETE, json!({ "id": theirs["id"] }), "NOT_FOUND"),
    ] {
        let body = refused(&app, &mar, operation, variables).await;
        assert_eq!(error_code(&body), code, "{body}");
    }
    assert_eq!((counts(&app).await, stored(&app, &theirs["id"]).await), before);
    assert_eq!(stored_sections(&app, &theirs["id"]).await, ["III.A"]);

    let lead = app.login(WG_LEAD).await;
    let data = app.data(read, ids, &lead).await;
    assert_eq!(data["plannedUses"]["totalCount"], 2);
    assert_eq!(data["filtered"]["totalCount"], 1);
    assert_eq!(data["theirs"]["id"], theirs["id"]);
    assert_eq!(data["slv"]["plannedUses"], json!([{ "id": theirs["id"] }]));
    assert_eq!(data["section"]["plannedUses"].as_array().unwrap().len(), 2);
    for (operation, variables) in [
        (CREATE, json!({ "input": input })),
        (UPDATE, json!({ "id": theirs["id"], "v": 1, "input": { "description": "Lead" } })),
        (DELETE, json!({ "id": ours["id"] })),
    ] {
        let body = refused(&app, &lead, operation, variables).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    }
    assert_eq!((counts(&app).await, stored(&app, &theirs["id"]).await), before);

    let admin = app.admin_token().await;
    let data = app
        .data(&with_fragment(UPDATE), json!({ "id": theirs["id"], "v": 1, "input": { "status": "DONE" } }), &admin)
        .await;
    assert_eq!(data["updatePlannedUse"]["status"], "DONE");
}

const NESTED: &str = r#"query($n: Int!) { countries(filter: {isChampion: true}, first: $n) { edges { node {
    iso3 plannedUses { kind country { iso3 } sections { code document { kind } plannedUses { id } } events { title } } } } } }"#;

async fn statements_for(app: &TestApp, token: &str, page: usize) -> (u64, Value) {
    let (cost, data) = app.fewest_statements(NESTED, json!({ "n": page }), token).await;
    (cost, data)
}

#[tokio::test]
async fn nested_planned_uses_cost_the_same_number_of_statements_for_any_page_size() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let event_id = insert_event(&app, "IMRF").await;
    // Champions by name: El Salvador, Ghana, Kenya, Mexico, Morocco, Nepal, Philippines, Portugal.
    for (country, sections) in [
        ("SLV", json!(["III.A", "STEP-1"])),
        ("SLV", json!(["OBJ-01"])),
        ("MAR", json!(["STEP-2"])),
        ("PRT", json!(["I"])),
    ] {
        let input = json!({ "country": country, "kind": "OTHER", "description": "x", "sections": sections,
                             "events": [global_id("Event", event_id)] });
        create(&app, &admin, input).await;
    }
    let (small, small_data) = statements_for(&app, &admin, 2).await;
    let (large, large_data) = statements_for(&app, &admin, 8).await;
    let uses = |data: &Value| -> usize {
        nodes(&data["countries"]).iter().map(|c| c["plannedUses"].as_array().unwrap().len()).sum()
    };
    assert_eq!((uses(&small_data), uses(&large_data)), (2, 4), "both pages reach planned uses with sections");
    assert_no_growth_with_rows(small, large, "2 and 8 countries");
    // Viewer, page, then one batch per relation level (11 today; a link table costs two).
    assert!(large <= 12, "{large} statements");
}

#[tokio::test]
async fn a_convenor_names_the_member_states_it_supports() {
    let app = TestApp::spawn().await;
    let mar = app.login(CHAMPION_MAR).await;
    let created = app
        .data(
            r#"mutation { createPlannedUse(input: {country: "MAR", kind: TRAINING, description: "Peer learning for the region", supportedCountries: ["tun", "MRT", "TUN"]}) {
                id version supportedCountries { iso3 isChampion } history { changes } } }"#,
            json!({}),
            &mar,
        )
        .await["createPlannedUse"]
        .clone();
    // Non-Champions are reached, not enrolled: they stay non-Champions.
    let mut supported = created["supportedCountries"].as_array().unwrap().clone();
    supported.sort_by_key(|c| c["iso3"].as_str().unwrap().to_owned());
    assert_eq!(
        supported,
        [json!({ "iso3": "MRT", "isChampion": false }), json!({ "iso3": "TUN", "isChampion": false })]
    );
    assert_eq!(created["history"][0]["changes"]["supportedCountries"]["after"], json!(["MRT", "TUN"]));

    let updated = app
        .data(
            "mutation($id: ID!) { updatePlannedUse(id: $id, input: {supportedCountries: [\"DZA\"]}, expectedVersion: 1) { supportedCountries { iso3 } history { changes } } }",
            json!({ "id": created["id"] }),
            &mar,
        )
        .await["updatePlannedUse"]
        .clone();
    assert_eq!(updated["supportedCountries"], json!([{ "iso3": "DZA" }]));
    assert_eq!(
        updated["history"][1]["changes"]["supportedCountries"],
        json!({ "before": ["MRT", "TUN"], "after": ["DZA"] })
    );

    for (codes, field, code) in [
        (json!(["XYZ"]), "supportedCountries.0", "NOT_FOUND"),
        (json!(["DZA", "MAR"]), "supportedCountries.1", "BAD_USER_INPUT"),
    ] {
        let body = app
            .refused(
                "mutation($id: ID!, $c: [String!]) { updatePlannedUse(id: $id, input: {supportedCountries: $c}, expectedVersion: 2) { id } }",
                json!({ "id": created["id"], "c": codes }),
                &mar,
            )
            .await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{body}");
    }
    let stored = entity::planned_use_country::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 1, "a refused change leaves the links as they were");
}

#[tokio::test]
async fn a_target_date_says_how_much_of_it_is_known() {
    let app = TestApp::spawn().await;
    let mar = app.login(CHAMPION_MAR).await;
    let created = app
        .data(r#"mutation { createPlannedUse(input: {country: "MAR", kind: TRAINING, description: "By the end of 2022", targetDate: "2022-01-01", targetPrecision: YEAR}) { id targetDate targetPrecision } }"#, json!({}), &mar)
        .await["createPlannedUse"]
        .clone();
    assert_eq!(created["targetPrecision"], "YEAR");
    let cleared = app
        .data("mutation($id: ID!) { updatePlannedUse(id: $id, input: {targetDate: null}, expectedVersion: 1) { targetDate targetPrecision } }", json!({ "id": created["id"] }), &mar)
        .await["updatePlannedUse"]
        .clone();
    assert_eq!(cleared, json!({ "targetDate": null, "targetPrecision": null }));
}
