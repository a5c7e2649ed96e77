use async_graphql::{Context, Enum, InputObject, Object};
use entity::event::{self, EventKind};
use entity::{event_participant, event_section};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use super::Event;
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::country::find_by_iso3;
use crate::error::AppResult;
use crate::guide::find_section_by_code;
use crate::pagination::{
    AppConnection, DateFilter, EnumFilter, OrderDirection, PageArgs, StringFilter, apply_order, paginate,
};
use crate::scalars::Date;
use crate::validate::date_order;

#[derive(InputObject, Default)]
pub struct EventFilter {
    pub kind: Option<EnumFilter<EventKind>>,
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

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum EventOrderField {
    StartsOn,
    EndsOn,
    Title,
    Kind,
    CreatedAt,
}

#[derive(InputObject)]
pub struct EventOrder {
    pub field: EventOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl EventFilter {
    async fn condition(&self, db: &impl ConnectionTrait) -> AppResult<Condition> {
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
    #[allow(clippy::too_many_arguments)]
    async fn events(
        &self,
        ctx: &Context<'_>,
        filter: Option<EventFilter>,
        order_by: Option<Vec<EventOrder>>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<AppConnection<Event>> {
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
        Ok(paginate(ctx, db, select, PageArgs::new(after, before, first, last), Event).await?)
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
