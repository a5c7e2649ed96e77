//! Stakeholders: UN entities, civil society, academia and others who engage with the guidance.
//! Readable by every signed-in user; managed by the Secretariat.

mod mutation;
mod query;
mod service;
mod types;

pub use mutation::StakeholderMutation;
pub use query::{StakeholderFilter, StakeholderOrder, StakeholderOrderField, StakeholderQuery};
pub use types::Stakeholder;
