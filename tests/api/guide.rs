//! The guide's structure, versions and documents, as clients query them.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn documents_are_the_guide_and_the_booklet() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_MAR).await;
    let data = app
        .data(
            "{ documents { totalCount edges { node { kind title versions { code } sections { code } } } } }",
            json!({}),
            &token,
        )
        .await;
    assert_eq!(data["documents"]["totalCount"], 2);
    let docs = nodes(&data["documents"]);
    assert_eq!(strings(&docs, "kind"), ["GUIDE", "BOOKLET"]);
    assert_eq!(docs[0]["versions"].as_array().unwrap().len(), 6);
    // Top-level Guide sections in reading order; the Booklet's top level is the 23 objectives.
    assert_eq!(strings(docs[0]["sections"].as_array().unwrap(), "code"), ["INTRO", "I", "II", "III"]);
    assert_eq!(docs[1]["sections"].as_array().unwrap().len(), 23);
}

#[tokio::test]
async fn guide_versions_carry_the_sourced_dates_and_languages() {
    let app = TestApp::spawn().await;
    let token = app.login(WG_LEAD).await;
    let data = app
        .data(
            r#"{ guideVersions(filter: {document: GUIDE}) { totalCount edges { node {
                   code label stage releasedOn releasedOnPrecision languages provenance document { kind } } } } }"#,
            json!({}),
            &token,
        )
        .await;
    let versions = nodes(&data["guideVersions"]);
    assert_eq!(data["guideVersions"]["totalCount"], 6);
    assert_eq!(
        strings(&versions, "code"),
        [
            "2020-10-ADVANCED-DRAFT",
            "2020-Q4-TRANSLATED-DRAFT",
            "2021-02-CHAMPIONS-DRAFT",
            "2021-11-REVISED",
            "2022-FINAL-PRINT",
            "2022-02-ONLINE"
        ]
    );
    let revised = &versions[3];
    assert_eq!(revised["releasedOn"], "2021-11-03");
    assert_eq!(revised["releasedOnPrecision"], "DAY");
    assert_eq!(revised["document"]["kind"], "GUIDE");
    assert_eq!(versions[2]["releasedOn"], "2021-02-01");
    assert_eq!(versions[2]["releasedOnPrecision"], "MONTH");
    assert_eq!(versions[2]["languages"], json!(["en", "fr", "es"]));
    assert!(versions.iter().all(|v| v["provenance"] == "SOURCED"));

    let french = app
        .data(
            r#"{ guideVersions(filter: {language: "fr"}) { totalCount edges { node { code } } } }"#,
            json!({}),
            &token,
        )
        .await;
    assert_eq!(french["guideVersions"]["totalCount"], 4, "two translated drafts in each document");
    let finals = app
        .data(
            r#"{ guideVersions(filter: {document: BOOKLET, stage: {eq: FINAL}}, orderBy: [{field: RELEASED_ON, direction: DESC}]) {
                   edges { node { code } } } }"#,
            json!({}),
            &token,
        )
        .await;
    assert_eq!(strings(&nodes(&finals["guideVersions"]), "code"), ["2022-02-ONLINE", "2022-FINAL-PRINT"]);
    let since_2021 = app
        .data(r#"{ guideVersions(filter: {document: GUIDE, releasedOn: {gte: "2021-01-01", lt: "2022-01-01"}}) { totalCount } }"#, json!({}), &token)
        .await;
    assert_eq!(since_2021["guideVersions"]["totalCount"], 2);
}

#[tokio::test]
async fn sections_form_a_tree_with_objectives_principles_and_steps() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_SLV).await;
    let data = app
        .data(
            r#"{
              objectives: sections(filter: {kind: {eq: OBJECTIVE}}, first: 100) { totalCount edges { node { code title document { kind } parent { code } } } }
              principles: sections(filter: {kind: {eq: PRINCIPLE}}) { totalCount edges { node { code title parent { code title } provenance } } }
              steps: section(code: "II") { children { code title position provenance sourceNote } }
              obj7: section(code: "obj-07") { title kind }
            }"#,
            json!({}),
            &token,
        )
        .await;
    assert_eq!(data["objectives"]["totalCount"], 23);
    let objectives = nodes(&data["objectives"]);
    assert_eq!(objectives[0]["code"], "OBJ-01");
    assert_eq!(objectives[0]["document"]["kind"], "BOOKLET");
    assert!(objectives.iter().all(|o| o["parent"].is_null()));
    assert_eq!(
        objectives[22]["title"],
        "Strengthen international cooperation and global partnerships for safe, orderly and regular migration"
    );
    assert_eq!(data["obj7"]["title"], "Address and reduce vulnerabilities in migration");
    assert_eq!(data["obj7"]["kind"], "OBJECTIVE");

    assert_eq!(data["principles"]["totalCount"], 10);
    let principles = nodes(&data["principles"]);
    assert_eq!(principles[0]["title"], "People-centred");
    assert_eq!(principles[9]["title"], "Whole-of-society approach");
    assert!(principles.iter().all(|p| p["parent"]["code"] == "I.B" && p["provenance"] == "SOURCED"));

    let steps = data["steps"]["children"].as_array().unwrap();
    assert_eq!(strings(steps, "code"), ["STEP-1", "STEP-2", "STEP-3", "STEP-4", "STEP-5", "STEP-6"]);
    assert_eq!(steps[2]["position"], 3);
    assert!(steps.iter().all(|s| s["provenance"] == "PLACEHOLDER"), "step names are not sourced");
}

