//! The shape checks a document passes before async-graphql sees it: no fragment cycles, and
//! depth, aliases and size within their limits as measured on the selection with every fragment
//! spread expanded.
//!
//! Expanding spreads naively is exponential: a fragment that spreads another twice, nested
//! twenty times, expands to a million fields from a few hundred bytes, and a cycle never ends.
//! Here every fragment is summarised once, in an order where the fragments it spreads come first,
//! so the whole check is linear in the document's size. async-graphql's own passes (its
//! recursion and depth checks, complexity) do expand spreads; they run only on documents this
//! check has bounded.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, ServerError};

use crate::engine::error_codes::with_code;

/// Introspection selections (`__schema`, `__type`) are measured apart from the data they sit
/// beside: the standard introspection query (graphql-js `getIntrospectionQuery`, which GraphiQL,
/// codegen tools and schema linters send) nests about 14 deep through its `TypeRef` fragment.
pub const MAX_INTROSPECTION_DEPTH: usize = 20;

/// Selection sets nested deeper than this (fields, inline fragments) are refused outright; no
/// depth limit a server would set comes near it, and it bounds the recursion below.
const MAX_NESTING: usize = 32;

#[derive(Clone, Copy, Debug)]
pub struct ShapeLimits {
    /// Deepest nesting of fields outside introspection.
    pub max_depth: usize,
    /// Most aliased fields.
    pub max_aliases: usize,
    /// Most selections (fields and fragments) once every spread is expanded.
    pub max_selections: usize,
}

/// What a selection set amounts to once its spreads are expanded.
#[derive(Clone, Copy, Default)]
struct Summary {
    selections: usize,
    /// Selections as written, spreads not expanded (a spread counts one).
    written: usize,
    aliases: usize,
    depth: usize,
    introspection_depth: usize,
}

impl Summary {
    fn add(&mut self, other: Summary) {
        self.selections = self.selections.saturating_add(other.selections);
        self.written = self.written.saturating_add(other.written);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.depth = self.depth.max(other.depth);
        self.introspection_depth = self.introspection_depth.max(other.introspection_depth);
    }
}

/// Refuses `document` when its fragments form a cycle or when, expanded, it goes past `limits`.
pub fn check(document: &ExecutableDocument, limits: &ShapeLimits) -> Result<(), ServerError> {
    let order = fragments_in_dependency_order(document)?;
    let mut summaries: HashMap<&Name, Summary> = HashMap::with_capacity(order.len());
    // Every fragment as written, used or not: unused ones are invalid, but only after async-graphql
    // has validated them all, which costs far more than this.
    let mut written = 0usize;
    for name in order {
        if let Some(fragment) = document.fragments.get(name) {
            let summary = summarise(&fragment.node.selection_set.node, &summaries, 0)?;
            written = written.saturating_add(summary.written);
            summaries.insert(name, summary);
        }
    }
    let mut total = Summary::default();
    for (_, operation) in document.operations.iter() {
        total.add(summarise(&operation.node.selection_set.node, &summaries, 0)?);
    }
    written = written.saturating_add(total.written);
    if written > limits.max_selections {
        let message = format!(
            "The document holds {written} fields and fragments as written; at most {} are allowed",
            limits.max_selections
        );
        return Err(with_code(ServerError::new(message, None), "QUERY_TOO_COMPLEX"));
    }
    if total.depth > limits.max_depth {
        return Err(too_deep(format!(
            "The query is nested too deep: {} fields; at most {} are allowed",
            total.depth, limits.max_depth
        )));
    }
    if total.introspection_depth > MAX_INTROSPECTION_DEPTH {
        return Err(too_deep(format!(
            "The introspection query is nested too deep: {} fields; at most {MAX_INTROSPECTION_DEPTH} are allowed",
            total.introspection_depth
        )));
    }
    if total.aliases > limits.max_aliases {
        let message = format!("The query uses {} aliases; at most {} are allowed", total.aliases, limits.max_aliases);
        return Err(with_code(ServerError::new(message, None), "TOO_MANY_ALIASES"));
    }
    if total.selections > limits.max_selections {
        let message = format!(
            "The query selects {} fields and fragments once its fragments are expanded; at most {} are allowed",
            total.selections, limits.max_selections
        );
        return Err(with_code(ServerError::new(message, None), "QUERY_TOO_COMPLEX"));
    }
    Ok(())
}

