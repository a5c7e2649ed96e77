use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::event::{self, EventKind};
use entity::event_participant::{self, ParticipationRole, ParticipationStatus};
use entity::{country, event_country, event_section, guide_section, stakeholder};

use crate::country::Country;
use crate::engine::loader::{ForeignKey, LinkTable, by_id, children, linked, many_by_id, maybe_by_id};
use crate::engine::object_list::ObjectList;
use crate::error::{AppError, Result};
use crate::guide::Section;
use crate::id::{NodeType, global_id};
use crate::scalars::Date;
use crate::stakeholder::Stakeholder;

/// A meeting about the guidance: a briefing, a technical or online discussion, a launch, an IMRF
/// side event, a regional review, a bilateral talk or a workshop.
pub struct Event(pub event::Model);

/// A meeting about the guidance: a briefing, a technical or online discussion, a launch, an IMRF side event, a regional
/// review, a bilateral talk or a workshop. Readable by every signed-in user; managed by the Secretariat.
#[Object]
impl Event {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::Event, self.0.id)
    }
    /// What the event is called.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What sort of event it is.
    async fn kind(&self) -> EventKind {
        self.0.kind
    }
    /// First day; see `datePrecision` for how exact it is.
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// Last day of an event over several days; null for a one-day event.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// How exact `startsOn` and `endsOn` are.
    async fn date_precision(&self) -> DatePrecision {
        self.0.date_precision
    }
    /// Where it takes place, if in person.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }
    /// Whether it takes place (also) online.
    async fn online(&self) -> bool {
        self.0.online
    }
    /// Who organises it.
    async fn organizer(&self) -> Option<&str> {
        self.0.organizer.as_deref()
    }
    /// What the event is about.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Whether this record comes from a source, is illustrative demo data or was entered by a user.
    async fn provenance(&self) -> Provenance {
        self.0.provenance
    }
    /// Where the information comes from, e.g. the meeting report or briefing that records it.
    async fn source_note(&self) -> Option<&str> {
        self.0.source_note.as_deref()
    }
    /// Countries and stakeholders taking part, in the order they were added.
    async fn participants(&self, ctx: &Context<'_>) -> Result<Vec<EventParticipant>> {
        Ok(children::<ParticipantsOfEvent>(ctx, self.0.id).await?.into_iter().map(EventParticipant).collect())
    }
    /// The Member States the event reaches or supports beyond its participants (a convenor's peer-learning
    /// event, a regional briefing), by id.
    async fn supported_countries(&self, ctx: &Context<'_>) -> Result<Vec<Country>> {
        let linked = linked::<SupportedCountriesOfEvent>(ctx, self.0.id).await?;
        Ok(linked.into_iter().map(|c| Country(Arc::unwrap_or_clone(c))).collect())
    }
    /// The day it was actually held; null until its outcome is recorded.
    async fn held_on(&self) -> Option<Date> {
        self.0.held_on.map(Date)
    }
    /// How many people attended, as reported.
    async fn attendee_count(&self) -> Option<i32> {
        self.0.attendee_count
    }
    /// What happened: the event's report or summary.
    async fn outcome_report(&self) -> Option<&str> {
        self.0.outcome_report.as_deref()
    }
    /// What the event decided should happen next, by due date (undated last).
    async fn follow_up_actions(&self, ctx: &Context<'_>) -> Result<Vec<crate::follow_up::FollowUpAction>> {
        crate::follow_up::of_event(ctx, self.0.id).await
    }
    /// Guide and Booklet sections the event discussed.
    async fn sections(&self, ctx: &Context<'_>) -> Result<ObjectList<Section>> {
        Ok(linked::<SectionsOfEvent>(ctx, self.0.id).await?.into_iter().map(Section).collect())
    }
    /// When the record was created in the tracker.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Feedback given at this event that the viewer may read.
    async fn feedback(&self, ctx: &Context<'_>) -> Result<ObjectList<crate::feedback::Feedback>> {
        crate::feedback::visible_children::<crate::feedback::FeedbackOfEvent>(ctx, self.0.id).await
    }
    /// Every recorded change to this record, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<crate::audit::AuditEntry>> {
        crate::audit::history(ctx, NodeType::Event, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A country or a stakeholder taking part in an event, and how.
pub struct EventParticipant(pub event_participant::Model);

/// A country or a stakeholder taking part in an event, and how.
#[Object]
impl EventParticipant {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::EventParticipant, self.0.id)
    }
    /// The event taken part in.
    async fn event(&self, ctx: &Context<'_>) -> Result<Event> {
        let event = by_id::<event::Entity>(ctx, self.0.event_id)
            .await?
            .ok_or_else(|| AppError::internal("event participant without event"))?;
        Ok(Event(event))
    }
    /// The participating country; null when the participant is a stakeholder.
    async fn country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        Ok(maybe_by_id::<country::Entity>(ctx, self.0.country_id).await?.map(Country))
    }
    /// The participating stakeholder; null when the participant is a country.
    async fn stakeholder(&self, ctx: &Context<'_>) -> Result<Option<Stakeholder>> {
        Ok(maybe_by_id::<stakeholder::Entity>(ctx, self.0.stakeholder_id).await?.map(Stakeholder))
    }
    /// How it takes part.
    async fn role(&self) -> ParticipationRole {
        self.0.role
    }
    /// Invited, registered, attended, no-show or excused; null when no one recorded it.
    async fn status(&self) -> Option<ParticipationStatus> {
        self.0.status
    }
    /// Every recorded change to this participation, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<crate::audit::AuditEntry>> {
        crate::audit::history(ctx, NodeType::EventParticipant, self.0.id).await
    }
    /// Change counter of the record, raised by every change to it.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// `event_participant.event_id → event`.
