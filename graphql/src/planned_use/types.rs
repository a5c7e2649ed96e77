use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::planned_use::{self, PlannedUseKind, PlannedUseStatus};
use entity::{country, event, guide_section, planned_use_country, planned_use_event, planned_use_section};

use crate::country::Country;
use crate::engine::loader::{ForeignKey, LinkTable, by_id, linked};
use crate::engine::object_list::ObjectList;
use crate::error::AppError;
use crate::error::Result;
use crate::event::Event;
use crate::guide::Section;
use crate::id::{NodeType, global_id};
use crate::scalars::Date;

/// How a Champion country plans to use the guidance.
pub struct PlannedUse(pub planned_use::Model);

/// How a Champion country plans to use the guidance, with the sections it concerns and the events where it happens.
/// Private to the country, like its pilots.
#[Object]
impl PlannedUse {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::PlannedUse, self.0.id)
    }
    /// The Champion country.
    async fn country(&self, ctx: &Context<'_>) -> Result<Country> {
        let country = by_id::<country::Entity>(ctx, self.0.country_id)
            .await?
            .ok_or_else(|| AppError::internal("planned use without country"))?;
        Ok(Country(country))
    }
    /// What sort of use it is.
    async fn kind(&self) -> PlannedUseKind {
        self.0.kind
    }
    /// What the country plans to do.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// How far it has got.
    async fn status(&self) -> PlannedUseStatus {
        self.0.status
    }
    /// When it is meant to happen, if known.
    async fn target_date(&self) -> Option<Date> {
        self.0.target_date.map(Date)
    }
    /// How much of `targetDate` is known: DAY, or only the MONTH, QUARTER or YEAR (the date given is the period's first
    /// day).
    async fn target_precision(&self) -> Option<DatePrecision> {
        self.0.target_precision
    }
    /// The guide sections this use concerns.
    async fn sections(&self, ctx: &Context<'_>) -> Result<ObjectList<Section>> {
        Ok(linked::<SectionsOfPlannedUse>(ctx, self.0.id).await?.into_iter().map(Section).collect())
    }
    /// The other Member States this use reaches or supports (a convenor supporting peers), by id.
    async fn supported_countries(&self, ctx: &Context<'_>) -> Result<Vec<Country>> {
        let linked = linked::<SupportedCountriesOfPlannedUse>(ctx, self.0.id).await?;
        Ok(linked.into_iter().map(|c| Country(Arc::unwrap_or_clone(c))).collect())
    }
    /// The events at which this use happens.
    async fn events(&self, ctx: &Context<'_>) -> Result<Vec<Event>> {
        Ok(linked::<EventsOfPlannedUse>(ctx, self.0.id)
            .await?
            .into_iter()
            .map(|row| Event(Arc::unwrap_or_clone(row)))
            .collect())
    }
    /// Whether this record comes from a source, is illustrative demo data or was entered by a user.
    async fn provenance(&self) -> Provenance {
        self.0.provenance
    }
    /// When the record was created in the tracker.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every recorded change to this record, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<crate::audit::AuditEntry>> {
        crate::audit::history(ctx, NodeType::PlannedUse, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

pub struct PlannedUsesOfCountry;

impl ForeignKey for PlannedUsesOfCountry {
    type Entity = planned_use::Entity;
    fn column() -> planned_use::Column {
        planned_use::Column::CountryId
    }
    fn key_of(model: &planned_use::Model) -> Option<i32> {
        Some(model.country_id)
    }
    fn order_column() -> planned_use::Column {
        planned_use::Column::TargetDate
    }
}

/// planned use → the sections it concerns.
pub struct SectionsOfPlannedUse;

impl LinkTable for SectionsOfPlannedUse {
    type Link = planned_use_section::Entity;
    type Target = guide_section::Entity;
    fn owner_column() -> planned_use_section::Column {
        planned_use_section::Column::PlannedUseId
    }
    fn target_column() -> planned_use_section::Column {
        planned_use_section::Column::SectionId
    }
    fn owner_of(link: &planned_use_section::Model) -> i32 {
        link.planned_use_id
    }
    fn target_of(link: &planned_use_section::Model) -> i32 {
        link.section_id
    }
}

/// section → the planned uses concerning it (the same links, read the other way).
pub struct PlannedUsesOfSection;

impl LinkTable for PlannedUsesOfSection {
    type Link = planned_use_section::Entity;
    type Target = planned_use::Entity;
    fn owner_column() -> planned_use_section::Column {
        planned_use_section::Column::SectionId
    }
    fn target_column() -> planned_use_section::Column {
        planned_use_section::Column::PlannedUseId
    }
    fn owner_of(link: &planned_use_section::Model) -> i32 {
        link.section_id
    }
    fn target_of(link: &planned_use_section::Model) -> i32 {
        link.planned_use_id
    }
}

/// planned use → the events at which it happens.
pub struct EventsOfPlannedUse;

impl LinkTable for EventsOfPlannedUse {
    type Link = planned_use_event::Entity;
    type Target = event::Entity;
    fn owner_column() -> planned_use_event::Column {
        planned_use_event::Column::PlannedUseId
    }
    fn target_column() -> planned_use_event::Column {
        planned_use_event::Column::EventId
    }
    fn owner_of(link: &planned_use_event::Model) -> i32 {
        link.planned_use_id
    }
    fn target_of(link: &planned_use_event::Model) -> i32 {
        link.event_id
    }
}

/// planned use → the Member States it reaches or supports.
pub struct SupportedCountriesOfPlannedUse;

impl LinkTable for SupportedCountriesOfPlannedUse {
    type Link = planned_use_country::Entity;
    type Target = country::Entity;
    fn owner_column() -> planned_use_country::Column {
        planned_use_country::Column::PlannedUseId
    }
    fn target_column() -> planned_use_country::Column {
        planned_use_country::Column::CountryId
    }
    fn owner_of(link: &planned_use_country::Model) -> i32 {
        link.planned_use_id
    }
    fn target_of(link: &planned_use_country::Model) -> i32 {
        link.country_id
    }
}
