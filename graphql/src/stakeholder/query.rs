use async_graphql::{Context, Enum, InputObject, Object};
use entity::stakeholder::{self, StakeholderKind};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use super::Stakeholder;
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::country::find_by_iso3;
use crate::error::Result;
use crate::pagination::{AppConnection, EnumFilter, OrderDirection, PageArgs, StringFilter, apply_order, paginate};

/// Which stakeholders to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct StakeholderFilter {
    /// Only stakeholders whose name matches.
    pub name: Option<StringFilter>,
    /// Only stakeholders of these kinds.
    pub kind: Option<EnumFilter<StakeholderKind>>,
    /// ISO3 of the country the stakeholder is based in.
    pub country: Option<String>,
    /// Words in the name or acronym, ignoring case.
    pub search: Option<String>,
}

/// What a list of stakeholders can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum StakeholderOrderField {
    /// By name, compared as text.
    Name,
    /// By kind, in the alphabetical order of the value names.
    Kind,
    /// By when it was recorded.
    CreatedAt,
}

/// One sort key of a list of stakeholders.
#[derive(InputObject)]
pub struct StakeholderOrder {
    /// What to sort by.
    pub field: StakeholderOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

#[derive(Default)]
pub struct StakeholderQuery;

#[Object]
impl StakeholderQuery {
    /// Stakeholders, by default by name; filter by name, kind, country or text.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn stakeholders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which stakeholders; all when omitted.")] filter: Option<StakeholderFilter>,
        #[graphql(desc = "Sort keys, the first one first; by name when omitted. Ties go by entry order.")]
        order_by: Option<Vec<StakeholderOrder>>,
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
    ) -> Result<AppConnection<Stakeholder>> {
        let db = db(ctx)?;
        let filter = filter.unwrap_or_default();
        let mut condition = Condition::all();
        if let Some(f) = &filter.name {
            condition = condition.add(f.condition(stakeholder::Column::Name));
        }
        if let Some(f) = &filter.kind {
            condition = condition.add(f.condition(stakeholder::Column::Kind));
        }
        if let Some(iso3) = &filter.country {
            let country = find_by_iso3(db, iso3, "filter.country").await?;
            condition = condition.add(stakeholder::Column::CountryId.eq(country.id));
        }
        if let Some(text) = &filter.search {
            let contains = StringFilter { contains: Some(text.clone()), ..Default::default() };
            condition = condition.add(
                Condition::any()
                    .add(contains.condition(stakeholder::Column::Name))
                    .add(contains.condition(stakeholder::Column::Acronym)),
            );
        }
        let orderings = order_by
            .unwrap_or_else(|| {
                vec![StakeholderOrder { field: StakeholderOrderField::Name, direction: OrderDirection::Asc }]
            })
            .into_iter()
            .map(|o| {
                let column = match o.field {
                    StakeholderOrderField::Name => stakeholder::Column::Name,
                    StakeholderOrderField::Kind => stakeholder::Column::Kind,
                    StakeholderOrderField::CreatedAt => stakeholder::Column::CreatedAt,
                };
                (column, o.direction)
            });
        let select = apply_order(stakeholder::Entity::find().filter(condition), orderings, stakeholder::Column::Id);
        paginate(ctx, db, select, PageArgs::new(after, before, first, last), Stakeholder).await
    }
}
