//! The committed `schema.graphql` must match the live schema. After an intended change run
//! `cargo run -- schema > schema.graphql` (or this test with `UPDATE_SCHEMA=1`) and review the diff.

use crate::common::*;

#[tokio::test]
async fn committed_schema_matches_the_live_schema() {
    let app = TestApp::spawn_with(Options { demo: false, ..Options::default() }).await;
    let live = app.client.get(app.url("/schema.graphql")).send().await.unwrap().text().await.unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    if std::env::var("UPDATE_SCHEMA").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &live).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == live,
        "schema.graphql is out of date: run `cargo run -- schema > schema.graphql` and commit the diff"
    );
    assert_eq!(live, graphql::sdl(), "served SDL and library SDL agree");
}

/// A client team reads the schema through introspection: every type, field, argument, input field
/// and enum value says what it means.
#[tokio::test]
async fn every_type_field_argument_and_enum_value_is_described() {
    let app = TestApp::spawn_with(Options { demo: true, ..Options::default() }).await;
    let admin = app.admin_token().await;
    let query = r#"{ __schema { types { name kind description
        fields(includeDeprecated: true) { name description args { name description } }
        inputFields { name description } enumValues(includeDeprecated: true) { name description } } } }"#;
    let data = app.data(query, serde_json::json!({}), &admin).await;
    let described = |value: &serde_json::Value| value["description"].as_str().is_some_and(|d| !d.trim().is_empty());
    let mut missing = Vec::new();
    for ty in data["__schema"]["types"].as_array().unwrap() {
        let name = ty["name"].as_str().unwrap();
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if !described(ty) {
            missing.push(name.to_owned());
        }
        let list = |key: &str| ty[key].as_array().cloned().unwrap_or_default();
        for field in list("fields") {
            if !described(&field) {
                missing.push(format!("{name}.{}", field["name"]));
            }
            for arg in field["args"].as_array().unwrap() {
                if !described(arg) {
                    missing.push(format!("{name}.{}({})", field["name"], arg["name"]));
                }
            }
        }
        for field in list("inputFields").into_iter().chain(list("enumValues")) {
            if !described(&field) {
                missing.push(format!("{name}.{}", field["name"]));
            }
        }
    }
    assert!(missing.is_empty(), "{} schema elements have no description: {missing:?}", missing.len());
}
