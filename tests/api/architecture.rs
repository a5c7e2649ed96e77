//! The rules of ARCHITECTURE.md that a reading of the sources can check: which modules may import
//! which, where transactions and audit rows are written, and that the schema crate knows no HTTP.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The modules of the schema crate that every domain builds on: they import one another without
/// cycles, and nothing above them.
const BASE: [&str; 10] =
    ["engine", "id", "error", "scalars", "context", "policy", "validate", "pagination", "auth", "bus"];

/// The write path sits on the base alone; the domains use it.
const WRITE_PATH: &str = "write";

/// Modules above the domains: `node` answers `node(id:)` for every domain, and the crate root
/// merges them all into the schema.
const ABOVE_DOMAINS: [&str; 2] = ["node", "lib"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("source directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source file");
                found.push((path, text));
            }
        }
    }
    found.sort();
    found
}

/// The top-level module of the schema crate that `path` belongs to (`engine` for
/// `graphql/src/engine/gateway.rs`, `id` for `graphql/src/id.rs`).
fn module_of(path: &Path) -> String {
    let relative = path.strip_prefix(root().join("graphql/src")).expect("under graphql/src");
    let first = relative.components().next().expect("a component").as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_owned()
}

/// The text of a file without its `#[cfg(test)]` module, which may reach anywhere.
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |at| &text[..at])
}

fn identifier_at(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules of the crate that `text` names, as `crate::x` or in `crate::{x, y::z}`.
fn crate_modules_named(text: &str) -> BTreeSet<String> {
    let text = without_tests(text);
    let mut named = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        item_start = false;
                        named.insert(identifier_at(&group[i..]).to_owned());
                    }
                    _ => {}
                }
            }
        } else {
            named.insert(identifier_at(rest).to_owned());
        }
    }
    named.retain(|name| !name.is_empty() && name != "self");
    named
}

#[derive(PartialEq, PartialOrd)]
enum Layer {
    Base,
    WritePath,
    Domain,
    AboveDomains,
}

fn layer(module: &str) -> Layer {
    if BASE.contains(&module) {
        Layer::Base
    } else if module == WRITE_PATH {
        Layer::WritePath
    } else if ABOVE_DOMAINS.contains(&module) {
        Layer::AboveDomains
    } else {
        Layer::Domain
    }
}

/// A cycle in `edges` among `nodes`, as the path that closes it.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>, nodes: &[&str]) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        nodes: &[&str],
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if !done.insert(node.to_owned()) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten().filter(|n| nodes.contains(&n.as_str())) {
            if let Some(found) = visit(next, edges, nodes, path, done) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    nodes.iter().find_map(|node| visit(node, edges, nodes, &mut Vec::new(), &mut done))
}

#[test]
fn layers_import_downwards_only() {
    let mut wrong = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in sources(&root().join("graphql/src")) {
        let module = module_of(&path);
        for named in crate_modules_named(&text) {
            if named == module {
                continue;
            }
            if layer(&named) > layer(&module) || (layer(&module) == Layer::Domain && named == "node") {
                wrong.push(format!("{} ({module}) imports crate::{named}", path.display()));
            }
            edges.entry(module.clone()).or_default().insert(named);
        }
    }
    assert!(edges.values().any(|named| named.contains("engine")), "imports were read: {edges:?}");
    // Below the domains, no cycles at all. Domains may refer to each other's object types (a
    // country lists its feedback, a feedback item names its country): that is the schema's graph.
    let mut below_domains: Vec<&str> = BASE.to_vec();
    below_domains.push(WRITE_PATH);
    if let Some(found) = cycle(&edges, &below_domains) {
        wrong.push(format!("an import cycle: {}", found.join(" → ")));
    }
    // In the binary's HTTP layer, handlers never import the router or the server around them.
    for (path, text) in sources(&root().join("src/http")) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name == "mod.rs" || name == "routes.rs" {
            continue;
        }
        let text = without_tests(&text);
        let names_router = text.contains("super::routes")
            || text.contains("super::Application")
            || text.contains("crate::http::")
            || text.split("use super::{").skip(1).any(|group| {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                group.split(',').any(|item| !["auth", "errors", "state"].iter().any(|m| item.trim().starts_with(m)))
            });
        if names_router {
            wrong.push(format!("{} imports the router or the server", path.display()));
        }
    }
    assert!(wrong.is_empty(), "imports against the layering of ARCHITECTURE.md:\n{}", wrong.join("\n"));
}

#[test]
fn only_the_write_path_writes_audit_rows_and_opens_write_transactions() {
    let write_path = root().join("graphql/src/write/mod.rs");
    let audit_rows = root().join("graphql/src/write/change.rs");
    let mut wrong = Vec::new();
    for dir in ["graphql/src", "src"] {
        for (path, text) in sources(&root().join(dir)) {
            let text = without_tests(&text);
            if path != write_path && text.contains("change::record(") {
                wrong.push(format!("{} writes an audit row", path.display()));
            }
            if path != audit_rows && text.contains("audit_log::ActiveModel") {
                wrong.push(format!("{} builds an audit row", path.display()));
            }
            // Transactions outside the write path are the loaders', each allowed by name (clippy's
            // disallowed-methods refuses the rest); an allowance anywhere else is a second path.
            let allowed = text.matches("#[allow(clippy::disallowed_methods)]").count();
            let loader = path.starts_with(root().join("src/seed")) || path.starts_with(root().join("src/backup"));
            if allowed > 0 && path != write_path && !loader {
                wrong.push(format!("{} opens a transaction outside the write path", path.display()));
            }
            // The write path's own transaction and its announcements are not for anyone else.
            for private in ["begin_write(", "bus::publish("] {
                if path != write_path && text.contains(private) {
                    wrong.push(format!("{} calls {private}, which only the write path may", path.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "writes outside graphql/src/write.rs:\n{}", wrong.join("\n"));
}

#[test]
fn the_schema_crate_has_no_http_dependency() {
    let manifest = std::fs::read_to_string(root().join("graphql/Cargo.toml")).expect("graphql/Cargo.toml");
    let dependencies =
        manifest.split("\n[").find(|table| table.starts_with("dependencies]")).expect("a [dependencies] table");
    let names: Vec<&str> = dependencies
        .lines()
        .skip(1)
        .filter_map(|line| line.split(['=', '.']).next())
        .map(str::trim)
        .filter(|name| !name.is_empty() && !name.starts_with('#'))
        .collect();
    assert!(names.contains(&"async-graphql"), "the dependency list was read: {names:?}");
    for http in ["poem", "async-graphql-poem", "hyper", "hyper-util", "http", "axum", "reqwest", "tower"] {
        assert!(!names.contains(&http), "graphql depends on {http}, an HTTP crate");
    }
}
