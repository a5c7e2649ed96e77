use async_graphql::{Context, Enum, ID, InputObject, Object};
use entity::pilot::{self, PilotStatus};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::Pilot;
use crate::auth::guard::{Require, viewer};
use crate::context::{Access, db};
use crate::country::find_by_iso3;
use crate::error::Result;
use crate::id::{NodeType, expect_global_id};
use crate::pagination::{AppConnection, DateFilter, EnumFilter, OrderDirection, PageArgs, apply_order, paginate};
use crate::policy::readable_rows;

/// Which pilots to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct PilotFilter {
    /// ISO3 code of the country.
    pub country: Option<String>,
    /// Only pilots with these statuses.
    pub status: Option<EnumFilter<PilotStatus>>,
    /// Only pilots of this guide version.
    pub guide_version: Option<ID>,
    /// Only pilots started on these days.
    pub started_on: Option<DateFilter>,
}

/// What a list of pilots can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PilotOrderField {
    /// By the day it started.
    StartedOn,
    /// By the day it ended.
    EndedOn,
    /// By title, compared as text.
    Title,
    /// By status, in the alphabetical order of the value names.
    Status,
    /// By when it was recorded.
    CreatedAt,
}

/// One sort key of a list of pilots.
#[derive(InputObject)]
pub struct PilotOrder {
    /// What to sort by.
    pub field: PilotOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl PilotFilter {
    async fn condition(&self, db: &impl ConnectionTrait) -> Result<Condition> {
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
    async fn pilots(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which pilots; all the viewer may read when omitted.")] filter: Option<PilotFilter>,
        #[graphql(
            desc = "Sort keys, the first one first; ties, and the whole list when omitted, in the order recorded."
        )]
        order_by: Option<Vec<PilotOrder>>,
        #[graphql(desc = "Relay paging: only items after this cursor (`endCursor` or an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(desc = "Relay paging: only items before this cursor (`startCursor` or an edge's `cursor`).")]
        before: Option<String>,
        #[graphql(
            desc = "Relay paging: at most this many items from the start, 0 to 100 (20 when `last` is absent too)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Relay paging: at most this many items from the end (or just before `before`), 0 to 100.")]
        last: Option<i32>,
    ) -> Result<AppConnection<Pilot>> {
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
        paginate(ctx, db, select, PageArgs::new(after, before, first, last), Pilot).await
    }
}
