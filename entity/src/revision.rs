//! One change decided for a guide version: what kind, why, when, and whether it is done yet.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::Provenance;

/// What kind of change a revision makes to the guidance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RevisionKind {
    /// New content, usually a new section.
    #[sea_orm(string_value = "ADDED")]
    Added,
    /// Existing text rewritten.
    #[sea_orm(string_value = "REVISED")]
    Revised,
    /// Content taken out, usually a retired section.
    #[sea_orm(string_value = "REMOVED")]
    Removed,
    /// Examples and case studies reviewed, added or dropped.
    #[sea_orm(string_value = "EXAMPLES")]
    Examples,
    /// Sections translated into `language`.
    #[sea_orm(string_value = "TRANSLATION")]
    Translation,
    /// Editing, design, layout or format; the substance is unchanged.
    #[sea_orm(string_value = "LAYOUT")]
    Layout,
}

/// Whether a decided revision has been carried out; a version cannot be released while any of its revisions is PENDING.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RevisionStatus {
    /// Decided, not carried out yet.
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// Carried out in the version's text.
    #[sea_orm(string_value = "DONE")]
    Done,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "revision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub guide_version_id: i32,
    pub kind: RevisionKind,
    pub status: RevisionStatus,
    pub summary: String,
    pub details: Option<String>,
    /// ISO 639-1 code; set for translations only.
    pub language: Option<String>,
    pub decided_on: Date,
    pub recorded_by_id: Option<i32>,
    pub provenance: Provenance,
    pub source_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
