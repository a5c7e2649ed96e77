//! The rules of ARCHITECTURE.md that a reading of the sources can check: which modules may import
//! which, where transactions and audit rows are written, and that the schema crate knows no HTTP.

use std::path::{Path, PathBuf};

/// The modules of the schema crate that every domain builds on; they import no domain.
const BASE: [&str; 8] = ["engine", "id", "error", "scalars", "context", "policy", "validate", "pagination"];

/// The schema crate's domains, each a folder of one kind of record (or a cross-cutting concern
/// built on the base, like `auth`), and the modules above them.
const ABOVE_BASE: [&str; 19] = [
    "activity",
    "audit",
    "auth",
    "contact",
    "country",
    "dashboard",
    "event",
    "feedback",
    "guide",
    "milestone",
    "pilot",
    "planned_use",
    "revision",
    "role",
    "stakeholder",
    "timeline",
    "user",
    "write",
    "node",
];

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

fn imports(text: &str, module: &str) -> bool {
    let needle = format!("crate::{module}");
    without_tests(text).match_indices(&needle).any(|(at, _)| {
        let next = text[at + needle.len()..].chars().next();
        !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn layers_import_downwards_only() {
    let mut wrong = Vec::new();
    for (path, text) in sources(&root().join("graphql/src")) {
        let module = module_of(&path);
        let forbidden: &[&str] = if BASE.contains(&module.as_str()) {
            &ABOVE_BASE
        } else if module == "node" || module == "lib" {
            &[]
        } else {
            // Domains take ids from `id`; `node` imports every domain to answer `node(id:)`.
            &["node"]
        };
        for above in forbidden {
            if imports(&text, above) {
                wrong.push(format!("{} imports crate::{above}", path.display()));
            }
        }
    }
    // In the binary's HTTP layer, handlers never import the router or the server around them.
    for (path, text) in sources(&root().join("src/http")) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name == "mod.rs" || name == "routes.rs" {
            continue;
        }
        for needle in ["super::routes", "super::Application", "crate::http::"] {
            if without_tests(&text).contains(needle) {
                wrong.push(format!("{} uses {needle}", path.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layering of ARCHITECTURE.md:\n{}", wrong.join("\n"));
}

#[test]
fn only_the_write_path_writes_audit_rows_and_opens_write_transactions() {
    let write_path = root().join("graphql/src/write.rs");
    let audit_service = root().join("graphql/src/audit/service.rs");
    let mut wrong = Vec::new();
    for dir in ["graphql/src", "src"] {
        for (path, text) in sources(&root().join(dir)) {
            let text = without_tests(&text);
            if path != write_path && text.contains("audit::record(") {
                wrong.push(format!("{} writes an audit row", path.display()));
            }
            if path != audit_service && text.contains("audit_log::ActiveModel") {
                wrong.push(format!("{} builds an audit row", path.display()));
            }
            // Transactions outside the write path are the loaders', each allowed by name (clippy's
            // disallowed-methods refuses the rest); an allowance anywhere else is a second path.
            let allowed = text.matches("#[allow(clippy::disallowed_methods)]").count();
            let loader = path.starts_with(root().join("src/seed"))
                || path.starts_with(root().join("src/backup"))
                || path == root().join("graphql/src/user/service.rs");
            if allowed > 0 && path != write_path && !loader {
                wrong.push(format!("{} opens a transaction outside the write path", path.display()));
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
