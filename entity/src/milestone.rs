//! A step of the guidance's production: translation, review rounds, editing, printing, online version.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::{DatePrecision, Provenance};

/// Where a production milestone stands; the Secretariat sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MilestoneStatus {
    /// Scheduled, not under way yet.
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    /// Under way and expected by its due date.
    #[sea_orm(string_value = "ON_TRACK")]
    OnTrack,
    /// Under way but may miss its due date.
    #[sea_orm(string_value = "AT_RISK")]
    AtRisk,
    /// Completed; `doneOn` gives the day.
    #[sea_orm(string_value = "DONE")]
    Done,
    /// Missed its due date and was pushed back.
    #[sea_orm(string_value = "SLIPPED")]
    Slipped,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "milestone")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    pub description: Option<String>,
    /// Planned date.
    pub due_on: Date,
    pub due_precision: DatePrecision,
    /// Actual date, once done.
    pub done_on: Option<Date>,
    pub status: MilestoneStatus,
    pub guide_version_id: Option<i32>,
    pub provenance: Provenance,
    pub source_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
