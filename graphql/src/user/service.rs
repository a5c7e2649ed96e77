//! Account rules, shared by the GraphQL API, the CLI and the demo loader.

use async_graphql::MaybeUndefined;
use chrono::{DateTime, Utc};
use entity::country;
use entity::user_account::{self, UserRole};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter,
    Set,
};

use crate::auth::jwt::TokenService;
use crate::auth::password::{
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, hash_password, validate_password, verify_password,
};
use crate::auth::throttle::LoginThrottle;
use crate::country::find_by_iso3;
use crate::error::{AppError, Result};
use crate::id::NodeType;
use crate::validate::required_text;
use crate::write::{Actor, Change};
use crate::write::{UnitOfWork, claim_version};

pub struct NewUser {
    pub email: String,
    pub display_name: Option<String>,
    pub password: String,
    pub role: UserRole,
    /// ISO3 of the Champion country; required for CHAMPION, refused for the other roles.
    pub country_iso3: Option<String>,
}

pub fn normalize_email(email: &str) -> Result<String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.contains('@'));
    if valid { Ok(email) } else { Err(AppError::bad_input("email", "Not a valid email address")) }
}

/// Creates an account from the command line (`user add`), audited as made by the command line.
pub async fn add_user_from_command_line(db: &DatabaseConnection, new: NewUser) -> Result<user_account::Model> {
    let actor = Actor { id: None, email: "command line".into() };
    let work = UnitOfWork::begin_outside_request(db, actor, "userAdd").await?;
    let user = create_user_in(work.txn(), new).await?;
    work.commit(Change::created(NodeType::User, user.id, &user)).await?;
    Ok(user)
}

