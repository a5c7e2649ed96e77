//! Checks on every input value of a request, variables and literal arguments alike, before any
//! resolver runs: no string holds U+0000, which PostgreSQL's text columns cannot store (SQLite
//! would store it, so the two databases would disagree), and no list is longer than
//! [`InputLimits::max_list_items`], far below either database's limit on bound parameters.
//! Each refusal is `BAD_USER_INPUT` naming the offending field as a path (`input.sections.3`).

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, Variables};
use async_graphql_value::{ConstValue, Value};

/// The default of [`InputLimits::max_list_items`].
pub const DEFAULT_MAX_LIST_ITEMS: usize = 1_000;

#[derive(Clone, Copy, Debug)]
pub struct InputLimits {
    /// Most items in any list given as input.
    pub max_list_items: usize,
}

impl Default for InputLimits {
    fn default() -> Self {
        Self { max_list_items: DEFAULT_MAX_LIST_ITEMS }
    }
}

/// Refuses the first of a request's variables that breaks a rule above.
pub fn check_variables(variables: &Variables, limits: &InputLimits) -> Result<(), ServerError> {
    for (name, value) in variables.iter() {
        check_const(value, &mut name.to_string(), limits)?;
    }
    Ok(())
}

/// Refuses the first literal argument of `document` that breaks a rule above. The nesting of its
/// selections is bounded by [`crate::engine::document::check`], which runs first.
pub fn check_document(document: &ExecutableDocument, limits: &InputLimits) -> Result<(), ServerError> {
    for (_, operation) in document.operations.iter() {
        check_selection_set(&operation.node.selection_set.node, limits)?;
    }
    for fragment in document.fragments.values() {
        check_selection_set(&fragment.node.selection_set.node, limits)?;
    }
    Ok(())
}

fn check_selection_set(set: &SelectionSet, limits: &InputLimits) -> Result<(), ServerError> {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                for (name, value) in &field.node.arguments {
                    check_literal(&value.node, &mut name.node.to_string(), limits)?;
                }
                check_selection_set(&field.node.selection_set.node, limits)?;
            }
            Selection::InlineFragment(fragment) => check_selection_set(&fragment.node.selection_set.node, limits)?,
            Selection::FragmentSpread(_) => {}
        }
    }
    Ok(())
}

fn refused(field: &str, message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", "BAD_USER_INPUT");
    extensions.set("field", field);
    error
}

fn check_string(text: &str, path: &str) -> Result<(), ServerError> {
    if text.contains('\0') {
        return Err(refused(path, format!("`{path}` contains a NUL character (U+0000), which cannot be stored")));
    }
    Ok(())
}

fn check_length(len: usize, path: &str, limits: &InputLimits) -> Result<(), ServerError> {
    if len > limits.max_list_items {
        let max = limits.max_list_items;
        return Err(refused(path, format!("`{path}` has {len} items; at most {max} are allowed")));
    }
    Ok(())
}

/// Runs `check` on `path` extended by `segment`, then restores `path`.
fn nested<T>(
    path: &mut String,
    segment: &dyn std::fmt::Display,
    check: impl FnOnce(&mut String) -> Result<T, ServerError>,
) -> Result<T, ServerError> {
    let len = path.len();
    path.push('.');
    path.push_str(&segment.to_string());
    let result = check(path);
    path.truncate(len);
    result
}

fn check_const(value: &ConstValue, path: &mut String, limits: &InputLimits) -> Result<(), ServerError> {
    match value {
        ConstValue::String(text) => check_string(text, path),
        ConstValue::List(items) => {
            check_length(items.len(), path, limits)?;
            items.iter().enumerate().try_for_each(|(i, item)| nested(path, &i, |p| check_const(item, p, limits)))
        }
        ConstValue::Object(fields) => {
            fields.iter().try_for_each(|(key, item)| nested(path, key, |p| check_const(item, p, limits)))
        }
        _ => Ok(()),
    }
}

fn check_literal(value: &Value, path: &mut String, limits: &InputLimits) -> Result<(), ServerError> {
    match value {
        Value::String(text) => check_string(text, path),
        Value::List(items) => {
            check_length(items.len(), path, limits)?;
            items.iter().enumerate().try_for_each(|(i, item)| nested(path, &i, |p| check_literal(item, p, limits)))
        }
        Value::Object(fields) => {
            fields.iter().try_for_each(|(key, item)| nested(path, key, |p| check_literal(item, p, limits)))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;
    use serde_json::json;

    use super::*;

    fn field_of(query: &str, variables: serde_json::Value) -> Option<String> {
        let document = parse_query(query).expect("parses");
        let variables = Variables::from_json(variables);
        let limits = InputLimits { max_list_items: 3 };
        let checked = check_variables(&variables, &limits).and_then(|()| check_document(&document, &limits));
        checked.err().map(|error| match error.extensions.as_ref().and_then(|e| e.get("field")) {
            Some(ConstValue::String(field)) => field.clone(),
            other => panic!("no field: {other:?}"),
        })
    }

    #[test]
    fn a_nul_anywhere_is_refused_with_its_path() {
        let query = "mutation($input: X!) { a(input: $input) { id } }";
        let variables = json!({ "input": { "body": "ok", "sections": ["a", "b\u{0}"] } });
        assert_eq!(field_of(query, variables).as_deref(), Some("input.sections.1"));
        assert_eq!(
            field_of("{ a(filter: { title: \"x\\u0000\" }) { id } }", json!({})).as_deref(),
            Some("filter.title")
        );
        assert_eq!(field_of("{ a(filter: { title: \"x\" }) { id } }", json!({ "unused": "ok" })), None);
    }

    #[test]
    fn long_lists_are_refused_with_the_cap() {
        assert_eq!(field_of("{ nodes(ids: $ids) { id } }", json!({ "ids": [1, 2, 3, 4] })).as_deref(), Some("ids"));
        assert_eq!(field_of("{ b { nodes(ids: [1, 2, 3, 4]) { id } } }", json!({})).as_deref(), Some("ids"));
        assert_eq!(field_of("{ nodes(ids: [1, 2, 3]) { id } }", json!({})), None);
    }
}
