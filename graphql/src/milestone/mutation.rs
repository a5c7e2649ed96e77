use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use entity::common::DatePrecision;
use entity::guide_version;
use entity::milestone::{self, MilestoneStatus};
use sea_orm::{ConnectionTrait, ModelTrait};

use super::Milestone;
use super::service::{self, MilestoneDraft};
use crate::auth::guard::Require;
use crate::bus::ActivityKind;
use crate::context::Access;
use crate::error::{AppError, Result};
use crate::id::NodeType;
use crate::scalars::Date;
use crate::validate::{existing, existing_opt};
use crate::write::Change;
use crate::write::{UnitOfWork, claim_version};

/// A new milestone.
#[derive(InputObject)]
pub struct CreateMilestoneInput {
    /// What the milestone is, up to 500 characters.
    pub title: String,
    /// More about it, up to 20,000 characters.
    pub description: Option<String>,
    /// The planned date.
    pub due_on: Date,
    /// How exact `dueOn` is; DAY when omitted.
    #[graphql(default_with = "DatePrecision::Day")]
    pub due_precision: DatePrecision,
    /// Where it stands; PLANNED when omitted.
    #[graphql(default_with = "MilestoneStatus::Planned")]
    pub status: MilestoneStatus,
    /// Required when `status` is DONE, and only then.
    pub done_on: Option<Date>,
    /// The guide version this milestone produces or concerns.
    pub guide_version: Option<ID>,
    /// Where the information comes from.
    pub source_note: Option<String>,
}

/// Fields left out stay as they are; nullable fields set to null are cleared.
#[derive(InputObject)]
pub struct UpdateMilestoneInput {
    /// New title, up to 500 characters.
    pub title: Option<String>,
    /// New description, or null to clear.
    pub description: MaybeUndefined<String>,
    /// New planned date.
    pub due_on: Option<Date>,
    /// How exact `dueOn` is.
    pub due_precision: Option<DatePrecision>,
    /// Moving away from DONE needs `doneOn: null` as well.
    pub status: Option<MilestoneStatus>,
    /// The day it was done, set together with status DONE; null to clear.
    pub done_on: MaybeUndefined<Date>,
    /// Global id of the guide version it concerns, or null for none.
    pub guide_version: MaybeUndefined<ID>,
    /// Where the information comes from, or null to clear.
    pub source_note: MaybeUndefined<String>,
}

async fn guide_version_id(db: &impl ConnectionTrait, id: Option<&ID>) -> Result<Option<i32>> {
    let version = existing_opt::<guide_version::Entity>(db, id, NodeType::GuideVersion, "guideVersion").await?;
    Ok(version.map(|v| v.id))
}

#[derive(Default)]
pub struct MilestoneMutation;

#[Object]
impl MilestoneMutation {
    /// Records a milestone.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn create_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone to record.")] input: CreateMilestoneInput,
    ) -> Result<Milestone> {
        let work = UnitOfWork::begin(ctx).await?;
        let draft = MilestoneDraft {
            title: input.title,
            description: input.description,
            due_on: input.due_on.0,
            due_precision: input.due_precision,
            done_on: input.done_on.map(|Date(d)| d),
            status: input.status,
            guide_version_id: guide_version_id(work.txn(), input.guide_version.as_ref()).await?,
            source_note: input.source_note,
        }
        .checked()?;
        let created = service::create(work.txn(), draft).await?;
        work.commit(Change::created(NodeType::Milestone, created.id, &created)).await?;
        Ok(Milestone(created))
    }

    /// Changes a milestone's details or status.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn update_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the milestone.")] id: ID,
        #[graphql(desc = "The fields to change; those left out stay as they are.")] input: UpdateMilestoneInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Milestone> {
        let work = UnitOfWork::begin(ctx).await?;
        let current = existing::<milestone::Entity>(work.txn(), &id, NodeType::Milestone, "id").await?;
        let mut draft = MilestoneDraft::from(&current);
        if let Some(title) = input.title {
            draft.title = title;
        }
        input.description.update_to(&mut draft.description);
        if let Some(Date(day)) = input.due_on {
            draft.due_on = day;
        }
        if let Some(precision) = input.due_precision {
            draft.due_precision = precision;
        }
        if let Some(status) = input.status {
            draft.status = status;
        }
        input.done_on.map_value(|Date(d)| d).update_to(&mut draft.done_on);
        if let Some(version) = input.guide_version.as_opt_ref() {
            draft.guide_version_id = guide_version_id(work.txn(), version).await?;
        }
        input.source_note.update_to(&mut draft.source_note);
        // Checked against the row as read; the claim below fails if it changed since.
        let draft = draft.checked()?;
        let claimed = claim_version::<milestone::Entity>(work.txn(), current.id, expected_version, "Milestone").await?;
        let before = claimed.clone();
        let updated = service::update(work.txn(), claimed, draft).await?;
        let committed = work.commit(Change::updated(NodeType::Milestone, updated.id, &before, &updated)).await?;
        if before.status != updated.status {
            committed.publish(ActivityKind::MilestoneStatusChanged, updated.id, None, false).await;
        }
        Ok(Milestone(updated))
    }

    /// Marks a milestone DONE on `doneOn`. Completing one that is already DONE is a conflict.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn complete_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the milestone.")] id: ID,
        #[graphql(desc = "The day it was done.")] done_on: Date,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Milestone> {
        let work = UnitOfWork::begin(ctx).await?;
        let current = existing::<milestone::Entity>(work.txn(), &id, NodeType::Milestone, "id").await?;
        // Claim first: a stale version is a CONFLICT on `expectedVersion`, whatever else changed.
        let claimed = claim_version::<milestone::Entity>(work.txn(), current.id, expected_version, "Milestone").await?;
        let before = claimed.clone();
        if claimed.status == MilestoneStatus::Done {
            return Err(AppError::Conflict {
                field: Some("id".into()),
                message: "The milestone is already DONE".into(),
            });
        }
        let draft = MilestoneDraft { status: MilestoneStatus::Done, done_on: Some(done_on.0), ..(&claimed).into() };
        let updated = service::update(work.txn(), claimed, draft).await?;
        let committed = work.commit(Change::updated(NodeType::Milestone, updated.id, &before, &updated)).await?;
        if before.status != updated.status {
            committed.publish(ActivityKind::MilestoneStatusChanged, updated.id, None, false).await;
        }
        Ok(Milestone(updated))
    }

    /// Removes a milestone recorded by mistake. Returns the removed milestone's id.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn delete_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the milestone.")] id: ID,
    ) -> Result<ID> {
        let work = UnitOfWork::begin(ctx).await?;
        let milestone = existing::<milestone::Entity>(work.txn(), &id, NodeType::Milestone, "id").await?;
        let before = milestone.clone();
        milestone.delete(work.txn()).await?;
        work.commit(Change::deleted(NodeType::Milestone, before.id, &before)).await?;
        Ok(id)
    }
}