pub struct ParticipantsOfEvent;

impl ForeignKey for ParticipantsOfEvent {
    type Entity = event_participant::Entity;
    fn column() -> event_participant::Column {
        event_participant::Column::EventId
    }
    fn key_of(model: &event_participant::Model) -> Option<i32> {
        Some(model.event_id)
    }
}

/// `event_participant.country_id → country`: a country's participations.
pub struct ParticipationsOfCountry;

impl ForeignKey for ParticipationsOfCountry {
    type Entity = event_participant::Entity;
    fn column() -> event_participant::Column {
        event_participant::Column::CountryId
    }
    fn key_of(model: &event_participant::Model) -> Option<i32> {
        model.country_id
    }
}

/// `event ↔ guide_section`, from the event's side.
pub struct SectionsOfEvent;

impl LinkTable for SectionsOfEvent {
    type Link = event_section::Entity;
    type Target = guide_section::Entity;
    fn owner_column() -> event_section::Column {
        event_section::Column::EventId
    }
    fn target_column() -> event_section::Column {
        event_section::Column::SectionId
    }
    fn owner_of(link: &event_section::Model) -> i32 {
        link.event_id
    }
    fn target_of(link: &event_section::Model) -> i32 {
        link.section_id
    }
}

/// `event ↔ guide_section`, from the section's side.
pub struct EventsOfSection;

impl LinkTable for EventsOfSection {
    type Link = event_section::Entity;
    type Target = event::Entity;
    fn owner_column() -> event_section::Column {
        event_section::Column::SectionId
    }
    fn target_column() -> event_section::Column {
        event_section::Column::EventId
    }
    fn owner_of(link: &event_section::Model) -> i32 {
        link.section_id
    }
    fn target_of(link: &event_section::Model) -> i32 {
        link.event_id
    }
}

fn chronological(mut events: Vec<event::Model>) -> Vec<Event> {
    events.sort_by_key(|e| (e.starts_on, e.id));
    events.into_iter().map(Event).collect()
}

/// The events `country_id` takes part in, earliest first: its participations, then their events,
/// each batched across every country of the request.
pub async fn events_of_country(ctx: &Context<'_>, country_id: i32) -> Result<Vec<Event>> {
    let participations = children::<ParticipationsOfCountry>(ctx, country_id).await?;
    let event_ids: HashSet<i32> = participations.iter().map(|p| p.event_id).collect();
    if event_ids.is_empty() {
        return Ok(Vec::new());
    }
    let events = many_by_id::<event::Entity>(ctx, event_ids).await?;
    Ok(chronological(events.into_values().collect()))
}

/// The events that discussed `section_id`, earliest first.
pub async fn events_of_section(ctx: &Context<'_>, section_id: i32) -> Result<Vec<Event>> {
    Ok(chronological(linked::<EventsOfSection>(ctx, section_id).await?.into_iter().map(Arc::unwrap_or_clone).collect()))
}

/// event → the Member States it reaches or supports.
pub struct SupportedCountriesOfEvent;

impl LinkTable for SupportedCountriesOfEvent {
    type Link = event_country::Entity;
    type Target = country::Entity;
    fn owner_column() -> event_country::Column {
        event_country::Column::EventId
    }
    fn target_column() -> event_country::Column {
        event_country::Column::CountryId
    }
    fn owner_of(link: &event_country::Model) -> i32 {
        link.event_id
    }
    fn target_of(link: &event_country::Model) -> i32 {
        link.country_id
    }
}
