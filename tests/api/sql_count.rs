//! Relations go through loaders: the SQL statements of a nested query do not grow with the
//! number of rows returned (see `assert_no_growth_with_rows` for the tolerance the request cache
//! brings).

use crate::common::*;
use serde_json::json;

const NESTED: &str = r#"query($n: Int!) { sections(first: $n) { edges { node {
    code document { kind } parent { code parent { code } } children { code children { code } }
    introducedIn { code document { kind } } } } } }"#;

async fn statements_for(app: &TestApp, token: &str, page: usize) -> (u64, usize) {
    let (cost, data) = app.fewest_statements(NESTED, json!({ "n": page }), token).await;
    (cost, nodes(&data["sections"]).len())
}

#[tokio::test]
async fn nested_sections_cost_the_same_number_of_statements_for_any_page_size() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    // Both pages reach every relation (section III.A, the 23rd row, is the one with `introducedIn`),
    // so any per-row query would show up as a difference.
    let (small, small_rows) = statements_for(&app, &token, 23).await;
    let (large, large_rows) = statements_for(&app, &token, 46).await;
    assert_eq!((small_rows, large_rows), (23, 46));
    assert_no_growth_with_rows(small, large, "23 and 46 sections");
    // Viewer lookup, page, and one query per relation level at most.
    assert!(large <= 10, "{large} statements");
}

const REVISIONS: &str = r#"query($n: Int!) { revisions(first: $n) { edges { node {
    guideVersion { code document { kind } }
    sectionChanges { change section { code history { change } } before { parent { code } } }
    feedback { disposition feedback { sections { code } addressedBy { revision { kind } } } } } } } }"#;

const MATRIX: &str = r#"query($v: ID!, $n: Int!) { node(id: $v) { ... on GuideVersion { commentResponseMatrix(first: $n) {
    edges { node { sourceName sections { code } disposition rationale revision { summary guideVersion { code } }
    responses { revision { kind } } } } } } } }"#;

#[tokio::test]
async fn revision_trails_and_the_comment_response_matrix_are_loaded_in_batches() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let token = app.login(WG_LEAD).await;
    let (few, data) = app.fewest_statements(REVISIONS, json!({ "n": 2 }), &token).await;
    assert_eq!(nodes(&data["revisions"]).len(), 2);
    let (all, data) = app.fewest_statements(REVISIONS, json!({ "n": 6 }), &token).await;
    assert_eq!(nodes(&data["revisions"]).len(), 6);
    assert_no_growth_with_rows(few, all, "2 and 6 revisions");

    let versions = app
        .data(r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-02-CHAMPIONS-DRAFT"}}) { edges { node { id } } } }"#, json!({}), &token)
        .await;
    let draft = nodes(&versions["guideVersions"])[0]["id"].clone();
    let rows = |data: &serde_json::Value| nodes(&data["node"]["commentResponseMatrix"]).len();
    let (few, data) = app.fewest_statements(MATRIX, json!({ "v": draft, "n": 1 }), &token).await;
    assert_eq!(rows(&data), 1);
    let (all, data) = app.fewest_statements(MATRIX, json!({ "v": draft, "n": 4 }), &token).await;
    assert_eq!(rows(&data), 4);
    assert_no_growth_with_rows(few, all, "matrix rows 1 and 4");
}

const LATEST: &str = r#"query($n: Int!) { countries(filter: {isChampion: true}, first: $n) { edges { node {
    iso3 all: feedback { id } latest: feedback(latest: 2) { id receivedOn sections { code } } } } } }"#;

/// `feedback(latest:)` keeps each country's newest items in one windowed statement for all
/// countries of the page.
#[tokio::test]
async fn latest_feedback_per_country_is_one_batch() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let versions = app
        .data(
            r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-11-REVISED"}}) { edges { node { id } } } }"#,
            json!({}),
            &admin,
        )
        .await;
    let version = nodes(&versions["guideVersions"])[0]["id"].clone();
    for (country, day) in [("MAR", 1), ("MAR", 3), ("MAR", 2), ("SLV", 5), ("GHA", 4), ("GHA", 6), ("GHA", 6)] {
        app.data(
            r#"mutation($c: String!, $v: ID!, $d: Date!) { submitFeedback(input: {country: $c, channel: BILATERAL, kind: QUESTION,
               body: "x", guideVersion: $v, sections: ["II"], receivedOn: $d}) { id } }"#,
            json!({ "c": country, "v": version, "d": format!("2022-01-0{day}") }),
            &admin,
        )
        .await;
    }
    let (few, _) = app.fewest_statements(LATEST, json!({ "n": 2 }), &admin).await;
    let (many, data) = app.fewest_statements(LATEST, json!({ "n": 8 }), &admin).await;
    assert_no_growth_with_rows(few, many, "2 and 8 countries");
    // All loaded ahead: the viewer, the page, every item (`all`), the newest two, and the section
    // links and sections of the newest two only (`all` does not ask for sections).
    assert_eq!(many, 6, "{many} statements");
    for country in nodes(&data["countries"]) {
        let all: Vec<_> = country["all"].as_array().unwrap().iter().map(|f| f["id"].clone()).collect();
        let latest: Vec<_> = country["latest"].as_array().unwrap().iter().map(|f| f["id"].clone()).collect();
        assert_eq!(latest, all.iter().take(2).cloned().collect::<Vec<_>>(), "{}", country["iso3"]);
    }
    let gha = nodes(&data["countries"]).into_iter().find(|c| c["iso3"] == "GHA").unwrap();
    assert_eq!(strings(gha["latest"].as_array().unwrap(), "receivedOn"), ["2022-01-06", "2022-01-06"]);
    let body = app
        .refused("{ countries(first: 1) { edges { node { feedback(latest: 0) { id } } } } }", json!({}), &admin)
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

