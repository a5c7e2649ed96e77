//! The permission matrix of DESIGN §5, table-driven: every root query field and mutation × every
//! kind of caller. The test reads the schema's root fields by introspection and fails when one has
//! no row here, so a new field cannot ship without a reviewed rule.
//!
//! Outcomes: `A` allowed (no authentication or authorization error; probes for writes carry
//! input that fails validation after the checks, so they change nothing), `U` UNAUTHENTICATED,
//! `F` FORBIDDEN, `H` hidden (NOT_FOUND on `id`: the record does not exist or is not visible to
//! the caller). Delete probes name a record that does not exist: callers allowed to try get `H`,
//! the others are refused before the lookup. Who may delete which existing record is covered by
//! each domain's own tests.

use std::collections::BTreeSet;

use crate::common::*;
use serde_json::{Value, json};

/// Callers in table order.
const CALLERS: [&str; 5] = ["anonymous", "champion MAR", "champion SLV", "wg lead", "admin"];

struct Row {
    field: &'static str,
    query: &'static str,
    variables: Value,
    expected: [char; 5],
}

fn outcome(body: &Value) -> char {
    assert_ne!(body["errors"][0]["extensions"]["code"], "INTERNAL", "a probe hit an internal error: {body}");
    match body["errors"][0]["extensions"]["code"].as_str() {
        Some("UNAUTHENTICATED") => 'U',
        Some("FORBIDDEN") => 'F',
        Some("NOT_FOUND") if body["errors"][0]["extensions"]["field"] == "id" => 'H',
        _ => 'A',
    }
}

async fn id_of(app: &TestApp, token: &str, query: &str, path: &[&str]) -> Value {
    let mut value = app.data(query, json!({}), token).await;
    for key in path {
        value = value[*key].clone();
    }
    value
}

