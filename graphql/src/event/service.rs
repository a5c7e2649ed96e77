//! Event rules: a title, dates in order, bounded texts; one participation per country or
//! stakeholder and event; linked sections that exist.

use chrono::{NaiveDate, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::event::{self, EventKind};
use entity::event_participant::{self, ParticipationRole, ParticipationStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ModelTrait, PaginatorTrait, QueryFilter, Set,
    SqlErr,
};

use crate::error::{AppError, Result};
use crate::guide::find_section_by_code;
use crate::validate::{MAX_LINE_CHARS, MAX_TEXT_CHARS, date_order, optional_text, required_text};

/// Most sections one event can be linked to in one call.
pub const MAX_EVENT_SECTIONS: usize = 100;

/// Every writable field of an event, before or after checking.
#[derive(Clone, Debug)]
pub struct EventDraft {
    pub title: String,
    pub kind: EventKind,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub date_precision: DatePrecision,
    pub location: Option<String>,
    pub online: bool,
    pub organizer: Option<String>,
    pub description: Option<String>,
    pub source_note: Option<String>,
}

impl From<&event::Model> for EventDraft {
    fn from(model: &event::Model) -> Self {
        Self {
            title: model.title.clone(),
            kind: model.kind,
            starts_on: model.starts_on,
            ends_on: model.ends_on,
            date_precision: model.date_precision,
            location: model.location.clone(),
            online: model.online,
            organizer: model.organizer.clone(),
            description: model.description.clone(),
            source_note: model.source_note.clone(),
        }
    }
}

impl EventDraft {
    /// Checks every field and returns them normalised (texts trimmed, blanks as none).
    pub fn checked(self) -> Result<Self> {
        date_order(Some(self.starts_on), self.ends_on, "endsOn")?;
        Ok(Self {
            title: required_text(&self.title, "title", MAX_LINE_CHARS)?,
            location: optional_text(self.location.as_deref(), "location", MAX_LINE_CHARS)?,
            organizer: optional_text(self.organizer.as_deref(), "organizer", MAX_LINE_CHARS)?,
            description: optional_text(self.description.as_deref(), "description", MAX_TEXT_CHARS)?,
            source_note: optional_text(self.source_note.as_deref(), "sourceNote", MAX_TEXT_CHARS)?,
            ..self
        })
    }

    fn write_to(self, active: &mut event::ActiveModel) {
        active.title = Set(self.title);
        active.kind = Set(self.kind);
        active.starts_on = Set(self.starts_on);
        active.ends_on = Set(self.ends_on);
        active.date_precision = Set(self.date_precision);
        active.location = Set(self.location);
        active.online = Set(self.online);
        active.organizer = Set(self.organizer);
        active.description = Set(self.description);
        active.source_note = Set(self.source_note);
    }
}

/// Inserts a checked draft as a user-entered event.
pub async fn create(db: &impl ConnectionTrait, draft: EventDraft) -> Result<event::Model> {
    let now = Utc::now();
    let mut active = event::ActiveModel {
        provenance: Set(Provenance::UserEntered),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    draft.write_to(&mut active);
    Ok(active.insert(db).await?)
}

/// Writes a checked draft over an event already claimed at its expected version.
pub async fn update(db: &impl ConnectionTrait, claimed: event::Model, draft: EventDraft) -> Result<event::Model> {
    let mut active: event::ActiveModel = claimed.into();
    draft.write_to(&mut active);
    Ok(active.update(db).await?)
}

/// Who takes part: a country or a stakeholder, never both.
#[derive(Clone, Copy, Debug)]
pub enum Participant {
    Country(i32),
    Stakeholder(i32),
}

impl Participant {
    fn field(self) -> &'static str {
        match self {
            Self::Country(_) => "country",
            Self::Stakeholder(_) => "stakeholder",
        }
    }

    fn conflict(self) -> AppError {
        AppError::Conflict {
            field: Some(self.field().into()),
            message: format!(
                "This {} already takes part in the event; remove it first to change its role",
                self.field()
            ),
        }
    }
}

/// Adds a participant to an existing event; the same country or stakeholder twice is a conflict.
pub async fn add_participant(
    db: &impl ConnectionTrait,
    event_id: i32,
    participant: Participant,
    role: ParticipationRole,
    status: Option<ParticipationStatus>,
) -> Result<event_participant::Model> {
    use event_participant::Column;
    let same = match participant {
        Participant::Country(id) => Column::CountryId.eq(id),
        Participant::Stakeholder(id) => Column::StakeholderId.eq(id),
    };
    let existing = event_participant::Entity::find().filter(Column::EventId.eq(event_id)).filter(same).one(db).await?;
    if existing.is_some() {
        return Err(participant.conflict());
    }
    let now = Utc::now();
    let (country_id, stakeholder_id) = match participant {
        Participant::Country(id) => (Some(id), None),
        Participant::Stakeholder(id) => (None, Some(id)),
    };
    event_participant::ActiveModel {
        event_id: Set(event_id),
        country_id: Set(country_id),
        stakeholder_id: Set(stakeholder_id),
        role: Set(role),
        status: Set(status),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    // A concurrent writer that got past the check above still meets the unique index.
    .map_err(|error: DbErr| match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => participant.conflict(),
        _ => error.into(),
    })
}

/// Resolves section codes to ids, in the order given and without duplicates; an unknown code is
/// `NOT_FOUND` on `sections.i`.
pub async fn section_ids(db: &impl ConnectionTrait, codes: &[String]) -> Result<Vec<i32>> {
    if codes.len() > MAX_EVENT_SECTIONS {
        return Err(AppError::bad_input("sections", format!("At most {MAX_EVENT_SECTIONS} sections per event")));
    }
    let mut ids = Vec::with_capacity(codes.len());
    for (i, code) in codes.iter().enumerate() {
        let section = find_section_by_code(db, code, &format!("sections.{i}")).await?;
        if !ids.contains(&section.id) {
            ids.push(section.id);
        }
    }
    Ok(ids)
}

/// Deletes an event that nothing refers to: its participants, the feedback given at it and the
/// planned uses linked to it go first (deleting them with it would skip their own audit rows).
/// Its section links go with it.
pub async fn delete(db: &impl ConnectionTrait, event: event::Model) -> Result<()> {
    let participants =
        event_participant::Entity::find().filter(event_participant::Column::EventId.eq(event.id)).count(db).await?;
    let feedback =
        entity::feedback::Entity::find().filter(entity::feedback::Column::EventId.eq(event.id)).count(db).await?;
    let planned_uses = entity::planned_use_event::Entity::find()
        .filter(entity::planned_use_event::Column::EventId.eq(event.id))
        .count(db)
        .await?;
    crate::write::refuse_if_referenced(
        "event",
        &[("participant(s)", participants), ("feedback", feedback), ("planned use(s)", planned_uses)],
    )?;
    event.delete(db).await?;
    Ok(())
}

/// What happened at an event, as reported.
pub struct Outcome {
    pub held_on: Option<NaiveDate>,
    pub attendee_count: Option<i32>,
    pub report: Option<String>,
}

/// Most attendees an event can report (a sanity bound, not a venue's capacity).
const MAX_ATTENDEES: i32 = 1_000_000;

/// Records an event's outcome on the event already claimed at its expected version; an event
/// cannot have been held before it was planned to start by more than its date's precision allows.
pub async fn record_outcome(
    db: &impl ConnectionTrait,
    current: event::Model,
    outcome: Outcome,
) -> Result<event::Model> {
    if let Some(count) = outcome.attendee_count
        && !(0..=MAX_ATTENDEES).contains(&count)
    {
        return Err(AppError::bad_input("attendeeCount", format!("Between 0 and {MAX_ATTENDEES}")));
    }
    if let Some(held) = outcome.held_on
        && held > Utc::now().date_naive()
    {
        return Err(AppError::bad_input("heldOn", "An event is recorded as held once it has taken place"));
    }
    let report = optional_text(outcome.report.as_deref(), "report", MAX_TEXT_CHARS)?;
    let mut active: event::ActiveModel = current.into();
    active.held_on = Set(outcome.held_on);
    active.attendee_count = Set(outcome.attendee_count);
    active.outcome_report = Set(report);
    Ok(active.update(db).await?)
}
