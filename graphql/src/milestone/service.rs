//! Milestone rules: a title, bounded texts, and a done date exactly when the status is DONE.

use chrono::{NaiveDate, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::milestone::{self, MilestoneStatus};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::error::{AppError, Result};
use crate::validate::{MAX_LINE_CHARS, MAX_TEXT_CHARS, optional_text, required_text};

/// Every writable field of a milestone, before or after checking.
#[derive(Clone, Debug)]
pub struct MilestoneDraft {
    pub title: String,
    pub description: Option<String>,
    pub due_on: NaiveDate,
    pub due_precision: DatePrecision,
    pub done_on: Option<NaiveDate>,
    pub status: MilestoneStatus,
    pub guide_version_id: Option<i32>,
    pub source_note: Option<String>,
}

impl From<&milestone::Model> for MilestoneDraft {
    fn from(model: &milestone::Model) -> Self {
        Self {
            title: model.title.clone(),
            description: model.description.clone(),
            due_on: model.due_on,
            due_precision: model.due_precision,
            done_on: model.done_on,
            status: model.status,
            guide_version_id: model.guide_version_id,
            source_note: model.source_note.clone(),
        }
    }
}

impl MilestoneDraft {
    /// Checks every field and returns them normalised (texts trimmed, blanks as none).
    pub fn checked(self) -> Result<Self> {
        let title = required_text(&self.title, "title", MAX_LINE_CHARS)?;
        let description = optional_text(self.description.as_deref(), "description", MAX_TEXT_CHARS)?;
        let source_note = optional_text(self.source_note.as_deref(), "sourceNote", MAX_TEXT_CHARS)?;
        match (self.status, self.done_on) {
            (MilestoneStatus::Done, None) => {
                return Err(AppError::bad_input("doneOn", "A DONE milestone needs the day it was done"));
            }
            (status, Some(_)) if status != MilestoneStatus::Done => {
                return Err(AppError::bad_input("doneOn", "Only a DONE milestone has a done date; clear `doneOn`"));
            }
            _ => {}
        }
        Ok(Self { title, description, source_note, ..self })
    }

    fn write_to(self, active: &mut milestone::ActiveModel) {
        active.title = Set(self.title);
        active.description = Set(self.description);
        active.due_on = Set(self.due_on);
        active.due_precision = Set(self.due_precision);
        active.done_on = Set(self.done_on);
        active.status = Set(self.status);
        active.guide_version_id = Set(self.guide_version_id);
        active.source_note = Set(self.source_note);
    }
}

/// Inserts a checked draft as a user-entered milestone.
pub async fn create(db: &impl ConnectionTrait, draft: MilestoneDraft) -> Result<milestone::Model> {
    let now = Utc::now();
    let mut active = milestone::ActiveModel {
        provenance: Set(Provenance::UserEntered),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    draft.write_to(&mut active);
    Ok(active.insert(db).await?)
}

/// Writes a checked draft over a milestone already claimed at its expected version.
pub async fn update(
    db: &impl ConnectionTrait,
    claimed: milestone::Model,
    draft: MilestoneDraft,
) -> Result<milestone::Model> {
    let mut active: milestone::ActiveModel = claimed.into();
    draft.write_to(&mut active);
    Ok(active.update(db).await?)
}
