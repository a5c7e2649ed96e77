//! The comment-response matrix of a guide version, as a GraphQL connection
//! (`GuideVersion.commentResponseMatrix`) and as a CSV export
//! (`GET /export/versions/{id}/comment-response.csv`): the same rows, in the same order, under
//! the same read rules.

use crate::common::*;
use serde::Deserialize;
use serde_json::{Value, json};

const DRAFT: &str = "2021-02-CHAMPIONS-DRAFT";

/// The CSV's columns, in order.
const COLUMNS: [&str; 20] = [
    "row",
    "feedback_id",
    "received_on",
    "source_type",
    "source",
    "country_iso3",
    "channel",
    "kind",
    "language",
    "sections",
    "comment",
    "status",
    "disposition",
    "rationale",
    "revision_id",
    "revision_version",
    "revision_kind",
    "revision_status",
    "revision_summary",
    "decided_on",
];

/// One parsed CSV line. Empty fields read as `None`.
#[derive(Debug, Deserialize)]
struct Line {
    row: usize,
    feedback_id: String,
    received_on: String,
    source_type: String,
    source: String,
    country_iso3: Option<String>,
    channel: String,
    kind: String,
    language: String,
    sections: String,
    comment: String,
    status: String,
    disposition: Option<String>,
    rationale: Option<String>,
    revision_id: Option<String>,
    revision_version: Option<String>,
    revision_kind: Option<String>,
    revision_status: Option<String>,
    revision_summary: Option<String>,
    decided_on: Option<String>,
}

const MATRIX: &str = r#"query($v: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  node(id: $v) { ... on GuideVersion {
    commentResponseMatrix(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
      edges { cursor node {
        feedback { id } receivedOn sourceType sourceName channel kind comment sections { code } status
        responses { disposition rationale revision { id summary } }
        disposition rationale revision { id kind status summary guideVersion { code } }
      } }
    } } } }"#;

const SUBMIT: &str = "mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id } }";

/// Global id of a guide version by document and code.
async fn version_id(app: &TestApp, token: &str, document: &str, code: &str) -> String {
    let data = app
        .data(
            "query($d: DocumentKind!, $c: String!) {
               guideVersions(filter: {document: $d, code: {eq: $c}}) { edges { node { id } } } }",
            json!({ "d": document, "c": code }),
            token,
        )
        .await;
    let found = nodes(&data["guideVersions"]);
    assert_eq!(found.len(), 1, "one {document} version {code}: {data}");
    found[0]["id"].as_str().unwrap().to_owned()
}

/// One page of the matrix connection.
async fn matrix_page(app: &TestApp, token: &str, version: &str, args: Value) -> Value {
    let mut variables = json!({ "v": version });
    variables.as_object_mut().unwrap().extend(args.as_object().unwrap().clone());
    app.data(MATRIX, variables, token).await["node"]["commentResponseMatrix"].clone()
}

/// Every matrix row the viewer may read (the demo versions fit in one page).
async fn matrix(app: &TestApp, token: &str, version: &str) -> Vec<Value> {
    let page = matrix_page(app, token, version, json!({ "first": 100 })).await;
    assert_eq!(page["pageInfo"]["hasNextPage"], false);
    nodes(&page)
}

fn feedback_ids(rows: &[Value]) -> Vec<String> {
    rows.iter().map(|r| r["feedback"]["id"].as_str().unwrap().to_owned()).collect()
}

/// GET the export, with a bearer token when given.
async fn export(app: &TestApp, token: Option<&str>, version: &str) -> reqwest::Response {
    let mut request = app.client.get(app.url(&format!("/export/versions/{version}/comment-response.csv")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("request sent")
}

/// Parses an export that must succeed: checks the status, the headers and the header row.
async fn csv_lines(app: &TestApp, token: &str, version: &str) -> Vec<Line> {
    let response = export(app, Some(token), version).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let body = response.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_ref());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, COLUMNS);
    reader.deserialize().collect::<Result<_, _>>().expect("every line parses")
}

/// The feedback ids of the lines, once each, in order.
fn distinct_feedback(lines: &[Line]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for line in lines {
        if ids.last() != Some(&line.feedback_id) {
            assert!(!ids.contains(&line.feedback_id), "lines of one feedback are adjacent");
            ids.push(line.feedback_id.clone());
        }
    }
    ids
}

