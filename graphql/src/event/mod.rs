//! Events: briefings, technical and online discussions, launches, IMRF side events and the like;
//! who took part (countries or stakeholders, as host, speaker or attendee) and which guide
//! sections they discussed. Readable by every signed-in user; managed by the Secretariat.

mod mutation;
mod query;
mod service;
mod types;

pub use mutation::EventMutation;
pub use query::{EventQuery, events_with_participant};
pub use types::{Event, EventParticipant, events_of_country, events_of_section};
