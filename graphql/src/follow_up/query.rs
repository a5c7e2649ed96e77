use async_graphql::{Context, InputObject, Object};
use chrono::{NaiveDate, Utc};
use entity::common::DatePrecision;
use entity::country;
use entity::follow_up_action::{self, ActionStatus};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};

use super::FollowUpAction;
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::error::Result;
use crate::pagination::{AppConnection, EnumFilter, OrderDirection, PageArgs, StringFilter, apply_order, paginate};
use crate::scalars::Date;

/// Which follow-up actions to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct FollowUpActionFilter {
    /// Only actions with these statuses.
    pub status: Option<EnumFilter<ActionStatus>>,
    /// ISO3 codes of the countries that own them.
    pub owner_country: Option<StringFilter>,
    /// Only overdue (true) or only not overdue (false) actions, judged on `asOf`.
    pub overdue: Option<bool>,
    /// The day `overdue` is judged on; today (UTC) when omitted.
    pub as_of: Option<Date>,
}

/// The SQL form of `is_overdue`: not finished by `as_of` and due in a period that ended before it
/// (compared by the periods' first days).
pub fn overdue_condition(as_of: NaiveDate) -> Condition {
    use follow_up_action::Column;
    let not_finished = Condition::any()
        .add(Column::Status.is_in([ActionStatus::Open, ActionStatus::InProgress]))
        .add(Condition::all().add(Column::Status.eq(ActionStatus::Done)).add(Column::DoneOn.gt(as_of)));
    let mut period_over = Condition::any();
    for precision in [DatePrecision::Day, DatePrecision::Month, DatePrecision::Quarter, DatePrecision::Year] {
        period_over = period_over.add(
            Condition::all()
                .add(Column::DuePrecision.eq(precision))
                .add(Column::DueOn.lt(precision.period_containing(as_of))),
        );
    }
    Condition::all().add(not_finished).add(period_over)
}

impl FollowUpActionFilter {
    fn condition(&self) -> Condition {
        use follow_up_action::Column;
        let mut condition = Condition::all();
        if let Some(f) = &self.status {
            condition = condition.add(f.condition(Column::Status));
        }
        if let Some(f) = &self.owner_country {
            let upper = StringFilter {
                eq: f.eq.as_ref().map(|v| v.to_ascii_uppercase()),
                is_in: f.is_in.as_ref().map(|v| v.iter().map(|c| c.to_ascii_uppercase()).collect()),
                ..f.clone()
            };
            let ids = country::Entity::find()
                .select_only()
                .column(country::Column::Id)
                .filter(upper.condition(country::Column::Iso3))
                .into_query();
            condition = condition.add(Column::OwnerCountryId.in_subquery(ids));
        }
        if let Some(wanted) = self.overdue {
            let as_of = self.as_of.map_or_else(|| Utc::now().date_naive(), |Date(d)| d);
            let overdue = overdue_condition(as_of);
            condition = condition.add(if wanted { overdue } else { overdue.not() });
        }
        condition
    }
}

/// The actions overdue on `as_of` among those of `events` (all when `None`), earliest due first.
pub async fn overdue_actions(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    within: Condition,
) -> Result<Vec<follow_up_action::Model>> {
    Ok(follow_up_action::Entity::find()
        .filter(overdue_condition(as_of))
        .filter(within)
        .order_by_asc(follow_up_action::Column::DueOn)
        .order_by_asc(follow_up_action::Column::Id)
        .all(db)
        .await?)
}

#[derive(Default)]
pub struct FollowUpQuery;

#[Object]
impl FollowUpQuery {
    /// Follow-up actions of every event, earliest due first (undated ones first), then in the order recorded.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn follow_up_actions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which actions; all when omitted.")] filter: Option<FollowUpActionFilter>,
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
    ) -> Result<AppConnection<FollowUpAction>> {
        use follow_up_action::Column;
        let select = apply_order(
            follow_up_action::Entity::find().filter(filter.unwrap_or_default().condition()),
            [(Column::DueOn, OrderDirection::Asc)],
            Column::Id,
        );
        paginate(ctx, db(ctx)?, select, PageArgs::new(after, before, first, last), FollowUpAction).await
    }
}
