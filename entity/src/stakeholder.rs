//! An organisation or actor that engages with the guidance besides Member States' governments.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::Provenance;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StakeholderKind {
    #[sea_orm(string_value = "MEMBER_STATE")]
    MemberState,
    #[sea_orm(string_value = "UN_ENTITY")]
    UnEntity,
    #[sea_orm(string_value = "CIVIL_SOCIETY")]
    CivilSociety,
    #[sea_orm(string_value = "ACADEMIA")]
    Academia,
    #[sea_orm(string_value = "PRIVATE_SECTOR")]
    PrivateSector,
    #[sea_orm(string_value = "LOCAL_AUTHORITY")]
    LocalAuthority,
    #[sea_orm(string_value = "REGIONAL_BODY")]
    RegionalBody,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "stakeholder")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub name: String,
    pub acronym: Option<String>,
    pub kind: StakeholderKind,
    pub country_id: Option<i32>,
    pub description: Option<String>,
    pub provenance: Provenance,
    pub source_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
