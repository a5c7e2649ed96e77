//! Models decoded by position (graphql/src/engine/rows.rs) are the models sea-orm decodes by name, on
//! every row of the demo and synthetic data, optional columns NULL and set alike; and on
//! PostgreSQL the positional path is the one taken.

use crate::common::*;
use champion_tracker::seed::{SyntheticSizes, load_synthetic};
use entity::{country, feedback, feedback_section, guide_section, role_assignment, user_account};
use graphql::engine::rows::{FromRows, fetch_all};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QueryTrait,
};

async fn same_models<E>(app: &TestApp, order: E::Column) -> usize
where
    E: EntityTrait,
    E::Model: FromRows + PartialEq + std::fmt::Debug,
{
    let by_name = E::find().order_by_asc(order).all(&app.db).await.unwrap();
    let decoded = fetch_all(&app.db, E::find().order_by_asc(order)).await.unwrap();
    assert_eq!(decoded, by_name);

    let statement = E::find().order_by_asc(order).build(app.db.get_database_backend());
    let rows = app.db.query_all_raw(statement).await.unwrap();
    let positional = app.db.get_database_backend() == DbBackend::Postgres;
    assert_eq!(E::Model::decodes_by_position(&rows), positional);
    by_name.len()
}

#[tokio::test]
async fn positional_decoding_gives_the_models_sea_orm_gives() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let sizes = SyntheticSizes {
        countries: 200,
        champions: 20,
        sections: 60,
        roles: 80,
        feedback: 800,
        events: 10,
        planned_uses: 10,
        milestones: 5,
        pilots: 5,
        seed: 3,
    };
    load_synthetic(&app.db, &sizes).await.expect("loads");
    // Answered feedback fills optional columns that most feedback leaves NULL.
    let answered =
        feedback::Entity::find().filter(feedback::Column::Response.is_not_null()).count(&app.db).await.unwrap();
    assert!(answered > 0, "some feedback has a response");

    assert!(same_models::<feedback::Entity>(&app, feedback::Column::Id).await > 800);
    assert!(same_models::<guide_section::Entity>(&app, guide_section::Column::Id).await >= 60);
    assert_eq!(same_models::<country::Entity>(&app, country::Column::Id).await, 200);
    assert!(same_models::<role_assignment::Entity>(&app, role_assignment::Column::Id).await >= 80);
    assert!(same_models::<user_account::Entity>(&app, user_account::Column::Id).await >= 4);

    // Links have no id: ordered by both columns, so that both decodings see the same order.
    let links = || {
        feedback_section::Entity::find()
            .order_by_asc(feedback_section::Column::FeedbackId)
            .order_by_asc(feedback_section::Column::SectionId)
    };
    let by_name = links().all(&app.db).await.unwrap();
    assert!(by_name.len() > 800, "every feedback item has a section");
    assert_eq!(fetch_all(&app.db, links()).await.unwrap(), by_name);
    let rows = app.db.query_all_raw(links().build(app.db.get_database_backend())).await.unwrap();
    let positional = app.db.get_database_backend() == DbBackend::Postgres;
    assert_eq!(feedback_section::Model::decodes_by_position(&rows), positional);
}

#[tokio::test]
async fn rows_of_another_shape_are_decoded_by_name() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let backend = app.db.get_database_backend();
    // The model's columns, but not in the model's order.
    let sql = "SELECT version, updated_at, created_at, provenance, notes, ended_on, started_precision, started_on, status, role, \
               country_id, id FROM role_assignment";
    let rows = app.db.query_all_raw(sea_orm::Statement::from_string(backend, sql)).await.unwrap();
    assert!(!role_assignment::Model::decodes_by_position(&rows));
    let models = role_assignment::Model::from_rows(rows).unwrap();
    let expected = role_assignment::Entity::find().all(&app.db).await.unwrap();
    assert!(!expected.is_empty());
    assert_eq!(models.len(), expected.len());
    for model in &models {
        assert!(expected.contains(model));
    }
    assert!(role_assignment::Model::from_rows(Vec::new()).unwrap().is_empty());
}

#[tokio::test]
async fn a_column_of_another_type_is_refused_even_when_the_first_row_holds_null() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let backend = app.db.get_database_backend();
    if backend != DbBackend::Postgres {
        return; // SQLite rows are always decoded by name.
    }
    // The model's column names in the model's order, but `ended_on` is text and NULL in the
    // first row. Types are checked on the first row only, so the check must read the column's
    // declared type, not the first value's (sqlx checks no type for a NULL value).
    let sql = "SELECT id, country_id, role, status, started_on, started_precision, CAST(ended_on AS text) AS ended_on, notes, \
               provenance, created_at, updated_at, version FROM role_assignment ORDER BY ended_on NULLS FIRST";
    let rows = app.db.query_all_raw(sea_orm::Statement::from_string(backend, sql)).await.unwrap();
    assert!(rows.len() > 1);
    assert!(role_assignment::Model::decodes_by_position(&rows));
    let error = role_assignment::Model::from_rows(rows).unwrap_err();
    assert!(matches!(error, sea_orm::DbErr::Type(_)), "{error:?}");
}
