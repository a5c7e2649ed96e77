use async_graphql::{Context, Enum, ID, Object, Union};
use chrono::NaiveDate;
use entity::{country, event, feedback, pilot, planned_use, role_assignment};

use crate::country::Country;
use crate::engine::loader::{by_id, maybe_by_id};
use crate::error::Result;
use crate::event::Event;
use crate::feedback::Feedback;
use crate::id::{NodeType, global_id};
use crate::pilot::Pilot;
use crate::planned_use::PlannedUse;
use crate::role::RoleAssignment;
use crate::scalars::Date;

/// What a timeline entry marks.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Hash)]
pub enum TimelineKind {
    /// A role assignment started (its `startedOn`).
    RoleStarted,
    /// A role assignment ended (its `endedOn`).
    RoleEnded,
    /// A pilot started.
    PilotStarted,
    /// A pilot ended, completed or cancelled.
    PilotEnded,
    /// Feedback was received (its `receivedOn`).
    FeedbackReceived,
    /// The target date of a planned use.
    PlannedUseTarget,
    /// An event began (its `startsOn`).
    Event,
}

impl TimelineKind {
    pub const ALL: [TimelineKind; 7] = [
        Self::RoleStarted,
        Self::RoleEnded,
        Self::PilotStarted,
        Self::PilotEnded,
        Self::FeedbackReceived,
        Self::PlannedUseTarget,
        Self::Event,
    ];

    /// The value stored in the query's `kind` column.
    pub fn tag(self) -> &'static str {
        match self {
            Self::RoleStarted => "ROLE_STARTED",
            Self::RoleEnded => "ROLE_ENDED",
            Self::PilotStarted => "PILOT_STARTED",
            Self::PilotEnded => "PILOT_ENDED",
            Self::FeedbackReceived => "FEEDBACK_RECEIVED",
            Self::PlannedUseTarget => "PLANNED_USE_TARGET",
            Self::Event => "EVENT",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.tag() == tag)
    }

    fn subject_type(self) -> NodeType {
        match self {
            Self::RoleStarted | Self::RoleEnded => NodeType::RoleAssignment,
            Self::PilotStarted | Self::PilotEnded => NodeType::Pilot,
            Self::FeedbackReceived => NodeType::Feedback,
            Self::PlannedUseTarget => NodeType::PlannedUse,
            Self::Event => NodeType::Event,
        }
    }
}

/// The record behind a timeline entry.
#[derive(Union)]
pub enum TimelineSubject {
    RoleAssignment(RoleAssignment),
    Pilot(Pilot),
    Feedback(Feedback),
    PlannedUse(PlannedUse),
    Event(Event),
}

/// One dated happening on the timeline.
#[derive(Clone, Debug)]
pub struct TimelineEntry {
    pub kind: TimelineKind,
    pub subject_id: i32,
    pub date: NaiveDate,
    pub country_id: Option<i32>,
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
    short.push('…');
    short
}

/// One dated happening on the timeline: a role or a pilot starting or ending, feedback received, a planned use's target
/// date, or an event.
#[Object]
impl TimelineEntry {
    /// The day it happened (for a planned use, the day it is meant to).
    async fn date(&self) -> Date {
        Date(self.date)
    }
    /// What happened.
    async fn kind(&self) -> TimelineKind {
        self.kind
    }
    /// The country concerned; null for events, which involve many.
    async fn country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        Ok(maybe_by_id::<country::Entity>(ctx, self.country_id).await?.map(Country))
    }
    /// Global id of the record behind the entry (refetch it with `node(id:)`).
    async fn subject_id(&self) -> ID {
        global_id(self.kind.subject_type(), self.subject_id)
    }
    /// The record itself (null if it was removed meanwhile).
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<TimelineSubject>> {
        let id = self.subject_id;
        Ok(match self.kind {
            TimelineKind::RoleStarted | TimelineKind::RoleEnded => by_id::<role_assignment::Entity>(ctx, id)
                .await?
                .map(|m| TimelineSubject::RoleAssignment(RoleAssignment(m))),
            TimelineKind::PilotStarted | TimelineKind::PilotEnded => {
                by_id::<pilot::Entity>(ctx, id).await?.map(|m| TimelineSubject::Pilot(Pilot(m)))
            }
            TimelineKind::FeedbackReceived => {
                by_id::<feedback::Entity>(ctx, id).await?.map(|m| TimelineSubject::Feedback(Feedback(m)))
            }
            TimelineKind::PlannedUseTarget => {
                by_id::<planned_use::Entity>(ctx, id).await?.map(|m| TimelineSubject::PlannedUse(PlannedUse(m)))
            }
            TimelineKind::Event => by_id::<event::Entity>(ctx, id).await?.map(|m| TimelineSubject::Event(Event(m))),
        })
    }
    /// A one-line description of what happened.
    async fn title(&self, ctx: &Context<'_>) -> Result<String> {
        let id = self.subject_id;
        let missing = || "(removed)".to_owned();
        Ok(match self.kind {
            TimelineKind::RoleStarted | TimelineKind::RoleEnded => {
                by_id::<role_assignment::Entity>(ctx, id).await?.map_or_else(missing, |role| {
                    let role_name = serde_json::to_value(role.role)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    let verb = if self.kind == TimelineKind::RoleStarted { "started" } else { "ended" };
                    format!("{role_name} role {verb}")
                })
            }
            TimelineKind::PilotStarted | TimelineKind::PilotEnded => {
                by_id::<pilot::Entity>(ctx, id).await?.map_or_else(missing, |pilot| {
                    let verb = if self.kind == TimelineKind::PilotStarted { "started" } else { "ended" };
                    format!("Pilot {verb}: {}", pilot.title)
                })
            }
            TimelineKind::FeedbackReceived => by_id::<feedback::Entity>(ctx, id)
                .await?
                .map_or_else(missing, |f| format!("Feedback: {}", shorten(&f.body, 120))),
            TimelineKind::PlannedUseTarget => by_id::<planned_use::Entity>(ctx, id)
                .await?
                .map_or_else(missing, |p| format!("Planned use: {}", shorten(&p.description, 120))),
            TimelineKind::Event => by_id::<event::Entity>(ctx, id).await?.map_or_else(missing, |e| e.title),
        })
    }
}
