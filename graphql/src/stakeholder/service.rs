//! Stakeholder rules: names are unique (ignoring case), and a stakeholder that feedback,
//! contacts or event participations still refer to is not deleted.

use chrono::Utc;
use entity::common::Provenance;
use entity::stakeholder::{self, StakeholderKind};
use entity::{contact, event_participant, feedback};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, Set, SqlErr,
};

use crate::error::{AppError, Result};
use crate::validate::{MAX_LINE_CHARS, MAX_TEXT_CHARS, optional_text, required_text};

/// Longest acronym (the column's width).
pub const MAX_ACRONYM_CHARS: usize = 32;

fn name_taken() -> AppError {
    AppError::Conflict { field: Some("name".into()), message: "A stakeholder with this name already exists".into() }
}

/// A unique-name clash the check below could not see (a concurrent writer) is still a CONFLICT.
fn write_error(error: DbErr) -> AppError {
    match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => name_taken(),
        _ => error.into(),
    }
}

async fn ensure_name_free(db: &impl ConnectionTrait, name: &str, except_id: Option<i32>) -> Result<()> {
    let mut query = stakeholder::Entity::find()
        .filter(Expr::expr(Func::lower(stakeholder::Column::Name.into_expr())).eq(name.to_lowercase()));
    if let Some(id) = except_id {
        query = query.filter(stakeholder::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() { Err(name_taken()) } else { Ok(()) }
}

pub struct NewStakeholder<'a> {
    pub name: &'a str,
    pub acronym: Option<&'a str>,
    pub kind: StakeholderKind,
    /// The country's id, already resolved by the caller.
    pub country_id: Option<i32>,
    pub description: Option<&'a str>,
    pub source_note: Option<&'a str>,
}

pub async fn create(db: &impl ConnectionTrait, new: NewStakeholder<'_>) -> Result<stakeholder::Model> {
    let name = required_text(new.name, "name", MAX_LINE_CHARS)?;
    let acronym = optional_text(new.acronym, "acronym", MAX_ACRONYM_CHARS)?;
    let description = optional_text(new.description, "description", MAX_TEXT_CHARS)?;
    let source_note = optional_text(new.source_note, "sourceNote", MAX_TEXT_CHARS)?;
    ensure_name_free(db, &name, None).await?;
    let now = Utc::now();
    stakeholder::ActiveModel {
        name: Set(name),
        acronym: Set(acronym),
        kind: Set(new.kind),
        country_id: Set(new.country_id),
        description: Set(description),
        provenance: Set(Provenance::UserEntered),
        source_note: Set(source_note),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(write_error)
}

/// Changes to a stakeholder; `None` leaves a field as it is, `Some(None)` clears it.
pub struct StakeholderChanges {
    pub name: Option<String>,
    pub acronym: Option<Option<String>>,
    pub kind: Option<StakeholderKind>,
    /// The country's id, already resolved by the caller.
    pub country_id: Option<Option<i32>>,
    pub description: Option<Option<String>>,
    pub source_note: Option<Option<String>>,
}

/// Applies changes to a stakeholder already claimed at its expected version.
pub async fn change(
    db: &impl ConnectionTrait,
    current: stakeholder::Model,
    changes: StakeholderChanges,
) -> Result<stakeholder::Model> {
    let name = match &changes.name {
        Some(name) => required_text(name, "name", MAX_LINE_CHARS)?,
        None => current.name.clone(),
    };
    let acronym = match &changes.acronym {
        Some(acronym) => optional_text(acronym.as_deref(), "acronym", MAX_ACRONYM_CHARS)?,
        None => current.acronym.clone(),
    };
    let description = match &changes.description {
        Some(text) => optional_text(text.as_deref(), "description", MAX_TEXT_CHARS)?,
        None => current.description.clone(),
    };
    let source_note = match &changes.source_note {
        Some(text) => optional_text(text.as_deref(), "sourceNote", MAX_TEXT_CHARS)?,
        None => current.source_note.clone(),
    };
    if name != current.name {
        ensure_name_free(db, &name, Some(current.id)).await?;
    }
    let kind = changes.kind.unwrap_or(current.kind);
    let country_id = changes.country_id.unwrap_or(current.country_id);
    let mut active: stakeholder::ActiveModel = current.into();
    active.name = Set(name);
    active.acronym = Set(acronym);
    active.kind = Set(kind);
    active.country_id = Set(country_id);
    active.description = Set(description);
    active.source_note = Set(source_note);
    active.update(db).await.map_err(write_error)
}

/// Deletes a stakeholder nothing refers to; otherwise `CONFLICT`, naming what still does.
pub async fn delete(db: &impl ConnectionTrait, stakeholder: stakeholder::Model) -> Result<()> {
    let id = stakeholder.id;
    let feedback = feedback::Entity::find().filter(feedback::Column::StakeholderId.eq(id)).count(db).await?;
    let contacts = contact::Entity::find().filter(contact::Column::StakeholderId.eq(id)).count(db).await?;
    let participations =
        event_participant::Entity::find().filter(event_participant::Column::StakeholderId.eq(id)).count(db).await?;
    if feedback + contacts + participations > 0 {
        return Err(AppError::Conflict {
            field: Some("id".into()),
            message: format!(
                "The stakeholder is still referred to by {feedback} feedback, {contacts} contact(s) and \
                 {participations} event participation(s); remove or reassign those first"
            ),
        });
    }
    // A reference added meanwhile by a concurrent writer still meets the foreign key.
    stakeholder::Entity::delete_by_id(id).exec(db).await.map_err(|error| match error.sql_err() {
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => AppError::Conflict {
            field: Some("id".into()),
            message: "The stakeholder is still referred to; remove or reassign those records first".into(),
        },
        _ => error.into(),
    })?;
    Ok(())
}
