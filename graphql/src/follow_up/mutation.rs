use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use entity::common::DatePrecision;
use entity::follow_up_action::{self, ActionStatus};
use entity::{event, stakeholder};
use sea_orm::ModelTrait;

use super::FollowUpAction;
use super::service::{self, ActionDraft, Owner};
use crate::auth::guard::Require;
use crate::context::Access;
use crate::country::find_by_iso3;
use crate::error::{AppError, Result};
use crate::id::{NodeType, expect_global_id};
use crate::scalars::Date;
use crate::validate::existing;
use crate::write::{Change, UnitOfWork, claim_version};

/// A new follow-up action of an event.
#[derive(InputObject)]
pub struct AddFollowUpActionInput {
    /// Global id of the event that decided it.
    pub event: ID,
    /// What is to be done, up to 500 characters.
    pub title: String,
    /// More detail, up to 20,000 characters.
    pub description: Option<String>,
    /// ISO3 code of the country that owns it, or …
    pub owner_country: Option<String>,
    /// … the global id of the stakeholder that owns it; exactly one of the two.
    pub owner_stakeholder: Option<ID>,
    /// When it is due, as the first day of its period.
    pub due_on: Option<Date>,
    /// How much of `dueOn` is known (DAY when omitted).
    #[graphql(default_with = "DatePrecision::Day")]
    pub due_precision: DatePrecision,
    /// OPEN when omitted.
    #[graphql(default_with = "ActionStatus::Open")]
    pub status: ActionStatus,
    /// The day it was done, for a DONE action.
    pub done_on: Option<Date>,
}

/// Changes to a follow-up action; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateFollowUpActionInput {
    /// New title.
    pub title: Option<String>,
    /// Set, or null to clear.
    pub description: MaybeUndefined<String>,
    /// A new owning country (ISO3); replaces the owner.
    pub owner_country: Option<String>,
    /// A new owning stakeholder (global id); replaces the owner.
    pub owner_stakeholder: Option<ID>,
    /// Set, or null to clear.
    pub due_on: MaybeUndefined<Date>,
    /// How much of `dueOn` is known.
    pub due_precision: Option<DatePrecision>,
    /// The new status; DONE needs `doneOn`, the others have none.
    pub status: Option<ActionStatus>,
    /// Set, or null to clear.
    pub done_on: MaybeUndefined<Date>,
}

async fn owner(
    txn: &impl sea_orm::ConnectionTrait,
    country: Option<&str>,
    stakeholder: Option<&ID>,
) -> Result<Option<Owner>> {
    match (country, stakeholder) {
        (Some(iso3), None) => Ok(Some(Owner::Country(find_by_iso3(txn, iso3, "ownerCountry").await?.id))),
        (None, Some(id)) => Ok(Some(Owner::Stakeholder(
            existing::<stakeholder::Entity>(txn, id, NodeType::Stakeholder, "ownerStakeholder").await?.id,
        ))),
        (None, None) => Ok(None),
        (Some(_), Some(_)) => {
            Err(AppError::bad_input("ownerStakeholder", "Give exactly one of `ownerCountry` and `ownerStakeholder`"))
        }
    }
}

fn date(value: MaybeUndefined<Date>, current: Option<chrono::NaiveDate>) -> Option<chrono::NaiveDate> {
    match value {
        MaybeUndefined::Undefined => current,
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(Date(d)) => Some(d),
    }
}

#[derive(Default)]
pub struct FollowUpMutation;

#[Object]
impl FollowUpMutation {
    /// Records something an event decided should happen next, with its owner and due date.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn add_follow_up_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action and the event it comes from.")] input: AddFollowUpActionInput,
    ) -> Result<FollowUpAction> {
        let work = UnitOfWork::begin(ctx).await?;
        let event = existing::<event::Entity>(work.txn(), &input.event, NodeType::Event, "event").await?;
        let owner =
            owner(work.txn(), input.owner_country.as_deref(), input.owner_stakeholder.as_ref()).await?.ok_or_else(
                || AppError::bad_input("ownerCountry", "Name the owner: `ownerCountry` or `ownerStakeholder`"),
            )?;
        let draft = ActionDraft {
            title: input.title,
            description: input.description,
            owner,
            due_on: input.due_on.map(|Date(d)| d),
            due_precision: input.due_precision,
            status: input.status,
            done_on: input.done_on.map(|Date(d)| d),
        };
        let created = service::create(work.txn(), event.id, draft).await?;
        work.commit(Change::created(NodeType::FollowUpAction, created.id, &created)).await?;
        Ok(FollowUpAction(created))
    }

    /// Changes a follow-up action: its status (DONE with `doneOn`), owner, due date or text.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn update_follow_up_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the action.")] id: ID,
        #[graphql(desc = "The fields to change; those left out stay as they are.")] input: UpdateFollowUpActionInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<FollowUpAction> {
        let key = expect_global_id(&id, NodeType::FollowUpAction, "id")?;
        let work = UnitOfWork::begin(ctx).await?;
        let new_owner = owner(work.txn(), input.owner_country.as_deref(), input.owner_stakeholder.as_ref()).await?;
        let current =
            claim_version::<follow_up_action::Entity>(work.txn(), key, expected_version, "Follow-up action").await?;
        let before = current.clone();
        let mut draft = ActionDraft::of(&current)?;
        if let Some(title) = input.title {
            draft.title = title;
        }
        draft.description = match input.description {
            MaybeUndefined::Undefined => draft.description,
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(v) => Some(v),
        };
        draft.owner = new_owner.unwrap_or(draft.owner);
        draft.due_on = date(input.due_on, draft.due_on);
        draft.due_precision = input.due_precision.unwrap_or(draft.due_precision);
        draft.status = input.status.unwrap_or(draft.status);
        draft.done_on = date(input.done_on, draft.done_on);
        let updated = service::change(work.txn(), current, draft).await?;
        work.commit(Change::updated(NodeType::FollowUpAction, updated.id, &before, &updated)).await?;
        Ok(FollowUpAction(updated))
    }

    /// Removes an action recorded by mistake. Returns the removed action's id.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn delete_follow_up_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the action.")] id: ID,
    ) -> Result<ID> {
        let work = UnitOfWork::begin(ctx).await?;
        let action = existing::<follow_up_action::Entity>(work.txn(), &id, NodeType::FollowUpAction, "id").await?;
        let before = action.clone();
        action.delete(work.txn()).await?;
        work.commit(Change::deleted(NodeType::FollowUpAction, before.id, &before)).await?;
        Ok(id)
    }
}