#[tokio::test]
async fn every_root_field_follows_the_permission_matrix() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let tokens = [
        None,
        Some(app.login(CHAMPION_MAR).await),
        Some(app.login(CHAMPION_SLV).await),
        Some(app.login(WG_LEAD).await),
        Some(admin.clone()),
    ];

    // Records the probes point at: Morocco's private ones, and shared ones.
    let version = id_of(&app, &admin, r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-02-CHAMPIONS-DRAFT"}}) { edges { node { id } } } }"#, &["guideVersions", "edges"]).await[0]["node"]["id"].clone();
    let pilot = app.data(r#"mutation($v: ID!) { createPilot(input: {country: "MAR", guideVersion: $v, title: "Pilot in Rabat"}) { id } }"#, json!({ "v": version }), &admin).await["createPilot"]["id"].clone();
    let planned_use = app.data(r#"mutation { createPlannedUse(input: {country: "MAR", kind: TRAINING, description: "Train staff"}) { id } }"#, json!({}), &admin).await["createPlannedUse"]["id"].clone();
    let contact = app
        .data(r#"mutation { createContact(input: {country: "MAR", name: "Focal point"}) { id } }"#, json!({}), &admin)
        .await["createContact"]["id"]
        .clone();
    let feedback = app.data(r#"mutation($v: ID!) { submitFeedback(input: {country: "MAR", channel: BILATERAL, kind: QUESTION, body: "Q", guideVersion: $v, sections: ["II"], receivedOn: "2021-03-01"}) { id } }"#, json!({ "v": version }), &admin).await["submitFeedback"]["id"].clone();
    let role =
        id_of(&app, &admin, "{ roleAssignments(first: 1) { edges { node { id } } } }", &["roleAssignments", "edges"])
            .await[0]["node"]["id"]
            .clone();
    let term = id_of(
        &app,
        &admin,
        r#"{ championTerms(filter: {country: {eq: "MAR"}, kind: {eq: CHAMPION}}) { edges { node { id } } } }"#,
        &["championTerms", "edges"],
    )
    .await[0]["node"]["id"]
        .clone();
    let event = id_of(&app, &admin, "{ events(first: 1) { edges { node { id } } } }", &["events", "edges"]).await[0]["node"]["id"].clone();
    let milestone = id_of(&app, &admin, "{ milestones(first: 1) { edges { node { id } } } }", &["milestones", "edges"])
        .await[0]["node"]["id"]
        .clone();
    let stakeholder =
        id_of(&app, &admin, "{ stakeholders(first: 1) { edges { node { id } } } }", &["stakeholders", "edges"]).await
            [0]["node"]["id"]
            .clone();
    let lead_id = id_of(
        &app,
        &admin,
        r#"{ users(filter: {role: {eq: WG_LEAD}}) { edges { node { id } } } }"#,
        &["users", "edges"],
    )
    .await[0]["node"]["id"]
        .clone();
    let participant = app
        .data(
            r#"mutation($e: ID!) { addEventParticipant(event: $e, country: "GHA", role: ATTENDEE) { id } }"#,
            json!({ "e": event }),
            &admin,
        )
        .await["addEventParticipant"]["id"]
        .clone();

    let rows = vec![
        // Queries.
        Row {
            field: "node",
            query: "query($id: ID!) { node(id: $id) { id } }",
            variables: json!({ "id": event }),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "nodes",
            query: "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            variables: json!({ "ids": [event] }),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "users",
            query: "{ users { totalCount } }",
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row { field: "me", query: "{ me { email } }", variables: json!({}), expected: ['U', 'A', 'A', 'A', 'A'] },
        Row {
            field: "countries",
            query: "{ countries { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "country",
            query: r#"{ country(iso3: "MAR") { name } }"#,
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "documents",
            query: "{ documents { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "document",
            query: "{ document(kind: GUIDE) { title } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "guideVersions",
            query: "{ guideVersions { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "sections",
            query: "{ sections { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "section",
            query: r#"{ section(code: "II") { title } }"#,
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "stakeholders",
            query: "{ stakeholders { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        // The roster: read by every signed-in user, kept by the Secretariat.
        Row {
            field: "championTerms",
            query: "{ championTerms { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "champions",
            query: r#"{ champions(asOf: "2021-06-01") { iso3 } }"#,
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "roleAssignments",
            query: "{ roleAssignments { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "feedback",
            query: "{ feedback { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "timeline",
            query: "{ timeline { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "auditLog",
            query: "{ auditLog { totalCount } }",
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "events",
            query: "{ events { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "milestones",
            query: "{ milestones { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "pilots",
            query: "{ pilots { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "plannedUses",
            query: "{ plannedUses { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "contacts",
            query: "{ contacts { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "revisions",
            query: "{ revisions { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "dashboard",
            query: "{ dashboard { feedbackByStatus { count } responses { rate } } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "compareVersions",
            query: "query($v: ID!) { compareVersions(earlier: $v, later: $v) { revisions { id } } }",
            variables: json!({ "v": version }),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        // Revisions: leads and the Secretariat record them; versions are the Secretariat's.
        Row {
            field: "createGuideVersion",
            query: r#"mutation { createGuideVersion(input: {document: GUIDE, code: "", label: "x", plannedReleaseOn: "2030-01-01"}) { id } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'A', 'A'],
        },
        Row {
            field: "recordRevision",
            query: r#"mutation($v: ID!) { recordRevision(input: {guideVersion: $v, kind: REVISED, summary: ""}) { id } }"#,
            variables: json!({ "v": version }),
            expected: ['U', 'F', 'F', 'A', 'A'],
        },
        Row {
            field: "updateRevision",
            query: r#"mutation { updateRevision(id: "UmV2aXNpb246OTk5OTk", input: {kind: REVISED, status: DONE, summary: "", decidedOn: "2021-01-01"}, expectedVersion: 1) { id } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'H', 'H'],
        },
        Row {
            field: "deleteRevision",
            query: r#"mutation { deleteRevision(id: "UmV2aXNpb246OTk5OTk") }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'H', 'H'],
        },
        Row {
            field: "linkFeedbackToRevision",
            query: r#"mutation($f: ID!) { linkFeedbackToRevision(revision: "UmV2aXNpb246OTk5OTk", feedback: $f, disposition: ACCEPTED) { disposition } }"#,
            variables: json!({ "f": feedback }),
            expected: ['U', 'F', 'F', 'A', 'A'],
        },
        Row {
            field: "unlinkFeedbackFromRevision",
            query: r#"mutation($f: ID!) { unlinkFeedbackFromRevision(revision: "UmV2aXNpb246OTk5OTk", feedback: $f) { id } }"#,
            variables: json!({ "f": feedback }),
            expected: ['U', 'F', 'F', 'A', 'A'],
        },
        Row {
            field: "releaseVersion",
            query: "mutation($v: ID!) { releaseVersion(id: $v, expectedVersion: 99) { id } }",
            variables: json!({ "v": version }),
            expected: ['U', 'F', 'F', 'A', 'A'],
        },
        // Accounts.
        Row {
            field: "login",
            query: "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            variables: json!({ "e": WG_LEAD, "p": app.passwords[WG_LEAD] }),
            expected: ['A', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "changePassword",
            query: r#"mutation { changePassword(currentPassword: "wrong", newPassword: "short") { token } }"#,
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "createUser",
            query: r#"mutation { createUser(input: {email: "bad", password: "x", role: ADMIN}) { id } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "updateUser",
            query: "mutation($id: ID!) { updateUser(id: $id, input: {displayName: \"\"}, expectedVersion: 99) { id } }",
            variables: json!({ "id": lead_id }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "deactivateUser",
            query: "mutation($id: ID!) { deactivateUser(id: $id, expectedVersion: 99) { id } }",
            variables: json!({ "id": lead_id }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "reactivateUser",
            query: "mutation($id: ID!) { reactivateUser(id: $id, expectedVersion: 99) { id } }",
            variables: json!({ "id": lead_id }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        // The roster: the Secretariat's.
        Row {
            field: "designateChampion",
            query: r#"mutation { designateChampion(input: {country: "XYZ"}) { id } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "startCoChairTerm",
            query: r#"mutation { startCoChairTerm(input: {country: "XYZ"}) { id } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "endChampionTerm",
            query: "mutation($id: ID!) { endChampionTerm(id: $id, endedOn: \"2022-01-01\", expectedVersion: 99) { id } }",
            variables: json!({ "id": term }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "updateChampionTerm",
            query: "mutation($id: ID!) { updateChampionTerm(id: $id, input: {}, expectedVersion: 99) { id } }",
            variables: json!({ "id": term }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "createFocalPoint",
            query: r#"mutation { createFocalPoint(input: {country: "XYZ", person: {name: "A", email: "a@b.test", password: "long enough pass"}}) { user { id } } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "onboardChampion",
            query: r#"mutation { onboardChampion(input: {country: "XYZ"}) { term { id } } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        // Roles: the Secretariat's.
        Row {
            field: "assignRole",
            query: r#"mutation { assignRole(input: {country: "XYZ", role: TESTER}) { id } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "updateRoleAssignment",
            query: "mutation($id: ID!) { updateRoleAssignment(id: $id, input: {}, expectedVersion: 99) { id } }",
            variables: json!({ "id": role }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "endRole",
            query: "mutation($id: ID!) { endRole(id: $id, endedOn: \"2022-01-01\", expectedVersion: 99) { id } }",
            variables: json!({ "id": role }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "deleteRoleAssignment",
            query: r#"mutation { deleteRoleAssignment(id: "Um9sZUFzc2lnbm1lbnQ6OTk5OTk") }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'H'],
        },
        // Feedback: Champions write their own, leads triage.
        Row {
            field: "submitFeedback",
            query: r#"mutation($v: ID!) { submitFeedback(input: {country: "MAR", channel: BILATERAL, kind: QUESTION, body: "", guideVersion: $v, sections: ["II"]}) { id } }"#,
            variables: json!({ "v": version }),
            expected: ['U', 'A', 'F', 'F', 'A'],
        },
        Row {
            field: "updateFeedback",
            query: r#"mutation($id: ID!, $v: ID!) { updateFeedback(id: $id, input: {channel: BILATERAL, kind: QUESTION, body: "", guideVersion: $v, sections: ["II"], receivedOn: "2021-03-01"}, expectedVersion: 1) { id } }"#,
            variables: json!({ "id": feedback, "v": version }),
            expected: ['U', 'A', 'H', 'F', 'A'],
        },
        Row {
            field: "setFeedbackStatus",
            query: "mutation($id: ID!) { setFeedbackStatus(id: $id, status: DECLINED, expectedVersion: 99) { id } }",
            variables: json!({ "id": feedback }),
            expected: ['U', 'F', 'F', 'A', 'A'],
        },
        Row {
            field: "deleteFeedback",
            query: r#"mutation { deleteFeedback(id: "RmVlZGJhY2s6OTk5OTk") }"#,
            variables: json!({}),
            expected: ['U', 'H', 'H', 'H', 'H'],
        },
        // Events, milestones, stakeholders: the Secretariat's.
        Row {
            field: "createEvent",
            query: r#"mutation { createEvent(input: {title: "", kind: OTHER, startsOn: "2022-01-01"}) { id } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "updateEvent",
            query: "mutation($id: ID!) { updateEvent(id: $id, input: {title: \"\"}, expectedVersion: 99) { id } }",
            variables: json!({ "id": event }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "deleteEvent",
            query: r#"mutation { deleteEvent(id: "RXZlbnQ6OTk5OTk") }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'H'],
        },
        Row {
            field: "addEventParticipant",
            query: "mutation($e: ID!) { addEventParticipant(event: $e, role: ATTENDEE) { id } }",
            variables: json!({ "e": event }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "removeEventParticipant",
            query: r#"mutation { removeEventParticipant(id: "RXZlbnRQYXJ0aWNpcGFudDo5OTk5OQ") }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'H'],
        },
        Row {
            field: "setParticipationStatus",
            query: r#"mutation { setParticipationStatus(id: "RXZlbnRQYXJ0aWNpcGFudDo5OTk5OQ", status: ATTENDED, expectedVersion: 1) { id } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'H'],
        },
        Row {
            field: "recordEventOutcome",
            query: "mutation($id: ID!) { recordEventOutcome(id: $id, input: {attendeeCount: -1}, expectedVersion: 99) { id } }",
            variables: json!({ "id": event }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "addFollowUpAction",
            query: "mutation($id: ID!) { addFollowUpAction(input: {event: $id, title: \"\", ownerCountry: \"QQQ\"}) { id } }",
            variables: json!({ "id": event }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "updateFollowUpAction",
            query: r#"mutation { updateFollowUpAction(id: "Rm9sbG93VXBBY3Rpb246OTk5OTk", input: {}, expectedVersion: 1) { id } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'H'],
        },
        Row {
            field: "deleteFollowUpAction",
            query: r#"mutation { deleteFollowUpAction(id: "Rm9sbG93VXBBY3Rpb246OTk5OTk") }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'H'],
        },
        Row {
            field: "followUpActions",
            query: "{ followUpActions { totalCount } }",
            variables: json!({}),
            expected: ['U', 'A', 'A', 'A', 'A'],
        },
        Row {
            field: "setEventSupportedCountries",
            query: "mutation($id: ID!) { setEventSupportedCountries(event: $id, countries: [\"QQQ\"], expectedVersion: 99) { id } }",
            variables: json!({ "id": event }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "setEventSections",
            query: r#"mutation($e: ID!) { setEventSections(event: $e, sections: ["NOPE"], expectedVersion: 99) { id } }"#,
            variables: json!({ "e": event }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "createMilestone",
            query: r#"mutation { createMilestone(input: {title: "", dueOn: "2022-01-01"}) { id } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "updateMilestone",
            query: "mutation($id: ID!) { updateMilestone(id: $id, input: {title: \"\"}, expectedVersion: 99) { id } }",
            variables: json!({ "id": milestone }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "completeMilestone",
            query: "mutation($id: ID!) { completeMilestone(id: $id, doneOn: \"2022-01-01\", expectedVersion: 99) { id } }",
            variables: json!({ "id": milestone }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "deleteMilestone",
            query: r#"mutation { deleteMilestone(id: "TWlsZXN0b25lOjk5OTk5") }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'H'],
        },
        Row {
            field: "createStakeholder",
            query: r#"mutation { createStakeholder(input: {name: "", kind: OTHER}) { id } }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "updateStakeholder",
            query: "mutation($id: ID!) { updateStakeholder(id: $id, input: {name: \"\"}, expectedVersion: 99) { id } }",
            variables: json!({ "id": stakeholder }),
            expected: ['U', 'F', 'F', 'F', 'A'],
        },
        Row {
            field: "deleteStakeholder",
            query: r#"mutation { deleteStakeholder(id: "U3Rha2Vob2xkZXI6OTk5OTk") }"#,
            variables: json!({}),
            expected: ['U', 'F', 'F', 'F', 'H'],
        },
        // A country's private records: its Champion and the Secretariat write; others do not see them.
        Row {
            field: "createPilot",
            query: r#"mutation($v: ID!) { createPilot(input: {country: "MAR", guideVersion: $v, title: ""}) { id } }"#,
            variables: json!({ "v": version }),
            expected: ['U', 'A', 'F', 'F', 'A'],
        },
        Row {
            field: "updatePilot",
            query: "mutation($id: ID!) { updatePilot(id: $id, input: {title: \"\"}, expectedVersion: 99) { id } }",
            variables: json!({ "id": pilot }),
            expected: ['U', 'A', 'H', 'F', 'A'],
        },
        Row {
            field: "recordPilotOutcome",
            query: "mutation($id: ID!) { recordPilotOutcome(id: $id, outcome: \"\", endedOn: \"2021-05-01\", expectedVersion: 99) { id } }",
            variables: json!({ "id": pilot }),
            expected: ['U', 'A', 'H', 'F', 'A'],
        },
        Row {
            field: "deletePilot",
            query: r#"mutation { deletePilot(id: "UGlsb3Q6OTk5OTk") }"#,
            variables: json!({}),
            expected: ['U', 'H', 'H', 'H', 'H'],
        },
        Row {
            field: "createPlannedUse",
            query: r#"mutation { createPlannedUse(input: {country: "MAR", kind: OTHER, description: ""}) { id } }"#,
            variables: json!({}),
            expected: ['U', 'A', 'F', 'F', 'A'],
        },
        Row {
            field: "updatePlannedUse",
            query: "mutation($id: ID!) { updatePlannedUse(id: $id, input: {description: \"\"}, expectedVersion: 99) { id } }",
            variables: json!({ "id": planned_use }),
            expected: ['U', 'A', 'H', 'F', 'A'],
        },
        Row {
            field: "deletePlannedUse",
            query: r#"mutation { deletePlannedUse(id: "UGxhbm5lZFVzZTo5OTk5OQ") }"#,
            variables: json!({}),
            expected: ['U', 'H', 'H', 'H', 'H'],
        },
        Row {
            field: "createContact",
            query: r#"mutation { createContact(input: {country: "MAR", name: ""}) { id } }"#,
            variables: json!({}),
            expected: ['U', 'A', 'F', 'F', 'A'],
        },
        Row {
            field: "updateContact",
            query: "mutation($id: ID!) { updateContact(id: $id, input: {name: \"\"}, expectedVersion: 99) { id } }",
            variables: json!({ "id": contact }),
            expected: ['U', 'A', 'H', 'F', 'A'],
        },
        Row {
            field: "deleteContact",
            query: r#"mutation { deleteContact(id: "Q29udGFjdDo5OTk5OQ") }"#,
            variables: json!({}),
            expected: ['U', 'H', 'H', 'H', 'H'],
        },
    ];

    // Every root field has a row, and every row names a root field.
    let schema = app
        .data("{ __schema { queryType { fields { name } } mutationType { fields { name } } } }", json!({}), &admin)
        .await;
    let mut live = BTreeSet::new();
    for root in ["queryType", "mutationType"] {
        for field in schema["__schema"][root]["fields"].as_array().unwrap() {
            live.insert(field["name"].as_str().unwrap().to_owned());
        }
    }
    let covered: BTreeSet<String> = rows.iter().map(|r| r.field.to_owned()).collect();
    let missing: Vec<_> = live.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&live).collect();
    assert!(missing.is_empty(), "root fields without a permission rule: {missing:?}");
    assert!(stale.is_empty(), "rules for fields that no longer exist: {stale:?}");

    let mut mismatches = Vec::new();
    for row in &rows {
        for (i, token) in tokens.iter().enumerate() {
            let (_, body) = app.post(row.query, row.variables.clone(), token.as_deref()).await;
            let got = outcome(&body);
            if got != row.expected[i] {
                mismatches.push(format!(
                    "{} as {}: expected {}, got {} ({body})",
                    row.field, CALLERS[i], row.expected[i], got
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));

    // The probes changed nothing that matters: the private records are intact.
    let still = app
        .data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": [pilot, planned_use, contact, feedback, participant] }),
            &admin,
        )
        .await;
    assert!(still["nodes"].as_array().unwrap().iter().all(|n| !n.is_null()));
}

#[tokio::test]
async fn champions_see_only_their_own_private_rows() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let version = app
        .data(r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-02-CHAMPIONS-DRAFT"}}) { edges { node { id } } } }"#, json!({}), &admin)
        .await["guideVersions"]["edges"][0]["node"]["id"]
        .clone();
    for iso3 in ["MAR", "SLV"] {
        let vars = json!({ "c": iso3, "v": version });
        app.data(r#"mutation($c: String!, $v: ID!) { createPilot(input: {country: $c, guideVersion: $v, title: "Pilot"}) { id } }"#, vars.clone(), &admin).await;
        app.data(
            r#"mutation($c: String!) { createContact(input: {country: $c, name: "Focal point"}) { id } }"#,
            vars.clone(),
            &admin,
        )
        .await;
        app.data(r#"mutation($c: String!, $v: ID!) { submitFeedback(input: {country: $c, channel: BILATERAL, kind: QUESTION, body: "Q", guideVersion: $v, sections: ["II"], receivedOn: "2021-03-01"}) { id } }"#, vars, &admin).await;
    }
    let query = r#"{
        feedback(first: 100) { totalCount edges { node { country { iso3 } } } }
        pilots(first: 100) { totalCount edges { node { country { iso3 } } } }
        plannedUses(first: 100) { totalCount edges { node { country { iso3 } } } }
        contacts(first: 100) { totalCount edges { node { country { iso3 } } } }
        timeline(first: 100, filter: {kinds: [FEEDBACK_RECEIVED, PILOT_STARTED, PLANNED_USE_TARGET]}) { totalCount edges { node { country { iso3 } } } } }"#;
    for (email, own) in [(CHAMPION_MAR, "MAR"), (CHAMPION_SLV, "SLV")] {
        let token = app.login(email).await;
        let data = app.data(query, json!({}), &token).await;
        for list in ["feedback", "pilots", "plannedUses", "contacts", "timeline"] {
            let rows = nodes(&data[list]);
            assert_eq!(data[list]["totalCount"].as_u64().unwrap() as usize, rows.len(), "{list}");
            for row in rows {
                let iso3 = row["country"]["iso3"].as_str();
                assert!(iso3.is_none() || iso3 == Some(own), "{email} saw a {list} row of {iso3:?}");
            }
        }
        assert!(nodes(&data["pilots"]).iter().any(|r| r["country"]["iso3"] == own));
        assert!(nodes(&data["contacts"]).iter().any(|r| r["country"]["iso3"] == own));
    }
    // The lead sees both countries' rows.
    let lead = app.login(WG_LEAD).await;
    let data = app.data(query, json!({}), &lead).await;
    let countries: BTreeSet<String> =
        nodes(&data["pilots"]).iter().map(|r| r["country"]["iso3"].as_str().unwrap().to_owned()).collect();
    assert_eq!(countries, BTreeSet::from(["MAR".to_owned(), "SLV".to_owned()]));
}

/// Every audited type's nested `history`, read by a Champion, never shows another country's
/// records: a canary written into each of El Salvador's private records (and into a revision's
/// decision on its feedback) must not appear anywhere in Morocco's answers, though the
/// Secretariat's show it.
#[tokio::test]
async fn history_applies_the_same_visibility_as_the_record() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let versions = app
        .data(
            "{ guideVersions(filter: {document: GUIDE}) { edges { node { id code isReleased } } } }",
            json!({}),
            &admin,
        )
        .await;
    let versions = nodes(&versions["guideVersions"]);
    let draft = versions.iter().find(|v| v["code"] == "2021-02-CHAMPIONS-DRAFT").unwrap()["id"].clone();
    let open = versions.iter().find(|v| v["isReleased"] == false).expect("an open version")["id"].clone();

    let vars = json!({ "v": draft });
    let feedback = app.data(r#"mutation($v: ID!) { submitFeedback(input: {country: "SLV", channel: BILATERAL, kind: CONCERN, body: "CANARY feedback body", guideVersion: $v, sections: ["II"], receivedOn: "2021-03-01"}) { id version } }"#, vars.clone(), &admin).await["submitFeedback"].clone();
    app.data(
        "mutation($id: ID!, $ev: Int!) { setFeedbackStatus(id: $id, status: UNDER_REVIEW, response: \"CANARY response\", expectedVersion: $ev) { id } }",
        json!({ "id": feedback["id"], "ev": feedback["version"] }),
        &admin,
    )
    .await;
    app.data(
        r#"mutation($v: ID!) { createPilot(input: {country: "SLV", guideVersion: $v, title: "CANARY pilot"}) { id } }"#,
        vars,
        &admin,
    )
    .await;
    app.data(r#"mutation { createPlannedUse(input: {country: "SLV", kind: TRAINING, description: "CANARY planned use"}) { id } }"#, json!({}), &admin).await;
    app.data(
        r#"mutation { createContact(input: {country: "SLV", name: "CANARY contact"}) { id } }"#,
        json!({}),
        &admin,
    )
    .await;
    let revision = app
        .data(
            "mutation($input: RecordRevisionInput!) { recordRevision(input: $input) { id } }",
            json!({ "input": { "guideVersion": open, "kind": "REVISED", "summary": "Clarified step 2",
                "feedback": [{ "feedback": feedback["id"], "disposition": "DECLINED", "rationale": "CANARY rationale" }] } }),
            &admin,
        )
        .await["recordRevision"]["id"]
        .clone();
    // A second decision on the same feedback, recorded as its own audit entry (`feedback:<id>`).
    app.data(
        "mutation($r: ID!, $f: ID!) { linkFeedbackToRevision(revision: $r, feedback: $f, disposition: DEFERRED, rationale: \"CANARY second rationale\") { disposition } }",
        json!({ "r": revision, "f": feedback["id"] }),
        &admin,
    )
    .await;

    let history = "history { action entityType entityId actorEmail changes }";
    let query = format!(
        r#"query($r: ID!) {{
        me {{ {history} }}
        revisions(first: 40) {{ edges {{ node {{ {history} feedback {{ rationale }} }} }} }}
        revision: node(id: $r) {{ ... on Revision {{ {history} }} }}
        feedback(first: 40) {{ edges {{ node {{ body response {history} }} }} }}
        pilots(first: 40) {{ edges {{ node {{ title {history} }} }} }}
        plannedUses(first: 40) {{ edges {{ node {{ description {history} }} }} }}
        contacts(first: 40) {{ edges {{ node {{ name {history} }} }} }}
        events(first: 40) {{ edges {{ node {{ {history} }} }} }}
        milestones(first: 40) {{ edges {{ node {{ {history} }} }} }}
        roleAssignments(first: 40) {{ edges {{ node {{ {history} }} }} }}
        stakeholders(first: 40) {{ edges {{ node {{ {history} }} }} }}
        section(code: "II") {{ history {{ revision {{ summary feedback {{ rationale feedback {{ body }} }} }} }} }}
    }}"#
    );
    let champion = app.login(CHAMPION_MAR).await;
    let (_, seen) = app.post(&query, json!({ "r": revision }), Some(&champion)).await;
    assert!(seen["data"]["revisions"]["edges"].as_array().is_some_and(|e| !e.is_empty()), "{seen}");
    assert!(!seen.to_string().contains("CANARY"), "a Champion of Morocco read El Salvador's records: {seen}");

    // The canary is there to be found: the Secretariat reads every piece of it.
    let all = app.post(&query, json!({ "r": revision }), Some(&admin)).await.1.to_string();
    for canary in ["CANARY feedback body", "CANARY response", "CANARY pilot", "CANARY planned use", "CANARY contact"] {
        assert!(all.contains(canary), "{canary} missing from the Secretariat's answer");
    }
    let revision_history =
        app.post(&query, json!({ "r": revision }), Some(&admin)).await.1["data"]["revision"].to_string();
    assert!(revision_history.contains("CANARY rationale") && revision_history.contains("CANARY second rationale"));
}
