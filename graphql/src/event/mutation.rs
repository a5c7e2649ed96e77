use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use entity::common::DatePrecision;
use entity::event::{self, EventKind};
use entity::event_participant::{self, ParticipationRole, ParticipationStatus};
use entity::stakeholder;
use sea_orm::ModelTrait;

use super::service::{self, EventDraft, Participant};
use super::types::{SectionsOfEvent, SupportedCountriesOfEvent};
use super::{Event, EventParticipant};

use crate::auth::guard::Require;
use crate::context::Access;
use crate::country::{find_by_iso3, supported_countries};
use crate::engine::loader::replace_links;
use crate::error::AppError;
use crate::error::Result;
use crate::id::NodeType;
use crate::scalars::Date;
use crate::validate::existing;
use crate::write::{Change, linked_country_codes};
use crate::write::{UnitOfWork, claim_version};

/// A new event.
#[derive(InputObject)]
pub struct CreateEventInput {
    /// What the event is called, up to 500 characters.
    pub title: String,
    /// What sort of event it is.
    pub kind: EventKind,
    /// First day.
    pub starts_on: Date,
    /// Last day of an event over several days; not before `startsOn`.
    pub ends_on: Option<Date>,
    /// How exact the dates are; DAY when omitted.
    #[graphql(default_with = "DatePrecision::Day")]
    pub date_precision: DatePrecision,
    /// Where it takes place, if in person.
    pub location: Option<String>,
    /// Whether it takes place (also) online; false when omitted.
    #[graphql(default)]
    pub online: bool,
    /// Who organises it.
    pub organizer: Option<String>,
    /// What the event is about, up to 20,000 characters.
    pub description: Option<String>,
    /// Where the information comes from, e.g. an invitation or a meeting report.
    pub source_note: Option<String>,
}

/// What happened at an event.
#[derive(InputObject)]
pub struct EventOutcomeInput {
    /// The day it was actually held; not in the future.
    pub held_on: Option<Date>,
    /// How many people attended, as reported.
    pub attendee_count: Option<i32>,
    /// The report or summary, up to 20,000 characters.
    pub report: Option<String>,
}

/// Fields left out stay as they are; nullable fields set to null are cleared.
#[derive(InputObject)]
pub struct UpdateEventInput {
    /// New title, up to 500 characters.
    pub title: Option<String>,
    /// New kind of event.
    pub kind: Option<EventKind>,
    /// New first day; `endsOn` must not come before it.
    pub starts_on: Option<Date>,
    /// New last day, or null for a one-day event.
    pub ends_on: MaybeUndefined<Date>,
    /// How exact the dates are.
    pub date_precision: Option<DatePrecision>,
    /// Where it takes place, or null.
    pub location: MaybeUndefined<String>,
    /// Whether it takes place (also) online.
    pub online: Option<bool>,
    /// Who organises it, or null.
    pub organizer: MaybeUndefined<String>,
    /// What it is about, or null.
    pub description: MaybeUndefined<String>,
    /// Where the information comes from, or null.
    pub source_note: MaybeUndefined<String>,
}

impl CreateEventInput {
    fn into_draft(self) -> EventDraft {
        EventDraft {
            title: self.title,
            kind: self.kind,
            starts_on: self.starts_on.0,
            ends_on: self.ends_on.map(|Date(d)| d),
            date_precision: self.date_precision,
            location: self.location,
            online: self.online,
            organizer: self.organizer,
            description: self.description,
            source_note: self.source_note,
        }
    }
}

impl UpdateEventInput {
    fn apply_to(self, mut draft: EventDraft) -> EventDraft {
        if let Some(title) = self.title {
            draft.title = title;
        }
        if let Some(kind) = self.kind {
            draft.kind = kind;
        }
        if let Some(Date(day)) = self.starts_on {
            draft.starts_on = day;
        }
        self.ends_on.map_value(|Date(d)| d).update_to(&mut draft.ends_on);
        if let Some(precision) = self.date_precision {
            draft.date_precision = precision;
        }
        self.location.update_to(&mut draft.location);
        if let Some(online) = self.online {
            draft.online = online;
        }
        self.organizer.update_to(&mut draft.organizer);
        self.description.update_to(&mut draft.description);
        self.source_note.update_to(&mut draft.source_note);
        draft
    }
}

#[derive(Default)]
pub struct EventMutation;

