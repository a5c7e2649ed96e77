use async_graphql::{Context, Enum, InputObject, Object};
use entity::country;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::Country;
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::error::{AppError, Result};
use crate::pagination::{
    AppConnection, DateFilter, OrderDirection, PageArgs, StringFilter, apply_order, item_selections, paginate,
};

/// Which countries to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct CountryFilter {
    /// Only countries whose ISO 3166-1 alpha-3 code matches (codes are upper case, e.g. `MAR`).
    pub iso3: Option<StringFilter>,
    /// Only countries whose short English name matches.
    pub name: Option<StringFilter>,
    /// Only countries of matching continental regions, e.g. `{eq: "Africa"}`.
    pub region: Option<StringFilter>,
    /// Only countries of matching subregions.
    pub subregion: Option<StringFilter>,
    /// true: only Champion countries; false: only the others.
    pub is_champion: Option<bool>,
    /// Only countries that became Champions on these days.
    pub champion_since: Option<DateFilter>,
    /// Matches the name, official name or ISO codes, ignoring case.
    pub search: Option<String>,
}

/// What a list of countries can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum CountryOrderField {
    /// By short English name, compared as text.
    Name,
    /// By ISO 3166-1 alpha-3 code.
    #[graphql(name = "ISO3")]
    Iso3,
    /// By continental region, compared as text.
    Region,
    /// By the day it became a Champion.
    ChampionSince,
}

/// One sort key of a list of countries.
#[derive(InputObject)]
pub struct CountryOrder {
    /// What to sort by.
    pub field: CountryOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl CountryFilter {
    fn condition(&self) -> Condition {
        let mut condition = Condition::all();
        if let Some(f) = &self.iso3 {
            condition = condition.add(f.condition(country::Column::Iso3));
        }
        if let Some(f) = &self.name {
            condition = condition.add(f.condition(country::Column::Name));
        }
        if let Some(f) = &self.region {
            condition = condition.add(f.condition(country::Column::Region));
        }
        if let Some(f) = &self.subregion {
            condition = condition.add(f.condition(country::Column::Subregion));
        }
        if let Some(is_champion) = self.is_champion {
            condition = condition.add(country::Column::IsChampion.eq(is_champion));
        }
        if let Some(f) = &self.champion_since {
            condition = condition.add(f.condition(country::Column::ChampionSince));
        }
        if let Some(text) = &self.search {
            let contains = StringFilter { contains: Some(text.clone()), ..Default::default() };
            condition = condition.add(
                Condition::any()
                    .add(contains.condition(country::Column::Name))
                    .add(contains.condition(country::Column::OfficialName))
                    .add(contains.condition(country::Column::Iso3))
                    .add(contains.condition(country::Column::Iso2)),
            );
        }
        condition
    }
}

#[derive(Default)]
pub struct CountryQuery;

#[Object]
impl CountryQuery {
    /// UN Member States, by default in name order.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn countries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which countries; all when omitted.")] filter: Option<CountryFilter>,
        #[graphql(desc = "Sort keys, the first one first; by name when omitted. Ties go by entry order.")]
        order_by: Option<Vec<CountryOrder>>,
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
    ) -> Result<AppConnection<Country>> {
        let filter = filter.unwrap_or_default();
        let orderings = order_by
            .unwrap_or_else(|| vec![CountryOrder { field: CountryOrderField::Name, direction: OrderDirection::Asc }])
            .into_iter()
            .map(|o| {
                let column = match o.field {
                    CountryOrderField::Name => country::Column::Name,
                    CountryOrderField::Iso3 => country::Column::Iso3,
                    CountryOrderField::Region => country::Column::Region,
                    CountryOrderField::ChampionSince => country::Column::ChampionSince,
                };
                (column, o.direction)
            });
        let select = apply_order(country::Entity::find().filter(filter.condition()), orderings, country::Column::Id);
        let page = PageArgs::new(after, before, first, last);
        let connection = paginate(ctx, db(ctx)?, select, page, Country).await?;
        let ids: Vec<i32> = connection.edges.iter().map(|edge| edge.node.0.id).collect();
        for items in item_selections(ctx) {
            super::prefetch(ctx, &items, &ids).await?;
        }
        Ok(connection)
    }

    /// One country by its ISO 3166-1 alpha-3 code (case-insensitive).
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn country(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "ISO 3166-1 alpha-3 code, e.g. `MAR`.")] iso3: String,
    ) -> Result<Option<Country>> {
        Ok(Some(Country(find_by_iso3(db(ctx)?, &iso3, "iso3").await?)))
    }
}

pub async fn find_by_iso3(db: &impl ConnectionTrait, iso3: &str, field: &str) -> Result<country::Model> {
    let code = iso3.trim().to_ascii_uppercase();
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(AppError::bad_input(field, "An ISO 3166-1 alpha-3 code has exactly three letters"));
    }
    country::Entity::find()
        .filter(country::Column::Iso3.eq(code))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Country", field))
}
