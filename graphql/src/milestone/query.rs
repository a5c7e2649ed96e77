use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::NaiveDate;
use entity::common::DatePrecision;
use entity::guide_version;
use entity::milestone::{self, MilestoneStatus};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::Milestone;
use super::types::today;
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::error::Result;
use crate::id::NodeType;
use crate::pagination::{AppConnection, DateFilter, EnumFilter, OrderDirection, PageArgs, apply_order, paginate};
use crate::scalars::Date;
use crate::validate::existing;

/// Which milestones to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct MilestoneFilter {
    /// Only milestones with these statuses.
    pub status: Option<EnumFilter<MilestoneStatus>>,
    /// Only milestones due on these days.
    pub due_on: Option<DateFilter>,
    /// Only overdue (true: not done by `asOf` and due in a period that ended before it) or only not overdue (false)
    /// milestones.
    pub overdue: Option<bool>,
    /// Only milestones at risk (true: AT_RISK, SLIPPED or overdue) or only the others (false).
    pub at_risk: Option<bool>,
    /// Only milestones of this guide version.
    pub guide_version: Option<ID>,
    /// The day `overdue` and `atRisk` are judged on; today (UTC) when omitted.
    pub as_of: Option<Date>,
}

/// What a list of milestones can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum MilestoneOrderField {
    /// By due date.
    DueOn,
    /// By the day it was done.
    DoneOn,
    /// By title, compared as text.
    Title,
    /// By status, in the alphabetical order of the value names.
    Status,
    /// By when it was recorded.
    CreatedAt,
}

/// One sort key of a list of milestones.
#[derive(InputObject)]
pub struct MilestoneOrder {
    /// What to sort by.
    pub field: MilestoneOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// The SQL form of `is_overdue`: not done by `as_of`, and due in a period that
/// ended before it (compared by first days, see `DatePrecision::period_containing`).
pub fn overdue(as_of: NaiveDate) -> Condition {
    use milestone::Column;
    let not_done = Condition::any().add(Column::Status.ne(MilestoneStatus::Done)).add(Column::DoneOn.gt(as_of));
    let mut period_over = Condition::any();
    for precision in [DatePrecision::Day, DatePrecision::Month, DatePrecision::Quarter, DatePrecision::Year] {
        period_over = period_over.add(
            Condition::all()
                .add(Column::DuePrecision.eq(precision))
                .add(Column::DueOn.lt(precision.period_containing(as_of))),
        );
    }
    Condition::all().add(not_done).add(period_over)
}

pub fn at_risk(today: NaiveDate) -> Condition {
    Condition::any()
        .add(milestone::Column::Status.is_in([MilestoneStatus::AtRisk, MilestoneStatus::Slipped]))
        .add(overdue(today))
}

impl MilestoneFilter {
    async fn condition(&self, db: &impl ConnectionTrait) -> Result<Condition> {
        use milestone::Column;
        let today = self.as_of.map_or_else(today, |Date(d)| d);
        let mut condition = Condition::all();
        if let Some(f) = &self.status {
            condition = condition.add(f.condition(Column::Status));
        }
        if let Some(f) = &self.due_on {
            condition = condition.add(f.condition(Column::DueOn));
        }
        if let Some(wanted) = self.overdue {
            condition = condition.add(if wanted { overdue(today) } else { overdue(today).not() });
        }
        if let Some(wanted) = self.at_risk {
            condition = condition.add(if wanted { at_risk(today) } else { at_risk(today).not() });
        }
        if let Some(id) = &self.guide_version {
            let version =
                existing::<guide_version::Entity>(db, id, NodeType::GuideVersion, "filter.guideVersion").await?;
            condition = condition.add(Column::GuideVersionId.eq(version.id));
        }
        Ok(condition)
    }
}

#[derive(Default)]
pub struct MilestoneQuery;

#[Object]
impl MilestoneQuery {
    /// Milestones, by default the earliest due first; filter by status, due date, overdue,
    /// at risk or guide version.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn milestones(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which milestones; all when omitted.")] filter: Option<MilestoneFilter>,
        #[graphql(desc = "Sort keys, the first one first; earliest due first when omitted. Ties go by entry order.")]
        order_by: Option<Vec<MilestoneOrder>>,
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
    ) -> Result<AppConnection<Milestone>> {
        use milestone::Column;
        let db = db(ctx)?;
        let condition = filter.unwrap_or_default().condition(db).await?;
        let orderings = order_by
            .unwrap_or_else(|| {
                vec![MilestoneOrder { field: MilestoneOrderField::DueOn, direction: OrderDirection::Asc }]
            })
            .into_iter()
            .map(|o| {
                let column = match o.field {
                    MilestoneOrderField::DueOn => Column::DueOn,
                    MilestoneOrderField::DoneOn => Column::DoneOn,
                    MilestoneOrderField::Title => Column::Title,
                    MilestoneOrderField::Status => Column::Status,
                    MilestoneOrderField::CreatedAt => Column::CreatedAt,
                };
                (column, o.direction)
            });
        let select = apply_order(milestone::Entity::find().filter(condition), orderings, Column::Id);
        paginate(ctx, db, select, PageArgs::new(after, before, first, last), Milestone).await
    }
}
