//! The champion-tracker GraphQL schema. One module per domain, merged at the root; no HTTP here.

pub mod activity;
pub mod audit;
pub mod auth;
pub mod contact;
pub mod context;
pub mod country;
pub mod dashboard;
pub mod database;
pub mod document;
pub mod error;
pub mod error_codes;
pub mod event;
pub mod feedback;
pub mod gateway;
pub mod guide;
pub mod inputs;
pub mod loader;
pub mod milestone;
pub mod node;
pub mod object_list;
pub mod pagination;
pub mod pilot;
pub mod planned_use;
pub mod response_order;
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
    /// Most selections once fragments are expanded (see [`document`]).
    pub max_selections: usize,
    /// Most items in any list given as input (see [`inputs`]).
    pub max_list_items: usize,
    pub introspection: bool,
}

impl Limits {
    /// The limits the gateway checks before async-graphql sees a document.
    pub fn shape(&self) -> document::ShapeLimits {
        document::ShapeLimits {
            max_depth: self.max_depth,
            max_aliases: self.max_aliases,
            max_selections: self.max_selections,
        }
    }

    /// The limits on input values, checked with them.
    pub fn inputs(&self) -> inputs::InputLimits {
        inputs::InputLimits { max_list_items: self.max_list_items }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_complexity: 5_000,
            max_aliases: 30,
            max_selections: 2_000,
            max_list_items: inputs::DEFAULT_MAX_LIST_ITEMS,
            introspection: true,
        }
    }
}

pub fn build_schema(
    db: DatabaseConnection,
    tokens: Arc<TokenService>,
    activity: Arc<activity::ActivityBus>,
    limits: &Limits,
) -> AppSchema {
    let mut builder = schema_builder()
        // Operations run without the gateway (none in the server) read through the pool.
        .data(database::RequestDb::pooled(db, None))
        .data(tokens)
        .data(activity)
        .data(Arc::new(auth::throttle::LoginThrottle::new(auth::throttle::ThrottleSettings::default())))
        // Depth is checked by the gateway (`document`), which measures introspection apart.
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
    schema_builder().finish().sdl()
}

/// Describes the connection types, which async-graphql generates without a description.
macro_rules! describe_connections {
    ($builder:expr, $($node:ty => $items:literal),* $(,)?) => {
        $builder$(.override_output_type_description::<pagination::AppConnection<$node>>(concat!(
            "A page of ", $items, ": `edges` (each item with its `cursor`), `pageInfo` to ask for the next or ",
            "previous page, and `totalCount`, how many match the filter across all pages."
        )))*
    };
}

/// The schema's types, before any data or limits.
fn schema_builder() -> async_graphql::SchemaBuilder<Query, Mutation, activity::ActivitySubscription> {
    let builder = Schema::build(Query::default(), Mutation::default(), activity::ActivitySubscription);
    describe_connections!(builder,
        audit::AuditEntry => "audit entries",
        revision::CommentResponse => "lines of the comment-response matrix",
        contact::Contact => "contacts",
        country::Country => "countries",
        guide::Document => "documents",
        event::Event => "events",
        feedback::Feedback => "feedback items",
        guide::GuideVersion => "guide versions",
        milestone::Milestone => "milestones",
        pilot::Pilot => "pilots",
        planned_use::PlannedUse => "planned uses",
        revision::Revision => "revisions",
        role::RoleAssignment => "role assignments",
        guide::Section => "sections",
        stakeholder::Stakeholder => "stakeholders",
        timeline::TimelineEntry => "timeline entries",
        user::User => "user accounts",
    )
}
