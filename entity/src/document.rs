//! The two parts of the guidance: the Guide and the Booklet.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The two documents that make up the guidance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DocumentKind {
    /// The Guide: the 360-degree vision, the guiding principles, the six-step implementation process and its sections.
    #[sea_orm(string_value = "GUIDE")]
    Guide,
    /// The Booklet: the 23 GCM objectives, each with practical examples.
    #[sea_orm(string_value = "BOOKLET")]
    Booklet,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "document")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub kind: DocumentKind,
    pub title: String,
    pub description: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
