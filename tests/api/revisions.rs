//! Revision history through HTTP: the trail from feedback to change and back on the demo data,
//! frozen released versions, `compareVersions` on a history built here, section identity across
//! renames and moves, `section(code:, guideVersion:)`, and translation status.

use crate::common::*;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

async fn version_id(app: &TestApp, token: &str, document: &str, code: &str) -> Value {
    let data = app
        .data(
            "query($d: DocumentKind!, $c: String!) { guideVersions(filter: {document: $d, code: {eq: $c}}) { edges { node { id } } } }",
            json!({ "d": document, "c": code }),
            token,
        )
        .await;
    nodes(&data["guideVersions"])[0]["id"].clone()
}

async fn revision_count(app: &TestApp) -> u64 {
    entity::revision::Entity::find().count(&app.db).await.unwrap()
}

const RECORD: &str = "mutation($input: RecordRevisionInput!) { recordRevision(input: $input) { id version sectionChanges { change section { id code } } } }";

#[tokio::test]
async fn the_demo_trail_reads_both_ways() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let lead = app.login(WG_LEAD).await;

    // From the Champions' request to the change it led to.
    let data = app
        .data(
            r#"{ feedback(filter: {search: "Sustainable Development"}) { edges { node { status addressedBy {
                disposition rationale revision { kind status summary guideVersion { code isReleased }
                sectionChanges { change before { code } after { code title } section { code } } } } } } } }"#,
            json!({}),
            &lead,
        )
        .await;
    let feedback = nodes(&data["feedback"]);
    assert_eq!(feedback.len(), 1);
    assert_eq!(feedback[0]["status"], "ADDRESSED");
    let answer = &feedback[0]["addressedBy"][0];
    assert_eq!(answer["disposition"], "ACCEPTED");
    assert_eq!(answer["revision"]["kind"], "ADDED");
    assert_eq!(answer["revision"]["status"], "DONE");
    assert_eq!(answer["revision"]["guideVersion"], json!({ "code": "2021-11-REVISED", "isReleased": true }));
    let change = &answer["revision"]["sectionChanges"][0];
    assert_eq!(change["change"], "ADDED");
    assert_eq!(change["before"], Value::Null);
    assert_eq!(change["after"]["code"], "III.A");
    assert_eq!(change["section"]["code"], "III.A");

    // From the section back to the feedback that asked for it.
    let data = app
        .data(
            r#"{ section(code: "III.A") { history { change revision { summary feedback { disposition feedback { body collective } } } } } }"#,
            json!({}),
            &lead,
        )
        .await;
    let history = data["section"]["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    let asked = &history[0]["revision"]["feedback"][0]["feedback"];
    assert!(asked["body"].as_str().unwrap().contains("Sustainable Development"));
    assert_eq!(asked["collective"], "Champions");

    // Each version lists its revisions; the pending ones sit in the versions not yet released.
    let data = app
        .data(
            r#"{ guideVersions(filter: {document: GUIDE}) { edges { node { code isReleased revisions { kind status } } } } }"#,
            json!({}),
            &lead,
        )
        .await;
    let by_code: std::collections::HashMap<String, Value> =
        nodes(&data["guideVersions"]).into_iter().map(|v| (v["code"].as_str().unwrap().to_owned(), v)).collect();
    assert_eq!(
        by_code["2021-11-REVISED"]["revisions"],
        json!([{ "kind": "ADDED", "status": "DONE" }, { "kind": "REVISED", "status": "DONE" }])
    );
    assert_eq!(by_code["2022-FINAL-PRINT"]["revisions"], json!([{ "kind": "LAYOUT", "status": "PENDING" }]));
    assert_eq!(by_code["2022-FINAL-PRINT"]["isReleased"], false);
    assert_eq!(by_code["2022-02-ONLINE"]["revisions"], json!([{ "kind": "LAYOUT", "status": "PENDING" }]));

    // The booklet's examples review touched all 23 objectives.
    let data = app
        .data(r#"{ revisions(filter: {document: BOOKLET, kind: {eq: EXAMPLES}}) { totalCount edges { node { sectionChanges { section { code } } } } } }"#, json!({}), &lead)
        .await;
    assert_eq!(data["revisions"]["totalCount"], 2);
    let touched: Vec<usize> =
        nodes(&data["revisions"]).iter().map(|r| r["sectionChanges"].as_array().unwrap().len()).collect();
    assert_eq!(touched, [23, 0]);

    // A Champion reads the revision history too.
    let champion = app.login(CHAMPION_MAR).await;
    let data = app.data("{ revisions { totalCount } }", json!({}), &champion).await;
    assert_eq!(data["revisions"]["totalCount"], 6);
}

#[tokio::test]
async fn a_released_version_is_frozen_and_releasing_closes_the_feedback() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let lead = app.login(WG_LEAD).await;
    let admin = app.admin_token().await;
    let revised = version_id(&app, &lead, "GUIDE", "2021-11-REVISED").await;
    let print = version_id(&app, &lead, "GUIDE", "2022-FINAL-PRINT").await;
    let released_revision = app
        .data(
            "query($v: ID!) { node(id: $v) { ... on GuideVersion { revisions { id version } } } }",
            json!({ "v": revised }),
            &lead,
        )
        .await["node"]["revisions"][0]
        .clone();
    let feedback = app
        .data(r#"{ feedback(filter: {search: "Hub"}) { edges { node { id } } } }"#, json!({}), &lead)
        .await["feedback"]["edges"][0]["node"]["id"]
        .clone();
    let before = revision_count(&app).await;

    // Nothing about a released version's revisions can change.
    let refusals = [
        (RECORD, json!({ "input": { "guideVersion": revised, "kind": "REVISED", "summary": "Late change" } })),
        (
            "mutation($id: ID!, $v: Int!) { updateRevision(id: $id, input: {kind: REVISED, status: DONE, summary: \"x\", decidedOn: \"2021-11-03\"}, expectedVersion: $v) { id } }",
            json!({ "id": released_revision["id"], "v": released_revision["version"] }),
        ),
        ("mutation($id: ID!) { deleteRevision(id: $id) }", json!({ "id": released_revision["id"] })),
        (
            "mutation($r: ID!, $f: ID!) { linkFeedbackToRevision(revision: $r, feedback: $f, disposition: ACCEPTED) { disposition } }",
            json!({ "r": released_revision["id"], "f": feedback }),
        ),
        (
            "mutation($r: ID!, $f: ID!) { unlinkFeedbackFromRevision(revision: $r, feedback: $f) { id } }",
            json!({ "r": released_revision["id"], "f": feedback }),
        ),
    ];
    for (query, variables) in refusals {
        let body = app.refused(query, variables, &lead).await;
        assert_eq!(error_code(&body), "CONFLICT", "{body}");
    }
    assert_eq!(revision_count(&app).await, before);

    // The print version still has a PENDING revision: it cannot be released yet.
    let print_state = app
        .data("query($v: ID!) { node(id: $v) { ... on GuideVersion { version revisions { id version feedback { feedback { id status } } } } } }", json!({ "v": print }), &lead)
        .await["node"]
        .clone();
    let release = "mutation($id: ID!, $v: Int!, $on: Date) { releaseVersion(id: $id, expectedVersion: $v, releasedOn: $on) { isReleased releasedOn releasedAt version } }";
    let body = app.refused(release, json!({ "id": print, "v": print_state["version"] }), &lead).await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("PENDING"));

    // Marking it DONE lets the release through; a date past the next version is refused.
    let pending = &print_state["revisions"][0];
    app.data(
        "mutation($id: ID!, $v: Int!) { updateRevision(id: $id, input: {kind: LAYOUT, status: DONE, summary: \"Summaries and infographics for the six steps\", decidedOn: \"2021-11-03\"}, expectedVersion: $v) { status } }",
        json!({ "id": pending["id"], "v": pending["version"] }),
        &lead,
    )
    .await;
    let body =
        app.refused(release, json!({ "id": print, "v": print_state["version"], "on": "2022-03-01" }), &lead).await;
    assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "releasedOn"));
    let released =
        app.data(release, json!({ "id": print, "v": print_state["version"], "on": "2022-01-15" }), &lead).await;
    assert_eq!(released["releaseVersion"]["isReleased"], true);
    assert_eq!(released["releaseVersion"]["releasedOn"], "2022-01-15");
    assert!(released["releaseVersion"]["releasedAt"].is_string());

    // The feedback it answered is now ADDRESSED, and the audit log says who did it and how.
    let answered = &pending["feedback"][0]["feedback"];
    assert_eq!(answered["status"], "ACCEPTED");
    let data = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Feedback { status history { action actorEmail changes } } } }",
            json!({ "id": answered["id"] }),
            &lead,
        )
        .await;
    assert_eq!(data["node"]["status"], "ADDRESSED");
    let last = data["node"]["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "releaseVersion");
    assert_eq!(last["actorEmail"], WG_LEAD);
    assert_eq!(last["changes"]["status"], json!({ "before": "ACCEPTED", "after": "ADDRESSED" }));

    // Frozen from now on.
    let body = app
        .refused(
            RECORD,
            json!({ "input": { "guideVersion": print, "kind": "REVISED", "summary": "Too late" } }),
            &admin,
        )
        .await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "guideVersion"));
    let body = app.refused(release, json!({ "id": print, "v": released["releaseVersion"]["version"] }), &lead).await;
    assert_eq!(error_code(&body), "CONFLICT");
}

