use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use entity::pilot::{self, PilotStatus};

use super::Pilot;
use super::service::{self, NewPilot, PilotChanges, is_open};

use crate::auth::guard::{Require, viewer};
use crate::context::Access;
use crate::error::AppError;
use crate::error::Result;
use crate::id::NodeType;
use crate::scalars::Date;
use crate::validate::{MAX_TEXT_CHARS, required_text};
use crate::write::Change;
use crate::write::{UnitOfWork, claim_version};

/// A new pilot of a Champion country.
#[derive(InputObject)]
pub struct CreatePilotInput {
    /// ISO3 code of the Champion country running the pilot.
    pub country: String,
    /// The guide version being tested.
    pub guide_version: ID,
    /// What the pilot is called, up to 500 characters.
    pub title: String,
    /// PLANNED or IN_PROGRESS; a pilot ends through `recordPilotOutcome`.
    #[graphql(default_with = "PilotStatus::Planned")]
    pub status: PilotStatus,
    /// Required when IN_PROGRESS.
    pub started_on: Option<Date>,
    /// What it tests and how, up to 20,000 characters.
    pub summary: Option<String>,
}

/// Changes to a pilot; fields left out stay as they are. Status and dates must agree: a PLANNED or IN_PROGRESS pilot
/// has no `endedOn`, a COMPLETED or CANCELLED one needs it.
#[derive(InputObject)]
pub struct UpdatePilotInput {
    /// Global id of the guide version tested.
    pub guide_version: Option<ID>,
    /// New title, up to 500 characters.
    pub title: Option<String>,
    /// New status; `recordPilotOutcome` is the usual way to end a pilot.
    pub status: Option<PilotStatus>,
    /// Set, or null to clear.
    pub started_on: MaybeUndefined<Date>,
    /// Set, or null to clear; not before `startedOn`.
    pub ended_on: MaybeUndefined<Date>,
    /// Set, or null to clear.
    pub summary: MaybeUndefined<String>,
    /// Set, or null to clear.
    pub outcome: MaybeUndefined<String>,
}

fn maybe_date(value: MaybeUndefined<Date>) -> Option<Option<chrono::NaiveDate>> {
    value.map_value(|Date(day)| day).into()
}

#[derive(Default)]
pub struct PilotMutation;

#[Object]
impl PilotMutation {
    /// Records a pilot for a Champion country (a focal point: only its own country).
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn create_pilot(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The pilot to record.")] input: CreatePilotInput,
    ) -> Result<Pilot> {
        let work = UnitOfWork::begin(ctx).await?;
        let new = NewPilot {
            country: &input.country,
            guide_version: &input.guide_version,
            title: &input.title,
            status: input.status,
            started_on: input.started_on.map(|Date(day)| day),
            summary: input.summary.as_deref(),
        };
        let pilot = service::create(work.txn(), viewer(ctx), new).await?;
        work.commit(Change::created(NodeType::Pilot, pilot.id, &pilot)).await?;
        Ok(Pilot(pilot))
    }

    /// Changes a pilot's version, title, status, dates, summary or outcome.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn update_pilot(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the pilot.")] id: ID,
        #[graphql(desc = "The fields to change; those left out stay as they are.")] input: UpdatePilotInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Pilot> {
        let work = UnitOfWork::begin(ctx).await?;
        let current = service::writable(work.txn(), viewer(ctx), &id).await?;
        let claimed = claim_version::<pilot::Entity>(work.txn(), current.id, expected_version, "Pilot").await?;
        let before = claimed.clone();
        let changes = PilotChanges {
            guide_version: input.guide_version,
            title: input.title,
            status: input.status,
            started_on: maybe_date(input.started_on),
            ended_on: maybe_date(input.ended_on),
            summary: input.summary.into(),
            outcome: input.outcome.into(),
        };
        let updated = service::change(work.txn(), claimed, changes).await?;
        work.commit(Change::updated(NodeType::Pilot, updated.id, &before, &updated)).await?;
        Ok(Pilot(updated))
    }

    /// Ends a pilot on `endedOn` with what it found, as COMPLETED (default) or CANCELLED.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn record_pilot_outcome(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of a pilot that has not ended yet.")] id: ID,
        #[graphql(desc = "What the pilot found, up to 20,000 characters.")] outcome: String,
        #[graphql(desc = "The day it ended; not before `startedOn`.")] ended_on: Date,
        #[graphql(default_with = "PilotStatus::Completed", desc = "COMPLETED (default) or CANCELLED.")]
        status: PilotStatus,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Pilot> {
        let work = UnitOfWork::begin(ctx).await?;
        let current = service::writable(work.txn(), viewer(ctx), &id).await?;
        if is_open(status) {
            return Err(AppError::bad_input("status", "A pilot ends as COMPLETED or CANCELLED"));
        }
        let outcome = required_text(&outcome, "outcome", MAX_TEXT_CHARS)?;
        let claimed = claim_version::<pilot::Entity>(work.txn(), current.id, expected_version, "Pilot").await?;
        let before = claimed.clone();
        if !is_open(claimed.status) {
            return Err(AppError::Conflict {
                field: Some("id".into()),
                message: "The pilot has already ended; correct it with updatePilot".into(),
            });
        }
        let changes = PilotChanges {
            status: Some(status),
            ended_on: Some(Some(ended_on.0)),
            outcome: Some(Some(outcome)),
            ..Default::default()
        };
        let updated = service::change(work.txn(), claimed, changes).await?;
        work.commit(Change::updated(NodeType::Pilot, updated.id, &before, &updated)).await?;
        Ok(Pilot(updated))
    }

    /// Removes a pilot recorded by mistake; refused (`CONFLICT`) while feedback names it. Returns the removed pilot's
    /// id.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn delete_pilot(&self, ctx: &Context<'_>, #[graphql(desc = "Global id of the pilot.")] id: ID) -> Result<ID> {
        let work = UnitOfWork::begin(ctx).await?;
        let pilot = service::writable(work.txn(), viewer(ctx), &id).await?;
        let before = pilot.clone();
        service::delete(work.txn(), pilot).await?;
        work.commit(Change::deleted(NodeType::Pilot, before.id, &before)).await?;
        Ok(id)
    }
}