/// Whether any selection of `document` is an introspection field (`__schema`, `__type`). It
/// looks at every selection set once, without expanding spreads: a fragment that selects one
/// counts whether or not it is used (validation refuses unused fragments anyway).
pub fn selects_introspection(document: &ExecutableDocument) -> bool {
    fn walk(set: &SelectionSet, nesting: usize) -> bool {
        nesting <= MAX_NESTING
            && set.items.iter().any(|item| match &item.node {
                Selection::Field(field) => {
                    matches!(field.node.name.node.as_str(), "__schema" | "__type")
                        || walk(&field.node.selection_set.node, nesting + 1)
                }
                Selection::InlineFragment(fragment) => walk(&fragment.node.selection_set.node, nesting + 1),
                Selection::FragmentSpread(_) => false,
            })
    }
    document.operations.iter().any(|(_, operation)| walk(&operation.node.selection_set.node, 0))
        || document.fragments.values().any(|fragment| walk(&fragment.node.selection_set.node, 0))
}

fn too_deep(message: String) -> ServerError {
    with_code(ServerError::new(message, None), "QUERY_TOO_DEEP")
}

/// The summary of `set`, given the summaries of every fragment it may spread. Spreads of unknown
/// fragments count as one selection; validation reports them.
fn summarise(set: &SelectionSet, fragments: &HashMap<&Name, Summary>, nesting: usize) -> Result<Summary, ServerError> {
    if nesting > MAX_NESTING {
        return Err(too_deep(format!("Selections are nested more than {MAX_NESTING} deep")));
    }
    let mut summary = Summary::default();
    for item in &set.items {
        let mut part = Summary { selections: 1, written: 1, ..Summary::default() };
        match &item.node {
            Selection::Field(field) => {
                let field = &field.node;
                let inner = summarise(&field.selection_set.node, fragments, nesting + 1)?;
                part.selections = part.selections.saturating_add(inner.selections);
                part.written = part.written.saturating_add(inner.written);
                part.aliases = inner.aliases.saturating_add(usize::from(field.alias.is_some()));
                if matches!(field.name.node.as_str(), "__schema" | "__type") {
                    part.depth = 1;
                    part.introspection_depth = 1 + inner.depth.max(inner.introspection_depth);
                } else {
                    part.depth = 1 + inner.depth;
                    part.introspection_depth = inner.introspection_depth;
                }
            }
            Selection::InlineFragment(fragment) => {
                part.add(summarise(&fragment.node.selection_set.node, fragments, nesting + 1)?);
            }
            Selection::FragmentSpread(spread) => {
                if let Some(inner) = fragments.get(&spread.node.fragment_name.node) {
                    // The fragment's own selections are counted once, where it is defined.
                    part.add(Summary { written: 0, ..*inner });
                }
            }
        }
        summary.add(part);
    }
    Ok(summary)
}

/// Fragment names ordered so that each comes after every fragment it spreads, or the error for
/// the first cycle found (the message graphql-js gives).
fn fragments_in_dependency_order(document: &ExecutableDocument) -> Result<Vec<&Name>, ServerError> {
    let mut spreads: HashMap<&Name, Vec<&Name>> = HashMap::with_capacity(document.fragments.len());
    for (name, fragment) in &document.fragments {
        let mut names = Vec::new();
        collect_spreads(&fragment.node.selection_set.node, &mut names, 0)?;
        names.retain(|spread| document.fragments.contains_key(*spread));
        spreads.insert(name, names);
    }

    // Iterative depth-first search, so a long chain of fragments cannot exhaust the stack.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        InProgress,
        Done,
    }
    let mut marks: HashMap<&Name, Mark> = HashMap::with_capacity(spreads.len());
    let mut order = Vec::with_capacity(spreads.len());
    for start in document.fragments.keys() {
        if marks.contains_key(start) {
            continue;
        }
        marks.insert(start, Mark::InProgress);
        let mut stack: Vec<(&Name, usize)> = vec![(start, 0)];
        while let Some((name, next)) = stack.last_mut() {
            let children = spreads.get(*name).map_or(&[][..], Vec::as_slice);
            if let Some(child) = children.get(*next).copied() {
                *next += 1;
                match marks.get(child) {
                    Some(Mark::InProgress) => {
                        let message = format!("Cannot spread fragment \"{child}\" within itself");
                        return Err(with_code(ServerError::new(message, None), "GRAPHQL_VALIDATION_FAILED"));
                    }
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(child, Mark::InProgress);
                        stack.push((child, 0));
                    }
                }
            } else {
                let name = *name;
                marks.insert(name, Mark::Done);
                order.push(name);
                stack.pop();
            }
        }
    }
    Ok(order)
}

