//! How activity travels between mutations and subscribers. Inside one process a broadcast
//! channel; on PostgreSQL every message also goes through `NOTIFY`, and each instance's listener
//! (started by the server) feeds what it hears into its own channel, so a subscriber on any
//! instance sees the mutations of all of them. A message names the record, not its content:
//! subscribers load the record themselves, with their own read rules.

use std::sync::Arc;

use async_graphql::{Context, Enum};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::auth::guard::viewer;
use crate::id::NodeType;

/// The PostgreSQL channel all instances listen on.
pub const CHANNEL: &str = "champion_tracker_activity";
/// Messages a slow subscriber may fall behind by before it skips ahead.
const BUFFER: usize = 1024;

/// What kind of change an activity event reports.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActivityKind {
    /// A feedback was recorded (`feedback`).
    FeedbackSubmitted,
    /// A feedback's status or response changed: triage, a revision's decision, a release (`feedback`).
    FeedbackTriaged,
    /// A planned use was created, changed or deleted (`plannedUse`; null when deleted).
    PlannedUseChanged,
    /// A role was assigned (`roleAssignment`).
    RoleAssigned,
    /// A role assignment ended (`roleAssignment`).
    RoleEnded,
    /// A revision was recorded (`revision`).
    RevisionRecorded,
    /// A guide version was released (`guideVersion`).
    VersionReleased,
    /// A milestone's status changed (`milestone`).
    MilestoneStatusChanged,
}

impl ActivityKind {
    pub(crate) fn node_type(self) -> NodeType {
        match self {
            Self::FeedbackSubmitted | Self::FeedbackTriaged => NodeType::Feedback,
            Self::PlannedUseChanged => NodeType::PlannedUse,
            Self::RoleAssigned | Self::RoleEnded => NodeType::RoleAssignment,
            Self::RevisionRecorded => NodeType::Revision,
            Self::VersionReleased => NodeType::GuideVersion,
            Self::MilestoneStatusChanged => NodeType::Milestone,
        }
    }
}

/// Publishes a committed change to every subscriber (of every instance on PostgreSQL). Only the
/// write path calls this, through `write::Committed`, so nothing is announced that did not land.
pub(crate) async fn publish(
    ctx: &Context<'_>,
    kind: ActivityKind,
    entity_id: i32,
    country_id: Option<i32>,
    deleted: bool,
) {
    let Ok(bus) = ctx.data::<Arc<ActivityBus>>() else {
        tracing::error!("activity bus missing from the schema data");
        return;
    };
    let message =
        ActivityMessage { kind, entity_id, country_id, deleted, actor_id: viewer(ctx).user_id(), at: Utc::now() };
    bus.publish(message).await;
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityMessage {
    pub kind: ActivityKind,
    /// Table key of the changed record (of the kind's type).
    pub entity_id: i32,
    /// The country the record belongs to or was given by, if any.
    pub country_id: Option<i32>,
    /// Whether the record was deleted (then only its id is known).
    pub deleted: bool,
    pub actor_id: Option<i32>,
    pub at: DateTime<Utc>,
}

#[derive(Clone)]
pub struct ActivityBus {
    sender: broadcast::Sender<ActivityMessage>,
    /// Set on PostgreSQL: publish through `NOTIFY` (delivered to every instance, this one included).
    notify: Option<DatabaseConnection>,
}

impl ActivityBus {
    /// A bus for `db`: `NOTIFY` on PostgreSQL, in-process otherwise.
    pub fn for_database(db: &DatabaseConnection) -> Self {
        let (sender, _) = broadcast::channel(BUFFER);
        let notify = (db.get_database_backend() == DatabaseBackend::Postgres).then(|| db.clone());
        Self { sender, notify }
    }

    /// Whether messages go through PostgreSQL (and so need a listener feeding [`Self::deliver`]).
    pub fn uses_notify(&self) -> bool {
        self.notify.is_some()
    }

    /// Open subscriptions on this instance.
    pub fn subscriber_count(&self) -> usize {
        self.sender.receiver_count()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<ActivityMessage> {
        self.sender.subscribe()
    }

    /// Hands a message to this instance's subscribers.
    pub fn deliver(&self, message: ActivityMessage) {
        // No subscriber is not an error.
        let _ = self.sender.send(message);
    }

    /// Publishes a committed change. A failure is logged, never returned: the change itself
    /// is already committed and must not be reported as failed.
    pub async fn publish(&self, message: ActivityMessage) {
        let Some(db) = &self.notify else {
            self.deliver(message);
            return;
        };
        let payload = match serde_json::to_string(&message) {
            Ok(payload) => payload,
            Err(error) => {
                tracing::error!(%error, "serializing an activity message");
                return;
            }
        };
        let statement = Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), payload.into()],
        );
        if let Err(error) = db.execute_raw(statement).await {
            tracing::error!(%error, "publishing an activity message");
        }
    }
}
