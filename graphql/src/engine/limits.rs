//! The limits a request is checked against, as the server is configured.

use super::document::ShapeLimits;
use super::inputs::{DEFAULT_MAX_LIST_ITEMS, InputLimits};

/// Query-shape limits, checked before any resolver runs.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    /// Most selections once fragments are expanded (see [`super::document`]).
    pub max_selections: usize,
    /// Most items in any list given as input (see [`super::inputs`]).
    pub max_list_items: usize,
    pub introspection: bool,
}

impl Limits {
    /// The limits the gateway checks before async-graphql sees a document.
    pub fn shape(&self) -> ShapeLimits {
        ShapeLimits { max_depth: self.max_depth, max_aliases: self.max_aliases, max_selections: self.max_selections }
    }

    /// The limits on input values, checked with them.
    pub fn inputs(&self) -> InputLimits {
        InputLimits { max_list_items: self.max_list_items }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_complexity: 5_000,
            max_aliases: 30,
            max_selections: 2_000,
            max_list_items: DEFAULT_MAX_LIST_ITEMS,
            introspection: true,
        }
    }
}
