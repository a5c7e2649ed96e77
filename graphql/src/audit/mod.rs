//! The audit trail: every mutation writes, in its own transaction, who changed what and how
//! (field by field, before → after). Read by the Secretariat through `auditLog`, and by anyone who
//! may read a record through its `history`. Nothing in the API can change or remove an entry.

mod query;
mod types;

pub use query::AuditQuery;
pub use types::{AuditEntry, history};
