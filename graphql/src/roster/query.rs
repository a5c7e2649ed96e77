use async_graphql::{Context, InputObject, Object};
use chrono::Utc;
use entity::champion_term::{self, ChampionTermKind};
use entity::country;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};

use super::ChampionTerm;
use super::service::holds_on;
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::country::Country;
use crate::error::Result;
use crate::pagination::{AppConnection, EnumFilter, PageArgs, StringFilter, paginate};
use crate::scalars::Date;

/// Which roster terms to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct ChampionTermFilter {
    /// ISO3 codes of the countries.
    pub country: Option<StringFilter>,
    /// Only designations, or only co-chair terms.
    pub kind: Option<EnumFilter<ChampionTermKind>>,
    /// Only open (true) or only ended (false) terms.
    pub open: Option<bool>,
}

impl ChampionTermFilter {
    fn condition(&self) -> Condition {
        use champion_term::Column;
        let mut condition = Condition::all();
        if let Some(f) = &self.country {
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
            condition = condition.add(Column::CountryId.in_subquery(ids));
        }
        if let Some(f) = &self.kind {
            condition = condition.add(f.condition(Column::Kind));
        }
        if let Some(open) = self.open {
            condition = condition.add(if open { Column::EndReason.is_null() } else { Column::EndReason.is_not_null() });
        }
        condition
    }
}

#[derive(Default)]
pub struct RosterQuery;

#[Object]
impl RosterQuery {
    /// The roster's terms, designations and co-chair terms, ended ones included: by start date (undated first), then
    /// in the order recorded.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn champion_terms(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which terms; all when omitted.")] filter: Option<ChampionTermFilter>,
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
    ) -> Result<AppConnection<ChampionTerm>> {
        use champion_term::Column;
        let orderings = [(Column::StartedOn, crate::pagination::OrderDirection::Asc)];
        let select = crate::pagination::apply_order(
            champion_term::Entity::find().filter(filter.unwrap_or_default().condition()),
            orderings,
            Column::Id,
        );
        paginate(ctx, db(ctx)?, select, PageArgs::new(after, before, first, last), ChampionTerm).await
    }

    /// The countries known to be Champions (or co-chairs, with `kind: CO_CHAIR`) on a day, by name. A term counts
    /// from the end of the period its start date stands for (a designation "in May 2021" counts from 31 May), until
    /// the first day of the period it ended in; a term no source dates is not counted.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn champions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day; today (UTC) when omitted.")] as_of: Option<Date>,
        #[graphql(default_with = "ChampionTermKind::Champion", desc = "CHAMPION (default) or CO_CHAIR.")]
        kind: ChampionTermKind,
    ) -> Result<Vec<Country>> {
        let day = as_of.map_or_else(|| Utc::now().date_naive(), |Date(d)| d);
        let db = db(ctx)?;
        let terms = champion_term::Entity::find().filter(champion_term::Column::Kind.eq(kind)).all(db).await?;
        let holding: Vec<i32> = terms.iter().filter(|t| holds_on(t, day)).map(|t| t.country_id).collect();
        let countries = country::Entity::find()
            .filter(country::Column::Id.is_in(holding))
            .order_by_asc(country::Column::Name)
            .all(db)
            .await?;
        Ok(countries.into_iter().map(Country).collect())
    }
}
