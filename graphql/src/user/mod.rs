//! Accounts: who signs in, with which role, for which country.

mod mutation;
mod query;
pub mod service;
mod types;

pub use mutation::{CreateUserInput, UpdateUserInput, UserMutation};
pub use query::{UserFilter, UserQuery};
pub use types::{LoginPayload, User};
