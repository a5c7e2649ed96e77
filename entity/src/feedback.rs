//! Feedback on the guidance, tied to the sections it is about and the version it was given on.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::{DatePrecision, Provenance};

/// How a feedback reached the Network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeedbackChannel {
    /// A written comment on a draft, sent to the Network.
    #[sea_orm(string_value = "WRITTEN_COMMENT")]
    WrittenComment,
    /// Raised in a technical discussion of a draft, e.g. with the Champions.
    #[sea_orm(string_value = "TECHNICAL_DISCUSSION")]
    TechnicalDiscussion,
    /// Raised in an online discussion, e.g. a dedicated online consultation on a draft.
    #[sea_orm(string_value = "ONLINE_DISCUSSION")]
    OnlineDiscussion,
    /// Raised in a bilateral exchange between the Network and one country or stakeholder.
    #[sea_orm(string_value = "BILATERAL")]
    Bilateral,
    /// Came out of a pilot test of the guidance; such feedback names its `pilot`.
    #[sea_orm(string_value = "PILOT")]
    Pilot,
    /// Given at an event; such feedback names its `event`.
    #[sea_orm(string_value = "EVENT")]
    Event,
}

/// What sort of comment a feedback is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeedbackKind {
    /// Proposes a change or an addition to the guidance.
    #[sea_orm(string_value = "SUGGESTION")]
    Suggestion,
    /// Points out a problem, a gap or a risk in the text.
    #[sea_orm(string_value = "CONCERN")]
    Concern,
    /// Asks for clarification.
    #[sea_orm(string_value = "QUESTION")]
    Question,
    /// Offers a practice or case example for the guidance.
    #[sea_orm(string_value = "EXAMPLE")]
    Example,
    /// Supports the text as it stands.
    #[sea_orm(string_value = "ENDORSEMENT")]
    Endorsement,
}

/// Where a feedback stands in triage. Working-group leads and the Secretariat set it with `setFeedbackStatus`; revision
/// decisions and version releases move it too. Champion focal points never set it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeedbackStatus {
    /// Recorded, not triaged yet; every new feedback starts here. Only while it is RECEIVED may the Champion focal
    /// point who gave it correct or withdraw it.
    #[sea_orm(string_value = "RECEIVED")]
    Received,
    /// Triage has started: set by a working-group lead or the Secretariat, or by a revision's DEFERRED decision on
    /// RECEIVED feedback. Open, like RECEIVED.
    #[sea_orm(string_value = "UNDER_REVIEW")]
    UnderReview,
    /// Taken up in full: set at triage (with a `response`) or by a revision's ACCEPTED decision; becomes ADDRESSED when
    /// the revision's version is released.
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    /// Taken up in part: set at triage (with a `response`) or by a revision's PARTIALLY_ACCEPTED decision; becomes
    /// ADDRESSED when the revision's version is released.
    #[sea_orm(string_value = "PARTIALLY_ACCEPTED")]
    PartiallyAccepted,
    /// Not taken up: set at triage (with a `response` saying why), by a revision's DECLINED decision, or at release
    /// when the version's revisions only declined it.
    #[sea_orm(string_value = "DECLINED")]
    Declined,
    /// Answered in a released version: set when a version whose revisions accepted it (fully or partly) is released, or
    /// at triage (with a `response`). Later revision decisions leave it ADDRESSED.
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
    /// How much of `received_on` is known (the first day of its period at that precision).
    pub received_precision: DatePrecision,
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
