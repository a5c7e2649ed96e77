//! A country or stakeholder taking part in an event, and how.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// How a country or stakeholder takes part in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParticipationRole {
    /// Hosts or organises the event.
    #[sea_orm(string_value = "HOST")]
    Host,
    /// Speaks or presents at the event.
    #[sea_orm(string_value = "SPEAKER")]
    Speaker,
    /// Attends without a speaking part.
    #[sea_orm(string_value = "ATTENDEE")]
    Attendee,
}

/// Where a participation stands: asked, signed up, and whether the country or stakeholder came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParticipationStatus {
    /// Invited, no answer yet.
    #[sea_orm(string_value = "INVITED")]
    Invited,
    /// Signed up to take part.
    #[sea_orm(string_value = "REGISTERED")]
    Registered,
    /// Took part.
    #[sea_orm(string_value = "ATTENDED")]
    Attended,
    /// Was expected and did not come.
    #[sea_orm(string_value = "NO_SHOW")]
    NoShow,
    /// Sent apologies.
    #[sea_orm(string_value = "EXCUSED")]
    Excused,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "event_participant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    /// Exactly one of country and stakeholder is set.
    pub country_id: Option<i32>,
    pub stakeholder_id: Option<i32>,
    pub role: ParticipationRole,
    /// Null where no source says whether the participant was invited or came.
    pub status: Option<ParticipationStatus>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
