//! The Champion roster: designations and co-chair terms as dated records with their history,
//! kept by the Secretariat; who is a Champion decides who may have roles, pilots, planned uses
//! and focal-point accounts; onboarding is one transaction.

use crate::common::*;
use entity::{audit_log, champion_term, contact, role_assignment, user_account};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const TERM: &str =
    "id kind startedOn startedPrecision endedOn endedPrecision endReason isOpen note sourceNote provenance version";

async fn designate(app: &TestApp, token: &str, input: Value) -> Value {
    let query = format!(
        "mutation($input: DesignateChampionInput!) {{ designateChampion(input: $input) {{ {TERM} country {{ iso3 isChampion championSince championSincePrecision }} }} }}"
    );
    app.data(&query, json!({ "input": input }), token).await["designateChampion"].clone()
}

async fn champions_on(app: &TestApp, token: &str, day: &str, kind: &str) -> Vec<String> {
    let data = app
        .data(
            "query($d: Date, $k: ChampionTermKind!) { champions(asOf: $d, kind: $k) { iso3 } }",
            json!({ "d": day, "k": kind }),
            token,
        )
        .await;
    strings(data["champions"].as_array().unwrap(), "iso3")
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String)> {
    audit_log::Entity::find().all(&app.db).await.unwrap().into_iter().map(|row| (row.action, row.entity_type)).collect()
}

#[tokio::test]
async fn a_designation_is_a_dated_term_with_its_history() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let lead = app.login(WG_LEAD).await;

    let term = designate(
        &app,
        &admin,
        json!({ "country": "col", "designatedOn": "2024-03-01", "precision": "MONTH", "note": "  Letter of intent  ", "sourceNote": "Note verbale" }),
    )
    .await;
    assert_eq!(term["kind"], "CHAMPION");
    assert_eq!(term["startedOn"], "2024-03-01");
    assert_eq!(term["startedPrecision"], "MONTH");
    assert_eq!(term["isOpen"], true);
    assert_eq!(term["note"], "Letter of intent");
    assert_eq!(term["provenance"], "USER_ENTERED");
    assert_eq!(
        term["country"],
        json!({ "iso3": "COL", "isChampion": true, "championSince": "2024-03-01", "championSincePrecision": "MONTH" })
    );

    // "As of" counts a designation known only to the month from the month's end.
    assert!(!champions_on(&app, &lead, "2024-03-15", "CHAMPION").await.contains(&"COL".to_owned()));
    assert!(champions_on(&app, &lead, "2024-03-31", "CHAMPION").await.contains(&"COL".to_owned()));
    assert!(!champions_on(&app, &lead, "2020-01-01", "CHAMPION").await.contains(&"COL".to_owned()));

    // A second open designation is refused; the database holds one open term.
    let twice =
        app.refused("mutation { designateChampion(input: {country: \"COL\"}) { id } }", json!({}), &admin).await;
    assert_eq!((error_code(&twice), error_field(&twice)), ("CONFLICT", "country"));

    // Roles, and then the end: its open roles end with it, as withdrawn.
    let role = app
        .data(r#"mutation { assignRole(input: {country: "COL", role: PROMOTER}) { id } }"#, json!({}), &admin)
        .await["assignRole"]["id"]
        .clone();
    let ended = app
        .data(
            &format!("mutation($id: ID!) {{ endChampionTerm(id: $id, endedOn: \"2025-06-01\", precision: MONTH, reason: WITHDRAWN, note: \"Withdrew by letter\", expectedVersion: 1) {{ {TERM} }} }}"),
            json!({ "id": term["id"] }),
            &admin,
        )
        .await["endChampionTerm"]
        .clone();
    assert_eq!(ended["endReason"], "WITHDRAWN");
    assert_eq!(ended["endedOn"], "2025-06-01");
    assert_eq!(ended["isOpen"], false);
    assert_eq!(ended["version"], 2);
    let role_after = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on RoleAssignment { status endedOn } } }",
            json!({ "id": role }),
            &lead,
        )
        .await;
    assert_eq!(role_after["node"], json!({ "status": "WITHDRAWN", "endedOn": "2025-06-01" }));

    let colombia = app
        .data(
            r#"{ country(iso3: "COL") { isChampion championSince isCoChair championTerms { kind endReason history { action } } history { action } } }"#,
            json!({}),
            &lead,
        )
        .await["country"]
        .clone();
    assert_eq!(colombia["isChampion"], false);
    assert_eq!(colombia["championSince"], Value::Null);
    assert_eq!(colombia["championTerms"][0]["endReason"], "WITHDRAWN");
    assert_eq!(
        strings(colombia["championTerms"][0]["history"].as_array().unwrap(), "action"),
        ["designateChampion", "endChampionTerm"]
    );
    assert_eq!(strings(colombia["history"].as_array().unwrap(), "action"), ["designateChampion", "endChampionTerm"]);
    // Still a Champion in 2024, not after it withdrew.
    assert!(champions_on(&app, &lead, "2024-12-31", "CHAMPION").await.contains(&"COL".to_owned()));
    assert!(!champions_on(&app, &lead, "2025-06-01", "CHAMPION").await.contains(&"COL".to_owned()));

    // Ending twice is a conflict; a correction keeps the term ended.
    let again = app
        .refused(
            "mutation($id: ID!) { endChampionTerm(id: $id, endedOn: \"2025-07-01\", expectedVersion: 2) { id } }",
            json!({ "id": term["id"] }),
            &admin,
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
    let corrected = app
        .data(
            "mutation($id: ID!) { updateChampionTerm(id: $id, input: {startedOn: \"2024-02-01\", startedPrecision: DAY, sourceNote: null}, expectedVersion: 2) { startedOn startedPrecision sourceNote isOpen version } }",
            json!({ "id": term["id"] }),
            &admin,
        )
        .await["updateChampionTerm"]
        .clone();
    assert_eq!(
        corrected,
        json!({ "startedOn": "2024-02-01", "startedPrecision": "DAY", "sourceNote": null, "isOpen": false, "version": 3 })
    );
    let backwards = app
        .refused("mutation($id: ID!) { updateChampionTerm(id: $id, input: {endedOn: \"2020-01-01\"}, expectedVersion: 3) { id } }", json!({ "id": term["id"] }), &admin)
        .await;
    assert_eq!((error_code(&backwards), error_field(&backwards)), ("BAD_USER_INPUT", "endedOn"));

    // Designated again later: a second term, the first one kept.
    designate(&app, &admin, json!({ "country": "COL", "designatedOn": "2026-01-15" })).await;
    let rows = champion_term::Entity::find()
        .filter(champion_term::Column::Kind.eq(champion_term::ChampionTermKind::Champion))
        .all(&app.db)
        .await
        .unwrap();
    let colombia_terms: Vec<_> = rows
        .iter()
        .filter(|t| {
            t.note.as_deref() == Some("Withdrew by letter")
                || t.started_on.map(|d| d.to_string()) == Some("2026-01-15".into())
        })
        .collect();
    assert_eq!(colombia_terms.len(), 2);
    assert_eq!(colombia_terms.iter().filter(|t| t.is_open()).count(), 1);
}

