//! Global object identification: the `Node` interface, `node(id:)` and `nodes(ids:)`. The ids
//! themselves are made and read in [`crate::id`], which every domain uses without this module.

use async_graphql::{Context, ID, Interface, Object};
use entity::{
    audit_log, champion_term, contact, country, document, event, event_participant, feedback, follow_up_action,
    guide_section, guide_version, milestone, pilot, planned_use, revision, role_assignment, stakeholder, user_account,
};

use crate::audit::AuditEntry;
use crate::auth::guard::{Require, viewer};
use crate::contact::Contact;
use crate::context::Access;
use crate::country::Country;
use crate::engine::loader::by_id;
use crate::error::{AppError, Result};
use crate::event::{Event, EventParticipant};
use crate::feedback::Feedback;
use crate::follow_up::FollowUpAction;
use crate::guide::{Document, GuideVersion, Section};
use crate::id::{NodeType, decode_global_id};
use crate::milestone::Milestone;
use crate::pilot::Pilot;
use crate::planned_use::PlannedUse;
use crate::revision::Revision;
use crate::role::RoleAssignment;
use crate::roster::ChampionTerm;
use crate::stakeholder::Stakeholder;
use crate::user::User;

/// Most ids `nodes(ids:)` accepts in one call.
pub const MAX_NODE_IDS: usize = 100;

/// Any object that can be refetched by its global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global identifier."))]
pub enum Node {
    AuditEntry(AuditEntry),
    ChampionTerm(ChampionTerm),
    Contact(Contact),
    Country(Country),
    Document(Document),
    Feedback(Feedback),
    FollowUpAction(FollowUpAction),
    Event(Event),
    EventParticipant(EventParticipant),
    GuideVersion(GuideVersion),
    Milestone(Milestone),
    Pilot(Pilot),
    PlannedUse(PlannedUse),
    Revision(Revision),
    RoleAssignment(RoleAssignment),
    Section(Section),
    Stakeholder(Stakeholder),
    User(User),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Refetches any object by its global id; null when it does not exist or is not visible.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of any object, as its `id` field gives it.")] id: ID,
    ) -> Result<Option<Node>> {
        let (kind, key) = decode_global_id(&id, "id")?;
        load_node(ctx, kind, key, true).await
    }

    /// Refetches several objects; each position holds the object or null.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, at most 100; the answer keeps their order.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODE_IDS {
            return Err(AppError::bad_input("ids", format!("At most {MAX_NODE_IDS} ids per call")));
        }
        let keys = ids
            .iter()
            .enumerate()
            .map(|(i, id)| decode_global_id(id, &format!("ids.{i}")))
            .collect::<Result<Vec<_>>>()?;
        // Loads run concurrently so the loader batches them into one query per type.
        let loads = keys.into_iter().map(|(kind, key)| load_node(ctx, kind, key, false));
        futures_util::future::try_join_all(loads).await
    }
}

/// One row by id: `now` for a lone lookup, which has nothing to wait for and batch with.
async fn get<E>(ctx: &Context<'_>, id: i32, now: bool) -> Result<Option<E::Model>>
where
    E: crate::engine::loader::Keyed + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    match now {
        true => crate::engine::loader::by_id_now::<E>(ctx, id).await,
        false => by_id::<E>(ctx, id).await,
    }
}

async fn load_node(ctx: &Context<'_>, kind: NodeType, id: i32, now: bool) -> Result<Option<Node>> {
    Ok(match kind {
        // The audit trail is the Secretariat's.
        NodeType::AuditEntry => match viewer(ctx).is_admin() {
            true => get::<audit_log::Entity>(ctx, id, now).await?.map(|m| Node::AuditEntry(AuditEntry(m))),
            false => None,
        },
        NodeType::ChampionTerm => {
            get::<champion_term::Entity>(ctx, id, now).await?.map(|m| Node::ChampionTerm(ChampionTerm(m)))
        }
        NodeType::Country => get::<country::Entity>(ctx, id, now).await?.map(|m| Node::Country(Country(m))),
        NodeType::Document => get::<document::Entity>(ctx, id, now).await?.map(|m| Node::Document(Document(m))),
        NodeType::GuideVersion => {
            get::<guide_version::Entity>(ctx, id, now).await?.map(|m| Node::GuideVersion(GuideVersion(m)))
        }
        NodeType::Section => get::<guide_section::Entity>(ctx, id, now).await?.map(|m| Node::Section(Section::new(m))),
        NodeType::Stakeholder => {
            get::<stakeholder::Entity>(ctx, id, now).await?.map(|m| Node::Stakeholder(Stakeholder(m)))
        }
        NodeType::Feedback => get::<feedback::Entity>(ctx, id, now)
            .await?
            .filter(|row| crate::policy::can_read_feedback(viewer(ctx), row))
            .map(|m| Node::Feedback(Feedback(m))),
        NodeType::RoleAssignment => {
            get::<role_assignment::Entity>(ctx, id, now).await?.map(|m| Node::RoleAssignment(RoleAssignment(m)))
        }
        NodeType::FollowUpAction => {
            get::<follow_up_action::Entity>(ctx, id, now).await?.map(|m| Node::FollowUpAction(FollowUpAction(m)))
        }
        NodeType::Event => get::<event::Entity>(ctx, id, now).await?.map(|m| Node::Event(Event(m))),
        NodeType::EventParticipant => {
            get::<event_participant::Entity>(ctx, id, now).await?.map(|m| Node::EventParticipant(EventParticipant(m)))
        }
        NodeType::Milestone => get::<milestone::Entity>(ctx, id, now).await?.map(|m| Node::Milestone(Milestone(m))),
        // A country's private records: null, like an unknown id, when the viewer may not read them.
        NodeType::Pilot => get::<pilot::Entity>(ctx, id, now)
            .await?
            .filter(|m| viewer(ctx).can_read_country(Some(m.country_id)))
            .map(|m| Node::Pilot(Pilot(m))),
        NodeType::PlannedUse => get::<planned_use::Entity>(ctx, id, now)
            .await?
            .filter(|m| viewer(ctx).can_read_country(Some(m.country_id)))
            .map(|m| Node::PlannedUse(PlannedUse(m))),
        NodeType::Revision => get::<revision::Entity>(ctx, id, now).await?.map(|m| Node::Revision(Revision(m))),
        NodeType::Contact => get::<contact::Entity>(ctx, id, now)
            .await?
            .filter(|m| crate::policy::can_read_contact(viewer(ctx), m))
            .map(|m| Node::Contact(Contact(m))),
        NodeType::User => get::<user_account::Entity>(ctx, id, now)
            .await?
            .filter(|user| crate::policy::can_read_user(viewer(ctx), user))
            .map(|m| Node::User(User(m))),
    })
}
