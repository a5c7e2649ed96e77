//! Milestones of producing the guidance: queries, mutations, the rules they enforce and who
//! may use them.

use crate::common::*;
use async_graphql::ID;
use entity::milestone::{self, MilestoneStatus};
use graphql::id::{NodeType, decode_global_id, global_id};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

const MILESTONE: &str = "id title description dueOn duePrecision doneOn status isOverdue provenance sourceNote
    createdAt updatedAt version guideVersion { code }";

fn create_mutation() -> String {
    format!("mutation($input: CreateMilestoneInput!) {{ createMilestone(input: $input) {{ {MILESTONE} }} }}")
}

fn update_mutation() -> String {
    format!(
        "mutation($id: ID!, $input: UpdateMilestoneInput!, $v: Int!) {{
           updateMilestone(id: $id, input: $input, expectedVersion: $v) {{ {MILESTONE} }} }}"
    )
}

fn complete_mutation() -> String {
    format!(
        "mutation($id: ID!, $on: Date!, $v: Int!) {{
           completeMilestone(id: $id, doneOn: $on, expectedVersion: $v) {{ {MILESTONE} }} }}"
    )
}

const DELETE: &str = "mutation($id: ID!) { deleteMilestone(id: $id) }";

fn key(id: &Value) -> i32 {
    decode_global_id(&ID(id.as_str().expect("id string").to_owned()), "id").expect("valid id").1
}

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.data(&create_mutation(), json!({ "input": input }), token).await["createMilestone"].clone()
}

async fn stored(app: &TestApp, id: &Value) -> Option<milestone::Model> {
    milestone::Entity::find_by_id(key(id)).one(&app.db).await.unwrap()
}

async fn count(app: &TestApp) -> u64 {
    milestone::Entity::find().count(&app.db).await.unwrap()
}

async fn guide_version(app: &TestApp, token: &str, code: &str) -> Value {
    let data = app
        .data(
            "query($c: String!) { guideVersions(filter: {document: GUIDE, code: {eq: $c}}) { edges { node { id } } } }",
            json!({ "c": code }),
            token,
        )
        .await;
    nodes(&data["guideVersions"])[0]["id"].clone()
}

fn translation() -> Value {
    json!({ "title": "French and Spanish translation", "dueOn": "2099-12-01" })
}

