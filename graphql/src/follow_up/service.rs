//! Follow-up rules: a title; exactly one owner, a country or a stakeholder; a DONE action has its
//! day done and only a DONE one has it; a due date's precision only with a due date.

use chrono::{NaiveDate, Utc};
use entity::common::DatePrecision;
use entity::follow_up_action::{self, ActionStatus};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::error::{AppError, Result};
use crate::validate::{MAX_LINE_CHARS, MAX_TEXT_CHARS, optional_text, required_text};

/// Who owns an action.
#[derive(Clone, Copy)]
pub enum Owner {
    Country(i32),
    Stakeholder(i32),
}

/// Every writable field of an action, before checking.
pub struct ActionDraft {
    pub title: String,
    pub description: Option<String>,
    pub owner: Owner,
    pub due_on: Option<NaiveDate>,
    pub due_precision: DatePrecision,
    pub status: ActionStatus,
    pub done_on: Option<NaiveDate>,
}

impl ActionDraft {
    pub fn of(model: &follow_up_action::Model) -> Result<Self> {
        let owner = match (model.owner_country_id, model.owner_stakeholder_id) {
            (Some(id), _) => Owner::Country(id),
            (None, Some(id)) => Owner::Stakeholder(id),
            (None, None) => return Err(AppError::internal("follow-up action without owner")),
        };
        Ok(Self {
            title: model.title.clone(),
            description: model.description.clone(),
            owner,
            due_on: model.due_on,
            due_precision: model.due_precision.unwrap_or(DatePrecision::Day),
            status: model.status,
            done_on: model.done_on,
        })
    }

    fn write_to(self, active: &mut follow_up_action::ActiveModel) -> Result<()> {
        let title = required_text(&self.title, "title", MAX_LINE_CHARS)?;
        let description = optional_text(self.description.as_deref(), "description", MAX_TEXT_CHARS)?;
        match (self.status, self.done_on) {
            (ActionStatus::Done, None) => {
                return Err(AppError::bad_input("doneOn", "A DONE action needs the day it was done"));
            }
            (status, Some(_)) if status != ActionStatus::Done => {
                return Err(AppError::bad_input("doneOn", "Only a DONE action has the day it was done"));
            }
            _ => {}
        }
        if self.done_on.is_some_and(|done| done > Utc::now().date_naive()) {
            return Err(AppError::bad_input("doneOn", "`doneOn` is in the future"));
        }
        let (country, stakeholder) = match self.owner {
            Owner::Country(id) => (Some(id), None),
            Owner::Stakeholder(id) => (None, Some(id)),
        };
        active.title = Set(title);
        active.description = Set(description);
        active.owner_country_id = Set(country);
        active.owner_stakeholder_id = Set(stakeholder);
        active.due_on = Set(self.due_on);
        active.due_precision = Set(self.due_on.map(|_| self.due_precision));
        active.status = Set(self.status);
        active.done_on = Set(self.done_on);
        Ok(())
    }
}

pub async fn create(db: &impl ConnectionTrait, event_id: i32, draft: ActionDraft) -> Result<follow_up_action::Model> {
    let now = Utc::now();
    let mut active = follow_up_action::ActiveModel {
        event_id: Set(event_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    draft.write_to(&mut active)?;
    Ok(active.insert(db).await?)
}

/// Writes `draft` over an action already claimed at its expected version.
pub async fn change(
    db: &impl ConnectionTrait,
    current: follow_up_action::Model,
    draft: ActionDraft,
) -> Result<follow_up_action::Model> {
    let mut active: follow_up_action::ActiveModel = current.into();
    draft.write_to(&mut active)?;
    Ok(active.update(db).await?)
}
