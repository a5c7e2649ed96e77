//! The audit trail: one row per change, written in the same transaction as the change.
//! Append-only: the API has no way to alter it and the database refuses updates and deletes.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    /// The account that made the change (null if the account was removed since).
    pub actor_id: Option<i32>,
    /// The actor's email at the time, kept even if the account changes later.
    pub actor_email: String,
    /// The mutation that made the change, e.g. `submitFeedback`.
    pub action: String,
    /// GraphQL type name of the changed record, e.g. `Feedback`.
    pub entity_type: String,
    pub entity_id: i32,
    /// JSON object: field → `{"before": …, "after": …}` for every field that changed.
    pub changes: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
