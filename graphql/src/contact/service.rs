//! Contact rules: a contact belongs to exactly one of a country or a stakeholder; who may write
//! it follows from that owner; its email and phone are well-formed.

use async_graphql::ID;
use chrono::Utc;
use entity::{contact, stakeholder};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::context::{Access, Viewer};
use crate::country::writable_country;
use crate::error::{AppError, Result};
use crate::id::NodeType;
use crate::user::service::normalize_email;
use crate::validate::{MAX_TEXT_CHARS, existing, optional_text, required_text};

/// Longest name and title (the columns' width).
pub const MAX_NAME_CHARS: usize = 200;
/// Longest phone number as written, with spaces and punctuation.
pub const MAX_PHONE_CHARS: usize = 64;

fn email(value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(email) => normalize_email(email).map(Some),
        None => Ok(None),
    }
}

/// Digits with the usual punctuation (`+41 22 917 1234`, `(503) 2222-0000`).
fn phone(value: Option<&str>) -> Result<Option<String>> {
    let Some(phone) = optional_text(value, "phone", MAX_PHONE_CHARS)? else {
        return Ok(None);
    };
    let allowed = phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !allowed || digits < 4 {
        return Err(AppError::bad_input("phone", "A phone number has digits, spaces and + - ( ) . only"));
    }
    Ok(Some(phone))
}

/// The checked, normalized text fields of a contact.
struct Details {
    name: String,
    email: Option<String>,
    title: Option<String>,
    phone: Option<String>,
    notes: Option<String>,
}

pub struct NewContact<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub title: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// ISO3 code of the country, or …
    pub country: Option<&'a str>,
    /// … the stakeholder's global id; exactly one of the two.
    pub stakeholder: Option<&'a ID>,
    pub notes: Option<&'a str>,
    /// The person's own account, when the contact is a user too (see `roster::create_focal_point`).
    pub user_id: Option<i32>,
}

pub async fn create(db: &impl ConnectionTrait, viewer: &Viewer, new: NewContact<'_>) -> Result<contact::Model> {
    let (country_id, stakeholder_id) = match (new.country, new.stakeholder) {
        (Some(iso3), None) => (Some(writable_country(db, viewer, iso3, "country").await?.id), None),
        (None, Some(id)) => {
            viewer.require(Access::Admin)?;
            (None, Some(existing::<stakeholder::Entity>(db, id, NodeType::Stakeholder, "stakeholder").await?.id))
        }
        _ => {
            return Err(AppError::bad_input(
                "country",
                "A contact belongs to exactly one of a country or a stakeholder: give `country` or `stakeholder`",
            ));
        }
    };
    let details = Details {
        name: required_text(new.name, "name", MAX_NAME_CHARS)?,
        email: email(new.email)?,
        title: optional_text(new.title, "title", MAX_NAME_CHARS)?,
        phone: phone(new.phone)?,
        notes: optional_text(new.notes, "notes", MAX_TEXT_CHARS)?,
    };
    let now = Utc::now();
    Ok(contact::ActiveModel {
        name: Set(details.name),
        email: Set(details.email),
        title: Set(details.title),
        phone: Set(details.phone),
        country_id: Set(country_id),
        stakeholder_id: Set(stakeholder_id),
        notes: Set(details.notes),
        user_id: Set(new.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Whether `viewer` may write contacts of this owner: a country's like its other private
/// records, a stakeholder's only the Secretariat.
fn require_writer(viewer: &Viewer, contact: &contact::Model) -> Result<()> {
    viewer.require_record_writer(contact.country_id, "Contact").map(|_| ())
}

/// Loads the contact `id` names for a write: `NOT_FOUND` when there is none, `FORBIDDEN` when
/// the viewer may not write it.
pub async fn writable(db: &impl ConnectionTrait, viewer: &Viewer, id: &ID) -> Result<contact::Model> {
    viewer.principal()?;
    let contact = existing::<contact::Entity>(db, id, NodeType::Contact, "id").await?;
    require_writer(viewer, &contact)?;
    Ok(contact)
}

/// Changes to a contact; `None` leaves a field as it is, `Some(None)` clears it.
pub struct ContactChanges {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub title: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

/// Applies changes to a contact already claimed at its expected version.
pub async fn change(
    db: &impl ConnectionTrait,
    current: contact::Model,
    changes: ContactChanges,
) -> Result<contact::Model> {
    let details = Details {
        name: match &changes.name {
            Some(name) => required_text(name, "name", MAX_NAME_CHARS)?,
            None => current.name.clone(),
        },
        email: match &changes.email {
            Some(value) => email(value.as_deref())?,
            None => current.email.clone(),
        },
        title: match &changes.title {
            Some(value) => optional_text(value.as_deref(), "title", MAX_NAME_CHARS)?,
            None => current.title.clone(),
        },
        phone: match &changes.phone {
            Some(value) => phone(value.as_deref())?,
            None => current.phone.clone(),
        },
        notes: match &changes.notes {
            Some(value) => optional_text(value.as_deref(), "notes", MAX_TEXT_CHARS)?,
            None => current.notes.clone(),
        },
    };
    let mut active: contact::ActiveModel = current.into();
    active.name = Set(details.name);
    active.email = Set(details.email);
    active.title = Set(details.title);
    active.phone = Set(details.phone);
    active.notes = Set(details.notes);
    Ok(active.update(db).await?)
}
