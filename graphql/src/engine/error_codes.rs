//! Gives every error that leaves the schema an `extensions.code` (the gateway applies it to every
//! response, HTTP and WebSocket). Resolver errors are coded at their source
//! ([`crate::error::AppError`]); this covers what async-graphql raises itself (validation,
//! limits, input coercion) and masks anything uncoded from inside a resolver, which can only be
//! an internal failure.

use async_graphql::{Response, ServerError};

fn has_code(error: &ServerError) -> bool {
    error.extensions.as_ref().is_some_and(|ext| ext.get("code").is_some())
}

fn set(error: &mut ServerError, code: &str, field: Option<String>) {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", code);
    if let Some(field) = field {
        extensions.set("field", field);
    }
}

/// `Invalid value for argument "filter.kind.eq", …` → `filter.kind.eq`;
/// `Variable "$id" got invalid value …` → `id`.
fn invalid_input_field(message: &str) -> Option<String> {
    let quoted = |rest: &str| rest.split('"').next().map(str::to_owned);
    if let Some(rest) = message.strip_prefix("Invalid value for argument \"") {
        return quoted(rest);
    }
    if let Some(rest) = message.strip_prefix("Variable \"$") {
        return quoted(rest);
    }
    None
}

/// `error` with `code`, unless it already has one.
pub fn with_code(mut error: ServerError, code: &str) -> ServerError {
    if !has_code(&error) {
        set(&mut error, code, None);
    }
    error
}

fn code_validation_error(error: &mut ServerError) {
    if has_code(error) {
        return;
    }
    // The limits async-graphql enforces get codes of their own, so clients can tell them apart.
    let limit = match error.message.as_str() {
        "Query is nested too deep." => Some("QUERY_TOO_DEEP"),
        "Query is too complex." => Some("QUERY_TOO_COMPLEX"),
        _ => None,
    };
    match (limit, invalid_input_field(&error.message)) {
        (Some(code), _) => set(error, code, None),
        (None, Some(field)) => set(error, "BAD_USER_INPUT", Some(field)),
        (None, None) => set(error, "GRAPHQL_VALIDATION_FAILED", None),
    }
}

/// Most errors one response lists, as graphql-js's `validate` stops at 100: a document built to
/// fail thousands of times would otherwise cost megabytes of answer.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// Keeps the first [`MAX_REPORTED_ERRORS`] errors and says how many more there were, under the
/// code of the last one kept (the ones dropped are of the same run of checks).
pub fn cap_errors(response: &mut Response) {
    let total = response.errors.len();
    if total <= MAX_REPORTED_ERRORS {
        return;
    }
    response.errors.truncate(MAX_REPORTED_ERRORS - 1);
    let code =
        response.errors.last().and_then(|error| error.extensions.as_ref()).and_then(|ext| ext.get("code")).cloned();
    let mut summary = ServerError::new(
        format!(
            "{} more errors are not listed (at most {MAX_REPORTED_ERRORS} are reported)",
            total - response.errors.len()
        ),
        None,
    );
    if let Some(async_graphql::Value::String(code)) = code {
        set(&mut summary, &code, None);
    }
    response.errors.push(summary);
}

/// Errors still uncoded after execution: input that failed to parse inside a resolver's
/// arguments is the client's fault; anything else is internal and its text must not leak.
pub fn ensure_codes(response: &mut Response) {
    for error in &mut response.errors {
        if has_code(error) {
            continue;
        }
        if error.path.is_empty() {
            code_validation_error(error);
        } else if ["Failed to parse", "Invalid value", "Expected input type"]
            .iter()
            .any(|p| error.message.starts_with(p))
        {
            let field = invalid_input_field(&error.message);
            set(error, "BAD_USER_INPUT", field);
        } else {
            tracing::error!(message = %error.message, path = ?error.path, "uncoded resolver error");
            error.message = "Internal error; it has been logged".into();
            set(error, "INTERNAL", None);
        }
    }
    cap_errors(response);
}
