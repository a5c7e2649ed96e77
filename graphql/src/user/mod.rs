//! Accounts: who signs in, with which role, for which country.

pub mod service;

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::country;
use entity::user_account::{self, UserRole};

use crate::auth::guard::{Require, viewer};
use crate::auth::jwt::TokenService;
use crate::context::{Access, Viewer, db};
use crate::country::Country;
use crate::error::AppError;
use crate::loader::{by_id, maybe_by_id};
use crate::node::{NodeType, global_id};

/// A person who signs in. Visible to themselves and to the Secretariat.
pub struct User(pub user_account::Model);

impl User {
    pub fn visible_to(viewer: &Viewer, user: &user_account::Model) -> bool {
        viewer.is_admin() || viewer.user_id() == Some(user.id)
    }
}

#[Object]
impl User {
    pub async fn id(&self) -> ID {
        global_id(NodeType::User, self.0.id)
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    async fn role(&self) -> UserRole {
        self.0.role
    }
    /// The Champion country a CHAMPION account acts for.
    async fn country(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Country>> {
        Ok(maybe_by_id::<country::Entity>(ctx, self.0.country_id).await?.map(Country))
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn last_login_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_login_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub token_type: &'static str,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The signed-in user.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        let principal = viewer(ctx).principal()?;
        let user = by_id::<user_account::Entity>(ctx, principal.user_id).await?.ok_or(AppError::Unauthenticated)?;
        Ok(User(user))
    }
}

#[derive(Default)]
pub struct UserMutation;

#[Object]
impl UserMutation {
    /// Exchanges an email and password for an access token. A wrong email and a wrong password
    /// get the same answer.
    async fn login(&self, ctx: &Context<'_>, email: String, password: String) -> async_graphql::Result<LoginPayload> {
        let tokens = ctx.data::<std::sync::Arc<TokenService>>()?;
        let (token, expires_at, user) = service::login(db(ctx)?, tokens, &email, password).await?;
        Ok(LoginPayload { token, token_type: "Bearer", expires_at, user: User(user) })
    }
}