#[tokio::test]
async fn section_iii_a_was_introduced_in_the_revised_guidance() {
    let app = TestApp::spawn().await;
    let token = app.login(ADMIN).await;
    let data = app
        .data(
            r#"{ section(code: "III.A") { title kind parent { code } document { kind }
                   introducedIn { id code releasedOn introducedSections { code } } } }"#,
            json!({}),
            &token,
        )
        .await;
    let section = &data["section"];
    assert_eq!(section["title"], "Sustainable development");
    assert_eq!(section["parent"]["code"], "III");
    assert_eq!(section["document"]["kind"], "GUIDE");
    assert_eq!(section["introducedIn"]["code"], "2021-11-REVISED");
    assert_eq!(section["introducedIn"]["introducedSections"], json!([{ "code": "III.A" }]));

    // The February 2021 draft did not have it; the revised guidance does.
    let versions = app
        .data(r#"{ guideVersions(filter: {document: GUIDE}) { edges { node { id code } } } }"#, json!({}), &token)
        .await;
    let id_of =
        |code: &str| nodes(&versions["guideVersions"]).into_iter().find(|v| v["code"] == code).unwrap()["id"].clone();
    let query = r#"query($v: ID!) { sections(filter: {guideVersion: $v, code: {eq: "III.A"}}) { totalCount } }"#;
    let before = app.data(query, json!({ "v": id_of("2021-02-CHAMPIONS-DRAFT") }), &token).await;
    let after = app.data(query, json!({ "v": id_of("2021-11-REVISED") }), &token).await;
    assert_eq!(before["sections"]["totalCount"], 0);
    assert_eq!(after["sections"]["totalCount"], 1);
}

