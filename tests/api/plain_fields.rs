//! Lists resolved in one pass over their plain fields (graphql/src/engine/object_list.rs) answer exactly
//! what async-graphql's own resolution answers, on real rows; and every field declared plain is a
//! field of its type that takes no arguments.

use crate::common::*;
use champion_tracker::seed::{SyntheticSizes, load_synthetic};
use graphql::engine::object_list::PlainFields;
use graphql::feedback::Feedback;
use graphql::guide::Section;
use graphql::role::RoleAssignment;
use serde_json::{Value, json};

/// Every declared plain field and a few others, each selection in `wrap` (identity, or an inline
/// fragment, which the one-pass resolution leaves to async-graphql).
fn countries_query(wrap: fn(&str, &str) -> String) -> String {
    let section = format!("{} localizedTitle(language: \"fr\")", Section::PLAIN_FIELDS.join(" "));
    let feedback = format!(
        "{} __typename alias: body sections {{ {} }} guideVersion {{ code }}",
        Feedback::PLAIN_FIELDS.join(" "),
        wrap("Section", &section)
    );
    let role = format!("{} __typename", RoleAssignment::PLAIN_FIELDS.join(" "));
    format!(
        "{{ countries(filter: {{isChampion: true}}, first: 20) {{ edges {{ node {{ iso3 roles {{ {} }} \
         feedback(latest: 10) {{ {} }} }} }} }} }}",
        wrap("RoleAssignment", &role),
        wrap("Feedback", &feedback)
    )
}

#[tokio::test]
async fn one_pass_lists_answer_what_async_graphql_answers() {
    // A page this wide, with every field, is priced above the default limit.
    let limits = graphql::Limits { max_complexity: 100_000, ..graphql::Limits::default() };
    let app = TestApp::spawn_with(Options { demo_records: true, limits, ..Options::default() }).await;
    let sizes = SyntheticSizes {
        countries: 120,
        champions: 20,
        sections: 40,
        roles: 60,
        feedback: 600,
        events: 10,
        planned_uses: 10,
        milestones: 5,
        pilots: 5,
        seed: 11,
    };
    load_synthetic(&app.db, &sizes).await.expect("loads");
    let token = app.login(WG_LEAD).await;

    let one_pass = app.data(&countries_query(|_, fields| fields.to_owned()), json!({}), &token).await;
    let standard = app
        .data(&countries_query(|type_name, fields| format!("... on {type_name} {{ {fields} }}")), json!({}), &token)
        .await;
    assert_eq!(one_pass, standard);

    let countries = nodes(&one_pass["countries"]);
    assert_eq!(countries.len(), 20);
    let feedback: Vec<&Value> = countries.iter().flat_map(|c| c["feedback"].as_array().unwrap()).collect();
    assert!(feedback.len() > 100, "feedback on the page: {}", feedback.len());
    let answered = feedback.iter().filter(|f| !f["response"].is_null()).count();
    assert!(answered > 0, "some feedback carries a response");
    let first = feedback[0];
    assert_eq!(first["__typename"], "Feedback");
    assert_eq!(first["alias"], first["body"]);
    assert!(first["receivedOn"].as_str().is_some_and(|day| day.len() == 10), "{first}");
    assert!(first["sections"].as_array().is_some_and(|sections| !sections.is_empty()));
    assert!(first["sections"][0]["code"].as_str().is_some_and(|code| !code.is_empty()));
    let roles: usize = countries.iter().map(|c| c["roles"].as_array().unwrap().len()).sum();
    assert!(roles > 0);
    // Every field a type lists as plain was ready when first polled, here and in every other test
    // of this process so far: a listed field that waits would count.
    assert_eq!(graphql::engine::object_list::plain_fields_that_waited(), 0, "a plain field waited");
}

#[tokio::test]
async fn declared_plain_fields_are_fields_without_arguments() {
    let app = TestApp::spawn().await;
    let token = app.login(WG_LEAD).await;
    for (type_name, plain) in [
        ("Feedback", Feedback::PLAIN_FIELDS),
        ("Section", Section::PLAIN_FIELDS),
        ("RoleAssignment", RoleAssignment::PLAIN_FIELDS),
    ] {
        let data = app
            .data(
                "query ($name: String!) { __type(name: $name) { fields { name args { name } } } }",
                json!({ "name": type_name }),
                &token,
            )
            .await;
        let fields = data["__type"]["fields"].as_array().expect("the type exists");
        for name in plain {
            let field = fields.iter().find(|f| f["name"] == *name);
            let field = field.unwrap_or_else(|| panic!("{type_name}.{name} is not a field"));
            assert_eq!(field["args"], json!([]), "{type_name}.{name} takes arguments");
        }
    }
}