#[tokio::test]
async fn a_milestone_is_created_updated_completed_and_deleted() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let revised = guide_version(&app, &token, "2021-11-REVISED").await;
    let created = create(
        &app,
        &token,
        json!({
            "title": " Professional editing ",
            "description": "Edit the revised guidance before layout.",
            "dueOn": "2099-11-30",
            "duePrecision": "MONTH",
            "status": "ON_TRACK",
            "guideVersion": revised,
            "sourceNote": "Update to GCM Champions, 3 November 2021"
        }),
    )
    .await;
    assert_eq!(created["title"], "Professional editing");
    assert_eq!(created["dueOn"], "2099-11-30");
    assert_eq!(created["duePrecision"], "MONTH");
    assert_eq!(created["status"], "ON_TRACK");
    assert!(created["doneOn"].is_null());
    assert_eq!(created["isOverdue"], false);
    assert_eq!(created["guideVersion"]["code"], "2021-11-REVISED");
    assert_eq!(created["provenance"], "USER_ENTERED");
    assert_eq!(created["version"], 1);
    let row = stored(&app, &created["id"]).await.expect("stored");
    assert_eq!(row.title, "Professional editing");
    assert_eq!(row.status, MilestoneStatus::OnTrack);
    assert_eq!(row.guide_version_id, Some(key(&revised)));
    assert_eq!(row.provenance, entity::common::Provenance::UserEntered);
    assert_eq!((row.done_on, row.version), (None, 1));

    // Defaults: PLANNED, day precision, no guide version.
    let minimal = create(&app, &token, translation()).await;
    assert_eq!((minimal["status"].as_str(), minimal["duePrecision"].as_str()), (Some("PLANNED"), Some("DAY")));
    assert!(minimal["guideVersion"].is_null());
    // Created as done, with its date.
    let done = create(
        &app,
        &token,
        json!({ "title": "Briefing held", "dueOn": "2020-10-19", "status": "DONE", "doneOn": "2020-10-19" }),
    )
    .await;
    assert_eq!((done["status"].as_str(), done["doneOn"].as_str()), (Some("DONE"), Some("2020-10-19")));
    assert_eq!(done["isOverdue"], false, "a done milestone is never overdue");

    let updated = app
        .data(
            &update_mutation(),
            json!({ "id": created["id"], "v": 1, "input": {
                "status": "AT_RISK", "dueOn": "2099-12-15", "guideVersion": null, "description": null } }),
            &token,
        )
        .await["updateMilestone"]
        .clone();
    assert_eq!(updated["status"], "AT_RISK");
    assert_eq!(updated["dueOn"], "2099-12-15");
    assert!(updated["guideVersion"].is_null() && updated["description"].is_null());
    assert_eq!(updated["title"], "Professional editing", "untouched field kept");
    assert_eq!(updated["version"], 2);
    let row = stored(&app, &created["id"]).await.unwrap();
    assert_eq!((row.status, row.guide_version_id, row.version), (MilestoneStatus::AtRisk, None, 2));
    assert_eq!(row.due_on.to_string(), "2099-12-15");

    let completed = app
        .data(&complete_mutation(), json!({ "id": created["id"], "on": "2021-12-20", "v": 2 }), &token)
        .await["completeMilestone"]
        .clone();
    assert_eq!((completed["status"].as_str(), completed["doneOn"].as_str()), (Some("DONE"), Some("2021-12-20")));
    assert_eq!(completed["version"], 3);
    let row = stored(&app, &created["id"]).await.unwrap();
    assert_eq!(row.status, MilestoneStatus::Done);
    assert_eq!(row.done_on.map(|d| d.to_string()).as_deref(), Some("2021-12-20"));

    // Reopening clears the done date explicitly.
    let reopened = app
        .data(
            &update_mutation(),
            json!({ "id": created["id"], "v": 3, "input": { "status": "SLIPPED", "doneOn": null } }),
            &token,
        )
        .await["updateMilestone"]
        .clone();
    assert_eq!((reopened["status"].as_str(), reopened["doneOn"].is_null()), (Some("SLIPPED"), true));

    // node(id:) refetches it for any signed-in user.
    let champion = app.login(CHAMPION_MAR).await;
    let node = app
        .data(
            "query($id: ID!) { node(id: $id) { __typename id ... on Milestone { title status version } } }",
            json!({ "id": created["id"] }),
            &champion,
        )
        .await;
    assert_eq!(node["node"]["__typename"], "Milestone");
    assert_eq!(node["node"]["status"], "SLIPPED");
    assert_eq!(node["node"]["version"], 4);

    let before = count(&app).await;
    let deleted = app.data(DELETE, json!({ "id": minimal["id"] }), &token).await;
    assert_eq!(deleted["deleteMilestone"], minimal["id"]);
    assert_eq!(count(&app).await, before - 1);
    assert!(stored(&app, &minimal["id"]).await.is_none());
    let (_, body) = app.post(DELETE, json!({ "id": minimal["id"] }), Some(&token)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("NOT_FOUND", "id"));
}

