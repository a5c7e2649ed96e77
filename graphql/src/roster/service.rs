//! Roster rules: a country holds at most one open term of each kind; a co-chair is a Champion;
//! ending a Champion term ends what binds the country to the initiative (its co-chair term and
//! open roles) on the same day; the country row's Champion columns always say what its open
//! CHAMPION term says. Onboarding is designation, focal point and roles in one transaction.

use chrono::{NaiveDate, Utc};
use entity::champion_term::{self, ChampionTermKind, TermEnd};
use entity::common::{DatePrecision, Provenance};
use entity::role_assignment::{self, ChampionRole, RoleStatus};
use entity::user_account::UserRole;
use entity::{contact, country, user_account};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::contact::service::{self as contacts, NewContact};
use crate::context::Viewer;
use crate::error::{AppError, Result};
use crate::role::service as roles;
use crate::user::service::{self as users, NewUser};
use crate::validate::{MAX_TEXT_CHARS, optional_text};

/// A date as a source gives it: the first day of its period and how long the period is.
#[derive(Clone, Copy, Debug)]
pub struct StatedDate {
    pub on: NaiveDate,
    pub precision: DatePrecision,
}

/// A new term, as the Secretariat records it.
pub struct NewTerm<'a> {
    pub kind: ChampionTermKind,
    /// When it began; `None` when no source dates it.
    pub started: Option<StatedDate>,
    pub note: Option<&'a str>,
    pub source_note: Option<&'a str>,
    pub provenance: Provenance,
}

/// A record the change touched beside the one it is about, before and after, for the audit log.
pub enum Touched {
    Country(Box<(country::Model, country::Model)>),
    Term(champion_term::Model, champion_term::Model),
    Role(role_assignment::Model, role_assignment::Model),
}

fn open_clash(kind: ChampionTermKind) -> AppError {
    let message = match kind {
        ChampionTermKind::Champion => "The country is a Champion already; end its current term first",
        ChampionTermKind::CoChair => "The country is co-chair already; end its current co-chair term first",
    };
    AppError::Conflict { field: Some("country".into()), message: message.into() }
}

async fn open_term(
    db: &impl ConnectionTrait,
    country_id: i32,
    kind: ChampionTermKind,
) -> Result<Option<champion_term::Model>> {
    Ok(champion_term::Entity::find()
        .filter(champion_term::Column::CountryId.eq(country_id))
        .filter(champion_term::Column::Kind.eq(kind))
        .filter(champion_term::Column::EndReason.is_null())
        .one(db)
        .await?)
}

/// Opens a term for `country`: a designation, or a co-chair term of a country that is a Champion.
pub async fn open(
    db: &impl ConnectionTrait,
    country: &country::Model,
    new: NewTerm<'_>,
) -> Result<(champion_term::Model, Vec<Touched>)> {
    if new.kind == ChampionTermKind::CoChair && open_term(db, country.id, ChampionTermKind::Champion).await?.is_none() {
        return Err(AppError::bad_input(
            "country",
            format!("{} is not a Champion country; only a Champion co-chairs the initiative", country.name),
        ));
    }
    if open_term(db, country.id, new.kind).await?.is_some() {
        return Err(open_clash(new.kind));
    }
    let now = Utc::now();
    let term = champion_term::ActiveModel {
        country_id: Set(country.id),
        kind: Set(new.kind),
        started_on: Set(new.started.map(|d| d.on)),
        started_precision: Set(new.started.map(|d| d.precision)),
        ended_on: Set(None),
        ended_precision: Set(None),
        end_reason: Set(None),
        note: Set(optional_text(new.note, "note", MAX_TEXT_CHARS)?),
        provenance: Set(new.provenance),
        source_note: Set(optional_text(new.source_note, "sourceNote", MAX_TEXT_CHARS)?),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|error| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => open_clash(new.kind),
        _ => error.into(),
    })?;
    let touched = refresh_country(db, country.id).await?.into_iter().collect();
    Ok((term, touched))
}

/// How a term ends.
pub struct Ending<'a> {
    pub ended: StatedDate,
    pub reason: TermEnd,
    /// Replaces the term's note when given.
    pub note: Option<&'a str>,
}

