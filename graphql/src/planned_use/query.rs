use async_graphql::{Context, Enum, InputObject, Object};
use entity::planned_use::{self, PlannedUseKind, PlannedUseStatus};
use entity::{country, planned_use_section};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use super::PlannedUse;
use crate::auth::guard::{Require, viewer};
use crate::context::{Access, db};
use crate::country::find_by_iso3;
use crate::error::Result;
use crate::guide::find_section_by_code;
use crate::pagination::{
    AppConnection, DateFilter, EnumFilter, OrderDirection, PageArgs, StringFilter, apply_order, paginate,
};
use crate::policy::readable_rows;

/// Which planned uses to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct PlannedUseFilter {
    /// ISO3 code of the country.
    pub country: Option<String>,
    /// Continental region of the country, e.g. `Africa`.
    pub region: Option<String>,
    /// Only uses of these kinds.
    pub kind: Option<EnumFilter<PlannedUseKind>>,
    /// Only uses with these statuses.
    pub status: Option<EnumFilter<PlannedUseStatus>>,
    /// Only uses with a target date on these days.
    pub target_date: Option<DateFilter>,
    /// Only uses concerning the section with this code, e.g. `III.A`.
    pub section: Option<String>,
    /// Words in the description, ignoring case.
    pub search: Option<String>,
}

/// What a list of planned uses can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PlannedUseOrderField {
    /// By target date.
    TargetDate,
    /// By kind, in the alphabetical order of the value names.
    Kind,
    /// By status, in the alphabetical order of the value names.
    Status,
    /// By when it was recorded.
    CreatedAt,
}

/// One sort key of a list of planned uses.
#[derive(InputObject)]
pub struct PlannedUseOrder {
    /// What to sort by.
    pub field: PlannedUseOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl PlannedUseFilter {
    async fn condition(&self, db: &impl ConnectionTrait) -> Result<Condition> {
        use planned_use::Column;
        let mut condition = Condition::all();
        if let Some(iso3) = &self.country {
            let country = find_by_iso3(db, iso3, "filter.country").await?;
            condition = condition.add(Column::CountryId.eq(country.id));
        }
        if let Some(region) = &self.region {
            let in_region = country::Entity::find()
                .select_only()
                .column(country::Column::Id)
                .filter(country::Column::Region.eq(region.trim()))
                .into_query();
            condition = condition.add(Column::CountryId.in_subquery(in_region));
        }
        if let Some(f) = &self.kind {
            condition = condition.add(f.condition(Column::Kind));
        }
        if let Some(f) = &self.status {
            condition = condition.add(f.condition(Column::Status));
        }
        if let Some(f) = &self.target_date {
            condition = condition.add(f.condition(Column::TargetDate));
        }
        if let Some(code) = &self.section {
            let section = find_section_by_code(db, code, "filter.section").await?;
            let linked = planned_use_section::Entity::find()
                .select_only()
                .column(planned_use_section::Column::PlannedUseId)
                .filter(planned_use_section::Column::SectionId.eq(section.id))
                .into_query();
            condition = condition.add(Column::Id.in_subquery(linked));
        }
        if let Some(text) = &self.search {
            let contains = StringFilter { contains: Some(text.clone()), ..Default::default() };
            condition = condition.add(contains.condition(Column::Description));
        }
        Ok(condition)
    }
}

#[derive(Default)]
pub struct PlannedUseQuery;

#[Object]
impl PlannedUseQuery {
    /// Planned uses the viewer may read (a Champion focal point: its own country's), oldest first by default.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn planned_uses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which planned uses; all the viewer may read when omitted.")] filter: Option<PlannedUseFilter>,
        #[graphql(
            desc = "Sort keys, the first one first; ties, and the whole list when omitted, in the order recorded."
        )]
        order_by: Option<Vec<PlannedUseOrder>>,
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
    ) -> Result<AppConnection<PlannedUse>> {
        use planned_use::Column;
        let db = db(ctx)?;
        let condition = Condition::all()
            .add(readable_rows(viewer(ctx), Column::CountryId)?)
            .add(filter.unwrap_or_default().condition(db).await?);
        let orderings = order_by.unwrap_or_default().into_iter().map(|o| {
            let column = match o.field {
                PlannedUseOrderField::TargetDate => Column::TargetDate,
                PlannedUseOrderField::Kind => Column::Kind,
                PlannedUseOrderField::Status => Column::Status,
                PlannedUseOrderField::CreatedAt => Column::CreatedAt,
            };
            (column, o.direction)
        });
        let select = apply_order(planned_use::Entity::find().filter(condition), orderings, Column::Id);
        paginate(ctx, db, select, PageArgs::new(after, before, first, last), PlannedUse).await
    }
}
