//! A role a Champion country plays for the guidance: partner, tester, promoter or convenor.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::{DatePrecision, Provenance};

/// A role a Champion country plays in the work on the guidance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChampionRole {
    /// Partner/collaborator: reviews drafts and sends written comments.
    #[sea_orm(string_value = "PARTNER")]
    Partner,
    /// Tester/piloter: pilots the guidance and reports back.
    #[sea_orm(string_value = "TESTER")]
    Tester,
    /// Promoter: highlights the guidance to other Member States.
    #[sea_orm(string_value = "PROMOTER")]
    Promoter,
    /// Convenor: initiates peer learning and supports other Member States.
    #[sea_orm(string_value = "CONVENOR")]
    Convenor,
}

/// Where a role assignment stands; the Secretariat sets it. PROPOSED, COMMITTED and ACTIVE are open (a country holds at
/// most one open assignment per role); COMPLETED and WITHDRAWN are ended and have `endedOn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoleStatus {
    /// Suggested for the country, not agreed yet.
    #[sea_orm(string_value = "PROPOSED")]
    Proposed,
    /// Agreed by the country, not started yet.
    #[sea_orm(string_value = "COMMITTED")]
    Committed,
    /// Being played; has `startedOn`.
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// Played to its end; has `endedOn`.
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    /// Given up before it was completed; has `endedOn`.
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
}

impl RoleStatus {
    /// Open assignments still bind the country; at most one per (country, role).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Proposed | Self::Committed | Self::Active)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "role_assignment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub country_id: i32,
    pub role: ChampionRole,
    pub status: RoleStatus,
    pub started_on: Option<Date>,
    /// How much of `started_on` is known; set exactly when `started_on` is.
    pub started_precision: Option<DatePrecision>,
    pub ended_on: Option<Date>,
    pub notes: Option<String>,
    pub provenance: Provenance,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
