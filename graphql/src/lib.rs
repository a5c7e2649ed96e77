//! The champion-tracker GraphQL schema. One module per domain, merged at the root; no HTTP here.

pub mod activity;
pub mod audit;
pub mod auth;
pub mod bus;
pub mod contact;
pub mod context;
pub mod country;
pub mod dashboard;
pub mod engine;
pub mod error;
pub mod event;
pub mod feedback;
pub mod follow_up;
pub mod guide;
pub mod id;
pub mod milestone;
pub mod node;
pub mod pagination;
pub mod pilot;
pub mod planned_use;
pub mod policy;
pub mod revision;
pub mod role;
pub mod roster;
pub mod scalars;
pub mod stakeholder;
pub mod timeline;
pub mod user;
pub mod validate;
pub mod write;

use std::sync::Arc;

use async_graphql::{MergedObject, Schema};
use sea_orm::DatabaseConnection;

use auth::jwt::TokenService;
use engine::database;

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
    roster::RosterQuery,
    feedback::FeedbackQuery,
    timeline::TimelineQuery,
    audit::AuditQuery,
    event::EventQuery,
    follow_up::FollowUpQuery,
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
    roster::RosterMutation,
    feedback::FeedbackMutation,
    event::EventMutation,
    follow_up::FollowUpMutation,
    milestone::MilestoneMutation,
    stakeholder::StakeholderMutation,
    pilot::PilotMutation,
    planned_use::PlannedUseMutation,
    contact::ContactMutation,
    revision::RevisionMutation,
);

pub type AppSchema = Schema<Query, Mutation, activity::ActivitySubscription>;

/// The request engine over this schema.
pub type AppGateway = engine::gateway::Gateway<Query, Mutation, activity::ActivitySubscription>;

pub use engine::limits::Limits;
pub use engine::loader::request_loader;

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
        roster::ChampionTerm => "roster terms",
        revision::CommentResponse => "lines of the comment-response matrix",
        contact::Contact => "contacts",
        country::Country => "countries",
        guide::Document => "documents",
        event::Event => "events",
        feedback::Feedback => "feedback items",
        follow_up::FollowUpAction => "follow-up actions",
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
