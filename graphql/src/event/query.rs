use async_graphql::{Context, Enum, InputObject, Object};
use entity::event::{self, EventKind};
use entity::{event_participant, event_section};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use super::Event;
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::country::find_by_iso3;
use crate::error::Result;
use crate::guide::find_section_by_code;
use crate::pagination::{
    AppConnection, DateFilter, EnumFilter, OrderDirection, PageArgs, StringFilter, apply_order, paginate,
};
use crate::scalars::Date;
use crate::validate::date_order;

/// Which events to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct EventFilter {
    /// Only events of these kinds.
    pub kind: Option<EnumFilter<EventKind>>,
    /// Only events starting on these days.
    pub starts_on: Option<DateFilter>,
    /// Only events still running on or after this day (ending on or after it; a one-day event
    /// ends the day it starts). With `to`, the events overlapping the range.
    pub from: Option<Date>,
    /// Only events starting on or before this day.
    pub to: Option<Date>,
    /// ISO3 code of a participating country.
    pub country: Option<String>,
    /// Code of a section the event discussed, e.g. `III.A`.
    pub section: Option<String>,
    /// Matches the title or the description, ignoring case.
    pub search: Option<String>,
}

/// What a list of events can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum EventOrderField {
    /// By first day.
    StartsOn,
    /// By last day (one-day events have none).
    EndsOn,
    /// By title, compared as text.
    Title,
    /// By kind, in the alphabetical order of the value names.
    Kind,
    /// By when it was recorded.
    CreatedAt,
}

/// One sort key of a list of events.
#[derive(InputObject)]
pub struct EventOrder {
    /// What to sort by.
    pub field: EventOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl EventFilter {
    async fn condition(&self, db: &impl ConnectionTrait) -> Result<Condition> {
        use event::Column;
        let mut condition = Condition::all();
        if let Some(f) = &self.kind {
            condition = condition.add(f.condition(Column::Kind));
        }
        if let Some(f) = &self.starts_on {
            condition = condition.add(f.condition(Column::StartsOn));
        }
        date_order(self.from.map(|Date(d)| d), self.to.map(|Date(d)| d), "filter.to")?;
        if let Some(Date(from)) = self.from {
            condition = condition.add(
                Condition::any()
                    .add(Column::EndsOn.gte(from))
                    .add(Condition::all().add(Column::EndsOn.is_null()).add(Column::StartsOn.gte(from))),
            );
        }
        if let Some(Date(to)) = self.to {
            condition = condition.add(Column::StartsOn.lte(to));
        }
        if let Some(iso3) = &self.country {
            let country = find_by_iso3(db, iso3, "filter.country").await?;
            condition = condition.add(Column::Id.in_subquery(events_with_participant(country.id)));
        }
        if let Some(code) = &self.section {
            let section = find_section_by_code(db, code, "filter.section").await?;
            let discussing = event_section::Entity::find()
                .select_only()
                .column(event_section::Column::EventId)
                .filter(event_section::Column::SectionId.eq(section.id))
                .into_query();
            condition = condition.add(Column::Id.in_subquery(discussing));
        }
        if let Some(text) = &self.search {
            let contains = StringFilter { contains: Some(text.clone()), ..Default::default() };
            condition = condition.add(
                Condition::any().add(contains.condition(Column::Title)).add(contains.condition(Column::Description)),
            );
        }
        Ok(condition)
    }
}

#[derive(Default)]
pub struct EventQuery;

#[Object]
impl EventQuery {
    /// Events, by default earliest first; filter by kind, dates, participating country,
    /// discussed section or text.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which events; all when omitted.")] filter: Option<EventFilter>,
        #[graphql(desc = "Sort keys, the first one first; earliest start first when omitted. Ties go by entry order.")]
        order_by: Option<Vec<EventOrder>>,
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
    ) -> Result<AppConnection<Event>> {
        use event::Column;
        let db = db(ctx)?;
        let condition = filter.unwrap_or_default().condition(db).await?;
        let orderings = order_by
            .unwrap_or_else(|| vec![EventOrder { field: EventOrderField::StartsOn, direction: OrderDirection::Asc }])
            .into_iter()
            .map(|o| {
                let column = match o.field {
                    EventOrderField::StartsOn => Column::StartsOn,
                    EventOrderField::EndsOn => Column::EndsOn,
                    EventOrderField::Title => Column::Title,
                    EventOrderField::Kind => Column::Kind,
                    EventOrderField::CreatedAt => Column::CreatedAt,
                };
                (column, o.direction)
            });
        let select = apply_order(event::Entity::find().filter(condition), orderings, Column::Id);
        paginate(ctx, db, select, PageArgs::new(after, before, first, last), Event).await
    }
}

/// `event_id`s of the events `country_id` took part in, as a subquery.
pub fn events_with_participant(country_id: i32) -> sea_orm::sea_query::SelectStatement {
    event_participant::Entity::find()
        .select_only()
        .column(event_participant::Column::EventId)
        .filter(event_participant::Column::CountryId.eq(country_id))
        .into_query()
}
