//! Role assignments: the Secretariat assigns and ends roles; everyone signed in reads them.

use crate::common::*;
use entity::role_assignment;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

const ASSIGN: &str = r#"mutation($input: AssignRoleInput!) { assignRole(input: $input) {
    id role status isOpen startedOn endedOn notes provenance version country { iso3 } } }"#;
const END: &str = r#"mutation($id: ID!, $on: Date!, $v: Int!) { endRole(id: $id, endedOn: $on, expectedVersion: $v) {
    status endedOn isOpen version } }"#;
const UPDATE: &str = r#"mutation($id: ID!, $input: UpdateRoleAssignmentInput!, $v: Int!) {
    updateRoleAssignment(id: $id, input: $input, expectedVersion: $v) { status notes version } }"#;

async fn assign(app: &TestApp, token: &str, input: Value) -> Value {
    app.data(ASSIGN, json!({ "input": input }), token).await["assignRole"].clone()
}

async fn role_rows(app: &TestApp) -> Vec<role_assignment::Model> {
    role_assignment::Entity::find().all(&app.db).await.unwrap()
}

#[tokio::test]
async fn the_secretariat_assigns_and_ends_a_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let before = role_rows(&app).await.len();
    let created = assign(&app, &admin, json!({ "country": "gha", "role": "TESTER", "status": "ACTIVE", "startedOn": "2021-03-01", "notes": "  Pilot in Accra  " })).await;
    assert_eq!(created["role"], "TESTER");
    assert_eq!(created["status"], "ACTIVE");
    assert_eq!(created["isOpen"], true);
    assert_eq!(created["country"]["iso3"], "GHA");
    assert_eq!(created["notes"], "Pilot in Accra");
    assert_eq!(created["provenance"], "USER_ENTERED");
    assert_eq!(created["version"], 1);

    let rows = role_rows(&app).await;
    assert_eq!(rows.len(), before + 1);
    let stored = rows.iter().find(|r| r.notes.as_deref() == Some("Pilot in Accra")).unwrap();
    assert_eq!(stored.started_on.unwrap().to_string(), "2021-03-01");

    let ended =
        app.data(END, json!({ "id": created["id"], "on": "2022-06-30", "v": 1 }), &admin).await["endRole"].clone();
    assert_eq!(ended["status"], "COMPLETED");
    assert_eq!(ended["endedOn"], "2022-06-30");
    assert_eq!(ended["isOpen"], false);
    assert_eq!(ended["version"], 2);

    // The country shows the role; the role can be held again now that it is closed.
    let ghana = app.data(r#"{ country(iso3: "GHA") { roles { role status } } }"#, json!({}), &admin).await;
    assert!(
        ghana["country"]["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["role"] == "TESTER" && r["status"] == "COMPLETED")
    );
    assign(&app, &admin, json!({ "country": "GHA", "role": "TESTER" })).await;
}

#[tokio::test]
async fn roles_filter_by_role_status_region_and_day() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let mar = assign(
        &app,
        &admin,
        json!({ "country": "MAR", "role": "PROMOTER", "status": "ACTIVE", "startedOn": "2021-01-01" }),
    )
    .await;
    app.data(END, json!({ "id": mar["id"], "on": "2021-12-31", "v": 1 }), &admin).await;
    assign(
        &app,
        &admin,
        json!({ "country": "SLV", "role": "PROMOTER", "status": "ACTIVE", "startedOn": "2022-01-01" }),
    )
    .await;
    assign(&app, &admin, json!({ "country": "GHA", "role": "CONVENOR", "status": "PROPOSED" })).await;

    let champion = app.login(CHAMPION_SLV).await;
    let query = r#"query($f: RoleAssignmentFilter) { roleAssignments(filter: $f, orderBy: [{field: STARTED_ON}]) {
        totalCount edges { node { role status country { iso3 } } } } }"#;
    let iso3s = |data: &Value| -> Vec<String> {
        nodes(&data["roleAssignments"]).iter().map(|n| n["country"]["iso3"].as_str().unwrap().to_owned()).collect()
    };
    let held_2021 =
        app.data(query, json!({ "f": { "asOf": "2021-06-15", "role": { "eq": "PROMOTER" } } }), &champion).await;
    assert_eq!(iso3s(&held_2021), ["MAR"]);
    let held_2022 = app.data(query, json!({ "f": { "asOf": "2022-06-15" } }), &champion).await;
    assert_eq!(iso3s(&held_2022), ["SLV"]);
    let open = app.data(query, json!({ "f": { "open": true } }), &champion).await;
    assert_eq!(open["roleAssignments"]["totalCount"], 2);
    let proposed = app.data(query, json!({ "f": { "status": { "eq": "PROPOSED" } } }), &champion).await;
    assert_eq!(iso3s(&proposed), ["GHA"]);
    let africa = app.data(query, json!({ "f": { "region": "Africa" } }), &champion).await;
    assert_eq!(africa["roleAssignments"]["totalCount"], 2);
    let by_country = app.data(query, json!({ "f": { "country": { "in": ["slv", "gha"] } } }), &champion).await;
    assert_eq!(by_country["roleAssignments"]["totalCount"], 2);
}

