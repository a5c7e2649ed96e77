//! Authentication (passwords, tokens) and the guard every resolver uses for authorization.

pub mod guard;
pub mod jwt;
pub mod password;
pub mod throttle;

use entity::user_account;
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::context::{Principal, Viewer};
use crate::error::{AppError, Result};
use jwt::TokenService;

/// Turns an optional bearer token into a viewer. No token means anonymous; a token that is
/// invalid, expired, or names a missing or deactivated account is rejected outright.
pub async fn authenticate(db: &impl ConnectionTrait, tokens: &TokenService, bearer: Option<&str>) -> Result<Viewer> {
    Ok(authenticate_until(db, tokens, bearer).await?.0)
}

/// Like [`authenticate`], also returning when the token expires (Unix seconds), so long-lived
/// connections can be closed then.
pub async fn authenticate_until(
    db: &impl ConnectionTrait,
    tokens: &TokenService,
    bearer: Option<&str>,
) -> Result<(Viewer, Option<i64>)> {
    let Some(token) = bearer else {
        return Ok((Viewer::Anonymous, None));
    };
    let claims = tokens.verify(token)?;
    let user_id: i32 = claims.sub.parse().map_err(|_| AppError::Unauthenticated)?;
    let user = crate::engine::rows::fetch_one(db, user_account::Entity::find_by_id(user_id))
        .await?
        .filter(|user| user.active)
        .ok_or(AppError::Unauthenticated)?;
    if user.credentials_changed_at.is_some_and(|changed| claims.iat < changed.timestamp()) {
        return Err(AppError::Unauthenticated);
    }
    let principal = Principal { user_id: user.id, email: user.email, role: user.role, country_id: user.country_id };
    Ok((Viewer::User(principal), Some(claims.exp)))
}

/// Whether the account behind `viewer` still has the rights it had when `viewer` was made:
/// active, with the same role, country and email. Long-lived connections ask before delivering
/// anything, so a demotion or a move to another country takes effect on the next event.
pub async fn still_holds(db: &impl ConnectionTrait, viewer: &Viewer) -> bool {
    let Viewer::User(principal) = viewer else { return true };
    match crate::engine::rows::fetch_one(db, user_account::Entity::find_by_id(principal.user_id)).await {
        Ok(Some(user)) => {
            user.active
                && user.role == principal.role
                && user.country_id == principal.country_id
                && user.email == principal.email
        }
        Ok(None) => false,
        Err(error) => {
            tracing::warn!(%error, "re-checking a subscriber's account");
            false
        }
    }
}

/// Extracts the token from an `Authorization` header value (`Bearer <token>`).
pub fn bearer_token(header: &str) -> Result<&str> {
    let (scheme, token) = header.trim().split_once(' ').ok_or(AppError::Unauthenticated)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(AppError::Unauthenticated);
    }
    Ok(token.trim())
}
