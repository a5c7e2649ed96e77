use async_graphql::{Context, Enum, ID, Object, Union};
use chrono::NaiveDate;
use entity::champion_term::{self, ChampionTermKind};
use entity::common::DatePrecision;
use entity::{country, event, feedback, guide_version, milestone, pilot, planned_use, revision, role_assignment};

use crate::country::Country;
use crate::engine::loader::{by_id, maybe_by_id};
use crate::error::Result;
use crate::event::Event;
use crate::feedback::Feedback;
use crate::guide::GuideVersion;
use crate::id::{NodeType, global_id};
use crate::milestone::Milestone;
use crate::pilot::Pilot;
use crate::planned_use::PlannedUse;
use crate::revision::Revision;
use crate::role::RoleAssignment;
use crate::roster::ChampionTerm;
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
    /// A milestone's due date.
    MilestoneDue,
    /// A milestone was done (its `doneOn`).
    MilestoneDone,
    /// A guide version was released (its `releasedOn`; open versions are not on the timeline).
    VersionReleased,
    /// A revision was decided (its `decidedOn`).
    RevisionDecided,
    /// A country became a Champion, or began a co-chair term (the term's `startedOn`).
    ChampionTermStarted,
    /// A Champion or co-chair term ended (its `endedOn`).
    ChampionTermEnded,
}

impl TimelineKind {
    pub const ALL: [TimelineKind; 13] = [
        Self::RoleStarted,
        Self::RoleEnded,
        Self::PilotStarted,
        Self::PilotEnded,
        Self::FeedbackReceived,
        Self::PlannedUseTarget,
        Self::Event,
        Self::MilestoneDue,
        Self::MilestoneDone,
        Self::VersionReleased,
        Self::RevisionDecided,
        Self::ChampionTermStarted,
        Self::ChampionTermEnded,
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
            Self::MilestoneDue => "MILESTONE_DUE",
            Self::MilestoneDone => "MILESTONE_DONE",
            Self::VersionReleased => "VERSION_RELEASED",
            Self::RevisionDecided => "REVISION_DECIDED",
            Self::ChampionTermStarted => "CHAMPION_TERM_STARTED",
            Self::ChampionTermEnded => "CHAMPION_TERM_ENDED",
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
            Self::MilestoneDue | Self::MilestoneDone => NodeType::Milestone,
            Self::VersionReleased => NodeType::GuideVersion,
            Self::RevisionDecided => NodeType::Revision,
            Self::ChampionTermStarted | Self::ChampionTermEnded => NodeType::ChampionTerm,
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
    Milestone(Milestone),
    GuideVersion(GuideVersion),
    Revision(Revision),
    ChampionTerm(ChampionTerm),
}

/// One dated happening on the timeline.
#[derive(Clone, Debug)]
pub struct TimelineEntry {
    pub kind: TimelineKind,
    pub subject_id: i32,
    pub date: NaiveDate,
    /// How much of `date` is known; `None` where the record keeps no precision (a day).
    pub precision: Option<DatePrecision>,
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

/// One dated happening on the timeline: a role, a pilot or a Champion term starting or ending, feedback received, a
/// planned use's target date, an event, a milestone due or done, a version released or a revision decided.
#[Object]
impl TimelineEntry {
    /// The day it happened (for a planned use, the day it is meant to).
    async fn date(&self) -> Date {
        Date(self.date)
    }
    /// How much of `date` is known: DAY, or only the MONTH, QUARTER or YEAR the date stands for (it is the period's
    /// first day), as the record says.
    async fn date_precision(&self) -> DatePrecision {
        self.precision.unwrap_or(DatePrecision::Day)
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
            TimelineKind::MilestoneDue | TimelineKind::MilestoneDone => {
                by_id::<milestone::Entity>(ctx, id).await?.map(|m| TimelineSubject::Milestone(Milestone(m)))
            }
            TimelineKind::VersionReleased => {
                by_id::<guide_version::Entity>(ctx, id).await?.map(|m| TimelineSubject::GuideVersion(GuideVersion(m)))
            }
            TimelineKind::RevisionDecided => {
                by_id::<revision::Entity>(ctx, id).await?.map(|m| TimelineSubject::Revision(Revision(m)))
            }
            TimelineKind::ChampionTermStarted | TimelineKind::ChampionTermEnded => {
                by_id::<champion_term::Entity>(ctx, id).await?.map(|m| TimelineSubject::ChampionTerm(ChampionTerm(m)))
            }
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
            TimelineKind::MilestoneDue | TimelineKind::MilestoneDone => {
                by_id::<milestone::Entity>(ctx, id).await?.map_or_else(missing, |m| {
                    let what = if self.kind == TimelineKind::MilestoneDue { "due" } else { "done" };
                    format!("Milestone {what}: {}", m.title)
                })
            }
            TimelineKind::VersionReleased => by_id::<guide_version::Entity>(ctx, id)
                .await?
                .map_or_else(missing, |v| format!("Version released: {}", v.label)),
            TimelineKind::RevisionDecided => by_id::<revision::Entity>(ctx, id)
                .await?
                .map_or_else(missing, |r| format!("Revision decided: {}", shorten(&r.summary, 120))),
            TimelineKind::ChampionTermStarted | TimelineKind::ChampionTermEnded => {
                by_id::<champion_term::Entity>(ctx, id).await?.map_or_else(missing, |t| {
                    let what = match (t.kind, self.kind) {
                        (ChampionTermKind::Champion, TimelineKind::ChampionTermStarted) => "Became a Champion country",
                        (ChampionTermKind::Champion, _) => "Champion term ended",
                        (ChampionTermKind::CoChair, TimelineKind::ChampionTermStarted) => "Co-chair term began",
                        (ChampionTermKind::CoChair, _) => "Co-chair term ended",
                    };
                    what.to_owned()
                })
            }
        })
    }
}