/// Creates an account inside the caller's transaction.
pub async fn create_user_in(txn: &impl ConnectionTrait, new: NewUser) -> Result<user_account::Model> {
    let email = normalize_email(&new.email)?;
    validate_password(&new.password)?;
    let display_name = new.display_name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if display_name.as_ref().is_some_and(|n| n.chars().count() > 200) {
        return Err(AppError::bad_input("displayName", "At most 200 characters"));
    }
    let password_hash = hash_password(new.password).await?;
    let country_id = resolve_role_country(txn, new.role, new.country_iso3.as_deref()).await?;
    let taken =
        user_account::Entity::find().filter(user_account::Column::Email.eq(email.clone())).one(txn).await?.is_some();
    if taken {
        return Err(AppError::Conflict {
            field: Some("email".into()),
            message: "An account with this email exists".into(),
        });
    }
    let now = Utc::now();
    let user = user_account::ActiveModel {
        display_name: Set(display_name.unwrap_or_else(|| email.clone())),
        email: Set(email),
        password_hash: Set(password_hash),
        role: Set(new.role),
        country_id: Set(country_id),
        active: Set(true),
        last_login_at: Set(None),
        credentials_changed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(user)
}

/// Checks the credentials and issues a token. Unknown email, wrong password and deactivated
/// account all fail the same way, in the same time.
pub async fn login(
    db: &DatabaseConnection,
    tokens: &TokenService,
    throttle: &LoginThrottle,
    address: Option<std::net::IpAddr>,
    email: &str,
    password: String,
) -> Result<(String, DateTime<Utc>, user_account::Model)> {
    let email = email.trim().to_lowercase();
    throttle.begin_attempt(&email, address)?;
    let user = user_account::Entity::find().filter(user_account::Column::Email.eq(email.clone())).one(db).await?;
    let matches = verify_password(password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let user = match user {
        Some(user) if matches && user.active => user,
        _ => return Err(AppError::InvalidCredentials),
    };
    throttle.record_success(&email, address)?;
    let (token, expires_at) = issue_for(db, tokens, &user).await?;
    Ok((token, expires_at, user))
}

/// Notes a successful sign-in on the account (inside the caller's transaction).
pub async fn touch_last_login(db: &impl ConnectionTrait, user: user_account::Model) -> Result<user_account::Model> {
    let mut active: user_account::ActiveModel = user.into();
    active.last_login_at = Set(Some(Utc::now()));
    Ok(active.update(db).await?)
}

/// Mints a token for an active account without a password (the CLI's `token` command).
pub async fn mint_token(
    db: &DatabaseConnection,
    tokens: &TokenService,
    email: &str,
) -> Result<(String, DateTime<Utc>)> {
    let email = normalize_email(email)?;
    let user = user_account::Entity::find()
        .filter(user_account::Column::Email.eq(email))
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| AppError::not_found("Active account", "email"))?;
    issue_for(db, tokens, &user).await
}

async fn issue_for(
    db: &DatabaseConnection,
    tokens: &TokenService,
    user: &user_account::Model,
) -> Result<(String, DateTime<Utc>)> {
    let iso3 = match user.country_id {
        Some(id) => country::Entity::find_by_id(id).one(db).await?.map(|c| c.iso3),
        None => None,
    };
    tokens.issue(user.id, user.role, iso3)
}

/// Checks the current password and stores the new one; tokens issued before now stop working.
pub async fn change_password(
    db: &impl ConnectionTrait,
    throttle: &LoginThrottle,
    user: user_account::Model,
    current: String,
    new: String,
) -> Result<user_account::Model> {
    // Guessing the current password is limited like signing in.
    throttle.begin_attempt(&user.email, None)?;
    if !verify_password(current, Some(user.password_hash.clone())).await? {
        return Err(AppError::bad_input("currentPassword", "The current password is not correct"));
    }
    throttle.record_success(&user.email, None)?;
    validate_password(&new).map_err(|_| {
        AppError::bad_input("newPassword", format!("Use {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters"))
    })?;
    if verify_password(new.clone(), Some(user.password_hash.clone())).await? {
        return Err(AppError::bad_input("newPassword", "Choose a password different from the current one"));
    }
    let hash = hash_password(new).await?;
    let mut active: user_account::ActiveModel = user.into();
    active.password_hash = Set(hash);
    // Whole seconds, like a token's `iat`: a token issued after the change in the same second stays valid.
    active.credentials_changed_at = Set(DateTime::from_timestamp(Utc::now().timestamp(), 0));
    Ok(active.update(db).await?)
}

/// Sets the password of the account with `email` without asking for the current one: the
/// operator's way back in from the command line (`user set-password`). Tokens issued before
/// now stop working; the change is audited as made by the command line.
pub async fn set_password(db: &DatabaseConnection, email: &str, new: String) -> Result<user_account::Model> {
    let email = normalize_email(email)?;
    validate_password(&new)?;
    let user = user_account::Entity::find()
        .filter(user_account::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("User", "email"))?;
    let actor = Actor { id: Some(user.id), email: "command line".into() };
    let work = UnitOfWork::begin_outside_request(db, actor, "userSetPassword").await?;
    let before = user_account::Entity::find_by_id(user.id)
        .one(work.txn())
        .await?
        .ok_or_else(|| AppError::not_found("User", "email"))?;
    let mut active: user_account::ActiveModel = before.clone().into();
    active.password_hash = Set(hash_password(new).await?);
    active.credentials_changed_at = Set(DateTime::from_timestamp(Utc::now().timestamp(), 0));
    let after = active.update(work.txn()).await?;
    let extra = vec![("password", serde_json::Value::Null, serde_json::json!("changed"))];
    work.commit(Change::updated(NodeType::User, after.id, &before, &after).with(extra)).await?;
    Ok(after)
}

/// Role and country must agree: CHAMPION accounts act for one Champion country, others for none.
pub async fn resolve_role_country(
    db: &impl ConnectionTrait,
    role: UserRole,
    country_iso3: Option<&str>,
) -> Result<Option<i32>> {
    match (role, country_iso3) {
        (UserRole::Champion, Some(iso3)) => {
            let country = find_by_iso3(db, iso3, "country").await?;
            if !country.is_champion {
                return Err(AppError::bad_input("country", format!("{} is not a Champion country", country.name)));
            }
            Ok(Some(country.id))
        }
        (UserRole::Champion, None) => {
            Err(AppError::bad_input("country", "A CHAMPION account needs its Champion country"))
        }
        (_, Some(_)) => Err(AppError::bad_input("country", "Only CHAMPION accounts are bound to a country")),
        (_, None) => Ok(None),
    }
}

/// Changes to an account, as asked for; fields left out stay as they are.
pub struct AccountChanges {
    pub display_name: Option<String>,
    pub role: Option<UserRole>,
    /// The Champion country's ISO3 code; null to clear; left out, it stays while the role does.
    pub country: MaybeUndefined<String>,
}

/// Claims account `key` at `expected_version` and applies `changes`: a CHAMPION needs a country
/// and the other roles have none, and an administrator cannot take ADMIN from their own account
/// (`acting`). Returns the account before and after.
pub async fn update_account(
    db: &DatabaseTransaction,
    acting: Option<i32>,
    key: i32,
    expected_version: i32,
    changes: AccountChanges,
) -> Result<(user_account::Model, user_account::Model)> {
    let before = claim_version::<user_account::Entity>(db, key, expected_version, "User").await?;
    let role = changes.role.unwrap_or(before.role);
    if acting == Some(before.id) && role != UserRole::Admin {
        return Err(AppError::bad_input("input.role", "You cannot take the ADMIN role from your own account"));
    }
    let country = match changes.country {
        MaybeUndefined::Value(iso3) => Some(iso3),
        MaybeUndefined::Null => None,
        MaybeUndefined::Undefined if role == before.role => match before.country_id {
            Some(id) => country::Entity::find_by_id(id).one(db).await?.map(|c| c.iso3),
            None => None,
        },
        MaybeUndefined::Undefined => None,
    };
    let country_id = resolve_role_country(db, role, country.as_deref()).await?;
    let mut active: user_account::ActiveModel = before.clone().into();
    if let Some(name) = &changes.display_name {
        active.display_name = Set(required_text(name, "displayName", 200)?);
    }
    active.role = Set(role);
    active.country_id = Set(country_id);
    let after = active.update(db).await?;
    Ok((before, after))
}

/// Activates or deactivates account `key`, claimed at `expected_version`. Nobody deactivates
/// their own account (`acting`), and an account already in that state is a conflict. A
/// deactivation also ends every token issued before it, so none comes back with a reactivation.
pub async fn set_active(
    db: &DatabaseTransaction,
    acting: Option<i32>,
    key: i32,
    expected_version: i32,
    active_now: bool,
) -> Result<(user_account::Model, user_account::Model)> {
    if !active_now && acting == Some(key) {
        return Err(AppError::bad_input("id", "You cannot deactivate your own account"));
    }
    let before = claim_version::<user_account::Entity>(db, key, expected_version, "User").await?;
    if before.active == active_now {
        let state = if active_now { "active" } else { "deactivated" };
        return Err(AppError::Conflict {
            field: Some("id".into()),
            message: format!("The account is already {state}"),
        });
    }
    let mut active: user_account::ActiveModel = before.clone().into();
    active.active = Set(active_now);
    if !active_now {
        active.credentials_changed_at = Set(DateTime::from_timestamp(Utc::now().timestamp() + 1, 0));
    }
    let after = active.update(db).await?;
    Ok((before, after))
}
