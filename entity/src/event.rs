//! Briefings, technical and online discussions, launches, IMRF side events and the like.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::{DatePrecision, Provenance};

/// What sort of event it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventKind {
    /// A briefing on the guidance, e.g. to Member States or to the Champions.
    #[sea_orm(string_value = "BRIEFING")]
    Briefing,
    /// A technical discussion of a draft, e.g. with the Champions.
    #[sea_orm(string_value = "TECHNICAL_DISCUSSION")]
    TechnicalDiscussion,
    /// A discussion held online, e.g. a dedicated online consultation on a draft.
    #[sea_orm(string_value = "ONLINE_DISCUSSION")]
    OnlineDiscussion,
    /// A launch of the guidance or of one of its versions.
    #[sea_orm(string_value = "LAUNCH")]
    Launch,
    /// The International Migration Review Forum (IMRF), or a side event held at it.
    #[sea_orm(string_value = "IMRF")]
    Imrf,
    /// A regional review of GCM implementation.
    #[sea_orm(string_value = "REGIONAL_REVIEW")]
    RegionalReview,
    /// A meeting between the Network and one country or stakeholder.
    #[sea_orm(string_value = "BILATERAL")]
    Bilateral,
    /// A workshop or training session.
    #[sea_orm(string_value = "WORKSHOP")]
    Workshop,
    /// Any other kind of event.
    #[sea_orm(string_value = "OTHER")]
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    pub kind: EventKind,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub date_precision: DatePrecision,
    pub location: Option<String>,
    pub online: bool,
    pub organizer: Option<String>,
    pub description: Option<String>,
    pub provenance: Provenance,
    pub source_note: Option<String>,
    /// The day it was actually held (it may differ from the planned `starts_on`); null until recorded.
    pub held_on: Option<Date>,
    /// How many people attended, as reported.
    pub attendee_count: Option<i32>,
    /// What happened: the report or summary of the event.
    pub outcome_report: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
