//! Gives every error that leaves the schema an `extensions.code`, on HTTP and WebSocket alike.
//! Resolver errors are coded at their source ([`crate::error::AppError`]); this covers what
//! async-graphql raises itself (parse, validation, limits, input coercion) and masks anything
//! uncoded from inside a resolver, which can only be an internal failure.

use std::sync::Arc;

use async_graphql::async_trait::async_trait;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextSubscribe, NextValidation,
};
use async_graphql::futures_util::StreamExt;
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};

pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

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
}

#[async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        ensure_codes(&mut response);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream)
            .map(|mut response| {
                ensure_codes(&mut response);
                response
            })
            .boxed()
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|mut error| {
            if !has_code(&error) {
                set(&mut error, "GRAPHQL_PARSE_FAILED", None);
            }
            error
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|mut errors| {
            errors.iter_mut().for_each(code_validation_error);
            errors
        })
    }
}

/// Refuses documents with more than `max_aliases` aliased fields before validation or execution:
/// aliases let one small query ask for the same expensive field many times.
pub struct AliasLimit {
    pub max_aliases: usize,
}

impl ExtensionFactory for AliasLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AliasLimitExtension { max_aliases: self.max_aliases })
    }
}

struct AliasLimitExtension {
    max_aliases: usize,
}

/// Aliases in `set`, counting a fragment again at every place it is spread (cycles, which
/// validation rejects later, are cut off by the depth bound).
fn count_aliases(
    set: &async_graphql::parser::types::SelectionSet,
    document: &ExecutableDocument,
    depth: usize,
) -> usize {
    use async_graphql::parser::types::Selection;
    if depth > 64 {
        return 0;
    }
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some())
                    + count_aliases(&field.node.selection_set.node, document, depth + 1)
            }
            Selection::InlineFragment(fragment) => {
                count_aliases(&fragment.node.selection_set.node, document, depth + 1)
            }
            Selection::FragmentSpread(spread) => document
                .fragments
                .get(&spread.node.fragment_name.node)
                .map_or(0, |fragment| count_aliases(&fragment.node.selection_set.node, document, depth + 1)),
        })
        .fold(0usize, usize::saturating_add)
}

#[async_trait]
impl Extension for AliasLimitExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let aliases = document
            .operations
            .iter()
            .map(|(_, op)| count_aliases(&op.node.selection_set.node, &document, 0))
            .fold(0usize, usize::saturating_add);
        if aliases > self.max_aliases {
            let mut error = ServerError::new(
                format!("The query uses {aliases} aliases; at most {} are allowed", self.max_aliases),
                None,
            );
            set(&mut error, "TOO_MANY_ALIASES", None);
            return Err(error);
        }
        Ok(document)
    }
}
