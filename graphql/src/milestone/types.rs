use async_graphql::{Context, ID, Object};
use chrono::{DateTime, NaiveDate, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::guide_version;
use entity::milestone::{self, MilestoneStatus};

use crate::engine::loader::maybe_by_id;
use crate::error::Result;
use crate::guide::GuideVersion;
use crate::id::{NodeType, global_id};
use crate::scalars::Date;

/// The day "today" is for overdue milestones (UTC).
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Not done by `as_of`, and the whole period it was due in ended before `as_of`: a milestone due
/// "in February 2021" is overdue from 1 March, not from 2 February. One DONE without a `doneOn`
/// counts as done on any day, since nothing says when it was not.
pub fn is_overdue(model: &milestone::Model, as_of: NaiveDate) -> bool {
    let done_by_then = model.status == MilestoneStatus::Done && model.done_on.is_none_or(|done| done <= as_of);
    !done_by_then && model.due_precision.last_day(model.due_on) < as_of
}

/// A step of producing the guidance, with its planned and actual dates.
pub struct Milestone(pub milestone::Model);

/// A step of producing the guidance (translation, a review round, editing, printing, the online version), with its
/// planned and actual dates. Readable by every signed-in user; managed by the Secretariat.
#[Object]
impl Milestone {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::Milestone, self.0.id)
    }
    /// What the milestone is.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// More about it, if anything.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Planned date; see `duePrecision` for how exact it is.
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }
    /// How exact `dueOn` is.
    async fn due_precision(&self) -> DatePrecision {
        self.0.due_precision
    }
    /// When it was done; set exactly when the status is DONE.
    async fn done_on(&self) -> Option<Date> {
        self.0.done_on.map(Date)
    }
    /// Where it stands.
    async fn status(&self) -> MilestoneStatus {
        self.0.status
    }
    /// The guide version this milestone produces or concerns, if any.
    async fn guide_version(&self, ctx: &Context<'_>) -> Result<Option<GuideVersion>> {
        Ok(maybe_by_id::<guide_version::Entity>(ctx, self.0.guide_version_id).await?.map(GuideVersion))
    }
    /// Not done by `asOf` and due in a period that ended before it (a MONTH due date is late only once its month is
    /// over).
    async fn is_overdue(
        &self,
        #[graphql(desc = "The day to judge on; today (UTC) when omitted.")] as_of: Option<Date>,
    ) -> bool {
        is_overdue(&self.0, as_of.map_or_else(today, |Date(d)| d))
    }
    /// Whether this record comes from a source, is illustrative demo data or was entered by a user.
    async fn provenance(&self) -> Provenance {
        self.0.provenance
    }
    /// Where the information comes from, e.g. the meeting report or briefing that records it.
    async fn source_note(&self) -> Option<&str> {
        self.0.source_note.as_deref()
    }
    /// When the record was created in the tracker.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every recorded change to this record, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<crate::audit::AuditEntry>> {
        crate::audit::history(ctx, NodeType::Milestone, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}
