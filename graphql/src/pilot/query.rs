use async_graphql::{Context, Enum, ID, InputObject, Object};
use entity::pilot::{self, PilotStatus};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::Pilot;
use crate::auth::guard::{Require, viewer};
use crate::context::{Access, db};
use crate::country::{find_by_iso3, readable_rows};
use crate::error::AppResult;
use crate::node::{NodeType, expect_global_id};
use crate::pagination::{AppConnection, DateFilter, EnumFilter, OrderDirection, PageArgs, apply_order, paginate};

#[derive(InputObject, Default)]
pub struct PilotFilter {
    /// ISO3 code of the country.
    pub country: Option<String>,
    pub status: Option<EnumFilter<PilotStatus>>,
    /// Only pilots of this guide version.
    pub guide_version: Option<ID>,
    pub started_on: Option<DateFilter>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PilotOrderField {
    StartedOn,
    EndedOn,
    Title,
    Status,
    CreatedAt,
}

#[derive(InputObject)]
pub struct PilotOrder {
    pub field: PilotOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl PilotFilter {
    async fn condition(&self, db: &impl ConnectionTrait) -> AppResult<Condition> {
        use pilot::Column;
        let mut condition = Condition::all();
        if let Some(iso3) = &self.country {
            let country = find_by_iso3(db, iso3, "filter.country").await?;
            condition = condition.add(Column::CountryId.eq(country.id));
        }
        if let Some(f) = &self.status {
            condition = condition.add(f.condition(Column::Status));
        }
        if let Some(id) = &self.guide_version {
            let version = expect_global_id(id, NodeType::GuideVersion, "filter.guideVersion")?;
            condition = condition.add(Column::GuideVersionId.eq(version));
        }
        if let Some(f) = &self.started_on {
            condition = condition.add(f.condition(Column::StartedOn));
        }
        Ok(condition)
    }
}

#[derive(Default)]
pub struct PilotQuery;

#[Object]
impl PilotQuery {
    /// Pilots the viewer may read (a Champion focal point: its own country's), oldest first by default.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn pilots(
        &self,
        ctx: &Context<'_>,
        filter: Option<PilotFilter>,
        order_by: Option<Vec<PilotOrder>>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<AppConnection<Pilot>> {
        use pilot::Column;
        let db = db(ctx)?;
        let condition = Condition::all()
            .add(readable_rows(viewer(ctx), Column::CountryId)?)
            .add(filter.unwrap_or_default().condition(db).await?);
        let orderings = order_by.unwrap_or_default().into_iter().map(|o| {
            let column = match o.field {
                PilotOrderField::StartedOn => Column::StartedOn,
                PilotOrderField::EndedOn => Column::EndedOn,
                PilotOrderField::Title => Column::Title,
                PilotOrderField::Status => Column::Status,
                PilotOrderField::CreatedAt => Column::CreatedAt,
            };
            (column, o.direction)
        });
        let select = apply_order(pilot::Entity::find().filter(condition), orderings, Column::Id);
        Ok(paginate(ctx, db, select, PageArgs::new(after, before, first, last), Pilot).await?)
    }
}
