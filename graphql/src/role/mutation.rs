use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use entity::common::DatePrecision;
use entity::role_assignment::Entity as Roles;
use entity::role_assignment::{self, ChampionRole, RoleStatus};
use sea_orm::ModelTrait;

use super::RoleAssignment;
use super::service::{self, RoleChanges};
use crate::auth::guard::Require;
use crate::bus::ActivityKind;
use crate::context::Access;
use crate::country::find_by_iso3;
use crate::error::AppError;
use crate::error::Result;
use crate::id::{NodeType, expect_global_id};
use crate::scalars::Date;
use crate::validate::existing;
use crate::write::Change;
use crate::write::{UnitOfWork, claim_version};

/// A new role assignment; it starts open.
#[derive(InputObject)]
pub struct AssignRoleInput {
    /// ISO3 code of the country.
    pub country: String,
    /// The role to give; the country must not hold it already in an open assignment.
    pub role: ChampionRole,
    /// PROPOSED, COMMITTED or ACTIVE.
    #[graphql(default_with = "RoleStatus::Proposed")]
    pub status: RoleStatus,
    /// The day it started; required when `status` is ACTIVE.
    pub started_on: Option<Date>,
    /// How much of `startedOn` is known (DAY when omitted).
    #[graphql(default_with = "DatePrecision::Day")]
    pub started_precision: DatePrecision,
    /// Free-text notes, up to 20,000 characters.
    pub notes: Option<String>,
}

/// Changes to a role assignment; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateRoleAssignmentInput {
    /// The new status: an open one has no `endedOn`, COMPLETED and WITHDRAWN need one.
    pub status: Option<RoleStatus>,
    /// Set, or null to clear.
    pub started_on: MaybeUndefined<Date>,
    /// How much of `startedOn` is known; DAY for a new `startedOn` when omitted.
    pub started_precision: Option<DatePrecision>,
    /// Set, or null to clear; not before `startedOn`.
    pub ended_on: MaybeUndefined<Date>,
    /// Set, or null to clear.
    pub notes: MaybeUndefined<String>,
}

fn maybe_date(value: MaybeUndefined<Date>) -> Option<Option<chrono::NaiveDate>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(Date(d)) => Some(Some(d)),
    }
}

#[derive(Default)]
pub struct RoleMutation;

#[Object]
impl RoleMutation {
    /// Gives a country a Champion role. At most one open assignment per country and role.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn assign_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The country, the role and how the assignment starts.")] input: AssignRoleInput,
    ) -> Result<RoleAssignment> {
        let work = UnitOfWork::begin(ctx).await?;
        let country = find_by_iso3(work.txn(), &input.country, "country").await?;
        let assignment = service::assign(
            work.txn(),
            country.id,
            input.role,
            input.status,
            input.started_on.map(|Date(d)| d),
            input.started_precision,
            input.notes.as_deref(),
        )
        .await?;
        let committed = work.commit(Change::created(NodeType::RoleAssignment, assignment.id, &assignment)).await?;
        committed.publish(ActivityKind::RoleAssigned, assignment.id, Some(assignment.country_id), false).await;
        Ok(RoleAssignment(assignment))
    }

    /// Changes an assignment's status, dates or notes.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn update_role_assignment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the assignment.")] id: ID,
        #[graphql(desc = "The fields to change; those left out stay as they are.")] input: UpdateRoleAssignmentInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<RoleAssignment> {
        let key = expect_global_id(&id, NodeType::RoleAssignment, "id")?;
        let work = UnitOfWork::begin(ctx).await?;
        let current = claim_version::<Roles>(work.txn(), key, expected_version, "Role assignment").await?;
        let before = current.clone();
        let changes = RoleChanges {
            status: input.status,
            started_on: maybe_date(input.started_on),
            started_precision: input.started_precision,
            ended_on: maybe_date(input.ended_on),
            notes: match input.notes {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(v) => Some(Some(v)),
            },
        };
        let updated = service::change(work.txn(), current, changes).await?;
        let committed = work.commit(Change::updated(NodeType::RoleAssignment, updated.id, &before, &updated)).await?;
        if before.status.is_open() && !updated.status.is_open() {
            committed.publish(ActivityKind::RoleEnded, updated.id, Some(updated.country_id), false).await;
        }
        Ok(RoleAssignment(updated))
    }

    /// Ends an open assignment on `endedOn`, as COMPLETED (default) or WITHDRAWN.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn end_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the open assignment.")] id: ID,
        #[graphql(desc = "The day it ended; not before `startedOn`.")] ended_on: Date,
        #[graphql(default_with = "RoleStatus::Completed", desc = "COMPLETED (default) or WITHDRAWN.")]
        status: RoleStatus,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<RoleAssignment> {
        if status.is_open() {
            return Err(AppError::bad_input("status", "An ended assignment is COMPLETED or WITHDRAWN"));
        }
        let key = expect_global_id(&id, NodeType::RoleAssignment, "id")?;
        let work = UnitOfWork::begin(ctx).await?;
        let current = claim_version::<Roles>(work.txn(), key, expected_version, "Role assignment").await?;
        let before = current.clone();
        if !current.status.is_open() {
            return Err(AppError::Conflict {
                field: Some("id".into()),
                message: "The assignment has already ended".into(),
            });
        }
        let changes = RoleChanges {
            status: Some(status),
            started_on: None,
            started_precision: None,
            ended_on: Some(Some(ended_on.0)),
            notes: None,
        };
        let updated = service::change(work.txn(), current, changes).await?;
        let committed = work.commit(Change::updated(NodeType::RoleAssignment, updated.id, &before, &updated)).await?;
        committed.publish(ActivityKind::RoleEnded, updated.id, Some(updated.country_id), false).await;
        Ok(RoleAssignment(updated))
    }

    /// Removes an assignment recorded by mistake. Returns the removed assignment's id.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn delete_role_assignment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the assignment.")] id: ID,
    ) -> Result<ID> {
        let work = UnitOfWork::begin(ctx).await?;
        let assignment = existing::<role_assignment::Entity>(work.txn(), &id, NodeType::RoleAssignment, "id").await?;
        let before = assignment.clone();
        assignment.delete(work.txn()).await?;
        work.commit(Change::deleted(NodeType::RoleAssignment, before.id, &before)).await?;
        Ok(id)
    }
}