#[tokio::test]
async fn bad_milestone_input_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let milestone = create(&app, &token, translation()).await;
    let done = create(
        &app,
        &token,
        json!({ "title": "Printed", "dueOn": "2022-01-31", "status": "DONE", "doneOn": "2022-02-02" }),
    )
    .await;
    let before = count(&app).await;

    let long_line = "x".repeat(501);
    let long_text = "y".repeat(20_001);
    let with = |changes: Value| {
        let mut input = translation();
        for (k, v) in changes.as_object().unwrap() {
            input[k] = v.clone();
        }
        input
    };
    let gone_version = global_id(NodeType::GuideVersion, 999_999);
    let not_a_version = global_id(NodeType::Country, 1);
    for (input, code, field) in [
        (with(json!({ "title": "" })), "BAD_USER_INPUT", "title"),
        (with(json!({ "title": " \n " })), "BAD_USER_INPUT", "title"),
        (with(json!({ "title": long_line })), "BAD_USER_INPUT", "title"),
        (with(json!({ "description": long_text })), "BAD_USER_INPUT", "description"),
        (with(json!({ "sourceNote": long_text })), "BAD_USER_INPUT", "sourceNote"),
        (with(json!({ "status": "DONE" })), "BAD_USER_INPUT", "doneOn"),
        (with(json!({ "status": "ON_TRACK", "doneOn": "2021-01-01" })), "BAD_USER_INPUT", "doneOn"),
        (with(json!({ "doneOn": "2021-01-01" })), "BAD_USER_INPUT", "doneOn"),
        (with(json!({ "guideVersion": gone_version })), "NOT_FOUND", "guideVersion"),
        (with(json!({ "guideVersion": not_a_version })), "BAD_USER_INPUT", "guideVersion"),
    ] {
        let (_, body) = app.post(&create_mutation(), json!({ "input": input }), Some(&token)).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{body}");
    }
    assert_eq!(count(&app).await, before, "no milestone written");

    for (id, input, code, field) in [
        (&milestone["id"], json!({ "title": "" }), "BAD_USER_INPUT", "title"),
        (&milestone["id"], json!({ "title": long_line }), "BAD_USER_INPUT", "title"),
        (&milestone["id"], json!({ "description": long_text }), "BAD_USER_INPUT", "description"),
        (&milestone["id"], json!({ "status": "DONE" }), "BAD_USER_INPUT", "doneOn"),
        (&milestone["id"], json!({ "doneOn": "2021-01-01" }), "BAD_USER_INPUT", "doneOn"),
        (&milestone["id"], json!({ "guideVersion": gone_version }), "NOT_FOUND", "guideVersion"),
        // Reopening a done milestone without clearing its date, or clearing the date of a done one.
        (&done["id"], json!({ "status": "AT_RISK" }), "BAD_USER_INPUT", "doneOn"),
        (&done["id"], json!({ "doneOn": null }), "BAD_USER_INPUT", "doneOn"),
    ] {
        let (_, body) = app.post(&update_mutation(), json!({ "id": id, "v": 1, "input": input }), Some(&token)).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{body}");
    }
    let row = stored(&app, &milestone["id"]).await.unwrap();
    assert_eq!(
        (row.title.as_str(), row.status, row.done_on, row.version),
        ("French and Spanish translation", MilestoneStatus::Planned, None, 1)
    );
    let row = stored(&app, &done["id"]).await.unwrap();
    assert_eq!((row.status, row.version), (MilestoneStatus::Done, 1));
    assert_eq!(row.done_on.map(|d| d.to_string()).as_deref(), Some("2022-02-02"));

    let gone = global_id(NodeType::Milestone, 999_999);
    for (mutation, vars, code) in [
        (update_mutation(), json!({ "id": gone, "v": 1, "input": {} }), "NOT_FOUND"),
        (complete_mutation(), json!({ "id": gone, "on": "2021-01-01", "v": 1 }), "NOT_FOUND"),
        (DELETE.to_owned(), json!({ "id": gone }), "NOT_FOUND"),
        (update_mutation(), json!({ "id": global_id(NodeType::Country, 1), "v": 1, "input": {} }), "BAD_USER_INPUT"),
    ] {
        let (_, body) = app.post(&mutation, vars, Some(&token)).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, "id"), "{body}");
    }
    assert_eq!(count(&app).await, before);
}

