//! Role assignments: which country plays which Champion role (partner, tester, promoter,
//! convenor), with status and dates. Readable by every signed-in user; managed by the Secretariat.

mod mutation;
mod query;
pub mod service;
mod types;

pub use mutation::RoleMutation;
pub use query::RoleQuery;
pub use types::{RoleAssignment, RolesOfCountry};