/// Ends a term already claimed at its expected version. Ending a CHAMPION term also ends the
/// country's open co-chair term and open roles on the same day (roles as COMPLETED, or WITHDRAWN
/// when the country withdrew); each is returned for the audit log.
pub async fn end(
    db: &impl ConnectionTrait,
    current: champion_term::Model,
    ending: Ending<'_>,
) -> Result<(champion_term::Model, Vec<Touched>)> {
    if !current.is_open() {
        return Err(AppError::Conflict { field: Some("id".into()), message: "The term has already ended".into() });
    }
    if let Some(started) = current.started_on {
        crate::validate::date_order(Some(started), Some(ending.ended.on), "endedOn")?;
    }
    let note = match ending.note {
        Some(note) => optional_text(Some(note), "note", MAX_TEXT_CHARS)?,
        None => current.note.clone(),
    };
    let country_id = current.country_id;
    let kind = current.kind;
    let ended = close(db, current, &ending, note).await?;
    let mut touched = Vec::new();
    if kind == ChampionTermKind::Champion {
        if let Some(co_chair) = open_term(db, country_id, ChampionTermKind::CoChair).await? {
            let before = co_chair.clone();
            let note = co_chair.note.clone();
            let after = close(db, co_chair, &ending, note).await?;
            touched.push(Touched::Term(before, after));
        }
        let status = match ending.reason {
            TermEnd::Ended => RoleStatus::Completed,
            TermEnd::Withdrawn => RoleStatus::Withdrawn,
        };
        let open_roles = role_assignment::Entity::find()
            .filter(role_assignment::Column::CountryId.eq(country_id))
            .filter(role_assignment::Column::Status.is_in([
                RoleStatus::Proposed,
                RoleStatus::Committed,
                RoleStatus::Active,
            ]))
            .order_by_asc(role_assignment::Column::Id)
            .all(db)
            .await?;
        for role in open_roles {
            let before = role.clone();
            // Not before the role's own start (a role cannot end before it began).
            let ended_on = ending.ended.on.max(role.started_on.unwrap_or(ending.ended.on));
            let changes = roles::RoleChanges {
                status: Some(status),
                started_on: None,
                started_precision: None,
                ended_on: Some(Some(ended_on)),
                notes: None,
            };
            let after = roles::change(db, role, changes).await?;
            touched.push(Touched::Role(before, after));
        }
    }
    touched.extend(refresh_country(db, country_id).await?);
    Ok((ended, touched))
}

async fn close(
    db: &impl ConnectionTrait,
    term: champion_term::Model,
    ending: &Ending<'_>,
    note: Option<String>,
) -> Result<champion_term::Model> {
    let mut active: champion_term::ActiveModel = term.into();
    active.ended_on = Set(Some(ending.ended.on));
    active.ended_precision = Set(Some(ending.ended.precision));
    active.end_reason = Set(Some(ending.reason));
    active.note = Set(note);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Corrections to a term's record; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Default)]
pub struct TermCorrections {
    pub started: Option<Option<StatedDate>>,
    /// Only for an ended term: an open term has no end.
    pub ended: Option<StatedDate>,
    pub note: Option<Option<String>>,
    pub source_note: Option<Option<String>>,
    pub provenance: Option<Provenance>,
}

/// Corrects the dates, notes or provenance of a term already claimed at its expected version.
pub async fn correct(
    db: &impl ConnectionTrait,
    current: champion_term::Model,
    corrections: TermCorrections,
) -> Result<(champion_term::Model, Vec<Touched>)> {
    let started = corrections.started.unwrap_or_else(|| {
        current
            .started_on
            .map(|on| StatedDate { on, precision: current.started_precision.unwrap_or(DatePrecision::Day) })
    });
    if corrections.ended.is_some() && current.is_open() {
        return Err(AppError::bad_input("endedOn", "An open term has no end; end it with endChampionTerm"));
    }
    let ended_on = corrections.ended.map(|d| d.on).or(current.ended_on);
    crate::validate::date_order(started.map(|d| d.on), ended_on, "endedOn")?;
    let note = match corrections.note {
        Some(note) => optional_text(note.as_deref(), "note", MAX_TEXT_CHARS)?,
        None => current.note.clone(),
    };
    let source_note = match corrections.source_note {
        Some(note) => optional_text(note.as_deref(), "sourceNote", MAX_TEXT_CHARS)?,
        None => current.source_note.clone(),
    };
    let country_id = current.country_id;
    let provenance = corrections.provenance.unwrap_or(current.provenance);
    let mut active: champion_term::ActiveModel = current.into();
    active.started_on = Set(started.map(|d| d.on));
    active.started_precision = Set(started.map(|d| d.precision));
    if let Some(ended) = corrections.ended {
        active.ended_on = Set(Some(ended.on));
        active.ended_precision = Set(Some(ended.precision));
    }
    active.note = Set(note);
    active.source_note = Set(source_note);
    active.provenance = Set(provenance);
    active.updated_at = Set(Utc::now());
    let corrected = active.update(db).await?;
    let touched = refresh_country(db, country_id).await?.into_iter().collect();
    Ok((corrected, touched))
}

/// Makes the country row's Champion columns say what its open CHAMPION term says; returns the
/// row before and after when they changed.
async fn refresh_country(db: &impl ConnectionTrait, country_id: i32) -> Result<Option<Touched>> {
    let open = open_term(db, country_id, ChampionTermKind::Champion).await?;
    let before = country::Entity::find_by_id(country_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("champion term without country"))?;
    let (is_champion, since, precision, provenance, note) = match &open {
        Some(term) => (true, term.started_on, term.started_precision, Some(term.provenance), term.note.clone()),
        None => (false, None, None, None, None),
    };
    let unchanged = before.is_champion == is_champion
        && before.champion_since == since
        && before.champion_since_precision == precision
        && before.champion_provenance == provenance
        && before.champion_note == note;
    if unchanged {
        return Ok(None);
    }
    let mut active: country::ActiveModel = before.clone().into();
    active.is_champion = Set(is_champion);
    active.champion_since = Set(since);
    active.champion_since_precision = Set(precision);
    active.champion_provenance = Set(provenance);
    active.champion_note = Set(note);
    active.updated_at = Set(Utc::now());
    active.version = Set(before.version + 1);
    let after = active.update(db).await?;
    Ok(Some(Touched::Country(Box::new((before, after)))))
}

/// A focal point: the person who acts for a Champion country, as an account and a contact.
pub struct NewFocalPoint<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password: String,
    pub title: Option<&'a str>,
    pub phone: Option<&'a str>,
}