fn collect_spreads<'a>(set: &'a SelectionSet, names: &mut Vec<&'a Name>, nesting: usize) -> Result<(), ServerError> {
    if nesting > MAX_NESTING {
        return Err(too_deep(format!("Selections are nested more than {MAX_NESTING} deep")));
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => collect_spreads(&field.node.selection_set.node, names, nesting + 1)?,
            Selection::InlineFragment(fragment) => {
                collect_spreads(&fragment.node.selection_set.node, names, nesting + 1)?
            }
            Selection::FragmentSpread(spread) => names.push(&spread.node.fragment_name.node),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use async_graphql::parser::parse_query;

    use super::*;

    const LIMITS: ShapeLimits = ShapeLimits { max_depth: 12, max_aliases: 30, max_selections: 2_000 };

    fn code(query: &str) -> Option<String> {
        let document = parse_query(query).expect("parses");
        check(&document, &LIMITS).err().map(|error| {
            let extensions = error.extensions.expect("coded");
            match extensions.get("code") {
                Some(async_graphql::Value::String(code)) => code.clone(),
                other => panic!("no code: {other:?}"),
            }
        })
    }

    #[test]
    fn a_fragment_cycle_is_refused_at_once() {
        let query =
            "query { ...C0 } fragment C0 on Query { me { id } ...C1 ...C1 } fragment C1 on Query { ...C0 ...C0 }";
        let started = Instant::now();
        assert_eq!(code(query).as_deref(), Some("GRAPHQL_VALIDATION_FAILED"));
        assert!(started.elapsed().as_millis() < 50);
        assert_eq!(code("{ ...A } fragment A on Query { ...A }").as_deref(), Some("GRAPHQL_VALIDATION_FAILED"));
    }

    #[test]
    fn an_acyclic_fragment_bomb_is_measured_expanded() {
        // Each fragment spreads the next twice: 2^40 fields from under 1 KB.
        let mut query = String::from("query { ...F0 }");
        for i in 0..40 {
            query.push_str(&format!(" fragment F{i} on Query {{ ...F{n} ...F{n} }}", n = i + 1));
        }
        query.push_str(" fragment F40 on Query { me { id } }");
        let started = Instant::now();
        assert_eq!(code(&query).as_deref(), Some("QUERY_TOO_COMPLEX"));
        assert!(started.elapsed().as_millis() < 50);
    }

    #[test]
    fn aliases_and_depth_count_through_fragments() {
        let aliases: String = (0..16).map(|i| format!("a{i}: me {{ id }} ")).collect();
        let query = format!("{{ ...A ...A }} fragment A on Query {{ {aliases} }}");
        assert_eq!(code(&query).as_deref(), Some("TOO_MANY_ALIASES"));
        let deep =
            "{ a { ...B } } fragment B on X { b { c { d { e { f { g { h { i { j { k { l { m } } } } } } } } } } } }";
        assert_eq!(code(deep).as_deref(), Some("QUERY_TOO_DEEP"));
        assert_eq!(code("{ me { id } ...A } fragment A on Query { me { displayName } }"), None);
    }

    #[test]
    fn introspection_is_measured_apart() {
        let mut type_ref = String::from("kind name");
        for _ in 0..9 {
            type_ref = format!("kind name ofType {{ {type_ref} }}");
        }
        let query = format!(
            "{{ me {{ id }} __schema {{ types {{ fields {{ args {{ type {{ {type_ref} }} }} type {{ {type_ref} }} }} }} }} }}"
        );
        assert_eq!(code(&query), None);
        let mut too_deep = String::from("name");
        for _ in 0..25 {
            too_deep = format!("ofType {{ {too_deep} }}");
        }
        assert_eq!(code(&format!("{{ __type(name: \"X\") {{ {too_deep} }} }}")).as_deref(), Some("QUERY_TOO_DEEP"));
    }

    #[test]
    fn deep_nesting_stops_at_the_bound() {
        let query = format!("{}{}", "{ a ".repeat(2_000), "}".repeat(2_000));
        if let Ok(document) = parse_query(&query) {
            assert!(check(&document, &LIMITS).is_err());
        }
    }
}