#[tokio::test]
async fn completing_twice_stale_versions_and_concurrent_writers_conflict() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let milestone = create(&app, &token, translation()).await;

    let (_, body) = app
        .post(&complete_mutation(), json!({ "id": milestone["id"], "on": "2021-01-15", "v": 7 }), Some(&token))
        .await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "expectedVersion"));
    let (_, body) = app
        .post(&update_mutation(), json!({ "id": milestone["id"], "v": 0, "input": { "title": "Stale" } }), Some(&token))
        .await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "expectedVersion"));
    let row = stored(&app, &milestone["id"]).await.unwrap();
    assert_eq!(
        (row.title.as_str(), row.status, row.version),
        ("French and Spanish translation", MilestoneStatus::Planned, 1)
    );

    // Two updates holding version 1: exactly one gets through.
    let update = update_mutation();
    let (a, b) = tokio::join!(
        app.post(&update, json!({ "id": milestone["id"], "v": 1, "input": { "status": "ON_TRACK" } }), Some(&token)),
        app.post(&update, json!({ "id": milestone["id"], "v": 1, "input": { "status": "AT_RISK" } }), Some(&token)),
    );
    let ok: Vec<&Value> = [&a.1, &b.1].into_iter().filter(|body| body["errors"].is_null()).collect();
    let failed: Vec<&Value> = [&a.1, &b.1].into_iter().filter(|body| !body["errors"].is_null()).collect();
    assert_eq!((ok.len(), failed.len()), (1, 1), "{a:?} {b:?}");
    assert_eq!(error_code(failed[0]), "CONFLICT");
    let row = stored(&app, &milestone["id"]).await.unwrap();
    assert_eq!(row.version, 2);
    assert_eq!(serde_json::to_value(row.status).unwrap(), ok[0]["data"]["updateMilestone"]["status"]);

    // Two completions holding version 2: one completes, the other conflicts.
    let complete = complete_mutation();
    let (a, b) = tokio::join!(
        app.post(&complete, json!({ "id": milestone["id"], "on": "2021-02-01", "v": 2 }), Some(&token)),
        app.post(&complete, json!({ "id": milestone["id"], "on": "2021-02-02", "v": 2 }), Some(&token)),
    );
    let ok = [&a.1, &b.1].into_iter().filter(|body| body["errors"].is_null()).count();
    assert_eq!(ok, 1, "{a:?} {b:?}");
    assert!([&a.1, &b.1].into_iter().any(|body| !body["errors"].is_null() && error_code(body) == "CONFLICT"));
    let row = stored(&app, &milestone["id"]).await.unwrap();
    assert_eq!((row.status, row.version), (MilestoneStatus::Done, 3));

    // Completing a DONE milestone, even at its current version, is a conflict.
    let (_, body) =
        app.post(&complete, json!({ "id": milestone["id"], "on": "2021-03-01", "v": 3 }), Some(&token)).await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "id"));
    let after = stored(&app, &milestone["id"]).await.unwrap();
    assert_eq!((after.version, after.done_on), (3, row.done_on), "unchanged");
}

#[tokio::test]
async fn only_the_secretariat_manages_milestones() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let milestone = create(&app, &admin, translation()).await;
    let before = count(&app).await;
    let mutations = [
        (create_mutation(), json!({ "input": translation() })),
        (update_mutation(), json!({ "id": milestone["id"], "v": 1, "input": { "title": "Mine" } })),
        (complete_mutation(), json!({ "id": milestone["id"], "on": "2021-01-01", "v": 1 })),
        (DELETE.to_owned(), json!({ "id": milestone["id"] })),
    ];
    for who in [WG_LEAD, CHAMPION_SLV] {
        let token = app.login(who).await;
        for (mutation, vars) in &mutations {
            let (_, body) = app.post(mutation, vars.clone(), Some(&token)).await;
            assert_eq!(error_code(&body), "FORBIDDEN", "{who}: {mutation}: {body}");
        }
        let data =
            app.data("{ milestones { totalCount edges { node { title isOverdue } } } }", json!({}), &token).await;
        assert_eq!(data["milestones"]["totalCount"], 1);
    }
    let (_, body) = app.post("{ milestones { totalCount } }", json!({}), None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert_eq!(count(&app).await, before);
    let row = stored(&app, &milestone["id"]).await.unwrap();
    assert_eq!(
        (row.title.as_str(), row.status, row.version),
        ("French and Spanish translation", MilestoneStatus::Planned, 1)
    );
}

