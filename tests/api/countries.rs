//! Countries and stakeholders.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn every_un_member_state_is_listed_with_its_region() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_MAR).await;
    let data = app
        .data(
            r#"{ all: countries { totalCount }
                 africa: countries(filter: {region: {eq: "Africa"}}) { totalCount }
                 last: countries(orderBy: [{field: ISO3, direction: DESC}], first: 1) { edges { node { iso3 iso2 name } } }
                 search: countries(filter: {search: "salv"}) { edges { node { iso3 name officialName region subregion } } } }"#,
            json!({}),
            &token,
        )
        .await;
    assert_eq!(data["all"]["totalCount"], 193);
    assert_eq!(data["africa"]["totalCount"], 54);
    assert_eq!(nodes(&data["last"])[0]["iso3"], "ZWE");
    assert_eq!(nodes(&data["last"])[0]["iso2"], "ZW");
    let found = nodes(&data["search"]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["iso3"], "SLV");
    assert_eq!(found[0]["region"], "Americas");
    assert_eq!(found[0]["subregion"], "Central America");
}

#[tokio::test]
async fn champions_are_flagged_with_their_provenance() {
    let app = TestApp::spawn().await;
    let token = app.login(WG_LEAD).await;
    let data = app
        .data(
            r#"{ countries(filter: {isChampion: true}, orderBy: [{field: ISO3}]) { totalCount edges { node {
                   iso3 isChampion championSince championSincePrecision championProvenance championNote } } } }"#,
            json!({}),
            &token,
        )
        .await;
    let champions = nodes(&data["countries"]);
    assert_eq!(data["countries"]["totalCount"], 8);
    let sourced: Vec<_> = champions
        .iter()
        .filter(|c| c["championProvenance"] == "SOURCED")
        .map(|c| c["iso3"].as_str().unwrap())
        .collect();
    assert_eq!(sourced, ["GHA", "KEN", "MAR", "NPL", "PRT", "SLV"]);
    let illustrative = champions.iter().filter(|c| c["championProvenance"] == "ILLUSTRATIVE").count();
    assert_eq!(illustrative, 2);
    // No source gives a day: every start is a month, never an invented first of the month.
    assert!(champions.iter().all(|c| c["championSincePrecision"] == "MONTH"), "{champions:?}");
    assert!(champions.iter().all(|c| c["championSince"].is_string() && c["championNote"].is_string()));
}

#[tokio::test]
async fn country_by_iso3_and_its_errors() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let data = app
        .data(r#"{ country(iso3: "mar") { iso3 name isChampion stakeholders { name kind } } }"#, json!({}), &token)
        .await;
    assert_eq!(data["country"]["iso3"], "MAR");
    assert_eq!(data["country"]["name"], "Morocco");
    assert_eq!(data["country"]["isChampion"], true);
    assert_eq!(data["country"]["stakeholders"][0]["kind"], "CIVIL_SOCIETY");

    let (status, body) = app.post(r#"{ country(iso3: "XYZ") { name } }"#, json!({}), Some(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(error_field(&body), "iso3");
    assert!(body["data"]["country"].is_null());

    let (_, body) = app.post(r#"{ country(iso3: "M1") { name } }"#, json!({}), Some(&token)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "iso3");
}

#[tokio::test]
async fn stakeholders_filter_by_kind_and_country() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_SLV).await;
    let data = app
        .data(
            r#"{ un: stakeholders(filter: {kind: {eq: UN_ENTITY}}) { totalCount edges { node { name acronym provenance } } }
                 inGhana: stakeholders(filter: {country: "GHA"}) { edges { node { name provenance country { iso3 } } } }
                 all: stakeholders(orderBy: [{field: KIND}, {field: NAME, direction: DESC}]) { totalCount } }"#,
            json!({}),
            &token,
        )
        .await;
    assert_eq!(data["un"]["totalCount"], 2);
    assert_eq!(strings(&nodes(&data["un"]), "acronym"), ["IOM", "UNNM"]);
    let ghana = nodes(&data["inGhana"]);
    assert_eq!(ghana.len(), 1);
    assert_eq!(ghana[0]["provenance"], "ILLUSTRATIVE");
    assert_eq!(ghana[0]["country"]["iso3"], "GHA");
    assert_eq!(data["all"]["totalCount"], 6);

    let (_, body) =
        app.post(r#"{ stakeholders(filter: {country: "QQQ"}) { totalCount } }"#, json!({}), Some(&token)).await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(error_field(&body), "filter.country");
}
