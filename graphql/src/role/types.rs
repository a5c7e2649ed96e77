use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::country;
use entity::role_assignment::{self, ChampionRole, RoleStatus};

use crate::country::Country;
use crate::engine::loader::{ForeignKey, by_id};
use crate::engine::object_list::PlainFields;
use crate::error::AppError;
use crate::error::Result;
use crate::id::{NodeType, global_id};
use crate::scalars::Date;

/// A role a country plays for the guidance, over a period.
pub struct RoleAssignment(pub role_assignment::Model);

/// A Champion role a country plays (partner, tester, promoter or convenor) over a period, with its status. Readable by
/// every signed-in user; managed by the Secretariat.
#[Object]
impl RoleAssignment {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::RoleAssignment, self.0.id)
    }
    /// The country playing the role.
    async fn country(&self, ctx: &Context<'_>) -> Result<Country> {
        let country = by_id::<country::Entity>(ctx, self.0.country_id)
            .await?
            .ok_or_else(|| AppError::internal("role assignment without country"))?;
        Ok(Country(country))
    }
    /// The role played.
    async fn role(&self) -> ChampionRole {
        self.0.role
    }
    /// Where the assignment stands.
    async fn status(&self) -> RoleStatus {
        self.0.status
    }
    /// Still binding the country (proposed, committed or active).
    async fn is_open(&self) -> bool {
        self.0.status.is_open()
    }
    /// The day it started; required once it is ACTIVE.
    async fn started_on(&self) -> Option<Date> {
        self.0.started_on.map(Date)
    }
    /// How much of `startedOn` is known: DAY, or only the MONTH, QUARTER or YEAR (the date given is the period's first
    /// day).
    async fn started_precision(&self) -> Option<DatePrecision> {
        self.0.started_precision
    }
    /// The day it ended; set exactly when it is COMPLETED or WITHDRAWN.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }
    /// Free-text notes, e.g. what the country committed to.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
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
        crate::audit::history(ctx, NodeType::RoleAssignment, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

impl PlainFields for RoleAssignment {
    const PLAIN_FIELDS: &'static [&'static str] = &[
        "id",
        "role",
        "status",
        "isOpen",
        "startedOn",
        "startedPrecision",
        "endedOn",
        "notes",
        "provenance",
        "createdAt",
        "updatedAt",
        "version",
    ];
}

pub struct RolesOfCountry;

impl ForeignKey for RolesOfCountry {
    type Entity = role_assignment::Entity;
    fn column() -> role_assignment::Column {
        role_assignment::Column::CountryId
    }
    fn key_of(model: &role_assignment::Model) -> Option<i32> {
        Some(model.country_id)
    }
    fn order_column() -> role_assignment::Column {
        role_assignment::Column::Role
    }
}
