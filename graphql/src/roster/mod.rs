//! The Champion roster: which countries are GCM Champions, since when, which co-chair the
//! initiative, and how each term ended, as dated records with their history. Readable by every
//! signed-in user; kept by the Secretariat, which also onboards a new Champion in one step
//! (designation, focal point, roles).

mod mutation;
mod query;
pub mod service;
mod types;

pub use mutation::RosterMutation;
pub use query::RosterQuery;
pub use types::{ChampionTerm, TermsOfCountry};
