//! The demo's engagement records: the Champions' requests on the February 2021 draft and what
//! was done about each, the events and milestones of the source documents.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn the_champions_requests_are_recorded_with_their_outcome() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let lead = app.login(WG_LEAD).await;
    let data = app
        .data(
            r#"{ feedback(filter: {collective: {eq: "Champions"}}, orderBy: [{field: CREATED_AT}]) { totalCount edges { node {
                 body status response provenance channel receivedOn guideVersion { code document { kind } } sections { code } } } }
                 iiia: feedback(filter: {section: "III"}) { edges { node { body status } } } }"#,
            json!({}),
            &lead,
        )
        .await;
    assert_eq!(data["feedback"]["totalCount"], 6);
    let items = nodes(&data["feedback"]);
    assert!(
        items.iter().all(|f| f["provenance"] == "SOURCED" && f["guideVersion"]["code"] == "2021-02-CHAMPIONS-DRAFT")
    );
    assert!(items[0]["body"].as_str().unwrap().contains("Section III A"));
    assert_eq!(items[0]["status"], "ADDRESSED");
    assert_eq!(items[2]["guideVersion"]["document"]["kind"], "BOOKLET");
    assert_eq!(items[2]["sections"].as_array().unwrap().len(), 23, "examples reviewed for every objective");
    assert_eq!(items[4]["status"], "ACCEPTED", "infographics were still pending in November 2021");
    assert!(items[4]["response"].as_str().unwrap().contains("professional editing"));
    let about_iii = nodes(&data["iiia"]);
    assert_eq!(about_iii.len(), 1);

    // A Champion focal point reads the collective requests too.
    let champion = app.login(CHAMPION_SLV).await;
    let seen = app.data("{ feedback { totalCount } }", json!({}), &champion).await;
    assert_eq!(seen["feedback"]["totalCount"], 6);
}

#[tokio::test]
async fn illustrative_records_say_so() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let roles =
        app.data("{ roleAssignments { totalCount edges { node { provenance notes } } } }", json!({}), &admin).await;
    assert_eq!(roles["roleAssignments"]["totalCount"], 5);
    assert!(
        nodes(&roles["roleAssignments"])
            .iter()
            .all(|r| r["provenance"] == "ILLUSTRATIVE" && r["notes"].as_str().unwrap().starts_with("Illustrative"))
    );
}
