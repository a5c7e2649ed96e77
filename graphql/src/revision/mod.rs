//! Revision history and traceability: which feedback led to which change in which version.
//! A revision belongs to a version, touches sections (keeping their identity through renames,
//! moves and retirement) and answers feedback with a decision on each. Released versions are frozen.

mod history;
mod matrix;
mod mutation;
mod query;
mod service;
mod translation;
mod types;

pub use history::TranslationState;
pub use matrix::{CommentResponse, MatrixLine, matrix_lines, matrix_select, version_by_id};
pub use mutation::RevisionMutation;
pub use query::{RevisionQuery, responses_to_feedback, section_as_of};
pub use service::responses_to;
pub use translation::translation_status;
pub use types::{
    ChangesOfSection, FeedbackResponse, Revision, RevisionsOfVersion, SectionChange, SectionState, TranslationStatus,
};
