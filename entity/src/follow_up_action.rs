//! Something an event decided should happen next, with an owner, a due date and a status, so
//! that it is followed up rather than forgotten in a meeting report.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::DatePrecision;

/// Where a follow-up action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActionStatus {
    /// Agreed, not started.
    #[sea_orm(string_value = "OPEN")]
    Open,
    /// Being worked on.
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    /// Carried out; has `done_on`.
    #[sea_orm(string_value = "DONE")]
    Done,
    /// Given up.
    #[sea_orm(string_value = "DROPPED")]
    Dropped,
}

impl ActionStatus {
    /// Open and in-progress actions still have to be carried out.
    pub fn is_pending(self) -> bool {
        matches!(self, Self::Open | Self::InProgress)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "follow_up_action")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub title: String,
    pub description: Option<String>,
    /// Exactly one of country and stakeholder owns the action.
    pub owner_country_id: Option<i32>,
    pub owner_stakeholder_id: Option<i32>,
    pub due_on: Option<Date>,
    pub due_precision: Option<DatePrecision>,
    pub status: ActionStatus,
    pub done_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
