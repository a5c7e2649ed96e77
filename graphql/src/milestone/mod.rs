//! Milestones: the steps of producing the guidance (translation, review rounds, professional
//! editing, printing, the online version), planned and done. Readable by every signed-in user;
//! managed by the Secretariat.

mod mutation;
mod query;
mod service;
mod types;

pub use mutation::MilestoneMutation;
pub use query::{MilestoneQuery, at_risk, overdue};
pub use types::{Milestone, today};