#[Object]
impl EventMutation {
    /// Records an event.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn create_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event to record.")] input: CreateEventInput,
    ) -> Result<Event> {
        let draft = input.into_draft().checked()?;
        let work = UnitOfWork::begin(ctx).await?;
        let created = service::create(work.txn(), draft).await?;
        work.commit(Change::created(NodeType::Event, created.id, &created)).await?;
        Ok(Event(created))
    }

    /// Changes an event's details.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the event.")] id: ID,
        #[graphql(desc = "The fields to change; those left out stay as they are.")] input: UpdateEventInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Event> {
        let work = UnitOfWork::begin(ctx).await?;
        let current = existing::<event::Entity>(work.txn(), &id, NodeType::Event, "id").await?;
        // Checked against the row as read; the claim below fails if it changed since.
        let draft = input.apply_to(EventDraft::from(&current)).checked()?;
        let claimed = claim_version::<event::Entity>(work.txn(), current.id, expected_version, "Event").await?;
        let before = claimed.clone();
        let updated = service::update(work.txn(), claimed, draft).await?;
        work.commit(Change::updated(NodeType::Event, updated.id, &before, &updated)).await?;
        Ok(Event(updated))
    }

    /// Removes an event recorded by mistake, with its section links; refused (`CONFLICT`) while participants, feedback
    /// or planned uses refer to it. Returns the removed event's id.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn delete_event(&self, ctx: &Context<'_>, #[graphql(desc = "Global id of the event.")] id: ID) -> Result<ID> {
        let work = UnitOfWork::begin(ctx).await?;
        let event = existing::<event::Entity>(work.txn(), &id, NodeType::Event, "id").await?;
        // The event's own section links go with it; the audit row keeps them.
        let sections = crate::write::linked_section_codes::<SectionsOfEvent>(work.txn(), event.id).await?;
        let before = event.clone();
        service::delete(work.txn(), event).await?;
        let extra = vec![("sections", sections, serde_json::Value::Null)];
        work.commit(Change::deleted(NodeType::Event, before.id, &before).with(extra)).await?;
        Ok(id)
    }

    /// Adds a participant to an event: give exactly one of `country` (ISO3) and `stakeholder`.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn add_event_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the event.")] event: ID,
        #[graphql(desc = "ISO3 code of the participating country.")] country: Option<String>,
        #[graphql(desc = "Global id of the participating stakeholder.")] stakeholder: Option<ID>,
        #[graphql(desc = "How it takes part.")] role: ParticipationRole,
        #[graphql(desc = "Invited, registered, attended, no-show or excused; null when not known.")] status: Option<
            ParticipationStatus,
        >,
    ) -> Result<EventParticipant> {
        enum Who {
            Country(String),
            Stakeholder(ID),
        }
        let one_of = "Give exactly one of `country` and `stakeholder`";
        let who = match (country, stakeholder) {
            (Some(iso3), None) => Who::Country(iso3),
            (None, Some(id)) => Who::Stakeholder(id),
            (None, None) => return Err(AppError::bad_input("country", one_of)),
            (Some(_), Some(_)) => return Err(AppError::bad_input("stakeholder", one_of)),
        };
        let work = UnitOfWork::begin(ctx).await?;
        let event = existing::<event::Entity>(work.txn(), &event, NodeType::Event, "event").await?;
        let participant = match who {
            Who::Country(iso3) => Participant::Country(find_by_iso3(work.txn(), &iso3, "country").await?.id),
            Who::Stakeholder(id) => Participant::Stakeholder(
                existing::<stakeholder::Entity>(work.txn(), &id, NodeType::Stakeholder, "stakeholder").await?.id,
            ),
        };
        let added = service::add_participant(work.txn(), event.id, participant, role, status).await?;
        work.commit(Change::created(NodeType::EventParticipant, added.id, &added)).await?;
        Ok(EventParticipant(added))
    }

    /// Removes a participant from its event. Returns the removed participant's id.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn remove_event_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the participant (an `EventParticipant`).")] id: ID,
    ) -> Result<ID> {
        let work = UnitOfWork::begin(ctx).await?;
        let participant =
            existing::<event_participant::Entity>(work.txn(), &id, NodeType::EventParticipant, "id").await?;
        let before = participant.clone();
        participant.delete(work.txn()).await?;
        work.commit(Change::deleted(NodeType::EventParticipant, before.id, &before)).await?;
        Ok(id)
    }

    /// Makes the sections an event discussed exactly `sections` (section codes, e.g. `III.A`;
    /// duplicates ignored, an empty list clears them).
    #[graphql(guard = "Require(Access::Admin)")]
    async fn set_event_sections(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the event.")] event: ID,
        #[graphql(desc = "Codes of the sections discussed, at most 100.")] sections: Vec<String>,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Event> {
        let work = UnitOfWork::begin(ctx).await?;
        let current = existing::<event::Entity>(work.txn(), &event, NodeType::Event, "event").await?;
        let section_ids = service::section_ids(work.txn(), &sections).await?;
        let claimed = claim_version::<event::Entity>(work.txn(), current.id, expected_version, "Event").await?;
        let sections_before = crate::write::linked_section_codes::<SectionsOfEvent>(work.txn(), claimed.id).await?;
        replace_links::<SectionsOfEvent>(work.txn(), claimed.id, &section_ids).await?;
        let sections_after = crate::write::linked_section_codes::<SectionsOfEvent>(work.txn(), claimed.id).await?;
        let extra = vec![("sections", sections_before, sections_after)];
        work.commit(Change::updated(NodeType::Event, claimed.id, &current, &claimed).with(extra)).await?;
        Ok(Event(claimed))
    }

    /// Makes the Member States an event reaches or supports exactly `countries` (ISO3 codes, in any case; duplicates
    /// ignored, an empty list clears them): those a convenor's peer-learning event or a briefing is for, beyond its
    /// participants.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn set_event_supported_countries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the event.")] event: ID,
        #[graphql(desc = "ISO3 codes of the Member States, at most 100.")] countries: Vec<String>,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Event> {
        let work = UnitOfWork::begin(ctx).await?;
        let current = existing::<event::Entity>(work.txn(), &event, NodeType::Event, "event").await?;
        let country_ids = supported_countries(work.txn(), &countries, "countries", None).await?;
        let claimed = claim_version::<event::Entity>(work.txn(), current.id, expected_version, "Event").await?;
        let before = linked_country_codes::<SupportedCountriesOfEvent>(work.txn(), claimed.id).await?;
        replace_links::<SupportedCountriesOfEvent>(work.txn(), claimed.id, &country_ids).await?;
        let after = linked_country_codes::<SupportedCountriesOfEvent>(work.txn(), claimed.id).await?;
        let extra = vec![("supportedCountries", before, after)];
        work.commit(Change::updated(NodeType::Event, claimed.id, &current, &claimed).with(extra)).await?;
        Ok(Event(claimed))
    }

    /// Records where a participation stands (invited, registered, attended, no-show, excused), or null when not known.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn set_participation_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the participant (an `EventParticipant`).")] id: ID,
        #[graphql(desc = "The status; null clears it.")] status: Option<ParticipationStatus>,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<EventParticipant> {
        let key = crate::id::expect_global_id(&id, NodeType::EventParticipant, "id")?;
        let work = UnitOfWork::begin(ctx).await?;
        let current =
            claim_version::<event_participant::Entity>(work.txn(), key, expected_version, "Participant").await?;
        let before = current.clone();
        let mut active: event_participant::ActiveModel = current.into();
        active.status = sea_orm::Set(status);
        let after = sea_orm::ActiveModelTrait::update(active, work.txn()).await?;
        work.commit(Change::updated(NodeType::EventParticipant, after.id, &before, &after)).await?;
        Ok(EventParticipant(after))
    }

    /// Records what happened at an event: the day it was held, how many attended and its report. Fields given
    /// replace the recorded outcome as a whole (null or left out: not known).
    #[graphql(guard = "Require(Access::Admin)")]
    async fn record_event_outcome(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the event.")] id: ID,
        #[graphql(desc = "The outcome.")] input: EventOutcomeInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Event> {
        let key = crate::id::expect_global_id(&id, NodeType::Event, "id")?;
        let work = UnitOfWork::begin(ctx).await?;
        let current = claim_version::<event::Entity>(work.txn(), key, expected_version, "Event").await?;
        let before = current.clone();
        let outcome = service::Outcome {
            held_on: input.held_on.map(|Date(d)| d),
            attendee_count: input.attendee_count,
            report: input.report,
        };
        let after = service::record_outcome(work.txn(), current, outcome).await?;
        work.commit(Change::updated(NodeType::Event, after.id, &before, &after)).await?;
        Ok(Event(after))
    }
}
