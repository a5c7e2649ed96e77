//! The timeline: role changes, pilots, feedback, planned uses and events merged in date order,
//! for one country or for everything the viewer may see. One SQL `UNION ALL` ordered and paged
//! by the database; the entries' subjects are then loaded in batches.

mod query;
mod types;

pub use query::{TimelineFilter, TimelineQuery, timeline_connection};
pub use types::{TimelineEntry, TimelineKind};
