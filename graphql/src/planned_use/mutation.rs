use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use entity::common::DatePrecision;
use entity::planned_use::{self, PlannedUseKind, PlannedUseStatus};
use sea_orm::ModelTrait;

use super::service::{self, NewPlannedUse, PlannedUseChanges};
use super::{EventsOfPlannedUse, PlannedUse, SectionsOfPlannedUse, SupportedCountriesOfPlannedUse};
use serde_json::Value;

use crate::auth::guard::{Require, viewer};
use crate::bus::ActivityKind;
use crate::context::Access;
use crate::error::Result;
use crate::id::NodeType;
use crate::scalars::Date;
use crate::write::Change;
use crate::write::{UnitOfWork, claim_version};

/// A new planned use of a Champion country.
#[derive(InputObject)]
pub struct CreatePlannedUseInput {
    /// ISO3 code of the Champion country.
    pub country: String,
    /// What sort of use it is.
    pub kind: PlannedUseKind,
    /// What the country plans to do, up to 20,000 characters.
    pub description: String,
    /// How far it has got; PLANNED when omitted.
    #[graphql(default_with = "PlannedUseStatus::Planned")]
    pub status: PlannedUseStatus,
    /// When it is meant to happen, as the first day of its period.
    pub target_date: Option<Date>,
    /// How much of `targetDate` is known (DAY when omitted): "by the end of 2022" is YEAR.
    #[graphql(default_with = "DatePrecision::Day")]
    pub target_precision: DatePrecision,
    /// Codes of the guide sections concerned, e.g. `["III.A", "STEP-3"]`.
    pub sections: Option<Vec<String>>,
    /// Global ids of the events at which the use happens.
    pub events: Option<Vec<ID>>,
    /// ISO3 codes of the other Member States it reaches or supports (a convenor's peers).
    pub supported_countries: Option<Vec<String>>,
}

/// Changes to a planned use; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdatePlannedUseInput {
    /// New kind of use.
    pub kind: Option<PlannedUseKind>,
    /// New description, up to 20,000 characters.
    pub description: Option<String>,
    /// New status, e.g. DONE once carried out.
    pub status: Option<PlannedUseStatus>,
    /// Set, or null to clear.
    pub target_date: MaybeUndefined<Date>,
    /// How much of `targetDate` is known; DAY for a new `targetDate` when omitted.
    pub target_precision: Option<DatePrecision>,
    /// Replaces the linked sections (an empty list removes them all).
    pub sections: Option<Vec<String>>,
    /// Replaces the linked events (an empty list removes them all).
    pub events: Option<Vec<ID>>,
    /// Replaces the Member States reached or supported (ISO3 codes; an empty list removes them all).
    pub supported_countries: Option<Vec<String>>,
}

#[derive(Default)]
pub struct PlannedUseMutation;

#[Object]
impl PlannedUseMutation {
    /// Records how a Champion country plans to use the guidance (a focal point: only its own country).
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn create_planned_use(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The planned use to record, with its sections and events.")] input: CreatePlannedUseInput,
    ) -> Result<PlannedUse> {
        let work = UnitOfWork::begin(ctx).await?;
        let new = NewPlannedUse {
            country: &input.country,
            kind: input.kind,
            description: &input.description,
            status: input.status,
            target_date: input.target_date.map(|Date(day)| day),
            target_precision: input.target_precision,
            sections: input.sections.as_deref().unwrap_or_default(),
            events: input.events.as_deref().unwrap_or_default(),
            supported_countries: input.supported_countries.as_deref().unwrap_or_default(),
        };
        let created = service::create(work.txn(), viewer(ctx), new).await?;
        let extra = vec![
            (
                "sections",
                Value::Null,
                crate::write::linked_section_codes::<SectionsOfPlannedUse>(work.txn(), created.id).await?,
            ),
            (
                "events",
                Value::Null,
                crate::write::linked_ids::<EventsOfPlannedUse>(work.txn(), created.id, NodeType::Event).await?,
            ),
            ("supportedCountries", Value::Null, supported_codes(work.txn(), created.id).await?),
        ];
        let committed = work.commit(Change::created(NodeType::PlannedUse, created.id, &created).with(extra)).await?;
        committed.publish(ActivityKind::PlannedUseChanged, created.id, Some(created.country_id), false).await;
        Ok(PlannedUse(created))
    }

    /// Changes a planned use's kind, description, status, target date, sections or events.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn update_planned_use(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the planned use.")] id: ID,
        #[graphql(desc = "The fields to change; those left out stay as they are.")] input: UpdatePlannedUseInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<PlannedUse> {
        let work = UnitOfWork::begin(ctx).await?;
        let current = service::writable(work.txn(), viewer(ctx), &id).await?;
        let claimed =
            claim_version::<planned_use::Entity>(work.txn(), current.id, expected_version, "Planned use").await?;
        let before = claimed.clone();
        let changes = PlannedUseChanges {
            kind: input.kind,
            description: input.description,
            status: input.status,
            target_date: input.target_date.map_value(|Date(day)| day).into(),
            target_precision: input.target_precision,
            sections: input.sections,
            events: input.events,
            supported_countries: input.supported_countries,
        };
        let sections_before = crate::write::linked_section_codes::<SectionsOfPlannedUse>(work.txn(), before.id).await?;
        let events_before =
            crate::write::linked_ids::<EventsOfPlannedUse>(work.txn(), before.id, NodeType::Event).await?;
        let supported_before = supported_codes(work.txn(), before.id).await?;
        let updated = service::change(work.txn(), claimed, changes).await?;
        let extra = vec![
            (
                "sections",
                sections_before,
                crate::write::linked_section_codes::<SectionsOfPlannedUse>(work.txn(), updated.id).await?,
            ),
            (
                "events",
                events_before,
                crate::write::linked_ids::<EventsOfPlannedUse>(work.txn(), updated.id, NodeType::Event).await?,
            ),
            ("supportedCountries", supported_before, supported_codes(work.txn(), updated.id).await?),
        ];
        let committed =
            work.commit(Change::updated(NodeType::PlannedUse, updated.id, &before, &updated).with(extra)).await?;
        committed.publish(ActivityKind::PlannedUseChanged, updated.id, Some(updated.country_id), false).await;
        Ok(PlannedUse(updated))
    }

    /// Removes a planned use and its links. Returns the removed use's id.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn delete_planned_use(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the planned use.")] id: ID,
    ) -> Result<ID> {
        let work = UnitOfWork::begin(ctx).await?;
        let planned_use = service::writable(work.txn(), viewer(ctx), &id).await?;
        let before = planned_use.clone();
        planned_use.delete(work.txn()).await?;
        let committed = work.commit(Change::deleted(NodeType::PlannedUse, before.id, &before)).await?;
        committed.publish(ActivityKind::PlannedUseChanged, before.id, Some(before.country_id), true).await;
        Ok(id)
    }
}

/// The ISO3 codes of the Member States a planned use supports, for its audit row.
async fn supported_codes(txn: &impl sea_orm::ConnectionTrait, id: i32) -> Result<Value> {
    crate::write::linked_country_codes::<SupportedCountriesOfPlannedUse>(txn, id).await
}
