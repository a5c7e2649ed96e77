//! How a Champion country plans to use the guidance.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::Provenance;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlannedUseKind {
    #[sea_orm(string_value = "NATIONAL_IMPLEMENTATION_PLAN")]
    NationalImplementationPlan,
    #[sea_orm(string_value = "MAINSTREAMING")]
    Mainstreaming,
    #[sea_orm(string_value = "PROMOTION")]
    Promotion,
    #[sea_orm(string_value = "PEER_LEARNING")]
    PeerLearning,
    #[sea_orm(string_value = "IMRF")]
    Imrf,
    #[sea_orm(string_value = "REGIONAL_REVIEW")]
    RegionalReview,
    #[sea_orm(string_value = "TRAINING")]
    Training,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlannedUseStatus {
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    #[sea_orm(string_value = "DONE")]
    Done,
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
    pub provenance: Provenance,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
