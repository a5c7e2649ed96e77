//! A section touched by a revision, with its state just before and just after. The section row
//! itself always holds the latest state; these snapshots let any earlier version be rebuilt.

use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// How a revision changed one section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SectionChangeKind {
    /// The section first appears.
    #[sea_orm(string_value = "ADDED")]
    Added,
    /// Its text changed; code, title and place did not.
    #[sea_orm(string_value = "REVISED")]
    Revised,
    /// Its code or title changed.
    #[sea_orm(string_value = "RENAMED")]
    Renamed,
    /// Its parent or position changed.
    #[sea_orm(string_value = "MOVED")]
    Moved,
    /// It no longer appears.
    #[sea_orm(string_value = "RETIRED")]
    Retired,
}

/// What a section looked like at one point: the fields a revision may change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct SectionState {
    pub code: String,
    pub title: String,
    pub title_fr: Option<String>,
    pub title_es: Option<String>,
    pub parent_id: Option<i32>,
    pub position: i32,
    pub summary: Option<String>,
}

impl SectionState {
    pub fn of(section: &crate::guide_section::Model) -> Self {
        Self {
            code: section.code.clone(),
            title: section.title.clone(),
            title_fr: section.title_fr.clone(),
            title_es: section.title_es.clone(),
            parent_id: section.parent_id,
            position: section.position,
            summary: section.summary.clone(),
        }
    }

    /// `section` with this state's fields in place of its own.
    pub fn apply_to(&self, mut section: crate::guide_section::Model) -> crate::guide_section::Model {
        section.code = self.code.clone();
        section.title = self.title.clone();
        section.title_fr = self.title_fr.clone();
        section.title_es = self.title_es.clone();
        section.parent_id = self.parent_id;
        section.position = self.position;
        section.summary = self.summary.clone();
        section
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "revision_section")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub revision_id: i32,
    pub section_id: i32,
    pub change: SectionChangeKind,
    /// Null for `ADDED`.
    pub before: Option<SectionState>,
    pub after: Option<SectionState>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