/// Asserts the export holds exactly the connection's rows: same feedback in the same order,
/// one line per decision, with the same decisions, and rows numbered 1, 2, 3...
fn assert_csv_matches(lines: &[Line], rows: &[Value]) {
    assert_eq!(distinct_feedback(lines), feedback_ids(rows));
    let mut lines = lines.iter().peekable();
    for (index, row) in rows.iter().enumerate() {
        let responses = row["responses"].as_array().unwrap();
        let mut mine = Vec::new();
        while let Some(line) = lines.next_if(|l| l.feedback_id == row["feedback"]["id"]) {
            mine.push(line);
        }
        assert_eq!(mine.len(), responses.len().max(1), "one line per decision of {row}");
        for line in &mine {
            assert_eq!(line.row, index + 1);
            assert_eq!(line.received_on, row["receivedOn"].as_str().unwrap());
            assert_eq!(line.source_type, row["sourceType"].as_str().unwrap());
            assert_eq!(line.source, row["sourceName"].as_str().unwrap());
            assert_eq!(line.channel, row["channel"].as_str().unwrap());
            assert_eq!(line.kind, row["kind"].as_str().unwrap());
            assert_eq!(line.comment, row["comment"].as_str().unwrap());
            assert_eq!(line.status, row["status"].as_str().unwrap());
            let mut codes: Vec<&str> =
                row["sections"].as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap()).collect();
            codes.sort_unstable();
            assert_eq!(line.sections, codes.join("; "));
        }
        if responses.is_empty() {
            assert_eq!(mine[0].disposition, None);
            assert_eq!(mine[0].revision_id, None);
            assert_eq!(mine[0].decided_on, None);
        }
        for (line, response) in mine.iter().zip(responses) {
            assert_eq!(line.disposition.as_deref(), response["disposition"].as_str());
            assert_eq!(line.revision_id.as_deref(), response["revision"]["id"].as_str());
            assert_eq!(line.revision_summary.as_deref(), response["revision"]["summary"].as_str());
        }
        // The connection's own decision columns are the latest decision's.
        if let Some(latest) = mine.last().filter(|_| !responses.is_empty()) {
            assert_eq!(latest.disposition.as_deref(), row["disposition"].as_str());
            assert_eq!(latest.revision_id.as_deref(), row["revision"]["id"].as_str());
        }
    }
}

/// Has the Secretariat record a feedback on `version` from `source`, e.g. `{"country": "MAR"}`.
async fn submit(app: &TestApp, admin: &str, version: &str, source: Value, received_on: &str, body: &str) -> String {
    let mut input = json!({
        "channel": "BILATERAL", "kind": "QUESTION", "body": body,
        "guideVersion": version, "sections": ["II", "GP-03"], "receivedOn": received_on,
    });
    input.as_object_mut().unwrap().extend(source.as_object().unwrap().clone());
    let data = app.data(SUBMIT, json!({ "input": input }), admin).await;
    data["submitFeedback"]["id"].as_str().unwrap().to_owned()
}

