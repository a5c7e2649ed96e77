//! Live activity: mutations publish what changed once it is committed; `activity` subscribers
//! over `/graphql/ws` receive it, each loading the changed record under its own read rules.

pub use crate::bus::{ActivityBus, ActivityKind, ActivityMessage, CHANNEL};

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Subscription};
use chrono::{DateTime, Utc};
use entity::{feedback, guide_version, milestone, planned_use, revision, role_assignment};
use futures_util::Stream;
use sea_orm::EntityTrait;
use tokio::sync::broadcast::error::RecvError;

use crate::auth::guard::{Require, viewer};
use crate::context::{Access, Viewer};
use crate::country::{Country, find_by_iso3};
use crate::engine::loader::maybe_by_id;
use crate::error::AppError;
use crate::error::Result;
use crate::feedback::Feedback;
use crate::guide::GuideVersion;
use crate::id::global_id;
use crate::milestone::Milestone;
use crate::planned_use::PlannedUse;
use crate::policy::can_read_feedback;
use crate::revision::Revision;
use crate::role::RoleAssignment;

/// Which changes to receive; every condition given must hold.
#[derive(InputObject, Default)]
pub struct ActivityFilter {
    /// Only these kinds; all when omitted.
    pub kinds: Option<Vec<ActivityKind>>,
    /// ISO3 code: only activity about this country's records.
    pub country: Option<String>,
}

/// One change, with the changed record as it is after the change (loaded when delivered).
pub struct ActivityEvent {
    message: ActivityMessage,
    record: Record,
}

enum Record {
    Feedback(feedback::Model),
    PlannedUse(planned_use::Model),
    RoleAssignment(role_assignment::Model),
    Revision(revision::Model),
    GuideVersion(guide_version::Model),
    Milestone(milestone::Model),
    Deleted,
}

/// One committed change, pushed to `activity` subscribers with the changed record as it is after the change (loaded
/// under the subscriber's read rules).
#[Object]
impl ActivityEvent {
    /// What happened; it says which of the record fields below is set.
    async fn kind(&self) -> ActivityKind {
        self.message.kind
    }
    /// When the change was committed.
    async fn at(&self) -> DateTime<Utc> {
        self.message.at
    }
    /// Global id of the changed record.
    async fn entity_id(&self) -> ID {
        global_id(self.message.kind.node_type(), self.message.entity_id)
    }
    /// Whether the record was deleted; then only `entityId` identifies it.
    async fn deleted(&self) -> bool {
        self.message.deleted
    }
    /// The country the record belongs to or was given by, if any.
    async fn country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        Ok(maybe_by_id::<entity::country::Entity>(ctx, self.message.country_id).await?.map(Country))
    }
    /// The feedback, for FEEDBACK_SUBMITTED and FEEDBACK_TRIAGED.
    async fn feedback(&self) -> Option<Feedback> {
        match &self.record {
            Record::Feedback(m) => Some(Feedback(m.clone())),
            _ => None,
        }
    }
    /// The planned use, for PLANNED_USE_CHANGED; null when it was deleted.
    async fn planned_use(&self) -> Option<PlannedUse> {
        match &self.record {
            Record::PlannedUse(m) => Some(PlannedUse(m.clone())),
            _ => None,
        }
    }
    /// The role assignment, for ROLE_ASSIGNED and ROLE_ENDED.
    async fn role_assignment(&self) -> Option<RoleAssignment> {
        match &self.record {
            Record::RoleAssignment(m) => Some(RoleAssignment(m.clone())),
            _ => None,
        }
    }
    /// The revision, for REVISION_RECORDED.
    async fn revision(&self) -> Option<Revision> {
        match &self.record {
            Record::Revision(m) => Some(Revision(m.clone())),
            _ => None,
        }
    }
    /// The guide version, for VERSION_RELEASED.
    async fn guide_version(&self) -> Option<GuideVersion> {
        match &self.record {
            Record::GuideVersion(m) => Some(GuideVersion(m.clone())),
            _ => None,
        }
    }
    /// The milestone, for MILESTONE_STATUS_CHANGED.
    async fn milestone(&self) -> Option<Milestone> {
        match &self.record {
            Record::Milestone(m) => Some(Milestone(m.clone())),
            _ => None,
        }
    }
}

