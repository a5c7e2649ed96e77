use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::common::Provenance;
use entity::pilot::{self, PilotStatus};
use entity::{country, guide_version};

use crate::country::Country;
use crate::engine::loader::{ForeignKey, by_id};
use crate::engine::object_list::ObjectList;
use crate::error::AppError;
use crate::error::Result;
use crate::guide::GuideVersion;
use crate::id::{NodeType, global_id};
use crate::scalars::Date;

/// A Champion country's pilot test of a version of the guidance.
pub struct Pilot(pub pilot::Model);

/// A Champion country's pilot test of a version of the guidance, and what it found. Private to the country: its focal
/// point reads and writes it, working-group leads read it, the Secretariat reads and writes all.
#[Object]
impl Pilot {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::Pilot, self.0.id)
    }
    /// The Champion country running the pilot.
    async fn country(&self, ctx: &Context<'_>) -> Result<Country> {
        let country = by_id::<country::Entity>(ctx, self.0.country_id)
            .await?
            .ok_or_else(|| AppError::internal("pilot without country"))?;
        Ok(Country(country))
    }
    /// The version of the guidance being tested.
    async fn guide_version(&self, ctx: &Context<'_>) -> Result<GuideVersion> {
        let version = by_id::<guide_version::Entity>(ctx, self.0.guide_version_id)
            .await?
            .ok_or_else(|| AppError::internal("pilot without guide version"))?;
        Ok(GuideVersion(version))
    }
    /// What the pilot is called.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Where it stands.
    async fn status(&self) -> PilotStatus {
        self.0.status
    }
    /// The day it started; always set for IN_PROGRESS and COMPLETED pilots.
    async fn started_on(&self) -> Option<Date> {
        self.0.started_on.map(Date)
    }
    /// Set once the pilot is COMPLETED or CANCELLED.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }
    /// What the pilot tests and how.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }
    /// What the pilot found, recorded when it ends.
    async fn outcome(&self) -> Option<&str> {
        self.0.outcome.as_deref()
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
    /// Feedback this pilot produced that the viewer may read.
    async fn feedback(&self, ctx: &Context<'_>) -> Result<ObjectList<crate::feedback::Feedback>> {
        crate::feedback::visible_children::<crate::feedback::FeedbackOfPilot>(ctx, self.0.id).await
    }
    /// Every recorded change to this record, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<crate::audit::AuditEntry>> {
        crate::audit::history(ctx, NodeType::Pilot, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

pub struct PilotsOfCountry;

impl ForeignKey for PilotsOfCountry {
    type Entity = pilot::Entity;
    fn column() -> pilot::Column {
        pilot::Column::CountryId
    }
    fn key_of(model: &pilot::Model) -> Option<i32> {
        Some(model.country_id)
    }
    fn order_column() -> pilot::Column {
        pilot::Column::StartedOn
    }
}