/// The demo's Champions' requests: one decision each, linked to the revision that answered
/// them, the same in the connection and in the export.
#[tokio::test]
async fn the_demo_requests_and_their_revisions() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let guide = version_id(&app, &admin, "GUIDE", DRAFT).await;

    let rows = matrix(&app, &admin, &guide).await;
    let lines = csv_lines(&app, &admin, &guide).await;
    assert_csv_matches(&lines, &rows);

    // (start of the request, revision kind, revision status, version of the revision, sections)
    let expected = [
        ("Add a section on Sustainable Development", "ADDED", "DONE", "2021-11-REVISED", "III"),
        ("Review and strengthen the framing language", "REVISED", "DONE", "2021-11-REVISED", "II; INTRO"),
        (
            "Develop some infographics",
            "LAYOUT",
            "PENDING",
            "2022-FINAL-PRINT",
            "STEP-1; STEP-2; STEP-3; STEP-4; STEP-5; STEP-6",
        ),
        ("Connect the guidance to the Migration Network Hub", "LAYOUT", "PENDING", "2022-02-ONLINE", "INTRO"),
    ];
    assert_eq!(lines.len(), expected.len(), "{lines:#?}");
    for (line, (comment, kind, status, version, sections)) in lines.iter().zip(expected) {
        assert!(line.comment.starts_with(comment), "{} is not {comment}", line.comment);
        assert_eq!(line.received_on, "2021-02-01");
        assert_eq!(line.source_type, "COLLECTIVE");
        assert_eq!(line.source, "Champions");
        assert_eq!(line.country_iso3, None);
        assert_eq!(line.channel, "TECHNICAL_DISCUSSION");
        assert_eq!(line.language, "en");
        assert_eq!(line.sections, sections);
        assert_eq!(line.disposition.as_deref(), Some("ACCEPTED"));
        assert!(line.rationale.as_deref().is_some_and(|r| !r.is_empty()));
        assert_eq!(line.revision_kind.as_deref(), Some(kind));
        assert_eq!(line.revision_status.as_deref(), Some(status));
        assert_eq!(line.revision_version.as_deref(), Some(version));
        assert_eq!(line.decided_on.as_deref(), Some("2021-11-03"));
    }
    for (row, (_, kind, status, version, _)) in rows.iter().zip(expected) {
        assert_eq!(row["revision"]["kind"], kind);
        assert_eq!(row["revision"]["status"], status);
        assert_eq!(row["revision"]["guideVersion"]["code"], version);
    }
    // Four requests, answered by four different revisions.
    let mut revisions: Vec<&str> = lines.iter().filter_map(|l| l.revision_id.as_deref()).collect();
    revisions.sort_unstable();
    revisions.dedup();
    assert_eq!(revisions.len(), 4);

    // The Booklet's draft: balanced examples and the template, both answered by EXAMPLES revisions.
    let booklet = version_id(&app, &admin, "BOOKLET", DRAFT).await;
    let rows = matrix(&app, &admin, &booklet).await;
    let lines = csv_lines(&app, &admin, &booklet).await;
    assert_csv_matches(&lines, &rows);
    assert_eq!(lines.len(), 2);
    assert!(lines[0].comment.starts_with("Review the examples and case studies"));
    assert!(lines[1].comment.starts_with("Develop and share a template"));
    let all_objectives: Vec<String> = (1..=23).map(|n| format!("OBJ-{n:02}")).collect();
    for line in &lines {
        assert_eq!(line.revision_kind.as_deref(), Some("EXAMPLES"));
        assert_eq!(line.revision_version.as_deref(), Some("2021-11-REVISED"));
        assert_eq!(line.sections, all_objectives.join("; "));
    }
    assert_ne!(lines[0].revision_id, lines[1].revision_id);

    // The Guide's requests are not on the Booklet's draft, nor on the version that answered them.
    let revised = version_id(&app, &admin, "GUIDE", "2021-11-REVISED").await;
    assert!(csv_lines(&app, &admin, &revised).await.is_empty());
    assert!(matrix(&app, &admin, &revised).await.is_empty());
}

