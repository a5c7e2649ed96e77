//! The audit trail: every mutation writes, in its own transaction, who changed what and how
//! (field by field, before → after). Read by the Secretariat through `auditLog`, and by anyone who
//! may read a record through its `history`. Nothing in the API can change or remove an entry.

mod query;
mod service;
mod types;

pub use query::AuditQuery;
pub use service::{Actor, commit, commit_as, diff, linked_ids, linked_section_codes, record};
pub use types::{AuditEntry, history};
