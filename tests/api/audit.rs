//! The audit trail: every change recorded with who, when, what and how, in the same transaction.

use crate::common::*;
use entity::audit_log;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

const SUBMIT: &str = r#"mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id version } }"#;
const SET_STATUS: &str = r#"mutation($id: ID!, $v: Int!) { setFeedbackStatus(id: $id, status: ACCEPTED, response: "Done in the revised draft", expectedVersion: $v) { version } }"#;
const LOG: &str = r#"query($f: AuditLogFilter) { auditLog(filter: $f) { totalCount edges { node {
    action entityType entityId actorEmail actor { email } changes at } } } }"#;

async fn feb_draft(app: &TestApp, token: &str) -> Value {
    let data = app
        .data(r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-02-CHAMPIONS-DRAFT"}}) { edges { node { id } } } }"#, json!({}), token)
        .await;
    data["guideVersions"]["edges"][0]["node"]["id"].clone()
}

fn feedback_input(version: &Value) -> Value {
    json!({ "country": "MAR", "channel": "WRITTEN_COMMENT", "kind": "SUGGESTION", "body": "Add a glossary.",
            "guideVersion": version, "sections": ["STEP-3", "INTRO"], "receivedOn": "2021-02-20" })
}

async fn audit_rows(app: &TestApp) -> u64 {
    audit_log::Entity::find().count(&app.db).await.unwrap()
}

#[tokio::test]
async fn every_change_is_recorded_with_its_before_and_after() {
    let app = TestApp::spawn().await;
    let champion = app.login(CHAMPION_MAR).await;
    let lead = app.login(WG_LEAD).await;
    let admin = app.admin_token().await;
    let version = feb_draft(&app, &champion).await;
    let id =
        app.data(SUBMIT, json!({ "input": feedback_input(&version) }), &champion).await["submitFeedback"]["id"].clone();
    app.data(SET_STATUS, json!({ "id": id, "v": 1 }), &lead).await;

    let log = app.data(LOG, json!({ "f": { "entityId": id } }), &admin).await;
    assert_eq!(log["auditLog"]["totalCount"], 2);
    let entries = nodes(&log["auditLog"]);
    let (triage, submit) = (&entries[0], &entries[1]);
    assert_eq!(submit["action"], "submitFeedback");
    assert_eq!(submit["entityType"], "Feedback");
    assert_eq!(submit["entityId"], id);
    assert_eq!(submit["actorEmail"], CHAMPION_MAR);
    assert_eq!(submit["changes"]["body"], json!({ "before": null, "after": "Add a glossary." }));
    assert_eq!(submit["changes"]["sections"], json!({ "before": null, "after": ["INTRO", "STEP-3"] }));
    assert_eq!(submit["changes"]["status"]["after"], "RECEIVED");
    assert!(submit["changes"].get("updatedAt").is_none(), "bookkeeping columns are left out");

    assert_eq!(triage["action"], "setFeedbackStatus");
    assert_eq!(triage["actorEmail"], WG_LEAD);
    assert_eq!(triage["changes"]["status"], json!({ "before": "RECEIVED", "after": "ACCEPTED" }));
    assert_eq!(triage["changes"]["response"], json!({ "before": null, "after": "Done in the revised draft" }));
    assert!(triage["changes"].get("body").is_none(), "only what changed");

    // Whoever may read the record reads its history, oldest first; a Champion sees who acted only
    // when it was itself.
    let history = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Feedback { history { action actorEmail } } } }",
            json!({ "id": id }),
            &champion,
        )
        .await;
    assert_eq!(
        history["node"]["history"],
        json!([{ "action": "submitFeedback", "actorEmail": CHAMPION_MAR }, { "action": "setFeedbackStatus", "actorEmail": null }])
    );

    // Updates and deletions of other records are recorded too.
    let role = app
        .data(r#"mutation { assignRole(input: {country: "GHA", role: TESTER}) { id } }"#, json!({}), &admin)
        .await["assignRole"]["id"]
        .clone();
    app.data("mutation($id: ID!) { deleteRoleAssignment(id: $id) }", json!({ "id": role }), &admin).await;
    let log = app.data(LOG, json!({ "f": { "entityType": "RoleAssignment" } }), &admin).await;
    let actions = strings(&nodes(&log["auditLog"]), "action");
    assert_eq!(actions, ["deleteRoleAssignment", "assignRole"]);
    let deletion = &nodes(&log["auditLog"])[0];
    assert_eq!(deletion["changes"]["role"], json!({ "before": "TESTER", "after": null }));
}