/// A Champion reads its own country's rows and the collective ones, never another country's;
/// the working-group lead reads them all. Rows are ordered by the day received, then by id.
#[tokio::test]
async fn a_champion_reads_its_own_country_and_collective_rows() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let guide = version_id(&app, &admin, "GUIDE", DRAFT).await;
    let demo = feedback_ids(&matrix(&app, &admin, &guide).await);
    assert_eq!(demo.len(), 4);

    // Morocco's is recorded first but received last; El Salvador's received before the demo's.
    let mar = submit(&app, &admin, &guide, json!({ "country": "MAR" }), "2021-03-01", "How to report progress?").await;
    let slv = submit(&app, &admin, &guide, json!({ "country": "SLV" }), "2021-01-15", "Run steps in parallel?").await;
    // A stakeholder's feedback is no Champion's to read either.
    let stakeholders = app.data("{ stakeholders(first: 1) { edges { node { id name } } } }", json!({}), &admin).await;
    let stakeholder = nodes(&stakeholders["stakeholders"])[0].clone();
    let from = json!({ "stakeholder": stakeholder["id"] });
    let partner = submit(&app, &admin, &guide, from, "2021-02-20", "Add examples from local authorities.").await;

    let lead = app.login(WG_LEAD).await;
    let everything: Vec<String> = [vec![slv.clone()], demo.clone(), vec![partner.clone(), mar.clone()]].concat();
    let rows = matrix(&app, &lead, &guide).await;
    assert_eq!(feedback_ids(&rows), everything);
    let lines = csv_lines(&app, &lead, &guide).await;
    assert_csv_matches(&lines, &rows);
    let given_by_partner = &lines[5];
    assert_eq!(given_by_partner.feedback_id, partner);
    assert_eq!(given_by_partner.source_type, "STAKEHOLDER");
    assert_eq!(given_by_partner.source, stakeholder["name"].as_str().unwrap());
    assert_eq!(given_by_partner.country_iso3, None);

    let champion = app.login(CHAMPION_MAR).await;
    let rows = matrix(&app, &champion, &guide).await;
    assert_eq!(feedback_ids(&rows), [demo.clone(), vec![mar.clone()]].concat());
    let lines = csv_lines(&app, &champion, &guide).await;
    assert_csv_matches(&lines, &rows);
    assert!(lines.iter().all(|l| l.feedback_id != slv && l.feedback_id != partner));
    assert!(lines.iter().all(|l| l.source_type != "STAKEHOLDER" && l.country_iso3.as_deref() != Some("SLV")));
    let own = lines.last().unwrap();
    assert_eq!(own.feedback_id, mar);
    assert_eq!((own.row, own.received_on.as_str()), (5, "2021-03-01"));
    assert_eq!((own.source_type.as_str(), own.country_iso3.as_deref()), ("COUNTRY", Some("MAR")));
    assert_eq!(own.source, "Morocco");
    assert_eq!((own.channel.as_str(), own.kind.as_str(), own.status.as_str()), ("BILATERAL", "QUESTION", "RECEIVED"));
    assert_eq!(own.sections, "GP-03; II");
    // Not answered yet: one line, no decision.
    assert_eq!((&own.disposition, &own.revision_id, &own.revision_kind), (&None, &None, &None));

    // And the other way round for El Salvador's focal point.
    let champion = app.login(CHAMPION_SLV).await;
    let lines = csv_lines(&app, &champion, &guide).await;
    assert_eq!(distinct_feedback(&lines), [vec![slv.clone()], demo].concat());
    assert_eq!(lines[0].country_iso3.as_deref(), Some("SLV"));
}

/// The export needs a valid token and a GuideVersion id that exists; errors are coded JSON.
#[tokio::test]
async fn the_export_refuses_anonymous_callers_and_bad_ids() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let guide = version_id(&app, &admin, "GUIDE", DRAFT).await;

    let refusals = [
        (None, guide.clone(), 401, "UNAUTHENTICATED"),
        (Some("not-a-token"), guide.clone(), 401, "UNAUTHENTICATED"),
        // A real id of another kind, and no id at all.
        (Some(admin.as_str()), global_id("Feedback", 1), 400, "BAD_USER_INPUT"),
        (Some(admin.as_str()), "garbage".to_owned(), 400, "BAD_USER_INPUT"),
        (Some(admin.as_str()), global_id("GuideVersion", 99_999), 404, "NOT_FOUND"),
    ];
    for (token, id, status, code) in refusals {
        let response = export(&app, token, &id).await;
        assert_eq!(response.status(), status, "{token:?} {id}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), code, "{token:?} {id}: {body}");
    }

    // Nor does the connection answer anonymous callers.
    let (status, body) = app.post(MATRIX, json!({ "v": guide, "first": 10 }), None).await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert!(body["data"].is_null() || body["data"]["node"].is_null(), "{body}");
}

