//! A node in a document's structure: parts, sections, the six steps, guiding principles, objectives.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::Provenance;

/// What a section is in its document's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SectionKind {
    /// A major part of a document that groups sections, e.g. `II`.
    #[sea_orm(string_value = "PART")]
    Part,
    /// A section or sub-section of text, e.g. `III.A` or `INTRO`.
    #[sea_orm(string_value = "SECTION")]
    Section,
    /// One of the six steps of the implementation process, e.g. `STEP-3`.
    #[sea_orm(string_value = "STEP")]
    Step,
    /// One of the 23 GCM objectives, in the Booklet, e.g. `OBJ-07`.
    #[sea_orm(string_value = "OBJECTIVE")]
    Objective,
    /// One of the 10 guiding principles, e.g. `GP-04`.
    #[sea_orm(string_value = "PRINCIPLE")]
    Principle,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "guide_section")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    /// Natural key across both documents, e.g. `III.A`, `STEP-3`, `OBJ-07`, `GP-04`.
    #[sea_orm(unique)]
    pub code: String,
    pub title: String,
    pub title_fr: Option<String>,
    pub title_es: Option<String>,
    pub kind: SectionKind,
    pub parent_id: Option<i32>,
    /// Order among siblings, starting at 1.
    pub position: i32,
    pub summary: Option<String>,
    pub introduced_in_id: Option<i32>,
    pub retired_in_id: Option<i32>,
    pub provenance: Provenance,
    pub source_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
