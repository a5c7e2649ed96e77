use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use entity::country;
use entity::user_account::{self, UserRole};

use super::service;
use super::{LoginPayload, User};
use crate::auth::guard::{Require, viewer};
use crate::auth::jwt::TokenService;
use crate::auth::throttle::{ClientAddress, LoginThrottle};
use crate::context::{Access, db, shared};
use crate::engine::loader::Keyed;
use crate::engine::loader::maybe_by_id;
use crate::error::AppError;
use crate::error::Result;
use crate::id::NodeType;
use crate::id::expect_global_id;
use crate::write::Change;
use crate::write::UnitOfWork;

/// A new account; it can sign in at once.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// Sign-in email; unique, kept in lower case.
    pub email: String,
    /// Name shown for the person, up to 200 characters; the email when omitted.
    pub display_name: Option<String>,
    /// At least 10 characters.
    pub password: String,
    /// What the account may do.
    pub role: UserRole,
    /// ISO3 code of the Champion country, for CHAMPION accounts only.
    pub country: Option<String>,
}

/// Changes to an account; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateUserInput {
    /// New name shown, up to 200 characters.
    pub display_name: Option<String>,
    /// New role: a CHAMPION needs `country`, the other roles have none. You cannot give up ADMIN yourself.
    pub role: Option<UserRole>,
    /// ISO3 code of the Champion country (CHAMPION accounts); null to clear.
    pub country: MaybeUndefined<String>,
}

async fn set_active(ctx: &Context<'_>, id: ID, expected_version: i32, active_now: bool) -> Result<User> {
    let key = expect_global_id(&id, NodeType::User, "id")?;
    let acting = viewer(ctx).user_id();
    let work = UnitOfWork::begin(ctx).await?;
    let (before, after) = service::set_active(work.txn(), acting, key, expected_version, active_now).await?;
    work.commit(Change::updated(NodeType::User, after.id, &before, &after)).await?;
    Ok(User(after))
}

#[derive(Default)]
pub struct UserMutation;

#[Object]
impl UserMutation {
    /// Exchanges an email and password for an access token. A wrong email and a wrong password
    /// get the same answer.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's email, in any case.")] email: String,
        #[graphql(desc = "The account's password.")] password: String,
    ) -> Result<LoginPayload> {
        let tokens = shared::<Arc<TokenService>>(ctx)?;
        let throttle = shared::<Arc<LoginThrottle>>(ctx)?;
        let address = ctx.data_opt::<ClientAddress>().and_then(|a| a.0);
        let (token, expires_at, before) =
            service::login(db(ctx)?.pool(), tokens, throttle, address, &email, password).await?;
        let actor = crate::write::Actor { id: Some(before.id), email: before.email.clone() };
        let work = UnitOfWork::begin_as(ctx, actor, "login").await?;
        let user = service::touch_last_login(work.txn(), before.clone()).await?;
        work.commit(Change::updated(NodeType::User, user.id, &before, &user)).await?;
        Ok(LoginPayload { token, token_type: "Bearer", expires_at, user: User(user) })
    }

    /// Changes the signed-in user's password. Tokens issued before the change stop working; the
    /// answer carries a fresh one.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The password in use now.")] current_password: String,
        #[graphql(desc = "10 to 256 characters, different from the current one.")] new_password: String,
    ) -> Result<LoginPayload> {
        let principal = viewer(ctx).principal()?;
        let tokens = shared::<Arc<TokenService>>(ctx)?;
        let work = UnitOfWork::begin(ctx).await?;
        let before = user_account::Entity::find_by_key(principal.user_id)
            .one(work.txn())
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let throttle = shared::<Arc<LoginThrottle>>(ctx)?;
        let after =
            service::change_password(work.txn(), throttle, before.clone(), current_password, new_password).await?;
        let extra = vec![("password", serde_json::Value::Null, serde_json::json!("changed"))];
        work.commit(Change::updated(NodeType::User, after.id, &before, &after).with(extra)).await?;
        let iso3 = maybe_by_id::<country::Entity>(ctx, after.country_id).await?.map(|c| c.iso3);
        let (token, expires_at) = tokens.issue(after.id, after.role, iso3)?;
        Ok(LoginPayload { token, token_type: "Bearer", expires_at, user: User(after) })
    }

    /// Creates an account. Secretariat only.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account to create.")] input: CreateUserInput,
    ) -> Result<User> {
        let work = UnitOfWork::begin(ctx).await?;
        let created = service::create_user_in(
            work.txn(),
            service::NewUser {
                email: input.email,
                display_name: input.display_name,
                password: input.password,
                role: input.role,
                country_iso3: input.country,
            },
        )
        .await?;
        work.commit(Change::created(NodeType::User, created.id, &created)).await?;
        Ok(User(created))
    }

    /// Changes an account's name, role or country. Secretariat only.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the account.")] id: ID,
        #[graphql(desc = "The fields to change; those left out stay as they are.")] input: UpdateUserInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<User> {
        let key = expect_global_id(&id, NodeType::User, "id")?;
        let acting = viewer(ctx).user_id();
        let changes =
            service::AccountChanges { display_name: input.display_name, role: input.role, country: input.country };
        let work = UnitOfWork::begin(ctx).await?;
        let (before, after) = service::update_account(work.txn(), acting, key, expected_version, changes).await?;
        work.commit(Change::updated(NodeType::User, after.id, &before, &after)).await?;
        Ok(User(after))
    }

    /// Deactivates an account: it can no longer sign in, and its existing tokens stop working at
    /// once. Secretariat only; you cannot deactivate yourself.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn deactivate_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the account.")] id: ID,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<User> {
        set_active(ctx, id, expected_version, false).await
    }

    /// Lets a deactivated account sign in again. Secretariat only.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn reactivate_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the account.")] id: ID,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<User> {
        set_active(ctx, id, expected_version, true).await
    }
}