/// A feedback answered twice (partly accepted for the print edition, then deferred to the
/// online one) gives two lines with the same row number; the connection shows both responses
/// and the latest as its decision.
#[tokio::test]
async fn a_feedback_with_two_decisions_gives_two_lines() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let guide = version_id(&app, &admin, "GUIDE", DRAFT).await;
    let print = version_id(&app, &admin, "GUIDE", "2022-FINAL-PRINT").await;
    let online = version_id(&app, &admin, "GUIDE", "2022-02-ONLINE").await;
    let feedback =
        submit(&app, &admin, &guide, json!({ "country": "MAR" }), "2021-03-01", "A checklist per step?").await;

    let recorded = app
        .data(
            "mutation($input: RecordRevisionInput!) { recordRevision(input: $input) { id } }",
            json!({ "input": {
                "guideVersion": print, "kind": "LAYOUT", "summary": "A one-page checklist per step.",
                "feedback": [{ "feedback": feedback, "disposition": "PARTIALLY_ACCEPTED",
                               "rationale": "Checklists for steps 1 to 3 only in print." }],
            } }),
            &admin,
        )
        .await;
    let first = recorded["recordRevision"]["id"].as_str().unwrap().to_owned();
    // The demo's revision that puts the guidance online takes the rest of it.
    let online_revisions = app
        .data(
            "query($v: ID!) { node(id: $v) { ... on GuideVersion { revisions { id } } } }",
            json!({ "v": online }),
            &admin,
        )
        .await;
    let second = online_revisions["node"]["revisions"][0]["id"].as_str().unwrap().to_owned();
    app.data(
        "mutation($r: ID!, $f: ID!) { linkFeedbackToRevision(revision: $r, feedback: $f, disposition: DEFERRED,
           rationale: \"Checklists for steps 4 to 6 online.\") { disposition } }",
        json!({ "r": second, "f": feedback }),
        &admin,
    )
    .await;

    let rows = matrix(&app, &admin, &guide).await;
    let lines = csv_lines(&app, &admin, &guide).await;
    assert_csv_matches(&lines, &rows);
    assert_eq!((rows.len(), lines.len()), (5, 6));

    let mine: Vec<&Line> = lines.iter().filter(|l| l.feedback_id == feedback).collect();
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|l| l.row == 5 && l.status == "PARTIALLY_ACCEPTED"));
    assert_eq!(mine[0].disposition.as_deref(), Some("PARTIALLY_ACCEPTED"));
    assert_eq!(mine[0].rationale.as_deref(), Some("Checklists for steps 1 to 3 only in print."));
    assert_eq!(mine[0].revision_id.as_deref(), Some(first.as_str()));
    assert_eq!(mine[0].revision_version.as_deref(), Some("2022-FINAL-PRINT"));
    assert_eq!(mine[1].disposition.as_deref(), Some("DEFERRED"));
    assert_eq!(mine[1].rationale.as_deref(), Some("Checklists for steps 4 to 6 online."));
    assert_eq!(mine[1].revision_id.as_deref(), Some(second.as_str()));
    assert_eq!(mine[1].revision_version.as_deref(), Some("2022-02-ONLINE"));

    let row = rows.last().unwrap();
    assert_eq!(row["feedback"]["id"], feedback);
    assert_eq!(row["responses"].as_array().unwrap().len(), 2);
    assert_eq!(row["disposition"], "DEFERRED");
    assert_eq!(row["rationale"], "Checklists for steps 4 to 6 online.");
    assert_eq!(row["revision"]["id"], second);
}

/// A version nobody commented on: an empty connection and a CSV with only its header row.
#[tokio::test]
async fn an_empty_version_exports_only_the_header() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let created = app
        .data(
            "mutation { createGuideVersion(input: {document: GUIDE, code: \"2023-REVISED\", label: \"Second revision\",
               plannedReleaseOn: \"2023-06-01\"}) { id } }",
            json!({}),
            &admin,
        )
        .await;
    let version = created["createGuideVersion"]["id"].as_str().unwrap().to_owned();

    let page = matrix_page(&app, &admin, &version, json!({ "first": 10 })).await;
    assert_eq!(page["totalCount"], 0);
    assert!(nodes(&page).is_empty());
    // `csv_lines` checks the header row is there.
    assert!(csv_lines(&app, &admin, &version).await.is_empty());
}

/// Paging through the connection two rows at a time visits every row once, in the export's
/// order, and `totalCount` counts the export's feedback.
#[tokio::test]
async fn pages_of_the_connection_cover_the_export() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let guide = version_id(&app, &admin, "GUIDE", DRAFT).await;
    submit(&app, &admin, &guide, json!({ "country": "MAR" }), "2021-03-01", "How to report progress?").await;
    submit(&app, &admin, &guide, json!({ "country": "SLV" }), "2021-01-15", "Run steps in parallel?").await;
    submit(&app, &admin, &guide, json!({ "country": "MAR" }), "2021-02-01", "Received with the demo's.").await;
    let exported = distinct_feedback(&csv_lines(&app, &admin, &guide).await);
    assert_eq!(exported.len(), 7);

    let first = matrix_page(&app, &admin, &guide, json!({ "first": 2 })).await;
    assert_eq!(first["totalCount"], 7);
    assert_eq!(first["pageInfo"]["hasPreviousPage"], false);
    let mut seen = feedback_ids(&nodes(&first));
    assert_eq!(seen.len(), 2);
    let mut page = first;
    while page["pageInfo"]["hasNextPage"] == true {
        page = matrix_page(&app, &admin, &guide, json!({ "first": 2, "after": page["pageInfo"]["endCursor"] })).await;
        assert_eq!(page["totalCount"], 7);
        let ids = feedback_ids(&nodes(&page));
        assert!(!ids.is_empty() && ids.len() <= 2, "{page}");
        seen.extend(ids);
    }
    assert_eq!(seen, exported, "every row once, in order");

    // Backwards from the end: the last two rows.
    let last = matrix_page(&app, &admin, &guide, json!({ "last": 2 })).await;
    assert_eq!(feedback_ids(&nodes(&last)), exported[5..]);
    let before =
        matrix_page(&app, &admin, &guide, json!({ "last": 2, "before": last["pageInfo"]["startCursor"] })).await;
    assert_eq!(feedback_ids(&nodes(&before)), exported[3..5]);

    // A Champion's total counts only what it may read.
    let champion = app.login(CHAMPION_MAR).await;
    let page = matrix_page(&app, &champion, &guide, json!({ "first": 2 })).await;
    assert_eq!(page["totalCount"], 6);
    assert_eq!(distinct_feedback(&csv_lines(&app, &champion, &guide).await).len(), 6);
}

