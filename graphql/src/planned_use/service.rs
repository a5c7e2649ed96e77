//! Planned-use rules: who may write a country's planned uses, and the sections and events a use
//! links to exist.

use async_graphql::ID;
use chrono::{NaiveDate, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::event;
use entity::planned_use::{self, PlannedUseKind, PlannedUseStatus};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::{EventsOfPlannedUse, SectionsOfPlannedUse, SupportedCountriesOfPlannedUse};
use crate::context::Viewer;
use crate::country::{require_champion, supported_countries, writable_country};
use crate::engine::loader::replace_links;
use crate::error::{AppError, Result};
use crate::guide::find_sections_by_codes;
use crate::id::NodeType;
use crate::validate::{MAX_TEXT_CHARS, existing, existing_all, required_text};

/// Most sections, and most events, one planned use links to.
pub use crate::validate::MAX_LINKS;

async fn section_ids(db: &impl ConnectionTrait, codes: &[String]) -> Result<Vec<i32>> {
    if codes.len() > MAX_LINKS {
        return Err(AppError::bad_input("sections", format!("At most {MAX_LINKS} sections")));
    }
    Ok(find_sections_by_codes(db, codes, "sections").await?.into_iter().map(|s| s.id).collect())
}

async fn event_ids(db: &impl ConnectionTrait, ids: &[ID]) -> Result<Vec<i32>> {
    if ids.len() > MAX_LINKS {
        return Err(AppError::bad_input("events", format!("At most {MAX_LINKS} events")));
    }
    Ok(existing_all::<event::Entity>(db, ids, NodeType::Event, "events").await?.into_iter().map(|e| e.id).collect())
}

pub struct NewPlannedUse<'a> {
    pub country: &'a str,
    pub kind: PlannedUseKind,
    pub description: &'a str,
    pub status: PlannedUseStatus,
    pub target_date: Option<NaiveDate>,
    pub target_precision: DatePrecision,
    pub sections: &'a [String],
    pub events: &'a [ID],
    /// ISO3 codes of the other Member States it reaches or supports.
    pub supported_countries: &'a [String],
}

pub async fn create(db: &impl ConnectionTrait, viewer: &Viewer, new: NewPlannedUse<'_>) -> Result<planned_use::Model> {
    let country = writable_country(db, viewer, new.country, "country").await?;
    require_champion(&country, "country")?;
    let description = required_text(new.description, "description", MAX_TEXT_CHARS)?;
    let sections = section_ids(db, new.sections).await?;
    let events = event_ids(db, new.events).await?;
    let supported = supported_countries(db, new.supported_countries, "supportedCountries", Some(country.id)).await?;
    let now = Utc::now();
    let created = planned_use::ActiveModel {
        country_id: Set(country.id),
        kind: Set(new.kind),
        description: Set(description),
        status: Set(new.status),
        target_date: Set(new.target_date),
        target_precision: Set(new.target_date.map(|_| new.target_precision)),
        provenance: Set(Provenance::UserEntered),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    replace_links::<SectionsOfPlannedUse>(db, created.id, &sections).await?;
    replace_links::<EventsOfPlannedUse>(db, created.id, &events).await?;
    replace_links::<SupportedCountriesOfPlannedUse>(db, created.id, &supported).await?;
    Ok(created)
}

/// Loads the planned use `id` names for a write: `NOT_FOUND` when there is none or
/// the viewer may not read it, `FORBIDDEN` when it may read but not write it.
pub async fn writable(db: &impl ConnectionTrait, viewer: &Viewer, id: &ID) -> Result<planned_use::Model> {
    viewer.principal()?;
    let planned_use = existing::<planned_use::Entity>(db, id, NodeType::PlannedUse, "id").await?;
    viewer.require_record_writer(Some(planned_use.country_id), "Planned use")?;
    Ok(planned_use)
}

/// Changes to a planned use; `None` leaves a field as it is. Given section or event lists
/// replace the current links.
pub struct PlannedUseChanges {
    pub kind: Option<PlannedUseKind>,
    pub description: Option<String>,
    pub status: Option<PlannedUseStatus>,
    pub target_date: Option<Option<NaiveDate>>,
    pub target_precision: Option<DatePrecision>,
    pub sections: Option<Vec<String>>,
    pub events: Option<Vec<ID>>,
    pub supported_countries: Option<Vec<String>>,
}

/// Applies changes to a planned use already claimed at its expected version.
pub async fn change(
    db: &impl ConnectionTrait,
    current: planned_use::Model,
    changes: PlannedUseChanges,
) -> Result<planned_use::Model> {
    let description = match &changes.description {
        Some(text) => required_text(text, "description", MAX_TEXT_CHARS)?,
        None => current.description.clone(),
    };
    let sections = match &changes.sections {
        Some(codes) => Some(section_ids(db, codes).await?),
        None => None,
    };
    let events = match &changes.events {
        Some(ids) => Some(event_ids(db, ids).await?),
        None => None,
    };
    let supported = match &changes.supported_countries {
        Some(codes) => Some(supported_countries(db, codes, "supportedCountries", Some(current.country_id)).await?),
        None => None,
    };
    let id = current.id;
    let kind = changes.kind.unwrap_or(current.kind);
    let status = changes.status.unwrap_or(current.status);
    let target_date = changes.target_date.unwrap_or(current.target_date);
    let target_precision = match (target_date, changes.target_date, changes.target_precision) {
        (None, _, _) => None,
        (Some(_), _, Some(precision)) => Some(precision),
        (Some(_), Some(_), None) => Some(DatePrecision::Day),
        (Some(_), None, None) => current.target_precision,
    };
    let mut active: planned_use::ActiveModel = current.into();
    active.kind = Set(kind);
    active.description = Set(description);
    active.status = Set(status);
    active.target_date = Set(target_date);
    active.target_precision = Set(target_precision);
    let updated = active.update(db).await?;
    if let Some(sections) = sections {
        replace_links::<SectionsOfPlannedUse>(db, id, &sections).await?;
    }
    if let Some(events) = events {
        replace_links::<EventsOfPlannedUse>(db, id, &events).await?;
    }
    if let Some(supported) = supported {
        replace_links::<SupportedCountriesOfPlannedUse>(db, id, &supported).await?;
    }
    Ok(updated)
}
