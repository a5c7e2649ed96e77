//! One error type for the whole API. Every error that reaches a client carries `extensions.code`;
//! internal details are logged, never sent.

use async_graphql::ErrorExtensions;

/// Deliberately not `Display`: async-graphql turns any `Display` type into an error without a
/// code, so keeping this type out of that blanket conversion forces every path through `From`.
#[derive(Debug, Clone, PartialEq)]
pub enum AppError {
    Unauthenticated,
    /// A failed login; deliberately silent on whether the email exists.
    InvalidCredentials,
    Forbidden,
    /// Too many failed sign-ins; try again after the given time.
    RateLimited {
        retry_after_seconds: u64,
    },
    NotFound {
        entity: &'static str,
        field: Option<String>,
    },
    BadInput {
        field: String,
        message: String,
    },
    Conflict {
        field: Option<String>,
        message: String,
    },
    Internal,
}

/// What everything in the API returns, resolvers included: async-graphql takes any `Result` whose
/// error converts into its own, so `?` carries an `AppError` (and its code) all the way out.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadInput { field: field.into(), message: message.into() }
    }

    pub fn not_found(entity: &'static str, field: impl Into<String>) -> Self {
        Self::NotFound { entity, field: Some(field.into()) }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated | Self::InvalidCredentials => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::NotFound { .. } => "NOT_FOUND",
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Conflict { .. } => "CONFLICT",
            Self::Internal => "INTERNAL",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated => "Authentication required: sign in and send a valid bearer token".into(),
            Self::InvalidCredentials => "Invalid email or password".into(),
            Self::Forbidden => "You are not allowed to do this".into(),
            Self::RateLimited { retry_after_seconds } => {
                format!("Too many failed sign-in attempts; try again in {} minute(s)", retry_after_seconds.div_ceil(60))
            }
            Self::NotFound { entity, .. } => format!("{entity} not found"),
            Self::BadInput { message, .. } | Self::Conflict { message, .. } => message.clone(),
            Self::Internal => "Internal error; it has been logged".into(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::BadInput { field, .. } => Some(field),
            Self::NotFound { field, .. } | Self::Conflict { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Logs the cause server-side and yields the opaque client-facing error.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::Internal
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(error: AppError) -> Self {
        async_graphql::Error::new(error.message()).extend_with(|_, extensions| {
            extensions.set("code", error.code());
            if let Some(field) = error.field() {
                extensions.set("field", field);
            }
            if let AppError::RateLimited { retry_after_seconds } = &error {
                extensions.set("retryAfterSeconds", *retry_after_seconds);
            }
        })
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::internal(error)
    }
}

impl From<std::sync::Arc<sea_orm::DbErr>> for AppError {
    fn from(error: std::sync::Arc<sea_orm::DbErr>) -> Self {
        Self::internal(error)
    }
}

impl<E: std::error::Error> From<sea_orm::TransactionError<E>> for AppError {
    fn from(error: sea_orm::TransactionError<E>) -> Self {
        Self::internal(error)
    }
}