#[tokio::test]
async fn invalid_role_input_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let existing = assign(
        &app,
        &admin,
        json!({ "country": "MAR", "role": "PARTNER", "status": "ACTIVE", "startedOn": "2021-02-01" }),
    )
    .await;
    let before = role_rows(&app).await;

    let cases = [
        (json!({ "country": "XYZ", "role": "PARTNER" }), "NOT_FOUND", "country"),
        (json!({ "country": "MAR", "role": "PARTNER" }), "CONFLICT", "role"),
        (json!({ "country": "SLV", "role": "PARTNER", "status": "COMPLETED" }), "BAD_USER_INPUT", "status"),
        (json!({ "country": "SLV", "role": "PARTNER", "status": "ACTIVE" }), "BAD_USER_INPUT", "startedOn"),
        (json!({ "country": "SLV", "role": "PARTNER", "notes": "x".repeat(20_001) }), "BAD_USER_INPUT", "notes"),
        (json!({ "country": "SLV", "role": "CAPTAIN" }), "BAD_USER_INPUT", "input.role"),
        (
            json!({ "country": "SLV", "role": "PARTNER", "startedOn": "1899-01-01" }),
            "BAD_USER_INPUT",
            "input.startedOn",
        ),
    ];
    for (input, code, field) in cases {
        let (_, body) = app.post(ASSIGN, json!({ "input": input }), Some(&admin)).await;
        assert_eq!(error_code(&body), code, "{input}: {body}");
        assert!(error_field(&body).ends_with(field), "{input}: {body}");
    }

    // Ending before the start, or with an open status, fails; the stored row keeps its version.
    let (_, body) = app.post(END, json!({ "id": existing["id"], "on": "2020-12-31", "v": 1 }), Some(&admin)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "endedOn");
    let (_, body) = app
        .post(
            r#"mutation($id: ID!) { endRole(id: $id, endedOn: "2021-05-01", status: ACTIVE, expectedVersion: 1) { id } }"#,
            json!({ "id": existing["id"] }),
            Some(&admin),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    // A closed assignment needs its end date.
    let (_, body) = app
        .post(UPDATE, json!({ "id": existing["id"], "input": { "status": "COMPLETED" }, "v": 1 }), Some(&admin))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "endedOn");
    assert_eq!(role_rows(&app).await, before, "database unchanged");
}

#[tokio::test]
async fn stale_versions_conflict_and_two_writers_do_not_both_win() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let role = assign(&app, &admin, json!({ "country": "MAR", "role": "CONVENOR" })).await;
    let id = role["id"].clone();

    let first = app.post(UPDATE, json!({ "id": id, "input": { "notes": "from writer A" }, "v": 1 }), Some(&admin));
    let second = app.post(UPDATE, json!({ "id": id, "input": { "notes": "from writer B" }, "v": 1 }), Some(&admin));
    let ((_, a), (_, b)) = tokio::join!(first, second);
    let outcomes: Vec<&Value> = [&a, &b].into_iter().collect();
    let winners = outcomes.iter().filter(|body| body.get("errors").is_none()).count();
    assert_eq!(winners, 1, "exactly one writer wins: {a} / {b}");
    let loser = outcomes.iter().find(|body| body.get("errors").is_some()).unwrap();
    assert_eq!(error_code(loser), "CONFLICT");
    assert_eq!(error_field(loser), "expectedVersion");

    let stored = role_rows(&app).await.into_iter().next().unwrap();
    assert_eq!(stored.version, 2);
    let winner_note = if a.get("errors").is_none() { "from writer A" } else { "from writer B" };
    assert_eq!(stored.notes.as_deref(), Some(winner_note));

    // A stale version after the fact conflicts too, and changes nothing.
    let (_, body) = app.post(UPDATE, json!({ "id": id, "input": { "notes": "late" }, "v": 1 }), Some(&admin)).await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(role_rows(&app).await.into_iter().next().unwrap().notes.as_deref(), Some(winner_note));
}

