//! Follow-up actions: what an event decided should happen next, each with an owner (a country or
//! a stakeholder), a due date with its precision and a status. Readable by every signed-in user,
//! like the events they come from; kept by the Secretariat. Overdue ones are on the dashboard.

mod mutation;
mod query;
mod service;
mod types;

pub use mutation::FollowUpMutation;
pub use query::{FollowUpQuery, overdue_actions};
pub use types::{ActionsOfEvent, FollowUpAction, of_event};
