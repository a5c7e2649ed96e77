use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::common::Provenance;
use entity::country;
use entity::role_assignment::{self, ChampionRole, RoleStatus};

use crate::country::Country;
use crate::error::AppError;
use crate::loader::{ForeignKey, by_id};
use crate::node::{NodeType, global_id};
use crate::object_list::PlainFields;
use crate::scalars::Date;

/// A role a country plays for the guidance, over a period.
pub struct RoleAssignment(pub role_assignment::Model);

#[Object]
impl RoleAssignment {
    pub async fn id(&self) -> ID {
        global_id(NodeType::RoleAssignment, self.0.id)
    }
    async fn country(&self, ctx: &Context<'_>) -> async_graphql::Result<Country> {
        let country = by_id::<country::Entity>(ctx, self.0.country_id)
            .await?
            .ok_or_else(|| AppError::internal("role assignment without country"))?;
        Ok(Country(country))
    }
    async fn role(&self) -> ChampionRole {
        self.0.role
    }
    async fn status(&self) -> RoleStatus {
        self.0.status
    }
    /// Still binding the country (proposed, committed or active).
    async fn is_open(&self) -> bool {
        self.0.status.is_open()
    }
    async fn started_on(&self) -> Option<Date> {
        self.0.started_on.map(Date)
    }
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn provenance(&self) -> Provenance {
        self.0.provenance
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every recorded change to this record, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<crate::audit::AuditEntry>> {
        Ok(crate::audit::history(ctx, crate::node::NodeType::RoleAssignment, self.0.id).await?)
    }
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