#[tokio::test]
async fn only_the_secretariat_manages_roles() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let role = assign(&app, &admin, json!({ "country": "MAR", "role": "PARTNER" })).await;
    for email in [WG_LEAD, CHAMPION_MAR] {
        let token = app.login(email).await;
        let (_, body) =
            app.post(ASSIGN, json!({ "input": { "country": "MAR", "role": "TESTER" } }), Some(&token)).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{email}");
        let (_, body) = app.post(END, json!({ "id": role["id"], "on": "2022-01-01", "v": 1 }), Some(&token)).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{email}");
        let (_, body) = app
            .post("mutation($id: ID!) { deleteRoleAssignment(id: $id) }", json!({ "id": role["id"] }), Some(&token))
            .await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{email}");
        // …but they read it.
        let data = app
            .data(
                "query($id: ID!) { node(id: $id) { ... on RoleAssignment { role } } }",
                json!({ "id": role["id"] }),
                &token,
            )
            .await;
        assert_eq!(data["node"]["role"], "PARTNER");
    }
    assert_eq!(role_assignment::Entity::find().count(&app.db).await.unwrap(), 1);
    let deleted =
        app.data("mutation($id: ID!) { deleteRoleAssignment(id: $id) }", json!({ "id": role["id"] }), &admin).await;
    assert_eq!(deleted["deleteRoleAssignment"], role["id"]);
    assert_eq!(role_assignment::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn two_concurrent_assignments_of_the_same_role_leave_one_open() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let input = json!({ "input": { "country": "KEN", "role": "TESTER" } });
    let (a, b) = tokio::join!(app.post(ASSIGN, input.clone(), Some(&admin)), app.post(ASSIGN, input, Some(&admin)));
    let bodies = [a.1, b.1];
    let failed: Vec<&Value> = bodies.iter().filter(|body| body.get("errors").is_some()).collect();
    assert_eq!(failed.len(), 1, "{bodies:?}");
    assert_eq!(error_code(failed[0]), "CONFLICT");
    assert_eq!(error_field(failed[0]), "role");
    assert_eq!(role_rows(&app).await.len(), 1);
}

#[tokio::test]
async fn a_role_start_says_how_much_of_it_is_known() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let created = app
        .data(r#"mutation { assignRole(input: {country: "KEN", role: CONVENOR, status: ACTIVE, startedOn: "2021-05-01", startedPrecision: MONTH}) { id startedOn startedPrecision } }"#, json!({}), &admin)
        .await["assignRole"]
        .clone();
    assert_eq!(
        (created["startedOn"].as_str(), created["startedPrecision"].as_str()),
        (Some("2021-05-01"), Some("MONTH"))
    );
    // A new day without a precision is a day; notes alone keep the precision.
    let kept = app
        .data(UPDATE, json!({ "id": created["id"], "input": { "notes": "Regional peer learning" }, "v": 1 }), &admin)
        .await;
    assert_eq!(kept["updateRoleAssignment"]["version"], 2);
    const PRECISION: &str = "query($id: ID!) { node(id: $id) { ... on RoleAssignment { startedPrecision } } }";
    let read = app.data(PRECISION, json!({ "id": created["id"] }), &admin).await;
    assert_eq!(read["node"]["startedPrecision"], "MONTH");
    app.data(UPDATE, json!({ "id": created["id"], "input": { "startedOn": "2021-05-12" }, "v": 2 }), &admin).await;
    let read = app.data(PRECISION, json!({ "id": created["id"] }), &admin).await;
    assert_eq!(read["node"]["startedPrecision"], "DAY");
}
