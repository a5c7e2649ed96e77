//! The synthetic data set: sizes as asked, the same data for the same seed, one load per database,
//! and data the API serves (the benchmark queries run on it without errors).

use crate::common::*;
use champion_tracker::seed::{SyntheticSizes, load_synthetic};
use entity::{country, feedback, feedback_section, guide_section, role_assignment};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;

fn small(seed: u64) -> SyntheticSizes {
    SyntheticSizes {
        countries: 200,
        champions: 30,
        sections: 70,
        roles: 150,
        feedback: 2_500,
        events: 40,
        planned_uses: 50,
        milestones: 20,
        pilots: 15,
        seed,
    }
}

/// What a load wrote, as comparable rows (keys and contents, not timestamps).
async fn fingerprint(app: &TestApp) -> Vec<String> {
    let feedback = feedback::Entity::find().order_by_asc(feedback::Column::Id).all(&app.db).await.unwrap();
    let links = feedback_section::Entity::find()
        .order_by_asc(feedback_section::Column::FeedbackId)
        .order_by_asc(feedback_section::Column::SectionId)
        .all(&app.db)
        .await
        .unwrap();
    let roles = role_assignment::Entity::find().order_by_asc(role_assignment::Column::Id).all(&app.db).await.unwrap();
    feedback
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {:?} {:?} {:?} {} {}",
                f.id, f.country_id, f.status, f.channel, f.received_on, f.body, f.guide_version_id
            )
        })
        .chain(links.iter().map(|l| format!("{}-{}", l.feedback_id, l.section_id)))
        .chain(
            roles
                .iter()
                .map(|r| format!("{} {:?} {:?} {:?} {:?}", r.country_id, r.role, r.status, r.started_on, r.ended_on)),
        )
        .collect()
}

#[tokio::test]
async fn sizes_are_as_asked_and_a_seed_always_gives_the_same_data() {
    let app = TestApp::spawn().await;
    let report = load_synthetic(&app.db, &small(7)).await.expect("loads");
    assert_eq!(report.feedback, 2_500);
    assert_eq!(feedback::Entity::find().count(&app.db).await.unwrap(), 2_500);
    assert_eq!(country::Entity::find().count(&app.db).await.unwrap(), 200);
    assert_eq!(country::Entity::find().filter(country::Column::IsChampion.eq(true)).count(&app.db).await.unwrap(), 30);
    assert_eq!(guide_section::Entity::find().count(&app.db).await.unwrap(), 70);
    assert_eq!(role_assignment::Entity::find().count(&app.db).await.unwrap(), 150);
    // Each feedback is on one or two sections.
    let links = feedback_section::Entity::find().count(&app.db).await.unwrap();
    assert!((2_500..=5_000).contains(&links), "{links} links");
    assert_eq!(report.feedback_sections as u64, links);

    // A second load into the same database is refused and writes nothing.
    assert!(load_synthetic(&app.db, &small(7)).await.is_err());
    assert_eq!(feedback::Entity::find().count(&app.db).await.unwrap(), 2_500);

    // The same seed elsewhere gives the same rows; another seed does not.
    let again = TestApp::spawn().await;
    load_synthetic(&again.db, &small(7)).await.unwrap();
    assert_eq!(fingerprint(&app).await, fingerprint(&again).await);
    let other = TestApp::spawn().await;
    load_synthetic(&other.db, &small(8)).await.unwrap();
    assert_ne!(fingerprint(&app).await, fingerprint(&other).await);

    // The API serves it: the dashboard counts every item, new keys keep working.
    let lead = app.login(WG_LEAD).await;
    let data = app.data("{ dashboard { responses { feedback } } }", json!({}), &lead).await;
    assert_eq!(data["dashboard"]["responses"]["feedback"], 2_500);
    let version = app
        .data(
            r#"{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-11-REVISED"}}) { edges { node { id } } } }"#,
            json!({}),
            &lead,
        )
        .await;
    let version = nodes(&version["guideVersions"])[0]["id"].clone();
    app.data(
        r#"mutation($v: ID!) { submitFeedback(input: {country: "MAR", channel: BILATERAL, kind: QUESTION, body: "After the load", guideVersion: $v, sections: ["II"], receivedOn: "2022-01-01"}) { id } }"#,
        json!({ "v": version }),
        &app.admin_token().await,
    )
    .await;
}
