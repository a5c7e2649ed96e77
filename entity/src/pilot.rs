//! A pilot test of a guide version in a Champion country.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::Provenance;

/// Where a pilot test stands; the country's focal point or the Secretariat sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PilotStatus {
    /// Agreed, not started yet.
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    /// Running; has `startedOn`.
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    /// Ended with its outcome recorded; has `startedOn` and `endedOn`.
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    /// Called off before it was completed; has `endedOn`.
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "pilot")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub country_id: i32,
    pub guide_version_id: i32,
    pub title: String,
    pub status: PilotStatus,
    pub started_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub summary: Option<String>,
    /// What the pilot found, recorded when it ends.
    pub outcome: Option<String>,
    pub provenance: Provenance,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
