//! Feedback on the guidance, tied to the sections it is about and the version it was given on.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::Provenance;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeedbackChannel {
    #[sea_orm(string_value = "WRITTEN_COMMENT")]
    WrittenComment,
    #[sea_orm(string_value = "TECHNICAL_DISCUSSION")]
    TechnicalDiscussion,
    #[sea_orm(string_value = "ONLINE_DISCUSSION")]
    OnlineDiscussion,
    #[sea_orm(string_value = "BILATERAL")]
    Bilateral,
    #[sea_orm(string_value = "PILOT")]
    Pilot,
    #[sea_orm(string_value = "EVENT")]
    Event,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeedbackKind {
    #[sea_orm(string_value = "SUGGESTION")]
    Suggestion,
    #[sea_orm(string_value = "CONCERN")]
    Concern,
    #[sea_orm(string_value = "QUESTION")]
    Question,
    #[sea_orm(string_value = "EXAMPLE")]
    Example,
    #[sea_orm(string_value = "ENDORSEMENT")]
    Endorsement,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeedbackStatus {
    #[sea_orm(string_value = "RECEIVED")]
    Received,
    #[sea_orm(string_value = "UNDER_REVIEW")]
    UnderReview,
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    #[sea_orm(string_value = "PARTIALLY_ACCEPTED")]
    PartiallyAccepted,
    #[sea_orm(string_value = "DECLINED")]
    Declined,
    #[sea_orm(string_value = "ADDRESSED")]
    Addressed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "feedback")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The source: exactly one of a country, a stakeholder, or a named collective.
    pub country_id: Option<i32>,
    pub stakeholder_id: Option<i32>,
    pub collective: Option<String>,
    pub channel: FeedbackChannel,
    pub kind: FeedbackKind,
    pub body: String,
    /// ISO 639-1 code of the body's language.
    pub language: String,
    pub guide_version_id: i32,
    pub pilot_id: Option<i32>,
    pub event_id: Option<i32>,
    pub status: FeedbackStatus,
    pub response: Option<String>,
    pub responded_at: Option<DateTimeUtc>,
    pub received_on: Date,
    pub submitted_by_id: Option<i32>,
    pub provenance: Provenance,
    pub source_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