#[tokio::test]
async fn milestones_filter_by_status_due_date_overdue_risk_and_version() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let draft = guide_version(&app, &token, "2021-02-CHAMPIONS-DRAFT").await;
    let online = guide_version(&app, &token, "2022-02-ONLINE").await;
    // Dates far in the past or future keep "today" out of the picture.
    for (title, due_on, status, done_on, version) in [
        ("Translation", "2020-11-30", "DONE", Some("2020-12-05"), Some(&draft)),
        ("Review round", "2021-01-31", "ON_TRACK", None, Some(&draft)),
        ("Editing", "2021-06-30", "AT_RISK", None, None),
        ("Printing", "2099-01-31", "SLIPPED", None, None),
        ("Online version", "2099-02-28", "PLANNED", None, Some(&online)),
        ("Hard copies", "2099-03-31", "ON_TRACK", None, None),
    ] {
        create(
            &app,
            &token,
            json!({ "title": title, "dueOn": due_on, "status": status, "doneOn": done_on, "guideVersion": version }),
        )
        .await;
    }

    let champion = app.login(CHAMPION_MAR).await;
    let data = app
        .data(
            r#"query($draft: ID!) {
              all: milestones { totalCount edges { node { title isOverdue } } }
              done: milestones(filter: {status: {eq: DONE}}) { edges { node { title doneOn } } }
              open: milestones(filter: {status: {notIn: [DONE, PLANNED]}}) { totalCount }
              due2021: milestones(filter: {dueOn: {gte: "2021-01-01", lte: "2021-12-31"}}) { edges { node { title } } }
              overdue: milestones(filter: {overdue: true}) { edges { node { title } } }
              notOverdue: milestones(filter: {overdue: false}) { edges { node { title } } }
              atRisk: milestones(filter: {atRisk: true}) { edges { node { title } } }
              safe: milestones(filter: {atRisk: false}) { edges { node { title } } }
              draft: milestones(filter: {guideVersion: $draft}) { edges { node { title guideVersion { code } } } }
              latestFirst: milestones(orderBy: [{field: DUE_ON, direction: DESC}], first: 2) { edges { node { title } } }
              byStatus: milestones(orderBy: [{field: STATUS}, {field: TITLE}], last: 1) { edges { node { title } } }
            }"#,
            json!({ "draft": draft }),
            &champion,
        )
        .await;
    let titles = |name: &str| strings(&nodes(&data[name]), "title");
    assert_eq!(data["all"]["totalCount"], 6);
    assert_eq!(titles("all"), ["Translation", "Review round", "Editing", "Printing", "Online version", "Hard copies"]);
    let overdue_flags: Vec<bool> = nodes(&data["all"]).iter().map(|m| m["isOverdue"].as_bool().unwrap()).collect();
    assert_eq!(overdue_flags, [false, true, true, false, false, false]);
    assert_eq!(titles("done"), ["Translation"]);
    assert_eq!(nodes(&data["done"])[0]["doneOn"], "2020-12-05");
    assert_eq!(data["open"]["totalCount"], 4);
    assert_eq!(titles("due2021"), ["Review round", "Editing"]);
    assert_eq!(titles("overdue"), ["Review round", "Editing"]);
    assert_eq!(titles("notOverdue"), ["Translation", "Printing", "Online version", "Hard copies"]);
    assert_eq!(titles("atRisk"), ["Review round", "Editing", "Printing"]);
    assert_eq!(titles("safe"), ["Translation", "Online version", "Hard copies"]);
    assert_eq!(titles("draft"), ["Translation", "Review round"]);
    assert!(nodes(&data["draft"]).iter().all(|m| m["guideVersion"]["code"] == "2021-02-CHAMPIONS-DRAFT"));
    assert_eq!(titles("latestFirst"), ["Hard copies", "Online version"]);
    // Statuses order as stored strings: AT_RISK, DONE, ON_TRACK (Hard copies, Review round), PLANNED, SLIPPED.
    assert_eq!(titles("byStatus"), ["Printing"]);

    for (filter, code, field) in [
        (json!({ "guideVersion": global_id(NodeType::GuideVersion, 999_999) }), "NOT_FOUND", "filter.guideVersion"),
        (json!({ "guideVersion": global_id(NodeType::Event, 1) }), "BAD_USER_INPUT", "filter.guideVersion"),
    ] {
        let (_, body) = app
            .post(
                "query($f: MilestoneFilter) { milestones(filter: $f) { totalCount } }",
                json!({ "f": filter }),
                Some(&champion),
            )
            .await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{body}");
    }
}