/// Creates a Champion country's focal point as one person: a CHAMPION account and the country's
/// contact linked to it, with the same name and email.
pub async fn create_focal_point(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    country: &country::Model,
    person: NewFocalPoint<'_>,
) -> Result<(user_account::Model, contact::Model)> {
    let user = users::create_user_in(
        db,
        NewUser {
            email: person.email.to_owned(),
            display_name: Some(person.name.to_owned()),
            password: person.password,
            role: UserRole::Champion,
            country_iso3: Some(country.iso3.clone()),
        },
    )
    .await?;
    let contact = contacts::create(
        db,
        viewer,
        NewContact {
            name: person.name,
            email: Some(&user.email),
            title: person.title,
            phone: person.phone,
            country: Some(&country.iso3),
            stakeholder: None,
            notes: None,
            user_id: Some(user.id),
        },
    )
    .await?;
    Ok((user, contact))
}

/// Gives a new Champion the roles it agreed to, as PROPOSED (or the given open status).
pub async fn assign_roles(
    db: &impl ConnectionTrait,
    country_id: i32,
    wanted: &[ChampionRole],
    status: RoleStatus,
    started_on: Option<NaiveDate>,
    precision: DatePrecision,
) -> Result<Vec<role_assignment::Model>> {
    let mut seen = Vec::new();
    let mut assigned = Vec::new();
    for (i, role) in wanted.iter().enumerate() {
        if seen.contains(role) {
            return Err(AppError::bad_input(format!("roles.{i}"), "Each role is given once"));
        }
        seen.push(*role);
        assigned.push(roles::assign(db, country_id, *role, status, started_on, precision, None).await?);
    }
    Ok(assigned)
}

/// The CHAMPION (or CO_CHAIR) terms known to hold on `day`: begun by then, counting a start known
/// only to the month, quarter or year from the end of that period (so nothing is claimed for days
/// the sources do not cover), and not ended by then, counting an end from the start of its period.
/// Undated starts are not counted.
pub fn holds_on(term: &champion_term::Model, day: NaiveDate) -> bool {
    let Some(started) = term.started_on else { return false };
    let known_from = term.started_precision.unwrap_or(DatePrecision::Day).last_day(started);
    let ended_before = match (term.end_reason, term.ended_on) {
        (None, _) => false,
        (Some(_), Some(ended)) => ended <= day,
        // Ended, but no source says when: not known to hold on any day after it began.
        (Some(_), None) => true,
    };
    known_from <= day && !ended_before
}
