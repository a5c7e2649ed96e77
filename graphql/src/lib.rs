//! The champion-tracker GraphQL schema. One module per domain, merged at the root; no HTTP here.

pub mod activity;
pub mod audit;
pub mod auth;
pub mod contact;
pub mod context;
pub mod country;
pub mod dashboard;
pub mod database;
pub mod error;
pub mod error_codes;
pub mod event;
pub mod feedback;
pub mod gateway;
pub mod guide;
pub mod loader;
pub mod milestone;
pub mod node;
pub mod object_list;
pub mod pagination;
pub mod pilot;
pub mod planned_use;
pub mod revision;
pub mod role;
pub mod rows;
pub mod scalars;
pub mod stakeholder;
pub mod timeline;
pub mod user;
pub mod validate;
pub mod write;

use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::{MergedObject, Schema};
use sea_orm::DatabaseConnection;

use auth::jwt::TokenService;
use loader::DbLoader;

/// Everything the tracker can tell: the guidance and its versions, sections and revision history; Champion countries,
/// their roles, pilots, feedback and planned uses; events, milestones, the timeline and dashboards. Every field needs a
/// signed-in user, and lists leave out what the viewer may not read.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    user::UserQuery,
    country::CountryQuery,
    guide::GuideQuery,
    stakeholder::StakeholderQuery,
    role::RoleQuery,
    feedback::FeedbackQuery,
    timeline::TimelineQuery,
    audit::AuditQuery,
    event::EventQuery,
    milestone::MilestoneQuery,
    pilot::PilotQuery,
    planned_use::PlannedUseQuery,
    contact::ContactQuery,
    revision::RevisionQuery,
    dashboard::DashboardQuery,
);

/// Every change to the tracker. Each mutation is validated before anything is written and runs in one transaction
/// together with its audit entry; updates take `expectedVersion` and fail with `CONFLICT` when someone else changed the
/// record first.
#[derive(MergedObject, Default)]
pub struct Mutation(
    user::UserMutation,
    role::RoleMutation,
    feedback::FeedbackMutation,
    event::EventMutation,
    milestone::MilestoneMutation,
    stakeholder::StakeholderMutation,
    pilot::PilotMutation,
    planned_use::PlannedUseMutation,
    contact::ContactMutation,
    revision::RevisionMutation,
);

pub type AppSchema = Schema<Query, Mutation, activity::ActivitySubscription>;

/// Query-shape limits, checked before any resolver runs.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub introspection: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_depth: 12, max_complexity: 5_000, max_aliases: 30, introspection: true }
    }
}

pub fn build_schema(
    db: DatabaseConnection,
    tokens: Arc<TokenService>,
    activity: Arc<activity::ActivityBus>,
    limits: &Limits,
) -> AppSchema {
    let mut builder = Schema::build(Query::default(), Mutation::default(), activity::ActivitySubscription)
        // Operations run without the gateway (none in the server) read through the pool.
        .data(database::RequestDb::pooled(db, None))
        .data(tokens)
        .data(activity)
        .data(Arc::new(auth::throttle::LoginThrottle::new(auth::throttle::ThrottleSettings::default())))
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity);
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// Fresh loaders for one request (or one WebSocket connection): they batch its loads without
/// mixing them, or their failures, with other requests'. With `cached`, a row or relation loaded
/// once is reused for the rest of the request, and connections may load their items' relations
/// ahead (see [`loader::prime_children`]); only a read-only HTTP request may use that, since a
/// WebSocket connection lives on and a mutation changes what was loaded.
pub fn request_loader(db: &database::RequestDb, cached: bool) -> loader::RequestLoaders {
    let new = || DataLoader::with_cache(DbLoader::new(db.clone()), tokio::spawn, HashMapCache::default());
    let loaders = loader::RequestLoaders { by_key: new(), relations: new().delay(RELATION_WINDOW), cached };
    loaders.by_key.enable_all_cache(cached);
    loaders.relations.enable_all_cache(cached);
    loaders
}

/// How long a relation loader waits after the first key before querying (see `RequestLoaders`).
const RELATION_WINDOW: std::time::Duration = std::time::Duration::from_millis(5);

/// The SDL of the schema, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), activity::ActivitySubscription).finish().sdl()
}
