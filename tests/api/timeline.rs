//! The timeline merges roles, pilots, feedback, planned uses, events, milestones, releases,
//! revisions and the roster's terms in date order, each with its date's precision.

use crate::common::*;
use serde_json::{Value, json};

const GLOBAL: &str = r#"query($f: TimelineFilter, $first: Int, $after: String) { timeline(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { date datePrecision kind title subjectId country { iso3 }
    subject { __typename ... on Event { title } ... on Feedback { body } ... on RoleAssignment { role } } } } } }"#;

fn kinds(entries: &[Value]) -> Vec<String> {
    strings(entries, "kind")
}

#[tokio::test]
async fn the_global_timeline_merges_everything_in_date_order() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let data = app.data(GLOBAL, json!({ "first": 100 }), &admin).await;
    let entries = nodes(&data["timeline"]);
    // 8 events, 4 role starts (one role is only proposed), 2 role ends, 6 feedback, 3 planned-use targets, and the
    // Network's own dates: milestones, releases, revisions, the roster's terms.
    let count = |kind: &str| entries.iter().filter(|e| e["kind"] == kind).count();
    let expected = [
        ("EVENT", 8),
        ("ROLE_STARTED", 4),
        ("ROLE_ENDED", 2),
        ("FEEDBACK_RECEIVED", 6),
        ("PLANNED_USE_TARGET", 3),
        ("CHAMPION_TERM_STARTED", 10),
    ];
    for (kind, n) in expected {
        assert_eq!(count(kind), n, "{kind}");
    }
    for kind in ["MILESTONE_DUE", "VERSION_RELEASED", "REVISION_DECIDED"] {
        assert!(count(kind) > 0, "{kind}");
    }
    // Only released versions: the print and online versions of 2022 are still open.
    assert!(!entries.iter().any(|e| e["kind"] == "VERSION_RELEASED" && e["date"].as_str().unwrap() >= "2022-01-01"));
    assert_eq!(data["timeline"]["totalCount"], entries.len());
    // Dates say how much is known: the six requests came "in February 2021", Kenya joined in May 2021.
    assert!(entries.iter().filter(|e| e["kind"] == "FEEDBACK_RECEIVED").all(|e| e["datePrecision"] == "MONTH"));
    assert!(entries.iter().any(|e| e["kind"] == "CHAMPION_TERM_STARTED"
        && e["country"]["iso3"] == "KEN"
        && e["date"] == "2021-05-01"
        && e["datePrecision"] == "MONTH"));
    let dates = strings(&entries, "date");
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "oldest first");
    assert_eq!(entries[0]["date"], "2020-03-04");
    assert_eq!(entries[0]["kind"], "EVENT");
    assert_eq!(entries[0]["title"], "Briefing to Member States");
    assert_eq!(entries[0]["subject"]["__typename"], "Event");
    assert_eq!(entries[0]["subject"]["title"], "Briefing to Member States");
    assert!(
        entries
            .iter()
            .any(|e| e["kind"] == "ROLE_STARTED" && e["country"]["iso3"] == "PRT" && e["date"] == "2020-10-19")
    );
    let feedback = entries.iter().find(|e| e["kind"] == "FEEDBACK_RECEIVED").unwrap();
    assert!(feedback["title"].as_str().unwrap().starts_with("Feedback: "));
    // The subject can be refetched.
    let subject = app
        .data("query($id: ID!) { node(id: $id) { __typename } }", json!({ "id": feedback["subjectId"] }), &admin)
        .await;
    assert_eq!(subject["node"]["__typename"], "Feedback");

    let window = app
        .data(GLOBAL, json!({ "f": { "from": "2021-11-01", "to": "2022-03-31", "kinds": ["EVENT"] } }), &admin)
        .await;
    let titles = strings(&nodes(&window["timeline"]), "title");
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles[0].starts_with("Update to GCM Champions"));
    assert!(titles[1].contains("Francophonie"));

    // Paging is stable.
    let first = app.data(GLOBAL, json!({ "first": 10 }), &admin).await;
    let cursor = first["timeline"]["pageInfo"]["endCursor"].clone();
    let second = app.data(GLOBAL, json!({ "first": 10, "after": cursor }), &admin).await;
    let both: Vec<Value> = nodes(&first["timeline"]).into_iter().chain(nodes(&second["timeline"])).collect();
    assert_eq!(both, entries[..20].to_vec());

    let (_, body) = app.post(GLOBAL, json!({ "f": { "from": "2022-01-01", "to": "2021-01-01" } }), Some(&admin)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "filter.to");
}

