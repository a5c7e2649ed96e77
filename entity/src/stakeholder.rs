//! An organisation or actor that engages with the guidance besides Member States' governments.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::Provenance;

/// What sort of actor a stakeholder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StakeholderKind {
    /// A Member State or one of its institutions, recorded as a stakeholder.
    #[sea_orm(string_value = "MEMBER_STATE")]
    MemberState,
    /// A UN entity, e.g. IOM or the UN Network on Migration itself.
    #[sea_orm(string_value = "UN_ENTITY")]
    UnEntity,
    /// A civil society organisation, e.g. a migrant or diaspora organisation.
    #[sea_orm(string_value = "CIVIL_SOCIETY")]
    CivilSociety,
    /// A university, research centre or think tank.
    #[sea_orm(string_value = "ACADEMIA")]
    Academia,
    /// A business, employers' or workers' organisation.
    #[sea_orm(string_value = "PRIVATE_SECTOR")]
    PrivateSector,
    /// A city, municipality or other local government.
    #[sea_orm(string_value = "LOCAL_AUTHORITY")]
    LocalAuthority,
    /// A regional or intergovernmental organisation, e.g. the Organisation internationale de la Francophonie.
    #[sea_orm(string_value = "REGIONAL_BODY")]
    RegionalBody,
    /// Any other actor, e.g. a platform such as the Migration Network Hub.
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
