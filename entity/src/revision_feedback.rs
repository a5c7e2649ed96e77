//! A feedback answered by a revision, with the decision taken on it and why.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The decision a revision took on one feedback it answered; the feedback's status follows it. Every decision but
/// ACCEPTED needs a rationale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Disposition {
    /// Taken up in full; the feedback becomes ACCEPTED (ADDRESSED once the version is released).
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    /// Taken up in part; the feedback becomes PARTIALLY_ACCEPTED (ADDRESSED once the version is released).
    #[sea_orm(string_value = "PARTIALLY_ACCEPTED")]
    PartiallyAccepted,
    /// Not taken up; the feedback becomes DECLINED.
    #[sea_orm(string_value = "DECLINED")]
    Declined,
    /// Taken up later, in another version.
    #[sea_orm(string_value = "DEFERRED")]
    Deferred,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "revision_feedback")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub revision_id: i32,
    pub feedback_id: i32,
    pub disposition: Disposition,
    pub rationale: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
