use async_graphql::{Context, Enum, InputObject, Object};
use entity::country;
use entity::role_assignment::{self, ChampionRole, RoleStatus};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use super::RoleAssignment;
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::error::Result;
use crate::pagination::{
    AppConnection, DateFilter, EnumFilter, OrderDirection, PageArgs, StringFilter, apply_order, paginate,
};
use crate::scalars::Date;

/// Which role assignments to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct RoleAssignmentFilter {
    /// ISO3 codes of the countries.
    pub country: Option<StringFilter>,
    /// Continental region of the country, e.g. `Africa`.
    pub region: Option<String>,
    /// Only these roles.
    pub role: Option<EnumFilter<ChampionRole>>,
    /// Only assignments with these statuses.
    pub status: Option<EnumFilter<RoleStatus>>,
    /// Only open (true) or only closed (false) assignments.
    pub open: Option<bool>,
    /// Only assignments held on this day: started on or before it, not ended before it.
    pub as_of: Option<Date>,
    /// Only assignments that started on these days.
    pub started_on: Option<DateFilter>,
    /// Only assignments that ended on these days.
    pub ended_on: Option<DateFilter>,
}

/// What a list of role assignments can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum RoleAssignmentOrderField {
    /// By the day it started.
    StartedOn,
    /// By the day it ended.
    EndedOn,
    /// By role, in the alphabetical order of the value names.
    Role,
    /// By status, in the alphabetical order of the value names.
    Status,
    /// By when it was recorded.
    CreatedAt,
}

/// One sort key of a list of role assignments.
#[derive(InputObject)]
pub struct RoleAssignmentOrder {
    /// What to sort by.
    pub field: RoleAssignmentOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl RoleAssignmentFilter {
    fn condition(&self) -> Condition {
        use role_assignment::Column;
        let mut condition = Condition::all();
        let country_ids = |inner: Condition| {
            country::Entity::find().select_only().column(country::Column::Id).filter(inner).into_query()
        };
        if let Some(f) = &self.country {
            let upper = StringFilter {
                eq: f.eq.as_ref().map(|v| v.to_ascii_uppercase()),
                is_in: f.is_in.as_ref().map(|v| v.iter().map(|c| c.to_ascii_uppercase()).collect()),
                ..f.clone()
            };
            condition =
                condition.add(Column::CountryId.in_subquery(country_ids(upper.condition(country::Column::Iso3))));
        }
        if let Some(region) = &self.region {
            let region = StringFilter { eq: Some(region.clone()), ..Default::default() };
            condition =
                condition.add(Column::CountryId.in_subquery(country_ids(region.condition(country::Column::Region))));
        }
        if let Some(f) = &self.role {
            condition = condition.add(f.condition(Column::Role));
        }
        if let Some(f) = &self.status {
            condition = condition.add(f.condition(Column::Status));
        }
        if let Some(open) = self.open {
            let open_statuses = [RoleStatus::Proposed, RoleStatus::Committed, RoleStatus::Active];
            condition = condition.add(if open {
                Column::Status.is_in(open_statuses)
            } else {
                Column::Status.is_not_in(open_statuses)
            });
        }
        if let Some(Date(day)) = self.as_of {
            condition = condition
                .add(Column::StartedOn.lte(day))
                .add(Condition::any().add(Column::EndedOn.is_null()).add(Column::EndedOn.gte(day)));
        }
        if let Some(f) = &self.started_on {
            condition = condition.add(f.condition(Column::StartedOn));
        }
        if let Some(f) = &self.ended_on {
            condition = condition.add(f.condition(Column::EndedOn));
        }
        condition
    }
}

#[derive(Default)]
pub struct RoleQuery;

#[Object]
impl RoleQuery {
    /// Role assignments of all countries; filter by role, status, region or a day (`asOf`).
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn role_assignments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which assignments; all when omitted.")] filter: Option<RoleAssignmentFilter>,
        #[graphql(
            desc = "Sort keys, the first one first; ties, and the whole list when omitted, in the order recorded."
        )]
        order_by: Option<Vec<RoleAssignmentOrder>>,
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
    ) -> Result<AppConnection<RoleAssignment>> {
        use role_assignment::Column;
        let condition = filter.unwrap_or_default().condition();
        let orderings = order_by.unwrap_or_default().into_iter().map(|o| {
            let column = match o.field {
                RoleAssignmentOrderField::StartedOn => Column::StartedOn,
                RoleAssignmentOrderField::EndedOn => Column::EndedOn,
                RoleAssignmentOrderField::Role => Column::Role,
                RoleAssignmentOrderField::Status => Column::Status,
                RoleAssignmentOrderField::CreatedAt => Column::CreatedAt,
            };
            (column, o.direction)
        });
        let select = apply_order(role_assignment::Entity::find().filter(condition), orderings, Column::Id);
        paginate(ctx, db(ctx)?, select, PageArgs::new(after, before, first, last), RoleAssignment).await
    }
}