/// The download is named after the version's code; codes are free text, so whatever they hold
/// the `Content-Disposition` header must stay present and well-formed.
#[tokio::test]
async fn the_file_name_stays_valid_whatever_the_version_code() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let guide = version_id(&app, &admin, "GUIDE", DRAFT).await;
    let response = export(&app, Some(&admin), &guide).await;
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"comment-response-2021-02-champions-draft.csv\""
    );

    for code in ["2023 \"SPECIAL\" EDITION", "2023\nTWO LINES", "2023-RÉVISÉ"] {
        // The API refuses such codes…
        let body = app
            .refused(
                "mutation($code: String!) { createGuideVersion(input: {document: GUIDE, code: $code,
                   label: \"Odd code\", plannedReleaseOn: \"2023-06-01\"}) { id } }",
                json!({ "code": code }),
                &admin,
            )
            .await;
        assert_eq!((error_code(&body), error_field(&body)), ("BAD_USER_INPUT", "code"));
        // …but rows written by other means (an import, an older release) still export safely.
        let version = odd_version(&app, code).await;
        let version = version.as_str();
        let response = export(&app, Some(&admin), version).await;
        assert_eq!(response.status(), 200);
        let disposition = response.headers().get("content-disposition").unwrap_or_else(|| panic!("none for {code:?}"));
        let name = disposition
            .to_str()
            .unwrap_or_else(|_| panic!("not ASCII for {code:?}: {disposition:?}"))
            .strip_prefix("attachment; filename=\"")
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or_else(|| panic!("malformed for {code:?}: {disposition:?}"));
        assert!(name.starts_with("comment-response-2023") && name.ends_with(".csv"), "{name}");
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)), "{name}");
    }
}

/// A guide version with `code`, written straight to the database.
async fn odd_version(app: &TestApp, code: &str) -> String {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let template = entity::guide_version::Entity::find().one(&app.db).await.unwrap().expect("a version");
    let now = chrono::Utc::now();
    let row = entity::guide_version::ActiveModel {
        document_id: Set(template.document_id),
        code: Set(code.to_owned()),
        label: Set("Odd code".to_owned()),
        stage: Set(template.stage),
        released_on: Set(template.released_on),
        released_on_precision: Set(template.released_on_precision),
        languages: Set("en".to_owned()),
        notes: Set(None),
        is_released: Set(true),
        released_at: Set(None),
        provenance: Set(template.provenance),
        source_note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    global_id("GuideVersion", row.id)
}

/// A comment that looks like a spreadsheet formula is exported as text (leading apostrophe), so
/// opening the file cannot run it; the API itself returns the comment as written.
#[tokio::test]
async fn formula_like_comments_are_exported_as_text() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let version = version_id(&app, &admin, "GUIDE", DRAFT).await;
    let formula = "=HYPERLINK(\"http://example.test\",\"click\")";
    submit(&app, &admin, &version, json!({ "country": "MAR" }), "2021-03-01", formula).await;
    submit(&app, &admin, &version, json!({ "country": "SLV" }), "2021-03-02", "Plain comment").await;
    let rows = matrix(&app, &admin, &version).await;
    assert_eq!(rows[0]["comment"], formula);
    let lines = csv_lines(&app, &admin, &version).await;
    assert_eq!(lines[0].comment, format!("'{formula}"));
    assert_eq!(lines[1].comment, "Plain comment");
}
