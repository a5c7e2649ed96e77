//! A UN Member State, and whether it is a GCM Champion country.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::{DatePrecision, Provenance};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "country")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// ISO 3166-1 alpha-3, upper case.
    #[sea_orm(unique)]
    pub iso3: String,
    /// ISO 3166-1 alpha-2, upper case.
    #[sea_orm(unique)]
    pub iso2: String,
    pub name: String,
    pub official_name: String,
    /// Continental region (Africa, Americas, Asia, Europe, Oceania).
    pub region: String,
    pub subregion: Option<String>,
    /// Kept by the roster service from the country's open CHAMPION term, for filters and joins.
    pub is_champion: bool,
    pub champion_since: Option<Date>,
    pub champion_since_precision: Option<DatePrecision>,
    /// Where the Champion status comes from (sourced or illustrative demo data).
    pub champion_provenance: Option<Provenance>,
    pub champion_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
