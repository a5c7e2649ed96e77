//! The caller of an HTTP request, from its bearer token.

use graphql::auth::{authenticate, bearer_token};
use graphql::context::Viewer;
use graphql::error::AppError;
use poem::Response;
use poem::http::{HeaderMap, StatusCode, header};
use sea_orm::ConnectionTrait;

use super::errors::{request_error, unauthenticated};
use super::state::AppState;

pub(crate) async fn viewer_from_headers(
    state: &AppState,
    db: &impl ConnectionTrait,
    headers: &HeaderMap,
) -> Result<Viewer, Response> {
    let header = match headers.get(header::AUTHORIZATION) {
        None => return Ok(Viewer::Anonymous),
        Some(value) => value.to_str().map_err(|_| unauthenticated())?,
    };
    let token = bearer_token(header).map_err(|_| unauthenticated())?;
    match authenticate(db, &state.tokens, Some(token)).await {
        Ok(viewer) => Ok(viewer),
        Err(AppError::Unauthenticated) => Err(unauthenticated()),
        Err(_) => {
            Err(request_error(StatusCode::SERVICE_UNAVAILABLE, "INTERNAL", "Could not verify the token now; retry"))
        }
    }
}
