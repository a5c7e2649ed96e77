//! Countries: every UN Member State, and which of them are GCM Champions.

mod prefetch;
mod query;
mod scope;
mod types;

pub use prefetch::prefetch;
pub use query::CountryQuery;
pub use scope::{require_champion, supported_countries, writable_country};
pub use types::Country;

/// Looks a country up by ISO 3166-1 alpha-3 code; the error names `field`.
pub use query::find_by_iso3;
