//! Pilots: a Champion country testing a version of the guidance, and what it found. A Champion
//! focal point reads and writes its own country's pilots; the Secretariat all; working-group
//! leads read all.

mod mutation;
mod query;
mod service;
mod types;

pub use mutation::PilotMutation;
pub use query::PilotQuery;
pub use types::{Pilot, PilotsOfCountry};