/// A history built here: in the print version a section is added, one renamed and one retired;
/// in the online version the new section moves to the top level under a new code.
#[tokio::test]
async fn compare_versions_and_section_identity_across_renames_and_moves() {
    let app = TestApp::spawn().await;
    let lead = app.login(WG_LEAD).await;
    let admin = app.admin_token().await;
    let revised = version_id(&app, &lead, "GUIDE", "2021-11-REVISED").await;
    let print = version_id(&app, &lead, "GUIDE", "2022-FINAL-PRINT").await;
    let online = version_id(&app, &lead, "GUIDE", "2022-02-ONLINE").await;
    let vision = app.data(r#"{ section(code: "I.A") { id title } }"#, json!({}), &lead).await["section"].clone();
    let feedback = app
        .data(
            r#"mutation($v: ID!) { submitFeedback(input: {country: "MAR", channel: WRITTEN_COMMENT, kind: SUGGESTION, body: "Name the 360-degree vision after the GCM", guideVersion: $v, sections: ["I.A"], receivedOn: "2021-12-01"}) { id } }"#,
            json!({ "v": revised }),
            &admin,
        )
        .await["submitFeedback"]["id"]
        .clone();

    let first = app
        .data(
            RECORD,
            json!({ "input": {
                "guideVersion": print, "kind": "REVISED", "summary": "Structure for the print edition", "decidedOn": "2021-12-10",
                "sections": [
                    { "change": "ADDED", "code": "III.B", "title": "Climate change and migration", "kind": "SECTION", "parentCode": "III" },
                    { "change": "RENAMED", "code": "I.A", "newCode": "I.VISION", "title": "The GCM's 360-degree vision" },
                    { "change": "RETIRED", "code": "III.A" }
                ],
                "feedback": [{ "feedback": feedback, "disposition": "ACCEPTED" }]
            } }),
            &lead,
        )
        .await["recordRevision"]
        .clone();
    let added_id = first["sectionChanges"][0]["section"]["id"].clone();
    assert_eq!(first["sectionChanges"][1]["section"], json!({ "id": vision["id"], "code": "I.VISION" }));
    app.data(
        RECORD,
        json!({ "input": {
            "guideVersion": online, "kind": "REVISED", "summary": "Climate change becomes its own part", "decidedOn": "2022-01-10",
            "sections": [
                { "change": "MOVED", "code": "III.B", "parentCode": null },
                { "change": "RENAMED", "code": "III.B", "newCode": "IV" }
            ]
        } }),
        &lead,
    )
    .await;

    // The feedback given before the rename still points at the same section, now renamed.
    let data = app
        .data("query($id: ID!) { node(id: $id) { ... on Feedback { status sections { id code } addressedBy { disposition } } } }", json!({ "id": feedback }), &lead)
        .await;
    assert_eq!(data["node"]["sections"], json!([{ "id": vision["id"], "code": "I.VISION" }]));
    assert_eq!(data["node"]["status"], "ACCEPTED");
    assert_eq!(data["node"]["addressedBy"][0]["disposition"], "ACCEPTED");

    let compare = r#"query($from: ID!, $to: ID!) { compareVersions(earlier: $from, later: $to) {
        added { section { id code } before { code } after { code parent { code } } }
        revised { section { id code } before { code title parent { code } } after { code title parent { code } } changes { change } feedback { feedback { id } } }
        retired { section { code } before { code } after { code } }
        revisions { summary } } }"#;
    let codes = |list: &Value| -> Vec<String> {
        list.as_array().unwrap().iter().map(|d| d["section"]["code"].as_str().unwrap().to_owned()).collect()
    };

    let data = app.data(compare, json!({ "from": revised, "to": print }), &lead).await["compareVersions"].clone();
    assert_eq!(codes(&data["added"]), ["III.B"]);
    assert_eq!(data["added"][0]["after"], json!({ "code": "III.B", "parent": { "code": "III" } }));
    assert_eq!(data["added"][0]["before"], Value::Null);
    assert_eq!(codes(&data["revised"]), ["I.VISION"]);
    assert_eq!(data["revised"][0]["before"]["title"], vision["title"]);
    assert_eq!(data["revised"][0]["after"]["title"], "The GCM's 360-degree vision");
    assert_eq!(data["revised"][0]["feedback"], json!([{ "feedback": { "id": feedback } }]));
    assert_eq!(codes(&data["retired"]), ["III.A"]);
    assert_eq!(data["retired"][0]["after"], Value::Null);
    assert_eq!(data["revisions"], json!([{ "summary": "Structure for the print edition" }]));

    // Over both versions the new section is simply added, under its final code and place.
    let data = app.data(compare, json!({ "from": revised, "to": online }), &lead).await["compareVersions"].clone();
    assert_eq!(codes(&data["added"]), ["IV"]);
    assert_eq!(data["added"][0]["section"]["id"], added_id);
    assert_eq!(data["added"][0]["after"], json!({ "code": "IV", "parent": null }));
    assert_eq!(codes(&data["revised"]), ["I.VISION"]);
    assert_eq!(codes(&data["retired"]), ["III.A"]);
    assert_eq!(data["revisions"].as_array().unwrap().len(), 2);

    // Between the last two, only the move and the recoding.
    let data = app.data(compare, json!({ "from": print, "to": online }), &lead).await["compareVersions"].clone();
    assert_eq!(codes(&data["added"]), Vec::<String>::new());
    assert_eq!(codes(&data["revised"]), ["IV"]);
    assert_eq!(data["revised"][0]["before"]["code"], "III.B");
    assert_eq!(data["revised"][0]["before"]["parent"]["code"], "III");
    assert_eq!(data["revised"][0]["after"]["parent"], Value::Null);
    assert_eq!(data["revised"][0]["changes"], json!([{ "change": "MOVED" }, { "change": "RENAMED" }]));

    // Backwards, or across documents, is bad input.
    let booklet = version_id(&app, &lead, "BOOKLET", "2022-02-ONLINE").await;
    for (from, to) in [(&online, &print), (&print, &print), (&revised, &booklet)] {
        let body = app.refused(compare, json!({ "from": from, "to": to }), &lead).await;
        assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "later"));
    }

    // The section as it stood in each version: one identity, three codes over time.
    let as_of = "query($c: String!, $v: ID!) { section(code: $c, guideVersion: $v) { id code title parent { code } } }";
    let at = |code: &'static str, version: &Value| json!({ "c": code, "v": version });
    let found = app.data(as_of, at("III.B", &print), &lead).await["section"].clone();
    assert_eq!(
        found,
        json!({ "id": added_id, "code": "III.B", "title": "Climate change and migration", "parent": { "code": "III" } })
    );
    assert_eq!(app.data(as_of, at("III.B", &online), &lead).await["section"], Value::Null);
    assert_eq!(app.data(as_of, at("IV", &online), &lead).await["section"]["id"], added_id);
    assert_eq!(app.data(as_of, at("III.B", &revised), &lead).await["section"], Value::Null);
    assert_eq!(app.data(as_of, at("I.A", &revised), &lead).await["section"]["id"], vision["id"]);
    assert_eq!(app.data(as_of, at("I.A", &online), &lead).await["section"], Value::Null);
    assert_eq!(app.data(as_of, at("III.A", &revised), &lead).await["section"]["code"], "III.A");
    assert_eq!(app.data(as_of, at("III.A", &print), &lead).await["section"], Value::Null);

    // Its history, oldest first.
    let data = app.data(r#"{ section(code: "IV") { history { change revision { guideVersion { code } } before { code } after { code } } } }"#, json!({}), &lead).await;
    let history: Vec<(String, String)> = data["section"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["change"].as_str().unwrap().to_owned(),
                h["revision"]["guideVersion"]["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            ("ADDED".to_owned(), "2022-FINAL-PRINT".to_owned()),
            ("MOVED".to_owned(), "2022-02-ONLINE".to_owned()),
            ("RENAMED".to_owned(), "2022-02-ONLINE".to_owned())
        ]
    );

    // A section already changed in a later version cannot be changed in an earlier one.
    let before = revision_count(&app).await;
    let body = app
        .refused(RECORD, json!({ "input": { "guideVersion": print, "kind": "REVISED", "summary": "x", "sections": [{ "change": "REVISED", "code": "IV" }] } }), &lead)
        .await;
    assert_eq!((error_code(&body), error_field(&body)), ("CONFLICT", "sections.0.code"));
    assert_eq!(revision_count(&app).await, before);

    // Deleting the online revision undoes the move and the recoding.
    let online_revision = app
        .data(r#"{ revisions(filter: {section: "IV"}, last: 1) { edges { node { id } } } }"#, json!({}), &lead)
        .await;
    let id = nodes(&online_revision["revisions"])[0]["id"].clone();
    app.data("mutation($id: ID!) { deleteRevision(id: $id) }", json!({ "id": id }), &lead).await;
    let data =
        app.data(r#"{ section(code: "III.B") { id parent { code } history { change } } }"#, json!({}), &lead).await;
    assert_eq!(
        data["section"],
        json!({ "id": added_id, "parent": { "code": "III" }, "history": [{ "change": "ADDED" }] })
    );
}

#[tokio::test]
async fn bad_section_changes_name_their_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let lead = app.login(WG_LEAD).await;
    let print = version_id(&app, &lead, "GUIDE", "2022-FINAL-PRINT").await;
    let sections_before = entity::guide_section::Entity::find().count(&app.db).await.unwrap();
    let cases = [
        (
            json!([{ "change": "ADDED", "code": "II", "title": "Again", "kind": "SECTION" }]),
            "CONFLICT",
            "sections.0.code",
        ),
        (json!([{ "change": "ADDED", "code": "V", "kind": "PART" }]), "BAD_USER_INPUT", "sections.0.title"),
        (
            json!([{ "change": "ADDED", "code": "V!", "title": "x", "kind": "PART" }]),
            "BAD_USER_INPUT",
            "sections.0.code",
        ),
        (json!([{ "change": "REVISED", "code": "OBJ-01" }]), "BAD_USER_INPUT", "sections.0.code"),
        (json!([{ "change": "REVISED", "code": "NOPE" }]), "NOT_FOUND", "sections.0.code"),
        (json!([{ "change": "MOVED", "code": "I", "parentCode": "I.B" }]), "BAD_USER_INPUT", "sections.0.parentCode"),
        (json!([{ "change": "MOVED", "code": "I" }]), "BAD_USER_INPUT", "sections.0.parentCode"),
        (json!([{ "change": "RETIRED", "code": "I.B" }]), "BAD_USER_INPUT", "sections.0.code"),
        (json!([{ "change": "RETIRED", "code": "II", "title": "x" }]), "BAD_USER_INPUT", "sections.0.title"),
        (json!([{ "change": "RENAMED", "code": "II", "newCode": "I" }]), "CONFLICT", "sections.0.newCode"),
        // The first change is fine; the second fails, and the first must not stay behind.
        (
            json!([{ "change": "ADDED", "code": "V", "title": "New part", "kind": "PART" }, { "change": "RETIRED", "code": "NOPE" }]),
            "NOT_FOUND",
            "sections.1.code",
        ),
    ];
    for (sections, code, field) in cases {
        let variables =
            json!({ "input": { "guideVersion": print, "kind": "REVISED", "summary": "x", "sections": sections } });
        let body = app.refused(RECORD, variables, &lead).await;
        assert_eq!((error_code(&body), error_field(&body)), (code, field), "{sections}: {body}");
    }
    let body = app
        .refused(RECORD, json!({ "input": { "guideVersion": print, "kind": "TRANSLATION", "summary": "x" } }), &lead)
        .await;
    assert_eq!(error_field(&body), "language");
    assert_eq!(revision_count(&app).await, 0);
    assert_eq!(entity::guide_section::Entity::find().count(&app.db).await.unwrap(), sections_before);
}

#[tokio::test]
async fn translation_status_flags_sections_revised_after_their_translation() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let lead = app.login(WG_LEAD).await;
    let revised = version_id(&app, &lead, "GUIDE", "2021-11-REVISED").await;
    let print = version_id(&app, &lead, "GUIDE", "2022-FINAL-PRINT").await;
    let status = r#"query($v: ID!) { node(id: $v) { ... on GuideVersion { translationStatus { language current stale missing sections { section { code } state translatedIn { code } } } } } }"#;
    let states = |report: &Value| -> std::collections::BTreeMap<String, String> {
        report["sections"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["state"] != "CURRENT")
            .map(|s| (s["section"]["code"].as_str().unwrap().to_owned(), s["state"].as_str().unwrap().to_owned()))
            .collect()
    };

    // The revised draft exists in English only: French was last published with the February
    // draft, so the framing sections revised since are stale and the new section III.A is missing.
    let data = app.data(status, json!({ "v": revised }), &lead).await;
    let reports = data["node"]["translationStatus"].as_array().unwrap();
    assert_eq!(strings(reports, "language"), ["en", "fr", "es"]);
    let sections = reports[0]["sections"].as_array().unwrap().len();
    assert_eq!(reports[0]["current"], sections);
    let expected: std::collections::BTreeMap<String, String> =
        [("II", "STALE"), ("III.A", "MISSING"), ("INTRO", "STALE")].map(|(c, s)| (c.to_owned(), s.to_owned())).into();
    assert_eq!(states(&reports[1]), expected);
    assert_eq!(reports[1]["stale"], 2);
    assert_eq!(reports[1]["missing"], 1);
    assert_eq!(reports[1]["current"], sections - 3);
    let first = &reports[1]["sections"][0];
    assert_eq!(first["translatedIn"]["code"], "2021-02-CHAMPIONS-DRAFT");

    // A French translation of the introduction in the print version brings it up to date there.
    app.data(
        RECORD,
        json!({ "input": { "guideVersion": print, "kind": "TRANSLATION", "language": "fr", "summary": "Introduction translated into French",
            "sections": [{ "change": "REVISED", "code": "INTRO" }, { "change": "REVISED", "code": "III.A" }] } }),
        &lead,
    )
    .await;
    let data = app.data(status, json!({ "v": print }), &lead).await;
    let french = &data["node"]["translationStatus"][1];
    let expected: std::collections::BTreeMap<String, String> =
        [("II", "STALE")].map(|(c, s)| (c.to_owned(), s.to_owned())).into();
    assert_eq!(states(french), expected);
    // The earlier version's status does not change.
    let data = app.data(status, json!({ "v": revised }), &lead).await;
    assert_eq!(data["node"]["translationStatus"][1]["stale"], 2);
}

