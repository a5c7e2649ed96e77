//! Contacts: people at a country or at a stakeholder. Personal data: a country's contacts are
//! read by that country's focal point, the Secretariat and working-group leads; a stakeholder's
//! only by the Secretariat and working-group leads. The Secretariat writes all, a focal point
//! its own country's.

mod mutation;
mod query;
pub mod service;
mod types;

pub use mutation::ContactMutation;
pub use query::ContactQuery;
pub use types::{Contact, ContactOfUser, ContactsOfCountry, ContactsOfStakeholder};