#[tokio::test]
async fn a_country_timeline_shows_what_concerns_it_to_those_who_may_see_it() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let query = r#"query($c: String!) { country(iso3: $c) { timeline(first: 50) { totalCount edges { node { date kind title } } } } }"#;
    let morocco = app.data(query, json!({ "c": "MAR" }), &admin).await;
    let entries = nodes(&morocco["country"]["timeline"]);
    // Its designation and co-chair term (September 2020), its role, its planned use; not the Network's milestones.
    assert_eq!(
        kinds(&entries),
        ["CHAMPION_TERM_STARTED", "CHAMPION_TERM_STARTED", "ROLE_STARTED", "PLANNED_USE_TARGET"]
    );
    assert_eq!(entries[2]["title"], "PROMOTER role started");

    // Morocco's planned use is private: El Salvador's focal point sees only the public role.
    let salvador = app.login(CHAMPION_SLV).await;
    let seen = app.data(query, json!({ "c": "MAR" }), &salvador).await;
    assert_eq!(
        kinds(&nodes(&seen["country"]["timeline"])),
        ["CHAMPION_TERM_STARTED", "CHAMPION_TERM_STARTED", "ROLE_STARTED"]
    );
    let global = app.data(GLOBAL, json!({ "first": 100, "f": { "kinds": ["PLANNED_USE_TARGET"] } }), &salvador).await;
    let countries: Vec<String> =
        nodes(&global["timeline"]).iter().map(|e| e["country"]["iso3"].as_str().unwrap().to_owned()).collect();
    assert_eq!(global["timeline"]["totalCount"], 1);
    assert_eq!(countries, ["SLV"]);

    // Pilots and feedback of Morocco join its timeline; El Salvador's focal point sees neither,
    // on Morocco's timeline or on the global one.
    let version = app
        .data(r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-02-CHAMPIONS-DRAFT"}}) { edges { node { id } } } }"#, json!({}), &admin)
        .await["guideVersions"]["edges"][0]["node"]["id"]
        .clone();
    app.data(
        r#"mutation($v: ID!) { createPilot(input: {country: "MAR", guideVersion: $v, title: "Pilot in Rabat", status: IN_PROGRESS, startedOn: "2021-03-01"}) { id } }"#,
        json!({ "v": version }),
        &admin,
    )
    .await;
    app.data(
        r#"mutation($v: ID!) { submitFeedback(input: {country: "MAR", channel: BILATERAL, kind: QUESTION, body: "How to cost the plan?", guideVersion: $v, sections: ["II"], receivedOn: "2021-04-01"}) { id } }"#,
        json!({ "v": version }),
        &admin,
    )
    .await;
    let morocco = app.data(query, json!({ "c": "MAR" }), &admin).await;
    assert_eq!(
        kinds(&nodes(&morocco["country"]["timeline"])),
        [
            "CHAMPION_TERM_STARTED",
            "CHAMPION_TERM_STARTED",
            "PILOT_STARTED",
            "FEEDBACK_RECEIVED",
            "ROLE_STARTED",
            "PLANNED_USE_TARGET"
        ]
    );
    let seen = app.data(query, json!({ "c": "MAR" }), &salvador).await;
    assert_eq!(
        kinds(&nodes(&seen["country"]["timeline"])),
        ["CHAMPION_TERM_STARTED", "CHAMPION_TERM_STARTED", "ROLE_STARTED"]
    );
    let global = app
        .data(GLOBAL, json!({ "first": 100, "f": { "kinds": ["PILOT_STARTED", "FEEDBACK_RECEIVED"] } }), &salvador)
        .await;
    assert!(nodes(&global["timeline"]).iter().all(|e| e["country"].is_null()), "only collective feedback");
    let global = app
        .data(GLOBAL, json!({ "first": 100, "f": { "kinds": ["PILOT_STARTED", "FEEDBACK_RECEIVED"] } }), &admin)
        .await;
    assert_eq!(global["timeline"]["totalCount"], 8);

    // Repeated kinds do not repeat entries.
    let twice = app.data(GLOBAL, json!({ "f": { "kinds": ["EVENT", "PILOT_STARTED", "EVENT"] } }), &admin).await;
    assert_eq!(twice["timeline"]["totalCount"], 9);

    // Timelines of many countries at once are refused before any work; use the root field.
    let (_, body) = app
        .post(
            "{ countries(first: 100) { edges { node { timeline(first: 1) { totalCount } } } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{body}");
}
