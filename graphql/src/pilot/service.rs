//! Pilot rules: only the Secretariat and the country's own focal point write a pilot, and a
//! pilot's status and dates agree with each other.

use async_graphql::ID;
use chrono::{NaiveDate, Utc};
use entity::common::Provenance;
use entity::guide_version;
use entity::pilot::{self, PilotStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, PaginatorTrait, QueryFilter, Set,
};

use crate::context::Viewer;
use crate::country::{require_champion, writable_country};
use crate::error::{AppError, Result};
use crate::id::NodeType;
use crate::validate::{MAX_LINE_CHARS, MAX_TEXT_CHARS, date_order, existing, optional_text, required_text};

/// Not yet ended: PLANNED or IN_PROGRESS.
pub fn is_open(status: PilotStatus) -> bool {
    matches!(status, PilotStatus::Planned | PilotStatus::InProgress)
}

/// A started pilot has its start date; an ended one its end date, not before the start.
fn check_dates(status: PilotStatus, started_on: Option<NaiveDate>, ended_on: Option<NaiveDate>) -> Result<()> {
    date_order(started_on, ended_on, "endedOn")?;
    if matches!(status, PilotStatus::InProgress | PilotStatus::Completed) && started_on.is_none() {
        return Err(AppError::bad_input("startedOn", "An IN_PROGRESS or COMPLETED pilot needs its start date"));
    }
    match (is_open(status), ended_on) {
        (true, Some(_)) => {
            Err(AppError::bad_input("endedOn", "A pilot that has not ended has no end date; use recordPilotOutcome"))
        }
        (false, None) => Err(AppError::bad_input("endedOn", "A COMPLETED or CANCELLED pilot needs its end date")),
        _ => Ok(()),
    }
}

pub struct NewPilot<'a> {
    pub country: &'a str,
    pub guide_version: &'a ID,
    pub title: &'a str,
    pub status: PilotStatus,
    pub started_on: Option<NaiveDate>,
    pub summary: Option<&'a str>,
}

pub async fn create(db: &impl ConnectionTrait, viewer: &Viewer, new: NewPilot<'_>) -> Result<pilot::Model> {
    let country = writable_country(db, viewer, new.country, "country").await?;
    require_champion(&country, "country")?;
    let title = required_text(new.title, "title", MAX_LINE_CHARS)?;
    let summary = optional_text(new.summary, "summary", MAX_TEXT_CHARS)?;
    if !is_open(new.status) {
        return Err(AppError::bad_input(
            "status",
            "A new pilot is PLANNED or IN_PROGRESS; record how it ended with recordPilotOutcome",
        ));
    }
    check_dates(new.status, new.started_on, None)?;
    let version =
        existing::<guide_version::Entity>(db, new.guide_version, NodeType::GuideVersion, "guideVersion").await?;
    let now = Utc::now();
    Ok(pilot::ActiveModel {
        country_id: Set(country.id),
        guide_version_id: Set(version.id),
        title: Set(title),
        status: Set(new.status),
        started_on: Set(new.started_on),
        ended_on: Set(None),
        summary: Set(summary),
        outcome: Set(None),
        provenance: Set(Provenance::UserEntered),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Loads the pilot `id` names for a write: `NOT_FOUND` when there is none or the
/// viewer may not read it, `FORBIDDEN` when it may read but not write it.
pub async fn writable(db: &impl ConnectionTrait, viewer: &Viewer, id: &ID) -> Result<pilot::Model> {
    viewer.principal()?;
    let pilot = existing::<pilot::Entity>(db, id, NodeType::Pilot, "id").await?;
    viewer.require_record_writer(Some(pilot.country_id), "Pilot")?;
    Ok(pilot)
}

/// Changes to a pilot; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Default)]
pub struct PilotChanges {
    pub guide_version: Option<ID>,
    pub title: Option<String>,
    pub status: Option<PilotStatus>,
    pub started_on: Option<Option<NaiveDate>>,
    pub ended_on: Option<Option<NaiveDate>>,
    pub summary: Option<Option<String>>,
    pub outcome: Option<Option<String>>,
}

/// Applies changes to a pilot already claimed at its expected version.
pub async fn change(db: &impl ConnectionTrait, current: pilot::Model, changes: PilotChanges) -> Result<pilot::Model> {
    let title = match &changes.title {
        Some(title) => required_text(title, "title", MAX_LINE_CHARS)?,
        None => current.title.clone(),
    };
    let summary = match &changes.summary {
        Some(summary) => optional_text(summary.as_deref(), "summary", MAX_TEXT_CHARS)?,
        None => current.summary.clone(),
    };
    let outcome = match &changes.outcome {
        Some(outcome) => optional_text(outcome.as_deref(), "outcome", MAX_TEXT_CHARS)?,
        None => current.outcome.clone(),
    };
    let status = changes.status.unwrap_or(current.status);
    let started_on = changes.started_on.unwrap_or(current.started_on);
    let ended_on = changes.ended_on.unwrap_or(current.ended_on);
    check_dates(status, started_on, ended_on)?;
    let guide_version_id = match &changes.guide_version {
        Some(id) => existing::<guide_version::Entity>(db, id, NodeType::GuideVersion, "guideVersion").await?.id,
        None => current.guide_version_id,
    };
    let mut active: pilot::ActiveModel = current.into();
    active.guide_version_id = Set(guide_version_id);
    active.title = Set(title);
    active.status = Set(status);
    active.started_on = Set(started_on);
    active.ended_on = Set(ended_on);
    active.summary = Set(summary);
    active.outcome = Set(outcome);
    Ok(active.update(db).await?)
}

/// Deletes a pilot no feedback was given in (that feedback must be changed or removed first, with
/// its own audit row).
pub async fn delete(db: &impl ConnectionTrait, pilot: pilot::Model) -> Result<()> {
    let feedback =
        entity::feedback::Entity::find().filter(entity::feedback::Column::PilotId.eq(pilot.id)).count(db).await?;
    crate::write::refuse_if_referenced("pilot", &[("feedback", feedback)])?;
    pilot.delete(db).await?;
    Ok(())
}
