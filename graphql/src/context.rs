//! Who is asking. The HTTP and WebSocket layers resolve a [`Viewer`] once per request or
//! connection and put it in the request data; guards and services read it from there.

use entity::user_account::UserRole;

use crate::error::{AppError, Result};

/// A signed-in user as the database says they are now (not as an old token claimed).
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    pub user_id: i32,
    pub email: String,
    pub role: UserRole,
    /// The country a CHAMPION account acts for.
    pub country_id: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Viewer {
    #[default]
    Anonymous,
    User(Principal),
}

/// What a field or mutation demands of the viewer. Row-level rules (a Champion sees only its
/// own country's records) are applied by the services on top of this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Any active account.
    SignedIn,
    /// Secretariat or working-group lead.
    Triage,
    /// Secretariat only.
    Admin,
}

impl Viewer {
    pub fn principal(&self) -> Result<&Principal> {
        match self {
            Self::User(principal) => Ok(principal),
            Self::Anonymous => Err(AppError::Unauthenticated),
        }
    }

    pub fn require(&self, access: Access) -> Result<&Principal> {
        let principal = self.principal()?;
        let allowed = match access {
            Access::SignedIn => true,
            Access::Triage => matches!(principal.role, UserRole::Admin | UserRole::WgLead),
            Access::Admin => principal.role == UserRole::Admin,
        };
        if allowed { Ok(principal) } else { Err(AppError::Forbidden) }
    }

    pub fn is_admin(&self) -> bool {
        matches!(self, Self::User(p) if p.role == UserRole::Admin)
    }

    pub fn user_id(&self) -> Option<i32> {
        match self {
            Self::User(p) => Some(p.user_id),
            Self::Anonymous => None,
        }
    }
}

/// The request's database handle (see [`crate::engine::database`]): reads go through it; write
/// transactions open on its [`RequestDb::pool`](crate::engine::database::RequestDb::pool).
pub fn db<'a>(ctx: &'a async_graphql::Context<'_>) -> Result<&'a crate::engine::database::RequestDb> {
    shared(ctx)
}

/// A value the server put in the schema's or the request's data (token service, throttle, …);
/// its absence is a wiring bug, reported as `INTERNAL`.
pub fn shared<'a, T: std::any::Any + Send + Sync>(ctx: &'a async_graphql::Context<'_>) -> Result<&'a T> {
    ctx.data::<T>()
        .map_err(|_| AppError::internal(format!("{} missing from the schema data", std::any::type_name::<T>())))
}
