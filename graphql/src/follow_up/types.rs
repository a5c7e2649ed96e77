use async_graphql::{Context, ID, Object};
use chrono::{DateTime, NaiveDate, Utc};
use entity::common::DatePrecision;
use entity::follow_up_action::{self, ActionStatus};
use entity::{country, event, stakeholder};

use crate::country::Country;
use crate::engine::loader::{ForeignKey, by_id, children, maybe_by_id};
use crate::error::{AppError, Result};
use crate::event::Event;
use crate::id::{NodeType, global_id};
use crate::scalars::Date;
use crate::stakeholder::Stakeholder;

/// A follow-up action of an event.
pub struct FollowUpAction(pub follow_up_action::Model);

/// Still to do on `as_of`: pending then (not done by then), and due in a period that had ended.
pub fn is_overdue(model: &follow_up_action::Model, as_of: NaiveDate) -> bool {
    let Some(due) = model.due_on else { return false };
    let finished_by_then = match model.status {
        ActionStatus::Done => model.done_on.is_none_or(|done| done <= as_of),
        ActionStatus::Dropped => true,
        ActionStatus::Open | ActionStatus::InProgress => false,
    };
    !finished_by_then && model.due_precision.unwrap_or(DatePrecision::Day).last_day(due) < as_of
}

/// Something an event decided should happen next: who owns it, when it is due, where it stands. Readable by every
/// signed-in user; kept by the Secretariat.
#[Object]
impl FollowUpAction {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::FollowUpAction, self.0.id)
    }
    /// The event that decided it.
    async fn event(&self, ctx: &Context<'_>) -> Result<Event> {
        let event = by_id::<event::Entity>(ctx, self.0.event_id)
            .await?
            .ok_or_else(|| AppError::internal("follow-up action without event"))?;
        Ok(Event(event))
    }
    /// What is to be done.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// More detail.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The country that owns it (null when a stakeholder does).
    async fn owner_country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        Ok(maybe_by_id::<country::Entity>(ctx, self.0.owner_country_id).await?.map(Country))
    }
    /// The stakeholder that owns it (null when a country does).
    async fn owner_stakeholder(&self, ctx: &Context<'_>) -> Result<Option<Stakeholder>> {
        Ok(maybe_by_id::<stakeholder::Entity>(ctx, self.0.owner_stakeholder_id).await?.map(Stakeholder))
    }
    /// When it is due, as the first day of its period (see `duePrecision`); null when no date was set.
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }
    /// How much of `dueOn` is known: DAY, or only the MONTH, QUARTER or YEAR.
    async fn due_precision(&self) -> Option<DatePrecision> {
        self.0.due_precision
    }
    /// Where it stands.
    async fn status(&self) -> ActionStatus {
        self.0.status
    }
    /// The day it was done; set exactly when it is DONE.
    async fn done_on(&self) -> Option<Date> {
        self.0.done_on.map(Date)
    }
    /// Not finished by `asOf` (DONE later, or still OPEN or IN_PROGRESS) and due in a period that had ended by then.
    async fn is_overdue(
        &self,
        #[graphql(desc = "The day to judge on; today (UTC) when omitted.")] as_of: Option<Date>,
    ) -> bool {
        is_overdue(&self.0, as_of.map_or_else(|| Utc::now().date_naive(), |Date(d)| d))
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
        crate::audit::history(ctx, NodeType::FollowUpAction, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// event → its follow-up actions.
pub struct ActionsOfEvent;

impl ForeignKey for ActionsOfEvent {
    type Entity = follow_up_action::Entity;
    fn column() -> follow_up_action::Column {
        follow_up_action::Column::EventId
    }
    fn key_of(model: &follow_up_action::Model) -> Option<i32> {
        Some(model.event_id)
    }
}

/// The follow-up actions of an event, by due date, undated last.
pub async fn of_event(ctx: &Context<'_>, event_id: i32) -> Result<Vec<FollowUpAction>> {
    let mut actions = children::<ActionsOfEvent>(ctx, event_id).await?;
    actions.sort_by_key(|a| (a.due_on.is_none(), a.due_on, a.id));
    Ok(actions.into_iter().map(FollowUpAction).collect())
}
