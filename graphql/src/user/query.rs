use async_graphql::{Context, InputObject, Object};
use entity::user_account::{self, UserRole};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use super::User;
use crate::auth::guard::{Require, viewer};
use crate::context::{Access, db};
use crate::country::find_by_iso3;
use crate::engine::loader::by_id;
use crate::error::AppError;
use crate::error::Result;
use crate::pagination::{AppConnection, EnumFilter, OrderDirection, PageArgs, StringFilter, apply_order, paginate};

/// Which accounts to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct UserFilter {
    /// Only accounts with these roles.
    pub role: Option<EnumFilter<UserRole>>,
    /// true: only active accounts; false: only deactivated ones.
    pub active: Option<bool>,
    /// ISO3 code of the country a CHAMPION account acts for.
    pub country: Option<String>,
    /// Part of the email or display name, ignoring case.
    pub search: Option<String>,
}

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// Accounts, by email. Secretariat only.
    #[graphql(
        guard = "Require(Access::Admin)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which accounts; all when omitted.")] filter: Option<UserFilter>,
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
    ) -> Result<AppConnection<User>> {
        use user_account::Column;
        let db = db(ctx)?;
        let filter = filter.unwrap_or_default();
        let mut condition = Condition::all();
        if let Some(f) = &filter.role {
            condition = condition.add(f.condition(Column::Role));
        }
        if let Some(active) = filter.active {
            condition = condition.add(Column::Active.eq(active));
        }
        if let Some(iso3) = &filter.country {
            condition = condition.add(Column::CountryId.eq(find_by_iso3(db, iso3, "filter.country").await?.id));
        }
        if let Some(text) = &filter.search {
            let contains = StringFilter { contains: Some(text.clone()), ..Default::default() };
            condition = condition.add(
                Condition::any().add(contains.condition(Column::Email)).add(contains.condition(Column::DisplayName)),
            );
        }
        let select = apply_order(
            user_account::Entity::find().filter(condition),
            [(Column::Email, OrderDirection::Asc)],
            Column::Id,
        );
        paginate(ctx, db, select, PageArgs::new(after, before, first, last), User).await
    }

    /// The signed-in user.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn me(&self, ctx: &Context<'_>) -> Result<User> {
        let principal = viewer(ctx).principal()?;
        let user = by_id::<user_account::Entity>(ctx, principal.user_id).await?.ok_or(AppError::Unauthenticated)?;
        Ok(User(user))
    }
}