async fn submit_feedback(app: &TestApp, token: &str, version: &serde_json::Value, country: &str, day: u32) -> String {
    let data = app
        .data(
            r#"mutation($c: String!, $v: ID!, $d: Date!) { submitFeedback(input: {country: $c, channel: BILATERAL, kind: QUESTION,
               body: "x", guideVersion: $v, sections: ["II", "III.A"], receivedOn: $d}) { id } }"#,
            json!({ "c": country, "v": version, "d": format!("2022-01-{day:02}") }),
            token,
        )
        .await;
    data["submitFeedback"]["id"].as_str().unwrap().to_owned()
}

async fn revised_version(app: &TestApp, token: &str) -> serde_json::Value {
    let versions = app
        .data(
            r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-11-REVISED"}}) { edges { node { id } } } }"#,
            json!({}),
            token,
        )
        .await;
    nodes(&versions["guideVersions"])[0]["id"].clone()
}

const AHEAD: &str = r#"query($n: Int!) { countries(filter: {isChampion: true}, first: $n) { edges { node {
    iso3 roles { role } feedback(latest: 3) { id sections { code } } } } } }"#;

/// A page of countries loads the relations it was asked for ahead, one statement each for the
/// whole page, so the count is exact whatever the timing: the viewer, the page, the roles, the
/// newest feedback, its section links and the sections. Concurrent requests, which slow each
/// other down, cost the same as one alone.
#[tokio::test]
async fn a_page_of_countries_loads_its_relations_ahead_in_a_fixed_number_of_statements() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let version = revised_version(&app, &admin).await;
    for (country, day) in [("MAR", 1), ("MAR", 3), ("MAR", 2), ("MAR", 4), ("SLV", 5), ("GHA", 4)] {
        submit_feedback(&app, &admin, &version, country, day).await;
    }
    const REQUESTS: u64 = 8;
    let before = app.statements().await;
    let responses =
        futures_util::future::join_all((0..REQUESTS).map(|_| app.data(AHEAD, json!({ "n": 50 }), &admin))).await;
    let spent = app.statements().await - before;
    assert_eq!(spent, REQUESTS * 6, "{spent} statements for {REQUESTS} requests");
    for data in responses {
        let countries = nodes(&data["countries"]);
        let mar = countries.iter().find(|c| c["iso3"] == "MAR").unwrap();
        let feedback = mar["feedback"].as_array().unwrap();
        assert_eq!(feedback.len(), 3);
        assert!(feedback.iter().all(|f| strings(f["sections"].as_array().unwrap(), "code") == ["II", "III.A"]));
        assert!(countries.iter().any(|c| !c["roles"].as_array().unwrap().is_empty()));
    }
}

/// What a mutation wrote is what the rest of the operation reads: loaders keep nothing across
/// the fields of a mutation.
#[tokio::test]
async fn a_later_mutation_field_sees_what_an_earlier_one_wrote() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let version = revised_version(&app, &admin).await;
    let data = app
        .data(
            r#"mutation($v: ID!) {
                first: submitFeedback(input: {country: "MAR", channel: BILATERAL, kind: QUESTION, body: "one",
                    guideVersion: $v, sections: ["II"], receivedOn: "2022-01-01"}) { id country { feedback { id } } }
                second: submitFeedback(input: {country: "MAR", channel: BILATERAL, kind: QUESTION, body: "two",
                    guideVersion: $v, sections: ["II"], receivedOn: "2022-01-02"}) { id country { feedback { id } } } }"#,
            json!({ "v": version }),
            &admin,
        )
        .await;
    let ids = |field: &str| strings(data[field]["country"]["feedback"].as_array().unwrap(), "id");
    let (first, second) = (data["first"]["id"].as_str().unwrap(), data["second"]["id"].as_str().unwrap());
    assert!(ids("first").iter().any(|id| id == first));
    let after_second = ids("second");
    assert!(after_second.iter().any(|id| id == first) && after_second.iter().any(|id| id == second), "{data}");
}