#[tokio::test]
async fn unknown_section_code_is_not_found() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let (status, body) = app.post(r#"{ section(code: "IX.Z") { title } }"#, json!({}), Some(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), "NOT_FOUND");
    assert_eq!(error_field(&body), "code");
    assert!(body["data"]["section"].is_null());

    let (_, body) = app.post(r#"{ section(code: "   ") { title } }"#, json!({}), Some(&token)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "code");
}

#[tokio::test]
async fn pages_follow_cursors_and_respect_the_cap() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let page = r#"query($after: String, $first: Int) { sections(first: $first, after: $after) {
                    totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor } edges { cursor node { code } } } }"#;
    let first = app.data(page, json!({ "first": 5 }), &token).await;
    let first_codes = strings(&nodes(&first["sections"]), "code");
    assert_eq!(first_codes, ["INTRO", "I", "I.A", "I.B", "GP-01"]);
    assert_eq!(first["sections"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["sections"]["pageInfo"]["hasPreviousPage"], false);
    let total = first["sections"]["totalCount"].as_u64().unwrap();
    assert_eq!(total, 4 + 10 + 1 + 6 + 2 + 23);

    let cursor = first["sections"]["pageInfo"]["endCursor"].clone();
    let second = app.data(page, json!({ "first": 5, "after": cursor }), &token).await;
    assert_eq!(strings(&nodes(&second["sections"]), "code"), ["GP-02", "GP-03", "GP-04", "GP-05", "GP-06"]);
    assert_eq!(second["sections"]["pageInfo"]["hasPreviousPage"], true);

    let tail = app
        .data(r#"{ sections(last: 2) { pageInfo { hasNextPage } edges { node { code } } } }"#, json!({}), &token)
        .await;
    assert_eq!(strings(&nodes(&tail["sections"]), "code"), ["OBJ-22", "OBJ-23"]);
    assert_eq!(tail["sections"]["pageInfo"]["hasNextPage"], false);

    // Without totalCount the server learns whether a next page exists from one extra row.
    let no_total = app
        .data(r#"{ sections(first: 45) { pageInfo { hasNextPage } } all: sections(first: 46) { pageInfo { hasNextPage } } }"#, json!({}), &token)
        .await;
    assert_eq!(no_total["sections"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(no_total["all"]["pageInfo"]["hasNextPage"], false);

    // Backwards from a cursor: `before` alone, and `last` with `before`.
    let before_page = r#"query($before: String, $last: Int) { sections(before: $before, last: $last) {
                           pageInfo { hasPreviousPage hasNextPage } edges { node { code } } } }"#;
    let second_start = second["sections"]["pageInfo"]["startCursor"].clone();
    let back = app.data(before_page, json!({ "before": second_start, "last": 2 }), &token).await;
    assert_eq!(strings(&nodes(&back["sections"]), "code"), ["I.B", "GP-01"]);
    assert_eq!(back["sections"]["pageInfo"]["hasPreviousPage"], true);
    let all_before = app.data(before_page, json!({ "before": second_start }), &token).await;
    assert_eq!(strings(&nodes(&all_before["sections"]), "code"), first_codes);

    let (_, body) = app.post(r#"{ sections(first: 101) { totalCount } }"#, json!({}), Some(&token)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "first");

    let (_, body) =
        app.post(r#"{ sections(first: 2, after: "not-a-cursor") { totalCount } }"#, json!({}), Some(&token)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "after");
}

#[tokio::test]
async fn node_and_nodes_refetch_every_type() {
    let app = TestApp::spawn().await;
    let token = app.login(CHAMPION_MAR).await;
    let ids = app
        .data(
            r#"{ country(iso3: "MAR") { id name }
                 section(code: "GP-06") { id title }
                 documents(first: 1) { edges { node { id kind } } }
                 guideVersions(first: 1) { edges { node { id code } } }
                 stakeholders(first: 1) { edges { node { id name } } }
                 me { id email } }"#,
            json!({}),
            &token,
        )
        .await;
    let country_id = ids["country"]["id"].clone();
    let single = app
        .data(
            "query($id: ID!) { node(id: $id) { __typename id ... on Country { iso3 } } }",
            json!({ "id": country_id }),
            &token,
        )
        .await;
    assert_eq!(single["node"]["__typename"], "Country");
    assert_eq!(single["node"]["iso3"], "MAR");
    assert_eq!(single["node"]["id"], country_id);

    let all_ids = json!([
        ids["section"]["id"],
        nodes(&ids["documents"])[0]["id"],
        nodes(&ids["guideVersions"])[0]["id"],
        nodes(&ids["stakeholders"])[0]["id"],
        ids["me"]["id"],
        country_id,
    ]);
    let many = app
        .data(
            r#"query($ids: [ID!]!) { nodes(ids: $ids) { __typename
                 ... on Section { title } ... on Document { kind } ... on GuideVersion { code }
                 ... on Stakeholder { name } ... on User { email } ... on Country { iso3 } } }"#,
            json!({ "ids": all_ids }),
            &token,
        )
        .await;
    let many = many["nodes"].as_array().unwrap();
    assert_eq!(strings(many, "__typename"), ["Section", "Document", "GuideVersion", "Stakeholder", "User", "Country"]);
    assert_eq!(many[0]["title"], "Human rights");
    assert_eq!(many[4]["email"], CHAMPION_MAR);

    let (_, body) = app.post(r#"{ node(id: "garbage!") { id } }"#, json!({}), Some(&token)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "id");
}

#[tokio::test]
async fn user_nodes_are_visible_only_to_themselves_and_the_secretariat() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let champion = app.login(CHAMPION_SLV).await;
    let admin_id = app.data("{ me { id } }", json!({}), &admin).await["me"]["id"].clone();
    let query = "query($id: ID!) { node(id: $id) { ... on User { email } } }";
    let seen_by_champion = app.data(query, json!({ "id": admin_id }), &champion).await;
    assert!(seen_by_champion["node"].is_null());
    let seen_by_admin = app.data(query, json!({ "id": admin_id }), &admin).await;
    assert_eq!(seen_by_admin["node"]["email"], ADMIN);
}

#[tokio::test]
async fn malformed_dates_and_enum_values_are_bad_user_input() {
    let app = TestApp::spawn().await;
    let token = app.login(WG_LEAD).await;
    for (query, field) in [
        (r#"{ guideVersions(filter: {releasedOn: {gte: "2021-13-45"}}) { totalCount } }"#, "filter.releasedOn.gte"),
        (r#"{ guideVersions(filter: {releasedOn: {gte: "20211-01-01"}}) { totalCount } }"#, "filter.releasedOn.gte"),
        (r#"{ countries(filter: {championSince: {lt: "1800-01-01"}}) { totalCount } }"#, "filter.championSince.lt"),
        (r#"{ sections(filter: {kind: {eq: CHAPTER}}) { totalCount } }"#, "filter.kind.eq"),
    ] {
        let (status, body) = app.post(query, json!({}), Some(&token)).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query}: {body}");
        assert_eq!(error_field(&body), field, "{query}: {body}");
    }
    // The same through variables.
    let (_, body) = app
        .post(
            "query($d: Date!) { guideVersions(filter: {releasedOn: {gte: $d}}) { totalCount } }",
            json!({ "d": "2021-02-30" }),
            Some(&token),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(error_field(&body), "filter.releasedOn.gte");
}
