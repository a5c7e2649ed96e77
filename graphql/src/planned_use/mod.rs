//! Planned uses: how a Champion country plans to use the guidance (a national implementation
//! plan, mainstreaming, promotion, IMRF …), the sections it concerns and the events where it
//! happens. Same access rule as pilots: own country for a focal point, all for the Secretariat
//! (write) and working-group leads (read).

mod mutation;
mod query;
mod service;
mod types;

pub use mutation::PlannedUseMutation;
pub use query::PlannedUseQuery;
pub use types::{
    EventsOfPlannedUse, PlannedUse, PlannedUsesOfCountry, PlannedUsesOfSection, SectionsOfPlannedUse,
    SupportedCountriesOfPlannedUse,
};
