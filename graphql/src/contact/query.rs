use async_graphql::{Context, Enum, ID, InputObject, Object};
use entity::contact;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::Contact;
use crate::auth::guard::{Require, viewer};
use crate::context::{Access, db};
use crate::country::find_by_iso3;
use crate::error::Result;
use crate::id::{NodeType, expect_global_id};
use crate::pagination::{AppConnection, OrderDirection, PageArgs, StringFilter, apply_order, paginate};
use crate::policy::readable_rows;

/// Which contacts to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct ContactFilter {
    /// ISO3 code of the country the contacts work for.
    pub country: Option<String>,
    /// Only contacts of this stakeholder.
    pub stakeholder: Option<ID>,
    /// Words in the name, email or title, ignoring case.
    pub search: Option<String>,
}

/// What a list of contacts can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ContactOrderField {
    /// By the person's name, compared as text.
    Name,
    /// By when it was recorded.
    CreatedAt,
}

/// One sort key of a list of contacts.
#[derive(InputObject)]
pub struct ContactOrder {
    /// What to sort by.
    pub field: ContactOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl ContactFilter {
    async fn condition(&self, db: &impl ConnectionTrait) -> Result<Condition> {
        use contact::Column;
        let mut condition = Condition::all();
        if let Some(iso3) = &self.country {
            let country = find_by_iso3(db, iso3, "filter.country").await?;
            condition = condition.add(Column::CountryId.eq(country.id));
        }
        if let Some(id) = &self.stakeholder {
            let stakeholder = expect_global_id(id, NodeType::Stakeholder, "filter.stakeholder")?;
            condition = condition.add(Column::StakeholderId.eq(stakeholder));
        }
        if let Some(text) = &self.search {
            let contains = StringFilter { contains: Some(text.clone()), ..Default::default() };
            condition = condition.add(
                Condition::any()
                    .add(contains.condition(Column::Name))
                    .add(contains.condition(Column::Email))
                    .add(contains.condition(Column::Title)),
            );
        }
        Ok(condition)
    }
}

#[derive(Default)]
pub struct ContactQuery;

#[Object]
impl ContactQuery {
    /// Contacts the viewer may read (a Champion focal point: its own country's), by name by default.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which contacts; all the viewer may read when omitted.")] filter: Option<ContactFilter>,
        #[graphql(desc = "Sort keys, the first one first; by name when omitted. Ties go by entry order.")]
        order_by: Option<Vec<ContactOrder>>,
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
    ) -> Result<AppConnection<Contact>> {
        use contact::Column;
        let db = db(ctx)?;
        // A focal point's scope is its country, which leaves out every stakeholder's contacts.
        let condition = Condition::all()
            .add(readable_rows(viewer(ctx), Column::CountryId)?)
            .add(filter.unwrap_or_default().condition(db).await?);
        let orderings = order_by
            .unwrap_or_else(|| vec![ContactOrder { field: ContactOrderField::Name, direction: OrderDirection::Asc }])
            .into_iter()
            .map(|o| {
                let column = match o.field {
                    ContactOrderField::Name => Column::Name,
                    ContactOrderField::CreatedAt => Column::CreatedAt,
                };
                (column, o.direction)
            });
        let select = apply_order(contact::Entity::find().filter(condition), orderings, Column::Id);
        paginate(ctx, db, select, PageArgs::new(after, before, first, last), Contact).await
    }
}