#[tokio::test]
async fn a_failed_mutation_leaves_no_audit_row() {
    let app = TestApp::spawn().await;
    let champion = app.login(CHAMPION_MAR).await;
    let lead = app.login(WG_LEAD).await;
    let version = feb_draft(&app, &champion).await;
    let id =
        app.data(SUBMIT, json!({ "input": feedback_input(&version) }), &champion).await["submitFeedback"]["id"].clone();
    let before = audit_rows(&app).await;

    let mut invalid = feedback_input(&version);
    invalid["sections"] = json!(["OBJ-07"]);
    let (_, body) = app.post(SUBMIT, json!({ "input": invalid }), Some(&champion)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let (_, body) = app.post(SET_STATUS, json!({ "id": id, "v": 9 }), Some(&lead)).await;
    assert_eq!(error_code(&body), "CONFLICT");
    let (_, body) = app.post(SET_STATUS, json!({ "id": id, "v": 1 }), Some(&champion)).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    // This one fails after its first write (the version claim): that write is rolled back too.
    let update = r#"mutation($id: ID!, $input: UpdateFeedbackInput!) { updateFeedback(id: $id, input: $input, expectedVersion: 1) { id } }"#;
    let mut emptied = feedback_input(&version);
    emptied.as_object_mut().unwrap().remove("country");
    emptied["sections"] = json!([]);
    let (_, body) = app.post(update, json!({ "id": id, "input": emptied }), Some(&champion)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let stored = entity::feedback::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(audit_rows(&app).await, before);
}

#[tokio::test]
async fn only_the_secretariat_reads_the_log_and_nobody_rewrites_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    app.data(r#"mutation { assignRole(input: {country: "GHA", role: TESTER}) { id } }"#, json!({}), &admin).await;
    for email in [WG_LEAD, CHAMPION_MAR] {
        let token = app.login(email).await;
        let (_, body) = app.post(LOG, json!({}), Some(&token)).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{email}");
    }
    let log = app
        .data(LOG, json!({ "f": { "action": { "eq": "assignRole" }, "actorEmail": { "eq": ADMIN } } }), &admin)
        .await;
    assert_eq!(log["auditLog"]["totalCount"], 1);
    let entry_time = nodes(&log["auditLog"])[0]["at"].as_str().unwrap().to_owned();
    let window = app.data(LOG, json!({ "f": { "from": entry_time, "to": entry_time } }), &admin).await;
    assert_eq!(window["auditLog"]["totalCount"], 1);

    // The database itself refuses to change or remove audit rows.
    let rows = audit_rows(&app).await;
    assert!(app.db.execute_unprepared("UPDATE audit_log SET action = 'forged'").await.is_err());
    assert!(app.db.execute_unprepared("DELETE FROM audit_log").await.is_err());
    assert_eq!(audit_rows(&app).await, rows);

    // Sign-ins are on record too, by the account that signed in.
    let logins = app.data(r#"{ auditLog(filter: {action: {eq: "login"}}) { totalCount edges { node { actorEmail entityType changes } } } }"#, json!({}), &admin).await;
    assert_eq!(logins["auditLog"]["totalCount"], 3, "the admin, the lead and the champion");
    let entry = &nodes(&logins["auditLog"])[0];
    assert_eq!(entry["entityType"], "User");
    assert!(entry["changes"]["lastLoginAt"]["after"].is_string());
}
