//! Who may read and write what: the row-visibility rules every read path applies (lists,
//! loaders, `node(id:)`, nested fields, `history`, subscriptions) and the write rights of each
//! role, in one place. The permission matrix in the README is this module's rules, and
//! `tests/api/permissions_matrix.rs` checks them through every path.
//!
//! The Secretariat (ADMIN) reads and writes everything. Working-group leads read everything and
//! triage, but author no country's records. A Champion focal point reads its own country's
//! private records (feedback, pilots, planned uses, contacts) and collective feedback, and writes
//! its own country's.

use entity::user_account::UserRole;
use entity::{contact, feedback, user_account};
use sea_orm::{ColumnTrait, Condition};

use crate::context::{Access, Principal, Viewer};
use crate::error::{AppError, Result};

impl Viewer {
    /// The one country whose private records (feedback, planned uses, pilots, contacts) this
    /// viewer may see: `Some` for a Champion focal point, `None` for roles that see all.
    pub fn country_scope(&self) -> Result<Option<i32>> {
        let principal = self.principal()?;
        match principal.role {
            UserRole::Champion => principal.country_id.map(Some).ok_or(AppError::Forbidden),
            UserRole::Admin | UserRole::WgLead => Ok(None),
        }
    }

    /// Whether this viewer may read private records of `country_id` (`None`: not a country's record).
    pub fn can_read_country(&self, country_id: Option<i32>) -> bool {
        match self.country_scope() {
            Ok(None) => true,
            Ok(Some(own)) => country_id == Some(own),
            Err(_) => false,
        }
    }

    /// May this viewer write private records of `country_id`? The Secretariat may for every
    /// country, a Champion focal point for its own; working-group leads triage but do not author.
    pub fn require_country_writer(&self, country_id: i32) -> Result<&Principal> {
        let principal = self.principal()?;
        match principal.role {
            UserRole::Admin => Ok(principal),
            UserRole::Champion if principal.country_id == Some(country_id) => Ok(principal),
            _ => Err(AppError::Forbidden),
        }
    }

    /// For a write to an existing record of `country_id`: a viewer who may not even read it gets
    /// `NOT_FOUND` (as for an unknown id, so ids cannot be probed); one who reads but may not
    /// write it gets `FORBIDDEN`.
    pub fn require_record_writer(&self, country_id: Option<i32>, entity: &'static str) -> Result<&Principal> {
        self.principal()?;
        if !self.can_read_country(country_id) {
            return Err(AppError::not_found(entity, "id"));
        }
        match country_id {
            Some(country_id) => self.require_country_writer(country_id),
            None => self.require(Access::Admin),
        }
    }
}

/// Restricts a list to the rows the viewer may read: a Champion focal point's own country,
/// everything for the Secretariat and working-group leads.
pub fn readable_rows(viewer: &Viewer, country_column: impl ColumnTrait) -> Result<Condition> {
    Ok(match viewer.country_scope()? {
        Some(own) => Condition::all().add(country_column.eq(own)),
        None => Condition::all(),
    })
}

/// The feedback rows `viewer` may read, as a condition on the feedback table.
pub fn visible_feedback(viewer: &Viewer) -> Result<Condition> {
    Ok(match viewer.country_scope()? {
        None => Condition::all(),
        Some(own) => Condition::any().add(feedback::Column::CountryId.eq(own)).add(
            Condition::all().add(feedback::Column::CountryId.is_null()).add(feedback::Column::StakeholderId.is_null()),
        ),
    })
}

/// [`visible_feedback`] for one loaded row.
pub fn can_read_feedback(viewer: &Viewer, row: &feedback::Model) -> bool {
    match viewer.country_scope() {
        Ok(None) => true,
        Ok(Some(own)) => row.country_id == Some(own) || (row.country_id.is_none() && row.stakeholder_id.is_none()),
        Err(_) => false,
    }
}

/// Whether `viewer` may read `contact`: a country's contacts like the country's other private
/// records; a stakeholder's (no country) only the Secretariat and working-group leads.
pub fn can_read_contact(viewer: &Viewer, contact: &contact::Model) -> bool {
    viewer.can_read_country(contact.country_id)
}

/// Whether `viewer` may read the account `user`: their own, and every account for the Secretariat.
pub fn can_read_user(viewer: &Viewer, user: &user_account::Model) -> bool {
    viewer.is_admin() || viewer.user_id() == Some(user.id)
}

/// Whether `viewer` reads every country's private records: the Secretariat and working-group leads.
pub fn sees_every_country(viewer: &Viewer) -> bool {
    matches!(viewer.country_scope(), Ok(None))
}

/// Whether `viewer` may see the email of whoever made a change: those who read every country's
/// records, and the actor themself; other Champion focal points see that a change was made.
pub fn can_see_actor_email(viewer: &Viewer, actor_id: Option<i32>) -> bool {
    sees_every_country(viewer) || viewer.user_id() == actor_id
}
