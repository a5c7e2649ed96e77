//! Role rules: roles are for Champion countries; at most one open assignment per (country, role);
//! dates in order.

use chrono::{NaiveDate, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::country;
use entity::role_assignment::{self, ChampionRole, RoleStatus};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::country::require_champion;
use crate::error::{AppError, Result};
use crate::validate::{MAX_TEXT_CHARS, date_order, optional_text};

pub struct RoleChanges {
    pub status: Option<RoleStatus>,
    pub started_on: Option<Option<NaiveDate>>,
    /// How much of the start is known; with a new `started_on`, DAY when `None`.
    pub started_precision: Option<DatePrecision>,
    pub ended_on: Option<Option<NaiveDate>>,
    pub notes: Option<Option<String>>,
}

async fn ensure_no_other_open(
    db: &impl ConnectionTrait,
    country_id: i32,
    role: ChampionRole,
    except_id: Option<i32>,
) -> Result<()> {
    let mut query = role_assignment::Entity::find()
        .filter(role_assignment::Column::CountryId.eq(country_id))
        .filter(role_assignment::Column::Role.eq(role))
        .filter(role_assignment::Column::Status.is_in([
            RoleStatus::Proposed,
            RoleStatus::Committed,
            RoleStatus::Active,
        ]));
    if let Some(id) = except_id {
        query = query.filter(role_assignment::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        return Err(AppError::Conflict {
            field: Some("role".into()),
            message: "The country already holds this role in an open assignment; end it first".into(),
        });
    }
    Ok(())
}

pub async fn assign(
    db: &impl ConnectionTrait,
    country_id: i32,
    role: ChampionRole,
    status: RoleStatus,
    started_on: Option<NaiveDate>,
    started_precision: DatePrecision,
    notes: Option<&str>,
) -> Result<role_assignment::Model> {
    if !status.is_open() {
        return Err(AppError::bad_input("status", "A new assignment starts as PROPOSED, COMMITTED or ACTIVE"));
    }
    if status == RoleStatus::Active && started_on.is_none() {
        return Err(AppError::bad_input("startedOn", "An ACTIVE assignment needs its start date"));
    }
    let notes = optional_text(notes, "notes", MAX_TEXT_CHARS)?;
    // Roles are played by Champions (as pilots and planned uses are): the roster decides who is one.
    let country = country::Entity::find_by_id(country_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Country", "country"))?;
    require_champion(&country, "country")?;
    ensure_no_other_open(db, country_id, role, None).await?;
    let now = Utc::now();
    role_assignment::ActiveModel {
        country_id: Set(country_id),
        role: Set(role),
        status: Set(status),
        started_on: Set(started_on),
        started_precision: Set(started_on.map(|_| started_precision)),
        ended_on: Set(None),
        notes: Set(notes),
        provenance: Set(Provenance::UserEntered),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(open_role_clash)
}

/// A concurrent writer that got past the check meets the partial unique index instead.
fn open_role_clash(error: sea_orm::DbErr) -> AppError {
    match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict {
            field: Some("role".into()),
            message: "The country already holds this role in an open assignment; end it first".into(),
        },
        _ => error.into(),
    }
}

/// Applies changes to an assignment already claimed at its expected version.
pub async fn change(
    db: &impl ConnectionTrait,
    current: role_assignment::Model,
    changes: RoleChanges,
) -> Result<role_assignment::Model> {
    let status = changes.status.unwrap_or(current.status);
    let started_on = changes.started_on.unwrap_or(current.started_on);
    let started_precision = match (started_on, changes.started_on, changes.started_precision) {
        (None, _, _) => None,
        (Some(_), _, Some(precision)) => Some(precision),
        (Some(_), Some(_), None) => Some(DatePrecision::Day),
        (Some(_), None, None) => current.started_precision,
    };
    let ended_on = changes.ended_on.unwrap_or(current.ended_on);
    date_order(started_on, ended_on, "endedOn")?;
    if status == RoleStatus::Active && started_on.is_none() {
        return Err(AppError::bad_input("startedOn", "An ACTIVE assignment needs its start date"));
    }
    if !status.is_open() && ended_on.is_none() {
        return Err(AppError::bad_input("endedOn", "A COMPLETED or WITHDRAWN assignment needs its end date"));
    }
    if status.is_open() && ended_on.is_some() {
        return Err(AppError::bad_input("endedOn", "An open assignment has no end date; use endRole"));
    }
    if status.is_open() && !current.status.is_open() {
        ensure_no_other_open(db, current.country_id, current.role, Some(current.id)).await?;
    }
    let notes = match changes.notes {
        Some(notes) => optional_text(notes.as_deref(), "notes", MAX_TEXT_CHARS)?,
        None => current.notes.clone(),
    };
    let mut active: role_assignment::ActiveModel = current.into();
    active.status = Set(status);
    active.started_on = Set(started_on);
    active.started_precision = Set(started_precision);
    active.ended_on = Set(ended_on);
    active.notes = Set(notes);
    active.update(db).await.map_err(open_role_clash)
}
