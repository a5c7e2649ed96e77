//! The guidance itself: the Guide and the Booklet, their versions, and their section trees.

mod query;
mod types;

pub use query::{GuideQuery, document_ids, find_section_by_code, find_sections_by_codes};
pub use types::{Document, GuideVersion, Section};
