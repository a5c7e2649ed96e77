//! The Champion roster as dated records: when a country was designated a Champion, when it
//! co-chaired the initiative, and when and how either ended.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::{DatePrecision, Provenance};

/// What a term is a term of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChampionTermKind {
    /// The country is a GCM Champion country.
    #[sea_orm(string_value = "CHAMPION")]
    Champion,
    /// The country co-chairs the Champions' initiative (Morocco and El Salvador were the first).
    #[sea_orm(string_value = "CO_CHAIR")]
    CoChair,
}

/// How a term came to an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TermEnd {
    /// It ran its course or was closed by the Secretariat.
    #[sea_orm(string_value = "ENDED")]
    Ended,
    /// The country withdrew.
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "champion_term")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub country_id: i32,
    pub kind: ChampionTermKind,
    /// When it began, as the first day of its period; null when no source dates it.
    pub started_on: Option<Date>,
    /// How much of `started_on` is known; set exactly when `started_on` is.
    pub started_precision: Option<DatePrecision>,
    /// When it ended, as the first day of its period; null while open, or when the end is undated.
    pub ended_on: Option<Date>,
    pub ended_precision: Option<DatePrecision>,
    /// Set once the term has ended; an open term has none.
    pub end_reason: Option<TermEnd>,
    pub note: Option<String>,
    pub provenance: Provenance,
    /// Where the facts come from (a document, a meeting summary), or which of them are stand-ins.
    pub source_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

impl Model {
    pub fn is_open(&self) -> bool {
        self.end_reason.is_none()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