#[tokio::test]
async fn comparing_released_versions_counts_only_what_went_out() {
    let app = TestApp::spawn().await;
    let lead = app.login(WG_LEAD).await;
    let version = |code: &'static str| {
        let app = &app;
        let lead = lead.clone();
        async move {
            app.data("query($c: String!) { guideVersions(filter: {document: GUIDE, code: {eq: $c}}) { edges { node { id version isReleased } } } }", json!({ "c": code }), &lead)
                .await["guideVersions"]["edges"][0]["node"]
                .clone()
        }
    };
    let revised = version("2021-11-REVISED").await["id"].clone();
    // The print edition stays an open draft; the online version after it is released. The draft
    // holds a change still to do and one done, neither of which went out.
    let interim = version("2022-FINAL-PRINT").await;
    assert_eq!(interim["isReleased"], false);
    for (status, summary) in [("PENDING", "Steps to be renamed"), ("DONE", "Steps renamed in the print draft")] {
        app.data(
            RECORD,
            json!({ "input": { "guideVersion": interim["id"], "kind": "REVISED", "status": status, "summary": summary, "decidedOn": "2021-12-20",
                "sections": [{ "change": "REVISED", "code": "STEP-1", "summary": summary }] } }),
            &lead,
        )
        .await;
    }
    let online = version("2022-02-ONLINE").await;
    app.data(
        "mutation($id: ID!, $v: Int!) { releaseVersion(id: $id, expectedVersion: $v) { isReleased } }",
        json!({ "id": online["id"], "v": online["version"] }),
        &lead,
    )
    .await;
    let earlier = revised.clone();
    let later = online["id"].clone();
    let compare = r#"query($from: ID!, $to: ID!) { compareVersions(earlier: $from, later: $to) {
        revised { section { code } changes { revision { summary } } } revisions { summary status } } }"#;
    let data = app.data(compare, json!({ "from": earlier, "to": later }), &lead).await["compareVersions"].clone();
    let summaries: Vec<&str> =
        data["revisions"].as_array().unwrap().iter().map(|r| r["summary"].as_str().unwrap()).collect();
    assert!(!summaries.iter().any(|s| s.starts_with("Steps")), "{summaries:?}");
    assert!(data["revisions"].as_array().unwrap().iter().all(|r| r["status"] == "DONE"));
    for difference in data["revised"].as_array().unwrap() {
        for change in difference["changes"].as_array().unwrap() {
            assert!(!change["revision"]["summary"].as_str().unwrap().starts_with("Steps"), "{difference}");
        }
    }
    // Compared with the open draft itself, its done change counts and its pending one does not.
    let data =
        app.data(compare, json!({ "from": earlier, "to": interim["id"] }), &lead).await["compareVersions"].clone();
    let summaries: Vec<&str> =
        data["revisions"].as_array().unwrap().iter().map(|r| r["summary"].as_str().unwrap()).collect();
    assert!(
        summaries.contains(&"Steps renamed in the print draft") && !summaries.contains(&"Steps to be renamed"),
        "{summaries:?}"
    );
    assert!(data["revised"].as_array().unwrap().iter().any(|d| d["section"]["code"] == "STEP-1"));

    // Nobody comments on a draft that never went out.
    let mar = app.login(CHAMPION_MAR).await;
    let refused = app
        .refused(
            r#"mutation($v: ID!) { submitFeedback(input: {country: "MAR", channel: BILATERAL, kind: QUESTION, body: "On the interim", guideVersion: $v, sections: ["STEP-1"]}) { id } }"#,
            json!({ "v": interim["id"] }),
            &mar,
        )
        .await;
    assert_eq!((error_code(&refused), error_field(&refused)), ("BAD_USER_INPUT", "guideVersion"));
}