/// Loads the record a message names, if it still exists and `viewer` may read it.
async fn visible_record(
    db: &impl sea_orm::ConnectionTrait,
    viewer: &Viewer,
    message: &ActivityMessage,
) -> Option<Record> {
    let id = message.entity_id;
    let own_country = |country_id: i32| viewer.can_read_country(Some(country_id));
    if message.deleted {
        // Only the id is left: a private record's deletion is told to those who could read it.
        let private = message.kind == ActivityKind::PlannedUseChanged;
        return (!private || message.country_id.is_some_and(own_country)).then_some(Record::Deleted);
    }
    let found = match message.kind {
        ActivityKind::FeedbackSubmitted | ActivityKind::FeedbackTriaged => feedback::Entity::find_by_id(id)
            .one(db)
            .await
            .map(|row| row.filter(|f| can_read_feedback(viewer, f)).map(Record::Feedback)),
        ActivityKind::PlannedUseChanged => planned_use::Entity::find_by_id(id)
            .one(db)
            .await
            .map(|row| row.filter(|u| own_country(u.country_id)).map(Record::PlannedUse)),
        ActivityKind::RoleAssigned | ActivityKind::RoleEnded => {
            role_assignment::Entity::find_by_id(id).one(db).await.map(|row| row.map(Record::RoleAssignment))
        }
        ActivityKind::RevisionRecorded => {
            revision::Entity::find_by_id(id).one(db).await.map(|row| row.map(Record::Revision))
        }
        ActivityKind::VersionReleased => {
            guide_version::Entity::find_by_id(id).one(db).await.map(|row| row.map(Record::GuideVersion))
        }
        ActivityKind::MilestoneStatusChanged => {
            milestone::Entity::find_by_id(id).one(db).await.map(|row| row.map(Record::Milestone))
        }
    };
    found.unwrap_or_else(|error| {
        tracing::error!(%error, "loading an activity record");
        None
    })
}

#[derive(Default)]
pub struct ActivitySubscription;

/// Live updates over the WebSocket endpoint `/graphql/ws` (graphql-transport-ws); send the token in the
/// `connection_init` payload.
// Named `Subscription`, the usual root name: `ActivitySubscription` collided in codegen setups.
#[Subscription(name = "Subscription")]
impl ActivitySubscription {
    /// Changes as they are committed, on any server instance: feedback submitted or triaged,
    /// planned uses changed, roles assigned or ended, revisions recorded, versions released,
    /// milestone statuses changed. Each event carries the changed record. A subscriber receives
    /// only what it may read (a Champion: its own country's feedback and planned uses, collective
    /// feedback, and the shared records).
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which changes; all the subscriber may read when omitted.")] filter: Option<ActivityFilter>,
    ) -> Result<impl Stream<Item = ActivityEvent> + use<>> {
        let bus = ctx.data::<Arc<ActivityBus>>().map_err(|_| AppError::internal("activity bus missing"))?;
        let db = crate::context::db(ctx)?.clone();
        let filter = filter.unwrap_or_default();
        let country = match &filter.country {
            Some(iso3) => Some(find_by_iso3(&db, iso3, "filter.country").await?.id),
            None => None,
        };
        let kinds = filter.kinds.unwrap_or_default();
        let receiver = bus.subscribe();
        let viewer = viewer(ctx).clone();
        Ok(futures_util::stream::unfold(receiver, move |mut receiver| {
            let kinds = kinds.clone();
            let viewer = viewer.clone();
            let db = db.clone();
            async move {
                loop {
                    let message = match receiver.recv().await {
                        Ok(message) => message,
                        // A subscriber that fell behind skips what it missed rather than stalling others.
                        Err(RecvError::Lagged(missed)) => {
                            tracing::warn!(missed, "activity subscriber lagged");
                            continue;
                        }
                        Err(RecvError::Closed) => return None,
                    };
                    if !kinds.is_empty() && !kinds.contains(&message.kind) {
                        continue;
                    }
                    if country.is_some() && message.country_id != country {
                        continue;
                    }
                    if let Some(record) = visible_record(&db, &viewer, &message).await {
                        // The rights are those of the account now, not at connection time: a
                        // subscriber whose account changed gets nothing more (its connection is
                        // closed by the server's watcher).
                        if !crate::auth::still_holds(&db, &viewer).await {
                            return None;
                        }
                        return Some((ActivityEvent { message, record }, receiver));
                    }
                }
            }
        }))
    }
}