#[tokio::test]
async fn co_chairs_are_champions_with_their_own_terms() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let lead = app.login(WG_LEAD).await;
    // The demo's first co-chairs, from the sources.
    // By name: El Salvador, then Morocco.
    assert_eq!(champions_on(&app, &lead, "2021-06-01", "CO_CHAIR").await, ["SLV", "MAR"]);
    let morocco = app
        .data(r#"{ country(iso3: "MAR") { isCoChair championTerms { kind isOpen sourceNote } } }"#, json!({}), &lead)
        .await;
    assert_eq!(morocco["country"]["isCoChair"], true);
    assert!(
        morocco["country"]["championTerms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "CO_CHAIR" && t["sourceNote"].is_string())
    );

    let not_champion = app
        .refused(
            r#"mutation { startCoChairTerm(input: {country: "COL", startedOn: "2024-01-01"}) { id } }"#,
            json!({}),
            &admin,
        )
        .await;
    assert_eq!((error_code(&not_champion), error_field(&not_champion)), ("BAD_USER_INPUT", "country"));
    let twice = app
        .refused(
            r#"mutation { startCoChairTerm(input: {country: "MAR", startedOn: "2024-01-01"}) { id } }"#,
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(error_code(&twice), "CONFLICT");

    // Ghana takes over as co-chair; Morocco's Champion term ends and takes its co-chair term with it.
    let ghana = app
        .data(
            r#"mutation { startCoChairTerm(input: {country: "GHA", startedOn: "2023-11-28"}) { kind isOpen } }"#,
            json!({}),
            &admin,
        )
        .await;
    assert_eq!(ghana["startCoChairTerm"], json!({ "kind": "CO_CHAIR", "isOpen": true }));
    let term = app
        .data(r#"{ championTerms(filter: {country: {eq: "MAR"}, kind: {eq: CHAMPION}}) { edges { node { id version } } } }"#, json!({}), &admin)
        .await["championTerms"]["edges"][0]["node"]
        .clone();
    app.data(
        "mutation($id: ID!, $v: Int!) { endChampionTerm(id: $id, endedOn: \"2024-01-01\", expectedVersion: $v) { id } }",
        json!({ "id": term["id"], "v": term["version"] }),
        &admin,
    )
    .await;
    assert_eq!(champions_on(&app, &lead, "2024-02-01", "CO_CHAIR").await, ["SLV", "GHA"]);
    let morocco = app
        .data(r#"{ country(iso3: "MAR") { isChampion isCoChair roles { isOpen } } }"#, json!({}), &lead)
        .await["country"]
        .clone();
    assert_eq!(morocco["isChampion"], false);
    assert_eq!(morocco["isCoChair"], false);
    let roles = morocco["roles"].as_array().unwrap();
    assert!(!roles.is_empty() && roles.iter().all(|r| r["isOpen"] == false), "{roles:?}");
    // Its role was in force in 2022: the dashboard still lists Morocco for that period, as a former Champion.
    let dashboard = app
        .data(
            r#"{ dashboard(filter: {from: "2022-01-01", to: "2022-12-31"}) { roleCoverage { matrix { country { iso3 isChampion } cells { status } } } } }"#,
            json!({}),
            &lead,
        )
        .await;
    let matrix = dashboard["dashboard"]["roleCoverage"]["matrix"].as_array().unwrap().clone();
    let morocco_row = matrix.iter().find(|row| row["country"]["iso3"] == "MAR").expect("a row for Morocco");
    assert_eq!(morocco_row["country"]["isChampion"], false);
}

#[tokio::test]
async fn only_champions_have_roles_pilots_planned_uses_and_focal_points() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let version = app
        .data(r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-02-CHAMPIONS-DRAFT"}}) { edges { node { id } } } }"#, json!({}), &admin)
        .await["guideVersions"]["edges"][0]["node"]["id"]
        .clone();
    let roles_before = role_assignment::Entity::find().count(&app.db).await.unwrap();
    let attempts = [
        (r#"mutation { assignRole(input: {country: "COL", role: TESTER}) { id } }"#, json!({})),
        (
            r#"mutation($v: ID!) { createPilot(input: {country: "COL", guideVersion: $v, title: "Pilot"}) { id } }"#,
            json!({ "v": version }),
        ),
        (
            r#"mutation { createPlannedUse(input: {country: "COL", kind: TRAINING, description: "Train staff"}) { id } }"#,
            json!({}),
        ),
        (
            r#"mutation { createUser(input: {email: "fp@col.test", password: "long enough pass", role: CHAMPION, country: "COL"}) { id } }"#,
            json!({}),
        ),
        (
            r#"mutation { createFocalPoint(input: {country: "COL", person: {name: "Ana", email: "fp@col.test", password: "long enough pass"}}) { user { id } } }"#,
            json!({}),
        ),
    ];
    for (query, variables) in &attempts {
        let body = app.refused(query, variables.clone(), &admin).await;
        assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "country"), "{query}: {body}");
        assert!(
            body["errors"][0]["message"].as_str().unwrap().contains("Colombia is not a Champion country"),
            "{body}"
        );
    }
    assert_eq!(role_assignment::Entity::find().count(&app.db).await.unwrap(), roles_before);
    // Once designated, every one of them goes through.
    designate(&app, &admin, json!({ "country": "COL", "designatedOn": "2024-03-01" })).await;
    for (query, variables) in &attempts[..4] {
        app.data(query, variables.clone(), &admin).await;
    }
    let dashboard = app
        .data("{ dashboard { roleCoverage { matrix { country { iso3 } cells { role status } } } } }", json!({}), &admin)
        .await;
    let matrix = dashboard["dashboard"]["roleCoverage"]["matrix"].as_array().unwrap().clone();
    let colombia = matrix.iter().find(|row| row["country"]["iso3"] == "COL").expect("Colombia's row");
    assert!(colombia["cells"].as_array().unwrap().iter().any(|c| c["role"] == "TESTER" && c["status"] == "PROPOSED"));
}

const ONBOARD: &str = r#"mutation($input: OnboardChampionInput!) { onboardChampion(input: $input) {
    country { iso3 isChampion championSince }
    term { kind startedOn isOpen }
    focalPoint { user { email role displayName country { iso3 } contact { name } } contact { name email title country { iso3 } account { email } } }
    roles { role status startedOn } } }"#;

#[tokio::test]
async fn onboarding_is_one_operation_or_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let audit_before = audit_actions(&app).await.len();
    let input = json!({
        "country": "COL",
        "designatedOn": "2024-03-12",
        "note": "Joined at the Regional Review",
        "focalPoint": { "name": "Ana Gómez", "email": "Ana.Gomez@cancilleria.test", "password": "a long enough password", "title": "Director of Migration Affairs", "phone": "+57 1 381 4000" },
        "roles": ["PARTNER", "CONVENOR"],
        "roleStatus": "ACTIVE",
    });
    let done = app.data(ONBOARD, json!({ "input": input }), &admin).await["onboardChampion"].clone();
    assert_eq!(done["country"], json!({ "iso3": "COL", "isChampion": true, "championSince": "2024-03-12" }));
    assert_eq!(done["term"], json!({ "kind": "CHAMPION", "startedOn": "2024-03-12", "isOpen": true }));
    let focal = &done["focalPoint"];
    assert_eq!(
        focal["user"],
        json!({ "email": "ana.gomez@cancilleria.test", "role": "CHAMPION", "displayName": "Ana Gómez", "country": { "iso3": "COL" }, "contact": { "name": "Ana Gómez" } })
    );
    assert_eq!(
        focal["contact"],
        json!({ "name": "Ana Gómez", "email": "ana.gomez@cancilleria.test", "title": "Director of Migration Affairs", "country": { "iso3": "COL" }, "account": { "email": "ana.gomez@cancilleria.test" } })
    );
    assert_eq!(
        done["roles"],
        json!([{ "role": "PARTNER", "status": "ACTIVE", "startedOn": "2024-03-12" }, { "role": "CONVENOR", "status": "ACTIVE", "startedOn": "2024-03-12" }])
    );

    // One linked person in the database, and every record audited under the one action.
    let user = user_account::Entity::find()
        .filter(user_account::Column::Email.eq("ana.gomez@cancilleria.test"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let person =
        contact::Entity::find().filter(contact::Column::UserId.eq(user.id)).one(&app.db).await.unwrap().unwrap();
    assert_eq!(person.country_id, user.country_id);
    let new_entries: Vec<_> = audit_actions(&app).await.split_off(audit_before);
    let mut kinds: Vec<&str> = new_entries
        .iter()
        .map(|(action, kind)| {
            assert_eq!(action, "onboardChampion");
            kind.as_str()
        })
        .collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["ChampionTerm", "Contact", "Country", "RoleAssignment", "RoleAssignment", "User"]);

    // The focal point signs in and sees itself and its country's contact.
    let token = app.login_with("ana.gomez@cancilleria.test", "a long enough password").await.unwrap();
    let me = app.data("{ me { contact { name } country { contacts { name } } } }", json!({}), &token).await;
    assert_eq!(me["me"]["contact"]["name"], "Ana Gómez");
    // Another Champion's focal point may not read the link.
    let slv = app.login(CHAMPION_SLV).await;
    let hidden = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on User { email } } }",
            json!({ "id": global_id("User", user.id) }),
            &slv,
        )
        .await;
    assert_eq!(hidden["node"], Value::Null);

    // A failure anywhere writes nothing: a taken email, after the designation and before the roles.
    let terms_before = champion_term::Entity::find().count(&app.db).await.unwrap();
    let audit_before = audit_actions(&app).await.len();
    let clash = json!({
        "country": "PER",
        "designatedOn": "2024-04-01",
        "focalPoint": { "name": "Luis", "email": "ana.gomez@cancilleria.test", "password": "a long enough password" },
        "roles": ["TESTER"],
    });
    let refused = app.refused(ONBOARD, json!({ "input": clash }), &admin).await;
    assert_eq!((error_code(&refused), error_field(&refused)), ("CONFLICT", "email"));
    assert_eq!(champion_term::Entity::find().count(&app.db).await.unwrap(), terms_before);
    assert_eq!(audit_actions(&app).await.len(), audit_before);
    let peru =
        app.data(r#"{ country(iso3: "PER") { isChampion roles { id } contacts { id } } }"#, json!({}), &admin).await;
    assert_eq!(peru["country"], json!({ "isChampion": false, "roles": [], "contacts": [] }));

    // A role given twice is named by its position.
    let twice = json!({ "country": "PER", "roles": ["TESTER", "TESTER"] });
    let refused = app.refused(ONBOARD, json!({ "input": twice }), &admin).await;
    assert_eq!((error_code(&refused), error_field(&refused)), ("BAD_USER_INPUT", "roles.1"));
    // Only the Secretariat onboards.
    let lead = app.login(WG_LEAD).await;
    let forbidden = app.refused(ONBOARD, json!({ "input": { "country": "PER" } }), &lead).await;
    assert_eq!(error_code(&forbidden), "FORBIDDEN");
}
