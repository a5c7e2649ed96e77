//! A person who signs in: Secretariat admin, working-group lead, or a Champion's focal point.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What an account may do; see each value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserRole {
    /// Network Secretariat: manages everything.
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    /// Working-group lead: triages feedback, records revisions, reads dashboards.
    #[sea_orm(string_value = "WG_LEAD")]
    WgLead,
    /// Focal point of one Champion country.
    #[sea_orm(string_value = "CHAMPION")]
    Champion,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "user_account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stored lower case; unique.
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: String,
    /// Argon2id PHC string; never leaves the server.
    #[serde(skip_serializing)]
    pub password_hash: String,
    pub role: UserRole,
    /// Set for CHAMPION accounts only.
    pub country_id: Option<i32>,
    pub active: bool,
    pub last_login_at: Option<DateTimeUtc>,
    /// Last password change; tokens issued before it are refused.
    pub credentials_changed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
