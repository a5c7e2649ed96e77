//! One released state of a document: each draft, the translations, the revised and final texts.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::{DatePrecision, Provenance};

/// How far along the guidance a version is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VersionStage {
    /// A working draft, e.g. the advanced draft circulated before a briefing.
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    /// A draft out for review and comment by Member States and Champions, or its translation.
    #[sea_orm(string_value = "REVIEW")]
    Review,
    /// The final guidance, printed or online.
    #[sea_orm(string_value = "FINAL")]
    Final,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "guide_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    /// Short stable key, unique within the document (e.g. `2021-11-REVISED`).
    pub code: String,
    pub label: String,
    pub stage: VersionStage,
    /// The release date, or the planned one while `is_released` is false.
    pub released_on: Date,
    pub released_on_precision: DatePrecision,
    /// ISO 639-1 codes, comma separated (e.g. `en,fr,es`).
    pub languages: String,
    pub notes: Option<String>,
    /// A released version is frozen: its revisions can no longer change.
    pub is_released: bool,
    /// When `releaseVersion` was called; null for versions released before this system.
    pub released_at: Option<DateTimeUtc>,
    pub provenance: Provenance,
    pub source_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

impl Model {
    pub fn language_list(&self) -> Vec<String> {
        self.languages.split(',').map(str::trim).filter(|code| !code.is_empty()).map(str::to_owned).collect()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