#[tokio::test]
async fn overdue_is_judged_from_the_end_of_the_stated_period_as_of_a_day() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let create = "mutation($input: CreateMilestoneInput!) { createMilestone(input: $input) { id } }";
    let in_february = app
        .data(
            create,
            json!({ "input": { "title": "Translation in February", "dueOn": "2021-02-01", "duePrecision": "MONTH" } }),
            &admin,
        )
        .await["createMilestone"]["id"]
        .clone();
    let done_late = app
        .data(create, json!({ "input": { "title": "Review done in June", "dueOn": "2021-03-15", "status": "DONE", "doneOn": "2021-06-10" } }), &admin)
        .await["createMilestone"]["id"]
        .clone();
    let in_q3 = app
        .data(
            create,
            json!({ "input": { "title": "Editing in Q3", "dueOn": "2021-07-01", "duePrecision": "QUARTER" } }),
            &admin,
        )
        .await["createMilestone"]["id"]
        .clone();
    let overdue_on = |id: Value, day: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            app.data(
                "query($id: ID!, $d: Date) { node(id: $id) { ... on Milestone { isOverdue(asOf: $d) } } }",
                json!({ "id": id, "d": day }),
                &admin,
            )
            .await["node"]["isOverdue"]
                .as_bool()
                .unwrap()
        }
    };
    // Due "in February 2021": not late on the 2nd, nor on the 28th; late from 1 March.
    assert!(!overdue_on(in_february.clone(), "2021-02-02").await);
    assert!(!overdue_on(in_february.clone(), "2021-02-28").await);
    assert!(overdue_on(in_february.clone(), "2021-03-01").await);
    // Done on 10 June: late as of May, not as of July.
    assert!(overdue_on(done_late.clone(), "2021-05-01").await);
    assert!(!overdue_on(done_late.clone(), "2021-07-01").await);
    // Due in the third quarter: late from 1 October.
    assert!(!overdue_on(in_q3.clone(), "2021-09-30").await);
    assert!(overdue_on(in_q3.clone(), "2021-10-01").await);

    // The dashboard and the milestone filter judge the same way, as of the day asked for.
    let dashboard = |day: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let data = app
                .data(
                    "query($d: Date) { dashboard(filter: {asOf: $d}) { overdueMilestones { title } } }",
                    json!({ "d": day }),
                    &admin,
                )
                .await;
            strings(data["dashboard"]["overdueMilestones"].as_array().unwrap(), "title")
        }
    };
    let listed = dashboard("2021-05-01").await;
    assert!(
        listed.contains(&"Translation in February".to_owned()) && listed.contains(&"Review done in June".to_owned())
    );
    assert!(!listed.contains(&"Editing in Q3".to_owned()));
    let listed = dashboard("2021-09-30").await;
    assert!(!listed.contains(&"Review done in June".to_owned()) && !listed.contains(&"Editing in Q3".to_owned()));
    let filtered = app
        .data(
            r#"{ milestones(filter: {overdue: true, asOf: "2021-10-01"}) { edges { node { title } } } }"#,
            json!({}),
            &admin,
        )
        .await;
    let titles = strings(&nodes(&filtered["milestones"]), "title");
    assert!(titles.contains(&"Editing in Q3".to_owned()) && titles.contains(&"Translation in February".to_owned()));
    assert!(!titles.contains(&"Review done in June".to_owned()));
}
