//! How a Champion country plans to use the guidance.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::{DatePrecision, Provenance};

/// How a Champion country means to use the guidance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlannedUseKind {
    /// To prepare or revise a national GCM implementation plan.
    #[sea_orm(string_value = "NATIONAL_IMPLEMENTATION_PLAN")]
    NationalImplementationPlan,
    /// To mainstream the GCM into other national strategies and policies.
    #[sea_orm(string_value = "MAINSTREAMING")]
    Mainstreaming,
    /// To promote the guidance to other Member States.
    #[sea_orm(string_value = "PROMOTION")]
    Promotion,
    /// To share experience with other States in peer learning.
    #[sea_orm(string_value = "PEER_LEARNING")]
    PeerLearning,
    /// At the International Migration Review Forum (IMRF) or in preparing for it.
    #[sea_orm(string_value = "IMRF")]
    Imrf,
    /// In a regional review of GCM implementation.
    #[sea_orm(string_value = "REGIONAL_REVIEW")]
    RegionalReview,
    /// To train officials or other actors.
    #[sea_orm(string_value = "TRAINING")]
    Training,
    /// Any other use; `description` says which.
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// How far a planned use has got; set by whoever writes the planned use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlannedUseStatus {
    /// Intended, not started yet.
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    /// Under way.
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    /// Carried out.
    #[sea_orm(string_value = "DONE")]
    Done,
    /// Given up; a Champion whose uses are all DROPPED counts as having no planned use.
    #[sea_orm(string_value = "DROPPED")]
    Dropped,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "planned_use")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub country_id: i32,
    pub kind: PlannedUseKind,
    pub description: String,
    pub status: PlannedUseStatus,
    pub target_date: Option<Date>,
    /// How much of `target_date` is known; set exactly when `target_date` is.
    pub target_precision: Option<DatePrecision>,
    pub provenance: Provenance,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
