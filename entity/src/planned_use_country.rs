//! Which Member States a planned use reaches or supports: a convenor supports other Member States in applying the guidance.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "planned_use_country")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub planned_use_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub country_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
